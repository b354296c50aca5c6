"""The seven activation functions, by name, each built from engine Values.

``get_activation(name).fn`` takes a Value and returns a Value (softmax: a list of
Values to a list), so backward() differentiates through it like any other op.
Each entry documents its formula, range and derivative.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from autograd import Value, checks, ops


class StepActivationWarning(UserWarning):
    """Training a model that uses the binary step: its gradient is 0, so it cannot learn."""


@dataclass(frozen=True)
class Activation:
    """An activation function, its documentation, and what the library needs to know of it.

    name: the name used in ``activation=``; fn: Value -> Value (list -> list when
    ``across_layer``); formula, range, derivative: the math, as text; note: when to use it.
    across_layer: fn normalises a whole layer's outputs (softmax), so a Layer applies it
    to its linear neurons' outputs and it can only be a layer's (an MLP's output layer's).
    learns: a gradient passes through it (False for the step, whose derivative is 0).
    torch_module, torch_arguments: the ``torch.nn`` class computing the same function
    and its keyword arguments, for ``MLP.to_torch``; None: nothing to add (linear).
    """

    name: str
    fn: Callable[..., Any]
    formula: str
    range: str
    derivative: str
    note: str
    across_layer: bool = False
    learns: bool = True
    torch_module: str | None = None
    torch_arguments: tuple[tuple[str, object], ...] = ()


def linear(x: Value) -> Value:
    """The identity, f(x) = x; range (-inf, inf); f'(x) = 1. Returns ``x`` itself (no new node)."""
    return x


def step(x: Value) -> Value:
    """The binary step: f(x) = 1 for x >= 0, else 0; range {0, 1}.

    Its derivative is 0 everywhere it exists (and undefined at 0), so no gradient
    reaches the weights before it: a model using it cannot learn by gradient
    descent (``fit`` warns with a StepActivationWarning). Built from existing ops as
    ``x * 0 + 1`` (or ``+ 0``): the right value, and a local derivative of exactly 0.
    """
    return x * 0.0 + (1.0 if x.data >= 0.0 else 0.0)


def softmax(values: Sequence[Value | float]) -> list[Value]:
    """softmax(x)_i = e^(x_i) / sum_j e^(x_j), for a list; each in (0, 1), summing to 1.

    d softmax_i / d x_j = s_i (delta_ij - s_j). Computed as e^(x_i - m) / sum_j
    e^(x_j - m) with m = max x: the same value (the shift cancels) without
    overflow, e.g. for x = 1000. Returns a new list of Values.
    """
    xs = [
        x if isinstance(x, Value) else Value(x) for x in checks.items(values, "softmax", "values")
    ]
    if not xs:
        raise ValueError("softmax: expected at least one value, got an empty list")
    largest = max(x.data for x in xs)
    exps = [shifted_exp(x, largest) for x in xs]
    total = sum(exps[1:], start=exps[0])
    return [e / total for e in exps]


def shifted_exp(x: Value, largest: float) -> Value:
    """e^(x - m) for the largest input m of a softmax;  d/dx = e^(x - m).

    When x - m is below the float range (x = -1e308, m = 1e308) e^(x - m) is 0 far
    beyond the smallest float, as is its derivative: built as ``x * 0 + 0`` (value 0,
    local derivative exactly 0) instead of a subtraction that would overflow.
    """
    if x.data - largest == -math.inf:
        return x * 0.0 + 0.0  # + 0.0 turns x * 0 = -0.0 into 0.0
    return (x - largest).exp()


def from_row(row: ops.Op) -> Activation:
    """The Activation of an op table row marked ``activation``: its Value method, its
    documentation, its derivative as the table writes it (over x, with f(x) its value)."""
    derivative = row.local_formula(0, f"{row.symbol}(x)", ["x"])
    return Activation(
        row.name,
        getattr(Value, row.name),
        row.formula,
        row.range,
        f"{derivative}, {row.derivative_bound}" if row.derivative_bound else derivative,
        row.note,
        torch_module=row.torch_module,
        torch_arguments=row.torch_arguments,
    )


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        *map(from_row, ops.ACTIVATIONS.values()),
        Activation(
            "softmax",
            softmax,
            "softmax(x)_i = e^(x_i) / sum_j e^(x_j), across a layer's outputs",
            "each in (0, 1), summing to 1",
            "d s_i / d x_j = s_i (delta_ij - s_j)",
            "output layer of a classifier: turns scores into probabilities",
            across_layer=True,
            torch_module="Softmax",
            torch_arguments=(("dim", -1),),
        ),
        Activation(
            "step",
            step,
            "step(x) = 1 for x >= 0, else 0",
            "{0, 1}",
            "0 everywhere it exists (undefined at 0)",
            "the perceptron's threshold; cannot learn by gradient descent (no gradient)",
            learns=False,
            torch_module="BinaryStep",  # torch has none: nn.export defines it
        ),
        Activation(
            "linear",
            linear,
            "f(x) = x",
            "(-inf, inf)",
            "1",
            "no activation: regression outputs and raw scores (logits)",
        ),
    )
}


def get_activation(name: str, op: str = "get_activation") -> Activation:
    """The Activation called ``name``: a ValueError listing the valid names for another str,
    a TypeError for a name that is not a str. ``op`` names the caller in the message."""
    checks.instance(name, op, "activation", str)
    return ACTIVATIONS[checks.one_of(name, op, "activation", ACTIVATIONS)]
