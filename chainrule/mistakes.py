"""The catalogue of the mistakes students make working backpropagation by hand.

Each mistake is recomputed on the student's own numbers: ``Mistake.value(quantity,
numbers)`` is what a student who makes that mistake (and only it) would type for
``quantity``, given every number the student has so far (the given values, the
forward values, the gradients and local derivatives, ``lr``), or None when the
mistake cannot touch that quantity. ``chainrule.questions.Checker`` compares a
wrong answer with these values and names the mistake it matches.

The catalogue knows the lesson's chain x -> z1 -> a1 -> z2 -> a2 -> E = ½(T − a2)²
(any depth, any activation: a network one neuron wide is named like the lesson,
``chainrule.network``), and the update of any parameter ``new p``. The names of a
chain's quantities are those of the quiz: ``z1``, ``a2``, ``E``, ``∂E/∂a2``,
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
    found = re.search(r"(\d+)\D*$", quantity)
    return int(found.group(1)) if found else 1


def _gradient(quantity: str, prefix: str) -> str | None:
    """The layer number of ``∂E/∂<prefix><l>``, else None."""
    found = re.fullmatch(rf"∂E/∂{prefix}(\d+)", quantity)
    return found.group(1) if found else None


def _local(quantity: str, top: str, bottom: str) -> str | None:
    """The layer number of a local derivative ``∂<top><l>/∂<bottom><l>``, else None."""
    found = re.fullmatch(rf"∂{top}(\d+)/∂{bottom}(\d+)", quantity)
    return found.group(1) if found and found.group(1) == found.group(2) else None


def _output(numbers: Numbers) -> str:
    """The name of the chain's output activation (a2 in the lesson)."""
    layer = 1
    while f"a{layer + 1}" in numbers:
        layer += 1
    return f"a{layer}"


def _input(layer: str, numbers: Numbers) -> float:
    """The input of layer ``layer``: x for the first, a(l−1) after."""
    return numbers["x"] if layer == "1" else numbers[f"a{int(layer) - 1}"]


def _activation_derivative_at(layer: str, numbers: Numbers, at: float) -> float:
    """f′ of layer ``layer``'s activation written in terms of its output, evaluated at ``at``."""
    op = numbers.ops[f"a{layer}"]
    if op == "sigmoid":
        return at * (1 - at)
    if op == "tanh":
        return 1 - at * at
    raise KeyError(op)


def _sign(quantity: str, n: Numbers) -> float | None:
    output = _output(n)
    if quantity == f"∂E/∂{output}":
        return n["T"] - n[output]
    return None


def _half(quantity: str, n: Numbers) -> float | None:
    output = _output(n)
    if quantity == "E":
        return (n["T"] - n[output]) ** 2
    if quantity == f"∂E/∂{output}":
        return 2 * (n[output] - n["T"])
    return None


def _through_activation(
    derivative: Callable[[str, Numbers], float],
) -> Callable[[str, Numbers], float | None]:
    """A mistake in ∂a_l/∂z_l: the local question gets ``derivative``, ∂E/∂z_l the
    upstream ∂E/∂a_l times it."""

    def compute(quantity: str, n: Numbers) -> float | None:
        layer = _local(quantity, "a", "z")
        if layer:
            return derivative(layer, n)
        layer = _gradient(quantity, "z")
        if layer:
            return n[f"∂E/∂a{layer}"] * derivative(layer, n)
        return None

    return compute


def _weight_path(weight: Callable[[str, Numbers], float]) -> Callable[[str, Numbers], float | None]:
    """A mistake in ∂z_(l+1)/∂a_l: the wrong weight ``weight(l+1)`` on the path."""

    def compute(quantity: str, n: Numbers) -> float | None:
        found = re.fullmatch(r"∂z(\d+)/∂a(\d+)", quantity)
        if found and int(found.group(1)) == int(found.group(2)) + 1:
            return weight(found.group(1), n)
        layer = _gradient(quantity, "a")
        if layer and f"z{int(layer) + 1}" in n:
            above = str(int(layer) + 1)
            return n[f"∂E/∂z{above}"] * weight(above, n)
        return None

    return compute


def _input_forgotten(quantity: str, n: Numbers) -> float | None:
    layer = _local(quantity, "z", "w")
    if layer:
        return 1.0
    layer = _gradient(quantity, "w")
    return n[f"∂E/∂z{layer}"] if layer else None


def _bias_as_weight(quantity: str, n: Numbers) -> float | None:
    layer = _local(quantity, "z", "b")
    if layer:
        return _input(layer, n)
    layer = _gradient(quantity, "b")
    return n[f"∂E/∂z{layer}"] * _input(layer, n) if layer else None


def _upstream_left_out(quantity: str, n: Numbers) -> float | None:
    """∂E/∂v given as the local derivative from the node above alone."""
    found = re.fullmatch(r"∂E/∂([a-z])(\d+)", quantity)
    if not found:
        return None
    letter, layer = found.groups()
    if letter == "z":
        local = n.get(f"∂a{layer}/∂z{layer}")
        return _activation_derivative_at(layer, n, n[f"a{layer}"]) if local is None else local
    if letter == "a" and f"z{int(layer) + 1}" in n:
        return n[f"w{int(layer) + 1}"]
    if letter == "w":
        return _input(layer, n)
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


def _updated_weight(above: str, n: Numbers) -> float:
    weight = f"w{above}"
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
        _through_activation(lambda layer, n: _activation_derivative_at(layer, n, n[f"z{layer}"])),
    ),
    Mistake(
        "derivative-skipped",
        "a σ′ factor skipped",
        "you skipped the activation's derivative ∂a{l}/∂z{l}: multiply by a{l}·(1 − a{l})",
        _through_activation(lambda layer, n: 1.0),
    ),
    Mistake(
        "activation-as-derivative",
        "σ used for σ′",
        "you multiplied by a{l} itself: σ′ is a{l}·(1 − a{l}), not σ = a{l}",
        _through_activation(lambda layer, n: n[f"a{layer}"]),
    ),
    Mistake(
        "wrong-weight",
        "the wrong weight on the path (w1 for w2)",
        "you used w{l} on the path: a{l} reaches z{next} through w{next}, so "
        "∂z{next}/∂a{l} = w{next}",
        _weight_path(lambda above, n: n[f"w{int(above) - 1}"]),
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
