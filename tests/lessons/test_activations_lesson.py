"""Lesson 4, activation functions, against their closed forms and central differences."""

import itertools
import math
import random

import pytest

from chainrule.lessons.activations import (
    THRESHOLD,
    curve,
    softmax_jacobian,
    table,
    threshold_task,
    train_threshold_neuron,
)
from nn import ACTIVATIONS

XS = [-3.0, -1.2, -0.01, 0.02, 0.7, 2.5]


def sigmoid(x):
    return 1.0 / (1.0 + math.exp(-x))


CLOSED_FORMS = {
    "sigmoid": (sigmoid, lambda x: sigmoid(x) * (1.0 - sigmoid(x))),
    "tanh": (math.tanh, lambda x: 1.0 - math.tanh(x) ** 2),
    "relu": (lambda x: max(0.0, x), lambda x: 1.0 if x > 0 else 0.0),
    "leaky_relu": (lambda x: x if x > 0 else 0.01 * x, lambda x: 1.0 if x > 0 else 0.01),
    "softmax": (
        lambda x: math.exp(x) / (math.exp(x) + 1.0),
        lambda x: math.exp(x) / (math.exp(x) + 1.0) * (1.0 - math.exp(x) / (math.exp(x) + 1.0)),
    ),
    "step": (lambda x: 1.0 if x >= 0 else 0.0, lambda x: 0.0),
    "linear": (lambda x: x, lambda x: 1.0),
}


def test_the_lesson_covers_all_seven_activations():
    assert set(CLOSED_FORMS) == set(ACTIVATIONS)
    assert [row[0] for row in table()] == list(ACTIVATIONS)


@pytest.mark.parametrize("name", sorted(CLOSED_FORMS))
def test_curve_values_and_derivatives_match_the_closed_forms(name):
    f, derivative = CLOSED_FORMS[name]
    sampled = curve(name, XS)
    assert sampled.name == name
    assert sampled.xs == XS
    assert sampled.values == pytest.approx([f(x) for x in XS], rel=1e-12, abs=1e-15)
    assert sampled.derivatives == pytest.approx([derivative(x) for x in XS], rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "softmax", "linear", "leaky_relu"])
def test_curve_derivatives_match_central_differences_away_from_kinks(name):
    f, _ = CLOSED_FORMS[name]
    eps = 1e-6
    numeric = [(f(x + eps) - f(x - eps)) / (2 * eps) for x in XS]
    assert curve(name, XS).derivatives == pytest.approx(numeric, abs=1e-8)


def test_curve_says_which_function_it_samples():
    assert curve("tanh", [0.0]).function == "tanh(x)"
    assert curve("softmax", [0.0]).function == "softmax([x, 0])[0]"


def test_the_sigmoid_derivative_is_at_most_a_quarter():
    xs = [i / 10 for i in range(-60, 61)]
    derivatives = curve("sigmoid", xs).derivatives
    assert max(derivatives) == 0.25  # at x = 0 exactly
    assert all(d <= 0.25 for d in derivatives)


# The table's range column, as the sets the closed forms above map the reals into.
RANGES = {
    "(0, 1)": lambda v: 0 < v < 1,
    "(-1, 1)": lambda v: -1 < v < 1,
    "[0, inf)": lambda v: v >= 0,
    "(-inf, inf)": lambda v: True,
    "{0, 1}": lambda v: v in (0.0, 1.0),
    "each in (0, 1), summing to 1": lambda v: 0 < v < 1,
}


def test_table_rows_state_each_activations_range_and_formula():
    rows = table()
    assert [len(row) for row in rows] == [5] * 7
    for name, formula, value_range, _, use in rows:
        f, _ = CLOSED_FORMS[name]
        assert all(RANGES[value_range](f(x)) for x in XS), (name, value_range)
        assert formula and use
    by_name = {row[0]: row for row in rows}
    assert by_name["relu"][2] == "[0, inf)" and by_name["sigmoid"][2] == "(0, 1)"
    assert by_name["sigmoid"][3].startswith("σ(x)·(1 − σ(x))")
    assert by_name["tanh"][3].startswith("1 − tanh(x)²")


def test_softmax_jacobian_matches_the_closed_form():
    scores = [1.0, 2.0, 0.5, -1.0]
    exps = [math.exp(s) for s in scores]
    probabilities = [e / sum(exps) for e in exps]
    jacobian = softmax_jacobian(scores)
    for i, row in enumerate(jacobian):
        expected = [probabilities[i] * ((i == j) - probabilities[j]) for j in range(len(scores))]
        assert row == pytest.approx(expected, abs=1e-15)
        assert sum(row) == pytest.approx(0.0, abs=1e-15)


def test_threshold_task_labels_by_the_threshold():
    xs, targets = threshold_task(n=21)
    assert xs[0] == -1.0 and xs[-1] == 1.0 and len(xs) == 21
    assert targets == [1.0 if x > THRESHOLD else 0.0 for x in xs]


def test_a_sigmoid_neuron_learns_the_threshold_and_a_step_neuron_cannot():
    sigmoid_errors = train_threshold_neuron("sigmoid", epochs=30)
    step_errors = train_threshold_neuron("step", epochs=30)
    assert len(sigmoid_errors) == len(step_errors) == 31
    assert all(b < a for a, b in itertools.pairwise(sigmoid_errors))
    assert sigmoid_errors[-1] < 0.5 * sigmoid_errors[0]
    # The step's derivative is 0, so no update ever changes the weights: E never moves.
    assert len(set(step_errors)) == 1
    xs, targets = threshold_task()
    # The step neuron's E, from its untrained weight and bias 0, in plain floats: the
    # weight is nn's documented initialisation, uniform(-1, 1) from random.Random(seed=0).
    w = random.Random(0).uniform(-1.0, 1.0)
    expected = 0.5 * sum((t - (1.0 if w * x >= 0 else 0.0)) ** 2 for x, t in zip(xs, targets))
    assert step_errors[0] == expected


def test_bad_arguments_are_clear_errors():
    with pytest.raises(ValueError, match=r"^threshold_task: expected n to be an int >= 2, got 1$"):
        threshold_task(n=1)
    with pytest.raises(TypeError, match=r"^threshold_task: expected n to be an int, got 2.0"):
        threshold_task(n=2.0)
    with pytest.raises(ValueError, match=r"^train_threshold_neuron: expected epochs .* got -1$"):
        train_threshold_neuron("sigmoid", epochs=-1)
    with pytest.raises(
        ValueError, match=r"^curve: expected activation to be one of .* got 'swish'"
    ):
        curve("swish", [0.0])
