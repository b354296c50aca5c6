"""The step-through page's quiz and layout, driven in headless Chromium as a student uses it:
keyboard only, at a projector's 1280×800 and a phone's 390×844."""

from __future__ import annotations

import itertools
import json
import math
import random
import re

import pytest

from autograd import ops
from autograd.expression import parse_expression
from autograd.show.names import node_names
from chainrule.formulas import parameters_by_label
from chainrule.lessons import backprop
from chainrule.mistakes import mistaken_values
from chainrule.questions import Carried, Checker, Verdict, parse_number
from chainrule.stepthrough import step_through, write_html
from tests.leaks import SCAN_DOM, leaks
from tests.worked_example import LR, lesson_answers

SIZES = [(1280, 800), (390, 844)]


@pytest.fixture
def quiz_page(tmp_path):
    example = backprop.worked_example()
    return write_html(
        example.E,
        tmp_path / "steps.html",
        lr=LR,
        formulas=backprop.FACTOR_FORMULAS,
        clusters=example.clusters(),
        parameters=example.parameters().values(),
    )


def layout(page) -> dict[str, float]:
    """What the student sees: the smallest graph text, sideways scrolling, the current node."""
    return page.evaluate(
        """() => {
          const frame = document.querySelector('.frame:not([hidden])');
          const heights = [...frame.querySelectorAll('svg text')]
            .map(text => text.getBoundingClientRect().height);
          const box = frame.querySelector('.drawing').getBoundingClientRect();
          const node = frame.querySelector('.node.current');
          const rect = node ? node.getBoundingClientRect() : box;
          return {
            smallestText: Math.min(...heights),
            scrollWidth: document.documentElement.scrollWidth,
            innerWidth: window.innerWidth,
            nodeInView: rect.left >= box.left - 1 && rect.right <= box.right + 1 ? 1 : 0,
          };
        }"""
    )


def drawn(page, record: str) -> list[str]:
    """The texts of the current frame's record named ``record``: name, data, grad."""
    return page.evaluate(
        """(record) => [...document.querySelectorAll('.frame:not([hidden]) .node')]
             .map(node => [...node.querySelectorAll('text')].map(text => text.textContent))
             .find(texts => texts[0] === record)""",
        record,
    )


def drawn_title(page) -> str:
    """The first line of the current frame's drawing's title."""
    return page.evaluate(
        "document.querySelector('.frame:not([hidden]) .drawing .graph > text').textContent"
    )


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_the_quiz_is_worked_from_the_keyboard_at_both_sizes(quiz_page, browser, width, height):
    answers = lesson_answers()
    page = browser.new_page(viewport={"width": width, "height": height})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(quiz_page.as_uri() + "?quiz=1")

    assert page.locator("#quiz-mode").is_checked()
    quantities = page.locator(".frame:not([hidden]) [data-quantity]")
    assert [quantities.nth(i).get_attribute("data-quantity") for i in range(5)] == [
        "z1",
        "a1",
        "z2",
        "a2",
        "E",
    ]
    assert page.locator("#next").is_disabled()  # a step is reached once the one before is done
    assert drawn(page, "z1")[1] == "data ?"  # the number to work out is hidden
    assert drawn(page, "x")[1] == "data 0.1000"  # the given ones are not

    def focused() -> str:
        return page.evaluate("document.activeElement.dataset.quantity || document.activeElement.id")

    def status(quantity: str) -> tuple[str, str]:
        feedback = page.locator(f'[data-quantity="{quantity}"] + [role="status"]')
        return feedback.get_attribute("data-status"), feedback.inner_text()

    # one wrong answer, then the right one; Enter submits, focus moves on by itself
    assert focused() == "z1"
    page.keyboard.type("0.5")
    page.keyboard.press("Enter")
    verdict, message = status("z1")
    assert verdict == "wrong" and message.startswith("not 0.5 (try 1 of 3). Hint: z1 = ")
    assert focused() == "z1"
    page.keyboard.press("Control+A")
    page.keyboard.type(f"{answers['z1']:.4g}")
    page.keyboard.press("Enter")
    assert status("z1") == ("right", "right: 0.415")
    assert drawn(page, "z1")[1] == "data 0.4150"  # shown once worked out

    # an empty answer reveals the value; it does not score
    assert focused() == "a1"
    page.keyboard.press("Enter")
    assert status("a1") == (
        "empty",
        f"the value is {answers['a1']:.3g}: a1 = σ(z1), with z1 = 0.4150",
    )

    done = {"z1", "a1"}
    seen_node_steps = 0
    while True:
        shown = layout(page)
        assert shown["smallestText"] >= 10.0, shown
        assert shown["scrollWidth"] <= shown["innerWidth"], shown
        seen_node_steps += shown["nodeInView"]
        quantity = focused()
        if quantity == "next":
            page.keyboard.press("Enter")  # the Next button: the following step
            continue
        if quantity in done or quantity not in answers:  # past the last question
            break
        heading = page.locator(".frame:not([hidden]) h2").inner_text()
        if quantity.startswith("new "):  # asked in that parameter's update frame
            assert heading.startswith("Update ") and f": {quantity[4:]} ←" in heading
            assert drawn_title(page).endswith("= ?")  # its new value is hidden
        page.keyboard.type(f"{answers[quantity]:.4g}")
        page.keyboard.press("Enter")
        assert status(quantity)[0] == "right", (quantity, status(quantity))
        done.add(quantity)
    asked = len(done)
    assert done == set(answers) and asked == 17
    assert seen_node_steps >= 9
    assert page.locator("#position").inner_text() == "Summary"  # after 9 steps and 4 updates
    assert page.locator("#score").inner_text() == f"score: {asked - 1}/{asked}"
    assert errors == []
    page.close()


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_without_the_quiz_every_step_is_readable_and_never_scrolls_sideways(
    quiz_page, browser, width, height
):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(quiz_page.as_uri())
    assert not page.locator("#quiz-mode").is_checked()
    assert page.locator(".quiz:visible").count() == 0
    assert not re.search(r"\bv\d+\b", page.locator("main").text_content())  # no machine names
    positions = []
    for step in range(15):
        positions.append(page.locator("#position").inner_text())
        shown = layout(page)
        assert shown["smallestText"] >= 10.0 and shown["scrollWidth"] <= shown["innerWidth"]
        if 0 < step < 14:
            assert shown["nodeInView"] == 1  # the view follows the current step
        page.keyboard.press("ArrowRight")
    assert positions == [
        *(f"Step {k} of 9" for k in range(10)),
        *(f"Update {k} of 4" for k in range(1, 5)),
        "Summary",
    ]
    # the toggle turns the quiz on from the keyboard too
    page.locator("#quiz-mode").focus()
    page.keyboard.press("Space")
    assert page.locator("#position").inner_text() == "Step 0 of 9"  # back to the first question
    assert page.locator(".frame:not([hidden]) [data-quantity]").count() == 5
    page.close()


# The lesson's chain rule, written here from the lecture: each gradient's factors.
LESSON_FACTORS = {"∂E/∂a2": ["(a2 - T)"]}
LESSON_FACTORS["∂E/∂z2"] = LESSON_FACTORS["∂E/∂b2"] = [*LESSON_FACTORS["∂E/∂a2"], "a2*(1 - a2)"]
LESSON_FACTORS["∂E/∂w2"] = [*LESSON_FACTORS["∂E/∂z2"], "a1"]
LESSON_FACTORS["∂E/∂a1"] = [*LESSON_FACTORS["∂E/∂z2"], "w2"]
LESSON_FACTORS["∂E/∂z1"] = LESSON_FACTORS["∂E/∂b1"] = [*LESSON_FACTORS["∂E/∂a1"], "a1*(1 - a1)"]
LESSON_FACTORS["∂E/∂w1"] = [*LESSON_FACTORS["∂E/∂z1"], "x"]
NOT_NUMBERS = ["", "  ", "abc", "1/2", "0,5", "nan", "\u22120.465", "it's 1", "Quit"]
NOT_FORMULAS = ["a2 +* 3", "foo(a2)", "zz*a2", "a2 if T else 1", "log(-a2)", "a2**", "(a2"]


def a_formula(rng: random.Random, quantity: str) -> str:
    """A formula typed for a gradient: right, rewritten, or with one slip."""
    factors = list(LESSON_FACTORS[quantity])
    kind = rng.randrange(8)
    if kind == 1:  # the lecture's sign, in printed notation
        factors[0] = "−(T − a2)"
        return "·".join(factors)
    if kind == 2 and len(factors) > 1:  # a factor forgotten
        del factors[rng.randrange(len(factors))]
    if kind == 3:  # the wrong weight, or a not
        return "*".join(factors).replace("w2", "w1").replace("1 - a2", "a2")
    if kind == 4:  # the sign
        return "-(" + "*".join(factors) + ")"
    if kind == 5:  # a factor too many
        factors.append(rng.choice(["2", "a2", "x", "0.5"]))
    if kind == 6:
        return rng.choice(NOT_FORMULAS)
    if kind == 7:  # sigmoid written out, the order changed
        rng.shuffle(factors)
        return " * ".join(factors).replace("a2*(1 - a2)", "sigmoid(z2)*(1-sigmoid(z2))")
    return "*".join(factors)


def an_answer(rng: random.Random, checker: Checker, quantity: str) -> str:
    """What a student might type for ``quantity``, given the answers recorded so far: the
    value or the one carried forward from them (rounded to 2-5 figures), a catalogued
    mistake worked on them, a near miss, a formula, or not a number."""
    carried, numbers = checker.numbers()
    expected = checker.question(quantity).expected
    choices = [expected, carried.get(quantity, Carried(expected, 0)).value]
    choices += mistaken_values(quantity, numbers).values()
    kind = rng.randrange(10)
    if kind < 5:
        return f"{rng.choice(choices):.{rng.choice([2, 3, 3, 3, 4, 5])}g}"
    if kind == 5:
        return f"{rng.choice(choices) * (1 + rng.gauss(0, 0.01)):.3g}"
    if kind == 6 and quantity in LESSON_FACTORS:
        return a_formula(rng, quantity)
    if kind == 7:
        return rng.choice(NOT_NUMBERS)
    return repr(rng.choice(choices))


def answer_sequences(
    checker: Checker, count: int, seed: int
) -> tuple[list[list[tuple[str, str]]], list[list[Verdict]]]:
    """``count`` students working the quiz in order, each up to a random question: their
    answers to each, until it is finished (right, shown, or a quit word), and the verdicts
    ``checker.answer`` gives them."""
    rng = random.Random(seed)
    quantities = [q.quantity for q in checker.questions]
    sequences, verdicts = [], []
    for _ in range(count):
        checker.restart()
        sequence, given = [], []
        for quantity in quantities[: round(rng.triangular(1, len(quantities), 1))]:
            verdict = None
            while verdict is None or not (verdict.finished or verdict.status == "quit"):
                text = an_answer(rng, checker, quantity)
                verdict = checker.answer(quantity, text)
                sequence.append((quantity, text))
                given.append(verdict)
            if verdict.status == "quit":
                break
        sequences.append(sequence)
        verdicts.append(given)
    return sequences, verdicts


def test_the_page_runs_the_checkers_rule_on_1000_answer_sequences(quiz_page, browser):
    """The page has no Python: checking.js runs the Checker's rule on the data Python wrote.
    On 1,000 seeded students -- earlier answers recorded, some rounded, some mistaken, some
    formulas, some not numbers -- every answer gets the verdict, the mistake's name, the
    message and the end of the question that Checker.answer gives."""
    example = backprop.worked_example()
    checker = Checker(
        example.E,
        lr=LR,
        formulas=backprop.FACTOR_FORMULAS,
        parameters=example.parameters().values(),
    )
    sequences, verdicts = answer_sequences(checker, 1000, seed=19)
    page = browser.new_page()
    page.goto(quiz_page.as_uri())
    in_page = json.loads(
        page.evaluate(
            """(sequences) => JSON.stringify(JSON.parse(sequences).map(window.chainruleRun)
                 .map(run => run.map(v => [v.status, v.mistake, v.finished, v.message])))""",
            json.dumps(sequences),
        )
    )
    page.close()
    disagreements, outcomes = [], []
    for sequence, in_python, in_js in zip(sequences, verdicts, in_page):
        for (_, text), python, js in zip(sequence, in_python, in_js):
            outcomes.append((python.status, python.mistake, text))
            mine = (python.status, python.mistake, python.finished, python.message)
            theirs = tuple(js)
            if python.status == "invalid" and "formula" in python.message:  # the parsers' words
                mine, theirs = mine[:3], theirs[:3]
            if mine != theirs:
                disagreements.append((sequence, text, theirs, mine))
        assert len(in_js) == len(sequence)
    assert disagreements == [], disagreements[:2]
    statuses = {status for status, _, _ in outcomes}
    assert statuses == {"right", "wrong", "empty", "invalid", "quit"}
    named = {mistake for _, mistake, _ in outcomes if mistake}
    assert len(named) >= 8, named  # mistakes named on the student's own numbers
    formulas = [o for o in outcomes if not parse_number(o[2]) and any(c.isalpha() for c in o[2])]
    assert {status for status, _, _ in formulas} >= {"right", "wrong", "invalid"}


def test_the_page_names_a_formulas_mistakes_as_the_checker_does(tmp_path, browser):
    """On a Playground formula the catalogue is recognised from the graph; the page reads the
    same catalogue (traced by offline.py): 150 seeded students, no disagreement, and the
    mistakes of the formula's structure named."""
    formula = "0.5*(T - sigmoid(w2*sigmoid(w1*x+b1)+b2))**2"
    root = parse_expression(
        formula, {"T": 0.25, "w1": 0.15, "x": 0.1, "b1": 0.4, "w2": 0.45, "b2": 0.65}
    )
    root.label = "f"
    parameters = parameters_by_label(root)
    page_file = write_html(root, tmp_path / "f.html", lr=LR, parameters=parameters)
    checker = Checker(root, lr=LR, parameters=parameters)
    sequences, verdicts = answer_sequences(checker, 150, seed=7)
    page = browser.new_page()
    page.goto(page_file.as_uri())
    in_page = page.evaluate(
        """(sequences) => JSON.parse(sequences).map(window.chainruleRun)
             .map(run => run.map(v => [v.status, v.mistake, v.finished, v.message]))""",
        json.dumps(sequences),
    )
    page.close()
    mine = [[[v.status, v.mistake, v.finished, v.message] for v in run] for run in verdicts]
    differ = [
        (js, py)
        for js_run, py_run in zip(in_page, mine)
        for js, py in zip(js_run, py_run)
        # an invalid formula is told in each parser's own words
        if js[:3] != py[:3] or (js[3] != py[3] and not (py[0] == "invalid" and "formula" in py[3]))
    ]
    assert differ == [], differ[:2]
    assert [len(run) for run in in_page] == [len(run) for run in mine]
    named = {v.mistake for run in verdicts for v in run if v.mistake}
    assert named >= {"sign", "half", "derivative-at-z", "input-forgotten", "upstream-left-out"}


def test_the_pages_op_table_is_the_engines(quiz_page, browser):
    """checking.js has one forward and derivative pair per op table row: each agrees with
    the row on a grid of inputs, and refuses what the row refuses."""
    cases = []
    for row in ops.ROWS:
        argument = row.default if row.argument == "slope" else 2.0 if row.argument else None
        arity = 5 if row.arity == ops.ANY else row.arity
        for inputs in itertools.product([-1.5, -0.25, 0.0, 0.75, 2.0], repeat=min(arity, 2)):
            inputs = (list(inputs) * 3)[:arity]
            bound = ops.ROWS_BY_NAME["sigmoid"] if row.arity == ops.ANY else argument
            try:
                out = (
                    row.forward(*inputs)
                    if bound is None or row.arity == ops.ANY
                    else (row.forward(*inputs, bound))
                )
                if row.arity == ops.ANY:  # a fused neuron: its sum, then the activation
                    z, out = out, bound.forward(out)
                    slope = bound.derivatives(out, z)[0]
                    grads = [d * slope for d in row.derivatives(z, *inputs)]
                else:
                    extra = () if bound is None else (bound,)
                    grads = list(row.derivatives(out, *inputs, *extra))
                expected = [out, grads]
            except (ValueError, ZeroDivisionError, OverflowError):
                expected = None
            shown = bound.name if isinstance(bound, ops.Op) else bound
            cases.append(([row.name, shown, inputs], expected))
    page = browser.new_page()
    page.goto(quiz_page.as_uri())
    in_page = page.evaluate(
        """(cases) => cases.map(([row, argument, inputs]) => {
             try { return window.chainruleChecking.apply(row, argument, inputs); }
             catch (error) { return null; } })""",
        [case for case, _ in cases],
    )
    page.close()
    assert {row.name for row in ops.ROWS} == {case[0] for case, _ in cases}
    for (case, expected), js in zip(cases, in_page):
        if expected is None:
            assert js is None, case
            continue
        assert js is not None, case
        assert math.isclose(js[0], expected[0], rel_tol=1e-12, abs_tol=1e-15), case
        assert all(
            math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-15) for a, b in zip(js[1], expected[1])
        ), case


def test_quit_ends_the_pages_quiz_with_the_score_so_far(quiz_page, browser):
    page = browser.new_page()
    page.goto(quiz_page.as_uri() + "?quiz=1")
    page.keyboard.type("0.415")
    page.keyboard.press("Enter")
    page.keyboard.type("quit")
    page.keyboard.press("Enter")
    assert page.locator("#score").inner_text() == "quiz ended; score: 1/17"
    page.close()


def test_step_through_shows_inline_as_wide_as_a_notebook_cell(tmp_path, browser):
    example = backprop.worked_example()
    shown = step_through(
        example.E,
        lr=LR,
        quiz=True,
        clusters=example.clusters(),
        parameters=example.parameters().values(),
    )
    cell = shown._repr_html_()
    assert cell.startswith('<iframe srcdoc="') and "width:100%" in cell
    page = browser.new_page(viewport={"width": 900, "height": 900})
    page.set_content(f'<div style="width: 700px">{cell}</div>')
    frame = page.frame_locator("iframe")
    assert frame.locator("#quiz-mode").is_checked()  # quiz=True opens in quiz mode
    assert frame.locator('[data-quantity="z1"]').count() == 1
    inner = page.frames[1].evaluate("[document.documentElement.scrollWidth, innerWidth]")
    assert inner[0] <= inner[1] <= 700  # as wide as the cell, no sideways scrolling
    page.close()
    # saved, it is the same page; saving again replaces it whole and leaves nothing behind
    path = shown.save(tmp_path / "out" / "steps.html")
    assert path.read_text(encoding="utf-8") == shown.html
    assert shown.save(path) == path and sorted(p.name for p in path.parent.iterdir()) == [
        "steps.html"
    ]


def test_quiz_mode_shows_no_pending_answer_anywhere_on_the_page(quiz_page, browser):
    """At every question of the worked example, no text, drawing (edge labels and unnamed
    nodes included), table, title or attribute of the page shows a pending answer to 3
    or more significant figures; after all, the numbers are back. With "Ask the order",
    each step first asks for the next node: a node is right when every node using it is
    done. The student here tries the choices in turn; the right picks form a reverse
    topological order of the graph (checked on its edges), and the step's own caption and
    drawing, which name the node, wait."""
    answers = lesson_answers()
    example = backprop.worked_example()
    users: dict[str, set[str]] = {}
    stack, seen = [example.E], set()
    while stack:  # who uses whom, by the names the page shows, from the graph's own edges
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        for child in node.inputs:
            users.setdefault(child, set()).add(node)
            stack.append(child)
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(quiz_page.as_uri() + "?quiz=1&order=1")
    assert page.locator(".rules").inner_text().startswith("An answer is right when")
    picked, wrong_told, pending = [], 0, dict(answers)
    while pending:
        quantity = page.evaluate(
            "document.activeElement.dataset.quantity || document.activeElement.id"
        )
        if quantity == "next":
            page.keyboard.press("Enter")
            continue
        # an answer given stays shown, even where a later one equals it (∂E/∂b2 = ∂E/∂z2 · 1)
        answered = [answers[q] for q in answers if q not in pending]
        hidden = {q: v for q, v in pending.items() if not any(math.isclose(v, a) for a in answered)}
        assert leaks(page.evaluate(SCAN_DOM), hidden) == [], quantity
        if quantity != "next node":
            page.keyboard.type(f"{answers[quantity]:.4g}")
            page.keyboard.press("Enter")
            del pending[quantity]
            continue
        frame = page.locator(".frame:not([hidden])")
        assert frame.locator(":scope > .caption").is_hidden()  # it names the node
        assert frame.locator(":scope > .drawing").is_hidden()
        tried = page.evaluate(
            """() => {  // the choices in turn, each as the keyboard picks it, to the right one
              const order = document.querySelector('.frame:not([hidden]) .order');
              const choice = order.querySelector('select');
              const status = order.querySelector('[role=status]');
              const told = [];
              for (const option of [...choice.options]) {
                choice.value = option.value;
                choice.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true}));
                told.push([option.value, status.dataset.status, status.textContent]);
                if (status.dataset.status === 'right') break;
              }
              return told;
            }"""
        )
        assert tried[-1][1] == "right"
        picked.append(tried[-1][0])
        wrong_told += sum(text.startswith(f"not {name}: it ") for name, _, text in tried[:-1])
    by_name = {name: node for node, name in node_names(example.E).items()}
    named = [by_name[name] for name in picked]
    assert picked[0] == "E" and len(picked) == 9 and len(set(picked)) == 9
    for position, node in enumerate(named):  # every user of a picked node was picked before
        assert all(user in named[:position] for user in users.get(node, ())), picked
    assert wrong_told > 9
    assert page.locator("#score").inner_text() == "score: 17/17"
    assert "0.4272" in page.evaluate(SCAN_DOM)  # new w2, shown once worked out
    assert errors == []
    page.close()
