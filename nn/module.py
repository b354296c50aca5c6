"""Module, Neuron, Layer and MLP, built from engine Values.

A Neuron computes activation(w . x + b); a Layer is a list of Neurons fed the same
inputs; an MLP is a chain of Layers. Parameters are leaf Values, so after
``loss.backward()`` each one's ``.grad`` is d(loss)/d(parameter).
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Sequence
from numbers import Real
from typing import TYPE_CHECKING

from autograd import Value, topological_order, weighted_sum, weighted_sums
from nn.activations import get_activation, softmax
from nn.data import rng_from

if TYPE_CHECKING:
    import torch

Inputs = Sequence["Value | float"]


class Module:
    """Something with parameters: a Neuron, a Layer, an MLP.

    A container lists its parts in ``named_children()``; parameters, their names,
    ``zero_grad`` and ``clusters`` are collected from the parts, in their order.
    """

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


def _count(n: object, owner: str, what: str) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"{owner}: {what} must be an int >= 1, got {n!r}")
    return n


def _parameter(value: object, label: str, owner: str) -> Value:
    """A Value given as is (shared with the caller), or a new leaf for a finite number."""
    if isinstance(value, Value):
        return value
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
        raise ValueError(f"{owner}: {label} must be a finite number or a Value, got {value!r}")
    return Value(value, label=label)


class Neuron(Module):
    """activation(w . x + b): one unit with ``n_inputs`` weights and a bias.

    Weights are labelled "w1".."wn" and the bias "b". Given ``weights=`` / ``bias=``
    (numbers, or Values to share), those are used; otherwise each weight is drawn
    uniform in [-1, 1] from ``random.Random(seed)`` (or ``rng``) and the bias is 0.0.
    ``fused=True`` computes w . x + b as one graph node (fast); ``fused=False``
    builds it from ``*`` and ``+`` (for drawings), with identical values and grads.
    """

    def __init__(
        self,
        n_inputs: int,
        activation: str = "tanh",
        *,
        weights: Sequence[float | Value] | None = None,
        bias: float | Value | None = None,
        seed: int | None = None,
        rng: random.Random | None = None,
        fused: bool = True,
        name: str = "neuron",
    ) -> None:
        self.n_inputs = _count(n_inputs, name, "n_inputs")
        kind = get_activation(activation)
        if kind.name == "softmax":
            raise ValueError(
                f"{name}: softmax normalises across a layer's outputs; "
                "give it to a Layer or as an MLP's output_activation"
            )
        if weights is None:
            source = rng_from(seed, rng, name)
            weights = [source.uniform(-1.0, 1.0) for _ in range(n_inputs)]
        elif len(weights) != n_inputs:
            raise ValueError(f"{name}: {len(weights)} weights for {n_inputs} inputs")
        self.weights = [_parameter(w, f"w{i}", name) for i, w in enumerate(weights, 1)]
        self.bias = _parameter(0.0 if bias is None else bias, "b", name)
        self.activation = kind.name
        self.fused = fused
        self.name = name
        self._activate = kind.fn
        self._last_call: tuple[Inputs, Value] | None = None

    def __call__(self, xs: Inputs) -> Value:
        """activation(w1 x1 + ... + wn xn + b) for n = ``n_inputs`` inputs (Values or numbers)."""
        if len(xs) != self.n_inputs:
            raise ValueError(f"{self.name}: expected {self.n_inputs} inputs, got {len(xs)}")
        if self.fused:
            z = weighted_sum(self.weights, xs, self.bias)
        else:
            # weighted_sum's order, (b + w1 x1) + w2 x2 + ... (w1 x1 + b is the same
            # float: addition commutes), so both give bit-identical values.
            z = self.weights[0] * xs[0] + self.bias
            for w, x in zip(self.weights[1:], xs[1:]):
                z = z + w * x
        return self._activate_and_remember(xs, z)

    def _activate_and_remember(self, xs: Inputs, z: Value) -> Value:
        """activation(z), remembering the call's inputs and output for ``clusters()``."""
        out = self._activate(z)
        self._last_call = (xs, out)
        return out

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

    With ``activation="softmax"`` the neurons are linear and softmax is applied
    across their outputs. Weights are drawn from one ``random.Random(seed)`` (or
    ``rng``), neuron by neuron. ``name`` prefixes the neurons' names ("neurons.0").
    Parameters are labelled by place: ``w[j,i]`` is neuron j's weight from input i,
    ``b[j]`` its bias (from 1); with ``number=l`` (an MLP's layer l) ``wl[j,i]``, ``bl[j]``.
    """

    def __init__(
        self,
        n_inputs: int,
        n_outputs: int,
        activation: str = "tanh",
        *,
        seed: int | None = None,
        rng: random.Random | None = None,
        fused: bool = True,
        name: str = "",
        number: int | None = None,
    ) -> None:
        owner = name or "Layer"
        self.n_inputs = _count(n_inputs, owner, "n_inputs")
        _count(n_outputs, owner, "n_outputs")
        self.activation = get_activation(activation).name
        source = rng_from(seed, rng, owner)
        prefix = f"{name}." if name else ""
        per_neuron = "linear" if self.activation == "softmax" else self.activation
        self.neurons = [
            Neuron(n_inputs, per_neuron, rng=source, fused=fused, name=f"{prefix}neurons.{i}")
            for i in range(n_outputs)
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
        # Wrap numbers once, so every neuron shares the same input leaves.
        xs = [x if isinstance(x, Value) else Value(x) for x in xs]
        if len(xs) != self.n_inputs:
            raise ValueError(
                f"{self.name or 'Layer'}: expected {self.n_inputs} inputs, got {len(xs)}"
            )
        if self.fused:  # the hot path: one weighted_sums call reads the shared inputs once
            zs = weighted_sums(
                [n.weights for n in self.neurons], xs, [n.bias for n in self.neurons]
            )
            outs = [n._activate_and_remember(xs, z) for n, z in zip(self.neurons, zs)]
        else:
            outs = [neuron(xs) for neuron in self.neurons]
        if self.activation != "softmax":
            return outs
        probabilities = softmax(outs)
        self._last_softmax = (outs, probabilities)
        return probabilities

    def named_children(self) -> list[tuple[str, Module]]:
        return [(f"neurons.{i}", neuron) for i, neuron in enumerate(self.neurons)]

    def clusters(self) -> dict[str, list[Value]]:
        found = super().clusters()
        if self._last_softmax is not None:
            scores, probabilities = self._last_softmax
            prefix = f"{self.name}." if self.name else ""
            found[f"{prefix}softmax"] = _built_between(scores, probabilities)
        return found

    def __repr__(self) -> str:
        return f"Layer({self.n_inputs}, {len(self.neurons)}, activation={self.activation!r})"


class MLP(Module):
    """A multi-layer perceptron: Layers of sizes ``layer_sizes`` after ``n_inputs`` inputs.

    Hidden layers use ``activation``, the last layer ``output_activation`` (softmax
    included). Calling it returns a list of Values, or a single Value when the last
    layer has one unit. Weights come from one ``random.Random(seed)`` (or ``rng``),
    layer by layer: the same seed gives the same model.
    """

    def __init__(
        self,
        n_inputs: int,
        layer_sizes: Sequence[int],
        activation: str = "tanh",
        output_activation: str = "linear",
        *,
        seed: int | None = None,
        rng: random.Random | None = None,
        fused: bool = True,
    ) -> None:
        self.n_inputs = _count(n_inputs, "MLP", "n_inputs")
        sizes = [_count(size, "MLP", "each layer size") for size in layer_sizes]
        if not sizes:
            raise ValueError("MLP: layer_sizes must list at least one layer, got []")
        if get_activation(activation).name == "softmax":
            raise ValueError("MLP: softmax is for the output layer: output_activation='softmax'")
        get_activation(output_activation)
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
        if len(xs) != self.n_inputs:
            raise ValueError(f"MLP: expected {self.n_inputs} inputs, got {len(xs)}")
        for layer in self.layers:
            xs = layer(xs)
        return xs[0] if len(xs) == 1 else xs

    def named_children(self) -> list[tuple[str, Module]]:
        return [(f"layers.{i}", layer) for i, layer in enumerate(self.layers)]

    @property
    def config(self) -> dict:
        """The constructor arguments that define the architecture (saved by ``nn.save``)."""
        return {
            "n_inputs": self.n_inputs,
            "layer_sizes": list(self.layer_sizes),
            "activation": self.activation,
            "output_activation": self.output_activation,
            "fused": self.fused,
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
        from nn.torch import to_torch

        return to_torch(self)

    def __repr__(self) -> str:
        return (
            f"MLP({self.n_inputs}, {self.layer_sizes}, activation={self.activation!r}, "
            f"output_activation={self.output_activation!r})"
        )
