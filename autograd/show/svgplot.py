"""A line plot as a small hand-written SVG: E over the steps of gradient descent, no matplotlib."""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from autograd.show.format import format_number

WIDTH, HEIGHT = 640, 400
MARGIN = {"left": 92, "right": 24, "top": 48, "bottom": 56}
TICKS = 5


def line_plot_svg(
    values: Sequence[float], *, title: str, x_label: str = "step", y_label: str = "E"
) -> str:
    """An SVG document plotting ``values[k]`` against k = 0, 1, ..., with labelled axes.

    The y axis spans the values' range (a flat series gets a range of ±1 around it);
    a dot marks each point while there are at most 60.
    """
    if not values or not all(math.isfinite(v) for v in values):
        raise ValueError(f"line_plot_svg: expected finite values, got {list(values)[:5]!r}")
    low, high = min(values), max(values)
    if high == low:
        low, high = low - 1.0, high + 1.0
    last = max(len(values) - 1, 1)
    left, top = MARGIN["left"], MARGIN["top"]
    plot_width = WIDTH - left - MARGIN["right"]
    plot_height = HEIGHT - top - MARGIN["bottom"]

    def x_of(k: float) -> float:
        return left + plot_width * k / last

    def y_of(v: float) -> float:
        return top + plot_height * (high - v) / (high - low)

    points = " ".join(f"{x_of(k):.1f},{y_of(v):.1f}" for k, v in enumerate(values))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="14">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
        f'<text x="{WIDTH / 2}" y="28" text-anchor="middle" font-size="17">{escape(title)}</text>',
        f'<rect x="{left}" y="{top}" width="{plot_width}" height="{plot_height}" '
        'fill="none" stroke="#888"/>',
    ]
    for i in range(TICKS):
        v = low + (high - low) * i / (TICKS - 1)
        y = y_of(v)
        parts.append(f'<line x1="{left - 5}" y1="{y:.1f}" x2="{left}" y2="{y:.1f}" stroke="#888"/>')
        parts.append(
            f'<text x="{left - 8}" y="{y + 5:.1f}" text-anchor="end">{format_number(v)}</text>'
        )
    for k in sorted({round(last * i / (TICKS - 1)) for i in range(TICKS)}):
        x = x_of(k)
        bottom = top + plot_height
        parts.append(
            f'<line x1="{x:.1f}" y1="{bottom}" x2="{x:.1f}" y2="{bottom + 5}" stroke="#888"/>'
        )
        parts.append(f'<text x="{x:.1f}" y="{bottom + 22}" text-anchor="middle">{k}</text>')
    parts += [
        f'<text x="{left + plot_width / 2}" y="{HEIGHT - 12}" text-anchor="middle">'
        f"{escape(x_label)}</text>",
        f'<text x="16" y="{top + plot_height / 2}" text-anchor="middle" '
        f'transform="rotate(-90 16 {top + plot_height / 2})">{escape(y_label)}</text>',
        f'<polyline points="{points}" fill="none" stroke="#2563eb" stroke-width="2"/>',
    ]
    if len(values) <= 60:
        parts += [
            f'<circle cx="{x_of(k):.1f}" cy="{y_of(v):.1f}" r="3" fill="#2563eb"/>'
            for k, v in enumerate(values)
        ]
    parts.append("</svg>\n")
    return "\n".join(parts)
