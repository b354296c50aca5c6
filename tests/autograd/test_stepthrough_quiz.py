"""The step-through page's quiz and layout, driven in headless Chromium as a student uses it:
keyboard only, at a projector's 1280×800 and a phone's 390×844."""

from __future__ import annotations

import html
import json
import math
import random
import re

import pytest

from chainrule.lessons import backprop
from chainrule.questions import Checker, parse_number
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


def test_the_pages_check_is_the_checkers_rule_on_1000_answers(quiz_page, browser):
    """The page keeps a JavaScript copy of the rule (it has no Python): on 1,000 answers
    -- near each value, each catalogued mistake, rounded, and not numbers -- it gives the
    verdict, the message and the mistake that Checker.check gives before any answer."""
    example = backprop.worked_example()
    checker = Checker(
        example.E,
        lr=LR,
        formulas=backprop.FACTOR_FORMULAS,
        parameters=example.parameters().values(),
    )
    embedded = json.loads(
        html.unescape(re.search(r'data-questions="([^"]*)"', quiz_page.read_text()).group(1))
    )
    rules = {q["quantity"]: q["rule"] for q in embedded}
    assert rules == {q.quantity: checker.offline_rule(q.quantity) for q in checker.questions}
    rng = random.Random(19)
    cases = []
    while len(cases) < 1000:
        quantity = rng.choice(list(rules))
        rule = rules[quantity]
        value = rng.choice([rule["value"], *(m[0] for m in rule["mistakes"].values())])
        kind = rng.randrange(6)
        if kind == 0:
            text = f"{value:.{rng.randint(1, 5)}g}"
        elif kind == 1:
            text = repr(value * (1 + rng.gauss(0, 0.004)))
        elif kind == 2:
            text = f"{value * (1 + rng.gauss(0, 0.02)):.3g}"
        elif kind == 3:
            text = rng.choice(["", "  ", "abc", "1/2", "0,5", "nan", "\u22120.465", "it's 1"])
        else:
            text = repr(value)
        cases.append((quantity, text))
    page = browser.new_page()
    page.goto(quiz_page.as_uri())
    in_page = page.evaluate(
        """([cases, rules]) => cases.map(([quantity, text]) =>
             window.chainruleCheckAnswer(text, rules[quantity], 3))""",
        [cases, rules],
    )
    page.close()
    disagreements = []
    for (quantity, text), js in zip(cases, in_page):
        python = checker.check(quantity, text)
        formula = quantity.startswith("∂") and text.strip() and parse_number(text) is None
        if formula:  # Python reads it as a formula; the page takes numbers only
            same = js["status"] == "invalid"
        else:
            same = (js["status"], js["message"], js.get("mistake")) == (
                python.status,
                python.message,
                python.mistake,
            )
        if not same:
            disagreements.append((quantity, text, js, python))
    assert disagreements == [], disagreements[:3]
    statuses = {python.status for python in map(lambda c: checker.check(*c), cases)}
    assert statuses == {"right", "wrong", "empty", "invalid"}
    assert sum(bool(js.get("mistake")) for js in in_page) > 50  # mistakes named often


def test_quiz_mode_shows_no_pending_answer_anywhere_on_the_page(quiz_page, browser):
    """At every question of the worked example, no text, drawing (edge labels and unnamed
    nodes included), table, title or attribute of the page shows a pending answer to 3
    or more significant figures; after all, the numbers are back."""
    answers = lesson_answers()
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(quiz_page.as_uri() + "?quiz=1")
    assert page.locator(".rules").inner_text().startswith("An answer is right when")
    pending = dict(answers)
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
        page.keyboard.type(f"{answers[quantity]:.4g}")
        page.keyboard.press("Enter")
        del pending[quantity]
    assert page.locator("#score").inner_text() == "score: 17/17"
    assert "0.4272" in page.evaluate(SCAN_DOM)  # new w2, shown once worked out
    page.close()


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
