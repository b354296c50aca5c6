"""Lesson 1, gradient descent, against the closed form of descent on a parabola."""

import itertools
import re

import pytest

from chainrule.lessons.gradient_descent import (
    LEARNING_RATE,
    W0,
    XS,
    ZS,
    cost,
    critical_learning_rate,
    descend,
    descend_with_values,
    gradient,
    optimal_weight,
)


def closed_form_weights(xs, zs, w0, lr, steps):
    """w_k = w* + (1 - 2 lr S)^k (w0 - w*), with S = sum x^2 and w* = sum x z / S."""
    s = sum(x * x for x in xs)
    w_star = sum(x * z for x, z in zip(xs, zs)) / s
    return [w_star + (1 - 2 * lr * s) ** k * (w0 - w_star) for k in range(steps + 1)]


def test_the_lesson_data_is_the_line_z_equals_2x():
    assert tuple(2 * x for x in XS) == ZS
    assert optimal_weight() == pytest.approx(2.0, abs=1e-15)
    assert cost(2.0) == pytest.approx(0.0, abs=1e-28)


def test_cost_and_gradient_match_the_formula_and_central_differences():
    for w in (-1.3, 0.2, 2.0, 3.7):
        plain = sum((z - w * x) ** 2 for x, z in zip(XS, ZS))
        assert cost(w) == pytest.approx(plain, rel=1e-15)
        eps = 1e-6
        numeric = (cost(w + eps) - cost(w - eps)) / (2 * eps)
        assert gradient(w) == pytest.approx(numeric, abs=1e-8)


def test_descent_follows_the_closed_form_and_converges_to_2():
    steps = descend(steps=30)
    expected = closed_form_weights(XS, ZS, W0, LEARNING_RATE, 30)
    assert [s.iteration for s in steps] == list(range(31))
    for step, w in zip(steps, expected):
        assert step.w == pytest.approx(w, abs=1e-12)
        assert step.cost == pytest.approx(cost(w), abs=1e-12)
        assert step.gradient == pytest.approx(gradient(w), abs=1e-12)
    assert steps[-1].w == pytest.approx(2.0, abs=1e-6)


def test_the_first_step_is_the_biggest_and_the_steps_shrink():
    ws = [s.w for s in descend()]
    moves = [after - before for before, after in itertools.pairwise(ws)]
    assert all(m > 0 for m in moves)  # lr = 0.4 < 1/(2S): no overshoot
    assert all(later < earlier for earlier, later in itertools.pairwise(moves))
    assert moves[0] == pytest.approx(-LEARNING_RATE * gradient(W0), rel=1e-15)


def test_descent_with_values_equals_the_hand_derived_descent():
    for lr in (0.02, 0.4, 2.0):
        by_hand = descend(lr=lr, steps=15)
        by_backward = descend_with_values(lr=lr, steps=15)
        for a, b in zip(by_hand, by_backward):
            assert b.iteration == a.iteration
            assert b.w == pytest.approx(a.w, abs=1e-12)
            assert b.cost == pytest.approx(a.cost, abs=1e-12)
            assert b.gradient == pytest.approx(a.gradient, abs=1e-12)


def test_critical_learning_rate_separates_convergence_from_divergence():
    lr_star = critical_learning_rate()
    assert lr_star == pytest.approx(1 / sum(x * x for x in XS), rel=1e-15)
    below = descend(lr=0.95 * lr_star, steps=200)
    above = descend(lr=1.05 * lr_star, steps=200)
    assert abs(below[-1].w - 2.0) < 1e-3
    assert abs(above[-1].w - 2.0) > 1e3
    distances = [abs(s.w - 2.0) for s in above]
    assert all(later > earlier for earlier, later in itertools.pairwise(distances))


def test_a_tiny_learning_rate_crawls():
    crawl = descend(lr=0.02, steps=10)
    expected = closed_form_weights(XS, ZS, W0, 0.02, 10)
    assert crawl[-1].w == pytest.approx(expected[-1], abs=1e-12)
    assert crawl[-1].w < 1.0  # still far from w* = 2 after 10 steps


def test_other_data_and_start():
    xs, zs = [1.0, -2.0, 0.5], [0.3, 1.1, -0.4]
    steps = descend(xs, zs, w0=-1.0, lr=0.1, steps=20)
    for step, w in zip(steps, closed_form_weights(xs, zs, -1.0, 0.1, 20)):
        assert step.w == pytest.approx(w, abs=1e-12)


@pytest.mark.parametrize(
    ("lr", "error"),
    [
        *((bad, ValueError) for bad in (0.0, -0.1, float("nan"), float("inf"))),
        *((bad, TypeError) for bad in (True, "0.4", None)),
    ],
)
def test_bad_learning_rate_is_a_clear_error(lr, error):
    with pytest.raises(error, match=r"^descend: expected lr to be a (finite )?number.*, got"):
        descend(lr=lr)


@pytest.mark.parametrize(
    ("steps", "error"), [(-1, ValueError), (2.5, TypeError), (True, TypeError)]
)
def test_bad_step_count_is_a_clear_error(steps, error):
    with pytest.raises(error, match=rf"^descend_with_values: expected steps .* got {steps!r}"):
        descend_with_values(steps=steps)


def test_bad_data_is_a_clear_error():
    with pytest.raises(ValueError, match=r"^descend: expected as many targets zs as inputs xs"):
        descend([1.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"^critical_learning_rate: expected xs to hold a nonzero"):
        critical_learning_rate([0.0, 0.0])


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: descend(xs=5), "descend: expected xs to be a list, got 5 (int)"),
        (lambda: descend(zs=None), "descend: expected zs to be a list, got None (NoneType)"),
        (lambda: descend(xs=[1.0, "2"], zs=[1.0, 2.0]), "descend: expected each of xs to be"),
        (lambda: descend(w0="0.2"), "descend: expected w0 to be a number, got '0.2' (str)"),
        (lambda: optimal_weight(zs=[None] * 5), "optimal_weight: expected each of zs to be"),
        (lambda: critical_learning_rate(None), "critical_learning_rate: expected xs to be a list"),
    ],
)
def test_data_of_the_wrong_type_is_a_type_error_naming_the_function(call, message):
    with pytest.raises(TypeError, match="^" + re.escape(message)):
        call()
