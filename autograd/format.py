"""Text for people: numbers, aligned text tables, and Markdown/LaTeX-safe text.

One place for how chainrule writes numbers and tables, shared by the step
tables, explanations, drawings' captions, the CLI and the lessons.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Sequence


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
