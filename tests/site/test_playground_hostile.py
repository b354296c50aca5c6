"""Class 3 of the second hostile probe, in the browser: formulas the Playground cannot do
quickly (or at all, in Pyodide's smaller stack) are refused at once with one line, and deep
formulas inside the limits are computed; nothing fatal, no console error, one page load."""

from __future__ import annotations

import math

from tests.site.pages import SHARED

REFUSED = [  # (what a hostile user types, words of the one-line refusal)
    ("x+" * 250 + "x", "takes up to 400 characters"),  # 501 characters
    ("x*x+" * 60 + "x", "takes up to 400 characters and 100 operations"),  # 120 operations
    ("(" * 150 + "x" + ")" * 150, "100 operations"),  # nesting 150 deep
    ("-" * 300 + "x", "100 operations"),  # 300 unary minuses
    ("x" + "**x" * 60, "100 operations"),  # a tower of powers, 60 high
    ("tanh(" * 120 + "x" + ")" * 120, "100 operations"),  # functions nested 120 deep
    (" + ".join(f"v{i}" for i in range(25)), "25 variables; the Playground takes up to 20"),
    ("+".join(["x"] * 850), "takes up to 400 characters"),  # the sum that broke Pyodide
]


def _nested_tanh_slope(depth: int, x: float) -> float:
    """d tanh(tanh(...tanh(x))) / dx: the product of 1 − tanh² at each level."""
    slope = 1.0
    for _ in range(depth):
        x = math.tanh(x)
        slope *= 1.0 - x * x
    return slope


ACCEPTED = [  # deep, but inside the limits: computed, d/dx at x = 1 worked out by hand
    ("tanh(" * 12 + "x" + ")" * 12, _nested_tanh_slope(12, 1.0)),  # 12 deep
    ("-" * 25 + "x", -1.0),  # d(-(-(...x)))/dx, 25 minuses: -1
    ("x" + "**x" * 10, 1.0),  # at x = 1, d(x^x^...^x)/dx = 1 (each level adds ln 1 = 0)
]
GRADIENT_OF = "n => parseFloat(document.querySelector(`[data-grad-of='${n}']`)?.dataset.value)"


def test_hostile_formulas_are_refused_in_one_line_and_deep_ones_computed(visit):
    page = visit.open(SHARED)
    formula = page.locator("#formula")
    for text, words in REFUSED:
        formula.fill(text)
        formula.press("Enter")
        page.wait_for_function(
            "w => document.getElementById('error').textContent.includes(w)", arg=words
        )
        message = page.locator("#error").text_content() or ""
        assert "\n" not in message.strip() and len(message) < 300, message
        assert "went wrong" not in message and "Traceback" not in message
        assert page.locator("#results").is_hidden()
    for text, gradient in ACCEPTED:
        formula.fill(text)
        formula.press("Enter")
        page.locator("#results").wait_for()
        page.locator("input[name='x']").fill("1")
        page.locator("input[name='x']").press("Enter")
        page.wait_for_function(
            f"g => Math.abs(({GRADIENT_OF})('x') - g) <= 1e-12 * Math.max(1, Math.abs(g))",
            arg=gradient,
            timeout=120_000,  # every step of the backward pass is laid out by viz-js
        )
        assert page.locator("#error").is_hidden() or not page.locator("#error").text_content()
    # still alive after all of it: an ordinary formula computes (d(w·x)/dw = x = 0.5)
    formula.fill("w * x")
    formula.press("Enter")
    page.locator("input[name='x']").fill("0.5")
    page.locator("input[name='x']").press("Enter")
    page.wait_for_function(f"() => ({GRADIENT_OF})('w') === 0.5")
    # visit.close() asserts no console error and no page error was logged
