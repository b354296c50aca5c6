"""Export an MLP to PyTorch: the same network as a float64 ``torch.nn.Sequential``.

torch is an optional extra, imported only when ``to_torch`` runs.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from nn.activations import get_activation

if TYPE_CHECKING:
    import torch

LayerNumbers = tuple[Sequence[Sequence[float]], Sequence[float], str]
"""A layer as numbers: its weight rows (one per neuron), its biases, its activation's name."""


def _import_torch() -> Any:
    try:
        import torch
    except ImportError:
        raise ImportError(
            "to_torch needs PyTorch, an optional extra: pip install chainrule[torch]"
        ) from None
    return torch


def _binary_step(module: Any, x: Any) -> Any:
    """step(x) = 1 for x >= 0, else 0, with gradient 0, like nn's "step" (x * 0 + step)."""
    return x * 0.0 + (x >= 0).to(x.dtype)


@functools.cache
def _binary_step_class() -> Any:
    """The torch.nn.Module class BinaryStep, made once torch is imported."""
    return type("BinaryStep", (_import_torch().nn.Module,), {"forward": _binary_step})


OWN_MODULES = {"BinaryStep": _binary_step_class}
"""The torch modules nn defines itself, for activations that torch.nn lacks."""


def _activation_module(name: str) -> Any:
    """The torch module for activation ``name`` (its ``torch_module``); None when it has none."""
    activation = get_activation(name, "to_torch")
    if activation.torch_module is None:
        return None
    if activation.torch_module in OWN_MODULES:
        module_class = OWN_MODULES[activation.torch_module]()
    else:
        module_class = getattr(_import_torch().nn, activation.torch_module)
    return module_class(**dict(activation.torch_arguments))


def to_torch(layers: Sequence[LayerNumbers]) -> torch.nn.Sequential:
    """``torch.nn.Sequential`` of Linear + activation per layer, float64, same weights.

    Linear layer i has weight[j][k] = neuron j's weight k and bias[j] = neuron j's
    bias, so it computes the same w . x + b for a batch (rows of inputs). Takes the
    numbers (``MLP.to_torch`` reads them), so this module needs nothing of ``nn.module``.
    """
    pytorch = _import_torch()
    parts = []
    for weights, biases, activation_name in layers:
        n_inputs = len(weights[0])
        linear = pytorch.nn.Linear(n_inputs, len(weights), dtype=pytorch.float64)
        with pytorch.no_grad():
            linear.weight.copy_(pytorch.tensor(weights, dtype=pytorch.float64))
            linear.bias.copy_(pytorch.tensor(biases, dtype=pytorch.float64))
        parts.append(linear)
        activation = _activation_module(activation_name)
        if activation is not None:
            parts.append(activation)
    network: torch.nn.Sequential = pytorch.nn.Sequential(*parts)
    return network
