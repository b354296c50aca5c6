"""Lesson 3: the vanishing gradient.

By the chain rule, the gradient that reaches layer l's weights is a sum over
paths from the loss back to them, each path a product with one factor f'(z)
per later layer (times a weight). The sigmoid's derivative is at most 1/4, so
through a deep, narrow sigmoid network those products shrink geometrically and
the early layers barely learn. tanh' is at most 1 and relu' is 0 or 1, so their
gradients reach the early layers far less diminished.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from autograd import Value, checks, ops
from nn import MLP, SGD, make_moons, mse

DEPTH = 8
"""Hidden layers of the lesson's network."""
WIDTH = 6
"""Units per hidden layer: narrow, so each layer is one small matrix."""
COMPARED = ("sigmoid", "tanh", "relu")
"""The hidden activations the lesson compares."""


def deep_network(activation: str, depth: int = DEPTH, width: int = WIDTH, seed: int = 0) -> MLP:
    """An MLP 2 -> ``depth`` hidden layers of ``width`` ``activation`` units -> 1 linear output.

    Weights uniform in [-1, 1] from ``seed`` and biases 0, nn's default.
    """
    return MLP(2, [width] * depth + [1], activation=activation, seed=seed)


def lesson_data(n: int = 20, seed: int = 0) -> tuple[list[list[float]], list[float]]:
    """``n`` two-moons points and their targets, -1.0 for one moon and +1.0 for the other."""
    X, labels = make_moons(n, seed=seed)
    return X, [2.0 * label - 1.0 for label in labels]


def loss(model: MLP, X: Sequence[Sequence[float]], targets: Sequence[float]) -> Value:
    """The mean squared error of ``model`` on the points: 1/n sum_i (t_i - model(x_i))^2."""
    return mse([cast(Value, model(x)) for x in X], targets)  # one output per point


def layer_gradient_norms(
    activation: str, depth: int = DEPTH, width: int = WIDTH, seed: int = 0
) -> list[float]:
    """Per layer, input side first: ||dL/d(parameters)||, after one backward on a fresh network.

    L is ``loss`` on ``lesson_data()``; the norm is ``MLP.grad_norms`` (the
    square root of the sum of squared grads of the layer's weights and biases).
    There are ``depth + 1`` numbers: the hidden layers, then the output layer.
    """
    model = deep_network(activation, depth, width, seed)
    loss(model, *lesson_data()).backward()
    return model.grad_norms()


@dataclass(frozen=True)
class TrainingCurve:
    """A deep network trained by full-batch gradient descent.

    loss: L before each update. grad_norms: for each update, the per-layer
    gradient norms (input side first) that the update used; SGD moves layer l
    by lr times its norm, so they are the layers' learning speeds.
    """

    activation: str
    loss: list[float]
    grad_norms: list[list[float]]


def training_curve(
    activation: str,
    depth: int = DEPTH,
    width: int = WIDTH,
    epochs: int = 50,
    lr: float = 0.03,
    seed: int = 0,
) -> TrainingCurve:
    """Train ``deep_network(activation)`` on ``lesson_data()`` for ``epochs`` SGD steps."""
    checks.integer(epochs, "training_curve", "epochs", minimum=1)
    model = deep_network(activation, depth, width, seed)
    X, targets = lesson_data()
    optimizer = SGD(model.parameters(), lr=lr)
    losses, norms = [], []
    for _ in range(epochs):
        value = loss(model, X, targets)
        optimizer.zero_grad()
        value.backward()
        losses.append(value.data)
        norms.append(model.grad_norms())
        optimizer.step()
    return TrainingCurve(activation, losses, norms)


@dataclass(frozen=True)
class DerivativeProduct:
    """The sigmoid derivatives sigma'(z) = sigma(z) (1 - sigma(z)) of a network on one input.

    per_layer: sigma'(z) of each unit, one list per sigmoid layer, input side first.
    """

    per_layer: list[list[float]]

    @property
    def largest(self) -> list[float]:
        """Each layer's largest sigma'(z); none can exceed 1/4, sigma'(0)."""
        return [max(layer) for layer in self.per_layer]

    @property
    def path_products(self) -> list[float]:
        """For each layer l, the product of ``largest`` over layers l to the last.

        A path from the output back to layer l carries one sigma' per layer it
        crosses; none carries a larger product than this.
        """
        products, running = [], 1.0
        for largest in reversed(self.largest):
            running *= largest
            products.append(running)
        return products[::-1]

    @property
    def product(self) -> float:
        """The product of ``largest`` over all layers: the bound for paths to the first layer."""
        return self.path_products[0]

    @property
    def bound(self) -> float:
        """(1/4)^layers, the largest the product could be for any weights and input."""
        return 0.25 ** len(self.per_layer)


def sigmoid_derivative_product(model: MLP, x: Sequence[float]) -> DerivativeProduct:
    """Feed ``x`` through ``model`` layer by layer and read each sigmoid's derivative.

    No derivative is recomputed here: a sigmoid node records sigma(z) (1 - sigma(z))
    as its local gradient when it is computed (``local_grads``), and that record
    is what ``backward()`` multiplies along every path. In a fused neuron, one
    "sigmoid(w·x+b)" node, it is the local gradient of the bias, sigma'(z) * 1.
    """
    inputs: Sequence[Value | float] = list(x)
    per_layer = []
    for layer in model.layers:
        outputs = layer(inputs)
        if all(out.row is ops.SIGMOID for out in outputs):
            per_layer.append([out.local_grads[0] for out in outputs])
        elif all(out.row.bound is ops.SIGMOID for out in outputs):  # sigmoid(w·x+b) nodes
            # the w·x+b row's last input is the bias: d/db = sigma'(z) · 1
            per_layer.append([out.local_grads[-1] for out in outputs])
        inputs = outputs
    if not per_layer:
        raise ValueError(f"sigmoid_derivative_product: {model!r} has no sigmoid layer")
    return DerivativeProduct(per_layer)
