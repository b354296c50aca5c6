"""Any wrong argument to nn's public functions is a TypeError or ValueError naming the function.

Each slot below puts one arbitrary value in one argument of an otherwise good call. The
call may accept it (3 is a fine layer size) or refuse it, but only with TypeError or
ValueError, whose message starts with the name of the function (or module) refusing it:
never Python's own "'int' object is not iterable", an AttributeError or a RecursionError.
A number of the right type may also overflow in the engine (1e154 ** 2): an
OverflowError naming the op, the engine's rule for a result that is not finite.
"""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value
from nn import (
    MLP,
    SGD,
    Layer,
    Neuron,
    cross_entropy,
    fit,
    get_activation,
    line_data,
    make_circles,
    make_moons,
    max_margin_loss,
    mse,
    softmax,
    squared_error,
)

ANYTHING = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**400), 10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=4),
    st.binary(max_size=2),
    st.complex_numbers(max_magnitude=10),
    st.lists(st.one_of(st.none(), st.integers(-3, 3), st.floats(-3, 3), st.text(max_size=2))),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    st.builds(Value, st.floats(-3, 3)),
    st.just(object()),
    st.just(random.Random(0)),
    st.sampled_from(["relu", "softmax", "mse", "max_margin"]),
)


def set_lr(value):
    SGD([Value(1.0)], lr=0.1).lr = value


def small_fit(**settings):
    arguments = {"X": [[1.0], [2.0]], "y": [1, -1], "epochs": 1, "progress": False} | settings
    fit(Neuron(1, "linear", seed=0), **arguments)


SLOTS = {
    "Neuron n_inputs": ("neuron", lambda v: Neuron(v, seed=0)),
    "Neuron activation": ("neuron", lambda v: Neuron(2, v, seed=0)),
    "Neuron weights": ("neuron", lambda v: Neuron(2, weights=v)),
    "Neuron a weight": ("neuron", lambda v: Neuron(1, weights=[v])),
    "Neuron bias": ("neuron", lambda v: Neuron(1, bias=v, seed=0)),
    "Neuron rng": ("neuron", lambda v: Neuron(1, rng=v)),
    "Neuron call": ("neuron", lambda v: Neuron(2, seed=0)(v)),
    "Layer n_inputs": ("Layer", lambda v: Layer(v, 2, seed=0)),
    "Layer n_outputs": ("Layer", lambda v: Layer(2, v, seed=0)),
    "Layer call": ("Layer", lambda v: Layer(2, 2, seed=0)(v)),
    "MLP n_inputs": ("MLP", lambda v: MLP(v, [2], seed=0)),
    "MLP layer_sizes": ("MLP", lambda v: MLP(2, v, seed=0)),
    "MLP a layer size": ("MLP", lambda v: MLP(2, [v], seed=0)),
    "MLP activation": ("MLP", lambda v: MLP(2, [1], activation=v, seed=0)),
    "MLP output_activation": ("MLP", lambda v: MLP(2, [1], output_activation=v, seed=0)),
    "MLP call": ("MLP", lambda v: MLP(2, [1], seed=0)(v)),
    "get_activation": ("get_activation", get_activation),
    "SGD params": ("SGD", lambda v: SGD(v, lr=0.1)),
    "SGD lr": ("SGD", lambda v: SGD([Value(1.0)], lr=v)),
    "SGD lr set": ("SGD", set_lr),
    "SGD momentum": ("SGD", lambda v: SGD([Value(1.0)], lr=0.1, momentum=v)),
    "squared_error pred": ("squared_error", lambda v: squared_error(v, 1.0)),
    "squared_error target": ("squared_error", lambda v: squared_error(Value(1.0), v)),
    "mse targets": ("mse", lambda v: mse([Value(1.0), Value(2.0)], v)),
    "cross_entropy logits": ("cross_entropy", lambda v: cross_entropy(v, 0)),
    "cross_entropy index": ("cross_entropy", lambda v: cross_entropy([Value(1.0)] * 2, v)),
    "max_margin_loss scores": ("max_margin_loss", lambda v: max_margin_loss(v, [1])),
    "max_margin_loss ys": ("max_margin_loss", lambda v: max_margin_loss([Value(1.0)], v)),
    "max_margin_loss alpha": (
        "max_margin_loss",
        lambda v: max_margin_loss([Value(1.0)], [1], alpha=v),
    ),
    "softmax": ("softmax", softmax),
    # fit hands each sample to the model and each target to the loss, which name themselves
    "fit X": (("fit", "neuron"), lambda v: small_fit(X=v)),
    "fit y": (("fit", "mse"), lambda v: small_fit(y=v)),
    "fit loss": ("fit", lambda v: small_fit(loss=v)),
    "fit batch_size": ("fit", lambda v: small_fit(batch_size=v)),
    "fit lr": ("fit", lambda v: small_fit(lr=v)),
    "make_moons n": ("make_moons", lambda v: make_moons(v)),
    "make_moons noise": ("make_moons", lambda v: make_moons(10, noise=v)),
    "make_circles factor": ("make_circles", lambda v: make_circles(10, factor=v)),
    "line_data slope": ("line_data", lambda v: line_data(slope=v)),
}
# Where a value passes on into the engine (Value(x) or an op on it), the engine names itself.
ENGINE = ("Value:", "+:", "-:", "*:", "/:", "**:", "weighted_sum:")


@pytest.mark.parametrize("slot", list(SLOTS))
@settings(max_examples=60, deadline=None)
@given(value=ANYTHING)
def test_a_wrong_argument_is_a_type_or_value_error_naming_the_function(slot, value):
    owners, call = SLOTS[slot]
    names = tuple(f"{owner}: " for owner in ((owners,) if isinstance(owners, str) else owners))
    try:
        call(value)
    except (TypeError, ValueError) as error:
        assert str(error).startswith(names + ENGINE), str(error)
    except OverflowError as error:
        assert str(error).startswith(ENGINE), str(error)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: MLP(2, 3), TypeError, "MLP: expected layer_sizes to be a list, got 3 (int)"),
        (lambda: MLP(2, None), TypeError, "MLP: expected layer_sizes to be a list, got None"),
        (lambda: MLP(2, [1])(5), TypeError, "MLP: expected xs to be a list of 2 inputs, got 5"),
        (
            lambda: squared_error(Value(1.0), None),
            TypeError,
            "squared_error: expected target to be a Value, a number or a list of them, got None",
        ),
        (lambda: SGD([Value(1.0)], lr=10**400), ValueError, "SGD: expected lr to be a finite"),
        (
            lambda: Neuron(2, weights=[10**400, 1]),
            ValueError,
            "neuron: expected w1 to be a finite number, got 1000",
        ),
    ],
)
def test_the_reported_leaks_name_the_function_and_the_argument(call, error, message):
    with pytest.raises(error) as raised:
        call()
    assert str(raised.value).startswith(message)


def test_a_generator_and_numpy_integers_are_taken():
    numpy = pytest.importorskip("numpy")
    model = Neuron(1, "linear", weights=[1.0], bias=0.0)
    history = fit(model, ([x] for x in (1.0, 2.0)), (t for t in (1.0, 2.0)), progress=False)
    assert history.loss[0] == 0.0  # output = x = target: nothing to learn
    assert mse(Value(3), numpy.int64(1)).data == mse(Value(3), numpy.float64(1)).data == 4.0
