"""Checking a student's number: one rule for the terminal quiz, the pages and the notebooks.

An answer is right when it agrees with the expected value to ``significant_figures``
significant figures (3 unless changed): it is within half a unit of the last such
figure of the expected value, or it is the expected value correctly rounded to
that many figures. ``0.0571``, ``5.71e-2``, ``.0571``, ``−0.4653`` (a typographic
minus) and ``0,0571`` (a decimal comma) are all read as numbers. An empty answer
is "empty", not "wrong", so a caller can tell "not answered yet" from a mistake.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal

from autograd import checks

SIGNIFICANT_FIGURES = 3

Status = Literal["right", "wrong", "empty", "invalid"]

_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?")


@dataclass(frozen=True)
class Verdict:
    """The outcome of checking one answer.

    status: "right", "wrong", "empty" (nothing typed) or "invalid" (not a number).
    answer: the number read from the text; None when empty or invalid.
    expected: the value it was checked against.
    message: a short sentence for the student.
    """

    status: Status
    answer: float | None
    expected: float
    message: str

    @property
    def right(self) -> bool:
        return self.status == "right"


def parse_number(text: str) -> float | None:
    """The number a student typed, or None if ``text`` is not one (empty, ``nan``, ``1/2``)."""
    cleaned = text.strip().replace("\u2212", "-").replace(" ", "").lower()
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    if not _NUMBER.fullmatch(cleaned):
        return None
    value = float(cleaned)
    return value if math.isfinite(value) else None


def round_significant(value: float, significant_figures: int = SIGNIFICANT_FIGURES) -> float:
    """``value`` rounded to that many significant figures: 0.057094 -> 0.0571 (for 3)."""
    if value == 0.0:
        return 0.0
    return round(value, significant_figures - 1 - math.floor(math.log10(abs(value))))


def agrees(answer: float, expected: float, significant_figures: int = SIGNIFICANT_FIGURES) -> bool:
    """Whether ``answer`` matches ``expected`` to ``significant_figures`` significant figures.

    For expected = 0 the last figure is taken at 10^-significant_figures, so
    0.0004 counts as 0 to 3 figures and 0.002 does not.
    """
    exponent = math.floor(math.log10(abs(expected))) if expected else -1
    half_unit = 0.5 * 10.0 ** (exponent - significant_figures + 1)
    if abs(answer - expected) <= half_unit * (1 + 1e-9):
        return True
    return answer == round_significant(expected, significant_figures)


def check_answer(
    text: str, expected: float, significant_figures: int = SIGNIFICANT_FIGURES
) -> Verdict:
    """Check the text a student typed against ``expected``; see the module docstring."""
    checks.instance(text, "check_answer", "text", str)
    figures = checks.integer(significant_figures, "check_answer", "significant_figures", minimum=1)
    expected = checks.number(expected, "check_answer", "expected")
    shown = f"{round_significant(expected, figures):.{figures}g}"
    if not text.strip():
        return Verdict("empty", None, expected, f"no answer yet; the value is {shown}")
    answer = parse_number(text)
    if answer is None:
        return Verdict("invalid", None, expected, f"{text.strip()!r} is not a number")
    if agrees(answer, expected, figures):
        return Verdict("right", answer, expected, f"right: {shown}")
    return Verdict("wrong", answer, expected, f"not {text.strip()}")
