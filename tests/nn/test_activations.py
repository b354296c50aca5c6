"""Activations by name: values against closed forms, derivatives against central differences."""

import math
import re
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, gradcheck
from nn import ACTIVATIONS, Layer, get_activation, softmax
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
    assert [a.name for a in ACTIVATIONS.values()] == list(ACTIVATIONS)


def documented_range(text: str):
    """A test x -> is x in the range as documented, e.g. "(0, 1)", "[0, inf)", "{0, 1}"."""
    if text.startswith("{"):
        members = {float(m) for m in text.strip("{}").split(",")}
        return lambda x: x in members
    found = re.search(r"([(\[])(-?inf|-?[\d.]+), (-?inf|-?[\d.]+)([)\]])", text)
    assert found, text
    opening, low, high, closing = found.groups()
    low, high = float(low), float(high)

    def within(x: float) -> bool:
        above = x > low or (opening == "[" and x == low)
        below = x < high or (closing == "]" and x == high)
        return above and below

    return within


def value_and_derivative(name: str, x: float) -> tuple[float, float]:
    """f(x) and f'(x) by backward(); softmax as softmax([x, 0])[0]."""
    x_value = Value(x)
    activation = get_activation(name)
    out = activation.fn([x_value, 0.0])[0] if activation.across_layer else activation.fn(x_value)
    out.backward()
    return out.data, x_value.grad


# |x| <= 10: beyond, sigmoid and tanh round to their open bounds (tanh(20) == 1.0 in floats).
@settings(deadline=None)
@given(st.floats(-10.0, 10.0))
def test_values_lie_in_the_documented_range_and_derivatives_under_the_documented_bound(x):
    for name, activation in ACTIVATIONS.items():
        value, derivative = value_and_derivative(name, x)
        assert documented_range(activation.range)(value), (name, x, value)
        bound = re.search(r"at most (\S+)", activation.derivative)
        if bound:  # "at most 1/4 (at x = 0)"
            assert derivative <= float(Fraction(bound.group(1))), (name, x, derivative)


def test_the_documented_maximum_of_the_derivative_is_reached_at_zero():
    assert value_and_derivative("sigmoid", 0.0)[1] == 0.25
    assert value_and_derivative("tanh", 0.0)[1] == 1.0


@settings(deadline=None)
@given(st.floats(-50.0, 50.0))
def test_only_the_step_passes_no_gradient(x):
    for name, activation in ACTIVATIONS.items():
        _, derivative = value_and_derivative(name, x)
        if not activation.learns:
            assert derivative == 0.0
        elif name in ("sigmoid", "tanh", "softmax"):
            assert derivative >= 0.0  # may underflow to 0 far out
        else:
            assert derivative > 0.0 or (name == "relu" and x <= 0.0)
    assert [name for name, a in ACTIVATIONS.items() if not a.learns] == ["step"]


def test_only_softmax_acts_across_a_layer():
    assert [name for name, a in ACTIVATIONS.items() if a.across_layer] == ["softmax"]
    scores = [0.5, -1.0, 2.0]
    total = sum(math.exp(s) for s in scores)
    outputs = get_activation("softmax").fn([Value(s) for s in scores])
    assert [p.data for p in outputs] == pytest.approx([math.exp(s) / total for s in scores])
    layer = Layer(2, 3, activation="softmax", seed=0)
    assert all(n.activation == "linear" for n in layer.neurons)  # softmax comes after them


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
    with pytest.raises(ValueError, match=r"^softmax: expected at least one value"):
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
