"""chainrule's scalar autograd engine: Values, the chain rule, gradient checks, drawings."""

from autograd.draw import GraphvizNotInstalled, draw_dot, draw_graph
from autograd.gradcheck import GradcheckResult, gradcheck
from autograd.graph import topological_order
from autograd.value import Value, weighted_sum

__all__ = [
    "GradcheckResult",
    "GraphvizNotInstalled",
    "Value",
    "draw_dot",
    "draw_graph",
    "gradcheck",
    "topological_order",
    "weighted_sum",
]
