"""The quiz, where the lesson happens: in a terminal (``run_quiz``) and in a notebook (``Quiz``).

Both ask the questions of ``chainrule.questions.graph_questions`` in order and check
each answer with ``check_answer`` (3 significant figures unless changed). A
wrong answer gets the question's hint; an empty answer, or the last of
``TRIES`` wrong ones, reveals the value.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from autograd import Value
from chainrule.questions import (
    SIGNIFICANT_FIGURES,
    Question,
    check_answer,
    graph_questions,
    shown_value,
)

TRIES = 3
QUIT = "q"


@dataclass(frozen=True)
class Score:
    """right: answered right (at any try); first_try: of those, at the first; asked: the
    questions shown; total: the questions there were; quit: whether the student quit."""

    right: int
    first_try: int
    asked: int
    total: int
    quit: bool

    def __str__(self) -> str:
        line = f"score: {self.right}/{self.asked}"
        if self.first_try != self.right:
            line += f" ({self.first_try} at the first try)"
        if self.asked < self.total:
            line += f"; stopped after {self.asked} of {self.total} questions"
        return line


def run_quiz(
    questions: Sequence[Question],
    answers: TextIO,
    out: TextIO,
    *,
    significant_figures: int = SIGNIFICANT_FIGURES,
    interactive: bool = False,
) -> Score:
    """Ask each question on ``out``, read the answers from ``answers``, print and return the score.

    Each question is one line ending in ``= ?``, flushed before the answer is read;
    ``interactive`` (a terminal) keeps the cursor on that line, otherwise (a pipe)
    the line ends there. ``q``, or the end of the input, quits.
    """
    right = first_try = asked = 0
    quit_ = False
    for question in questions:
        outcome = _ask(question, answers, out, significant_figures, interactive)
        if outcome is None:
            quit_ = True
            break
        asked += 1
        right += outcome > 0
        first_try += outcome == 1
    score = Score(right, first_try, asked, len(questions), quit_)
    print(score, file=out, flush=True)
    return score


def _ask(
    question: Question, answers: TextIO, out: TextIO, figures: int, interactive: bool
) -> int | None:
    """One question: the try (1, 2, 3) that got it right, 0 if revealed, None to quit."""
    tries = 0
    while True:
        print(question.prompt, end=" " if interactive else "\n", file=out, flush=True)
        line = answers.readline()
        text = line.strip()
        if not line or text.lower() == QUIT:
            return None
        verdict = check_answer(text, question.expected, figures)
        if verdict.status == "right":
            print(f"  {verdict.message}", file=out)
            return tries + 1
        if verdict.status == "invalid":  # a typo costs no try
            print(
                f"  {verdict.message}; type a number, Enter to see the value, q to quit", file=out
            )
            continue
        tries += 1
        if verdict.status == "empty" or tries == TRIES:
            value = shown_value(question.expected, figures)
            print(f"  the value is {value}: {question.hint}", file=out)
            return 0
        print(f"  {verdict.message} (try {tries} of {TRIES}). Hint: {question.hint}", file=out)


def quiz(root: Value, *, significant_figures: int = SIGNIFICANT_FIGURES, **options: Any) -> Quiz:
    """The quiz of ``root``'s graph for a notebook cell: ``quiz(example.E, lr=0.4)``.

    ``options`` are those of ``graph_questions`` (names, parameters, lr, formulas, ...).
    """
    return Quiz(graph_questions(root, **options), significant_figures)


class Quiz:
    """The quiz in a notebook: one answer box per question, checked as you press Enter.

    Leave it as a cell's last expression. With ipywidgets it is live; without,
    the cell shows the questions as a static list. ``answer`` checks one answer
    as the box does (tests and scripts use it).
    """

    def __init__(
        self, questions: Sequence[Question], significant_figures: int = SIGNIFICANT_FIGURES
    ) -> None:
        self.questions = list(questions)
        self.significant_figures = significant_figures
        self.feedback = {q.quantity: "" for q in self.questions}
        self._widget: Any = None

    def answer(self, quantity: str, text: str) -> str:
        """Check ``text`` as the answer for ``quantity``; the feedback shown beside its box."""
        question = next((q for q in self.questions if q.quantity == quantity), None)
        if question is None:
            raise KeyError(f"Quiz.answer: no question about {quantity!r}")
        verdict = check_answer(text, question.expected, self.significant_figures)
        if verdict.status == "wrong":
            message = f"{verdict.message}. Hint: {question.hint}"
        else:
            message = verdict.message
        self.feedback[quantity] = message
        return message

    def score(self) -> str:
        """``score: N/M`` over the questions answered right so far."""
        right = sum(message.startswith("right") for message in self.feedback.values())
        return f"score: {right}/{len(self.questions)}"

    def widget(self) -> Any:
        """The ipywidgets form (built once): a row per question, feedback, a score line."""
        if self._widget is None:
            import ipywidgets as widgets

            score = widgets.HTML(self.score())
            rows = []
            for question in self.questions:
                box = widgets.Text(
                    placeholder="your answer, then Enter",
                    description=question.prompt,
                    continuous_update=False,
                    style={"description_width": "initial"},
                )
                feedback = widgets.HTML()

                def check(
                    change: dict[str, Any], q: Question = question, f: Any = feedback
                ) -> None:
                    f.value = html.escape(self.answer(q.quantity, change["new"]))
                    score.value = self.score()

                box.observe(check, names="value")
                rows.append(widgets.VBox([box, feedback]))
            self._widget = widgets.VBox([*rows, score])
        return self._widget

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        try:
            bundle: dict[str, Any] = self.widget()._repr_mimebundle_(**kwargs) or {}
        except ImportError:  # ipywidgets is an extra of the notebooks install
            bundle = {}
        bundle["text/plain"] = "\n".join(q.prompt for q in self.questions)
        bundle.setdefault("text/html", self._repr_html_())
        return bundle

    def _repr_html_(self) -> str:
        items = "".join(f"<li>{html.escape(q.prompt)}</li>" for q in self.questions)
        return f"<ol>{items}</ol><p>(install ipywidgets to answer here)</p>"
