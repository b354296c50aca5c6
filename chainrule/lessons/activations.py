"""Lesson 4: the seven activation functions, their derivatives, and which to use where.

Every number here comes from ``nn.ACTIVATIONS`` run on engine Values: a value
is the activation's forward result, a derivative is the input's ``grad`` after
``backward()``. Nothing is re-derived by hand, so the pictures show exactly
what the library computes when it trains.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from autograd import Value, checks
from nn import ACTIVATIONS, SGD, Neuron, get_activation, softmax, squared_error

SOFTMAX_OTHER_SCORES = (0.0,)
"""softmax maps a vector to a vector; its curve varies the first score with these others fixed.

With one other score of 0, softmax([x, 0])_0 = e^x / (e^x + 1) = sigmoid(x).
"""


@dataclass(frozen=True)
class Curve:
    """An activation f sampled at ``xs``: ``values`` f(x) and ``derivatives`` f'(x).

    ``function`` says what f is, e.g. "sigmoid(x)" or "softmax([x, 0])[0]".
    """

    name: str
    function: str
    xs: list[float]
    values: list[float]
    derivatives: list[float]


def curve(name: str, xs: Sequence[float]) -> Curve:
    """f(x) and f'(x) at each x, from the activation ``name`` and ``backward()``.

    For an activation across a layer (softmax), f(x) = softmax([x, *SOFTMAX_OTHER_SCORES])_0
    and f'(x) is its derivative with respect to x, s_0 (1 - s_0).
    """
    activation = get_activation(name, "curve")
    others = ", ".join(f"{score:g}" for score in SOFTMAX_OTHER_SCORES)
    function = f"{name}([x, {others}])[0]" if activation.across_layer else f"{name}(x)"
    values, derivatives = [], []
    for x in xs:
        x_value = Value(x, label="x")
        if activation.across_layer:
            out = activation.fn([x_value, *SOFTMAX_OTHER_SCORES])[0]
        else:
            out = activation.fn(x_value)
        out.backward()
        values.append(out.data)
        derivatives.append(x_value.grad)
    return Curve(name, function, [float(x) for x in xs], values, derivatives)


def table() -> list[tuple[str, str, str, str, str]]:
    """One row per activation: (name, formula, range, derivative, where to use it)."""
    return [(a.name, a.formula, a.range, a.derivative, a.note) for a in ACTIVATIONS.values()]


def softmax_jacobian(scores: Sequence[float]) -> list[list[float]]:
    """J[i][j] = d softmax(scores)_i / d scores_j, one ``backward()`` per output i.

    The closed form is s_i (delta_ij - s_j): positive on the diagonal (raising a
    score raises its own probability), negative off it, each row summing to 0
    (the probabilities always sum to 1).
    """
    jacobian = []
    for i in range(len(scores)):
        inputs = [Value(s) for s in scores]
        softmax(inputs)[i].backward()
        jacobian.append([x.grad for x in inputs])
    return jacobian


THRESHOLD = 0.3
"""The threshold task's boundary: the target is 1 for x > THRESHOLD, else 0."""


def threshold_task(n: int = 11) -> tuple[list[float], list[float]]:
    """n inputs evenly spaced over [-1, 1] and targets 1.0 where x > THRESHOLD, else 0.0."""
    checks.integer(n, "threshold_task", "n", minimum=2)
    xs = [-1.0 + 2.0 * i / (n - 1) for i in range(n)]
    return xs, [1.0 if x > THRESHOLD else 0.0 for x in xs]


def train_threshold_neuron(
    activation: str, epochs: int = 40, lr: float = 0.5, seed: int = 0
) -> list[float]:
    """Train one neuron on ``threshold_task`` by full-batch gradient descent; E per epoch.

    E = squared_error over the task, 1/2 sum (t - f(w x + b))^2. A sigmoid
    neuron's E falls; a binary step's E never moves, because every gradient
    that reaches w and b is multiplied by the step's derivative, 0.
    Returns ``epochs + 1`` errors: before training and after each update.
    """
    checks.integer(epochs, "train_threshold_neuron", "epochs", minimum=0)
    xs, targets = threshold_task()
    neuron = Neuron(1, activation, seed=seed)
    optimizer = SGD(neuron.parameters(), lr=lr)
    errors = []
    for epoch in range(epochs + 1):
        error = squared_error([neuron([x]) for x in xs], targets)
        errors.append(error.data)
        if epoch < epochs:
            optimizer.zero_grad()
            error.backward()
            optimizer.step()
    return errors
