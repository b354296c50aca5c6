"""The fused fast path: a neuron's w·x+b, or act(w·x+b), as one graph node.

A layer of n inputs built from ``*`` and ``+`` makes 2n nodes per neuron; here each
neuron is one node of the op table's ``w·x+b`` row (bound to its activation row), its
inputs listed as weights, the layer's inputs, bias, and its local derivatives the chain
rule inside the neuron. The values equal the ``*``/``+``/activation graph's bit for bit.
Nodes are made by the engine's one node constructor, ``autograd.value._node``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from operator import attrgetter, mul
from typing import TypeVar, cast

from autograd import checks, ops
from autograd.ops import WEIGHTED_SUM, Op
from autograd.value import Operand, Value, _check_number, _constant, _node

_data = attrgetter("data")
T = TypeVar("T")


def _not_parameters(weights: Iterable[object], biases: Iterable[object], op: str) -> TypeError:
    """The error for a weight or bias that is not a Value (it must be, to get a grad)."""
    wrong = next(p for p in (*weights, *biases) if not isinstance(p, Value))
    return TypeError(f"{op}: weights and bias must be Values (they get grads), got {wrong!r}")


def _not_a_list(value: object, op: str, name: str, what: str, error: TypeError) -> TypeError:
    """The error to raise once ``tuple(value)`` failed with ``error``: ``error`` itself if
    ``value`` iterates (it came from inside), else one naming ``op``, ``name`` and the value.
    Called only on that failure, so the hot path keeps its plain ``tuple()``."""
    if isinstance(value, Iterable):
        return error
    return TypeError(
        f"{op}: expected {name} to be {what}, got {checks.shown(value)} ({type(value).__name__})"
    )


def _listed(value: Iterable[T], op: str, name: str, what: str) -> tuple[T, ...]:
    """``tuple(value)``, or a TypeError naming ``op``, ``name`` and the value (once a batch)."""
    try:
        return tuple(value)
    except TypeError as error:
        raise _not_a_list(value, op, name, what, error) from None


INPUTS = "a list of Values or numbers"
PARAMETERS = "a list of Values"


def _input_values(
    inputs: Iterable[Operand], op: str
) -> tuple[tuple[Value, ...], tuple[float, ...]]:
    """A layer's inputs as Values (numbers become leaves) and their data, read once."""
    try:
        xs = tuple(inputs)
    except TypeError as error:
        raise _not_a_list(inputs, op, "inputs", INPUTS, error) from None
    data = _data_of_values(xs)
    if data is not None:  # the hot path: every input already a Value
        return cast("tuple[Value, ...]", xs), data
    values = tuple(x if isinstance(x, Value) else _constant(x, op) for x in xs)
    return values, tuple(map(_data, values))


def _data_of_values(xs: tuple[object, ...]) -> tuple[float, ...] | None:
    """Every ``x.data`` when each x is a Value; else None.

    A Value's data is always a float; a numpy float also has ``.data`` (a memoryview),
    so the types of what was read tell the two apart.
    """
    try:  # a list comprehension reads the slots faster than map(_data, ...)
        data = tuple([x.data for x in xs])  # type: ignore[attr-defined]
    except AttributeError:
        return None
    return data if set(map(type, data)) <= _FLOAT else None


_FLOAT = {float}


def _layer_inputs(inputs: Iterable[Operand]) -> tuple[tuple[Value, ...] | None, tuple[float, ...]]:
    """(Values, data) of a layer's inputs, or (None, data) when every input is a number.

    Numbers can never carry a gradient (they are data, not parameters), so
    ``dense_layer`` builds no leaf for them; a mix of Values and numbers wraps the
    numbers as leaves, as ``weighted_sums`` does.
    """
    try:
        xs = tuple(inputs)
    except TypeError as error:
        raise _not_a_list(inputs, "dense_layer", "inputs", INPUTS, error) from None
    data = _data_of_values(xs)
    if data is not None:  # the hot path: every input already a Value
        return cast("tuple[Value, ...]", xs), data
    if any(isinstance(x, Value) for x in xs):
        return _input_values(xs, "dense_layer")
    return None, tuple([_check_number(x, "dense_layer") for x in xs])


def weighted_sum(weights: Iterable[Value], inputs: Iterable[Operand], bias: Value) -> Value:
    """w . x + b as one graph node:  d/dw_i = x_i,  d/dx_i = w_i,  d/db = 1.

    The fused form of a neuron's pre-activation: one node instead of 2n, with
    the same value and gradients as building it from ``*`` and ``+``.
    """
    return weighted_sums([weights], inputs, [bias])[0]


def weighted_sums(
    weight_rows: Iterable[Iterable[Value]], inputs: Iterable[Operand], biases: Iterable[Value]
) -> list[Value]:
    """[w_j . x + b_j for each row j]: a layer's weighted sums, one ``weighted_sum`` node each.

    The inputs are shared by every row, so they are wrapped and read once for the layer.
    """
    xs, x_data = _input_values(inputs, "weighted_sum")
    try:
        weight_rows = list(weight_rows)
    except TypeError as error:
        raise _not_a_list(weight_rows, "weighted_sum", "weights", PARAMETERS, error) from None
    try:
        biases = list(biases)
    except TypeError as error:
        raise _not_a_list(biases, "weighted_sum", "biases", PARAMETERS, error) from None
    if len(weight_rows) != len(biases):
        raise ValueError(f"weighted_sums: {len(weight_rows)} weight rows for {len(biases)} biases")
    sums = []
    for weights, bias in zip(weight_rows, biases):
        try:
            weights = tuple(weights)
        except TypeError as error:
            raise _not_a_list(weights, "weighted_sum", "weights", PARAMETERS, error) from None
        try:  # a list comprehension reads the slots faster than map(_data, ...)
            w_data = tuple([w.data for w in weights])
            total = bias.data
            # Summed left to right from b (not with sum(), compensated on Python >= 3.12), so
            # the node equals (b + w1 x1) + w2 x2 + ... built from * and + bit for bit.
            for w, x in zip(w_data, x_data):
                total += w * x
        except (AttributeError, TypeError):  # not a Value (the class Value has a .data too)
            raise _not_parameters(weights, [bias], "weighted_sum") from None
        if len(w_data) != len(x_data):
            raise ValueError(f"weighted_sum: {len(weights)} weights for {len(xs)} inputs")
        sums.append(_node(total, WEIGHTED_SUM, weights + xs + (bias,), x_data + w_data + (1.0,)))
    return sums


def _activate(row: Op | None) -> Callable[[float], tuple[float, float]]:
    """z -> (act(z), act'(z)) for an activation row (None: linear), from the row."""
    if row is None:
        return lambda z: (z, 1.0)
    argument = () if row.default is None else (row.default,)
    forward, derivatives = row.forward, row.derivatives

    def activate(z: float) -> tuple[float, float]:
        a = forward(z, *argument)
        return a, derivatives(a, z, *argument)[0]

    return activate


# activation name -> z -> (act(z), act'(z)), each as the Value method computes it
LAYER_ACTIVATIONS: dict[str, Callable[[float], tuple[float, float]]] = {
    "linear": _activate(None),
    **{name: _activate(row) for name, row in ops.ACTIVATIONS.items()},
}

PLAIN_SUM = sys.version_info < (3, 12)  # sum() of floats is compensated from 3.12 on


def _dot_plus(weights: tuple[float, ...], xs: tuple[float, ...], bias: float) -> float:
    """b + w1 x1 + w2 x2 + ..., left to right, as the * and + nodes add (3.12 and later)."""
    total = bias
    for w, x in zip(weights, xs):
        total += w * x
    return total


def _check_sums(sums: list[float]) -> None:
    """Raise naming the first weighted sum that is not finite."""
    for z in sums:
        if z - z != 0.0:  # a saturating activation would hide it
            raise OverflowError(f"dense_layer: w·x+b = {z!r} is not finite")


def dense_layer(
    weight_rows: Iterable[Iterable[Value]],
    inputs: Iterable[Operand],
    biases: Iterable[Value],
    activation: str = "linear",
) -> list[Value]:
    """[act(w_j . x + b_j) for each row j]: a layer, one graph node per neuron.

    With z = w . x + b and a = act(z), the node's local derivatives are the chain
    rule inside the neuron:  da/dw_i = act'(z) x_i,  da/dx_i = act'(z) w_i,
    da/db = act'(z).  Its inputs are listed as in ``weighted_sum`` (weights, the
    layer's inputs, bias), so the linear node is ``weighted_sum``'s. ``activation``
    is one of LAYER_ACTIVATIONS (leaky_relu's slope is ops.LEAKY_RELU_SLOPE). Values equal
    ``weighted_sum`` followed by the Value method bit for bit; grads too for
    slopes 0 and 1 (relu, linear), else up to rounding (act'(z) x_i is one
    product instead of two).
    """
    return dense_layer_batch(weight_rows, [inputs], biases, activation)[0]


def dense_layer_batch(
    weight_rows: Iterable[Iterable[Value]],
    input_rows: Iterable[Iterable[Operand]],
    biases: Iterable[Value],
    activation: str = "linear",
) -> list[list[Value]]:
    """``[dense_layer(weight_rows, x, biases, activation) for x in input_rows]``, faster.

    The same nodes, but each weight is read once for the whole batch instead of
    once per sample, as a float implementation holds its weights in a list.
    """
    try:
        activate = LAYER_ACTIVATIONS[activation]
    except (KeyError, TypeError):
        raise ValueError(
            f"dense_layer: expected activation to be one of {', '.join(LAYER_ACTIVATIONS)}, "
            f"got {activation!r}"
        ) from None
    layer = _LayerParameters.read(weight_rows, biases)
    row = (
        WEIGHTED_SUM
        if activation == "linear"
        else WEIGHTED_SUM.with_argument(ops.ACTIVATIONS[activation])
    )
    input_rows = _listed(input_rows, "dense_layer", "input_rows", "a list of input lists")
    try:
        return [layer.nodes(inputs, row, activate) for inputs in input_rows]
    except TypeError:  # the class Value as a parameter has a .data too, which is no number
        parameters = [p for neuron in layer.neurons for p in neuron[2]]
        if all(isinstance(p, Value) for p in parameters):
            raise
        raise _not_parameters(parameters, (), "dense_layer") from None


# A neuron's parameters read once for a batch, in the forms its nodes take them: its
# weights, its bias as a 1-tuple (a node's last edge), both (the edges of a node without
# input edges), the weights' data then 1.0 (d(w·x+b)/d(inputs, bias)), the bias's data.
# A plain tuple: the hot loop unpacks it, which is fast for a tuple and not a subclass.
_Neuron = tuple[tuple[Value, ...], tuple[Value], tuple[Value, ...], tuple[float, ...], float]


class _LayerParameters:
    """A layer's neurons read once for a batch, and the lengths of their weight rows."""

    __slots__ = ("neurons", "row_lengths")

    def __init__(self, neurons: list[_Neuron], row_lengths: set[int]) -> None:
        self.neurons, self.row_lengths = neurons, row_lengths

    @classmethod
    def read(
        cls, weight_rows: Iterable[Iterable[Value]], biases: Iterable[Value]
    ) -> _LayerParameters:
        """Read each neuron's weights and bias once; raise if they are not Values."""
        listed = _listed(weight_rows, "dense_layer", "weight_rows", "a list of lists of Values")
        neurons = [_listed(row, "dense_layer", "each weight row", PARAMETERS) for row in listed]
        bias_list = _listed(biases, "dense_layer", "biases", PARAMETERS)
        if len(neurons) != len(bias_list):
            raise ValueError(f"dense_layer: {len(neurons)} weight rows for {len(bias_list)} biases")
        try:  # read once: the parameters cannot change while the batch is computed
            rows: list[_Neuron] = [
                (weights, (bias,), (*weights, bias), (*[w.data for w in weights], 1.0), bias.data)
                for weights, bias in zip(neurons, bias_list)
            ]
        except AttributeError:
            raise _not_parameters(
                tuple(p for row in neurons for p in row), bias_list, "dense_layer"
            ) from None
        return cls(rows, {len(weights) for weights in neurons})

    def pre_activations(self, x_data: tuple[float, ...]) -> list[float]:
        """z = b + w1 x1 + w2 x2 + ... of each neuron, in the order the * and + nodes add."""
        # Unpacked into names, not ``*_``, which builds a list per neuron (3 µs more for 16).
        if PLAIN_SUM:  # in C; zip and map stop before w_then_one's 1.0
            zs = [sum(map(mul, w_then_one, x_data), b) for _, _, _, w_then_one, b in self.neurons]
        else:
            zs = [_dot_plus(w_then_one, x_data, b) for _, _, _, w_then_one, b in self.neurons]
        total = sum(zs)
        if total - total != 0.0:  # inf or nan somewhere (or an overflowing total): find it
            _check_sums(zs)
        return zs

    def nodes(
        self,
        inputs: Iterable[Operand],
        row: Op,
        activate: Callable[[float], tuple[float, float]],
    ) -> list[Value]:
        """One sample through the layer: a node act(w·x+b) per neuron, made by ``row``."""
        values, x_data = _layer_inputs(inputs)
        for n in self.row_lengths:
            if n != len(x_data):
                raise ValueError(f"dense_layer: {n} weights for {len(x_data)} inputs")
        x_then_one = (*x_data, 1.0)  # the local derivatives of a node without input edges
        # where act'(z) = 0; a node without input edges has only its weights' and bias's
        no_gradient = (0.0,) * (len(x_then_one) if values is None else 2 * len(x_data) + 1)
        relu = row.bound is ops.RELU
        slopes_are_0_or_1 = relu or row is WEIGHTED_SUM  # relu, or linear
        node = _node  # a local: read faster in the loop
        outs = []
        for (weights, bias, params, w_then_one, _), z in zip(
            self.neurons, self.pre_activations(x_data)
        ):
            # numbers in: edges to the parameters only
            edges = params if values is None else weights + values + bias
            if relu and z <= 0.0:  # off: act'(z) = 0 for every edge
                a, local_grads = 0.0, no_gradient
            else:  # d(w·x+b)/d(edges): x_i, w_i, 1
                unit_slope = x_then_one if values is None else x_data + w_then_one
                if slopes_are_0_or_1:  # relu on, or linear: act'(z) = 1
                    a, local_grads = z, unit_slope
                else:
                    a, slope = activate(z)
                    local_grads = tuple([slope * v for v in unit_slope])
            outs.append(node(a, row, edges, local_grads))
        return outs
