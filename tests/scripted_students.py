"""Scripted students of the lesson's quiz, working by hand in plain floats (written here,
independently of chainrule): a perfect one, one per catalogued mistake, one who rounds.

``answers(mistake=None, figures=None)`` maps each quiz question of the worked example
(x = 0.1, w1 = 0.15, b1 = 0.4, w2 = 0.45, b2 = 0.65, T = 0.25, lr = 0.4) to the text
that student types. ``figures`` rounds every number the student writes down (and carries
forward) to that many significant figures; updated parameters are written with one
figure more, as the lecture writes w1 -> 0.1496.
"""

from __future__ import annotations

import math

NUMBERS = {"x": 0.1, "w1": 0.15, "b1": 0.4, "w2": 0.45, "b2": 0.65, "T": 0.25, "lr": 0.4}
MISTAKES = (
    "sign",
    "half",
    "derivative-at-z",
    "derivative-skipped",
    "activation-as-derivative",
    "wrong-weight",
    "input-forgotten",
    "bias-as-weight",
    "update-added",
    "not-updated",
    "lr-left-out",
    "updated-weight-used",
    "upstream-left-out",
)


def round_to(value: float, figures: int | None) -> float:
    if figures is None or value == 0:
        return value
    return round(value, figures - 1 - math.floor(math.log10(abs(value))))


def answers(mistake: str | None = None, figures: int | None = None) -> dict[str, float]:
    """The student's number for every question (default quiz, no local derivatives)."""
    assert mistake is None or mistake in MISTAKES
    r = lambda value: round_to(value, figures)  # noqa: E731
    x, w1, b1, w2, b2, T, lr = (NUMBERS[k] for k in ("x", "w1", "b1", "w2", "b2", "T", "lr"))
    sigma = lambda z: 1 / (1 + math.exp(-z))  # noqa: E731
    got: dict[str, float] = {}
    got["z1"] = z1 = r(w1 * x + b1)
    got["a1"] = a1 = r(sigma(z1))
    got["z2"] = z2 = r(r(w2 * a1) + b2)
    got["a2"] = a2 = r(sigma(z2))
    got["E"] = r((T - a2) ** 2 if mistake == "half" else 0.5 * r(T - a2) ** 2)
    da2 = {"sign": T - a2, "half": 2 * (a2 - T)}.get(mistake or "", a2 - T)
    got["∂E/∂a2"] = da2 = r(da2)

    def activation_factor(z: float, a: float) -> float:
        return {
            "derivative-at-z": r(z * (1 - z)),
            "derivative-skipped": 1.0,
            "activation-as-derivative": a,
        }.get(mistake or "", r(a * (1 - a)))

    def through(upstream: float, local: float) -> float:
        return local if mistake == "upstream-left-out" else r(upstream * local)

    got["∂E/∂z2"] = dz2 = through(da2, activation_factor(z2, a2))
    got["∂E/∂b2"] = db2 = through(dz2, a1 if mistake == "bias-as-weight" else 1.0)
    got["∂E/∂w2"] = dw2 = through(dz2, 1.0 if mistake == "input-forgotten" else a1)
    weight = {"wrong-weight": w1, "updated-weight-used": r(w2 - lr * dw2)}.get(mistake or "", w2)
    got["∂E/∂a1"] = da1 = through(dz2, weight)
    got["∂E/∂z1"] = dz1 = through(da1, activation_factor(z1, a1))
    got["∂E/∂b1"] = db1 = through(dz1, x if mistake == "bias-as-weight" else 1.0)
    got["∂E/∂w1"] = dw1 = through(dz1, 1.0 if mistake == "input-forgotten" else x)
    for name, p, grad in (("b2", b2, db2), ("w2", w2, dw2), ("b1", b1, db1), ("w1", w1, dw1)):
        new = {
            "update-added": p + lr * grad,
            "not-updated": p,
            "lr-left-out": p - grad,
        }.get(mistake or "", p - lr * grad)
        got[f"new {name}"] = round_to(new, None if figures is None else figures + 1)
    return got


def first_affected(mistake: str) -> str:
    """The first question (in quiz order) where the mistake changes the student's number."""
    right, wrong = answers(), answers(mistake)
    return next(q for q in right if not math.isclose(right[q], wrong[q], rel_tol=1e-12))
