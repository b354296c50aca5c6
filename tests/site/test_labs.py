"""The labs in real Chromium, driven as a student drives them: predict, run, answer right
and wrong, read the verdict. Expected numbers are plain-float computations written here.

The built site, the server, the browser and the no-outside-request check are the site
tests' fixtures (tests/site/conftest.py).
"""

import json
import math

import pytest
from playwright.sync_api import Page

from tests.site.pages import READY_MS

XS = [0.1, 0.2, 0.3, 0.4, 0.5]
S = sum(x * x for x in XS)


def plain_descent(w0: float, alpha: float, steps: int) -> list[float]:
    ws = [w0]
    for _ in range(steps):
        ws.append(ws[-1] + 2 * alpha * sum(x * (2 * x - ws[-1] * x) for x in XS))
    return ws


def wait_text(page: Page, selector: str, text: str) -> None:
    page.wait_for_function(
        "([s, t]) => document.querySelector(s).textContent.includes(t)", arg=[selector, text]
    )


def predict(page: Page, regime: str, w1: str) -> None:
    page.get_by_label(regime, exact=True).check()
    page.get_by_label("w1 after the first step =").fill(w1)
    page.get_by_role("button", name="Commit my prediction").click()


def test_gradient_descent_predict_then_step_and_be_told(visit):
    page = visit.open("gradient-descent.html")
    assert page.locator("#results").is_hidden()  # nothing shown before the prediction
    assert page.get_by_role("button", name="Step", exact=True).is_disabled()
    w1 = plain_descent(0.2, 0.4, 1)[1]
    predict(page, "converges smoothly", f"{w1:.3g}")
    step = page.get_by_role("button", name="Step", exact=True)
    step.wait_for(state="visible")
    page.wait_for_function("!document.getElementById('step').disabled")
    for _ in range(10):
        step.click()
    wait_text(page, "#regime", "Converges smoothly")
    verdict = page.locator("#verdict[role=status]")
    assert verdict.get_attribute("data-status") == "right"
    assert "right: it converges smoothly" in verdict.inner_text()
    shown = [
        float(w) for w in page.locator("#table tr").evaluate_all("rs => rs.map(r => r.dataset.w)")
    ]
    assert shown == [round(w, 17) for w in shown]  # full floats, not rounded text
    assert max(abs(a - b) for a, b in zip(shown, plain_descent(0.2, 0.4, 10))) < 1e-12


def test_gradient_descent_a_wrong_prediction_and_the_divergence(visit):
    page = visit.open("gradient-descent.html")
    page.locator("#alpha").fill("2.0")
    page.locator("#alpha").press("Tab")  # change
    predict(page, "zig-zags but converges", "0.5")
    page.wait_for_function("!document.getElementById('run').disabled")
    page.get_by_role("button", name="Run every step").click()
    wait_text(page, "#regime", "Diverged by step 10")
    assert "w10 = -9.145" in page.locator("#regime").inner_text()
    verdict = page.locator("#verdict")
    assert verdict.get_attribute("data-status") == "wrong"
    assert "not zig-zags but converges: it diverges" in verdict.inner_text()
    assert "not 0.5" in verdict.inner_text()
    assert "alpha=2.0" in page.url  # the state is in the URL


def test_gradient_descent_shared_runs_open_computed(visit):
    for alpha, words, w10 in (("0.02", "Crawls", "0.559"), ("1.5", "Zig-zags but converges", "")):
        page = visit.open(f"gradient-descent.html?w0=0.2&alpha={alpha}&steps=10")
        wait_text(page, "#regime", words)
        assert f"w10 = {w10}" in page.locator("#regime").inner_text()
        shown = page.locator("#table tr").evaluate_all("rs => rs.map(r => Number(r.dataset.w))")
        expected = plain_descent(0.2, float(alpha), 10)
        assert max(abs(a - b) for a, b in zip(shown, expected, strict=True)) < 1e-12
        page.close()


def test_gradient_descent_bad_input_is_one_line_next_to_its_box(visit):
    page = visit.open("gradient-descent.html")
    for text, message in [
        ("", "α: expected a number, got ''"),
        ("abc", "α: expected a number, got 'abc'"),
        ("1e400", "α: expected a number, got '1e400'"),
        ("-1", "α: expected a positive number, got -1"),
    ]:
        page.locator("#alpha").fill(text)
        page.locator("#alpha").press("Tab")
        wait_text(page, "#alpha-error", message)
        assert page.locator("#alpha-error").inner_text() == message
    page.locator("#alpha").fill("0.4")
    page.locator("#alpha").press("Tab")
    page.locator("#alpha-error").wait_for(state="hidden")
    page.get_by_role("button", name="Commit my prediction").click()
    wait_text(page, "#predict-error", "Choose what you expect")
    page.get_by_label("crawls", exact=True).check()
    page.get_by_role("button", name="Commit my prediction").click()
    wait_text(page, "#w1-guess-error", "type the w1 you expect first")


def test_gradient_descent_thresholds_and_dragging_a_point(visit):
    page = visit.open("gradient-descent.html")
    box = page.get_by_label("The smallest α at which descent diverges, α* =")
    box.fill("1.2")
    box.press("Enter")
    wait_text(page, "#divergence-feedback", "not 1.2")
    box.fill(f"{1 / S:.2g}")
    box.press("Enter")
    wait_text(page, "#divergence-feedback", "right")
    overshoot = page.locator("#overshoot")
    overshoot.fill(f"{1 / (2 * S):.2g}")
    page.locator("[data-check=overshoot]").click()
    wait_text(page, "#overshoot-feedback", "right")
    # Drag the last point (0.5, 1) to the right: S grows, so α* = 1/S shrinks.
    canvas = page.locator("#data-plot")
    points = json.loads(canvas.get_attribute("data-points"))
    assert points[-1] == [0.5, 1.0]
    start = page.evaluate(
        """() => { const c = document.getElementById('data-plot');
        c.scrollIntoView({block: 'center'});
        const r = c.getBoundingClientRect();
        const s = r.width / c.width, x0 = -0.075, x1 = 0.575, y0 = -0.15, y1 = 1.15;
        const px = 52 + (0.5 - x0) / (x1 - x0) * (c.width - 66);
        const py = 14 + (1 - (1 - y0) / (y1 - y0)) * (c.height - 48);
        return [r.left + px * s, r.top + py * s, s]; }"""
    )
    page.mouse.move(start[0], start[1])
    page.mouse.down()
    page.mouse.move(start[0] + 40 * start[2], start[1], steps=4)
    page.mouse.up()
    page.wait_for_function("location.search.includes('xs=')")  # the data differ from the default
    xs = [float(x) for x in page.locator("#xs").input_value().split(",")]
    assert xs[:4] == XS[:4] and xs[4] > 0.5
    box.fill(f"{1 / sum(x * x for x in xs):.2g}")
    box.press("Enter")
    page.wait_for_function(
        "document.getElementById('divergence-feedback').textContent.startsWith('right')"
    )


def test_who_learns_predict_train_and_multiply_the_chain(visit):
    page = visit.open("who-learns.html")
    page.get_by_role("button", name="Train", exact=True).click()
    wait_text(page, "#moves-error", "Choose your prediction first")
    assert page.locator("#moved").is_hidden()  # nothing given away before the prediction
    page.get_by_label("about 100 times less").check()
    page.get_by_role("button", name="Train", exact=True).click()
    wait_text(page, "#moves-verdict", "not about 100 times less: 1,000 times less or more")
    assert page.locator("[data-moved-of=w1]").inner_text() == "0.000504"
    assert page.locator("[data-moved-of=w2]").inner_text() == "0.884"
    page.get_by_label("1,000 times less or more").check()
    page.get_by_role("button", name="Train", exact=True).click()
    wait_text(page, "#moves-verdict", "right: 1,000 times less or more")
    # The chain: 6 sigmoid neurons from x = 0.5; the bound and the product, plain floats.
    page.get_by_label("Neurons n (2 to 10)").fill("6")
    page.get_by_label("Neurons n (2 to 10)").press("Tab")
    page.wait_for_function("document.querySelectorAll('#chain-table tr').length === 6")
    product, a = 1.0, 0.5
    for _ in range(6):
        s = 1 / (1 + math.exp(-a))
        product, a = product * s * (1 - s), s
    bound = page.locator("#bound")
    bound.fill("0.25")
    bound.press("Enter")
    wait_text(page, "#bound-feedback", "not 0.25")
    bound.fill(f"{0.25**6:.3g}")
    bound.press("Enter")
    wait_text(page, "#bound-feedback", "right")
    page.locator("#product").fill(f"{product:.3g}")
    page.locator("[data-check=product]").click()
    wait_text(page, "#product-feedback", "backward() gives ∂a6/∂x")
    page.get_by_label("Activation f").select_option("relu")
    page.wait_for_function("document.getElementById('product-feedback').textContent === ''")
    page.locator("#product").fill("1")
    page.locator("#product").press("Enter")
    wait_text(page, "#product-feedback", "right")
    page.get_by_label("Neurons n (2 to 10)").fill("abc")
    page.get_by_label("Neurons n (2 to 10)").press("Tab")
    wait_text(page, "#n-error", "n: expected a number, got 'abc'")
    assert "n=abc" in page.url and "activation=relu" in page.url


def test_who_learns_measures_the_three_effects(visit):
    page = visit.open("who-learns.html")
    page.get_by_role("button", name="Measure sigmoid").click()
    row = page.locator("[data-effects-of=sigmoid]")
    row.wait_for(timeout=240_000)
    cells = row.locator("td").all_inner_texts()
    assert float(cells[1]) < 1e-2 * float(cells[2])  # layer 1 barely moves
    assert cells[3] == "more than 30"


def test_train_vanishing_suggestion_at_its_default_settings(visit):
    ratios = {}
    for name in ("sigmoid with six hidden layers of 6", "ReLU"):
        page = visit.open("train.html")
        page.get_by_role("link", name=name).click()
        page.wait_for_selector("body[data-ready]", timeout=READY_MS)
        page.get_by_role("button", name="10 steps").click()
        page.wait_for_function("document.getElementById('step-count').textContent === '10'")
        assert page.locator("[data-norm-of]").count() == 7
        text = page.locator("#norm-ratio").inner_text()
        ratios[name] = float(text.split("= ")[1])
        page.close()
    assert ratios["sigmoid with six hidden layers of 6"] >= 100 and ratios["ReLU"] <= 10


def test_slopes_nudge_w1_and_w2_then_j(visit):
    page = visit.open("slopes.html")
    rows = page.locator("#nudges tr").evaluate_all("rs => rs.map(r => r.cells[2].textContent)")
    assert float(rows[2]) - float(rows[1]) == pytest.approx(1.02e-6, rel=0.01)
    a1 = 1 / (1 + math.exp(-(0.15 * 0.1 + 0.4)))
    a2 = 1 / (1 + math.exp(-(0.45 * a1 + 0.65)))
    delta2 = (a2 - 0.25) * a2 * (1 - a2)
    slopes = {"w1": delta2 * 0.45 * a1 * (1 - a1) * 0.1, "w2": delta2 * a1}
    box = page.get_by_label("ΔE / h =")
    box.fill(f"{slopes['w1'] * 1.05:.4g}")  # 5% off: wrong
    box.press("Enter")
    wait_text(page, "#slope-feedback", "more than 1% away")
    box.fill(f"{slopes['w1']:.4g}")
    box.press("Enter")
    wait_text(page, "#slope-feedback", "right")
    page.get_by_label("Parameter p").select_option("w2")
    page.wait_for_function("document.getElementById('slope-feedback').textContent === ''")
    box.fill(f"{slopes['w2']:.4g}")
    page.locator("[data-check=slope]").click()
    wait_text(page, "#slope-feedback", "w1 learns about 56 times slower")
    page.get_by_label("Parameter p").select_option("w")
    page.locator("#cost-panel").wait_for()
    page.get_by_label("ΔJ / h =").fill("-1.98")
    page.get_by_label("ΔJ / h =").press("Enter")
    wait_text(page, "#slope-feedback", "dJ/dw = -1.98")
    page.get_by_label("Nudge h").fill("abc")
    page.get_by_label("Nudge h").press("Tab")
    wait_text(page, "#h-error", "h: expected a number, got 'abc'")
    assert "parameter=w" in page.url


def test_activations_every_task_right_and_wrong(visit):
    page = visit.open("activations.html")
    page.get_by_label("Probe at z =").fill("4.6")
    page.get_by_role("button", name="Show σ′(z) and tanh′(z)").click()
    s = 1 / (1 + math.exp(-4.6))
    wait_text(page, "#probe-result", f"σ′ = {s * (1 - s):.4g}")
    root = (1 + math.sqrt(1 - 0.04)) / 2  # σ(1 − σ) = 0.01
    answers = {  # box: (wrong, right), every right one computed here in plain floats
        "sigmoid-cutoff": ("2.993", f"{math.log(root / (1 - root)):.3g}"),
        "tanh-cutoff": ("4.585", f"{math.atanh(math.sqrt(0.99)):.3g}"),
        "step-grad": ("0.5", "0"),
        "dead-leaky": ("5", "0"),
    }
    for box, (wrong, right) in answers.items():
        for text, status in ((wrong, "wrong"), (right, "right")):
            page.locator(f"#{box}").fill(text)
            page.locator(f"#{box}").press("Enter")
            page.wait_for_function(
                "([b, s]) => document.getElementById(b + '-feedback').dataset.status === s",
                arg=[box, status],
            )
    largest = page.locator("#dead-table tr td:nth-child(2)").all_inner_texts()
    page.locator("#dead-relu").fill(str(sum(float(z) <= 0 for z in largest)))
    page.locator("[data-check=dead-relu]").click()
    wait_text(page, "#dead-relu-feedback", "right")
    # Linear collapse: a2 = −2 (0.5 x + 1) + 0.25.
    page.get_by_label("W =", exact=True).fill("-1")
    page.get_by_label("B =", exact=True).fill("-1.75")
    page.get_by_label("B =", exact=True).press("Enter")
    wait_text(page, "#collapse-w-feedback", "W: right: -1. B: right: -1.75.")
    # Softmax on the student's own scores.
    page.get_by_label("Your scores (2 to 5, commas)").fill("1, 3")
    page.get_by_label("Your scores (2 to 5, commas)").press("Tab")
    page.locator("#p2").wait_for()
    assert page.locator("#p3").count() == 0
    p1 = 1 / (1 + math.exp(2))
    page.locator("#p1").fill(f"{p1:.3g}")
    page.locator("#p2").fill("0.5")
    page.get_by_role("button", name="Check my probabilities").click()
    wait_text(page, "#softmax-feedback", "Not all right yet")
    assert page.locator("#p1-feedback").get_attribute("data-status") == "right"
    page.locator("#p2").fill(f"{1 - p1:.3g}")
    page.get_by_role("button", name="Check my probabilities").click()
    wait_text(page, "#softmax-feedback", "All right")
    page.get_by_label("Your scores (2 to 5, commas)").fill("abc, 1")
    page.get_by_role("button", name="Check my probabilities").click()
    wait_text(page, "#scores-error", "scores: expected a number, got 'abc'")
    # ReLU sparsity: the meter appears only once the student has answered.
    assert page.locator("#meter-panel").is_hidden()
    page.get_by_label("Fraction active (0 to 1) =").fill("0.9")
    page.get_by_label("Fraction active (0 to 1) =").press("Enter")
    wait_text(page, "#active-feedback", "not 0.9")
    page.locator("#meter-panel").wait_for()
    before = page.locator("#meter-text").inner_text()
    assert before.endswith("%")
    page.get_by_role("button", name="Train 10 steps").click()
    wait_text(page, "#meter-steps", "10")
