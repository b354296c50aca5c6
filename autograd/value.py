"""The scalar engine: a ``Value`` and its ops.

Every op computes its forward value and, right beside it, the local derivative
of that value with respect to each input. Both are stored as plain numbers on
the result (``inputs`` and ``local_grads``, in operand order), so the graph is a
record of the chain rule that ``backward()``, drawing and explanations all read.
No op keeps a closure: a dropped graph has no reference cycles and is freed at
once by reference counting instead of waiting for the cyclic garbage collector.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from numbers import Real
from operator import attrgetter
from typing import Union

from autograd import checks, ops
from autograd.graph import topological_order
from autograd.ops import ADD, DIV, LEAF, MUL, NEG, POW, POWER, SUB, Op

Number = Union[int, float]  # noqa: UP007 - a runtime alias, kept valid on 3.10
Operand = Union["Value", int, float]
_new = object.__new__
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
    return _node(_check_number(number, op), LEAF, (), ())


def _node(data: float, row: Op, inputs: tuple[Value, ...], local_grads: tuple[float, ...]) -> Value:
    """The one node constructor: a new Value computed by ``row`` (its op table row, bound
    to its argument) from ``inputs``, made without ``__init__``'s checks (the caller did
    them); the row LEAF makes a leaf."""
    if data - data != 0.0:
        raise OverflowError(
            f"{row.text}: result {data!r} is not finite "
            f"(inputs {', '.join(repr(v.data) for v in inputs)})"
        )
    out = _new(Value)
    out.data = data
    out.grad = 0.0
    out._label = ""
    out.row = row
    out.inputs = inputs
    out.local_grads = local_grads
    return out


def _one_input(row: Op, doc: str) -> Callable[[Value], Value]:
    """The Value method of ``row``, a one-input row without argument: a new node holding
    the row's forward value and local derivative. The row's float functions are read
    once, here, when the class is made: a call reads no table."""
    forward, derivatives = row.forward, row.derivatives

    def method(self: Value) -> Value:
        a = self.data
        out = forward(a)
        return _node(out, row, (self,), derivatives(out, a))

    method.__name__, method.__qualname__, method.__doc__ = row.name, f"Value.{row.name}", doc
    return method


def _two_inputs(row: Op) -> Callable[[Value, Value], Value]:
    """``row`` applied to two Values: its forward value and its two local derivatives,
    with the row's float functions read once, here."""
    forward, derivatives = row.forward, row.derivatives

    def apply(a: Value, b: Value) -> Value:
        x, y = a.data, b.data
        out = forward(x, y)
        return _node(out, row, (a, b), derivatives(out, x, y))

    return apply


_divide, _power_of_value = _two_inputs(DIV), _two_inputs(POW)


def _apply_with(row: Op, x: Value, argument: float) -> Value:
    """``row`` applied to ``x`` and its argument (an exponent, a slope): a node of the row
    bound to that argument."""
    a = x.data
    out = row.forward(a, argument)
    return _node(out, row.with_argument(argument), (x,), row.derivatives(out, a, argument))


class Value:
    """A scalar in a computation graph, with the gradient of a root with respect to it.

    Attributes:
        data: the forward value, a finite float.
        grad: d(root)/d(self) after ``root.backward()``; 0.0 before.
        label: a name shown in drawings and explanations: a str UTF-8 can encode,
            checked when set (so a bad label fails where it is given, not when drawn).
        op: "" for a leaf, else the op that made this value ("+", "*", "tanh", ...):
            the text of ``row``, the op table's row (``autograd.ops``) that made it,
            bound to its argument (an exponent, a slope); ``ops.LEAF`` for a leaf.
        inputs: the Values this one was computed from, in operand order.
        local_grads: d(self)/d(input) for each of ``inputs``, in the same order.
    """

    __slots__ = ("data", "grad", "_label", "row", "inputs", "local_grads")

    def __init__(self, data: Number, label: str = "") -> None:
        self.data = _check_number(data, "Value")
        self.grad = 0.0
        self.label = label
        self.row = LEAF
        self.inputs: tuple[Value, ...] = ()
        self.local_grads: tuple[float, ...] = ()

    @property
    def op(self) -> str:
        """ "" for a leaf, else the op that made this value: "+", "tanh", "**2"."""
        return self.row.text

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
        return _node(self.data + other.data, ADD, (self, other), (1.0, 1.0))

    def __radd__(self, other: Number) -> Value:
        """other + self. ``0 + self`` (the int 0 that ``sum()`` starts from) is ``self``
        itself: a sum of Values draws no stray ``0`` node, and every gradient is the same."""
        if type(other) is int and other == 0:
            return self
        return _constant(other, "+") + self

    def __sub__(self, other: Operand) -> Value:
        """a - b;  d/da = 1,  d/db = -1."""
        other = other if isinstance(other, Value) else _constant(other, "-")
        return _node(self.data - other.data, SUB, (self, other), (1.0, -1.0))

    def __rsub__(self, other: Number) -> Value:
        """other - self."""
        return _constant(other, "-") - self

    def __mul__(self, other: Operand) -> Value:
        """a * b;  d/da = b,  d/db = a."""
        other = other if isinstance(other, Value) else _constant(other, "*")
        return _node(self.data * other.data, MUL, (self, other), (other.data, self.data))

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
        return _divide(self, other)

    def __rtruediv__(self, other: Number) -> Value:
        """other / self."""
        return _constant(other, "/") / self

    __neg__ = _one_input(NEG, "-a;  d/da = -1.")

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
        return _apply_with(POWER, self, _check_number(exponent, "**"))

    def _pow_value(self, exponent: Value) -> Value:
        return _power_of_value(self, exponent)

    def __rpow__(self, base: Number) -> Value:
        """base ** self, e.g. ``2 ** x`` (needs base > 0)."""
        return _constant(base, "**") ** self

    # -- functions ---------------------------------------------------------
    # Each is its row of the op table (autograd.ops), where the forward, the local
    # derivative and the domain errors are written once. A row added to the table without
    # a method here gets one below the class.
    exp = _one_input(
        ops.EXP, "e^a;  d/da = e^a.  Raises OverflowError when e^a is too large for a float."
    )
    log = _one_input(ops.LOG, "ln a (natural log), for a > 0;  d/da = 1/a.")
    tanh = _one_input(
        ops.TANH, "tanh a = (e^a - e^-a) / (e^a + e^-a), in (-1, 1);  d/da = 1 - tanh^2 a."
    )
    sigmoid = _one_input(
        ops.SIGMOID,
        "sigma(a) = 1 / (1 + e^-a), in (0, 1);  d/da = sigma(a) (1 - sigma(a)).\n\n"
        "Computed as e^a / (1 + e^a) for a < 0, so neither branch overflows.",
    )
    relu = _one_input(ops.RELU, "max(0, a);  d/da = 1 for a > 0, else 0 (0 is used at a = 0).")

    def leaky_relu(self, slope: Number = ops.LEAKY_RELU_SLOPE) -> Value:
        """a for a > 0, else slope * a;  d/da = 1 for a > 0, else slope."""
        return _apply_with(ops.LEAKY_RELU, self, _check_number(slope, "leaky_relu"))

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
        if leaves_only is not False and leaves_only is not True:  # 'yes' is no truth value
            checks.flag(leaves_only, "backward", "leaves_only")
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


def _function_method(row: Op) -> Callable[..., Value]:
    """The Value method of a function row that has none written out: ``x.softplus()``."""

    doc = f"{row.formula or row.name};  d/da = {row.local_formula(0, 'out', ['a'])}."
    if not row.argument:
        return _one_input(row, doc)

    def method(self: Value, argument: Number | None = None) -> Value:
        given = row.default if argument is None else argument
        return _apply_with(row, self, _check_number(given, row.name))

    method.__name__, method.__qualname__, method.__doc__ = row.name, f"Value.{row.name}", doc
    return method


for _row in ops.FUNCTIONS.values():
    if not hasattr(Value, _row.name):
        setattr(Value, _row.name, _function_method(_row))


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


class GradientOverflowError(OverflowError):
    """A gradient too large for a float, raised by ``backward()``.

    ``node``: the node whose gradient overflowed, or whose gradient times a local
    derivative did; ``input``: that input (None when a sum overflowed). The message
    names nodes by label (the engine knows no other names); a layer above may word it
    again with its own names for ``node`` and ``input`` (``autograd.show.names``).
    """

    def __init__(self, message: str, node: Value, input: Value | None = None) -> None:
        super().__init__(message)
        self.node, self.input = node, input


def _called(node: Value) -> str:
    """A node as the engine can name it: its label, or what it is."""
    if node.label:
        return node.label
    return "an unlabelled node" if node.inputs else "a constant"


def _raise_where_grads_overflowed(root: Value, computed: list[Value]) -> None:
    """Raise GradientOverflowError at the first step of the pass whose gradient is not finite.

    Replays the pass root first: the first product ``grad * local`` that is inf or
    nan names its node and input; a grad that is not finite although every product
    into it was is a sum that overflowed. Returns if every grad is finite (only
    the check's own sum overflowed).
    """
    for node in reversed(computed):
        grad = node.grad
        if grad - grad != 0.0:
            raise GradientOverflowError(
                f"backward: the gradient of {_called(node)} ({node.op}) is {grad!r}: "
                "the sum of its uses' contributions overflows a float",
                node,
            )
        if grad == 0.0:  # the pass skips it
            continue
        for child, local in zip(node.inputs, node.local_grads):
            if grad * local - grad * local != 0.0:
                raise GradientOverflowError(
                    f"backward: the gradient overflows at {_called(node)} ({node.op}): its "
                    f"gradient {grad!r} times the local derivative {local!r} for its input "
                    f"{_called(child)} (value {child.data!r}) is {grad * local!r}",
                    node,
                    child,
                )
    for leaf in topological_order(root):
        if not leaf.inputs and leaf.grad - leaf.grad != 0.0:
            raise GradientOverflowError(
                f"backward: the gradient of {_called(leaf)} is {leaf.grad!r}: the sum of its "
                "uses' contributions (and of the grad it had before) overflows a float",
                leaf,
            )
