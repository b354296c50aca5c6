"""Module, Neuron, Layer and MLP, built from engine Values.

A Neuron computes activation(w . x + b); a Layer is a list of Neurons fed the same
inputs; an MLP is a chain of Layers. Parameters are leaf Values, so after
``loss.backward()`` each one's ``.grad`` is d(loss)/d(parameter).
"""

from __future__ import annotations

import math
import random
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence, Sized
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from autograd import (
    LAYER_ACTIVATIONS,
    Value,
    checks,
    dense_layer,
    dense_layer_batch,
    topological_order,
    weighted_sum,
)
from nn.activations import get_activation
from nn.data import rng_from

if TYPE_CHECKING:
    import torch

Inputs = Sequence["Value | float"]

MAX_PARAMETERS = 1_000_000
"""The most parameters a Neuron, Layer or MLP may have. A scalar engine makes one Value
per weight and per use of it, so a larger model would take minutes to build and each
forward pass longer: a size of 10**9 is a typo, refused at once instead of hanging."""


def _check_parameter_count(sizes: Sequence[int], owner: str) -> None:
    """Layers of ``sizes`` (inputs first) have at most MAX_PARAMETERS weights and biases."""
    count = sum((n_in + 1) * n_out for n_in, n_out in pairwise(sizes))
    if count > MAX_PARAMETERS:
        raise ValueError(
            f"{owner}: expected at most {MAX_PARAMETERS} parameters, got {checks.shown(count)} "
            f"(sizes {checks.shown(list(sizes))})"
        )


class Module(ABC):
    """Something with parameters that maps inputs to outputs: a Neuron, a Layer, an MLP.

    A container lists its parts in ``named_children()``; parameters, their names,
    ``zero_grad`` and ``clusters`` are collected from the parts, in their order.
    """

    @abstractmethod
    def __call__(self, xs: Inputs) -> Value | list[Value]:
        """The outputs for the inputs ``xs`` (Values or numbers), built as a graph of Values."""

    def named_children(self) -> list[tuple[str, Module]]:
        """The direct parts as (name, module), e.g. ("layers.0", layer). None by default."""
        return []

    def parameters(self) -> list[Value]:
        """Every parameter (leaf Value), in a stable order: part by part, weights then bias."""
        return [p for _, child in self.named_children() for p in child.parameters()]

    def named_parameters(self) -> list[tuple[str, Value]]:
        """(name, parameter) pairs in ``parameters()`` order, e.g. "layers.0.neurons.1.w.0"."""
        return [
            (f"{prefix}.{name}", p)
            for prefix, child in self.named_children()
            for name, p in child.named_parameters()
        ]

    def zero_grad(self) -> None:
        """Set every parameter's grad to 0.0 (leaves accumulate across backward calls)."""
        for p in self.parameters():
            p.grad = 0.0

    def map(self, batch: Sequence[Inputs]) -> list[Any]:
        """``[module(xs) for xs in batch]``; Layer and MLP read each weight once for the batch."""
        return [self(xs) for xs in batch]

    def modules(self) -> list[Module]:
        """This module and all its parts, depth first."""
        return [self, *(m for _, child in self.named_children() for m in child.modules())]

    def clusters(self) -> dict[str, list[Value]]:
        """Neuron name -> the computed Values it built on its last call, for drawings.

        A softmax layer adds "<layer name>.softmax" -> the softmax nodes. Empty
        before the first call. Read from the graph after the fact (a call only
        remembers its inputs and output), so calling a model stays cheap.
        """
        found: dict[str, list[Value]] = {}
        for _, child in self.named_children():
            found.update(child.clusters())
        return found


def _built_between(inputs: Iterable[object], outputs: Iterable[Value]) -> list[Value]:
    """The computed nodes on the paths from ``inputs`` to ``outputs`` (one output comes last).

    Walks back from each output, stopping at the inputs and at leaves (the
    parameters and constants), so what is left is what the module built.
    """
    found: list[Value] = []
    stops = set(inputs)
    for output in outputs:
        built = topological_order(output, include_leaves=False, stop_at=stops)
        stops.update(built)
        found += built
    return found


def _parameter(value: object, label: str, owner: str) -> Value:
    """A Value given as is (shared with the caller), or a new leaf for a finite number."""
    if isinstance(value, Value):
        return value
    return Value(checks.number(value, owner, label), label=label)


def _per_neuron(given: object, count: int, owner: str, name: str, what: str) -> list[Any]:
    """``given`` as a list of one item per neuron, or ``count`` Nones when not given."""
    if given is None:
        return [None] * count
    found = checks.items(given, owner, name)
    if len(found) != count:
        raise ValueError(f"{owner}: expected {count} {what}, one per neuron, got {len(found)}")
    return found


def _check_inputs(xs: object, expected: int, owner: str) -> None:
    """``xs`` holds ``expected`` inputs: a TypeError if it is no list, a ValueError if too long
    or short (``len`` alone would leak "object of type 'int' has no len()")."""
    if isinstance(xs, (str, bytes, dict)) or not isinstance(xs, Sized):  # a list, a numpy row
        raise TypeError(
            f"{owner}: expected xs to be a list of {expected} inputs, "
            f"got {checks.shown(xs)} ({type(xs).__name__})"
        )
    if len(xs) != expected:
        raise ValueError(f"{owner}: expected {expected} inputs, got {len(xs)}")


class Neuron(Module):
    """activation(w . x + b): one unit with ``n_inputs`` weights and a bias.

    Weights are labelled "w1".."wn" and the bias "b". Given ``weights=`` / ``bias=``
    (numbers, or Values to share), those are used; otherwise each weight is drawn
    uniform in [-1, 1] from ``random.Random(seed)`` (or ``rng``) and the bias is 0.0.
    ``fused=True`` computes act(w . x + b) as one graph node (``autograd.dense_layer``,
    fast; the "step" activation keeps its own node); ``fused=False`` builds it from
    ``*`` and ``+`` and the activation's node (for drawings), with identical values,
    and grads identical for relu and linear, equal up to rounding for the others.
    """

    def __init__(
        self,
        n_inputs: int,
        activation: str = "relu",
        *,
        weights: Sequence[float | Value] | None = None,
        bias: float | Value | None = None,
        seed: int | None = None,
        rng: random.Random | None = None,
        fused: bool = True,
        name: str = "neuron",
    ) -> None:
        self.n_inputs = checks.integer(
            n_inputs, name, "n_inputs", minimum=1, maximum=MAX_PARAMETERS - 1
        )
        kind = get_activation(activation, name)
        if kind.across_layer:
            raise ValueError(
                f"{name}: {kind.name} normalises across a layer's outputs; "
                "give it to a Layer or as an MLP's output_activation"
            )
        if weights is None:
            source = rng_from(seed, rng, name)
            weights = [source.uniform(-1.0, 1.0) for _ in range(n_inputs)]
        weights = checks.items(weights, name, "weights")
        if len(weights) != n_inputs:
            raise ValueError(
                f"{name}: expected {n_inputs} weights, one per input, got {len(weights)}"
            )
        self.weights = [_parameter(w, f"w{i}", name) for i, w in enumerate(weights, 1)]
        self.bias = _parameter(0.0 if bias is None else bias, "b", name)
        self.activation = kind.name
        self.fused = checks.flag(fused, name, "fused")
        self.name = name
        self._activate: Callable[[Value], Value] = kind.fn
        self._last_call: tuple[Inputs, Value] | None = None

    def __call__(self, xs: Inputs) -> Value:
        """activation(w1 x1 + ... + wn xn + b) for n = ``n_inputs`` inputs (Values or numbers)."""
        _check_inputs(xs, self.n_inputs, self.name)
        if self.fused and self.activation in LAYER_ACTIVATIONS:  # act(w·x+b) as one node
            (out,) = dense_layer([self.weights], xs, [self.bias], self.activation)
            self._last_call = (xs, out)
            return out
        return self.activate(xs, self.pre_activation(xs))

    def pre_activation(self, xs: Inputs) -> Value:
        """z = w1 x1 + ... + wn xn + b as its own node: one ``w·x+b`` node when fused, else
        built from ``*`` and ``+`` in weighted_sum's order, (b + w1 x1) + w2 x2 + ... (w1 x1 + b
        is the same float: addition commutes), so both give bit-identical values."""
        if self.fused:
            return weighted_sum(self.weights, xs, self.bias)
        z = self.weights[0] * xs[0] + self.bias
        for w, x in zip(self.weights[1:], xs[1:]):
            z = z + w * x
        return z

    def activate(self, xs: Inputs, z: Value) -> Value:
        """activation(z) for the pre-activation z = w . xs + b, remembering the call's inputs
        and output for ``clusters()``. A Layer computes its neurons' z at once, then this."""
        out = self._activate(z)
        self._last_call = (xs, out)
        return out

    @property
    def w(self) -> list[Value]:
        """The weights, by micrograd's name for them (``neuron.w``)."""
        return self.weights

    @property
    def b(self) -> Value:
        """The bias, by micrograd's name for it (``neuron.b``)."""
        return self.bias

    def parameters(self) -> list[Value]:
        return [*self.weights, self.bias]

    def named_parameters(self) -> list[tuple[str, Value]]:
        return [*((f"w.{i}", w) for i, w in enumerate(self.weights)), ("b", self.bias)]

    def clusters(self) -> dict[str, list[Value]]:
        if self._last_call is None:
            return {}
        xs, out = self._last_call
        return {self.name: _built_between(xs, [out])}

    def __repr__(self) -> str:
        return f"Neuron({self.n_inputs}, activation={self.activation!r}, name={self.name!r})"


class Layer(Module):
    """``n_outputs`` Neurons, each fed the same ``n_inputs`` inputs.

    With an activation that normalises across a layer (softmax) the neurons are
    linear and it is applied to their outputs together. Weights are drawn from one
    ``random.Random(seed)`` (or ``rng``), neuron by neuron. ``name`` prefixes the
    neurons' names ("neurons.0"). Given ``weights=`` (``weights[j]`` into neuron j, one
    per input) and ``biases=`` (one per neuron; 0.0 when left out), those are used instead
    (numbers, or Values to share). Parameters are labelled by place: ``w[j,i]`` is
    neuron j's weight from input i, ``b[j]`` its bias (from 1); with ``number=l`` (an
    MLP's layer l) ``wl[j,i]``, ``bl[j]``.
    """

    def __init__(
        self,
        n_inputs: int,
        n_outputs: int,
        activation: str = "relu",
        *,
        weights: Sequence[Sequence[float | Value]] | None = None,
        biases: Sequence[float | Value] | None = None,
        seed: int | None = None,
        rng: random.Random | None = None,
        fused: bool = True,
        name: str = "",
        number: int | None = None,
    ) -> None:
        owner = name or "Layer"
        self.n_inputs = checks.integer(n_inputs, owner, "n_inputs", minimum=1)
        checks.flag(fused, owner, "fused")
        checks.integer(n_outputs, owner, "n_outputs", minimum=1)
        _check_parameter_count([n_inputs, n_outputs], owner)
        kind = get_activation(activation, owner)
        self.activation = kind.name
        source = rng_from(seed, rng, owner)
        prefix = f"{name}." if name else ""
        per_neuron = "linear" if kind.across_layer else kind.name
        # None, or the function normalising the neurons' outputs together (softmax)
        self._across_layer: Callable[[list[Value]], list[Value]] | None = (
            kind.fn if kind.across_layer else None
        )
        rows = _per_neuron(weights, n_outputs, owner, "weights", "rows of weights")
        self.neurons = [
            Neuron(
                n_inputs,
                per_neuron,
                weights=row,
                bias=bias,
                rng=source,
                fused=fused,
                name=f"{prefix}neurons.{i}",
            )
            for i, (row, bias) in enumerate(
                zip(rows, _per_neuron(biases, n_outputs, owner, "biases", "biases"))
            )
        ]
        place = "" if number is None else str(number)
        for j, neuron in enumerate(self.neurons, 1):  # by place, so no two share a name
            for i, weight in enumerate(neuron.weights, 1):
                weight.label = f"w{place}[{j},{i}]"
            neuron.bias.label = f"b{place}[{j}]"
        self.name = name
        self.fused = fused
        self._last_softmax: tuple[list[Value], list[Value]] | None = None

    def __call__(self, xs: Inputs) -> list[Value]:
        """One output per neuron (softmax-normalised for a softmax layer)."""
        return self.map([xs])[0]

    def map(self, batch: Sequence[Inputs]) -> list[list[Value]]:
        """``[layer(xs) for xs in batch]``, reading each weight once for the whole batch."""
        batch = checks.items(batch, f"{self.name or 'Layer'}.map", "batch", "a list of inputs")
        for xs in batch:
            _check_inputs(xs, self.n_inputs, self.name or "Layer")
        return self._map_checked(batch)

    def _map_checked(self, batch: Sequence[Inputs]) -> list[list[Value]]:
        """``map`` of a batch whose rows are known to hold ``n_inputs`` inputs each."""
        per_neuron = self.neurons[0].activation
        if self.fused and per_neuron in LAYER_ACTIVATIONS:  # the hot path: one node per neuron
            weights, biases = [n.weights for n in self.neurons], [n.bias for n in self.neurons]
            outs = dense_layer_batch(weights, batch, biases, per_neuron)
            for neuron, out in zip(self.neurons, outs[-1] if outs else ()):
                neuron._last_call = (batch[-1], out)  # clusters() draws the last call
        else:
            # Wrap numbers once, so every neuron shares the same input leaves.
            rows = [[x if isinstance(x, Value) else Value(x) for x in xs] for xs in batch]
            outs = [[neuron(xs) for neuron in self.neurons] for xs in rows]
        if self._across_layer is None:
            return outs
        probabilities = [self._across_layer(scores) for scores in outs]
        if outs:
            self._last_softmax = (outs[-1], probabilities[-1])
        return probabilities

    def sums_and_outputs(self, xs: Inputs) -> tuple[list[Value], list[Value]]:
        """Each neuron's z = w·x + b as its own node, and the layer's outputs from them:
        the graph a lesson names (z1, a1), with the numbers of ``layer(xs)``."""
        _check_inputs(xs, self.n_inputs, self.name or "Layer")
        zs = [neuron.pre_activation(xs) for neuron in self.neurons]
        outs = [neuron.activate(xs, z) for neuron, z in zip(self.neurons, zs)]
        return zs, outs if self._across_layer is None else self._across_layer(outs)

    def named_children(self) -> list[tuple[str, Module]]:
        return [(f"neurons.{i}", neuron) for i, neuron in enumerate(self.neurons)]

    def clusters(self) -> dict[str, list[Value]]:
        found = super().clusters()
        if self._last_softmax is not None:
            scores, probabilities = self._last_softmax
            prefix = f"{self.name}." if self.name else ""
            found[f"{prefix}{self.activation}"] = _built_between(scores, probabilities)
        return found

    def __repr__(self) -> str:
        return f"Layer({self.n_inputs}, {len(self.neurons)}, activation={self.activation!r})"


class MLP(Module):
    """A multi-layer perceptron: Layers of sizes ``layer_sizes`` after ``n_inputs`` inputs.

    Hidden layers use ``activation``, the last layer ``output_activation`` (softmax
    included); the defaults, relu and linear, are micrograd's, so ``MLP(2, [16, 16, 1])``
    is the same network in both. Calling it returns a list of Values, or a single Value
    when the last layer has one unit. Weights come from one ``random.Random(seed)`` (or ``rng``),
    layer by layer: the same seed gives the same model.
    """

    def __init__(
        self,
        n_inputs: int,
        layer_sizes: Sequence[int],
        activation: str = "relu",
        output_activation: str = "linear",
        *,
        seed: int | None = None,
        rng: random.Random | None = None,
        fused: bool = True,
    ) -> None:
        self.n_inputs = checks.integer(n_inputs, "MLP", "n_inputs", minimum=1)
        checks.flag(fused, "MLP", "fused")
        sizes = [
            checks.integer(size, "MLP", "each layer size", minimum=1)
            for size in checks.items(layer_sizes, "MLP", "layer_sizes")
        ]
        if not sizes:
            raise ValueError("MLP: expected layer_sizes to list at least one layer, got []")
        _check_parameter_count([n_inputs, *sizes], "MLP")
        hidden = get_activation(activation, "MLP")
        if hidden.across_layer:
            raise ValueError(
                f"MLP: {hidden.name} is for the output layer: output_activation={hidden.name!r}"
            )
        get_activation(output_activation, "MLP")
        source = rng_from(seed, rng, "MLP")
        last = len(sizes) - 1
        self.layers = [
            Layer(
                n_in,
                n_out,
                output_activation if i == last else activation,
                rng=source,
                fused=fused,
                name=f"layers.{i}",
                number=i + 1,
            )
            for i, (n_in, n_out) in enumerate(zip([n_inputs, *sizes], sizes))
        ]
        self.layer_sizes = sizes
        self.activation = activation
        self.output_activation = output_activation
        self.fused = fused

    def __call__(self, xs: Inputs) -> Value | list[Value]:
        """The last layer's outputs: a list of Values, or one Value when it has one unit."""
        return self.map([xs])[0]

    def map(self, batch: Sequence[Inputs]) -> list[Value | list[Value]]:
        """``[model(xs) for xs in batch]``, each layer reading its weights once for the batch."""
        batch = checks.items(batch, "MLP.map", "batch", "a list of inputs")
        for xs in batch:
            _check_inputs(xs, self.n_inputs, "MLP")
        rows = self.layers[0]._map_checked(batch)
        for layer in self.layers[1:]:  # its rows are the last layer's outputs: checked
            rows = layer._map_checked(rows)
        return [outs[0] if len(outs) == 1 else outs for outs in rows]

    @classmethod
    def from_layers(cls, layers: Sequence[Layer]) -> MLP:
        """The MLP of these Layers, in order (each fed the one before), with their own weights
        and activations: a network file's network. Layer l's inputs must be layer l−1's outputs."""
        layers = [
            checks.instance(layer, "MLP.from_layers", "each layer", Layer)
            for layer in checks.items(layers, "MLP.from_layers", "layers", "a list of Layers")
        ]
        if not layers:
            raise ValueError("MLP.from_layers: expected at least one layer, got []")
        for number, (below, layer) in enumerate(pairwise(layers), 2):
            if layer.n_inputs != len(below.neurons):
                raise ValueError(
                    f"MLP.from_layers: layer {number} takes {layer.n_inputs} inputs, "
                    f"but layer {number - 1} has {len(below.neurons)} outputs"
                )
        model = cls.__new__(cls)
        model.n_inputs, model.layers = layers[0].n_inputs, list(layers)
        model.layer_sizes = [len(layer.neurons) for layer in layers]
        model.activation = layers[0].activation if len(layers) > 1 else "relu"
        model.output_activation = layers[-1].activation
        model.fused = all(layer.fused for layer in layers)
        return model

    def sums_and_outputs(self, xs: Inputs) -> list[tuple[list[Value], list[Value]]]:
        """Layer by layer, each neuron's z = w·x + b as its own node and its output
        (``Layer.sums_and_outputs``), each layer fed the last one's outputs: the graph a
        lesson names, with the numbers of ``model(xs)``."""
        found = []
        for layer in self.layers:
            found.append(layer.sums_and_outputs(xs))
            xs = found[-1][1]
        return found

    def named_children(self) -> list[tuple[str, Module]]:
        return [(f"layers.{i}", layer) for i, layer in enumerate(self.layers)]

    @property
    def config(self) -> dict[str, Any]:
        """The constructor arguments that define the architecture (saved by ``nn.save``);
        not ``fused``, which is how it is built, not what it computes. A ValueError for an
        MLP whose hidden layers differ in activation (``from_layers``): no ``activation=``
        builds it."""
        hidden = {layer.activation for layer in self.layers[:-1]}
        if len(hidden) > 1:
            raise ValueError(
                f"MLP.config: its hidden layers use {', '.join(sorted(hidden))}, "
                "but an MLP's config names one activation for them all"
            )
        return {
            "n_inputs": self.n_inputs,
            "layer_sizes": list(self.layer_sizes),
            "activation": self.activation,
            "output_activation": self.output_activation,
        }

    def grad_norms(self) -> list[float]:
        """Per layer, the L2 norm sqrt(sum grad^2) of its parameters' grads (after backward).

        Shrinking norms towards the input layer show vanishing gradients.
        """
        return [
            math.sqrt(math.fsum(p.grad * p.grad for p in layer.parameters()))
            for layer in self.layers
        ]

    def to_torch(self) -> torch.nn.Sequential:
        """An equivalent ``torch.nn.Sequential`` in float64 with the same weights.

        Needs the optional torch extra (``pip install chainrule[torch]``).
        """
        from nn.export import to_torch

        return to_torch(
            [
                (
                    [[w.data for w in n.weights] for n in layer.neurons],
                    [n.bias.data for n in layer.neurons],
                    layer.activation,
                )
                for layer in self.layers
            ]
        )

    def __repr__(self) -> str:
        return (
            f"MLP({self.n_inputs}, {self.layer_sizes}, activation={self.activation!r}, "
            f"output_activation={self.output_activation!r})"
        )
