"""Stochastic gradient descent: move each parameter a small step against its gradient."""

from __future__ import annotations

import math
from collections.abc import Iterable
from numbers import Real

from autograd import Value


def _check_rate(lr: object) -> float:
    if isinstance(lr, bool) or not isinstance(lr, Real) or not 0.0 < lr < math.inf:
        raise ValueError(f"SGD: lr must be a finite number > 0, got {lr!r}")
    return float(lr)


class SGD:
    """p <- p - lr * v with v = momentum * v + grad (v = grad when momentum = 0).

    ``lr`` is a finite number > 0 and may be changed between steps (a schedule);
    ``momentum`` is in [0, 1). Call ``zero_grad()`` before each ``backward()``:
    parameters accumulate gradients.
    """

    def __init__(self, params: Iterable[Value], lr: float, momentum: float = 0.0) -> None:
        self.params = list(params)
        if not self.params:
            raise ValueError("SGD: got no parameters to optimise")
        for p in self.params:
            if not isinstance(p, Value):
                raise TypeError(f"SGD: parameters must be Values, got {p!r}")
        self.lr = lr
        if (
            isinstance(momentum, bool)
            or not isinstance(momentum, Real)
            or not 0.0 <= momentum < 1.0
        ):
            raise ValueError(f"SGD: momentum must be in [0, 1), got {momentum!r}")
        self.momentum = float(momentum)
        self._velocities = [0.0] * len(self.params)

    @property
    def lr(self) -> float:
        """The learning rate, a finite number > 0."""
        return self._lr

    @lr.setter
    def lr(self, lr: float) -> None:
        self._lr = _check_rate(lr)

    def step(self) -> None:
        """Update every parameter from its current ``.grad``."""
        lr = self._lr
        if not self.momentum:
            for p in self.params:
                p.data -= lr * p.grad
            return
        velocities = self._velocities
        for i, p in enumerate(self.params):
            velocities[i] = self.momentum * velocities[i] + p.grad
            p.data -= lr * velocities[i]

    def zero_grad(self) -> None:
        """Set every parameter's grad to 0.0."""
        for p in self.params:
            p.grad = 0.0
