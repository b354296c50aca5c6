"""The notebooks' exercise checker: "correct", "not yet: <hint>", or "no answer yet"."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeGuard

from chainrule.questions import SIGNIFICANT_FIGURES, check_answer

NO_ANSWER = "no answer yet: put yours in place of None and run the cell again"


def check(
    answer: object,
    expected: object,
    hint: str,
    *,
    alternatives: Iterable[object] = (),
    significant_figures: int = SIGNIFICANT_FIGURES,
) -> None:
    """Print "correct" if ``answer`` matches ``expected`` or one of ``alternatives``,
    ``NO_ANSWER`` if it is still ``None`` (the placeholder the notebooks ship with),
    else "not yet: " and the hint.

    A float matches to ``significant_figures`` significant figures by the quiz's one
    rule (``chainrule.questions.check_answer``: 0.0571 for 0.057094); an int expected
    (a count, a label -1 or 1) only matches exactly; text matches ignoring case,
    surrounding spaces and backticks; True and False match only themselves.
    """
    if answer is None:
        print(NO_ANSWER)
    elif any(
        _matches(answer, accepted, significant_figures) for accepted in (expected, *alternatives)
    ):
        print("correct")
    else:
        print(f"not yet: {hint}")


def _matches(answer: object, expected: object, significant_figures: int) -> bool:
    if isinstance(answer, bool) or isinstance(expected, bool):
        return answer is expected  # 1 == True in Python, but 1 is not a yes/no answer
    if isinstance(expected, int) and _is_number(answer):
        return answer == expected
    if isinstance(expected, float) and _is_number(answer):
        return check_answer(repr(float(answer)), expected, significant_figures).right
    if isinstance(answer, str) and isinstance(expected, str):
        return _text(answer) == _text(expected)
    return answer == expected


def _text(text: str) -> str:
    return text.strip().strip("`").strip().lower()


def _is_number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
