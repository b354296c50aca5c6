"""Lesson 6: handwritten digits, ten classes with a softmax output and cross-entropy.

scikit-learn's 8x8 digits (1,797 images, 0-16 ink per pixel, shipped inside
scikit-learn: nothing is downloaded), scaled to [0, 1], split into training and
test images with a seed. An MLP 64-32-10 outputs ten scores (logits); softmax
turns them into probabilities p_k = e^(s_k) / sum_j e^(s_j), and the loss of an
image of class c is the cross-entropy -log p_c, whose gradient with respect to
the scores is p_k - [k = c]. ``nn.fit`` trains it with minibatch SGD and momentum.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from autograd import Value
from nn import MLP, SGD, History, cross_entropy, fit, softmax
from nn.train import count_correct

LAYER_SIZES = (32, 10)
"""One hidden layer of 32 units, then one score per digit."""
EPOCHS = 8
LEARNING_RATE = 0.1
MOMENTUM = 0.9
BATCH_SIZE = 32
TEST_FRACTION = 0.25


@dataclass(frozen=True)
class Digits:
    """Training and test images (64 pixels each, in [0, 1], row by row) and their digits."""

    X_train: list[list[float]]
    y_train: list[int]
    X_test: list[list[float]]
    y_test: list[int]


def load(test_fraction: float = TEST_FRACTION, seed: int = 0) -> Digits:
    """scikit-learn's digits, pixels / 16, shuffled by ``random.Random(seed)`` and split."""
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"digits.load: test_fraction must be in (0, 1), got {test_fraction!r}")
    from sklearn.datasets import load_digits

    data = load_digits()
    images = [[float(v) / 16.0 for v in row] for row in data.data]
    labels = [int(t) for t in data.target]
    order = list(range(len(images)))
    random.Random(seed).shuffle(order)
    n_test = round(len(order) * test_fraction)
    test, train = order[:n_test], order[n_test:]
    return Digits(
        [images[i] for i in train],
        [labels[i] for i in train],
        [images[i] for i in test],
        [labels[i] for i in test],
    )


def network(
    activation: str = "relu", hidden: Sequence[int] = LAYER_SIZES[:-1], seed: int = 0
) -> MLP:
    """An MLP 64 -> ``hidden`` ``activation`` layers -> 10 raw scores (weights from ``seed``).

    nn draws weights uniform in [-1, 1]; here each layer's are scaled by
    sqrt(6 / n_inputs) (He's initialisation, variance 2 / n_inputs), so that the
    sum over 64 pixels does not start out saturating the scores.
    """
    model = MLP(64, [*hidden, 10], activation=activation, output_activation="linear", seed=seed)
    for layer in model.layers:
        scale = math.sqrt(6.0 / layer.n_inputs)
        for neuron in layer.neurons:
            for w in neuron.weights:
                w.data *= scale
    return model


def train(
    data: Digits,
    activation: str = "relu",
    *,
    epochs: int = EPOCHS,
    lr: float = LEARNING_RATE,
    momentum: float = MOMENTUM,
    batch_size: int = BATCH_SIZE,
    seed: int = 0,
    progress: bool = True,
) -> tuple[MLP, History]:
    """Train ``network(activation, seed=seed)`` on the training images with cross-entropy.

    Minibatch SGD with momentum by ``nn.fit`` (samples shuffled each epoch by
    ``seed``), with its progress bar unless ``progress=False``. Returns the model
    and its History (mean loss and training accuracy per epoch).
    """
    model = network(activation, seed=seed)
    history = fit(
        model,
        data.X_train,
        data.y_train,
        loss="cross_entropy",
        optimizer=SGD(model.parameters(), lr=lr, momentum=momentum),
        epochs=epochs,
        batch_size=batch_size,
        seed=seed,
        progress=progress,
    )
    return model, history


def _scores(model: MLP, X: Sequence[Sequence[float]]) -> list[list[Value]]:
    """The ten scores of each image (ten output units: a list per image, never one Value)."""
    return cast("list[list[Value]]", model.map(X))


def probabilities(model: MLP, X: Sequence[Sequence[float]]) -> list[list[float]]:
    """softmax of the model's ten scores, for each image."""
    return [[p.data for p in softmax(scores)] for scores in _scores(model, X)]


def predictions(model: MLP, X: Sequence[Sequence[float]]) -> list[int]:
    """The digit with the largest score, for each image."""
    return [max(range(10), key=lambda k: scores[k].data) for scores in _scores(model, X)]


def accuracy(model: MLP, X: Sequence[Sequence[float]], y: Sequence[int]) -> float:
    """The fraction of images whose largest score is their digit."""
    return count_correct(model.map(X), list(y), "class") / len(X)


def confusion_matrix(model: MLP, X: Sequence[Sequence[float]], y: Sequence[int]) -> list[list[int]]:
    """``matrix[true][predicted]``: how many images of each digit went to each prediction."""
    matrix = [[0] * 10 for _ in range(10)]
    for label, predicted in zip(y, predictions(model, X)):
        matrix[label][predicted] += 1
    return matrix


@dataclass(frozen=True)
class Mistake:
    """A test image the model got wrong: its pixels, its digit, the guess, all ten probabilities."""

    image: list[float]
    label: int
    predicted: int
    probabilities: list[float]


def mistakes(
    model: MLP, X: Sequence[Sequence[float]], y: Sequence[int], limit: int = 8
) -> list[Mistake]:
    """Up to ``limit`` misclassified images, in data order."""
    found = []
    for image, label, probs in zip(X, y, probabilities(model, X)):
        guess = max(range(10), key=probs.__getitem__)
        if guess != label:
            found.append(Mistake(list(image), label, guess, probs))
            if len(found) == limit:
                break
    return found


def first_layer_weights(model: MLP) -> list[list[float]]:
    """Each first-layer neuron's 64 weights: an 8x8 picture of what it responds to."""
    return [[w.data for w in neuron.weights] for neuron in model.layers[0].neurons]


def gradient_norms(model: MLP, X: Sequence[Sequence[float]], y: Sequence[int]) -> list[float]:
    """Per layer, input side first: ||dL/dθ|| for the mean cross-entropy over the images.

    One backward on a fresh graph (the grads are zeroed first); ``MLP.grad_norms``.
    """
    model.zero_grad()
    losses = [cross_entropy(scores, label) for scores, label in zip(_scores(model, X), y)]
    (sum(losses[1:], start=losses[0]) * (1.0 / len(losses))).backward()
    return model.grad_norms()


def compare_training(
    data: Digits, activations: Sequence[str] = ("sigmoid", "relu"), epochs: int = 2
) -> dict[str, History]:
    """The same 64-32-10 network, ``train``ed for ``epochs`` with each hidden activation."""
    return {a: train(data, a, epochs=epochs, progress=False)[1] for a in activations}


def compare_activations(
    data: Digits,
    activations: Sequence[str] = ("sigmoid", "relu"),
    depths: Sequence[int] = (1, 4),
    n_images: int = 100,
    seed: int = 0,
) -> dict[str, list[float]]:
    """Gradient norms per layer of fresh networks, "relu, 4 hidden" -> norms, input side first.

    Each network has ``depth`` hidden layers of 32 units; the norms are for the
    first ``n_images`` training images, before any training.
    """
    X, y = data.X_train[:n_images], data.y_train[:n_images]
    return {
        f"{activation}, {depth} hidden": gradient_norms(
            network(activation, [32] * depth, seed), X, y
        )
        for activation in activations
        for depth in depths
    }
