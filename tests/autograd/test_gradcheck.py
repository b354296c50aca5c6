"""gradcheck itself: it must catch a wrong derivative, not just agree with a right one."""

from __future__ import annotations

import math

import pytest

from autograd import GradcheckResult, Value, gradcheck, ops


def _product_and_tanh(x: Value, y: Value) -> Value:
    return x * y + x.tanh()


def test_a_correct_gradient_passes_with_the_closed_form_values():
    x, y = 0.7, -1.3
    result = gradcheck(_product_and_tanh, [x, y])
    expected = (y + 1.0 / math.cosh(x) ** 2, x)  # d/dx, d/dy of x y + tanh x
    assert result
    assert result.analytic == pytest.approx(expected, rel=1e-12)
    assert result.numeric == pytest.approx(expected, rel=1e-8)
    assert result.max_error < 1e-8


def test_a_wrong_local_derivative_is_caught(monkeypatch):
    def tanh_with_a_wrong_derivative(self: Value) -> Value:
        t = math.tanh(self.data)
        out = Value(t)
        out.row, out.inputs, out.local_grads = ops.TANH, (self,), (1.0 - t,)  # should be 1 - t^2
        return out

    monkeypatch.setattr(Value, "tanh", tanh_with_a_wrong_derivative)
    x = 0.5
    result = gradcheck(lambda v: v.tanh(), [x])
    t = math.tanh(x)
    assert not result
    assert result.analytic == (1.0 - t,)
    assert result.max_error == pytest.approx(abs((1.0 - t) - (1.0 - t * t)), rel=1e-6)


def test_max_error_is_relative_above_one_and_absolute_below():
    # f = 1000 x^2 at x = 1: the derivative 2000 is compared relatively.
    big = gradcheck(lambda v: 1000.0 * v * v, [1.0])
    assert big.numeric[0] == pytest.approx(2000.0, rel=1e-8)
    assert big.max_error == pytest.approx(abs(2000.0 - big.numeric[0]) / big.numeric[0])
    # f = x^3 / 1000 at x = 0.1: the derivative 3e-5 is compared absolutely.
    small = gradcheck(lambda v: v**3 / 1000.0, [0.1])
    assert small.max_error == pytest.approx(abs(small.analytic[0] - small.numeric[0]))


@pytest.mark.parametrize(
    ("max_error", "passes"), [(0.0, True), (1e-6, True), (1e-5, True), (1.1e-5, False)]
)
def test_truthiness_is_max_error_at_most_1e_5(max_error, passes):
    assert bool(GradcheckResult((1.0,), (1.0,), max_error)) is passes


def test_gradcheck_uses_the_given_step():
    # A quadratic's central difference is exact for any step; a cubic's error is eps^2.
    result = gradcheck(lambda v: v**3, [1.0], eps=1e-2)
    assert result.numeric[0] == pytest.approx(3.0 + 1e-4, rel=1e-9)


def test_a_kink_fails_the_check():
    # relu at 0: backward uses 0, the central difference sees (eps - 0) / (2 eps) = 1/2.
    result = gradcheck(lambda v: v.relu(), [0.0])
    assert not result
    assert result.numeric[0] == pytest.approx(0.5)


def test_no_inputs_is_a_pass():
    assert gradcheck(lambda: Value(1.0) * 2, []).max_error == 0.0


@pytest.mark.parametrize("eps", [0.0, -1e-6])
def test_a_non_positive_step_is_refused(eps):
    with pytest.raises(ValueError, match=r"gradcheck: expected eps to be a number > 0"):
        gradcheck(lambda v: v, [1.0], eps=eps)


@pytest.mark.parametrize(
    ("f", "inputs", "message"),
    [
        (3, [1.0], "gradcheck: expected f to be a function of Values, got 3"),
        (lambda v: v, 5, "gradcheck: expected inputs to be a list of numbers, got 5 (int)"),
        (
            lambda v, w: v * w,
            [1.0, "a"],
            "gradcheck: expected inputs[1] to be a number, got 'a' (str)",
        ),
    ],
)
def test_bad_arguments_are_named_in_one_line(f, inputs, message):
    with pytest.raises(TypeError) as caught:
        gradcheck(f, inputs)
    assert str(caught.value) == message
