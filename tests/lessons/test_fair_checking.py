"""The checking rule (chainrule.questions.Checker) with scripted students: error carried
forward, the catalogued mistakes named, the unchanged weight refused."""

from __future__ import annotations

import io
import math

import pytest

from chainrule.lessons import backprop
from chainrule.mistakes import CATALOGUE
from chainrule.network import lesson_checker
from chainrule.questions import Checker
from chainrule.quiz import run_quiz
from tests.leaks import leaks
from tests.scripted_students import MISTAKES, NUMBERS, answers, first_affected


def checker() -> Checker:
    n = NUMBERS
    return lesson_checker(n["x"], n["w1"], n["b1"], n["w2"], n["b2"], n["T"], n["lr"])


def run(student: dict[str, float], check: Checker) -> tuple[int, int]:
    for question in check.questions:
        verdict = check.answer(question.quantity, repr(student[question.quantity]))
        while not verdict.finished:
            verdict = check.answer(question.quantity, repr(student[question.quantity]))
    return check.score()


def test_the_catalogue_has_the_issues_mistakes() -> None:
    assert len(CATALOGUE) >= 12
    assert {m.name for m in CATALOGUE} == set(MISTAKES)


def test_a_perfect_student_scores_full_marks() -> None:
    check = checker()
    assert run(answers(), check) == (17, 17)


def test_a_student_rounding_to_3_figures_and_carrying_forward_scores_full_marks() -> None:
    check = checker()
    student = answers(figures=3)
    assert student["∂E/∂z2"] == pytest.approx(0.0949)  # 0.465 × 0.204, the issue's case
    assert run(student, check) == (17, 17)
    assert check.tries == {}  # every answer right at the first try


@pytest.mark.parametrize("mistake", MISTAKES)
def test_each_mistake_is_named_on_the_first_question_it_affects(mistake: str) -> None:
    check = checker()
    right, wrong = answers(), answers(mistake)
    affected = first_affected(mistake)
    for question in check.questions:
        if question.quantity == affected:
            break
        assert check.answer(question.quantity, repr(right[question.quantity])).right
    verdict = check.answer(affected, repr(wrong[affected]))
    assert verdict.status == "wrong"
    assert verdict.mistake == mistake
    title_hint = next(m for m in CATALOGUE if m.name == mistake).message(affected)
    assert title_hint in verdict.message


def test_the_unchanged_weight_is_refused() -> None:
    check = checker()
    for text in ("0.15", "0.150"):
        verdict = check.check("new w1", text)
        assert (verdict.status, verdict.mistake) == ("wrong", "not-updated")
    assert check.check("new w1", "0.1496").right  # 0.15 − 0.4 · 0.0010214 = 0.149591
    assert check.shown("new w1") == "0.1496"


def test_a_wrong_a1_carried_consistently_costs_one_mark() -> None:
    check = checker()
    w2, b2, T = NUMBERS["w2"], NUMBERS["b2"], NUMBERS["T"]
    a1 = 0.60  # refused: 0.6023 to 3 figures is 0.602
    student = dict(answers(figures=3), a1=a1)
    z2 = round(w2 * a1 + b2, 3)
    a2 = round(1 / (1 + math.exp(-z2)), 3)
    student.update(z2=z2, a2=a2, E=round(0.5 * (T - a2) ** 2, 4))
    assert abs(z2 - 0.921029) > 0.0005  # wrong against the true z2 at 3 figures
    assert run(student, check) == (16, 17)
    assert [q for q, scored in check.scored.items() if not scored] == ["a1"]


def test_the_key_lists_each_question_its_value_and_mistakes() -> None:
    key = {entry.quantity: entry for entry in checker().key()}
    assert key["∂E/∂a2"].value == pytest.approx(0.465252, abs=1e-6)
    assert key["∂E/∂a2"].mistakes["sign"] == pytest.approx(-0.465252, abs=1e-6)
    assert key["new w1"].mistakes["not-updated"] == 0.15
    named = {name for entry in key.values() for name in entry.mistakes}
    assert named == set(MISTAKES)


def terminal(lines: list[str]) -> list[str]:
    """The terminal quiz (run_quiz) of the worked example with ``lines`` typed."""
    out = io.StringIO()
    run_quiz(checker(), io.StringIO("".join(f"{line}\n" for line in lines)), out)
    return out.getvalue().splitlines()


def test_in_the_terminal_and_the_notebook_the_scripted_students_score() -> None:
    order = [q.quantity for q in checker().questions]
    for student in (answers(), answers(figures=3)):
        assert terminal([repr(student[q]) for q in order])[-1] == "score: 17/17"
        notebook = backprop.worked_example().quiz()
        for quantity in order:
            assert notebook.answer(quantity, repr(student[quantity])).startswith("right")
        assert notebook.score() == "score: 17/17"


@pytest.mark.parametrize("mistake", MISTAKES)
def test_in_the_terminal_the_mistake_is_named(mistake: str) -> None:
    order = [q.quantity for q in checker().questions]
    right, wrong = answers(), answers(mistake)
    affected = first_affected(mistake)
    lines = [repr(right[q]) for q in order[: order.index(affected)]]
    out = terminal([*lines, repr(wrong[affected]), "quit"])
    hint = next(m for m in CATALOGUE if m.name == mistake).message(affected)
    assert out[-4:-2] == [f"{affected} = ?", f"  not {wrong[affected]!r}: {hint} (try 1 of 3)"]


@pytest.mark.parametrize("word", ["q", "quit", "QUIT", "exit", "stop"])
def test_quit_words_end_the_quiz_everywhere(word: str) -> None:
    assert terminal(["0.415", word])[-1] == "score: 1/1; stopped after 1 of 17 questions"
    notebook = backprop.worked_example().quiz()
    assert notebook.answer("z1", "0.415") == "right: 0.415"
    assert notebook.answer("a1", word) == "quiz ended: score: 1/17"
    assert notebook.answer("a1", "0.602") == ""  # ended: nothing more is checked


def test_ctrl_c_in_the_terminal_ends_with_the_score_so_far() -> None:
    class Interrupted(io.StringIO):
        def readline(self, size: int | None = -1) -> str:
            line = super().readline()
            if not line:
                raise KeyboardInterrupt
            return line

    out = io.StringIO()
    score = run_quiz(checker(), Interrupted("0.415\n0.602\n"), out)
    assert score.quit and (score.right, score.asked) == (2, 2)
    assert out.getvalue().splitlines()[-1] == "score: 2/2; stopped after 2 of 17 questions"


def test_the_terminal_shows_no_pending_answer_before_it_is_answered() -> None:
    """The whole terminal session -- rules, given values, prompts, hints after a wrong try
    -- writes no pending answer to 3 figures before the student has given it."""
    student = answers()
    order = [q.quantity for q in checker().questions]
    lines = [text for q in order for text in ("123", repr(student[q]))]
    out = io.StringIO()
    run_quiz(checker(), io.StringIO("".join(f"{line}\n" for line in lines)), out)
    session = out.getvalue()
    for k, quantity in enumerate(order):
        answered_at = session.index(f"{quantity} = ?\n  right")  # its second prompt, answered
        before = session[:answered_at]
        given = [student[q] for q in order[:k]]
        pending = {
            q: student[q]
            for q in order[k:]
            if not any(math.isclose(student[q], value) for value in given)
        }
        needed = {"new w1": 4}  # 0.150 cannot be told from the old w1, 0.15: 0.1496
        assert leaks(before, pending, needed) == [], quantity
