"""Draw a computation graph with Graphviz: one record per Value, one node per op."""

from __future__ import annotations

import shutil

import graphviz

from autograd.graph import topological_order
from autograd.value import Value

INSTALL_GRAPHVIZ = (
    "Graphviz's `dot` program is not installed, so the graph cannot be rendered "
    "(its DOT source still works: str(dot)). Install it with "
    "`sudo apt-get install graphviz` (Debian/Ubuntu), `brew install graphviz` (macOS) "
    "or from https://graphviz.org/download/, or run `make demo`, which installs it."
)


class GraphvizNotInstalled(RuntimeError):
    """Rendering needs Graphviz's `dot` program, which is not on the PATH."""


def escape_record_text(text: str) -> str:
    r"""Escape the characters that structure a Graphviz record label: \ { } | < > and quotes."""
    for char in '\\{}|<>"':
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


class ComputationGraph(graphviz.Digraph):
    """A ``graphviz.Digraph`` whose rendering explains how to install a missing `dot`."""

    def render(self, *args, **kwargs) -> str:
        if shutil.which("dot") is None:
            raise GraphvizNotInstalled(INSTALL_GRAPHVIZ)
        return super().render(*args, **kwargs)

    def pipe(self, *args, **kwargs):
        if shutil.which("dot") is None:
            raise GraphvizNotInstalled(INSTALL_GRAPHVIZ)
        return super().pipe(*args, **kwargs)

    def _repr_image_svg_xml(self) -> str:
        # Jupyter's inline display; without `dot` show the reason instead of a traceback.
        if shutil.which("dot") is None:
            raise GraphvizNotInstalled(INSTALL_GRAPHVIZ)
        return super()._repr_image_svg_xml()


def draw_graph(root: Value, rankdir: str = "LR") -> ComputationGraph:
    """Draw the graph that computed ``root``.

    Each Value is a record ``label | data | grad`` (numbers to 4 decimals); each
    op is a small node between its inputs and its result. Nodes are named by
    their position in the topological order, so the same graph always gives the
    same DOT source. ``rankdir`` is "LR" (left to right) or "TB" (top to bottom).
    """
    if rankdir not in ("LR", "TB"):
        raise ValueError(f"draw_graph: rankdir must be 'LR' or 'TB', got {rankdir!r}")
    dot = ComputationGraph(format="svg", graph_attr={"rankdir": rankdir})
    order = topological_order(root)
    names = {node: f"v{i}" for i, node in enumerate(order)}
    for node in order:
        name = names[node]
        label = escape_record_text(node.label)
        dot.node(
            name,
            label=f"{{ {label} | data {node.data:.4f} | grad {node.grad:.4f} }}",
            shape="record",
        )
        if node.op:
            dot.node(name + "_op", label=node.op, shape="circle", fontsize="10")
            dot.edge(name + "_op", name)
            for child in node.inputs:
                dot.edge(names[child], name + "_op")
    return dot


draw_dot = draw_graph
