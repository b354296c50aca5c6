"""fit's compiled step: the same losses, accuracies and parameters as the graph's step.

Each test trains two copies of one model from the same weights, with ``compiled=True``
and ``compiled=False``, and compares them step by step.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value
from nn import MLP, SGD, Layer, Neuron, fit
from nn.compiled import compiled_step
from nn.losses import LOSSES

COMPILED_ACTIVATIONS = ["linear", "relu", "leaky_relu", "tanh", "sigmoid"]


def data(n_inputs: int, n_outputs: int, loss: str, size: int = 12) -> tuple[list, list]:
    """Inputs and targets for ``loss``, from sines (deterministic, no randomness)."""
    X = [[math.sin(3.0 * i + k) for k in range(n_inputs)] for i in range(size)]
    if loss == "max_margin":
        y: list = [1 if math.cos(i) > 0 else -1 for i in range(size)]
    elif loss == "cross_entropy":
        y = [i % n_outputs for i in range(size)]
    else:
        y = [[math.cos(i + j) for j in range(n_outputs)] for i in range(size)]
    return X, y


def twins(make: type | object, *args: object, **kwargs: object) -> tuple:
    return make(*args, **kwargs), make(*args, **kwargs)  # type: ignore[operator]


def assert_same_training(
    compiled: object, interpreted: object, X: list, y: list, **options: object
) -> None:
    """fit both, one step per epoch: losses, accuracies and parameters agree to 1e-12."""
    first = fit(compiled, X, y, progress=False, **options)  # type: ignore[arg-type]
    second = fit(interpreted, X, y, progress=False, compiled=False, **options)  # type: ignore[arg-type]
    for a, b in zip(first.loss, second.loss, strict=True):
        assert abs(a - b) <= 1e-12 * max(1.0, abs(b))
    assert first.accuracy == second.accuracy
    for p, q in zip(compiled.parameters(), interpreted.parameters(), strict=True):  # type: ignore[attr-defined]
        assert abs(p.data - q.data) <= 1e-12 * max(1.0, abs(q.data))
        assert abs(p.grad - q.grad) <= 1e-12 * max(1.0, abs(q.grad))


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from(COMPILED_ACTIVATIONS),
    st.sampled_from(COMPILED_ACTIVATIONS),
    st.sampled_from(sorted(LOSSES)),
    st.lists(st.integers(1, 5), min_size=1, max_size=3),
    st.integers(1, 4),
    st.sampled_from([None, 5]),
    st.integers(0, 10**6),
)
def test_random_mlps_train_the_same_compiled_or_not(
    hidden: str,
    output: str,
    loss: str,
    widths: list[int],
    n_inputs: int,
    batch_size: int | None,
    seed: int,
) -> None:
    n_outputs = 1 if loss == "max_margin" else widths[-1] + 1
    if loss == "cross_entropy":
        output = "linear"  # cross_entropy wants raw scores
    sizes = [*widths[:-1], n_outputs]
    a, b = twins(MLP, n_inputs, sizes, activation=hidden, output_activation=output, seed=seed)
    X, y = data(n_inputs, n_outputs, loss)
    assert compiled_step(a, LOSSES[loss], SGD(a.parameters(), 0.1), X[0], y[0]) is not None
    assert_same_training(a, b, X, y, loss=loss, lr=0.3, epochs=3, batch_size=batch_size, seed=1)


@pytest.mark.parametrize("loss", sorted(LOSSES))
def test_a_layer_and_a_neuron_and_an_unfused_mlp_too(loss: str) -> None:
    n_outputs = 1 if loss == "max_margin" else 3
    X, y = data(2, n_outputs, loss)
    if loss != "max_margin":  # which takes one score per sample, not a Layer's list
        layers = twins(Layer, 2, n_outputs, "tanh", seed=3)
        assert_same_training(*layers, X, y, loss=loss, epochs=3)
    mlps = twins(MLP, 2, [4, n_outputs], activation="sigmoid", seed=4, fused=False)
    assert_same_training(*mlps, X, y, loss=loss, epochs=3)
    if n_outputs == 1:
        assert_same_training(*twins(Neuron, 2, "relu", seed=2), X, y, loss=loss, epochs=3)


def test_a_frozen_parameter_stays_and_the_others_learn_the_same() -> None:
    a, b = twins(MLP, 2, [3, 1], seed=5)
    X, y = data(2, 1, "max_margin")
    options = {"loss": "max_margin", "epochs": 4}
    first = fit(a, X, y, optimizer=SGD(a.parameters()[1:], 0.5), progress=False, **options)
    second = fit(
        b, X, y, optimizer=SGD(b.parameters()[1:], 0.5), progress=False, compiled=False, **options
    )
    assert first.loss == pytest.approx(second.loss, rel=1e-12, abs=1e-12)
    assert a.parameters()[0].data == b.parameters()[0].data
    assert a.parameters()[0].grad == pytest.approx(b.parameters()[0].grad, rel=1e-12)


def test_what_it_cannot_write_out_keeps_the_graphs_step() -> None:
    X, y = data(2, 3, "mse")
    softmax = MLP(2, [3], output_activation="softmax", seed=0)
    assert compiled_step(softmax, LOSSES["mse"], SGD(softmax.parameters(), 0.1), X[0], y[0]) is None
    step = MLP(2, [2, 3], activation="step", seed=0)
    assert compiled_step(step, LOSSES["mse"], SGD(step.parameters(), 0.1), X[0], y[0]) is None
    model = MLP(2, [3], seed=0)
    foreign = SGD([*model.parameters(), Value(1.0)], 0.1)
    assert compiled_step(model, LOSSES["mse"], foreign, X[0], y[0]) is None
    assert compiled_step(model, None, foreign, X[0], y[0]) is None
    assert_same_training(*twins(MLP, 2, [3], output_activation="softmax", seed=0), X, y, epochs=2)


def test_a_second_fit_compiles_nothing_and_another_structure_its_own_code() -> None:
    model = MLP(2, [4, 1], seed=0)
    X, y = data(2, 1, "max_margin")
    optimizer = SGD(model.parameters(), 0.1)
    first = compiled_step(model, LOSSES["max_margin"], optimizer, X[0], y[0])
    fit(model, X, y, loss="max_margin", optimizer=optimizer, epochs=1, progress=False)
    again = compiled_step(model, LOSSES["max_margin"], optimizer, X[0], y[0])
    assert first is not None and again is not None and again.sample is first.sample
    other = MLP(2, [4, 1], activation="tanh", seed=0)
    changed = compiled_step(other, LOSSES["max_margin"], SGD(other.parameters(), 0.1), X[0], y[0])
    assert changed is not None and changed.sample is not first.sample


def test_overflowing_logits_are_run_on_the_graph_which_shifts_them() -> None:
    """e^1000 overflows a float: that batch runs on the graph, whose cross_entropy is stable."""
    a, b = twins(MLP, 2, [3], seed=0)
    for model in (a, b):
        for p in model.parameters():
            p.data *= 900.0
    X, y = data(2, 3, "cross_entropy")
    assert_same_training(a, b, X, y, loss="cross_entropy", lr=1e-4, epochs=2)


def test_bad_targets_get_the_graphs_clear_error() -> None:
    model = MLP(2, [1], seed=0)
    with pytest.raises(ValueError, match="max_margin_loss: expected each label to be one of -1, 1"):
        fit(model, [[0.0, 1.0]], [0], loss="max_margin", progress=False)
