"""Stochastic gradient descent: move each parameter a small step against its gradient."""

from __future__ import annotations

from collections.abc import Iterable

from autograd import Value, checks
from autograd.descent import gradient_step


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
        """Update every parameter from its current ``.grad``.

        An update that would make a parameter inf or nan (a huge ``lr``, an infinite
        grad) raises OverflowError naming the parameter, before any parameter or
        velocity has changed: a model is never left half-updated or non-finite.
        """
        lr, params = self._lr, self.params
        velocities = None
        if self.momentum:
            momentum = self.momentum
            velocities = [momentum * v + p.grad for v, p in zip(self._velocities, params)]
            updated = [gradient_step(p.data, v, lr) for p, v in zip(params, velocities)]
        else:
            updated = [gradient_step(p.data, p.grad, lr) for p in params]
        total = sum(updated)  # inf or nan when any update is (one check, not one per parameter)
        if total - total != 0.0:
            self._refuse_non_finite(updated, velocities)
        for p, data in zip(params, updated):
            p.data = data
        if velocities is not None:
            self._velocities = velocities

    def _refuse_non_finite(self, updated: list[float], velocities: list[float] | None) -> None:
        """Raise naming the first parameter whose update is not finite (if the sum only overflowed,
        every update is finite and nothing is raised)."""
        for i, (p, data) in enumerate(zip(self.params, updated)):
            if data - data != 0.0:
                label = f" ({p.label})" if p.label else ""
                step = "grad" if velocities is None else "velocity"
                by = p.grad if velocities is None else velocities[i]
                raise OverflowError(
                    f"SGD.step: the update would make parameter {i}{label} {data!r} "
                    f"(data {p.data!r} - lr {self._lr!r} * {step} {by!r}); no parameter was changed"
                )

    def zero_grad(self) -> None:
        """Set every parameter's grad to 0.0."""
        for p in self.params:
            p.grad = 0.0
