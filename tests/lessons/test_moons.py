"""Lesson 5, the capstone: the two-moons MLP learns to >= 97% accuracy."""

import pytest

from nn import MLP, make_moons
from nn.lessons.moons import LAYER_SIZES, accuracy, decision_grid, moons_data, train_moons


@pytest.fixture(scope="module")
def trained():
    X, y = moons_data()
    model, history = train_moons(X, y)
    return X, y, model, history


def test_moons_data_are_make_moons_with_signed_labels():
    X, y = moons_data(n=30, noise=0.2, seed=5)
    X_expected, labels = make_moons(30, noise=0.2, seed=5)
    assert X_expected == X
    assert y == [1 if label == 1 else -1 for label in labels]


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
    for i, y_value in enumerate(grid.ys):
        for j, x_value in enumerate(grid.xs):
            assert grid.scores[i][j] == model([x_value, y_value]).data


def test_decision_grid_rejects_a_bad_resolution(trained):
    with pytest.raises(ValueError, match=r"^decision_grid: expected resolution to be an int >= 2"):
        decision_grid(trained[2], trained[0], resolution=1)
