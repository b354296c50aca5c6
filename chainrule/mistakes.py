"""The catalogue of the mistakes students make working backpropagation by hand.

Each mistake is recomputed on the student's own numbers: ``Mistake.value(quantity,
numbers)`` is what a student who makes that mistake (and only it) would type for
``quantity``, given every number the student has so far (the given values, the
forward values, the gradients and local derivatives, ``lr``), or None when the
mistake cannot touch that quantity. ``chainrule.questions.Checker`` compares a
wrong answer with these values and names the mistake it matches.

The catalogue knows the lesson's chain x -> z1 -> a1 -> z2 -> a2 -> E = ½(T − a2)²
(any depth, any activation) and the networks of network files, named by place
(``x1``, ``z2[1]``, ``a2[1]``, ``w2[1,2]`` into neuron 1 from input 2, ``T1``;
``chainrule.network``), and the update of any parameter ``new p``. A mistake applies where
the graph has its structure: on a neuron with two inputs "the bias taken as the weight's"
names no one input, and a gradient summed over two users has no single upstream to leave
out. The names of the quantities are those of the quiz: ``z1``, ``a2``, ``E``, ``∂E/∂a2``,
``∂a2/∂z2`` (with local derivatives), ``new w2``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Numbers:
    """Every number the student has, by its quiz name (``x``, ``w1``, ``z1``, ``∂E/∂a2``,
    ``∂a2/∂z2``, ``new w2``) and the learning rate as ``lr``; ``ops`` names the op that
    computed each named node (``ops["a2"] == "sigmoid"``)."""

    values: Mapping[str, float]
    ops: Mapping[str, str]

    def __getitem__(self, name: str) -> float:
        return self.values[name]

    def __contains__(self, name: object) -> bool:
        return name in self.values

    def get(self, name: str) -> float | None:
        return self.values.get(name)


@dataclass(frozen=True)
class Mistake:
    """One catalogued mistake.

    name: its short stable name (``"sign"``), used in keys and dashboards.
    title: what the student did, for the teacher (``the sign of (T − a2)``).
    hint: what the student is told, with ``{...}`` filled from the quantity's layer.
    value: the number the mistake gives for a quantity, or None where it does not apply.
    """

    name: str
    title: str
    hint: str
    compute: Callable[[str, Numbers], float | None]

    def value(self, quantity: str, numbers: Numbers) -> float | None:
        """What a student making this mistake types for ``quantity`` (None: not affected)."""
        try:
            return self.compute(quantity, numbers)
        except (KeyError, ZeroDivisionError, OverflowError):
            return None

    def message(self, quantity: str) -> str:
        """The hint for ``quantity``, the layer's names filled in."""
        layer = _layer(quantity)
        below = str(layer - 1) if layer > 1 else ""
        return self.hint.format(
            l=layer, next=layer + 1, prev=layer - 1, input=f"a{below}" if below else "x"
        )


def _layer(quantity: str) -> int:
    found = re.search(r"[a-z](\d+)(?:\[[\d,]+\])?$", quantity)
    return int(found.group(1)) if found else 1


Index = tuple[int, ...]
"""A node's place in its layer: () in the lesson's chain (a2), (j,) for a neuron (a2[1]),
(j, i) for a weight (w2[1,2]: into neuron j from input i), as network files name them."""
_NODE = r"([a-z])(\d+)(?:\[(\d+)(?:,(\d+))?\])?"


def _split(name: str) -> tuple[str, int, Index] | None:
    """``a2[1]`` -> ("a", 2, (1,)), ``w1`` -> ("w", 1, ()); None for other names."""
    found = re.fullmatch(_NODE, name)
    if not found:
        return None
    letter, layer, *index = found.groups()
    return letter, int(layer), tuple(int(i) for i in index if i)


def _name(letter: str, layer: int, index: Index = ()) -> str:
    return f"{letter}{layer}" + (f"[{','.join(map(str, index))}]" if index else "")


def _gradient(quantity: str, letter: str) -> tuple[int, Index] | None:
    """(layer, index) of ``∂E/∂<letter><l>[...]``, else None."""
    found = _split(quantity[4:]) if quantity.startswith("∂E/∂") else None
    return (found[1], found[2]) if found and found[0] == letter else None


def _local(quantity: str, top: str, bottom: str) -> tuple[int, Index, Index] | None:
    """(layer, top's index, bottom's index) of a local derivative ``∂<top><l>/∂<bottom><l>``
    within one layer, else None."""
    over, _, under = quantity.partition("/")
    up, down = _split(over[1:]), _split(under[1:])
    if not (over.startswith("∂") and under.startswith("∂") and up and down):
        return None
    if (up[0], down[0]) != (top, bottom) or up[1] != down[1]:
        return None
    return up[1], up[2], down[2]


def _outputs(numbers: Numbers) -> list[str]:
    """The output activations, by index: [a2] in the lesson, [a2[1], a2[2]] in a network."""
    found = [s for s in map(_split, numbers.values) if s and s[0] == "a"]
    top = max((layer for _, layer, _ in found), default=0)
    return [_name("a", top, index) for _, layer, index in sorted(found) if layer == top]


def _target(output: str) -> str:
    """The target of an output: T for a2, T1 for a2[1]."""
    index = _split(output)
    return f"T{index[2][0]}" if index and index[2] else "T"


def _inputs(layer: int, numbers: Numbers) -> list[str]:
    """The inputs of layer ``layer``: x (x1, x2, ...) for the first, a(l−1) after."""
    if layer > 1:
        below = [s for s in map(_split, numbers.values) if s and s[:2] == ("a", layer - 1)]
        return [_name("a", layer - 1, index) for _, _, index in sorted(below)]
    return (
        ["x"] if "x" in numbers else sorted(n for n in numbers.values if re.fullmatch(r"x\d+", n))
    )


def _input(layer: int, weight: Index, numbers: Numbers) -> float:
    """The input a weight multiplies (its second index), or a neuron's only input."""
    inputs = _inputs(layer, numbers)
    if len(weight) == 2:
        return numbers[inputs[weight[1] - 1]]
    if len(inputs) != 1:
        raise KeyError("more than one input")
    return numbers[inputs[0]]


def _activation_derivative_at(layer: int, index: Index, numbers: Numbers, at: float) -> float:
    """f′ of a neuron's activation written in terms of its output, evaluated at ``at``."""
    op = numbers.ops[_name("a", layer, index)]
    if op == "sigmoid":
        return at * (1 - at)
    if op == "tanh":
        return 1 - at * at
    raise KeyError(op)


def _sign(quantity: str, n: Numbers) -> float | None:
    for output in _outputs(n):
        if quantity == f"∂E/∂{output}":
            return n[_target(output)] - n[output]
    return None


def _half(quantity: str, n: Numbers) -> float | None:
    outputs = _outputs(n)
    if quantity == "E" and outputs:
        errors = [(n[_target(output)] - n[output]) ** 2 for output in outputs]
        return errors[0] if len(errors) == 1 else sum(errors)
    for output in outputs:
        if quantity == f"∂E/∂{output}":
            return 2 * (n[output] - n[_target(output)])
    return None


Derivative = Callable[[int, Index, Numbers], float]


def _through_activation(derivative: Derivative) -> Callable[[str, Numbers], float | None]:
    """A mistake in ∂a_l/∂z_l: the local question gets ``derivative``, ∂E/∂z_l the
    upstream ∂E/∂a_l times it."""

    def compute(quantity: str, n: Numbers) -> float | None:
        local = _local(quantity, "a", "z")
        if local and local[1] == local[2]:
            return derivative(local[0], local[1], n)
        found = _gradient(quantity, "z")
        if found:
            layer, index = found
            return n[f"∂E/∂{_name('a', layer, index)}"] * derivative(layer, index, n)
        return None

    return compute


def _users(layer: int, index: Index, n: Numbers) -> list[Index]:
    """The neurons of layer ``layer + 1`` that a_l (``index``) feeds: () in the lesson."""
    above = [s for s in map(_split, n.values) if s and s[:2] == ("z", layer + 1)]
    return [k for _, _, k in sorted(above)] if index else [()] if above else []


def _weight_index(user: Index, index: Index) -> Index:
    return (*user, *index)


Weight = Callable[[int, Index, Numbers], float]


def _weight_path(weight: Weight) -> Callable[[str, Numbers], float | None]:
    """A mistake in ∂z_(l+1)/∂a_l: the wrong weight ``weight(l+1, index)`` on each path."""

    def compute(quantity: str, n: Numbers) -> float | None:
        over, _, under = quantity.partition("/")
        up, down = _split(over[1:]), _split(under[1:])
        if (
            over.startswith("∂")
            and up
            and down
            and (up[0], down[0], up[1] - down[1])
            == (
                "z",
                "a",
                1,
            )
        ):
            return weight(up[1], _weight_index(up[2], down[2]), n)
        found = _gradient(quantity, "a")
        users = _users(*found, n) if found else []
        if not found or not users:
            return None
        layer, index = found
        terms = [
            n[f"∂E/∂{_name('z', layer + 1, user)}"]
            * weight(layer + 1, _weight_index(user, index), n)
            for user in users
        ]
        return terms[0] if len(terms) == 1 else sum(terms)

    return compute


def _input_forgotten(quantity: str, n: Numbers) -> float | None:
    if _local(quantity, "z", "w"):
        return 1.0
    found = _gradient(quantity, "w")
    return n[f"∂E/∂{_name('z', found[0], found[1][:1])}"] if found else None


def _bias_as_weight(quantity: str, n: Numbers) -> float | None:
    local = _local(quantity, "z", "b")
    if local:
        return _input(local[0], local[2], n)
    found = _gradient(quantity, "b")
    if not found:
        return None
    layer, index = found
    return n[f"∂E/∂{_name('z', layer, index)}"] * _input(layer, index, n)


def _upstream_left_out(quantity: str, n: Numbers) -> float | None:
    """∂E/∂v given as the local derivative from the node above alone."""
    split = _split(quantity[4:]) if quantity.startswith("∂E/∂") else None
    if not split:
        return None
    letter, layer, index = split
    if letter == "z":
        local = n.get(f"∂{_name('a', layer, index)}/∂{_name('z', layer, index)}")
        a = n[_name("a", layer, index)]
        return _activation_derivative_at(layer, index, n, a) if local is None else local
    users = _users(layer, index, n) if letter == "a" else []
    if len(users) == 1:
        return n[_name("w", layer + 1, _weight_index(users[0], index))]
    if letter == "w":
        return _input(layer, index, n)
    if letter == "b":
        return 1.0
    return None


def _update(new: Callable[[float, float, float], float]) -> Callable[[str, Numbers], float | None]:
    """A mistake in ``new p``: ``new(p, lr, ∂E/∂p)``."""

    def compute(quantity: str, n: Numbers) -> float | None:
        if not quantity.startswith("new "):
            return None
        name = quantity[4:]
        return new(n[name], n["lr"], n[f"∂E/∂{name}"])

    return compute


def _updated_weight(layer: int, index: Index, n: Numbers) -> float:
    weight = _name("w", layer, index)
    return n[weight] - n["lr"] * n[f"∂E/∂{weight}"]


CATALOGUE: tuple[Mistake, ...] = (
    Mistake(
        "sign",
        "the sign of (T − a2)",
        "you differentiated ½(T − a2)² as (T − a2): d/da2 gives −(T − a2) = (a2 − T)",
        _sign,
    ),
    Mistake(
        "half",
        "the ½ dropped",
        "you dropped the ½ of E = ½(T − a2)²: it is there so that ∂E/∂a2 = (a2 − T), no 2",
        _half,
    ),
    Mistake(
        "derivative-at-z",
        "σ′ taken at z instead of a",
        "you took σ′ at z{l}: σ′(z{l}) = a{l}·(1 − a{l}) uses the output a{l}, not z{l}",
        _through_activation(
            lambda layer, index, n: _activation_derivative_at(
                layer, index, n, n[_name("z", layer, index)]
            )
        ),
    ),
    Mistake(
        "derivative-skipped",
        "a σ′ factor skipped",
        "you skipped the activation's derivative ∂a{l}/∂z{l}: multiply by a{l}·(1 − a{l})",
        _through_activation(lambda layer, index, n: 1.0),
    ),
    Mistake(
        "activation-as-derivative",
        "σ used for σ′",
        "you multiplied by a{l} itself: σ′ is a{l}·(1 − a{l}), not σ = a{l}",
        _through_activation(lambda layer, index, n: n[_name("a", layer, index)]),
    ),
    Mistake(
        "wrong-weight",
        "the wrong weight on the path (w1 for w2)",
        "you used w{l} on the path: a{l} reaches z{next} through w{next}, so "
        "∂z{next}/∂a{l} = w{next}",
        _weight_path(lambda above, index, n: n[_name("w", above - 1, index)]),
    ),
    Mistake(
        "input-forgotten",
        "×a1 or ×x forgotten",
        "you left out the input: ∂z{l}/∂w{l} = {input}, so multiply by {input}",
        _input_forgotten,
    ),
    Mistake(
        "bias-as-weight",
        "the bias gradient taken as the weight's",
        "that is the weight's gradient: ∂z{l}/∂b{l} = 1, so ∂E/∂b{l} = ∂E/∂z{l}",
        _bias_as_weight,
    ),
    Mistake(
        "update-added",
        "lr·grad added instead of subtracted",
        "you added lr · gradient: gradient descent subtracts it, p − lr · ∂E/∂p",
        _update(lambda p, lr, grad: p + lr * grad),
    ),
    Mistake(
        "not-updated",
        "the parameter not updated",
        "that is the old value: the update is p − lr · ∂E/∂p (give enough figures to show "
        "the change)",
        _update(lambda p, lr, grad: p),
    ),
    Mistake(
        "lr-left-out",
        "the learning rate left out",
        "you left out the learning rate: p − lr · ∂E/∂p",
        _update(lambda p, lr, grad: p - grad),
    ),
    Mistake(
        "updated-weight-used",
        "the updated weight used in the same step",
        "you used the updated w{next}: this step's backward pass uses the weights of its "
        "forward pass, the old w{next}",
        _weight_path(_updated_weight),
    ),
    Mistake(
        "upstream-left-out",
        "an upstream gradient not multiplied in",
        "that is only the local derivative: multiply by the gradient from above, "
        "∂E/∂v = ∂E/∂(node above) · ∂(node above)/∂v",
        _upstream_left_out,
    ),
)
"""The catalogue, in the order a student meets the mistakes."""

BY_NAME: dict[str, Mistake] = {mistake.name: mistake for mistake in CATALOGUE}


def mistaken_values(quantity: str, numbers: Numbers) -> dict[str, float]:
    """Each catalogued mistake that touches ``quantity`` -> the value it gives there."""
    found = {}
    for mistake in CATALOGUE:
        value = mistake.value(quantity, numbers)
        if value is not None:
            found[mistake.name] = value
    return found
