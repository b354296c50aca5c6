"""Text for people: numbers, aligned text tables, and Markdown/LaTeX-safe text.

One place for how chainrule writes numbers and tables, shared by the step
tables, explanations, drawings' captions, the CLI and the lessons.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


def format_number(x: float) -> str:
    """A number for people: 4 decimals, but 4 significant digits below 0.1 (0.05709, 0.001039)."""
    magnitude = abs(x)
    if magnitude == 0.0 or magnitude >= 0.1:
        return f"{x:.4f}"
    if magnitude < 1e-6:
        return f"{x:.3e}"
    return f"{x:.{3 - math.floor(math.log10(magnitude))}f}"


def text_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], numeric_columns: Iterable[int] = ()
) -> str:
    """An aligned plain-text table: a header line, a rule, then the rows.

    Columns are as wide as their widest cell; ``numeric_columns`` (indices)
    are right-aligned so that the decimal points line up, the rest left-aligned.
    """
    numeric = set(numeric_columns)
    widths = [max(len(row[c]) for row in [headers, *rows]) for c in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            cell.rjust(width) if c in numeric else cell.ljust(width)
            for c, (cell, width) in enumerate(zip(cells, widths))
        ).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(headers), rule, *(line(row) for row in rows)])


def markdown_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], numeric_columns: Iterable[int] = ()
) -> str:
    """A Markdown table, ``numeric_columns`` right-aligned; cells go in as given (escape
    text with ``markdown_text``)."""
    numeric = set(numeric_columns)
    alignment = "".join("---:|" if c in numeric else ":---|" for c in range(len(headers)))
    return "\n".join(
        ["| " + " | ".join(headers) + " |", "|" + alignment]
        + ["| " + " | ".join(row) + " |" for row in rows]
    )


@dataclass(frozen=True)
class Table:
    """Rows under headers: a Markdown table in a notebook, ``text_table`` in a terminal.

    Floats are written with ``float_format`` (".4f": 4 decimals; ".2e": scientific);
    columns holding only numbers are right-aligned.
    """

    headers: Sequence[str]
    rows: Sequence[Sequence[object]]
    float_format: str = ".4f"

    def cells(self) -> list[list[str]]:
        """Every cell as text."""
        return [[self._format(cell) for cell in row] for row in self.rows]

    def numeric_columns(self) -> set[int]:
        """The columns whose every cell is an int or float (never a bool)."""
        return {c for c in range(len(self.headers)) if all(_is_number(row[c]) for row in self.rows)}

    def _format(self, cell: object) -> str:
        return format(cell, self.float_format) if isinstance(cell, float) else str(cell)

    def _repr_markdown_(self) -> str:
        return markdown_table(
            [markdown_text(header) for header in self.headers],
            [[markdown_text(cell) for cell in row] for row in self.cells()],
            self.numeric_columns(),
        )

    def __str__(self) -> str:
        return text_table(self.headers, self.cells(), self.numeric_columns())


def _is_number(cell: object) -> bool:
    return isinstance(cell, (int, float)) and not isinstance(cell, bool)


def as_factor(formula: str) -> str:
    """``formula`` as one factor of a product, right as written: in parentheses when it
    has a sum, a difference, a quotient or a condition outside any parentheses, or
    starts with a minus (``1 − a2²`` -> ``(1 − a2²)``; ``(a2 − T)``, ``a1`` unchanged)."""
    depth = 0
    for i, char in enumerate(formula):
        depth += {"(": 1, ")": -1}.get(char, 0)
        quotient = char == "/" and not formula.startswith("/∂", i)  # ∂E/∂a2 is a symbol
        if depth == 0 and (char in "+−-," or quotient or formula.startswith(" if ", i)):
            return f"({formula})"
    return formula


def as_product(factors: Iterable[str], times: str = " · ") -> str:
    """Formulas multiplied, each ``as_factor`` when there are two or more."""
    factors = list(factors)
    return times.join(map(as_factor, factors)) if len(factors) > 1 else "".join(factors)


def latex_name(name: str) -> str:
    """A node name in LaTeX: "w2" -> "w_{2}", "loss" -> "\\mathrm{loss}", others as text."""
    match = re.fullmatch(r"([A-Za-z])(\d*)", name)
    if match:
        letter, index = match.groups()
        return f"{letter}_{{{index}}}" if index else letter
    if re.fullmatch(r"[A-Za-z]+\d*", name):
        return f"\\mathrm{{{name}}}"
    return f"\\text{{{latex_text(name)}}}"


LATEX_SPECIAL = {
    "\\": "\\textbackslash{}",
    "{": "\\{",
    "}": "\\}",
    "$": "\\$",
    "&": "\\&",
    "#": "\\#",
    "%": "\\%",
    "_": "\\_",
    "^": "\\^{}",
    "~": "\\~{}",
}


def latex_text(text: str) -> str:
    r"""Escape LaTeX's special characters for ``\text{...}``."""
    return "".join(LATEX_SPECIAL.get(char, char) for char in text)


def markdown_text(text: str) -> str:
    """Text safe in a Markdown table cell: HTML escaped, Markdown's markup characters escaped."""
    return re.sub(r"([\\`*_\[\]|#])", r"\\\1", html.escape(text))
