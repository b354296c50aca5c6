"""A class on the built site, in real Chromium with every other address blocked: a variant
from the URL gives the same bytes as the command and the notebook, the student's sheet
survives a reload, a hand-in is a file and a code, and the dashboard regrades 30 hand-ins
with known mistakes to the counts of the ground truth and of `chainrule grade`."""

import csv
import json
import subprocess
import sys
from urllib.parse import quote

import pytest

from chainrule.lessons.backprop import worked_example
from tests.classroom import (
    NETWORK_GIVENS,
    ROSTER,
    XS,
    hand_in_file,
    plain_answers,
    sign_carried_forward,
)
from tests.site.pages import READY_MS, SCREENSHOTS, SIZES, Visit, no_sideways_scrolling
from tests.worked_example import lesson_answers

ADA = "worked.html?student=Ada%20Okafor&assignment=hw2"
STORAGE_KEY = "chainrule:sheet:v1:hw2\nAda Okafor"


def in_page(page, name, **arguments):
    """A request to chainrule in the page's own Pyodide worker."""
    return page.evaluate(
        "async ([name, args]) => (await import('./assets/app.js')).ask(name, args)",
        [name, arguments],
    )


def command_json(*options):
    return subprocess.run(
        [sys.executable, "-m", "chainrule.cli", "backprop", *options, "--json"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


@pytest.mark.parametrize("seed", [0, 987654321, 2**53 - 1])
def test_one_seed_gives_the_same_bytes_in_pyodide_the_command_and_the_notebook(visit, seed):
    page = visit.open(f"worked.html?seed={seed}")
    pyodide = in_page(page, "variant", seed=str(seed))["json"]
    assert pyodide + "\n" == command_json("--seed", str(seed))
    assert pyodide == worked_example(seed=seed).variant.json()
    given = json.loads(pyodide)["given"]
    fields = {
        box.get_attribute("name"): box.input_value() for box in page.locator("#fields input").all()
    }
    assert float(fields["w1"]) == given["w1"] and float(fields["T"]) == given["target"]
    assert float(fields["lr"]) == given["lr"]


def test_a_students_link_opens_their_variant(visit):
    page = visit.open(ADA)
    pyodide = in_page(page, "variant", student="Ada Okafor", assignment="hw2")["json"]
    assert pyodide + "\n" == command_json("--student", "Ada Okafor", "--assignment", "hw2")
    assert "Ada Okafor" in page.locator("#variant").inner_text()
    assert page.locator("[data-solution-panel]:visible").count() == 0  # nothing gives it away


def test_the_sheet_survives_a_reload_and_can_be_forgotten(visit):
    page = visit.open(ADA)
    given = json.loads(in_page(page, "variant", student="Ada Okafor", assignment="hw2")["json"])
    expected = plain_answers(given["given"])
    page.locator("[data-quantity='z1']").fill(f"{expected['z1']:.4g}")
    page.locator("[data-quantity='z1']").press("Tab")
    page.locator("[data-quantity='a1']").fill("0.123")
    page.locator("[data-quantity='a1']").press("Tab")
    a1_status = page.locator("[data-quantity='a1'] ~ [role=status]")
    page.wait_for_function(
        "document.querySelector(\"[data-quantity='a1'] ~ [role=status]\").dataset.status"
        " === 'wrong'"
    )
    assert page.locator("[data-sheet-score]").inner_text() == "score: 1/28"
    page.locator("[data-quantity='a1'] ~ button").click()  # a hint
    stored = json.loads(page.evaluate("key => localStorage.getItem(key)", STORAGE_KEY))
    assert stored["answers"] == {"z1": f"{expected['z1']:.4g}", "a1": "0.123"}
    assert stored["tries"] == {"z1": 1, "a1": 1} and stored["hints"] == {"a1": 1}
    assert stored["verdicts"]["z1"] == "right" and stored["verdicts"]["a1"] == "wrong"

    page.reload()
    page.wait_for_selector("body[data-ready]", timeout=READY_MS)
    page.wait_for_function(
        "document.querySelector('[data-sheet-score]').textContent === 'score: 1/28'"
    )
    assert page.locator("[data-quantity='z1']").input_value() == f"{expected['z1']:.4g}"
    assert page.locator("[data-quantity='a1']").input_value() == "0.123"
    assert a1_status.get_attribute("data-status") == "wrong"
    assert page.locator("[data-quantity='a1'] ~ .help").is_visible()  # the hint used

    page.get_by_role("button", name="Forget my answers").click()
    page.wait_for_function(
        "document.querySelector('[data-sheet-score]').textContent === 'score: 0/28'"
    )
    assert page.evaluate("key => localStorage.getItem(key)", STORAGE_KEY) is None
    page.reload()
    page.wait_for_selector("body[data-ready]", timeout=READY_MS)
    assert page.locator("[data-quantity='z1']").input_value() == ""


def test_hand_in_gives_a_file_and_a_code_that_chainrule_grade_marks(visit, tmp_path):
    page = visit.open(ADA)
    given = json.loads(in_page(page, "variant", student="Ada Okafor", assignment="hw2")["json"])
    expected = plain_answers(given["given"])
    for name in ("z1", "a1", "z2"):
        page.locator(f"[data-quantity='{name}']").fill(f"{expected[name]:.4g}")
        page.locator(f"[data-quantity='{name}']").press("Tab")
    page.wait_for_function(
        "document.querySelector('[data-sheet-score]').textContent === 'score: 3/28'"
    )
    with page.expect_download() as download:
        page.get_by_role("button", name="Hand in").click()
    saved = tmp_path / "ada.json"
    download.value.save_as(saved)
    assert saved.stat().st_size < 2000
    code = page.locator("[data-hand-in-code]").input_value()
    assert code.startswith("chainrule1:") and len(code) < 400
    (tmp_path / "ada-code.txt").write_text(code, encoding="utf-8")
    for handed in (saved, tmp_path / "ada-code.txt"):
        graded = subprocess.run(
            [sys.executable, "-m", "chainrule.cli", "grade", str(handed)],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        assert graded.splitlines()[2].split()[:3] == ["Ada", "Okafor", "3/28"]


def test_a_seed_link_hands_in_and_the_dashboard_and_chainrule_grade_regrade_it(visit, tmp_path):
    page = visit.open("worked.html?seed=987654321&assignment=hw2")
    given = json.loads(in_page(page, "variant", seed="987654321", assignment="hw2")["json"])
    expected = plain_answers(given["given"])
    typed = {"z1": f"{expected['z1']:.4g}", "a1": f"{expected['a1']:.4g}"}
    typed["∂E/∂a2"] = f"{given['given']['target'] - expected['a2']:.4g}"  # the sign mistake
    for name, text in typed.items():
        page.locator(f"[data-quantity='{name}']").fill(text)
        page.locator(f"[data-quantity='{name}']").press("Tab")
    page.wait_for_function(
        "document.querySelector('[data-sheet-score]').textContent === 'score: 2/28'"
    )
    with page.expect_download() as download:
        page.get_by_role("button", name="Hand in").click()
    assert download.value.suggested_filename == "hw2-seed-987654321.json"
    saved = tmp_path / "seed.json"
    download.value.save_as(saved)
    handed = json.loads(saved.read_text(encoding="utf-8"))
    assert (handed["student"], handed["assignment"], handed["seed"]) == (None, "hw2", 987654321)
    handed["verdicts"] = {"∂E/∂a2": "right"}  # a claimed verdict: ignored
    saved.write_text(json.dumps(handed), encoding="utf-8")
    code = tmp_path / "seed-code.txt"
    code.write_text(page.locator("[data-hand-in-code]").input_value(), encoding="utf-8")
    for file in (saved, code):
        graded = subprocess.run(
            [sys.executable, "-m", "chainrule.cli", "grade", str(file)],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        assert graded.splitlines()[2].split()[:3] == ["seed", "987654321", "2/28"]
        assert "1/1 for ∂E/∂a2: the sign of (T − a2)" in graded
    files = [{"name": "seed.json", "text": saved.read_text(encoding="utf-8")}]
    board = in_page(page, "dashboard", files=files)
    assert board["refused"] == []
    assert [(s["student"], s["right"]) for s in board["students"]] == [("seed 987654321", 2)]
    assert board["students"][0]["verdicts"]["∂E/∂a2"] == "wrong"
    assert board["mistakes"][0]["mistake"] == "sign"


def test_the_dashboard_regrades_30_hand_ins_to_the_ground_truth(browser, base_url, tmp_path):
    old_weight = {"new w2": lambda given, answers: given["w2"]}
    files = [
        hand_in_file(tmp_path, name, carried=sign_carried_forward if i < 11 else None,
                     mistakes=old_weight if 11 <= i < 16 else {},
                     verdicts={q: "right" for q in ("∂E/∂a2", "new w2")}, code=i % 4 == 0)
        for i, name in enumerate(ROSTER[:30])
    ]  # fmt: skip
    forged = tmp_path / "forged.json"
    data = json.loads(files[21].read_text(encoding="utf-8"))  # a JSON file, not a code
    data["student"] = "Someone Else"
    forged.write_text(json.dumps(data), encoding="utf-8")
    marks = tmp_path / "marks.csv"
    subprocess.run(
        [sys.executable, "-m", "chainrule.cli", "grade", *map(str, files), "--csv", str(marks)],
        capture_output=True, check=True,
    )  # fmt: skip
    with_csv = list(csv.DictReader(marks.read_text(encoding="utf-8").splitlines()))

    visit = Visit(browser, base_url, SIZES["projector"])
    page = visit.open("dashboard.html")
    page.locator("#files").set_input_files([*map(str, files), str(forged)])
    page.wait_for_selector("body[data-graded='31']", timeout=READY_MS)
    counts = {
        row.get_attribute("data-question"): [
            int(c) for c in row.locator("td").all_inner_texts()[1:]
        ]
        for row in page.locator("#counts tr").all()
    }
    assert len(counts) == 28
    assert counts["∂E/∂a2"] == [19, 11, 0, 0]
    assert counts["new w2"] == [25, 5, 0, 0]
    assert all(c == [30, 0, 0, 0] for q, c in counts.items() if q not in ("∂E/∂a2", "new w2"))
    for question, (right, wrong, empty, invalid) in counts.items():  # the same as the command's
        statuses = [row[question] for row in with_csv]
        assert [statuses.count(s) for s in ("right", "wrong", "empty", "invalid")] == [
            right, wrong, empty, invalid,
        ]  # fmt: skip
    mistakes = page.locator("#mistakes li")
    assert mistakes.count() == 2
    assert mistakes.nth(0).get_attribute("data-mistake") == "sign"
    assert mistakes.nth(0).inner_text().startswith("11/30 for ∂E/∂a2: the sign of (T − a2)")
    assert mistakes.nth(1).get_attribute("data-mistake") == "not-updated"
    assert mistakes.nth(1).get_attribute("data-count") == "5"
    refused = page.locator("#refused li").all_inner_texts()
    assert len(refused) == 1 and refused[0].startswith("forged.json: forged")
    marks_shown = page.locator("#marks tr").all_inner_texts()
    assert len(marks_shown) == 30 and "27/28\t10 min" in marks_shown[0]
    assert page.locator("#heat td[data-status='wrong']").count() == 16
    with page.expect_download() as download:
        page.get_by_role("button", name="Export marks (CSV)").click()
    exported = tmp_path / "exported.csv"
    download.value.save_as(exported)
    assert exported.read_bytes() == marks.read_bytes()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for size, viewport in SIZES.items():
        page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
        no_sideways_scrolling(page)
        page.screenshot(path=str(SCREENSHOTS / f"dashboard_{size}.png"), full_page=True)
    visit.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_the_sheet_page_at_both_sizes(browser, base_url, size):
    visit = Visit(browser, base_url, SIZES[size])
    page = visit.open(ADA)
    page.wait_for_selector("[data-quantity='z1']")
    no_sideways_scrolling(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"worked_variant_{size}.png"), full_page=True)
    assert quote("Ada Okafor") in page.url
    visit.close()


SEED = "987654321"
PLAYGROUND_KEY = f"chainrule:attempts:v1:playground:seed:{SEED}"
LAB_KEY = f"chainrule:attempts:v1:gradient-descent:seed:{SEED}"


def answer_order(page):
    """Pick the node the backward pass takes next: the first choice, then the page's own
    (named in the verdict) when the first is not ready."""
    choice = page.locator("[data-quantity='next node']")
    first = choice.locator("option").first.get_attribute("value")
    choice.select_option(first)
    page.locator("#quiz button").click()
    page.wait_for_function("document.querySelector('#quiz-feedback').textContent !== ''")
    message = page.locator("#quiz-feedback").inner_text()
    if not message.startswith("right"):
        page.locator("[data-quantity='next node']").select_option(
            message.split("this page takes ")[1].removesuffix(" next")
        )
        page.locator("#quiz button").click()
        page.wait_for_function(
            "document.querySelector('#quiz-feedback').textContent.startsWith('right')"
        )


def quiz_answer(page, quantity, text):
    """Go forward to ``quantity``'s question and answer ``text``."""
    go_to(page, quantity)
    page.locator("#quiz-feedback").evaluate("node => (node.textContent = '')")
    page.locator(f"[data-quantity='{quantity}']").fill(text)
    page.locator(f"[data-quantity='{quantity}']").press("Enter")
    page.wait_for_function("document.querySelector('#quiz-feedback').textContent !== ''")


def go_to(page, quantity):
    """Go forward to ``quantity``'s question, answering the order questions on the way."""
    while not page.locator(f"[data-quantity='{quantity}']").count():
        if page.locator("[data-quantity='next node']").count():
            page.locator("#quiz-feedback").evaluate("node => (node.textContent = '')")
            answer_order(page)
            continue
        index = int(page.locator("#slider").input_value())
        page.locator("#next").click()
        page.wait_for_function(f"document.querySelector('#slider').value === '{index + 1}'")


def test_the_playground_quiz_opens_a_variant_and_keeps_its_answers_over_a_reload(visit):
    page = visit.open(f"playground.html?seed={SEED}")
    given = in_page(page, "variant", seed=SEED)["given"]
    assert f"seed {SEED}" in page.locator("[data-variant]").inner_text()
    boxes = page.locator("#variables input").all()
    shown = {box.get_attribute("name"): box.input_value() for box in boxes}
    assert {name: float(text) for name, text in shown.items()} == {
        "x": given["x"], "w1": given["w1"], "b1": given["b1"], "w2": given["w2"],
        "b2": given["b2"], "T": given["target"],
    }  # fmt: skip
    expected = plain_answers(given)
    t_minus_a2 = given["target"] - expected["a2"]  # ∂f/∂T of f = ½(T − a2)²
    quiz_answer(page, "∂f/∂T", f"{t_minus_a2:.4g}")
    assert page.locator("#quiz-feedback").get_attribute("data-status") == "right"
    quiz_answer(page, "∂f/∂b2", "0.123")
    assert page.locator("#quiz-feedback").get_attribute("data-status") == "wrong"
    stored = json.loads(page.evaluate("key => localStorage.getItem(key)", PLAYGROUND_KEY))
    numbers = [a for a in stored["attempts"] if not a["box"].startswith("order:")]
    assert [(a["box"], a["typed"], a["verdict"]) for a in numbers] == [
        ("∂f/∂T", f"{t_minus_a2:.4g}", "right"), ("∂f/∂b2", "0.123", "wrong"),
    ]  # fmt: skip
    assert all(a["time"] and a["hints"] == 0 for a in stored["attempts"])
    progress = page.locator("[data-progress-score]")
    assert progress.inner_text() == "score: 1/6"
    assert "localStorage" in page.locator("[data-storage-note]").inner_text()

    page.reload()
    page.wait_for_selector("body[data-ready]", timeout=READY_MS)
    assert progress.inner_text() == "score: 1/6"
    assert page.locator("#score").inner_text() == "answered: 1/6"
    assert f"seed={SEED}" in page.url
    go_to(page, "∂f/∂b2")  # the open question: its last answer is there
    assert page.locator("[data-quantity='∂f/∂b2']").input_value() == "0.123"
    page.get_by_role("button", name="Forget my answers").click()
    page.wait_for_function(
        "document.querySelector('[data-progress-score]').textContent === 'score: 0/6'"
    )
    assert page.evaluate("key => localStorage.getItem(key)", PLAYGROUND_KEY) is None


def test_a_lab_opens_a_variant_and_keeps_its_answers_over_a_reload(visit):
    page = visit.open(f"gradient-descent.html?seed={SEED}")
    given = in_page(page, "variant", seed=SEED)["given"]
    assert f"seed {SEED}" in page.locator("[data-variant]").inner_text()
    assert float(page.locator("#w0").input_value()) == given["w0"]
    assert float(page.locator("#alpha").input_value()) == given["alpha"]
    zs = [float(z) for z in page.locator("#zs").input_value().split(",")]
    assert zs == pytest.approx([given["k"] * x for x in XS], rel=1e-12)
    threshold = 1 / sum(x * x for x in XS)  # alpha* = 1/Σx²
    for box, text in (("divergence", f"{threshold:.3g}"), ("overshoot", "5")):
        page.locator(f"#{box}").fill(text)
        page.locator(f"[data-check='{box}']").click()
        page.wait_for_function(f"document.querySelector('#{box}-feedback').dataset.status")
    progress = page.locator("[data-progress-score]")
    assert progress.inner_text().startswith("score: 1/2")
    stored = json.loads(page.evaluate("key => localStorage.getItem(key)", LAB_KEY))
    assert [(a["box"], a["typed"], a["verdict"]) for a in stored["attempts"]] == [
        ("divergence", f"{threshold:.3g}", "right"), ("overshoot", "5", "wrong"),
    ]  # fmt: skip

    page.reload()
    page.wait_for_selector("body[data-ready]", timeout=READY_MS)
    assert progress.inner_text().startswith("score: 1/2")
    assert page.locator("#divergence").input_value() == f"{threshold:.3g}"
    assert page.locator("#overshoot").input_value() == "5"
    assert page.locator("#divergence-feedback").get_attribute("data-status") == "right"
    assert page.locator("#overshoot-feedback").get_attribute("data-status") == "wrong"
    assert float(page.locator("#w0").input_value()) == given["w0"]
    page.get_by_role("button", name="Forget my answers").click()
    page.wait_for_function(
        "document.querySelector('[data-progress-score]').textContent.startsWith('score: 0/2')"
    )
    assert page.evaluate("key => localStorage.getItem(key)", LAB_KEY) is None
    assert page.locator("#divergence").input_value() == ""


def plain_trained(given, updates):
    """The variant's network after `updates` steps of its lr, in plain floats."""
    numbers = dict(given)
    for _ in range(updates):
        found = lesson_answers(*(numbers[name] for name in NETWORK_GIVENS))
        numbers |= {name: found[f"new {name}"] for name in ("w1", "b1", "w2", "b2")}
    return numbers


def check_box(page, box, text):
    page.locator(f"#{box}").fill(text)
    page.evaluate(f"document.querySelector('#{box}-feedback').dataset.status = ''")
    page.locator(f"[data-check='{box}']").click()
    page.wait_for_function(f"document.querySelector('#{box}-feedback').dataset.status")
    return page.locator(f"#{box}-feedback").get_attribute("data-status")


def test_the_slopes_and_who_learns_labs_work_on_the_variants_numbers(visit):
    page = visit.open(f"slopes.html?seed={SEED}")
    given = in_page(page, "variant", seed=SEED)["given"]
    expected = plain_answers(given)
    assert f"z = {given['k']}·x" in page.locator("[data-variant]").inner_text()
    assert f"w1 = {given['w1']}," in page.locator("#about").inner_text()
    assert check_box(page, "slope", f"{expected['∂E/∂w1']:.4g}") == "right"
    lessons = lesson_answers()  # the course's network: not this student's slope
    assert check_box(page, "slope", f"{lessons['∂E/∂w1']:.4g}") == "wrong"
    page.locator("#parameter").select_option("w")
    page.wait_for_function("!document.querySelector('#cost-panel').hidden")
    assert float(page.locator("#w0").input_value()) == given["w0"]
    assert f"z = {given['k']}·x" in page.locator("#about-J").inner_text()
    assert check_box(page, "slope", f"{expected['dJ/dw(w_0)']:.4g}") == "right"
    j_at_w0 = page.locator("#nudges tr").nth(1).locator("td").nth(2).inner_text()
    assert float(j_at_w0) == pytest.approx(expected["J(w_0)"], rel=1e-9)

    page = visit.open(f"who-learns.html?seed={SEED}")
    assert page.locator("#updates-label").inner_text() == f"Updates (lr = {given['lr']})"
    assert float(page.locator("#x").input_value()) == given["x"]
    page.locator("input[name=moves][value='further than w2']").check()
    page.locator("#train").click()
    page.wait_for_selector("#moved:not([hidden])")
    trained = plain_trained(given, 300)
    for name in ("w1", "b1", "w2", "b2"):
        shown = float(page.locator(f"[data-moved-of='{name}']").inner_text())
        assert shown == pytest.approx(abs(trained[name] - given[name]), rel=5e-3), name


def test_the_activations_lab_keeps_both_boxes_of_the_collapse_over_a_reload(visit):
    page = visit.open("activations.html")
    w1, b1, w2, b2 = 0.5, 1.0, -2.0, 0.25  # the page's pair a2 = w2 (w1 x + b1) + b2
    page.locator("#collapse-b").fill(f"{w2 * b1 + b2:g}")
    assert check_box(page, "collapse-w", f"{w2 * w1:g}") == "right"
    page.reload()
    page.wait_for_selector("body[data-ready]", timeout=READY_MS)
    assert page.locator("#collapse-w").input_value() == f"{w2 * w1:g}"
    assert page.locator("#collapse-b").input_value() == f"{w2 * b1 + b2:g}"
    assert page.locator("#collapse-w-feedback").get_attribute("data-status") == "right"
    assert page.locator("[data-progress-score]").inner_text().startswith("score: 1/")
    page.get_by_role("button", name="Forget my answers").click()
    assert page.locator("#collapse-b").input_value() == ""


def test_a_divergence_variant_shows_its_alpha_and_keeps_its_prediction(visit):
    page = visit.open("gradient-descent.html?seed=1&task=divergence")
    given = in_page(page, "variant", seed="1", task="divergence")["given"]
    assert given["alpha"] > 2.5  # past the slider's own end
    slider = page.locator("#alpha-slider")
    assert float(slider.get_attribute("max")) >= given["alpha"]
    assert float(slider.input_value()) == given["alpha"]
    w1 = plain_answers(given)["w_1"]
    page.locator("input[name=regime][value='diverges']").check()
    page.locator("#w1-guess").fill(f"{w1:.4g}")
    page.locator("#commit").click()
    page.wait_for_function("!document.querySelector('#step').disabled")
    key = "chainrule:attempts:v1:gradient-descent:seed:1\ntask:divergence"
    stored = json.loads(page.evaluate("key => localStorage.getItem(key)", key))
    assert [(a["box"], a["typed"], a["verdict"]) for a in stored["attempts"]] == [
        ("prediction", f"{w1:.4g}", "right")
    ]
    assert stored["attempts"][0]["others"]["predicted-regime"] == "diverges"

    page.reload()
    page.wait_for_selector("body[data-ready]", timeout=READY_MS)
    assert page.locator("input[name=regime][value='diverges']").is_checked()
    assert page.locator("#w1-guess").input_value() == f"{w1:.4g}"
    assert page.locator("#predict").evaluate("fieldset => fieldset.disabled")  # committed
    assert page.locator("#run").is_enabled()
    page.locator("#run").click()
    page.wait_for_selector("#results:not([hidden])")
    assert page.locator("#verdict").get_attribute("data-status") == "right"
    assert len(json.loads(page.evaluate("key => localStorage.getItem(key)", key))["attempts"]) == 1
