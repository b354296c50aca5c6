"""The op table: every op of the engine, one row each.

A row (an ``Op``) holds all the engine and the layers above know of an op: its
name, its arity, its forward on floats, its local derivatives, its symbol, its
derivative written as maths (for the quiz and the formulas) and as a Python
expression (for generated code), and what its argument is (an exponent, a slope).
A computed Value refers to its row, bound to its argument (``node.row``);
``Value.op`` is the row's text. Nothing parses op strings: read the row.

Adding an op is adding a row to ``ROWS``: ``Value`` gains a method of its name
(a function row), and the parser, names, quiz, network files and activations
read it from here.

Templates (``derivative_text``, ``derivative_code``, ``forward_code``) are
``str.format`` strings over ``{out}`` (the op's result), ``{x}`` and ``{y}`` (its
first and second input), ``{n}`` (its argument) and, for ``w·x+b``, ``{paired}``
(the input a weight multiplies, or the weight an input is multiplied by).
``derivative_text`` holds one template per input; a variadic row (arity 0,
``w·x+b``) holds three: for the weights, for the inputs, for the bias.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

LEAKY_RELU_SLOPE = 0.01
"""leaky_relu's slope below 0, unless given: written once, here."""

ANY = 0
"""The arity of a variadic row (``w·x+b``: n weights, n inputs, one bias)."""


@dataclass(frozen=True, eq=False)
class Op:
    """One op: what it computes, its local derivatives, and how it is written.

    name: the op as ``Value.op`` shows it ("+", "tanh"; "**n": a number power, shown "**2").
    arity: how many Values it takes (ANY for ``w·x+b``).
    forward: floats -> float: ``forward(*inputs)``, or ``forward(*inputs, n)`` for a
        row with an argument; raises ValueError/ZeroDivisionError/OverflowError naming
        the op outside its domain.
    derivatives: ``derivatives(out, *inputs[, n])`` -> d out / d input, per input.
    symbol: how the op is written in a formula: "+", "·", "σ", "tanh".
    kind: "infix" (a + b), "prefix" (−a), "power" (a^n: the exponent a number, the
        row's argument, for arity 1; a Value for arity 2), "function" (f(a)),
        "sum" (w·x + b): how names and formulas write it.
    derivative_text, derivative_code, forward_code: templates (module docstring).
    argument: what the argument is ("exponent", "slope"), "" for none;
        ``default``: its value when none is given.
    activation: usable as a neuron's activation (network files, ``activation=``);
        ``formula``, ``range``, ``derivative_bound``, ``note``: its documentation;
        ``torch_module`` and ``torch_arguments``: the torch.nn class computing it.
    bound: the argument this row is bound to (``node.row.bound``), None for the
        table's own row; ``text``: the op's name with its argument ("**2").
    """

    name: str
    arity: int
    forward: Callable[..., float]
    derivatives: Callable[..., tuple[float, ...]]
    symbol: str
    kind: str
    derivative_text: tuple[str, ...]
    derivative_code: tuple[str, ...]
    forward_code: str
    argument: str = ""
    default: float | None = None
    activation: bool = False
    formula: str = ""
    range: str = ""
    derivative_bound: str = ""
    note: str = ""
    torch_module: str | None = None
    torch_arguments: tuple[tuple[str, object], ...] = ()
    bound: float | Op | None = None
    text: str = ""
    _bindings: dict[object, Op] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not self.text:
            object.__setattr__(self, "text", self.name)

    def with_argument(self, argument: float | Op) -> Op:
        """This row bound to ``argument`` (an exponent, a slope, an activation), cached."""
        bound = self._bindings.get(argument)
        if bound is None:
            if len(self._bindings) > 256:  # many distinct exponents: do not grow forever
                self._bindings.clear()
            bound = replace(self, bound=argument, text=_text(self, argument), _bindings={})
            self._bindings[argument] = bound
        return bound

    @property
    def unbound(self) -> Op:
        """The table's row this one is bound from (itself when not bound)."""
        return ROWS_BY_NAME.get(self.name, self)

    def __repr__(self) -> str:
        return f"Op({self.text!r})"

    def local_formula(self, i: int, out: str, inputs: Sequence[str], *, code: bool = False) -> str:
        """d out / d (input i) written over the given names: as maths, or as Python
        (``code=True``), e.g. ``a2·(1 − a2)`` / ``a2 * (1 - a2)`` for a sigmoid. A fused
        neuron (``w·x+b`` bound to an activation) writes act'(z) times the paired input,
        reading its weighted sum as ``z`` where the activation's derivative needs it."""
        templates = self.derivative_code if code else self.derivative_text
        fields = {"out": out, "x": inputs[0] if inputs else "", "y": "", "paired": ""}
        if len(inputs) > 1:
            fields["y"] = inputs[1]
        template = templates[min(i, len(templates) - 1)]
        if self.arity == ANY:  # weights, inputs, bias
            half = (len(inputs) - 1) // 2
            group = 2 if i == len(inputs) - 1 else i // half if half else 2
            template = templates[group]
            if group < 2:
                fields["paired"] = inputs[(i + half) % (2 * half)]
            if isinstance(self.bound, Op):  # act(z), z = w·x+b: act'(z) times d z / d input
                slope = self.bound.local_formula(0, out, ["z"], code=code)
                if group == 2:  # the bias: d z / d b = 1
                    return slope
                times = " * " if code else "·"
                return f"{_grouped(slope, code)}{times}{template.format(**fields)}"
        fields.update(self._argument_fields(code, fields["x"]))
        return template.format(**fields)

    def forward_formula(self, out: str, inputs: Sequence[str]) -> str:
        """The forward as a Python expression over the given names (``out`` is unused but
        by rows whose template names it). ``w·x+b`` adds left to right from the bias, as
        the engine does, and a bound activation wraps it: ``act(b + w1 * x1 + ...)``."""
        if self.arity == ANY:
            half = (len(inputs) - 1) // 2
            terms = [f"{w} * {x}" for w, x in zip(inputs[:half], inputs[half:-1])]
            total = " + ".join([inputs[-1], *terms])
            if isinstance(self.bound, Op):
                return self.bound.forward_formula(out, [f"({total})"])
            return total
        fields = {"x": inputs[0] if inputs else "", "y": inputs[1] if len(inputs) > 1 else ""}
        fields.update(self._argument_fields(True, fields["x"]))
        return self.forward_code.format(out=out, **fields)

    def _argument_fields(self, code: bool, x: str) -> dict[str, str]:
        """The template fields of the argument (its default if unbound): {n} (exact in
        code, as ``:g`` in text), for a power {power_less_one} ("" for a square) and
        {power_slope}, n·x^(n−1) as Python written for this n (``2.0 * x`` for a square)."""
        argument = self.bound if self.bound is not None else self.default
        if not isinstance(argument, float):
            return {"n": "", "power_less_one": "", "power_slope": ""}
        less_one = argument - 1.0
        if argument == 0.0:
            slope = "0.0"
        elif less_one == 0.0:
            slope = "1.0"
        elif less_one == 1.0:  # x ** 1.0 is x exactly
            slope = f"{argument!r} * {x}"
        else:  # argument - 1.0 written out: the same float the engine computes
            slope = f"{argument!r} * {x} ** {less_one!r}"
        return {
            "n": repr(argument) if code else f"{argument:g}",
            "power_less_one": "" if less_one == 1.0 else f"^{less_one:g}",
            "power_slope": slope,
        }


def _grouped(text: str, code: bool) -> str:
    """A factor in parentheses where a product needs them."""
    return f"({text})" if " " in text and (code or "−" in text or "," in text) else text


def short_number(n: float) -> str:
    """A number as written in an op's text: 2.0 -> "2", 0.5 -> "0.5"."""
    return str(int(n)) if n.is_integer() else repr(n)


def _text(row: Op, argument: object) -> str:
    """The op's name with its argument: "**2", "sigmoid(w·x+b)"; else just its name."""
    if row.kind == "power" and isinstance(argument, float):
        return f"**{short_number(argument)}"
    if isinstance(argument, Op):
        return f"{argument.name}({row.name})"
    return row.name


# -- forward and local derivatives on floats, one pair per row ------------------------
def _divide(a: float, b: float) -> float:
    if b == 0.0:
        raise ZeroDivisionError(f"/: division of {a!r} by zero")
    return a / b


def _power(a: float, n: float) -> float:
    """a ** n for a number n; a negative base to a fractional power, or 0 to a power
    below 1 (an infinite value or derivative), raises."""
    if a < 0.0 and not n.is_integer():
        raise ValueError(f"**: negative base {a!r} to the fractional power {n!r}")
    if a == 0.0 and n < 1.0 and n != 0.0:
        if n < 0.0:
            raise ZeroDivisionError(f"**: zero base to the negative power {n!r}")
        raise ValueError(f"**: 0.0 ** {n!r} has an infinite derivative at 0")
    try:
        result: float = a**n
    except OverflowError:
        raise OverflowError(f"**: {a!r} ** {n!r} overflows") from None
    return result


def _power_derivative(out: float, a: float, n: float) -> tuple[float]:
    if n == 0.0:
        return (0.0,)
    try:
        return (n * a ** (n - 1.0),)
    except OverflowError:
        raise OverflowError(f"**: {a!r} ** {n!r} overflows") from None


def _pow(a: float, b: float) -> float:
    if a <= 0.0:
        raise ValueError(f"**: base {a!r} must be > 0 when the exponent is a Value")
    try:
        result: float = a**b
    except OverflowError:
        raise OverflowError(f"**: {a!r} ** {b!r} overflows") from None
    return result


def _pow_derivatives(out: float, a: float, b: float) -> tuple[float, float]:
    try:
        return b * a ** (b - 1.0), out * math.log(a)
    except OverflowError:
        raise OverflowError(f"**: {a!r} ** {b!r} overflows") from None


def _exp(a: float) -> float:
    try:
        return math.exp(a)
    except OverflowError:
        raise OverflowError(f"exp: exp({a!r}) overflows a float") from None


def _log(a: float) -> float:
    if a <= 0.0:
        raise ValueError(f"log: needs a positive input, got {a!r}")
    return math.log(a)


def _sigmoid(a: float) -> float:
    """1 / (1 + e^-a), computed as e^a / (1 + e^a) for a < 0 so neither branch overflows."""
    if a >= 0.0:
        return 1.0 / (1.0 + math.exp(-a))
    e = math.exp(a)
    return e / (1.0 + e)


def _weighted_sum(*edges: float) -> float:
    """b + w1 x1 + w2 x2 + ..., left to right, over (weights..., inputs..., bias)."""
    half = (len(edges) - 1) // 2
    total = edges[-1]
    for w, x in zip(edges[:half], edges[half:-1]):
        total += w * x
    return total


def _weighted_sum_derivatives(out: float, *edges: float) -> tuple[float, ...]:
    half = (len(edges) - 1) // 2
    return (*edges[half:-1], *edges[:half], 1.0)


# fmt: off
ROWS: tuple[Op, ...] = (
    Op("+", 2, lambda a, b: a + b, lambda out, a, b: (1.0, 1.0), "+", "infix",
       ("1", "1"), ("1.0", "1.0"), "{x} + {y}"),
    Op("-", 2, lambda a, b: a - b, lambda out, a, b: (1.0, -1.0), "−", "infix",
       ("1", "(−1)"), ("1.0", "-1.0"), "{x} - {y}"),
    Op("*", 2, lambda a, b: a * b, lambda out, a, b: (b, a), "·", "infix",
       ("{y}", "{x}"), ("{y}", "{x}"), "{x} * {y}"),
    Op("/", 2, _divide, lambda out, a, b: (1.0 / b, -out / b), "/", "infix",
       ("1/{y}", "−{x}/{y}²"), ("1.0 / {y}", "-{out} / {y}"), "{x} / {y}"),
    Op("neg", 1, lambda a: -a, lambda out, a: (-1.0,), "−", "prefix",
       ("(−1)",), ("-1.0",), "-{x}"),
    Op("**n", 1, _power, _power_derivative, "^", "power",
       ("{n}·{x}{power_less_one}",),
       ("{power_slope}",),
       "{x} ** {n}", argument="exponent"),
    Op("**", 2, _pow, _pow_derivatives, "^", "power",
       ("{y}·{x}^({y} − 1)", "{out}·log({x})"),
       ("{y} * {x} ** ({y} - 1.0)", "{out} * math.log({x})"), "{x} ** {y}"),
    Op("exp", 1, _exp, lambda out, a: (out,), "exp", "function",
       ("{out}",), ("{out}",), "math.exp({x})"),
    Op("log", 1, _log, lambda out, a: (1.0 / a,), "log", "function",
       ("1/{x}",), ("1.0 / {x}",), "math.log({x})"),
    Op("sigmoid", 1, _sigmoid, lambda out, a: (out * (1.0 - out),), "σ", "function",
       ("{out}·(1 − {out})",), ("{out} * (1.0 - {out})",),
       "(1.0 / (1.0 + math.exp(-{x})) if {x} >= 0.0"
       " else math.exp({x}) / (1.0 + math.exp({x})))",
       activation=True, formula="σ(x) = 1 / (1 + e^−x)", range="(0, 1)",
       derivative_bound="at most 1/4 (at x = 0)",
       note="squashes to a probability; saturates for large |x|, so gradients vanish in deep nets",
       torch_module="Sigmoid"),
    Op("tanh", 1, math.tanh, lambda out, a: (1.0 - out * out,), "tanh", "function",
       ("1 − {out}²",), ("1.0 - {out} * {out}",), "math.tanh({x})",
       activation=True, formula="tanh(x) = (e^x − e^−x) / (e^x + e^−x)", range="(-1, 1)",
       derivative_bound="at most 1 (at x = 0)",
       note="zero-centred sigmoid; saturates for large |x|", torch_module="Tanh"),
    Op("relu", 1, lambda a: a if a > 0.0 else 0.0,
       lambda out, a: (1.0,) if a > 0.0 else (0.0,), "relu", "function",
       ("1 if {x} > 0, else 0",), ("(1.0 if {x} > 0.0 else 0.0)",),
       "({x} if {x} > 0.0 else 0.0)",
       activation=True, formula="relu(x) = max(0, x)", range="[0, inf)",
       note="the default for hidden layers; a unit stuck at x < 0 gets no gradient",
       torch_module="ReLU"),
    Op("leaky_relu", 1, lambda a, n: a if a > 0.0 else n * a,
       lambda out, a, n: (1.0,) if a > 0.0 else (n,), "leaky_relu", "function",
       ("1 if {x} > 0, else {n}",), ("(1.0 if {x} > 0.0 else {n})",),
       "({x} if {x} > 0.0 else {n} * {x})", argument="slope", default=LEAKY_RELU_SLOPE,
       activation=True, formula=f"x for x > 0, else {LEAKY_RELU_SLOPE} x", range="(-inf, inf)",
       note="relu that keeps a small gradient for x < 0", torch_module="LeakyReLU",
       torch_arguments=(("negative_slope", LEAKY_RELU_SLOPE),)),
    Op("w·x+b", ANY, _weighted_sum, _weighted_sum_derivatives, "Σ", "sum",
       ("{paired}", "{paired}", "1"), ("{paired}", "{paired}", "1.0"), "",
       argument="activation"),
)
# fmt: on
ROWS_BY_NAME: dict[str, Op] = {row.name: row for row in ROWS}
ADD, SUB, MUL, DIV, NEG, POWER, POW, EXP, LOG, SIGMOID, TANH, RELU, LEAKY_RELU, WEIGHTED_SUM = (
    ROWS_BY_NAME[name]
    for name in (
        "+",
        "-",
        "*",
        "/",
        "neg",
        "**n",
        "**",
        "exp",
        "log",
        "sigmoid",
        "tanh",
        "relu",
        "leaky_relu",
        "w·x+b",
    )
)
LEAF = Op("", 0, lambda: 0.0, lambda out: (), "", "leaf", (), (), "")
"""The row of a leaf (an input or a parameter): no op, no inputs."""
FUNCTIONS: dict[str, Op] = {row.name: row for row in ROWS if row.kind == "function"}
"""The rows called as f(x): Value methods, and the functions a typed formula may call."""
ACTIVATIONS: dict[str, Op] = {row.name: row for row in ROWS if row.activation}
"""The rows a neuron may use as its activation, elementwise."""
