"""The notebooks' exercise checker: prints "correct" or "not yet: <hint>"."""

from __future__ import annotations

import math
from typing import TypeGuard


def check(answer: object, expected: object, hint: str, *, tolerance: float = 1e-3) -> None:
    """Print "correct" if ``answer`` matches ``expected``, else "not yet: " and the hint.

    Numbers match when they agree to ``tolerance`` relative to ``expected``
    (1e-3: about four significant digits), or absolutely when ``expected`` is 0;
    text matches ignoring case and surrounding spaces; True
    and False match only themselves; other values match when equal. ``None``,
    the placeholder of an unanswered exercise, never matches, so a notebook
    runs top to bottom as shipped.
    """
    print("correct" if _matches(answer, expected, tolerance) else f"not yet: {hint}")


def _matches(answer: object, expected: object, tolerance: float) -> bool:
    if answer is None:
        return False
    if isinstance(answer, bool) or isinstance(expected, bool):
        return answer is expected  # 1 == True in Python, but 1 is not a yes/no answer
    if _is_number(answer) and _is_number(expected):
        return math.isclose(
            answer, expected, rel_tol=tolerance, abs_tol=tolerance if expected == 0 else 0.0
        )
    if isinstance(answer, str) and isinstance(expected, str):
        return answer.strip().lower() == expected.strip().lower()
    return answer == expected


def _is_number(value: object) -> TypeGuard[float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
