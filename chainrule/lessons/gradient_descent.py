"""Lesson 1: gradient descent on one weight.

The model predicts ``z ≈ w x``; its cost on data ``(x_i, z_i)`` is

    J(w) = sum_i (z_i - w x_i)^2,        dJ/dw = -2 sum_i x_i (z_i - w x_i).

Gradient descent repeats ``w <- w - lr * dJ/dw``. J is a parabola with
curvature J'' = 2 S, where S = sum_i x_i^2, so one step moves the distance to
the minimum w* = sum x z / S by the constant factor 1 - 2 lr S:

    w_{k+1} - w* = (1 - 2 lr S) (w_k - w*).

The steps shrink when 0 < lr < 1/(2S), overshoot but still converge when
1/(2S) < lr < 1/S, and diverge when lr > 1/S: the critical learning rate.

Sums of floats use ``math.fsum`` (correctly rounded): the built-in ``sum`` rounds
differently from Python 3.12 on, and a student's numbers must be the same bits in
every Python, the browser's (Pyodide) included.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar, cast

from autograd import Value, checks
from autograd.descent import gradient_step

XS = (0.1, 0.2, 0.3, 0.4, 0.5)
"""The lesson's inputs. S = sum x^2 = 0.55, so lr = 0.4 converges without overshooting."""
ZS = tuple(2.0 * x for x in XS)
"""The lesson's targets, z = 2x: the best weight is w* = 2."""
W0 = 0.2
"""The starting weight."""
LEARNING_RATE = 0.4
"""The lesson's learning rate."""

Scalar = TypeVar("Scalar", float, Value)


@dataclass(frozen=True)
class Step:
    """One iteration of gradient descent: the weight, its cost and its gradient there.

    The next weight is ``w - lr * gradient``.
    """

    iteration: int
    w: float
    cost: float
    gradient: float


def cost(w: Scalar, xs: Sequence[float] = XS, zs: Sequence[float] = ZS) -> Scalar:
    """J(w) = sum_i (z_i - w x_i)^2, a float for a float ``w``, a Value (a graph) for a Value."""
    terms = [(z - w * x) ** 2 for x, z in zip(xs, zs)]
    if isinstance(w, Value):
        return cast(Scalar, sum(terms))
    return math.fsum(terms)


def gradient(w: float, xs: Sequence[float] = XS, zs: Sequence[float] = ZS) -> float:
    """dJ/dw = -2 sum_i x_i (z_i - w x_i), derived by hand."""
    return -2.0 * math.fsum(x * (z - w * x) for x, z in zip(xs, zs))


def optimal_weight(xs: Sequence[float] = XS, zs: Sequence[float] = ZS) -> float:
    """w* = sum x z / sum x^2, where dJ/dw = 0: the bottom of the cost curve."""
    xs, zs = _checked_data(xs, zs, "optimal_weight")
    return math.fsum(x * z for x, z in zip(xs, zs)) / _sum_of_squares(xs, "optimal_weight")


def critical_learning_rate(xs: Sequence[float] = XS) -> float:
    """lr* = 1 / sum x^2: descent converges for 0 < lr < lr* and diverges for lr > lr*."""
    return 1.0 / _sum_of_squares(xs, "critical_learning_rate")


def descend(
    xs: Sequence[float] = XS,
    zs: Sequence[float] = ZS,
    w0: float = W0,
    lr: float = LEARNING_RATE,
    steps: int = 10,
) -> list[Step]:
    """Run ``steps`` updates w <- w - lr dJ/dw with the hand-derived gradient.

    Returns ``steps + 1`` Steps: the start (iteration 0) and the weight after each update.
    """
    xs, zs = _checked_data(xs, zs, "descend")
    return _descend(w0, lr, steps, lambda w: (cost(w, xs, zs), gradient(w, xs, zs)), "descend")


def descend_with_values(
    xs: Sequence[float] = XS,
    zs: Sequence[float] = ZS,
    w0: float = W0,
    lr: float = LEARNING_RATE,
    steps: int = 10,
) -> list[Step]:
    """The same descent as ``descend``, with dJ/dw from ``backward()`` instead of by hand.

    Each iteration evaluates ``cost`` on a Value ``w``, which records the graph
    of J, and reads ``w.grad`` after ``J.backward()``. The numbers agree with
    ``descend`` to rounding (about 1e-15).
    """
    xs, zs = _checked_data(xs, zs, "descend_with_values")

    def cost_and_gradient(w: float) -> tuple[float, float]:
        w_value = Value(w, label="w")
        j = cost(w_value, xs, zs)
        j.backward()
        return j.data, w_value.grad

    return _descend(w0, lr, steps, cost_and_gradient, "descend_with_values")


def _descend(
    w0: float,
    lr: float,
    steps: int,
    cost_and_gradient: Callable[[float], tuple[float, float]],
    caller: str,
) -> list[Step]:
    w = checks.number(w0, caller, "w0")
    checks.positive_number(lr, caller, "lr")
    checks.integer(steps, caller, "steps", minimum=0)
    history = []
    for iteration in range(steps + 1):
        j, dj_dw = cost_and_gradient(w)
        history.append(Step(iteration, w, j, dj_dw))
        w = gradient_step(w, dj_dw, lr)
    return history


def _checked_data(
    xs: Sequence[float], zs: Sequence[float], caller: str
) -> tuple[list[float], list[float]]:
    """The inputs and targets as lists of numbers, as many of each, with a nonzero input."""
    inputs = _numbers(xs, caller, "xs")
    targets = _numbers(zs, caller, "zs")
    if len(inputs) != len(targets):
        raise ValueError(
            f"{caller}: expected as many targets zs as inputs xs, "
            f"got {len(inputs)} inputs and {len(targets)} targets"
        )
    _sum_of_squares(inputs, caller)
    return inputs, targets


def _numbers(values: Sequence[float], caller: str, name: str) -> list[float]:
    return [checks.number(v, caller, f"each of {name}") for v in checks.items(values, caller, name)]


def _sum_of_squares(xs: Sequence[float], caller: str) -> float:
    total = math.fsum(x * x for x in _numbers(xs, caller, "xs"))
    if total == 0.0:
        raise ValueError(f"{caller}: expected xs to hold a nonzero input, got {list(xs)!r}")
    return total


CRAWL_FACTOR = 0.9
"""A run "crawls" when each step keeps more than this share of the distance to w*."""
REGIMES = ("crawls", "converges smoothly", "zig-zags but converges", "diverges")
"""What a run of gradient descent on J does, as the lesson names it, slowest first."""


def step_factor(lr: float, xs: Sequence[float] = XS) -> float:
    """1 - 2 lr S: each step multiplies the distance w_k - w* by this constant."""
    checks.positive_number(lr, "step_factor", "lr")
    return 1.0 - 2.0 * lr * _sum_of_squares(xs, "step_factor")


def regime(lr: float, xs: Sequence[float] = XS) -> str:
    """What descent with ``lr`` does, read from the sign and size of f = 1 - 2 lr S.

    f > CRAWL_FACTOR: "crawls"; 0 <= f <= CRAWL_FACTOR: "converges smoothly";
    -1 < f < 0: "zig-zags but converges"; f < -1: "diverges". At f = -1 exactly
    (lr = 1/S) the weight bounces between two values forever: "bounces forever".
    """
    factor = step_factor(lr, xs)
    if factor > CRAWL_FACTOR:
        return REGIMES[0]
    if factor >= 0.0:
        return REGIMES[1]
    if factor > -1.0:
        return REGIMES[2]
    return REGIMES[3] if factor < -1.0 else "bounces forever"
