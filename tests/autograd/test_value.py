"""Each op's forward value and derivative against its closed form, in plain floats.

The references below are written independently of the engine (``1 / cosh^2``
for tanh', ``e^-a / (1 + e^-a)^2`` for sigma', ...), so a slip in an op's local
derivative shows up as a mismatch here.
"""

from __future__ import annotations

import math

import pytest

from autograd import Value, weighted_sum, weighted_sums


def _sigmoid(a: float) -> float:
    return 1.0 / (1.0 + math.exp(-a))


# (op name as recorded on the node, the op on a Value, forward(a), d/da, points a)
UNARY = [
    ("neg", lambda v: -v, lambda a: -a, lambda a: -1.0, [-2.0, 0.0, 3.5]),
    ("exp", lambda v: v.exp(), math.exp, math.exp, [-3.0, 0.0, 2.0]),
    ("log", lambda v: v.log(), math.log, lambda a: 1.0 / a, [0.1, 1.0, 7.0]),
    ("tanh", lambda v: v.tanh(), math.tanh, lambda a: 1.0 / math.cosh(a) ** 2, [-2.0, 0.0, 0.7]),
    (
        "sigmoid",
        lambda v: v.sigmoid(),
        _sigmoid,
        lambda a: math.exp(-a) / (1.0 + math.exp(-a)) ** 2,
        [-30.0, -3.0, 0.0, 2.5, 30.0],
    ),
    ("relu", lambda v: v.relu(), lambda a: max(a, 0.0), lambda a: float(a > 0), [-1.5, 0.0, 2.0]),
    (
        "leaky_relu",
        lambda v: v.leaky_relu(),
        lambda a: a if a > 0 else 0.01 * a,
        lambda a: 1.0 if a > 0 else 0.01,
        [-1.5, 0.0, 2.0],
    ),
    (
        "leaky_relu",
        lambda v: v.leaky_relu(0.2),
        lambda a: a if a > 0 else 0.2 * a,
        lambda a: 1.0 if a > 0 else 0.2,
        [-1.5, 2.0],
    ),
    ("**3", lambda v: v**3, lambda a: a * a * a, lambda a: 3.0 * a * a, [-2.0, 0.0, 1.5]),
    ("**2", lambda v: v**2.0, lambda a: a * a, lambda a: 2.0 * a, [-2.0, 0.0, 1.5]),
    ("**0.5", lambda v: v**0.5, math.sqrt, lambda a: 0.5 / math.sqrt(a), [0.25, 4.0]),
    ("**-1", lambda v: v**-1, lambda a: 1.0 / a, lambda a: -1.0 / (a * a), [-2.0, 0.5]),
    ("**0", lambda v: v**0, lambda a: 1.0, lambda a: 0.0, [-2.0, 0.0, 3.0]),
    ("**", lambda v: 2**v, lambda a: 2.0**a, lambda a: 2.0**a * math.log(2.0), [-1.0, 0.0, 3.5]),
]

# (op name, the op on two Values, forward(a, b), (d/da, d/db), points (a, b))
BINARY = [
    ("+", lambda u, v: u + v, lambda a, b: a + b, lambda a, b: (1.0, 1.0), [(2.0, -3.5)]),
    ("-", lambda u, v: u - v, lambda a, b: a - b, lambda a, b: (1.0, -1.0), [(2.0, -3.5)]),
    ("*", lambda u, v: u * v, lambda a, b: a * b, lambda a, b: (b, a), [(2.0, -3.5), (0.0, 4.0)]),
    (
        "/",
        lambda u, v: u / v,
        lambda a, b: a / b,
        lambda a, b: (1.0 / b, -a / (b * b)),
        [(2.0, -3.5), (0.0, 0.25)],
    ),
    (
        "**",
        lambda u, v: u**v,
        lambda a, b: math.exp(b * math.log(a)),
        lambda a, b: (
            b * math.exp((b - 1.0) * math.log(a)),
            math.exp(b * math.log(a)) * math.log(a),
        ),
        [(2.0, -3.5), (0.5, 2.0), (3.0, 0.0)],
    ),
]


def _close(actual: float, expected: float) -> bool:
    return actual == pytest.approx(expected, rel=1e-12, abs=1e-15)


@pytest.mark.parametrize(
    ("op", "apply", "forward", "derivative", "a"),
    [(op, f, fwd, d, a) for op, f, fwd, d, points in UNARY for a in points],
)
def test_unary_op_value_and_derivative(op, apply, forward, derivative, a):
    x = Value(a)
    y = apply(x)
    y.backward()
    assert y.op == op
    assert _close(y.data, forward(a))
    assert _close(x.grad, derivative(a))


@pytest.mark.parametrize(
    ("op", "apply", "forward", "derivatives", "a", "b"),
    [(op, f, fwd, d, a, b) for op, f, fwd, d, points in BINARY for a, b in points],
)
def test_binary_op_value_and_derivatives(op, apply, forward, derivatives, a, b):
    x, y = Value(a), Value(b)
    z = apply(x, y)
    z.backward()
    d_da, d_db = derivatives(a, b)
    assert z.op == op
    assert z.inputs == (x, y)
    assert _close(z.data, forward(a, b))
    assert _close(x.grad, d_da)
    assert _close(y.grad, d_db)
    assert z.local_grads == (x.grad, y.grad)  # the record backward() read


@pytest.mark.parametrize(("op", "apply"), [(op, f) for op, f, *_ in BINARY if op != "**"])
@pytest.mark.parametrize("number", [3, 3.0])
def test_a_number_on_either_side_is_a_leaf_in_operand_order(op, apply, number):
    x = Value(2.0)
    left, right = apply(number, x), apply(x, number)
    both_values = apply(Value(number), Value(2.0)).data, apply(Value(2.0), Value(number)).data
    assert (left.data, right.data) == both_values
    assert type(left.data) is float and type(right.data) is float
    assert left.inputs[1] is x and right.inputs[0] is x
    for wrapped in (left.inputs[0], right.inputs[1]):
        assert (wrapped.data, wrapped.op, wrapped.inputs) == (3.0, "", ())


@pytest.mark.parametrize("number", [3, 3.0])
def test_a_number_exponent_is_part_of_the_op_and_a_number_base_a_leaf(number):
    x = Value(2.0)
    power, exponential = x**number, number**x
    assert (power.op, power.inputs, power.data) == ("**3", (x,), 8.0)
    assert (exponential.op, exponential.inputs[1], exponential.data) == ("**", x, 9.0)
    assert exponential.inputs[0].data == 3.0


def test_sigmoid_is_stable_far_from_zero():
    for a, expected in ((800.0, 1.0), (-800.0, 0.0)):
        x = Value(a)
        s = x.sigmoid()
        s.backward()
        assert (s.data, x.grad) == (expected, 0.0)


def test_leaky_relu_takes_an_int_slope():
    x = Value(-2.0)
    x.leaky_relu(1).backward()
    assert x.grad == 1.0


def test_weighted_sum_is_one_node_with_the_grads_of_the_op_by_op_form():
    ws, xs, b = [0.5, -1.25, 2.0], [3.0, 0.25, -1.0], 0.75

    fused_w, fused_b = [Value(w) for w in ws], Value(b)
    fused_x = [Value(x) for x in xs]
    fused = weighted_sum(fused_w, fused_x, fused_b)
    fused.backward()

    assert fused.op == "w·x+b"
    assert fused.inputs == (*fused_w, *fused_x, fused_b)
    assert fused.data == sum(w * x for w, x in zip(ws, xs)) + b
    assert [w.grad for w in fused_w] == xs
    assert [x.grad for x in fused_x] == ws
    assert fused_b.grad == 1.0


def test_weighted_sum_wraps_numbers_as_inputs():
    w, b = Value(2.0), Value(1.0)
    out = weighted_sum([w], [3], b)
    out.backward()
    assert (out.data, w.grad) == (7.0, 3.0)
    assert out.inputs[1].data == 3.0


def test_weighted_sums_is_one_weighted_sum_per_row_sharing_the_inputs():
    rows, biases, xs = [[0.5, -1.25], [2.0, 0.125], [-3.0, 1.0]], [0.75, -0.5, 0.0], [3, -2.0]
    layer_w = [[Value(w) for w in row] for row in rows]
    layer_b = [Value(b) for b in biases]
    sums = weighted_sums(layer_w, xs, layer_b)
    shared_x = sums[0].inputs[2:4]
    assert all(s.inputs[2:4] == shared_x for s in sums)  # numbers wrapped once, for every row
    (sums[0] * sums[1] + sums[2]).backward()

    single_w = [[Value(w) for w in row] for row in rows]
    single_b = [Value(b) for b in biases]
    single_x = [Value(x) for x in xs]
    singles = [weighted_sum(w, single_x, b) for w, b in zip(single_w, single_b)]
    (singles[0] * singles[1] + singles[2]).backward()

    assert [s.data for s in sums] == [s.data for s in singles]
    assert [w.grad for row in layer_w for w in row] == [w.grad for row in single_w for w in row]
    assert [b.grad for b in layer_b] == [b.grad for b in single_b]
    assert [x.grad for x in shared_x] == [x.grad for x in single_x]


def test_a_new_value_is_a_float_leaf():
    x = Value(3, label="x")
    assert type(x.data) is float
    assert (x.data, x.grad, x.label, x.op, x.inputs, x.local_grads) == (3.0, 0.0, "x", "", (), ())
    with pytest.raises(AttributeError):  # __slots__: a mistyped attribute is refused
        x.gradient = 1.0
    assert not hasattr(x, "__dict__")


def test_repr_shows_data_grad_and_label():
    assert repr(Value(1.5)) == "Value(data=1.5, grad=0.0)"
    assert repr(Value(1.5, label="w")) == "Value(data=1.5, grad=0.0, label='w')"


def test_unary_plus_is_the_value_itself():
    x = Value(1.0)
    assert +x is x
