"""chainrule's scalar autograd engine: Values, the chain rule, gradient checks.

The engine imports only the standard library. The drawing layer (``autograd.show``:
drawings, names, explanations, the backward pass as steps) is re-exported here lazily,
so ``from autograd import draw_graph`` works as before, while ``from autograd import
Value`` never loads Graphviz.
"""

from __future__ import annotations

import importlib
from typing import Any

from autograd.descent import gradient_step
from autograd.expression import ExpressionError, parse_expression
from autograd.gradcheck import GradcheckResult, gradcheck
from autograd.graph import topological_order
from autograd.layers import (
    LAYER_ACTIVATIONS,
    dense_layer,
    dense_layer_batch,
    weighted_sum,
    weighted_sums,
)
from autograd.value import GradientOverflowError, Value

# name -> the drawing-layer module that defines it, imported on first use
_SHOWN = {
    "GraphvizNotInstalled": "draw",
    "draw_dot": "draw",
    "draw_graph": "draw",
    "Explanation": "explain",
    "Factor": "explain",
    "explain": "explain",
    "node_names": "names",
    "BackwardStep": "trace",
    "backward_steps": "trace",
    "steps_markdown": "trace",
    "steps_table": "trace",
}


def __getattr__(name: str) -> Any:
    """A drawing-layer name, imported when first asked for (PEP 562), then kept here."""
    if name in _SHOWN:
        value = getattr(importlib.import_module(f"autograd.show.{_SHOWN[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'autograd' has no attribute {name!r}")


__all__ = [
    "LAYER_ACTIVATIONS",
    "BackwardStep",
    "Explanation",
    "ExpressionError",
    "Factor",
    "GradcheckResult",
    "GradientOverflowError",
    "GraphvizNotInstalled",
    "Value",
    "backward_steps",
    "dense_layer",
    "dense_layer_batch",
    "draw_dot",
    "draw_graph",
    "explain",
    "gradcheck",
    "gradient_step",
    "node_names",
    "parse_expression",
    "steps_markdown",
    "steps_table",
    "topological_order",
    "weighted_sum",
    "weighted_sums",
]
