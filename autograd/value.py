"""The scalar engine: a ``Value`` and its ops.

Every op computes its forward value and, right beside it, the local derivative
of that value with respect to each input. Both are stored as plain numbers on
the result (``inputs`` and ``local_grads``, in operand order), so the graph is a
record of the chain rule that ``backward()``, drawing and explanations all read.
No op keeps a closure: a dropped graph has no reference cycles and is freed at
once by reference counting instead of waiting for the cyclic garbage collector.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Iterable
from numbers import Real
from operator import attrgetter, mul
from typing import Union, cast

from autograd import checks
from autograd.graph import topological_order

Number = Union[int, float]  # noqa: UP007 - a runtime alias, kept valid on 3.10
Operand = Union["Value", int, float]
_new = object.__new__
_data = attrgetter("data")
_grad = attrgetter("grad")
_inputs = attrgetter("inputs")


def _check_number(data: object, op: str) -> float:
    """Return ``data`` as a finite float, or raise naming ``op`` and the value."""
    if type(data) is not float:  # the common cases, a float or an int, skip the ABC check
        if type(data) is not int and (isinstance(data, bool) or not isinstance(data, Real)):
            raise TypeError(f"{op}: expected an int or float, got {data!r} ({type(data).__name__})")
        try:
            data = float(data)
        except OverflowError:  # an int beyond the largest float, e.g. 10**400
            raise ValueError(f"{op}: expected a finite number, got {checks.shown(data)}") from None
    if data - data != 0.0:  # true only for inf and nan
        raise ValueError(f"{op}: expected a finite number, got {data!r}")
    return data


def _constant(number: object, op: str) -> Value:
    """A number operand of ``op`` as a new leaf; a bad operand raises naming ``op``."""
    return _node(_check_number(number, op), "", (), ())


def _node(data: float, op: str, inputs: tuple[Value, ...], local_grads: tuple[float, ...]) -> Value:
    """A new Value, made without ``__init__``'s checks (the caller did them); op "" is a leaf."""
    if data - data != 0.0:
        raise OverflowError(
            f"{op}: result {data!r} is not finite "
            f"(inputs {', '.join(repr(v.data) for v in inputs)})"
        )
    out = _new(Value)
    out.data = data
    out.grad = 0.0
    out._label = ""
    out.op = op
    out.inputs = inputs
    out.local_grads = local_grads
    return out


class Value:
    """A scalar in a computation graph, with the gradient of a root with respect to it.

    Attributes:
        data: the forward value, a finite float.
        grad: d(root)/d(self) after ``root.backward()``; 0.0 before.
        label: a name shown in drawings and explanations: a str UTF-8 can encode,
            checked when set (so a bad label fails where it is given, not when drawn).
        op: "" for a leaf, else the op that made this value ("+", "*", "tanh", ...).
        inputs: the Values this one was computed from, in operand order.
        local_grads: d(self)/d(input) for each of ``inputs``, in the same order.
    """

    __slots__ = ("data", "grad", "_label", "op", "inputs", "local_grads")

    def __init__(self, data: Number, label: str = "") -> None:
        self.data = _check_number(data, "Value")
        self.grad = 0.0
        self.label = label
        self.op = ""
        self.inputs: tuple[Value, ...] = ()
        self.local_grads: tuple[float, ...] = ()

    @property
    def label(self) -> str:
        """The name shown in drawings and explanations ("" for none)."""
        return self._label

    @label.setter
    def label(self, label: str) -> None:
        self._label = checks.text(label, "Value", "label")

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label})"

    def named(self, label: str) -> Value:
        """Set ``label`` and return this Value, to name a node as it is built:
        ``a1 = (w1 * x + b1).sigmoid().named("a1")``."""
        self.label = checks.text(label, "named", "label")
        return self

    # -- arithmetic --------------------------------------------------------
    def __add__(self, other: Operand) -> Value:
        """a + b;  d/da = 1,  d/db = 1."""
        other = other if isinstance(other, Value) else _constant(other, "+")
        return _node(self.data + other.data, "+", (self, other), (1.0, 1.0))

    def __radd__(self, other: Number) -> Value:
        """other + self. ``0 + self`` (the int 0 that ``sum()`` starts from) is ``self``
        itself: a sum of Values draws no stray ``0`` node, and every gradient is the same."""
        if type(other) is int and other == 0:
            return self
        return _constant(other, "+") + self

    def __sub__(self, other: Operand) -> Value:
        """a - b;  d/da = 1,  d/db = -1."""
        other = other if isinstance(other, Value) else _constant(other, "-")
        return _node(self.data - other.data, "-", (self, other), (1.0, -1.0))

    def __rsub__(self, other: Number) -> Value:
        """other - self."""
        return _constant(other, "-") - self

    def __mul__(self, other: Operand) -> Value:
        """a * b;  d/da = b,  d/db = a."""
        other = other if isinstance(other, Value) else _constant(other, "*")
        return _node(self.data * other.data, "*", (self, other), (other.data, self.data))

    def __rmul__(self, other: Number) -> Value:
        """other * self."""
        return _constant(other, "*") * self

    def __truediv__(self, other: Operand) -> Value:
        """a / b;  d/da = 1/b,  d/db = -a/b^2.  Raises ZeroDivisionError for b = 0.

        The quotient is a / b itself, not a * (1/b): for a tiny b the inverse can
        overflow while the quotient is finite (1e-10 / 1e-310 = 1e300). The local
        derivatives are then too large for a float; ``backward()`` reports that
        where a gradient would become infinite.
        """
        other = other if isinstance(other, Value) else _constant(other, "/")
        b = other.data
        if b == 0.0:
            raise ZeroDivisionError(f"/: division of {self.data!r} by zero")
        quotient = self.data / b
        return _node(quotient, "/", (self, other), (1.0 / b, -quotient / b))

    def __rtruediv__(self, other: Number) -> Value:
        """other / self."""
        return _constant(other, "/") / self

    def __neg__(self) -> Value:
        """-a;  d/da = -1."""
        return _node(-self.data, "neg", (self,), (-1.0,))

    def __pos__(self) -> Value:
        return self

    def __pow__(self, exponent: Operand) -> Value:
        """a ** n for a number n:  d/da = n a^(n-1).

        a ** b for a Value b (needs a > 0):  d/da = b a^(b-1),  d/db = a^b ln a.
        A negative base to a fractional power, or a zero base where the value or
        its derivative is infinite, raises a ValueError / ZeroDivisionError.
        """
        if isinstance(exponent, Value):
            return self._pow_value(exponent)
        n = _check_number(exponent, "**")
        a = self.data
        if a < 0.0 and not n.is_integer():
            raise ValueError(f"**: negative base {a!r} to the fractional power {n!r}")
        if a == 0.0 and n < 1.0 and n != 0.0:
            if n < 0.0:
                raise ZeroDivisionError(f"**: zero base to the negative power {n!r}")
            raise ValueError(f"**: 0.0 ** {n!r} has an infinite derivative at 0")
        try:
            result = a**n
            local = n * a ** (n - 1.0) if n != 0.0 else 0.0
        except OverflowError:
            raise OverflowError(f"**: {a!r} ** {n!r} overflows") from None
        return _node(result, f"**{_short(n)}", (self,), (local,))

    def _pow_value(self, exponent: Value) -> Value:
        a, b = self.data, exponent.data
        if a <= 0.0:
            raise ValueError(f"**: base {a!r} must be > 0 when the exponent is a Value")
        try:
            result = a**b
            local_base = b * a ** (b - 1.0)
        except OverflowError:
            raise OverflowError(f"**: {a!r} ** {b!r} overflows") from None
        return _node(result, "**", (self, exponent), (local_base, result * math.log(a)))

    def __rpow__(self, base: Number) -> Value:
        """base ** self, e.g. ``2 ** x`` (needs base > 0)."""
        return _constant(base, "**") ** self

    # -- functions ---------------------------------------------------------
    def exp(self) -> Value:
        """e^a;  d/da = e^a.  Raises OverflowError when e^a is too large for a float."""
        try:
            result = math.exp(self.data)
        except OverflowError:
            raise OverflowError(f"exp: exp({self.data!r}) overflows a float") from None
        return _node(result, "exp", (self,), (result,))

    def log(self) -> Value:
        """ln a (natural log), for a > 0;  d/da = 1/a."""
        a = self.data
        if a <= 0.0:
            raise ValueError(f"log: needs a positive input, got {a!r}")
        return _node(math.log(a), "log", (self,), (1.0 / a,))

    def tanh(self) -> Value:
        """tanh a = (e^a - e^-a) / (e^a + e^-a), in (-1, 1);  d/da = 1 - tanh^2 a."""
        t = math.tanh(self.data)
        return _node(t, "tanh", (self,), (1.0 - t * t,))

    def sigmoid(self) -> Value:
        """sigma(a) = 1 / (1 + e^-a), in (0, 1);  d/da = sigma(a) (1 - sigma(a)).

        Computed as e^a / (1 + e^a) for a < 0, so neither branch overflows.
        """
        a = self.data
        if a >= 0.0:
            s = 1.0 / (1.0 + math.exp(-a))
        else:
            e = math.exp(a)
            s = e / (1.0 + e)
        return _node(s, "sigmoid", (self,), (s * (1.0 - s),))

    def relu(self) -> Value:
        """max(0, a);  d/da = 1 for a > 0, else 0 (0 is used at a = 0)."""
        # The literal tuples (1.0,) and (0.0,) are constants: no allocation per node.
        if self.data > 0.0:
            return _node(self.data, "relu", (self,), (1.0,))
        return _node(0.0, "relu", (self,), (0.0,))

    def leaky_relu(self, slope: Number = 0.01) -> Value:
        """a for a > 0, else slope * a;  d/da = 1 for a > 0, else slope."""
        slope = _check_number(slope, "leaky_relu")
        a = self.data
        if a > 0.0:
            return _node(a, "leaky_relu", (self,), (1.0,))
        return _node(slope * a, "leaky_relu", (self,), (slope,))

    # -- the chain rule ----------------------------------------------------
    def backward(self, leaves_only: bool = False) -> None:
        """Set ``node.grad = d(self)/d(node)`` for every node of this graph.

        Visits nodes in reverse topological order (a node once every node that
        uses it is done), adding ``node.grad * local_grad`` to each input: the
        chain rule, summed over every use. Iterative, so any depth works.
        Leaves accumulate across calls (like PyTorch); the grads of
        intermediate nodes are reset, so a second call adds exactly the same
        amount again to every leaf.

        ``leaves_only=True`` is for training, where only the parameters' grads are
        read: the walk skips every input whose local derivative is 0 (everything
        below a relu that is off, or below a hinge-loss term already satisfied),
        since no gradient flows there. Leaves get the same grads (their terms may
        be added in another order); intermediate nodes that were skipped keep the
        grad they had.

        A gradient too large for a float (``Value(2.0) ** 1023.9``: the value is
        finite, its derivative is not) raises OverflowError naming the node where
        it overflowed; the grads are left as the pass computed them. The check is
        one sum over the grads after the pass; the node is looked for only then.
        """
        if not self.inputs:  # a leaf: d(self)/d(self) = 1, accumulated like any leaf's grad
            self.grad += 1.0
            return
        # Leaves are listed too, for the check below: in a network's graph they are shared
        # (weights), so listing them costs about nothing; computed nodes are filtered in C.
        order = topological_order(self, skip_zero_edges=leaves_only)
        computed = list(filter(_inputs, order))
        for node in computed:
            node.grad = 0.0
        self.grad = 1.0  # d(self)/d(self)
        add_grad_times_local_grads(reversed(computed))
        # One sum, in C, over every grad: inf or nan exactly when one of them is (or
        # when only the sum overflows, which the search below then finds out).
        total = sum(map(_grad, order))
        if total - total != 0.0:
            _raise_where_grads_overflowed(self, computed)


def add_grad_times_local_grads(nodes: Iterable[Value]) -> None:
    """The chain rule, node by node: add ``node.grad * local_grad`` to each input's grad.

    Written once: ``backward()`` runs it over the whole graph, and
    ``trace.backward_steps`` runs it one node at a time to record each step.

    ``nodes`` come root first in reverse topological order, so each node's grad
    is complete (every use has added its share) before it is pushed to its inputs.
    This is the hot loop of training, hence its fast paths, none of which changes
    a single bit of the result: a node with grad 0 adds nothing (below a relu that
    is off) and is skipped, and a 2-input node (most ops) is unpacked, twice as
    fast as zip().
    """
    for node in nodes:
        grad = node.grad
        if grad == 0.0:
            continue
        inputs = node.inputs
        if len(inputs) == 2:
            a, b = inputs
            local_a, local_b = node.local_grads
            a.grad += grad * local_a
            b.grad += grad * local_b
        else:
            for child, local in zip(inputs, node.local_grads):
                child.grad += grad * local


def _raise_where_grads_overflowed(root: Value, computed: list[Value]) -> None:
    """Raise OverflowError at the first step of the pass whose gradient is not finite.

    Replays the pass root first: the first product ``grad * local`` that is inf or
    nan names its node and input; a grad that is not finite although every product
    into it was is a sum that overflowed. Returns if every grad is finite (only
    the check's own sum overflowed).
    """
    from autograd.show.names import node_names  # names reads value: imported only on failure

    names = node_names(root)
    for node in reversed(computed):
        grad = node.grad
        if grad - grad != 0.0:
            raise OverflowError(
                f"backward: the gradient of {names[node]} ({node.op}) is {grad!r}: "
                "the sum of its uses' contributions overflows a float"
            )
        if grad == 0.0:  # the pass skips it
            continue
        for child, local in zip(node.inputs, node.local_grads):
            if grad * local - grad * local != 0.0:
                raise OverflowError(
                    f"backward: the gradient overflows at {names[node]} ({node.op}): its "
                    f"gradient {grad!r} times the local derivative {local!r} for its input "
                    f"{names[child]} (value {child.data!r}) is {grad * local!r}"
                )
    for leaf in names:
        if not leaf.inputs and leaf.grad - leaf.grad != 0.0:
            raise OverflowError(
                f"backward: the gradient of {names[leaf]} is {leaf.grad!r}: the sum of its "
                "uses' contributions (and of the grad it had before) overflows a float"
            )


def _short(n: float) -> str:
    """A number as drawn in an op name: 2.0 -> "2", 0.5 -> "0.5"."""
    return str(int(n)) if n.is_integer() else repr(n)


def _not_parameters(weights: Iterable[object], biases: Iterable[object], op: str) -> TypeError:
    """The error for a weight or bias that is not a Value (it must be, to get a grad)."""
    wrong = next(p for p in (*weights, *biases) if not isinstance(p, Value))
    return TypeError(f"{op}: weights and bias must be Values (they get grads), got {wrong!r}")


def _input_values(
    inputs: Iterable[Operand], op: str
) -> tuple[tuple[Value, ...], tuple[float, ...]]:
    """A layer's inputs as Values (numbers become leaves) and their data, read once."""
    xs = tuple(inputs)
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
    xs = tuple(inputs)
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
    weight_rows, biases = list(weight_rows), list(biases)
    if len(weight_rows) != len(biases):
        raise ValueError(f"weighted_sums: {len(weight_rows)} weight rows for {len(biases)} biases")
    sums = []
    for weights, bias in zip(weight_rows, biases):
        weights = tuple(weights)
        try:  # a list comprehension reads the slots faster than map(_data, ...)
            w_data = tuple([w.data for w in weights])
            total = bias.data
        except AttributeError:
            raise _not_parameters(weights, [bias], "weighted_sum") from None
        if len(w_data) != len(x_data):
            raise ValueError(f"weighted_sum: {len(weights)} weights for {len(xs)} inputs")
        # Summed left to right from b (not with sum(), compensated on Python >= 3.12), so
        # the node equals (b + w1 x1) + w2 x2 + ... built from * and + bit for bit.
        for w, x in zip(w_data, x_data):
            total += w * x
        sums.append(_node(total, "w·x+b", weights + xs + (bias,), x_data + w_data + (1.0,)))
    return sums


def _linear(z: float) -> tuple[float, float]:
    return z, 1.0


def _relu(z: float) -> tuple[float, float]:
    return (z, 1.0) if z > 0.0 else (0.0, 0.0)


def _leaky_relu(z: float) -> tuple[float, float]:
    return (z, 1.0) if z > 0.0 else (0.01 * z, 0.01)


def _tanh(z: float) -> tuple[float, float]:
    t = math.tanh(z)
    return t, 1.0 - t * t


def _sigmoid(z: float) -> tuple[float, float]:
    s = 1.0 / (1.0 + math.exp(-z)) if z >= 0.0 else math.exp(z) / (1.0 + math.exp(z))
    return s, s * (1.0 - s)


# activation name -> z -> (act(z), act'(z)), each as the Value method computes it
LAYER_ACTIVATIONS: dict[str, Callable[[float], tuple[float, float]]] = {
    "linear": _linear,
    "relu": _relu,
    "leaky_relu": _leaky_relu,
    "tanh": _tanh,
    "sigmoid": _sigmoid,
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
    is one of LAYER_ACTIVATIONS (leaky_relu's slope is 0.01). Values equal
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
    op = "w·x+b" if activation == "linear" else f"{activation}(w·x+b)"
    return [layer.nodes(inputs, op, activation, activate) for inputs in input_rows]


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
        neurons, bias_list = [tuple(row) for row in weight_rows], list(biases)
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
        if PLAIN_SUM:  # in C; zip and map stop before w_then_one's 1.0
            zs = [sum(map(mul, n[3], x_data), n[4]) for n in self.neurons]
        else:
            zs = [_dot_plus(n[3], x_data, n[4]) for n in self.neurons]
        total = sum(zs)
        if total - total != 0.0:  # inf or nan somewhere (or an overflowing total): find it
            _check_sums(zs)
        return zs

    def nodes(
        self,
        inputs: Iterable[Operand],
        op: str,
        activation: str,
        activate: Callable[[float], tuple[float, float]],
    ) -> list[Value]:
        """One sample through the layer: a node act(w·x+b) per neuron, op ``op``."""
        values, x_data = _layer_inputs(inputs)
        for n in self.row_lengths:
            if n != len(x_data):
                raise ValueError(f"dense_layer: {n} weights for {len(x_data)} inputs")
        x_then_one = (*x_data, 1.0)  # the local derivatives of a node without input edges
        # where act'(z) = 0; a node without input edges has only its weights' and bias's
        no_gradient = (0.0,) * (len(x_then_one) if values is None else 2 * len(x_data) + 1)
        relu = activation == "relu"
        slopes_are_0_or_1 = relu or activation == "linear"
        new = _new  # a local: read faster in the loop
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
            out = new(Value)
            out.data, out.grad, out._label, out.op = a, 0.0, "", op
            out.inputs, out.local_grads = edges, local_grads
            outs.append(out)
        return outs
