"""The built site (``make site`` -> build/site) in real headless Chromium, served on 127.0.0.1.

Every request to another address is blocked and recorded, so a page that needs the network
fails. Python runs in the page's Web Worker (Pyodide with this checkout's wheel); the
numbers it shows are compared with chainrule in this process and with closed forms.
Screenshots of every page at 1280x800 and 390x844 go to build/site-screenshots/.
"""

from __future__ import annotations

import itertools
import json
import math

import pytest
from playwright.sync_api import Page

from autograd import parse_expression, topological_order
from nn import MLP, fit, make_moons
from tests.leaks import SCAN_DOM, leaks
from tests.site.pages import (
    LABS,
    SCREENSHOTS,
    SHARED,
    SIZES,
    STATIC_PAGES,
    Visit,
    no_sideways_scrolling,
    overflowing_graph_text,
    smallest_graph_text_px,
    wrapped_derivations,
)

HREFS = "(links) => links.map((link) => link.getAttribute('href'))"


@pytest.mark.parametrize("size", list(SIZES))
def test_every_page_opens_readable_with_no_network_and_no_errors(browser, base_url, size):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    visit = Visit(browser, base_url, SIZES[size])
    for path in (SHARED, "worked.html", "train.html", *LABS, *STATIC_PAGES):
        page = visit.open(path)
        nav = page.locator("header.site-header nav a")  # one navigation, the labs in it
        assert nav.count() == 10
        assert set(LABS) <= {link.rsplit("/", 1)[-1] for link in nav.evaluate_all(HREFS)}
        assert page.locator(".error:visible").count() == 0
        no_sideways_scrolling(page)
        if path == SHARED:
            page.wait_for_selector("#step-graph svg")
            assert smallest_graph_text_px(page) >= 10
            assert overflowing_graph_text(page) == []
        if path == "worked.html":
            page.wait_for_selector(".derivation")
            assert wrapped_derivations(page) == []
        name = path.split("?")[0].replace("/", "_").removesuffix(".html")
        page.screenshot(path=str(SCREENSHOTS / f"{name}_{size}.png"), full_page=True)
        page.close()
    visit.close()


def test_a_shared_link_opens_computed_with_the_python_engines_gradients(visit):
    page = visit.open(SHARED)
    shown = {
        element.get_attribute("data-grad-of"): float(element.get_attribute("data-value"))
        for element in page.locator("[data-grad-of]").all()
    }
    x, w, b = 0.5, -1.2, 0.3
    root = parse_expression("tanh(w*x+b)", {"x": x, "w": w, "b": b})
    root.backward()
    engine = {node.label: node.grad for node in topological_order(root) if not node.inputs}
    assert shown == pytest.approx(engine, rel=1e-12)
    slope = 1 - math.tanh(w * x + b) ** 2
    assert shown == pytest.approx({"w": slope * x, "x": slope * w, "b": slope}, rel=1e-12)
    assert page.locator("[data-grad-of='w']").inner_text() == f"{slope * x:.4f}"
    page.locator("#explanation").wait_for(state="hidden")
    page.locator("tr", has_text="explain").first.get_by_role("button").click()
    page.wait_for_function(  # the worker answers asynchronously
        "end => document.getElementById('explanation').textContent.endsWith(end)",
        arg=f"= {slope * x:.4f}",
    )


def test_stepping_through_the_backward_pass(visit):
    page = visit.open(SHARED)
    title = page.locator("#step-title")
    assert title.inner_text().startswith("Step 0 of 3")
    for k in (1, 2, 3):
        page.get_by_role("button", name="Next step").click()
        page.wait_for_function(
            f"document.getElementById('step-title').textContent.startsWith('Step {k} of 3')"
        )
    assert page.get_by_role("button", name="Next step").is_disabled()
    x, w, b = 0.5, -1.2, 0.3
    slope = 1 - math.tanh(w * x + b) ** 2
    page.wait_for_function(  # the last frame's drawing: every gradient known
        "texts => texts.every(t => document.querySelector('#step-graph svg').textContent"
        ".includes(t))",
        arg=[f"grad {slope * x:.4f}", f"grad {slope * w:.4f}", f"grad {slope:.4f}"],
    )
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("document.getElementById('step-title').textContent.startsWith('Step 2')")


def test_quiz_one_step_right_and_one_wrong_with_a_hint(visit):
    page = visit.open(SHARED + "&quiz=1")
    feedback = page.locator("#quiz-feedback[role=status]")
    x, w, b = 0.5, -1.2, 0.3
    slope = 1 - math.tanh(w * x + b) ** 2
    for node in ("f", "w·x + b"):  # step 2, back through +, completes ∂f/∂b
        page.get_by_role("button", name="Next step").click()
        pick_next_node(page, node)
    box = page.locator("[data-quantity='∂f/∂b']")
    box.fill(f"{slope:.3g}")
    box.press("Enter")
    page.wait_for_function("document.getElementById('quiz-feedback').dataset.status === 'right'")
    assert "right" in feedback.inner_text()
    page.get_by_role("button", name="Next step").click()  # step 3, back through *
    pick_next_node(page, "w·x")
    box = page.locator("[data-quantity='∂f/∂w']")
    box.fill("123")
    box.press("Enter")
    page.wait_for_function("document.getElementById('quiz-feedback').dataset.status === 'wrong'")
    text = feedback.inner_text()
    assert "not 123" in text and "Hint: ∂f/∂w =" in text
    assert page.locator("[data-quantity]").count() == 2  # the wrong box stays open
    page.locator("[data-quantity='∂f/∂x']").fill(f"{slope * w:.3g}")
    page.locator("[data-quantity='∂f/∂x']").press("Enter")
    page.wait_for_function("document.getElementById('quiz-feedback').dataset.status === 'right'")
    box.fill(f"{slope * x:.4f}")
    box.press("Enter")
    # the terminal's rule: right within 3 tries scores; then the answers show again
    page.wait_for_function("document.getElementById('score').textContent === 'score: 3/3'")
    page.locator("#results").wait_for(state="visible")


def pick_next_node(page, node):
    """The order question: pick the next node of the backward pass; a wrong pick is told."""
    choice = page.locator("select[data-quantity='next node']")
    wrong = "w·x" if node != "w·x" else "f"
    choice.select_option(wrong)
    page.get_by_role("button", name="Check").click()
    page.wait_for_function("document.getElementById('quiz-feedback').dataset.status === 'wrong'")
    assert page.locator("#quiz-feedback").inner_text().startswith(f"not {wrong}: it ")
    choice.select_option(node)
    page.get_by_role("button", name="Check").click()
    page.wait_for_function("document.getElementById('quiz-feedback').dataset.status === 'right'")


def test_quiz_mode_shows_no_pending_answer_anywhere(visit):
    """At every question of the playground quiz, no text, drawing (edges and unnamed nodes
    included), table, attribute or box of the page shows a pending gradient to 3 figures."""
    page = visit.open(SHARED + "&quiz=1")
    x, w, b = 0.5, -1.2, 0.3
    slope = 1 - math.tanh(w * x + b) ** 2
    pending = {"∂f/∂b": slope, "∂f/∂w": slope * x, "∂f/∂x": slope * w}
    assert page.locator("#results").is_hidden() and page.locator("#graph-panel").is_hidden()
    assert page.locator("#rules").inner_text().startswith("An answer is right when")
    for step, node in ((1, "f"), (2, "w·x + b"), (3, "w·x")):
        page.get_by_role("button", name="Next step").click()
        page.wait_for_function(
            f"document.getElementById('step-title').textContent.startsWith('Step {step}')"
        )
        page.wait_for_selector("select[data-quantity='next node']")
        assert leaks(page.evaluate(SCAN_DOM), pending) == [], f"step {step}, order question"
        pick_next_node(page, node)
        if step > 1:  # steps 2 and 3 complete gradients
            page.wait_for_selector("#quiz input[data-quantity]")
        for quantity in [q for q in pending if page.locator(f"[data-quantity='{q}']").count()]:
            page.wait_for_selector("#step-graph svg")
            assert leaks(page.evaluate(SCAN_DOM), pending) == [], f"step {step}, {quantity}"
            box = page.locator(f"[data-quantity='{quantity}']")
            box.fill(f"{pending.pop(quantity):.3g}")
            box.press("Enter")
            page.wait_for_function(
                "document.getElementById('quiz-feedback').dataset.status === 'right'"
            )
    assert pending == {}
    page.wait_for_function("document.getElementById('score').textContent === 'score: 3/3'")


def test_a_bad_formula_or_value_is_a_clear_message(visit):
    page = visit.open(SHARED)
    formula = page.locator("#formula")
    for text, message in [
        ("x.__class__", "attribute access is not allowed"),
        ("log(x - 2)", "log: needs a positive input"),
        ("w * (x", "not a valid expression"),
    ]:
        formula.fill(text)
        formula.press("Enter")
        page.wait_for_function(
            "m => document.getElementById('error').textContent.includes(m)", arg=message
        )
        assert page.locator("#results").is_hidden()
    formula.fill("w * x")
    formula.press("Enter")
    page.locator("#results").wait_for()
    page.locator("input[name='x']").fill("half")
    page.locator("input[name='x']").press("Enter")
    page.wait_for_function(
        "document.getElementById('error').textContent === \"x: expected a number, got 'half'\""
    )


def test_worked_example_steps_and_the_2_2_2_preset(visit):
    page = visit.open("worked.html")
    update = page.locator("#update").inner_text()
    for published in ("0.4272", "0.6121", "0.1496", "0.3959"):  # the course's results
        assert published in update
    for _ in range(3):
        before = page.locator("#error-history").inner_text()
        page.locator("#step").click()
        page.wait_for_function(
            "b => document.getElementById('error-history').textContent !== b", arg=before
        )
    history = json.loads(page.locator("#error-plot").get_attribute("data-values"))
    assert len(history) == 4 and all(a > b for a, b in itertools.pairwise(history))
    code = page.locator("#code")  # the same as code: forward, then one line per step
    assert "dE_dz2 = dE_da2 * a2 * (1.0 - a2)" in code.inner_text()
    assert code.locator(".code-line.backward[data-input]").count() >= 10
    page.locator("#preset").select_option("network")
    page.wait_for_function(
        "document.getElementById('error-history').textContent.includes('0.2984')"
    )
    assert page.locator("[data-gradient]").count() == 12  # w1[1,1]..w2[2,2], b1[1]..b2[2]
    assert page.locator("input[name='b1[2]']").input_value() == "0.35"  # the network file's


def test_training_20_steps_lowers_the_loss_as_nn_fit_does(visit):
    page = visit.open("train.html")
    # usable once the points are drawn, the 40×40 boundary filling in after
    page.wait_for_function("performance.getEntriesByName('train:boundary').length > 0")
    marks = page.evaluate(
        "Object.fromEntries(performance.getEntriesByType('mark').reverse()"
        ".map((m) => [m.name, m.startTime]))"  # each name's first time
    )
    assert marks["train:points"] <= marks["usable"] < marks["train:boundary"], marks
    page.get_by_role("button", name="20 steps").click()
    page.wait_for_function("document.getElementById('step-count').textContent === '20'")
    losses = json.loads(page.locator("#loss-plot").get_attribute("data-values"))
    assert len(losses) == 20 and losses[-1] < losses[0]
    X, labels = make_moons(100, seed=0)
    model = MLP(2, [16, 16, 1], activation="relu", seed=0)
    targets = [2 * label - 1 for label in labels]
    history = fit(model, X, targets, loss="max_margin", lr=0.1, epochs=20, progress=False)
    assert losses == pytest.approx(history.loss, rel=1e-9)
    assert page.locator("[data-norm-of]").count() == 3


def highlighted_node_on_screen(page: Page) -> bool:
    """Whether the node the current step processes is drawn inside the window, below the
    step buttons (which stay on top)."""
    return page.evaluate(
        """() => {
            const node = document.querySelector('#step-graph svg g.node [stroke="#ea580c"]');
            const box = node.getBoundingClientRect();
            const buttons = document.querySelector('#steps-panel .controls')
                .getBoundingClientRect();
            return box.width > 0 && box.top >= buttons.bottom - 1 && box.bottom <= innerHeight
                && box.left >= 0 && box.right <= innerWidth;
        }"""
    )


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("path", [SHARED, "worked.html"])
def test_each_view_draws_one_graph_and_next_brings_the_step_into_view(
    browser, base_url, size, path
):
    visit = Visit(browser, base_url, SIZES[size])
    page = visit.open(path)
    page.wait_for_selector("#step-graph svg")
    assert page.locator("svg:has(g.graph)").count() == 1  # one drawing on the page
    last = int(page.locator("#slider").get_attribute("max"))
    for k in range(1, min(last, 4) + 1):
        page.get_by_role("button", name="Next step").click()
        page.wait_for_function(
            "k => document.getElementById('step-title').textContent.startsWith(`Step ${k} `)",
            arg=k,
        )
        assert highlighted_node_on_screen(page), f"step {k}"
        assert page.locator("svg:has(g.graph)").count() == 1
    name = path.split("?")[0].removesuffix(".html")
    page.screenshot(path=str(SCREENSHOTS / f"{name}_after_next_{size}.png"))
    visit.close()


def test_the_playground_opens_on_distinct_gradients_that_teach(visit):
    page = visit.open("playground.html")
    grads = [
        float(element.get_attribute("data-value"))
        for element in page.locator("[data-grad-of]").all()
    ]
    assert len(grads) >= 3 and len(set(grads)) == len(grads)  # no two alike
    assert all(abs(g) > 0.05 and abs(abs(g) - 1) > 0.05 for g in grads)  # none 0 or ±1


def test_a_value_the_formula_does_not_use_is_named_in_a_note(visit):
    page = visit.open("playground.html?f=x*y&x=2&y=3&q=3")
    assert page.locator("#notes").inner_text() == "q = 3 is left out: the formula has no q."
    assert page.locator("[data-grad-of]").count() == 2


def test_after_a_step_the_worked_examples_boxes_show_at_most_6_significant_figures(visit):
    page = visit.open("worked.html")
    page.locator("#step").click()
    page.wait_for_function("document.getElementById('error-history').textContent.includes('after')")
    shown = page.locator("#fields input").evaluate_all("boxes => boxes.map((box) => box.value)")
    digits = [len(text.lstrip("-0.").replace(".", "").rstrip("0")) for text in shown]
    assert max(digits) <= 6, shown
    # the next update starts from the exact numbers, not the rounded ones: w2 after two
    # steps of the course's example, by plain floats here
    w = {"x": 0.1, "w1": 0.15, "b1": 0.4, "w2": 0.45, "b2": 0.65}
    for _ in range(2):
        a1 = 1 / (1 + math.exp(-(w["w1"] * w["x"] + w["b1"])))
        a2 = 1 / (1 + math.exp(-(w["w2"] * a1 + w["b2"])))
        delta2 = (a2 - 0.25) * a2 * (1 - a2)
        delta1 = delta2 * w["w2"] * a1 * (1 - a1)
        w["w2"] -= 0.4 * delta2 * a1
        w["b2"] -= 0.4 * delta2
        w["w1"] -= 0.4 * delta1 * w["x"]
        w["b1"] -= 0.4 * delta1
    page.locator("#step").click()
    page.wait_for_function(
        "document.getElementById('error-history').textContent.includes('2 steps')"
    )
    exact = page.locator("input[name='w2']").get_attribute("data-exact")
    assert float(exact) == pytest.approx(w["w2"], rel=1e-12)


def test_train_fields_changed_quickly_raise_nothing_and_the_plot_counts_steps(visit):
    page = visit.open("train.html")
    # a valid change then an invalid one at once: the first's boundary arrives after the second
    page.evaluate(
        """() => {
            const sizes = document.getElementById('sizes');
            for (const text of ['8', 'no', '4, 4', 'x']) {
                sizes.value = text;
                sizes.dispatchEvent(new Event('change'));
            }
        }"""
    )
    page.wait_for_function("document.getElementById('error').textContent.includes(\"'x'\")")
    page.locator("#sizes").fill("16, 16")
    page.locator("#sizes").dispatch_event("change")
    page.wait_for_function("!document.getElementById('run').disabled")
    page.get_by_role("button", name="20 steps").click()
    page.wait_for_function("document.getElementById('step-count').textContent === '20'")
    assert page.locator("#loss-plot").get_attribute("data-caption") == "loss, 20 steps"
