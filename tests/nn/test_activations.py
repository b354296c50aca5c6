"""Activations by name: values against closed forms, derivatives against central differences."""

import math

import pytest

from autograd import Value, gradcheck
from nn import ACTIVATIONS, get_activation, softmax
from nn.activations import step

CLOSED_FORMS = {
    "sigmoid": lambda x: 1.0 / (1.0 + math.exp(-x)),
    "tanh": math.tanh,
    "relu": lambda x: max(0.0, x),
    "leaky_relu": lambda x: x if x > 0 else 0.01 * x,
    "step": lambda x: 1.0 if x >= 0 else 0.0,
    "linear": lambda x: x,
}
# Away from the kinks of relu, leaky_relu and step at 0, where no derivative exists.
POINTS = [-2.5, -0.3, 0.4, 1.7]


def test_the_seven_names_each_with_documented_math():
    assert list(ACTIVATIONS) == [
        "sigmoid",
        "tanh",
        "relu",
        "leaky_relu",
        "softmax",
        "step",
        "linear",
    ]
    for name, activation in ACTIVATIONS.items():
        assert activation.name == name
        assert activation.formula and activation.range and activation.derivative


@pytest.mark.parametrize("name", list(CLOSED_FORMS))
@pytest.mark.parametrize("x", POINTS)
def test_value_and_derivative(name, x):
    fn = get_activation(name).fn
    assert fn(Value(x)).data == pytest.approx(CLOSED_FORMS[name](x), abs=1e-15)
    result = gradcheck(fn, [x])
    assert result, result


def test_step_has_zero_derivative_and_is_one_at_zero():
    for x in (-1.0, 0.0, 2.0):
        v = Value(x)
        out = step(v)
        out.backward()
        assert v.grad == 0.0
    assert step(Value(0.0)).data == 1.0
    assert "cannot learn" in step.__doc__


def test_linear_is_the_identity():
    v = Value(3.0)
    assert get_activation("linear").fn(v) is v


def test_softmax_sums_to_one_and_matches_the_formula():
    xs = [0.5, -1.0, 2.0, 0.0]
    total = sum(math.exp(x) for x in xs)
    out = softmax(xs)
    assert [p.data for p in out] == pytest.approx([math.exp(x) / total for x in xs], abs=1e-15)
    assert sum(p.data for p in out) == pytest.approx(1.0, abs=1e-15)


def test_softmax_is_stable_for_large_inputs():
    out = softmax([Value(1000.0), Value(999.0), Value(-1000.0)])
    # e^1000 overflows a float; the closed form divides through by e^1000 first.
    denominator = 1.0 + math.exp(-1.0) + math.exp(-2000.0)
    assert [p.data for p in out] == pytest.approx(
        [1.0 / denominator, math.exp(-1.0) / denominator, 0.0], abs=1e-15
    )


def test_softmax_derivative_against_central_differences():
    def weighted(a, b, c):
        p = softmax([a, b, c])
        return p[0] * 1.0 + p[1] * -2.0 + p[2] * 0.5

    result = gradcheck(weighted, [0.2, -0.4, 1.1])
    assert result, result


def test_softmax_of_nothing_is_an_error():
    with pytest.raises(ValueError, match="softmax: needs at least one value"):
        softmax([])


def test_unknown_name_lists_the_valid_ones():
    with pytest.raises(ValueError) as error:
        get_activation("gelu")
    assert str(error.value) == (
        "get_activation: expected activation to be one of 'sigmoid', 'tanh', 'relu', "
        "'leaky_relu', 'softmax', 'step', 'linear', got 'gelu'"
    )
    with pytest.raises(TypeError, match=r"^Layer: expected activation to be a str, got None"):
        get_activation(None, "Layer")
