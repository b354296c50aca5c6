"""Check backward() against central differences: the independent reference."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from autograd import checks
from autograd.value import Value


@dataclass(frozen=True)
class GradcheckResult:
    """What ``gradcheck`` found, one entry per input.

    analytic: d f / d x_i from ``backward()``.
    numeric:  (f(x + eps e_i) - f(x - eps e_i)) / (2 eps), the central difference.
    max_error: the largest |analytic_i - numeric_i| / max(1, |numeric_i|).
    """

    analytic: tuple[float, ...]
    numeric: tuple[float, ...]
    max_error: float

    def __bool__(self) -> bool:
        """True when the gradients agree to 1e-5 (relative, or absolute below 1)."""
        return self.max_error <= 1e-5


def gradcheck(
    f: Callable[..., Value], inputs: Sequence[float], eps: float = 1e-6
) -> GradcheckResult:
    """Compare the gradient of ``f(*Values)`` from ``backward()`` with central differences.

    ``f`` takes one Value per number in ``inputs`` and returns a Value. The
    central difference has error O(eps^2) for a smooth f, so with eps = 1e-6 a
    correct backward agrees to about 1e-8; near a kink (relu at 0) it need not.
    ``eps`` must be a finite number > 0 and ``f`` must return a Value (TypeError
    or ValueError naming gradcheck otherwise).
    """
    eps = checks.positive_number(eps, "gradcheck", "eps")
    if not callable(f):
        raise TypeError(f"gradcheck: expected f to be a function of Values, got {checks.shown(f)}")
    numbers = checks.items(inputs, "gradcheck", "inputs", "a list of numbers")
    points = [checks.number(x, "gradcheck", f"inputs[{i}]") for i, x in enumerate(numbers)]
    leaves = [Value(x, label=f"x{i}") for i, x in enumerate(points)]
    _result_of(f, leaves).backward()
    analytic = tuple(leaf.grad for leaf in leaves)
    numeric = []
    for i in range(len(points)):
        shifted_up = [x + (eps if j == i else 0.0) for j, x in enumerate(points)]
        shifted_down = [x - (eps if j == i else 0.0) for j, x in enumerate(points)]
        up = _result_of(f, [Value(x) for x in shifted_up]).data
        down = _result_of(f, [Value(x) for x in shifted_down]).data
        difference = (up - down) / (2.0 * eps)
        if difference - difference != 0.0:  # inf or nan: the check would say nothing
            raise ValueError(
                f"gradcheck: the central difference for inputs[{i}] is {difference!r} "
                f"(f = {up!r} and {down!r} at +-eps = {eps!r}); try a smaller eps"
            )
        numeric.append(difference)
    max_error = max((abs(a - n) / max(1.0, abs(n)) for a, n in zip(analytic, numeric)), default=0.0)
    return GradcheckResult(analytic, tuple(numeric), max_error)


def _result_of(f: Callable[..., Value], arguments: list[Value]) -> Value:
    """``f(*arguments)``, which must be a Value (a float has no graph to check)."""
    return checks.instance(f(*arguments), "gradcheck", "the result of f", Value)
