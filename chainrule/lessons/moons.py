"""Lesson 5, the capstone: an MLP learns the two moons, micrograd's demo on chainrule.

micrograd's demo trains a 2-16-16-1 ReLU network with the max-margin (hinge)
loss plus a small L2 penalty on 100 noisy two-moons points. Here the same
network and loss learn with minibatch SGD (10 points per step), which reaches
the same ~100% accuracy in a few seconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from autograd import Value, checks
from nn import MLP, History, fit, make_moons
from nn.losses import Labels
from nn.train import count_correct

LAYER_SIZES = (16, 16, 1)
"""Two hidden ReLU layers of 16 units and one linear output: the score."""
EPOCHS = 25
LEARNING_RATE = 0.2
BATCH_SIZE = 10


def moons_data(
    n: int = 100, noise: float = 0.1, seed: int = 0
) -> tuple[list[list[float]], list[int]]:
    """``nn.make_moons`` points with labels -1 and +1 (the signs the hinge loss expects)."""
    X, labels = make_moons(n, noise=noise, seed=seed)
    return X, [2 * label - 1 for label in labels]


def train_moons(
    X: Sequence[Sequence[float]],
    y: Sequence[int],
    *,
    seed: int = 0,
    epochs: int = EPOCHS,
    lr: float = LEARNING_RATE,
    batch_size: int = BATCH_SIZE,
    progress: bool = False,
) -> tuple[MLP, History]:
    """Train a fresh 2-16-16-1 ReLU MLP (weights from ``seed``) on points X with labels y in ±1.

    Loss: 1/n sum relu(1 - y_i score_i) + 1e-4 sum p^2 per minibatch (``nn.fit``'s
    "max_margin"). Returns the model and its History (loss and accuracy per epoch).
    """
    model = MLP(2, list(LAYER_SIZES), activation="relu", seed=seed)
    history = fit(
        model,
        X,
        y,
        loss="max_margin",
        lr=lr,
        epochs=epochs,
        batch_size=batch_size,
        seed=seed,
        progress=progress,
    )
    return model, history


def accuracy(model: MLP, X: Sequence[Sequence[float]], y: Sequence[int]) -> float:
    """The fraction of points whose score has the sign of their label (score 0 counts as -1)."""
    return count_correct([model(x) for x in X], list(y), Labels.SIGN) / len(X)


@dataclass(frozen=True)
class Grid:
    """``scores[i][j]`` is the model's score at the point (xs[j], ys[i]); its sign is the class."""

    xs: list[float]
    ys: list[float]
    scores: list[list[float]]


def decision_grid(
    model: MLP, X: Sequence[Sequence[float]], resolution: int = 50, margin: float = 0.5
) -> Grid:
    """The model's score on a ``resolution`` x ``resolution`` grid covering X plus ``margin``.

    The decision boundary is where the score crosses 0.
    """
    checks.integer(resolution, "decision_grid", "resolution", minimum=2)
    xs = _spaced(min(p[0] for p in X) - margin, max(p[0] for p in X) + margin, resolution)
    ys = _spaced(min(p[1] for p in X) - margin, max(p[1] for p in X) + margin, resolution)
    return Grid(xs, ys, [[cast(Value, model([x, y])).data for x in xs] for y in ys])


def _spaced(low: float, high: float, count: int) -> list[float]:
    """``count`` evenly spaced numbers from low to high, both included."""
    return [low + (high - low) * i / (count - 1) for i in range(count)]
