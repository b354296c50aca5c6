"""SGD: the update rule, momentum, and rejected settings."""

import math

import pytest

from autograd import Value
from nn import SGD


def test_step_moves_each_parameter_against_its_gradient():
    params = [Value(1.0), Value(-2.0)]
    params[0].grad, params[1].grad = 0.5, -3.0
    SGD(params, lr=0.1).step()
    assert [p.data for p in params] == [1.0 - 0.1 * 0.5, -2.0 - 0.1 * -3.0]


def test_momentum_accumulates_a_velocity():
    p = Value(1.0)
    optimizer = SGD([p], lr=0.1, momentum=0.9)
    expected, velocity = 1.0, 0.0
    for grad in (2.0, 1.0, -0.5):
        p.grad = grad
        optimizer.step()
        velocity = 0.9 * velocity + grad
        expected -= 0.1 * velocity
        assert p.data == pytest.approx(expected, abs=1e-15)


def test_zero_grad_and_a_learning_rate_schedule():
    p = Value(1.0)
    p.grad = 4.0
    optimizer = SGD([p], lr=0.5)
    optimizer.lr = 0.25
    optimizer.step()
    assert p.data == 0.0
    optimizer.zero_grad()
    assert p.grad == 0.0


@pytest.mark.parametrize(
    ("lr", "error", "message"),
    [
        (0, ValueError, r"a number > 0\.0, got 0$"),
        (0.0, ValueError, r"a number > 0\.0, got 0\.0$"),
        (-0.1, ValueError, r"a number > 0\.0, got -0\.1$"),
        (math.nan, ValueError, "a finite number, got nan$"),
        (math.inf, ValueError, "a finite number, got inf$"),
        (10**400, ValueError, r"a finite number, got 1000.*0 \(401 characters\)$"),
        (True, TypeError, r"a number, got True \(bool\)$"),
        ("0.1", TypeError, r"a number, got '0\.1' \(str\)$"),
        (None, TypeError, r"a number, got None \(NoneType\)$"),
    ],
)
def test_bad_learning_rates_are_rejected(lr, error, message):
    with pytest.raises(error, match=r"^SGD: expected lr to be " + message):
        SGD([Value(1.0)], lr=lr)
    optimizer = SGD([Value(1.0)], lr=0.1)
    with pytest.raises(error, match=r"^SGD: expected lr to be " + message):
        optimizer.lr = lr
    assert optimizer.lr == 0.1


@pytest.mark.parametrize(
    ("momentum", "error"),
    [
        *((bad, ValueError) for bad in (-0.1, 1.0, 1.5, math.nan)),
        *((bad, TypeError) for bad in (True, "0.9")),
    ],
)
def test_bad_momentum_is_rejected(momentum, error):
    with pytest.raises(error, match=r"^SGD: expected momentum to be a .*number.*, got"):
        SGD([Value(1.0)], lr=0.1, momentum=momentum)


def test_parameters_must_be_values():
    with pytest.raises(ValueError, match=r"^SGD: expected params to hold at least one Value"):
        SGD([], lr=0.1)
    with pytest.raises(TypeError, match=r"^SGD: expected each parameter to be a Value, got 1\.0"):
        SGD([1.0], lr=0.1)
    with pytest.raises(TypeError, match=r"^SGD: expected params to be a list, got 5 \(int\)"):
        SGD(5, lr=0.1)
    generated = (Value(float(i)) for i in range(3))
    assert len(SGD(generated, lr=0.1).params) == 3
