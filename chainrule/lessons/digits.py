"""Lesson 6: handwritten digits, a ten-class classifier with a softmax output.

scikit-learn's 8x8 digits (1,797 images, shipped inside scikit-learn) feed an MLP
64-32-10: 64 pixels in, 32 hidden units, 10 scores (logits) l_0..l_9 out. Softmax
turns the scores into probabilities p_k = e^(l_k) / sum_j e^(l_j), and the loss of
an image of digit y is the cross-entropy -log p_y, whose gradient with respect to
the scores is simply p - onehot(y). ``fit`` trains it with minibatch SGD.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from autograd import Value, checks
from nn import MLP, History, fit, softmax
from nn.losses import LOSSES, Labels
from nn.train import count_correct

CLASSES = 10
SIDE = 8
"""An image is SIDE x SIDE pixels, each 0 (white) to 16 (black) in scikit-learn's data."""
HIDDEN = 32
EPOCHS = 6
LEARNING_RATE = 0.2
BATCH_SIZE = 10
TEST_SIZE = 360
"""Images held out for testing (20% of 1,797); the other 1,437 train the network."""
PROBE_SIZE = 200
"""Training images whose mean loss ``gradient_norms`` differentiates."""


@dataclass(frozen=True)
class Split:
    """Scaled images (64 pixels each, row by row, in [-1, 1]) and their digits, train and test."""

    X_train: list[list[float]]
    y_train: list[int]
    X_test: list[list[float]]
    y_test: list[int]


def load(seed: int = 0, test_size: int = TEST_SIZE) -> Split:
    """The 1,797 digits, pixels scaled to x = pixel / 8 - 1, split by ``random.Random(seed)``.

    Scaling maps 0..16 to [-1, 1], so inputs are centred like the weights. The
    images are shuffled, the first ``test_size`` form the test set and the rest
    the training set: disjoint, together all 1,797, the same for the same seed.
    Needs scikit-learn (the ``notebooks`` and ``test`` extras); nothing is downloaded.
    """
    from sklearn.datasets import load_digits

    digits = load_digits()
    size = len(digits.target)
    checks.integer(test_size, "digits.load", "test_size", minimum=1, maximum=size - 1)
    X = [[pixel / 8.0 - 1.0 for pixel in row] for row in digits.data.tolist()]
    y = [int(label) for label in digits.target]
    order = list(range(size))
    random.Random(seed).shuffle(order)
    test, train = order[:test_size], order[test_size:]
    return Split(
        [X[i] for i in train], [y[i] for i in train], [X[i] for i in test], [y[i] for i in test]
    )


def as_image(pixels: Sequence[float]) -> list[list[float]]:
    """64 numbers, row by row, as 8 rows of 8 (an image, or a hidden unit's 64 weights)."""
    if len(pixels) != SIDE * SIDE:
        raise ValueError(f"as_image: expected {SIDE * SIDE} pixels, got {len(pixels)}")
    return [list(pixels[row * SIDE : (row + 1) * SIDE]) for row in range(SIDE)]


def network(activation: str = "relu", seed: int = 0) -> MLP:
    """An MLP 64 -> 32 ``activation`` units -> 10 linear scores, weights from ``seed``.

    nn draws weights uniform in [-1, 1]; here each layer's are scaled by
    1/sqrt(n_inputs) (PyTorch's ``nn.Linear`` range). With 64 inputs in [-1, 1],
    unscaled weights give z = w . x + b a standard deviation near sqrt(64/3) ~ 4.6,
    where sigmoid saturates (sigma'(z) ~ 0, lesson 3) and ReLU overfits. The
    biases start at 0, so scaling every parameter scales the weights only.
    """
    model = MLP(SIDE * SIDE, [HIDDEN, CLASSES], activation=activation, seed=seed)
    for layer in model.layers:
        scale = 1.0 / math.sqrt(layer.n_inputs)
        for p in layer.parameters():
            p.data *= scale
    return model


def scores(model: MLP, x: Sequence[float]) -> list[Value]:
    """The model's 10 scores (logits) l_0..l_9 for image ``x``."""
    outputs = model(x)
    if isinstance(outputs, Value):
        raise ValueError(f"digits: expected a model with {CLASSES} outputs, got {model!r}")
    return outputs


def probabilities(model: MLP, x: Sequence[float]) -> list[float]:
    """softmax(l)_k = e^(l_k) / sum_j e^(l_j) of the model's 10 scores l: P(digit k | image)."""
    return [p.data for p in softmax(scores(model, x))]


def predict(model: MLP, x: Sequence[float]) -> int:
    """The digit with the largest score (softmax keeps the order, so also the most probable)."""
    logits = [s.data for s in scores(model, x)]
    return max(range(CLASSES), key=logits.__getitem__)


def accuracy(model: MLP, X: Sequence[Sequence[float]], y: Sequence[int]) -> float:
    """The fraction of images whose largest score is at their digit."""
    return count_correct([model(x) for x in X], list(y), Labels.CLASS) / len(X)


def confusion_matrix(model: MLP, X: Sequence[Sequence[float]], y: Sequence[int]) -> list[list[int]]:
    """``counts[d][k]``: how many images of digit d the model calls k.

    Row d sums to the number of d's; the diagonal holds the right answers, so
    trace / len(X) is the accuracy.
    """
    counts = [[0] * CLASSES for _ in range(CLASSES)]
    for x, label in zip(X, y):
        counts[label][predict(model, x)] += 1
    return counts


@dataclass(frozen=True)
class Mistake:
    """Test image ``index`` shows ``label``; the model said ``predicted``.

    probabilities: the softmax of its 10 scores, P(digit k | image) for k = 0..9.
    """

    index: int
    label: int
    predicted: int
    probabilities: list[float]


def mistakes(model: MLP, X: Sequence[Sequence[float]], y: Sequence[int]) -> list[Mistake]:
    """The misclassified images, the most confident mistakes (largest P(predicted)) first."""
    found = []
    for index, (x, label) in enumerate(zip(X, y)):
        probs = probabilities(model, x)
        predicted = max(range(CLASSES), key=probs.__getitem__)
        if predicted != label:
            found.append(Mistake(index, label, predicted, probs))
    return sorted(found, key=lambda m: -m.probabilities[m.predicted])


def first_layer_weights(model: MLP) -> list[list[list[float]]]:
    """Each hidden unit's 64 input weights as an 8x8 image: the pattern z = w . x + b looks for."""
    return [as_image([w.data for w in neuron.weights]) for neuron in model.layers[0].neurons]


def gradient_norms(model: MLP, X: Sequence[Sequence[float]], y: Sequence[int]) -> list[float]:
    """Per layer (input side first), ||dL/dθ|| for L = 1/n sum_i -log softmax(model(x_i))[y_i].

    One backward on the mean cross-entropy of the images given, read with
    ``MLP.grad_norms``; the grads are zeroed before and after, so the model is left as it was.
    """
    model.zero_grad()
    outputs = [scores(model, x) for x in X]
    LOSSES["cross_entropy"].batch(outputs, list(y), model.parameters()).backward()
    norms = model.grad_norms()
    model.zero_grad()
    return norms


@dataclass(frozen=True)
class Run:
    """A network trained on a Split: its History, test accuracy and per-layer gradient norms.

    norms_before / norms_after: ``gradient_norms`` on the first PROBE_SIZE training
    images, for the fresh and the trained network.
    """

    activation: str
    model: MLP
    history: History
    test_accuracy: float
    norms_before: list[float]
    norms_after: list[float]


def train(
    split: Split,
    activation: str = "relu",
    *,
    epochs: int = EPOCHS,
    lr: float = LEARNING_RATE,
    batch_size: int = BATCH_SIZE,
    seed: int = 0,
    progress: bool = True,
) -> Run:
    """Train ``network(activation, seed)`` on the training images with ``fit``.

    Loss: the mean cross-entropy of each minibatch of ``batch_size`` images, shuffled
    each epoch by ``seed``; SGD with rate ``lr``, ``epochs`` passes over the data.
    """
    model = network(activation, seed)
    probe_X, probe_y = split.X_train[:PROBE_SIZE], split.y_train[:PROBE_SIZE]
    before = gradient_norms(model, probe_X, probe_y)
    history = fit(
        model,
        split.X_train,
        split.y_train,
        loss="cross_entropy",
        lr=lr,
        epochs=epochs,
        batch_size=batch_size,
        seed=seed,
        progress=progress,
    )
    return Run(
        activation,
        model,
        history,
        accuracy(model, split.X_test, split.y_test),
        before,
        gradient_norms(model, probe_X, probe_y),
    )
