"""The notebook quiz: the same questions and checking as the terminal, in answer boxes."""

import ipywidgets
import pytest

from chainrule.lessons import backprop
from chainrule.questions import Checker
from chainrule.quiz import Quiz
from tests.worked_example import lesson_answers


def boxes(widget):
    """The quiz's answer boxes and their feedback, in order."""
    rows = [child for child in widget.children if isinstance(child, ipywidgets.VBox)]
    return [(row.children[0], row.children[1]) for row in rows]


def test_the_lessons_quiz_asks_the_lessons_numbers():
    quiz = backprop.worked_example().quiz()
    answers = lesson_answers()
    assert [q.quantity for q in quiz.questions] == list(answers)
    assert [q.expected for q in quiz.questions] == pytest.approx(list(answers.values()), rel=1e-12)
    assert quiz.questions[0].hint == "z1 = w1·x + b1, with w1 = 0.1500, x = 0.1000, b1 = 0.4000"


def test_answers_in_the_boxes_are_checked():
    quiz = backprop.worked_example().quiz()
    widget = quiz.widget()
    rows = boxes(widget)
    assert [box.description for box, _ in rows] == [q.prompt for q in quiz.questions]
    score = widget.children[-1]
    assert score.value == "score: 0/17"
    (z1_box, z1_feedback), (a1_box, a1_feedback) = rows[:2]
    z1_box.value = "4.15e-1"
    assert z1_feedback.value == "right: 0.415"
    a1_box.value = "0.5"
    assert a1_feedback.value == "not 0.5 (try 1 of 3). Hint: a1 = σ(z1), with z1 = 0.4150"
    a1_box.value = ""
    assert a1_feedback.value == "the value is 0.602: a1 = σ(z1), with z1 = 0.4150"
    assert score.value == "score: 1/17"
    assert quiz.answer("∂E/∂w2", "0.0571") == "right: 0.0571"
    assert quiz.score() == "score: 2/17"


def test_a_cell_shows_the_widget_and_a_text_fallback():
    example = backprop.worked_example()
    quiz = Quiz(Checker(example.a1, parameters=[]))  # z1, a1, ∂a1/∂z1
    bundle = quiz._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"].splitlines()[:2] == ["z1 = ?", "a1 = ?"]
    assert bundle["text/plain"].splitlines()[-1].startswith("An answer is right when")
    assert quiz._repr_html_().startswith("<ol><li>z1 = ?</li>")
