"""Lesson 5, the capstone: the two-moons MLP learns to >= 97% accuracy."""

import math

import pytest

from chainrule.lessons.moons import LAYER_SIZES, accuracy, decision_grid, moons_data, train_moons
from nn import MLP


def plain_score(model, x):
    """The 2-16-16-1 network's score in plain floats: relu hidden layers, a linear output."""
    for index, layer in enumerate(model.layers):
        z = [n.bias.data + sum(w.data * xi for w, xi in zip(n.weights, x)) for n in layer.neurons]
        x = z if index == len(model.layers) - 1 else [max(0.0, v) for v in z]
    return x[0]


@pytest.fixture(scope="module")
def trained():
    X, y = moons_data()
    model, history = train_moons(X, y)
    return X, y, model, history


def test_moons_data_are_the_two_moons_with_signed_labels():
    X, y = moons_data(n=30, noise=0.0, seed=5)
    assert sorted(y) == [-1] * 15 + [1] * 15
    for (a, b), label in zip(X, y):
        if label == -1:  # (cos t, sin t), t in [0, pi]: the upper unit half circle
            assert math.hypot(a, b) == pytest.approx(1.0, abs=1e-12) and b >= -1e-12
        else:  # (1 - cos t, 0.5 - sin t): the lower half circle around (1, 0.5)
            assert math.hypot(1 - a, 0.5 - b) == pytest.approx(1.0, abs=1e-12)
            assert b <= 0.5 + 1e-12
    assert moons_data(n=30, noise=0.2, seed=5)[1] == moons_data(n=30, noise=0.2, seed=5)[1]


def test_the_capstone_mlp_reaches_97_percent(trained):
    X, y, model, history = trained
    assert model.layer_sizes == list(LAYER_SIZES)
    assert len(history.loss) == len(history.accuracy) > 0
    assert history.loss[-1] < history.loss[0]
    assert accuracy(model, X, y) >= 0.97


def test_accuracy_counts_the_signs_that_agree():
    model = MLP(2, [1], seed=0)  # a linear score w1 x1 + w2 x2
    w1, w2 = (w.data for w in model.layers[0].neurons[0].weights)
    X = [[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0]]
    y = [1, 1, 1, -1]
    expected = sum((w1 * a + w2 * b > 0) == (t > 0) for (a, b), t in zip(X, y)) / 4
    assert accuracy(model, X, y) == expected


def test_decision_grid_holds_the_models_scores(trained):
    X, _, model, _ = trained
    grid = decision_grid(model, X, resolution=7, margin=0.25)
    assert len(grid.xs) == len(grid.ys) == 7
    assert grid.xs[0] == pytest.approx(min(p[0] for p in X) - 0.25)
    assert grid.ys[-1] == pytest.approx(max(p[1] for p in X) + 0.25)
    low, high = min(p[0] for p in X) - 0.25, max(p[0] for p in X) + 0.25
    assert grid.xs == pytest.approx([low + (high - low) * i / 6 for i in range(7)])
    for i, y_value in enumerate(grid.ys):
        for j, x_value in enumerate(grid.xs):
            assert grid.scores[i][j] == pytest.approx(plain_score(model, [x_value, y_value]))


def test_decision_grid_rejects_a_bad_resolution(trained):
    with pytest.raises(ValueError, match=r"^decision_grid: expected resolution to be an int >= 2"):
        decision_grid(trained[2], trained[0], resolution=1)
