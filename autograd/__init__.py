"""chainrule's scalar autograd engine: Values, the chain rule, gradient checks, drawings."""

from autograd.draw import GraphvizNotInstalled, draw_dot, draw_graph
from autograd.explain import Explanation, Factor, explain
from autograd.expression import ExpressionError, parse_expression
from autograd.gradcheck import GradcheckResult, gradcheck
from autograd.graph import topological_order
from autograd.names import node_names
from autograd.trace import BackwardStep, backward_steps, steps_markdown, steps_table
from autograd.value import Value, weighted_sum, weighted_sums

__all__ = [
    "BackwardStep",
    "Explanation",
    "ExpressionError",
    "Factor",
    "GradcheckResult",
    "GraphvizNotInstalled",
    "Value",
    "backward_steps",
    "draw_dot",
    "draw_graph",
    "explain",
    "gradcheck",
    "node_names",
    "parse_expression",
    "steps_markdown",
    "steps_table",
    "topological_order",
    "weighted_sum",
    "weighted_sums",
]
