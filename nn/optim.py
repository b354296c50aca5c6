"""Stochastic gradient descent: move each parameter a small step against its gradient."""

from __future__ import annotations

from collections.abc import Iterable

from autograd import Value, checks


class SGD:
    """p <- p - lr * v with v = momentum * v + grad (v = grad when momentum = 0).

    ``lr`` is a finite number > 0 and may be changed between steps (a schedule);
    ``momentum`` is in [0, 1). Call ``zero_grad()`` before each ``backward()``:
    parameters accumulate gradients.
    """

    def __init__(self, params: Iterable[Value], lr: float, momentum: float = 0.0) -> None:
        self.params = [
            checks.instance(p, "SGD", "each parameter", Value)
            for p in checks.items(params, "SGD", "params")
        ]
        if not self.params:
            raise ValueError("SGD: expected params to hold at least one Value, got none")
        self.lr = lr
        self.momentum = checks.number(momentum, "SGD", "momentum", minimum=0.0)
        if self.momentum >= 1.0:  # 1 would never forget a gradient: the steps never shrink
            raise ValueError(f"SGD: expected momentum to be a number in [0, 1), got {momentum!r}")
        self._velocities = [0.0] * len(self.params)

    @property
    def lr(self) -> float:
        """The learning rate, a finite number > 0."""
        return self._lr

    @lr.setter
    def lr(self, lr: float) -> None:
        self._lr = checks.positive_number(lr, "SGD", "lr")

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
