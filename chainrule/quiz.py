"""The quiz, where the lesson happens: in a terminal (``run_quiz``) and in a notebook (``Quiz``).

Both ask the questions of a ``chainrule.questions.Checker`` in order and leave every
decision to it: the checking (error carried forward, catalogued mistakes named), the
tries, the quit words and the score, stated in one line by ``rules()``.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any, TextIO

from autograd import Value, checks
from chainrule.questions import SIGNIFICANT_FIGURES, Checker, Question, rules


@dataclass(frozen=True)
class Score:
    """right: questions scored (right within the tries); first_try: of those, at the first
    try; asked: the questions shown; total: the questions there were; quit: whether the
    student quit (a quit word, the end of the input, or Ctrl-C)."""

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


def run_quiz(checker: Checker, answers: TextIO, out: TextIO, *, interactive: bool = False) -> Score:
    """Ask each question on ``out``, read the answers from ``answers``, print and return the score.

    Each question is one line ending in ``= ?``, flushed before the answer is read;
    ``interactive`` (a terminal) keeps the cursor on that line, otherwise (a pipe)
    the line ends there. A quit word, the end of the input or Ctrl-C ends the quiz
    with the score so far.
    """
    first_try = asked = 0
    quit_ = False
    try:
        for question in checker.questions:
            outcome = _ask(checker, question, answers, out, interactive)
            if outcome is None:
                quit_ = True
                break
            asked += 1
            first_try += outcome == 1
    except KeyboardInterrupt:
        print(file=out)
        quit_ = True
    right = sum(checker.scored.values())
    score = Score(right, first_try, asked, len(checker.questions), quit_)
    print(score, file=out, flush=True)
    return score


def _ask(
    checker: Checker, question: Question, answers: TextIO, out: TextIO, interactive: bool
) -> int | None:
    """One question: the try (1, 2, 3) that got it right, 0 if its value was shown, None to
    quit."""
    while True:
        print(question.prompt, end=" " if interactive else "\n", file=out, flush=True)
        line = answers.readline()
        if not line:
            return None
        verdict = checker.answer(question.quantity, line.strip())
        if verdict.status == "quit":
            return None
        print(f"  {verdict.message}", file=out)
        if verdict.finished:
            return checker.tries.get(question.quantity, 0) + 1 if verdict.right else 0


def quiz(root: Value, *, significant_figures: int = SIGNIFICANT_FIGURES, **options: Any) -> Quiz:
    """The quiz of ``root``'s graph for a notebook cell:
    ``quiz(example.E, lr=0.4, parameters=example.parameters().values())``.

    ``options`` are those of ``graph_questions`` (names, parameters, lr, formulas, ...).
    """
    checks.instance(root, "quiz", "root", Value)
    return Quiz(Checker(root, significant_figures=significant_figures, **options))


class Quiz:
    """The quiz in a notebook: one answer box per question, checked as you press Enter.

    Leave it as a cell's last expression. With ipywidgets it is live; without,
    the cell shows the questions as a static list. ``answer`` checks one answer
    as the box does (tests and scripts use it).
    """

    def __init__(self, checker: Checker) -> None:
        self.checker = checker
        self.questions = checker.questions
        self.feedback = {q.quantity: "" for q in self.questions}
        self.ended = False
        self._widget: Any = None

    def answer(self, quantity: str, text: str) -> str:
        """Check ``text`` as the answer for ``quantity``; the feedback shown beside its box.
        A quit word ends the quiz: every box is then closed and the score is final."""
        if self.ended:
            return self.feedback[self.checker.question(quantity).quantity]
        verdict = self.checker.answer(quantity, text)
        if verdict.status == "quit":
            self.ended = True
            return f"quiz ended: {self.score()}"
        self.feedback[quantity] = verdict.message
        return verdict.message

    def score(self) -> str:
        """``score: N/M`` over the questions scored so far (right within the tries)."""
        return f"score: {self.checker.score()[0]}/{len(self.questions)}"

    def rules(self) -> str:
        """The checking and scoring rules in one line (the same everywhere)."""
        return rules(self.checker.significant_figures)

    def widget(self) -> Any:
        """The ipywidgets form (built once): a row per question, feedback, a score line."""
        if self._widget is None:
            import ipywidgets as widgets

            score = widgets.HTML(self.score())
            rows: list[Any] = [widgets.HTML(html.escape(self.rules()))]
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
                    if self.ended:
                        for row in rows[1:]:
                            row.children[0].disabled = True

                box.observe(check, names="value")
                rows.append(widgets.VBox([box, feedback]))
            self._widget = widgets.VBox([*rows, score])
        return self._widget

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        try:
            bundle: dict[str, Any] = self.widget()._repr_mimebundle_(**kwargs) or {}
        except ImportError:  # ipywidgets is an extra of the notebooks install
            bundle = {}
        bundle["text/plain"] = "\n".join([*(q.prompt for q in self.questions), self.rules()])
        bundle.setdefault("text/html", self._repr_html_())
        return bundle

    def _repr_html_(self) -> str:
        items = "".join(f"<li>{html.escape(q.prompt)}</li>" for q in self.questions)
        rules_line = html.escape(self.rules())
        return f"<ol>{items}</ol><p>{rules_line}</p><p>(install ipywidgets to answer here)</p>"
