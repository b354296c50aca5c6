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
out. On any other graph -- a Playground formula -- a mistake is recognised from the graph
itself, by its op table rows (``Mistake.structure``): a root ½(T − a)² or (T − a)², an
activation on the path, the product a parameter enters. The names of the quantities are
those of the quiz: ``z1``, ``a2``, ``E``, ``∂E/∂a2``, ``∂a2/∂z2`` (with local derivatives),
``new w2``, and for a formula ``f``, ``∂f/∂w``, ``new w``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from autograd.ops import ROWS_BY_NAME, SIGMOID, Op
from autograd.value import Value

Edge = tuple[Value, int]
"""An edge of the graph: (node, the position of the input it reaches)."""


@dataclass(frozen=True)
class Numbers:
    """Every number the student has, by its quiz name (``x``, ``w1``, ``z1``, ``∂E/∂a2``,
    ``∂a2/∂z2``, ``new w2``) and the learning rate as ``lr``; ``ops`` names the op that
    computed each named node (``ops["a2"] == "sigmoid"``)."""

    values: Mapping[str, float]
    ops: Mapping[str, str]
    top: Value | None = None
    """The graph's root (its name is the E of ``∂E/∂p``), where the graph is given."""
    names: Mapping[Value, str] = field(default_factory=dict)
    chains: Mapping[str, Sequence[Sequence[Edge]]] = field(default_factory=dict)
    """Each gradient worked from the root alone, nothing asked between (every gradient of a
    Playground formula; ∂E/∂a2 in the lesson) -> its paths of edges, the root's first."""

    @property
    def root(self) -> str:
        """The name of the quantity differentiated: E in the lesson, f for a formula."""
        return self.names[self.top] if self.top is not None else "E"

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
    hint: what the student is told, with ``{...}`` filled from the quantity's place
        (``{a}`` is a2, or a2[1] in a network; ``places``).
    compute: the number the mistake gives for a quantity named as the lesson and network
        files name them, or None where it does not apply.
    structure: the same mistake recognised from the graph itself (its op table rows), for any
        graph: a Playground formula. Used where ``compute`` gives None.
    explain: the hint where ``structure`` gave the number, naming the graph's nodes.
    """

    name: str
    title: str
    hint: str
    compute: Callable[[str, Numbers], float | None]
    structure: Callable[[str, Numbers], float | None] | None = None
    explain: Callable[[str, Numbers], str] | None = None

    def value(self, quantity: str, numbers: Numbers) -> float | None:
        """What a student making this mistake types for ``quantity`` (None: not affected)."""
        try:
            found = self.compute(quantity, numbers)
            if found is None and self.structure is not None:
                found = self.structure(quantity, numbers)
            return found
        except (KeyError, ZeroDivisionError, OverflowError, ValueError):
            return None

    def message(self, quantity: str, numbers: Numbers | None = None) -> str:
        """The hint for ``quantity``: the quantity's own names filled in, or, where the
        mistake was recognised from the graph's structure, the graph's nodes named."""
        if numbers is not None and self.explain is not None and self._structural(quantity, numbers):
            return self.explain(quantity, numbers)
        return self.hint.format(**places(quantity, numbers.ops if numbers else {}))

    def _structural(self, quantity: str, numbers: Numbers) -> bool:
        """Whether ``value`` comes from ``structure`` for this quantity."""
        try:
            named = self.compute(quantity, numbers)
        except (KeyError, ZeroDivisionError, OverflowError, ValueError):
            named = None
        return named is None and self.value(quantity, numbers) is not None


def places(quantity: str, ops: Mapping[str, str] | None = None) -> dict[str, str]:
    """The names a hint uses, for the node ``quantity`` is about: l (its layer), next, prev,
    a, z, b, T (its neuron's), w (the weight asked, else the layer's), input (what w
    multiplies), f and slope (a's activation, σ unless ``ops`` names another, and its
    derivative in a), the node above it (z for w and b, a for z), and on a path up a layer
    z_next, w_next, w_here (the wrong weight).
    ``∂E/∂w2[1,2]`` gives w = w2[1,2], a = a2[1], input = a1[2]; ``∂E/∂w2`` gives w2, a2, a1."""
    over, _, under = quantity.removeprefix("new ").partition("/")
    node = _split(re.sub(r"^∂", "", under or over))
    above = _split(over[1:]) if under else None
    letter, layer, index = node if node else ("", 1, ())
    j = index[:1]
    below = layer - 1
    if letter == "w" and len(index) == 2:
        source = f"x{index[1]}" if below == 0 else _name("a", below, index[1:])
    else:
        source = "x" if below == 0 else f"a{below}"
    k: tuple[int | str, ...] = ()  # a_l[j] reaches z_(l+1)[k] through w_(l+1)[k,j]
    if j:
        k = above[2][:1] if above and above[2] else ("k",)
    a = _name("a", layer, j) if node else "a"
    row = ROWS_BY_NAME.get((ops or {}).get(a, ""), SIGMOID)
    row = row if row.activation and row.bound is None else SIGMOID
    return {
        "f": row.symbol,
        "slope": row.local_formula(0, a, [_name("z", layer, j)]),
        "l": str(layer),
        "next": str(layer + 1),
        "prev": str(below),
        "a": a,
        "z": _name("z", layer, j),
        "b": _name("b", layer, j),
        "w": _name("w", layer, index if letter == "w" else ()),
        "T": f"T{j[0]}" if j else "T",
        "input": source,
        "z_next": _name("z", layer + 1, k),
        "above": {"z": a, "a": _name("z", layer + 1, k)}.get(letter, _name("z", layer, j)),
        "w_next": _name("w", layer + 1, (*k, *j)),
        "w_here": _name("w", layer, (*k, *j)),
    }


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


def _name(letter: str, layer: int, index: tuple[int | str, ...] = ()) -> str:
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
        return new(n[name], n["lr"], n[f"∂{n.root}/∂{name}"])

    return compute


def _updated_weight(layer: int, index: Index, n: Numbers) -> float:
    weight = _name("w", layer, index)
    return n[weight] - n["lr"] * n[f"∂E/∂{weight}"]


# --- The same mistakes recognised from a graph's structure: any formula --------------------


def _number(node: Value, n: Numbers) -> Any:
    """A node's number on the student's numbers: by its name, a constant by its value."""
    return node.data if not node.op and not node.label else n[n.names[node]]


def _edge_local(node: Value, i: int, n: Numbers) -> Any:
    """∂node/∂(input i) on the student's numbers, by the node's op table row."""
    row = node.row
    if isinstance(row.bound, Op):  # a fused neuron: the lesson's names cover it
        raise KeyError(f"{row.name}: a fused row")
    argument = () if row.bound is None else (row.bound,)
    inputs = [_number(child, n) for child in node.inputs]
    return row.derivatives(_number(node, n), *inputs, *argument)[i]


def _squared_error(root: Value) -> tuple[Value | None, Value, Value] | None:
    """(the ½ product or None, the square, the difference (T − a)) where ``root`` is
    ½(T − a)² or (T − a)², by its rows; else None."""
    half, square = None, root
    if root.row.name == "*":
        others = [c for c in root.inputs if not (not c.op and not c.label and c.data == 0.5)]
        if len(others) == 1 and len(root.inputs) == 2:
            half, square = root, others[0]
    if square.row.name == "**n" and square.row.bound == 2.0 and square.inputs[0].row.name == "-":
        return half, square, square.inputs[0]
    return None


Change = Callable[[Sequence[Edge], int, Numbers], Any]
"""A mistaken local derivative for edge k of a path, or None where the student gets it right."""


def _in_chain(change: Change) -> Callable[[str, Numbers], float | None]:
    """A mistake in one local derivative of a chain: ∂root/∂v as the sum over its paths of
    the products of their local derivatives, ``change`` taken where it applies."""

    def compute(quantity: str, n: Numbers) -> float | None:
        total, changed = 0.0, False
        for path in n.chains.get(quantity, ()):
            product = 1.0
            for k, (node, i) in enumerate(path):
                wrong = change(path, k, n)
                changed = changed or wrong is not None
                product = product * (_edge_local(node, i, n) if wrong is None else wrong)
            total = total + product
        return total if changed else None

    return compute


def _is_activation(node: Value) -> bool:
    return node.row.activation and node.row.bound is None


def _at_input(path: Sequence[Edge], k: int, n: Numbers) -> Any:
    """An activation's derivative, written in its output, taken at its input: z(1 − z)."""
    node, _ = path[k]
    if not _is_activation(node):
        return None
    z = _number(node.inputs[0], n)
    return node.row.derivatives(z, z)[0]


def _skipped(path: Sequence[Edge], k: int, n: Numbers) -> Any:
    return 1.0 if _is_activation(path[k][0]) else None


def _factor_forgotten(path: Sequence[Edge], k: int, n: Numbers) -> Any:
    """The other factor of the product a parameter enters (×x in w·x) left out."""
    node, i = path[k]
    other = node.inputs[1 - i] if node.row.name == "*" else None
    return 1.0 if k == len(path) - 1 and other is not None and (other.op or other.label) else None


def _error_sign(path: Sequence[Edge], k: int, n: Numbers) -> Any:
    """d/da of (T − a)² taken as +2(T − a): the −1 of (T − a) lost."""
    found = _squared_error(path[0][0])
    return 1.0 if found and path[k] == (found[2], 1) else None


def _half_dropped(path: Sequence[Edge], k: int, n: Numbers) -> Any:
    found = _squared_error(path[0][0])
    return 1.0 if found and k == 0 and found[0] is not None else None


def _half_dropped_anywhere(quantity: str, n: Numbers) -> Any:
    """The ½ dropped: in the root's own value, ½(T − a)² taken as (T − a)², or in a chain."""
    found = _squared_error(n.top) if n.top is not None and quantity == n.root else None
    if found and found[0] is not None:
        return _number(found[1], n)  # a Value when offline.py traces it
    return _in_chain(_half_dropped)(quantity, n)


def _local_alone(quantity: str, n: Numbers) -> Any:
    """∂root/∂v given as the derivative of the product v enters alone: ∂(w·x)/∂w = x."""
    paths = n.chains.get(quantity, ())
    if len(paths) != 1 or len(paths[0]) < 2 or paths[0][-1][0].row.name != "*":
        return None
    return _edge_local(*paths[0][-1], n)


def _explained(hint: str) -> Callable[[str, Numbers], str]:
    """A hint over the graph's nodes: {v} the node asked about, {T} and {a} the squared
    error's, {act} the activation on the path and {z} its input, {other} the other factor."""

    def explain(quantity: str, n: Numbers) -> str:
        node_names = dict(n.names)
        paths = n.chains.get(quantity, ())
        found = _squared_error(n.top) if n.top is not None else None
        edges = [edge for path in paths for edge in path]
        activation = next((node for node, _ in edges if _is_activation(node)), None)
        last = paths[0][-1] if paths else None
        other = last[0].inputs[1 - last[1]] if last and last[0].row.name == "*" else None
        fill = {
            "root": n.root,
            "v": quantity.rpartition("/∂")[2] or quantity,
            "T": node_names.get(found[2].inputs[0], "T") if found else "T",
            "a": node_names.get(found[2].inputs[1], "a") if found else "a",
            "act": node_names.get(activation, "") if activation else "",
            "z": node_names.get(activation.inputs[0], "") if activation else "",
            "f": activation.row.symbol if activation else "",
            "other": node_names.get(other, "") if other is not None else "",
            "product": node_names.get(last[0], "") if last else "",
        }
        return hint.format(**fill)

    return explain


CATALOGUE: tuple[Mistake, ...] = (
    Mistake(
        "sign",
        "the sign of (T − a2)",
        "you differentiated ½({T} − {a})² as ({T} − {a}): d/d{a} gives −({T} − {a}) = ({a} − {T})",
        _sign,
        _in_chain(_error_sign),
        _explained(
            "you lost the sign of ({T} − {a}): its derivative in {a} is −1, so ({T} − {a})² "
            "gives −({T} − {a}) = ({a} − {T}), not ({T} − {a})"
        ),
    ),
    Mistake(
        "half",
        "the ½ dropped",
        "you dropped the ½ of E = ½({T} − {a})²: it is there so that ∂E/∂{a} = ({a} − {T}), no 2",
        _half,
        _half_dropped_anywhere,
        _explained(
            "you dropped the ½ of {root} = ½({T} − {a})²: the ½ stays, a factor of every gradient"
        ),
    ),
    Mistake(
        "derivative-at-z",
        "σ′ taken at z instead of a",
        "you took {f}′ at {z}: {f}′({z}) = {slope} uses the output {a}, not {z}",
        _through_activation(
            lambda layer, index, n: _activation_derivative_at(
                layer, index, n, n[_name("z", layer, index)]
            )
        ),
        _in_chain(_at_input),
        _explained(
            "you took {f}′ at its input {z}: its derivative is written in its output, "
            "{act}, so evaluate it there"
        ),
    ),
    Mistake(
        "derivative-skipped",
        "a σ′ factor skipped",
        "you skipped the activation's derivative ∂{a}/∂{z}: multiply by {slope}",
        _through_activation(lambda layer, index, n: 1.0),
        _in_chain(_skipped),
        _explained("you skipped the derivative of {act}: multiply by {f}′ at {act}"),
    ),
    Mistake(
        "activation-as-derivative",
        "σ used for σ′",
        "you multiplied by {a} itself: {f}′ is {slope}, not {f} = {a}",
        _through_activation(lambda layer, index, n: n[_name("a", layer, index)]),
    ),
    Mistake(
        "wrong-weight",
        "the wrong weight on the path (w1 for w2)",
        "you used {w_here} on the path: {a} reaches {z_next} through {w_next}, so "
        "∂{z_next}/∂{a} = {w_next}",
        _weight_path(lambda above, index, n: n[_name("w", above - 1, index)]),
    ),
    Mistake(
        "input-forgotten",
        "×a1 or ×x forgotten",
        "you left out the input: ∂{z}/∂{w} = {input}, so multiply by {input}",
        _input_forgotten,
        _in_chain(_factor_forgotten),
        _explained("you left out a factor: ∂({product})/∂{v} = {other}, so multiply by {other}"),
    ),
    Mistake(
        "bias-as-weight",
        "the bias gradient taken as the weight's",
        "that is the weight's gradient: ∂{z}/∂{b} = 1, so ∂E/∂{b} = ∂E/∂{z}",
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
        "you used the updated {w_next}: this step's backward pass uses the weights of its "
        "forward pass, the old {w_next}",
        _weight_path(_updated_weight),
    ),
    Mistake(
        "upstream-left-out",
        "an upstream gradient not multiplied in",
        "that is only the local derivative: multiply by the gradient from above, ∂E/∂{above}",
        _upstream_left_out,
        _local_alone,
        _explained(
            "that is only the local derivative ∂({product})/∂{v} = {other}: multiply by the "
            "gradient from above, ∂{root}/∂({product})"
        ),
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
