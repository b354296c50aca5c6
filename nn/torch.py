"""Export an MLP to PyTorch: the same network as a float64 ``torch.nn.Sequential``.

torch is an optional extra, imported only when ``to_torch`` runs.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from nn.activations import LEAKY_RELU_SLOPE

if TYPE_CHECKING:
    import torch

    from nn.module import MLP


def _import_torch():
    try:
        import torch
    except ImportError:
        raise ImportError(
            "to_torch needs PyTorch, an optional extra: pip install chainrule[torch]"
        ) from None
    return torch


@functools.cache
def _binary_step_class() -> type:
    torch = _import_torch()

    class BinaryStep(torch.nn.Module):
        """step(x) = 1 for x >= 0, else 0, with gradient 0, like nn's "step" (x * 0 + step)."""

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return x * 0.0 + (x >= 0).to(x.dtype)

    return BinaryStep


def _activation_module(name: str) -> torch.nn.Module | None:
    """The torch module for activation ``name``; None for "linear" (nothing to add)."""
    torch = _import_torch()
    modules = {
        "sigmoid": torch.nn.Sigmoid,
        "tanh": torch.nn.Tanh,
        "relu": torch.nn.ReLU,
        "leaky_relu": lambda: torch.nn.LeakyReLU(LEAKY_RELU_SLOPE),
        "softmax": lambda: torch.nn.Softmax(dim=-1),
        "step": _binary_step_class(),
    }
    return modules[name]() if name in modules else None


def to_torch(model: MLP) -> torch.nn.Sequential:
    """``torch.nn.Sequential`` of Linear + activation per layer, float64, same weights.

    Linear layer i has weight[j][k] = neuron j's weight k and bias[j] = neuron j's
    bias, so it computes the same w . x + b for a batch (rows of inputs).
    """
    torch = _import_torch()
    parts = []
    for layer in model.layers:
        linear = torch.nn.Linear(layer.n_inputs, len(layer.neurons), dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(
                torch.tensor(
                    [[w.data for w in n.weights] for n in layer.neurons], dtype=torch.float64
                )
            )
            linear.bias.copy_(
                torch.tensor([n.bias.data for n in layer.neurons], dtype=torch.float64)
            )
        parts.append(linear)
        activation = _activation_module(layer.activation)
        if activation is not None:
            parts.append(activation)
    return torch.nn.Sequential(*parts)
