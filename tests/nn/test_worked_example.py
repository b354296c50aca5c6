"""The lessons' worked example, built from two sigmoid Neurons, against plain floats."""

import math
from itertools import pairwise

import pytest

from nn import SGD, Neuron, squared_error

X, W1, B1, W2, B2, T, LR = 0.1, 0.15, 0.4, 0.45, 0.65, 0.25, 0.4


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def plain_float_step(w1: float, b1: float, w2: float, b2: float) -> dict:
    """Forward, backward (the chain rule by hand) and one SGD update, in plain floats."""
    a1 = sigmoid(w1 * X + b1)
    a2 = sigmoid(w2 * a1 + b2)
    error = 0.5 * (T - a2) ** 2
    delta2 = (a2 - T) * a2 * (1.0 - a2)  # dE/dz2 = dE/da2 * da2/dz2
    delta1 = delta2 * w2 * a1 * (1.0 - a1)  # dE/dz1 = dE/dz2 * dz2/da1 * da1/dz1
    grads = {"w1": delta1 * X, "b1": delta1, "w2": delta2 * a1, "b2": delta2}
    params = {"w1": w1, "b1": b1, "w2": w2, "b2": b2}
    updated = {name: params[name] - LR * grads[name] for name in params}
    return {"a1": a1, "a2": a2, "error": error, "grads": grads, "updated": updated}


def network(w1=W1, b1=B1, w2=W2, b2=B2, fused=True):
    first = Neuron(1, "sigmoid", weights=[w1], bias=b1, fused=fused)
    second = Neuron(1, "sigmoid", weights=[w2], bias=b2, fused=fused)
    return first, second


@pytest.mark.parametrize("fused", [True, False])
def test_forward_backward_and_update_match_plain_floats(fused):
    first, second = network(fused=fused)
    a1 = first([X])
    a2 = second([a1])
    error = squared_error(a2, T)
    error.backward()
    expected = plain_float_step(W1, B1, W2, B2)
    assert a1.data == pytest.approx(expected["a1"], abs=1e-12)
    assert a2.data == pytest.approx(expected["a2"], abs=1e-12)
    assert error.data == pytest.approx(expected["error"], abs=1e-12)
    params = {"w1": first.weights[0], "b1": first.bias, "w2": second.weights[0], "b2": second.bias}
    for name, param in params.items():
        assert param.grad == pytest.approx(expected["grads"][name], abs=1e-12), name
    SGD(params.values(), lr=LR).step()
    for name, param in params.items():
        assert param.data == pytest.approx(expected["updated"][name], abs=1e-12), name


def test_one_update_gives_the_course_numbers():
    first, second = network()
    squared_error(second([first([X])]), T).backward()
    SGD([*first.parameters(), *second.parameters()], lr=LR).step()
    assert round(second.weights[0].data, 4) == 0.4272
    assert round(second.bias.data, 4) == 0.6121
    assert round(first.weights[0].data, 4) == 0.1496
    assert round(first.bias.data, 4) == 0.3959


def test_repeated_updates_follow_plain_floats_and_reduce_the_error():
    first, second = network()
    optimizer = SGD([*first.parameters(), *second.parameters()], lr=LR)
    params = {"w1": W1, "b1": B1, "w2": W2, "b2": B2}
    errors = []
    for _ in range(20):
        error = squared_error(second([first([X])]), T)
        optimizer.zero_grad()
        error.backward()
        optimizer.step()
        expected = plain_float_step(**params)
        assert error.data == pytest.approx(expected["error"], abs=1e-12)
        params = expected["updated"]
        errors.append(error.data)
    assert second.weights[0].data == pytest.approx(params["w2"], abs=1e-12)
    assert all(later < earlier for earlier, later in pairwise(errors))
