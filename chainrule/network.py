"""A small fully connected network from a JSON file: the teacher's own example.

The file (``weights[j]`` lists the weights into neuron j of the layer, one per
input, in input order; ``"lr"`` is optional)::

    {"inputs": [1.0, 0.5],
     "layers": [{"weights": [[0.1, -0.2], [0.4, 0.3]], "biases": [0.0, 0.1],
                 "activation": "sigmoid"},
                {"weights": [[0.5, -0.6]], "biases": [0.2], "activation": "sigmoid"}],
     "targets": [1.0], "lr": 0.5}

Layer l (1 for the first) computes z_l[j] = Σ_i w_l[j,i] · a_{l−1}[i] + b_l[j] and
a_l[j] = f_l(z_l[j]) with a_0 = x; the error is E = ½ Σ_k (T[k] − a_L[k])².
Nodes are named by place: ``w2[1,2]`` is the weight into neuron 1 of layer 2
from its input 2, ``b2[1]``, ``z2[1]`` and ``a2[1]`` that neuron's bias, sum and
output, ``x1``, ``x2`` the inputs and ``T1`` the target (all counted from 1). A
network one neuron wide throughout reads like the lesson: x, w1, b1, z1, a1, ..., T, E.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from autograd import Value, checks, ops, topological_order
from autograd.compile import Compiled, compile_graph
from autograd.descent import gradient_step
from autograd.files import HugeInt, read_json
from autograd.show.names import code_names
from chainrule.questions import SIGNIFICANT_FIGURES, Checker
from nn.activations import ACTIVATIONS
from nn.losses import squared_error
from nn.module import MLP, Layer
from nn.optim import SGD

ACTIVATION_NAMES = tuple(name for name in ACTIVATIONS if name != "softmax")
"""Activations a network file may use (softmax is not a per-neuron function)."""

COMPOSED_DERIVATIVES = {"step": "0", "linear": "1"}
"""∂a/∂z of the activations that are not op table rows (built from other ops)."""


def activation_formulas(activation: str, a: str, z: str) -> tuple[str, str]:
    """a = f(z) and ∂a/∂z over the names of a and z, as the op table writes them:
    ("σ(z1)", "a1·(1 − a1)")."""
    row = ops.ACTIVATIONS.get(activation)
    if row is None:
        return f"{activation}({z})", COMPOSED_DERIVATIVES[activation]
    return f"{row.symbol}({z})", row.local_formula(0, a, [z])


EXAMPLE_NETWORK = Path(__file__).parent / "networks" / "2-2-2.json"
"""The classic 2-2-2 sigmoid network (two inputs, two hidden, two outputs; Mazur's numbers,
with a bias per neuron), shipped as a network file: the README's net.json and the site's
2-2-2 preset, so ``chainrule backprop --network`` on it gives the site's numbers."""

MAX_BYTES = 2**20
"""The largest network file read: a small network's numbers fit many times over."""


class NetworkFileError(ValueError):
    """A network file that cannot be used: the message names the field and its value."""


@dataclass(frozen=True)
class LayerSpec:
    """One layer: ``weights[j][i]`` into neuron j from input i, ``biases[j]``, an activation."""

    weights: tuple[tuple[float, ...], ...]
    biases: tuple[float, ...]
    activation: str


@dataclass(frozen=True)
class NetworkSpec:
    """The numbers of a network file; ``to_dict()`` writes it back in the same shape."""

    inputs: tuple[float, ...]
    layers: tuple[LayerSpec, ...]
    targets: tuple[float, ...]
    lr: float | None = None

    def numbers(self) -> list[float]:
        """Every number but lr, in the order of ``BuiltNetwork.given()``: the inputs, layer by
        layer each neuron's weights then its bias, the targets."""
        return [
            *self.inputs,
            *(
                n
                for layer in self.layers
                for row, b in zip(layer.weights, layer.biases)
                for n in (*row, b)
            ),
            *self.targets,
        ]

    def with_numbers(self, numbers: Sequence[float]) -> NetworkSpec:
        """The same network with these numbers, given in the order of ``numbers()``."""
        if len(numbers) != len(self.numbers()):
            raise ValueError(
                f"with_numbers: expected {len(self.numbers())} numbers, got {len(numbers)}"
            )
        rest = iter(numbers)

        def take(count: int) -> tuple[float, ...]:
            return tuple(next(rest) for _ in range(count))

        inputs = take(len(self.inputs))
        layers = []
        for layer in self.layers:
            rows = [(take(len(row)), take(1)[0]) for row in layer.weights]
            layers.append(
                LayerSpec(tuple(r for r, _ in rows), tuple(b for _, b in rows), layer.activation)
            )
        return NetworkSpec(inputs, tuple(layers), take(len(self.targets)), self.lr)

    def to_dict(self) -> dict[str, object]:
        """The network as a network file's JSON object (``lr`` left out when None)."""
        data: dict[str, object] = {
            "inputs": list(self.inputs),
            "layers": [
                {
                    "weights": [list(row) for row in layer.weights],
                    "biases": list(layer.biases),
                    "activation": layer.activation,
                }
                for layer in self.layers
            ],
            "targets": list(self.targets),
        }
        if self.lr is not None:
            data["lr"] = self.lr
        return data


def lesson_network(
    x: float, w1: float, b1: float, w2: float, b2: float, target: float, activation: str
) -> NetworkSpec:
    """The lesson's 1-1-1 network with these numbers and one activation for both neurons."""
    return parse_network(
        {
            "inputs": [x],
            "layers": [
                {"weights": [[w1]], "biases": [b1], "activation": activation},
                {"weights": [[w2]], "biases": [b2], "activation": activation},
            ],
            "targets": [target],
        }
    )


def load_network(path: Path) -> NetworkSpec:
    """Read and check a network file; any problem is a NetworkFileError naming the field."""
    try:
        data = read_json(path, MAX_BYTES)
    except OSError as error:
        raise NetworkFileError(f"cannot read network file {str(path)!r}: {error}") from None
    except ValueError as error:
        raise NetworkFileError(f"{path}: {error}") from None
    try:
        return parse_network(data)
    except NetworkFileError as error:
        raise NetworkFileError(f"{path}: {error}") from None


def parse_network(data: object) -> NetworkSpec:
    """A network file's JSON object, checked: every field present, every number finite,
    each layer's weights one per input; else a NetworkFileError naming the field."""
    fields = _object(data, "the network file", ("inputs", "layers", "targets"), ("lr",))
    inputs = _numbers(fields["inputs"], "inputs")
    layers: list[LayerSpec] = []
    width = len(inputs)
    for index, layer in enumerate(_list(fields["layers"], "layers")):
        where = f"layers[{index}]"
        layer_fields = _object(layer, where, ("weights", "biases", "activation"), ())
        rows = _list(layer_fields["weights"], f"{where}.weights")
        weights = tuple(_numbers(row, f"{where}.weights[{j}]", width) for j, row in enumerate(rows))
        biases = _numbers(layer_fields["biases"], f"{where}.biases", len(weights))
        activation = layer_fields["activation"]
        if activation not in ACTIVATION_NAMES:
            raise NetworkFileError(
                f"expected {where}.activation to be one of {', '.join(ACTIVATION_NAMES)}, "
                f"got {_shown(activation)}"
            )
        layers.append(LayerSpec(weights, biases, str(activation)))
        width = len(weights)
    targets = _numbers(fields["targets"], "targets", width)
    lr = fields.get("lr")
    if lr is not None:
        lr = _number(lr, "lr")
        if lr <= 0:
            raise NetworkFileError(f"expected lr to be a number > 0, got {_shown(lr)}")
    return NetworkSpec(inputs, tuple(layers), targets, lr)


def _shown(value: object) -> str:
    if isinstance(value, HugeInt):  # "an int of 400 digits", not the digits
        return repr(value)
    text = json.dumps(value, ensure_ascii=False) if _jsonable(value) else repr(value)
    return text if len(text) <= 60 else f"{text[:50]}... ({len(text)} characters)"


def _jsonable(value: object) -> bool:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False
    return True


def _object(
    data: object, where: str, required: Sequence[str], optional: Sequence[str]
) -> Mapping[str, object]:
    if not isinstance(data, dict):
        raise NetworkFileError(f"expected {where} to be a JSON object {{...}}, got {_shown(data)}")
    missing = [name for name in required if name not in data]
    if missing:
        raise NetworkFileError(f"{where} has no {missing[0]!r} field")
    unknown = [name for name in data if name not in (*required, *optional)]
    if unknown:
        allowed = ", ".join(repr(name) for name in (*required, *optional))
        raise NetworkFileError(
            f"{where} has an unknown field {checks.shown(unknown[0])} (known: {allowed})"
        )
    return data


def _list(value: object, where: str) -> list[object]:
    if not isinstance(value, list) or not value:
        raise NetworkFileError(f"expected {where} to be a non-empty list, got {_shown(value)}")
    return value


def _number(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise NetworkFileError(f"expected {where} to be a number, got {_shown(value)}")
    try:
        number = float(value)
    except OverflowError:  # an int beyond the largest float
        number = math.inf
    if not math.isfinite(number):
        raise NetworkFileError(f"expected {where} to be a finite number, got {_shown(value)}")
    return number


def _numbers(value: object, where: str, length: int | None = None) -> tuple[float, ...]:
    items = _list(value, where)
    if length is not None and len(items) != length:
        raise NetworkFileError(
            f"expected {where} to have {length} numbers ({_what(where)}), "
            f"got {len(items)}: {_shown(value)}"
        )
    return tuple(_number(item, f"{where}[{i}]") for i, item in enumerate(items))


def _what(where: str) -> str:
    if where == "targets":
        return "one per output neuron"
    if where.endswith(".biases"):
        return "one per neuron: one per row of weights"
    return "one per input of the layer"


@dataclass(frozen=True, eq=False)
class BuiltNetwork:
    """A network's graph after the forward pass of its ``model`` and ``E.backward()``.

    weights[l][j][i], biases[l][j], zs[l][j] and activations[l][j] are layer l's
    Values (l, j, i counted from 0 here, named from 1); ``E`` is the root.
    """

    spec: NetworkSpec
    model: MLP
    inputs: tuple[Value, ...]
    weights: tuple[tuple[tuple[Value, ...], ...], ...]
    biases: tuple[tuple[Value, ...], ...]
    zs: tuple[tuple[Value, ...], ...]
    activations: tuple[tuple[Value, ...], ...]
    targets: tuple[Value, ...]
    E: Value

    def parameters(self) -> list[Value]:
        """Every weight and bias, layer by layer, each neuron's weights then its bias."""
        return self.model.parameters()

    def given(self) -> dict[str, float]:
        """Each given number by its name: the inputs, the parameters (``parameters()``
        order), the targets (``{"x": 0.1, "w1": 0.15, "b1": 0.4, ..., "T": 0.25}``)."""
        return {v.label: v.data for v in (*self.inputs, *self.parameters(), *self.targets)}

    def parameters_as_reached(self) -> list[Value]:
        """The parameters in the order backpropagation reaches them: the last layer first,
        each neuron's weights then its bias (w2, b2, w1, b1 in the lesson)."""
        return [p for layer in reversed(self.model.layers) for p in layer.parameters()]

    def compiled(self) -> Compiled:
        """The forward and backward pass written out as readable Python, one line per node
        forward and per chain-rule step backward, in the step-through's order: inputs the
        network's inputs and targets, parameters ``parameters()``."""
        return compile_graph(
            self.E,
            [*self.inputs, *self.targets],
            self.parameters(),
            readable=True,
            names=code_names(self.E),
        )

    def forward(self) -> dict[str, float]:
        """Each named computed node -> its value, layer by layer (z then a), E last."""
        values = {
            node.label: node.data
            for zs, activations in zip(self.zs, self.activations)
            for pair in zip(zs, activations)
            for node in dict.fromkeys(pair)  # a linear neuron's a is its z
        }
        return {**values, "E": self.E.data}

    def gradients(self) -> dict[str, list[dict[str, object]]]:
        """∂E/∂w and ∂E/∂b in the network file's shape: {"layers": [{"weights", "biases"}]}."""
        return {
            "layers": [
                {
                    "weights": [[w.grad for w in row] for row in rows],
                    "biases": [b.grad for b in biases],
                }
                for rows, biases in zip(self.weights, self.biases)
            ]
        }

    def updated(self, lr: float) -> NetworkSpec:
        """The network after one step of gradient descent, p ← p − lr · ∂E/∂p (a new spec)."""
        layers = tuple(
            LayerSpec(
                tuple(tuple(gradient_step(w.data, w.grad, lr) for w in row) for row in rows),
                tuple(gradient_step(b.data, b.grad, lr) for b in biases),
                layer.activation,
            )
            for layer, rows, biases in zip(self.spec.layers, self.weights, self.biases)
        )
        return NetworkSpec(self.spec.inputs, layers, self.spec.targets, self.spec.lr)

    def checker(
        self,
        lr: float,
        *,
        local_derivatives: bool = False,
        significant_figures: int = SIGNIFICANT_FIGURES,
    ) -> Checker:
        """The quiz of this network and its checking rule: every forward value, gradient
        (and local derivative) and updated parameter, in order (``Checker``)."""
        return Checker(
            self.E,
            significant_figures=significant_figures,
            lr=lr,
            parameters=self.parameters(),
            formulas=self.formulas(),
            local_derivatives=local_derivatives,
        )

    def answers(self, lr: float) -> dict[str, float]:
        """Every quantity the quiz can ask (local derivatives too), by its question's name,
        -> its value: the teacher's full key."""
        return {q.quantity: q.expected for q in self.checker(lr, local_derivatives=True).questions}

    def formulas(self) -> dict[str, str]:
        """Each named quantity's formula ("z1": "w1·x + b1") and each chain-rule factor's
        ("∂a2/∂z2": "a2·(1 − a2)"), for ``explain`` and ``graph_questions``."""
        formulas: dict[str, str] = {}
        below = self.inputs
        for layer, rows, biases, zs, activations in zip(
            self.spec.layers, self.weights, self.biases, self.zs, self.activations
        ):
            for row, bias, z, a in zip(rows, biases, zs, activations):
                terms = [f"{w.label}·{x.label}" for w, x in zip(row, below)]
                formulas[z.label] = " + ".join([*terms, bias.label])
                formulas[f"∂{z.label}/∂{bias.label}"] = "1"
                for w, x in zip(row, below):
                    formulas[f"∂{z.label}/∂{w.label}"] = x.label
                    formulas[f"∂{z.label}/∂{x.label}"] = w.label
                if a is not z:
                    formulas[a.label], formulas[f"∂{a.label}/∂{z.label}"] = activation_formulas(
                        layer.activation, a.label, z.label
                    )
            below = activations
        errors = [f"({t.label} − {a.label})²" for t, a in zip(self.targets, below)]
        formulas["E"] = f"½({' + '.join(errors)})" if len(errors) > 1 else f"½{errors[0]}"
        for t, a in zip(self.targets, below):
            formulas[f"∂E/∂{a.label}"] = f"({a.label} − {t.label})"
        return formulas

    def clusters(self) -> dict[str, list[Value]]:
        """Each neuron's computed Values, to box them in a drawing ("layer 2, neuron 1";
        "neuron 2" in a chain)."""
        seen: set[Value] = set()
        found = {}
        chain = _is_chain(self.spec)
        for layer, activations in enumerate(self.activations, 1):
            for neuron, a in enumerate(activations, 1):
                nodes = [n for n in topological_order(a, include_leaves=False) if n not in seen]
                seen.update(nodes)
                found[f"neuron {layer}" if chain else f"layer {layer}, neuron {neuron}"] = nodes
        return found


def network_module(spec: NetworkSpec, *, fused: bool = False) -> MLP:
    """The file's network as an nn ``MLP`` of its layers, weights, biases and activations,
    its parameters named by place (``w2[1,2]``, ``b2[1]``; ``w1``, ``b1`` in a chain).
    ``fused=True`` computes each z as one ``w·x+b`` node, ``False`` from ``*`` and ``+``."""
    widths = [len(spec.inputs), *(len(layer.biases) for layer in spec.layers)]
    model = MLP.from_layers(
        [
            Layer(
                n_inputs,
                len(layer.biases),
                layer.activation,
                weights=layer.weights,
                biases=layer.biases,
                fused=fused,
                name=f"layers.{number - 1}",
                number=number,
            )
            for number, (n_inputs, layer) in enumerate(zip(widths, spec.layers), 1)
        ]
    )
    if _is_chain(spec):  # one neuron per layer: w1, b1 as the lesson writes them
        for number, layer in enumerate(model.layers, 1):
            (neuron,) = layer.neurons
            neuron.weights[0].label, neuron.bias.label = f"w{number}", f"b{number}"
    return model


def build_network(spec: NetworkSpec, *, fused: bool | None = None) -> BuiltNetwork:
    """The network's ``MLP`` (``network_module``), its forward pass and ``E.backward()``;
    nodes named by place.

    ``fused=False`` builds each z from ``*`` and ``+`` (every product in a drawing),
    ``fused=True`` as one ``w·x+b`` node; the numbers are the same. By default a
    chain (the lesson's shape) is built op by op and a wider network fused, so
    its drawing stays one node per neuron's sum.
    """
    fused = not _is_chain(spec) if fused is None else fused
    return _run(spec, network_module(spec, fused=fused))


def _is_chain(spec: NetworkSpec) -> bool:
    return len(spec.inputs) == 1 and all(len(layer.biases) == 1 for layer in spec.layers)


def _run(spec: NetworkSpec, model: MLP) -> BuiltNetwork:
    """``model``'s forward pass on the spec's inputs, E and ``E.backward()`` (grads zeroed
    first), nodes named by place; the spec's layers read back from the model's numbers."""
    chain = _is_chain(spec)

    def place(letter: str, layer: int | None, *indices: int) -> str:
        if layer is None:  # an input or a target: x1, x2, T1 (x and T in a chain)
            return letter if chain else f"{letter}{indices[0]}"
        return f"{letter}{layer}" if chain else f"{letter}{layer}[{','.join(map(str, indices))}]"

    inputs = tuple(Value(x, place("x", None, i)) for i, x in enumerate(spec.inputs, 1))
    record = model.sums_and_outputs(inputs)
    for number, (zs, outputs) in enumerate(record, 1):
        for j, (z, a) in enumerate(zip(zs, outputs), 1):
            z.label = place("z", number, j)
            if a is not z:  # a linear neuron's a is its z
                a.label = place("a", number, j)
    targets = tuple(Value(t, place("T", None, k)) for k, t in enumerate(spec.targets, 1))
    error = squared_error(record[-1][1], list(targets))
    error.label = "E"
    model.zero_grad()
    error.backward()
    neurons = [layer.neurons for layer in model.layers]
    layers = tuple(
        LayerSpec(
            tuple(tuple(w.data for w in n.weights) for n in layer.neurons),
            tuple(n.bias.data for n in layer.neurons),
            layer.activation,
        )
        for layer in model.layers
    )
    return BuiltNetwork(
        replace(spec, layers=layers),
        model,
        inputs,
        tuple(tuple(tuple(n.weights) for n in layer) for layer in neurons),
        tuple(tuple(n.bias for n in layer) for layer in neurons),
        tuple(tuple(zs) for zs, _ in record),
        tuple(tuple(outputs) for _, outputs in record),
        targets,
        error,
    )


def run_record(
    network: BuiltNetwork, lr: float, updated: NetworkSpec, history: Sequence[float] = ()
) -> dict[str, object]:
    """Every number of a run, as ``chainrule backprop --json`` prints it: ``forward``, ``E``,
    ``gradients``, ``updated`` (a network file), ``answers`` and, after training, ``E_history``."""
    record: dict[str, object] = {
        "forward": network.forward(),
        "E": network.E.data,
        "gradients": network.gradients(),
        "updated": updated.to_dict(),
        "answers": network.answers(lr),
    }
    if history:
        record["E_history"] = list(history)
    return record


def train(
    spec: NetworkSpec,
    steps: int,
    lr: float,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[float], BuiltNetwork]:
    """``steps`` rounds of forward, backward and ``nn.SGD``'s update of the network's
    ``MLP``: E after 0, 1, ..., ``steps`` updates, and the network after the last update
    (its E is the last of them). ``progress(k, steps)`` is called after every 100th update."""
    network = build_network(spec)
    optimizer = SGD(network.parameters(), lr)
    history = [network.E.data]
    for step in range(1, steps + 1):
        optimizer.step()
        network = _run(network.spec, network.model)
        history.append(network.E.data)
        if progress and step % 100 == 0:
            progress(step, steps)
    return history, network


def lesson_checker(
    x: float,
    w1: float,
    b1: float,
    w2: float,
    b2: float,
    target: float,
    lr: float,
    *,
    activation: str = "sigmoid",
    local_derivatives: bool = False,
    significant_figures: int = SIGNIFICANT_FIGURES,
) -> Checker:
    """The checker of the lesson's quiz on these numbers (``chainrule backprop --quiz``):
    ``lesson_checker(0.1, 0.15, 0.4, 0.45, 0.65, 0.25, 0.4).key()`` is its answer key."""
    network = build_network(lesson_network(x, w1, b1, w2, b2, target, activation))
    return network.checker(
        lr, local_derivatives=local_derivatives, significant_figures=significant_figures
    )
