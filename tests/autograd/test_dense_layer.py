"""dense_layer: act(w·x+b) as one node per neuron, checked against the math written out."""

from __future__ import annotations

import math

import pytest

from autograd import Value, dense_layer, dense_layer_batch

WEIGHTS = [[0.5, -1.25, 2.0], [-0.75, 0.25, 1.5]]
BIASES = [0.1, -0.3]
X = [0.8, -0.4, 0.3]


def closed_form(activation: str, z: float) -> tuple[float, float]:
    """act(z) and act'(z) from the textbook formulas."""
    if activation == "relu":
        return max(0.0, z), 1.0 if z > 0 else 0.0
    if activation == "leaky_relu":
        return (z, 1.0) if z > 0 else (0.01 * z, 0.01)
    if activation == "tanh":
        return math.tanh(z), 1.0 / math.cosh(z) ** 2
    if activation == "sigmoid":
        s = 1.0 / (1.0 + math.exp(-z))
        return s, s * (1.0 - s)
    return z, 1.0


def layer_values() -> tuple[list[list[Value]], list[Value], list[Value]]:
    weights = [[Value(w) for w in row] for row in WEIGHTS]
    return weights, [Value(b) for b in BIASES], [Value(x) for x in X]


@pytest.mark.parametrize("activation", ["relu", "leaky_relu", "tanh", "sigmoid", "linear"])
def test_values_and_grads_are_the_chain_rule_inside_each_neuron(activation):
    weights, biases, xs = layer_values()
    outs = dense_layer(weights, xs, biases, activation)
    (outs[0] + outs[1]).backward()
    for j, (row, b) in enumerate(zip(WEIGHTS, BIASES)):
        z = b + sum(w * x for w, x in zip(row, X))
        a, slope = closed_form(activation, z)
        assert outs[j].data == pytest.approx(a, rel=1e-14, abs=1e-15)
        assert [w.grad for w in weights[j]] == pytest.approx([slope * x for x in X], rel=1e-12)
        assert biases[j].grad == pytest.approx(slope, rel=1e-12)
    slopes = [
        closed_form(activation, b + sum(map(float.__mul__, row, X)))[1]
        for row, b in zip(WEIGHTS, BIASES)
    ]
    expected_x_grads = [sum(s * row[i] for s, row in zip(slopes, WEIGHTS)) for i in range(3)]
    assert [x.grad for x in xs] == pytest.approx(expected_x_grads, rel=1e-12)


def test_the_node_records_its_op_inputs_and_local_derivatives():
    weights, biases, xs = layer_values()
    first, second = dense_layer(weights, xs, biases, "relu")
    assert first.op == "relu(w·x+b)"  # z = 0.1 + 0.4 + 0.5 + 0.6 = 1.6 > 0
    assert first.inputs == (*weights[0], *xs, biases[0])
    assert first.local_grads == (*X, *WEIGHTS[0], 1.0)
    assert second.data == 0.0  # z = -0.3 - 0.6 - 0.1 + 0.45 < 0: no gradient flows
    assert second.local_grads == (0.0,) * 7
    (linear,) = dense_layer([weights[0]], xs, [biases[0]])
    assert linear.op == "w·x+b"


def test_a_batch_gives_the_nodes_of_one_call_per_sample():
    weights, biases, _ = layer_values()
    rows = [[Value(x) for x in X], [Value(-x) for x in X], [Value(2.0), Value(0.0), Value(-1.0)]]
    batch = dense_layer_batch(weights, rows, biases, "tanh")
    for xs, outs in zip(rows, batch):
        one_by_one = dense_layer(weights, xs, biases, "tanh")
        assert [(o.data, o.op, o.inputs, o.local_grads) for o in outs] == [
            (o.data, o.op, o.inputs, o.local_grads) for o in one_by_one
        ]
    assert dense_layer_batch(weights, [], biases) == []


def test_number_inputs_get_no_leaves_since_no_gradient_can_reach_them():
    weights, biases, _ = layer_values()
    first, second = dense_layer(weights, X, biases, "relu")
    assert first.inputs == (*weights[0], biases[0])  # edges to the parameters only
    assert first.local_grads == (*X, 1.0)
    assert second.local_grads == (0.0,) * 4  # relu off
    (first + second).backward()
    assert [w.grad for w in weights[0]] == X and biases[0].grad == 1.0
    assert [w.grad for w in weights[1]] == [0.0] * 3


def test_a_mix_of_values_and_numbers_wraps_the_numbers_as_shared_leaves():
    weights, biases, _ = layer_values()
    x = Value(X[0])
    first, second = dense_layer(weights, [x, X[1], X[2]], biases, "linear")
    assert first.inputs[3] is x and first.inputs[4:6] == second.inputs[4:6]
    assert all(leaf.op == "" and leaf.inputs == () for leaf in first.inputs[4:6])
    assert [leaf.data for leaf in first.inputs[4:6]] == X[1:]


def test_bad_arguments_raise_naming_dense_layer():
    weights, biases, xs = layer_values()
    with pytest.raises(ValueError, match=r"dense_layer: expected activation to be one of .*'soft"):
        dense_layer(weights, xs, biases, "softmax")
    with pytest.raises(TypeError, match=r"dense_layer: weights and bias must be Values .* 0\.5"):
        dense_layer([[0.5, *weights[0][1:]], weights[1]], xs, biases)
    with pytest.raises(ValueError, match=r"dense_layer: 3 weights for 2 inputs"):
        dense_layer(weights, xs[:2], biases)
    with pytest.raises(ValueError, match=r"dense_layer: 2 weight rows for 1 biases"):
        dense_layer(weights, xs, biases[:1])
    with pytest.raises(TypeError, match=r"dense_layer: expected an int or float, got 'x'"):
        dense_layer(weights, [0.1, "x", 0.2], biases)
    with pytest.raises(TypeError, match=r"dense_layer: expected an int or float, got True"):
        dense_layer(weights, [0.1, True, Value(0.2)], biases)
    with pytest.raises(ValueError, match=r"dense_layer: expected a finite number, got nan"):
        dense_layer(weights, [0.1, float("nan"), 0.2], biases)


def test_an_overflowing_weighted_sum_is_an_error_even_below_a_saturating_activation():
    weights = [[Value(1e308), Value(1e308)]]
    with pytest.raises(OverflowError, match=r"dense_layer: w·x\+b = inf is not finite"):
        dense_layer(weights, [Value(1.0), Value(1.0)], [Value(0.0)], "tanh")
