"""Draw a computation graph with Graphviz, with the chain rule's numbers on it.

One record per Value (``name | data | grad``), one small node per op, and on
every edge from an input to an op the local derivative d(op's result)/d(input):
the factor that backpropagation multiplies the upstream gradient by. A value
used twice (``x * x``) has two edges, each with its own factor. Colours mark
roles: inputs, parameters, constants, computed values and the root (the loss).
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, NoReturn, TypedDict, overload

import graphviz

from autograd import checks
from autograd.files import write_atomically
from autograd.graph import count_nodes, topological_order
from autograd.show.format import format_number
from autograd.show.names import names_in_order
from autograd.value import Value

INSTALL_GRAPHVIZ = (
    "Graphviz's `dot` program is not installed, so the graph cannot be rendered "
    "(its DOT source still works: str(dot)). Install it with "
    "`sudo apt-get install graphviz` (Debian/Ubuntu), `brew install graphviz` (macOS) "
    "or from https://graphviz.org/download/, or run `make demo`, which installs it."
)
MAX_NODES = 1500
RENDER_TIMEOUT = 10.0  # seconds `dot` may take (ComputationGraph.render_timeout)
MAX_TEXT = 1000  # characters of a label or title drawn; Graphviz refuses strings over 16384
FAR_USE = 4  # levels between a value and a use drawn from a copy of its name (see _draw_edges)
IMAGE_FORMATS = ("png", "svg", "pdf")
RANKDIRS = ("LR", "TB")
MAX_ASPECT = 2.5  # the widest drawing (width : height) the default direction allows: a 16:9 screen
MAX_WIDTH_PT = 1000.0
"""The widest drawing the default direction allows, in points: scaled to a 1280-pixel screen,
its smallest text (10 pt) is then at least 12.8 pixels high."""
# What `dot` gives a graph per level (a value, its op and the edge label between them) and
# per value side by side, in points, measured on the lessons' graphs: only to choose a direction.
LEVEL_PT = {"LR": 200.0, "TB": 140.0}
ACROSS_PT = {"LR": 45.0, "TB": 65.0}
CAPTION_PT = 160.0  # the title and the key above a drawing, in its height
ROW_GAP_PT = 60.0  # a wrapped drawing's leaves and gap per row, in its height
WRAP_ASPECT = 2.0  # the widest estimate a wrap takes: MAX_ASPECT with room for the estimate's error
ROW_VALUE_PT = 65.0  # a value's record stacked over another in a row with neuron boxes
ROW_LEVEL_PT = 310.0  # a wrapped drawing's width per level (its names are the longer ones)
# A list, as fontconfig resolves it for the `dot` program. Graphviz in WebAssembly has no
# fonts: it measures text by built-in metrics of single names only ("Helvetica", "DejaVu
# Sans"), and a list falls back to Times, narrower than the sans-serif font drawn.
FONT = "Helvetica,Arial,sans-serif"
KEY_COLUMNS = 3  # the colour key's entries per row: at 10 px text, under a 390-px phone's width
FIT_WIDTH = "max-width:100%;height:auto"  # CSS: never wider than the notebook cell


@dataclass(frozen=True)
class Role:
    """How one kind of node is drawn: its fill colour and its name in the colour key."""

    colour: str
    name: str


# In the order the colour key lists them.
ROLES = {
    "input": Role("#dbeafe", "input"),
    "parameter": Role("#fde68a", "parameter"),
    "constant": Role("#f3f4f6", "constant"),
    "computed": Role("#ffffff", "computed"),
    "root": Role("#fecaca", "root (loss)"),
    "cluster": Role("#ede9fe", "collapsed neuron"),
}
HIGHLIGHT_COLOUR = "#ea580c"
# The edges into an op with two or more inputs, in operand order; each local-derivative
# label is written in its edge's colour, so it is clear which edge it belongs to.
EDGE_COLOURS = ("#1d4ed8", "#a21caf", "#047857", "#b45309", "#0e7490", "#4d7c0f")


class DrawOptions(TypedDict, total=False):
    """The options of ``draw_graph`` that stay the same in every frame of a step-through."""

    rankdir: str | None
    show_grads: bool
    show_local_grads: bool
    clusters: Mapping[str, Iterable[Value]] | None
    parameters: Iterable[Value] | None
    legend: bool
    max_nodes: int
    collapse: bool | None
    fontname: str


class GraphvizNotInstalled(RuntimeError):
    """Rendering needs Graphviz's `dot` program, which is not on the PATH."""


class GraphvizTimeout(TimeoutError):
    """`dot` took longer than the graph's ``render_timeout`` to lay it out."""


class GraphvizFailed(OSError):
    """`dot` stopped with an error; the message has what it printed."""


def drawable_text(text: str) -> str:
    """``text`` as Graphviz can draw it, the one place every label and title passes through.

    Control characters (which its HTML labels reject) become visible symbols (U+0007
    is drawn as ␇), and text over MAX_TEXT characters is cut with a note of its length.
    """
    if len(text) > MAX_TEXT:
        text = f"{text[: MAX_TEXT - 40]}... ({len(text)} characters)"
    if text.isprintable():
        return text
    return "".join(_visible(char) for char in text)


def _visible(char: str) -> str:
    if char == "\n" or unicodedata.category(char) != "Cc":
        return char
    code = ord(char)
    return chr(0x2400 + code) if code < 0x20 else "␡" if code == 0x7F else "\ufffd"


def escape_record_text(text: str) -> str:
    r"""Escape the characters that structure a Graphviz record label: \ { } | < > and quotes."""
    text = drawable_text(text)
    for char in '\\{}|<>"':
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


def escape_plain_text(text: str) -> str:
    """Text for a plain label: backslashes, quotes and newlines escaped, never read as HTML."""
    text = drawable_text(text)
    escaped: str = graphviz.nohtml(  # a str that graphviz never reads as an HTML label
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    )
    return escaped


class ComputationGraph(graphviz.Digraph):  # type: ignore[misc]  # graphviz is untyped
    """A ``graphviz.Digraph`` whose rendering explains how to install a missing `dot`.

    ``str(graph)`` is the DOT source and needs no `dot`; rendering does
    (``render``, ``pipe``, ``write_image`` and Jupyter's inline SVG). ``pipe`` (and so
    ``write_image``, the frames, the page and Jupyter) stops `dot` after
    ``render_timeout`` seconds (None: no limit) with a GraphvizTimeout, and turns
    its errors into GraphvizFailed; both are OSErrors saying what to do.
    """

    render_timeout: float | None = RENDER_TIMEOUT

    def render(self, *args: Any, **kwargs: Any) -> str:
        """graphviz's render (the arguments are its own), once `dot` is known to be there."""
        _require_dot()
        path: str = super().render(*args, **kwargs)
        return path

    @overload
    def pipe(self, format: str | None = None, *, encoding: None = None, **kwargs: Any) -> bytes: ...

    @overload
    def pipe(self, format: str | None = None, *, encoding: str, **kwargs: Any) -> str: ...

    def pipe(
        self, format: str | None = None, *, encoding: str | None = None, **kwargs: Any
    ) -> bytes | str:
        """The rendering as bytes, or as text with ``encoding``; needs `dot`."""
        # Jupyter's inline display (_repr_image_svg_xml) pipes too.
        _require_dot()
        if kwargs:  # graphviz's own options (renderer, formatter, ...): its pipe, no time limit
            output: bytes | str = super().pipe(format, encoding=encoding, **kwargs)
            return output
        command: list[str] = [str(self.engine), f"-T{format or self.format}"]
        try:
            done = subprocess.run(
                command,
                input=self.source.encode(),
                capture_output=True,
                timeout=self.render_timeout,
            )
        except subprocess.TimeoutExpired:
            raise GraphvizTimeout(
                f"Graphviz's {self.engine} took more than {self.render_timeout} s to lay out this "
                f"graph ({len(self.body)} nodes and edges); draw a smaller graph (fewer terms, one "
                "example, clusters with collapse=True), or set graph.render_timeout = None to wait"
            ) from None
        if done.returncode != 0:
            printed = done.stderr.decode(errors="replace").strip()[:500]
            raise GraphvizFailed(f"Graphviz's {self.engine} failed on this graph: {printed}")
        image: bytes = done.stdout
        return image.decode(encoding) if encoding else image

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None, **_: Any
    ) -> dict[str, str]:
        """Jupyter's inline display: the SVG, and as HTML the same SVG scaled down to the
        cell's width (no sideways scrolling), which notebooks prefer."""
        svg = self.pipe(format="svg", encoding="utf-8")
        scaled = svg_element(svg).replace("<svg ", f'<svg style="{FIT_WIDTH}" ', 1)
        return {"image/svg+xml": svg, "text/html": f'<div style="max-width:100%">{scaled}</div>'}

    def write_image(self, path: str | os.PathLike[str]) -> Path:
        """Render to ``path`` in the format its suffix names (.png, .svg or .pdf); return it."""
        path = Path(path)
        image_format = path.suffix.lstrip(".").lower()
        if image_format not in IMAGE_FORMATS:
            raise ValueError(
                f"write_image: {str(path)!r} must end in one of "
                f"{', '.join('.' + name for name in IMAGE_FORMATS)}"
            )
        image = self.pipe(format=image_format)
        path.parent.mkdir(parents=True, exist_ok=True)
        return write_atomically(path, image)


def svg_element(svg: str) -> str:
    """dot's SVG document as an element to put in HTML: no XML prolog, doctype, comments or
    ``<title>`` elements (dot's internal node ids, which would pop up as tooltips)."""
    element = svg[svg.index("<svg") :]
    return re.sub(r"<!--.*?-->|<title>.*?</title>", "", element, flags=re.DOTALL).strip()


def _require_dot() -> None:
    if shutil.which("dot") is None:
        raise GraphvizNotInstalled(INSTALL_GRAPHVIZ)


def draw_graph(
    root: Value,
    rankdir: str | None = None,
    *,
    show_grads: bool = True,
    show_local_grads: bool = True,
    highlight: Value | Iterable[Value] | None = None,
    known_grads: Mapping[Value, float] | None = None,
    clusters: Mapping[str, Iterable[Value]] | None = None,
    parameters: Iterable[Value] | None = None,
    title: str | None = None,
    legend: bool = True,
    max_nodes: int = MAX_NODES,
    collapse: bool | None = None,
    fontname: str = FONT,
) -> ComputationGraph:
    """Draw the graph that computed ``root``; return it as a ``ComputationGraph``.

    Each Value is a record ``name | data | grad`` (numbers as ``format_number`` writes
    them, 4 significant figures below 0.1, as in the tables), named
    as ``autograd.show.names.node_names`` names it (a label, a number, an expression).
    Each op is a small node between its inputs and its result; each edge into
    it is labelled with the local derivative d(result)/d(input) when
    ``show_local_grads``. Nodes are named by their position in the topological
    order (never ``id()``), so the same graph always gives the same DOT source.

    rankdir: "LR" (left to right), "TB" (top to bottom), or None (the default): the
        one whose drawing fits a 16:9 screen, ``default_layout`` (a deep graph is drawn
        left to right in rows stacked top to bottom; with clusters, each row a layer of
        whole neuron boxes, ``_cluster_layout``).
    show_grads: False leaves the grad field out (a forward-pass picture).
    highlight: a Value, or several, drawn with a thick orange border, with the
        edges into its op: the node a backward step is processing.
    known_grads: grads to show instead of ``.grad``; nodes missing from it show
        "?" (a backward pass caught half way).
    clusters: cluster label -> the Values to box together under that label,
        e.g. ``model.clusters()`` (one box per neuron).
    parameters: the leaves to colour as parameters (``model.parameters()``); none by
        default, so a labelled leaf is an input (nothing is guessed from labels).
    title: a line of text above the graph. legend: show the colour key.
    max_nodes: the most nodes (Value records plus op nodes) to draw: `dot`
        takes very long on larger graphs (about 10 s for 1800), so those raise
        ValueError.
    collapse: True draws each cluster as one box (with the leaves only it
        uses, such as its weights); None (the default) does so only when the
        graph has more than ``max_nodes`` nodes and clusters are given.
    fontname: the font Graphviz lays the text out in (a fontconfig list by default;
        for Graphviz in WebAssembly a single name it has metrics for, see FONT).
    """
    checks.instance(root, "draw_graph", "root", Value)
    fontname = checks.text(fontname, "draw_graph", "fontname")
    if title is not None:
        checks.text(title, "draw_graph", "title")
    max_nodes = checks.integer(max_nodes, "draw_graph", "max_nodes", minimum=1)
    if clusters is not None:
        checks.instance(clusters, "draw_graph", "clusters", Mapping)
    plan = _plan(root, clusters or {}, max_nodes, collapse)
    if rankdir is None and plan.membership:  # rows of whole neuron boxes, or one direction
        rankdir, rows = _cluster_layout(plan)
        plan = replace(plan, rows=rows)
    elif rankdir is None:
        rankdir, row_levels = default_layout(plan.order)
        plan = replace(plan, rows=None if row_levels is None else _rows(plan.order, row_levels))
    checks.one_of(rankdir, "draw_graph", "rankdir", RANKDIRS)
    look = _Look(
        root,
        show_grads,
        known_grads,
        set(parameters or ()),
        _as_set(highlight),
    )
    dot = ComputationGraph(
        format="svg",
        # Compact, with text large enough for a projector or a slide: the records stack
        # their fields, the ranks sit close.
        graph_attr={
            "rankdir": rankdir,
            "fontname": fontname,
            "fontsize": "12",
            "nodesep": "0.2" if plan.rows is None else "0.1",  # wrapped: rows close together
            "ranksep": "0.2",
        },
        node_attr={"fontname": fontname, "fontsize": "12"},
        edge_attr={"fontname": fontname, "fontsize": "10", "arrowsize": "0.6"},
    )
    roles, boxes = _draw_nodes(dot, plan, look, rankdir)
    for box in boxes.values() if plan.rows is None else ():  # else in their rows' boxes
        dot.subgraph(box)
    if plan.shown_clusters:
        _draw_collapsed_clusters(dot, plan, look, rankdir)
        roles.add("cluster")
    copies = _draw_edges(dot, plan, look, show_local_grads)
    if plan.rows is not None:
        _stack_rows(dot, plan, boxes)
    caption = _caption(
        title,
        roles=[r for r in ROLES if r in roles] if legend else [],
        highlight=legend and bool(look.highlighted),
        local_grads=legend and show_local_grads and not plan.shown_clusters,
        copies=legend and copies,
    )
    if caption:
        dot.attr(label=caption, labelloc="t", labeljust="c")
    return dot


@dataclass(frozen=True)
class _Plan:
    """What to draw: the nodes in topological order, their names and DOT ids, and the
    clusters (``membership``: node -> cluster index; ``collapsed``: node -> the index of
    the one box it is drawn inside; ``shown_clusters``: the indices drawn as one box)."""

    order: list[Value]
    names: dict[Value, str]
    ids: dict[Value, str]
    cluster_labels: list[str]
    membership: dict[Value, int]
    collapsed: dict[Value, int]
    shown_clusters: list[int]
    rows: dict[Value, int] | None = None  # node -> its row in a wrapped drawing (``_stack_rows``)


def _plan(
    root: Value, clusters: Mapping[str, Iterable[Value]], max_nodes: int, collapse: bool | None
) -> _Plan:
    """Name the nodes, assign clusters, decide what collapses; refuse a drawing too large."""
    # Counted first, stopping once past max_nodes (a computed node is a record and an op node):
    # a refusal costs O(max_nodes), however large the graph.
    if (
        not clusters
        and not collapse
        and count_nodes(root, max_nodes, computed_weight=2) > max_nodes
    ):
        _refuse_size(None, max_nodes, collapse=False)
    order = topological_order(root)
    names = names_in_order(order)
    membership = _cluster_membership(clusters, names)
    if collapse is None:
        collapse = _node_count(order, {}) > max_nodes and bool(membership)
    if collapse and not membership:
        raise ValueError(
            "draw_graph: collapse=True needs clusters= with nodes of this graph "
            "(e.g. clusters=model.clusters())"
        )
    collapsed = _collapsed_members(order, membership) if collapse else {}
    shown_clusters = sorted(set(collapsed.values()))
    drawn = _node_count(order, collapsed) + len(shown_clusters)
    if drawn > max_nodes:
        _refuse_size(drawn, max_nodes, collapse)
    ids = {node: f"v{i}" for i, node in enumerate(order)}
    return _Plan(order, names, ids, list(clusters), membership, collapsed, shown_clusters)


def _refuse_size(drawn: int | None, max_nodes: int, collapse: bool) -> NoReturn:
    """``drawn`` nodes, or None when counting stopped once there were more than max_nodes."""
    way_out = (
        "draw a smaller graph (one example, one neuron) or raise max_nodes"
        if collapse
        else "draw a smaller graph (one example, one neuron), pass clusters=model.clusters() "
        "and collapse=True for one box per neuron, or raise max_nodes"
    )
    size = f"{drawn} nodes (values and ops), more than" if drawn else "more than"
    raise ValueError(
        f"draw_graph: the drawing would have {size} max_nodes={max_nodes}, and Graphviz "
        f"would take very long to lay it out; {way_out}"
    )


@dataclass(frozen=True)
class _Look:
    """How the Values are drawn: which grads show, which leaves are parameters, what is lit."""

    root: Value
    show_grads: bool
    known_grads: Mapping[Value, float] | None
    parameters: set[Value]
    highlighted: set[Value]

    def role(self, node: Value) -> str:
        if node is self.root:
            return "root"
        if node.op:
            return "computed"
        if node in self.parameters:
            return "parameter"
        return "input" if node.label else "constant"

    def value_fields(self, node: Value) -> list[str]:
        """A record's data field, and its grad field (or "?" where not known yet)."""
        fields = [f"data {format_number(node.data)}"]
        if not self.show_grads:
            return fields
        if self.known_grads is None:
            grad = format_number(node.grad)
        else:
            known = self.known_grads.get(node)
            grad = "?" if known is None else format_number(known)
        return [*fields, f"grad {grad}"]


def _record(name: str, fields: list[str], rankdir: str) -> str:
    """A record label with its fields stacked: name over data over grad. (Graphviz lays out
    a record's fields across the rank direction; braces turn them, which TB needs.)"""
    stacked = " | ".join([escape_record_text(name), *fields])
    return stacked if rankdir == "LR" else "{ " + stacked + " }"


def _draw_nodes(
    dot: graphviz.Digraph, plan: _Plan, look: _Look, rankdir: str
) -> tuple[set[str], dict[int, graphviz.Digraph]]:
    """Each Value not collapsed as a record, and its op as a small node, inside its cluster's
    dashed box if it has one; returns the roles drawn (for the colour key) and the boxes (by
    cluster index), for the caller to place in the drawing or in a row."""
    boxes = {
        index: graphviz.Digraph(
            name=f"cluster_{index}",
            graph_attr={
                "label": escape_plain_text(plan.cluster_labels[index]),
                "style": "rounded,dashed",
                "color": "#9ca3af",
                "fontsize": "10",
            },
        )
        for index in sorted(set(plan.membership.values()) - set(plan.shown_clusters))
    }
    roles: set[str] = set()
    for node in plan.order:
        if node in plan.collapsed:
            continue
        role = look.role(node)
        roles.add(role)
        index = plan.membership.get(node)
        target = dot if index is None else boxes.get(index, dot)
        emphasis = _emphasis(node in look.highlighted)
        node_id = plan.ids[node]
        label = _record(plan.names[node], look.value_fields(node), rankdir)
        target.node(
            node_id,
            label=label,
            shape="record",
            style="filled",
            fillcolor=ROLES[role].colour,
            **emphasis,
        )
        if node.op:
            target.node(
                node_id + "_op",
                label=escape_plain_text(node.op),
                shape="circle" if len(node.op) <= 3 else "ellipse",
                fontsize="10",
                width="0.3",
                height="0.3",
                margin="0.02",
                **emphasis,
            )
    return roles, boxes  # no boxes when collapsing: every cluster is one node then


def _draw_collapsed_clusters(dot: graphviz.Digraph, plan: _Plan, look: _Look, rankdir: str) -> None:
    """Each collapsed cluster as one box: its size, and data and grad of its output (the
    node used outside it, or the root) when it has exactly one."""
    outputs: dict[int, dict[Value, None]] = {index: {} for index in plan.shown_clusters}
    collapsed = plan.collapsed
    for node in plan.order:
        for child in node.inputs:
            if child in collapsed and collapsed.get(node) != collapsed[child]:
                outputs[collapsed[child]][child] = None
    if look.root in collapsed:
        outputs[collapsed[look.root]][look.root] = None
    members: dict[int, list[Value]] = {index: [] for index in plan.shown_clusters}
    for node, index in collapsed.items():
        members[index].append(node)
    for index in plan.shown_clusters:
        fields = [f"{len(members[index])} values"]
        if len(outputs[index]) == 1:
            fields += look.value_fields(next(iter(outputs[index])))
        dot.node(
            f"cluster{index}",
            label=_record(plan.cluster_labels[index], fields, rankdir),
            shape="Mrecord",
            style="filled",
            fillcolor=ROLES["cluster"].colour,
            **_emphasis(any(node in look.highlighted for node in members[index])),
        )


def _draw_edges(dot: graphviz.Digraph, plan: _Plan, look: _Look, show_local_grads: bool) -> bool:
    """Op -> result, and input -> op labelled with the local derivative; into a collapsed
    box, one plain edge per pair of boxes. Returns whether any copy (below) was drawn.

    A use far from where its input is drawn (``x`` in ``x + x + ... + x``) comes from a
    dashed copy of the input's name next to the op, not from an edge across the whole
    picture: `dot` lays out each long edge as a chain of hidden nodes, and with many of
    them (one per use) it takes minutes on a graph of 200 nodes.
    """
    collapsed, ids = plan.collapsed, plan.ids
    far = _far_uses(plan.order, plan.rows)
    copied = False

    def unit(node: Value) -> str:
        return f"cluster{collapsed[node]}" if node in collapsed else ids[node]

    joined: set[tuple[str, str]] = set()  # (from, to) pairs already drawn into a collapsed box
    for node in plan.order:
        lit = _emphasis(node in look.highlighted, edge=True)
        if node.op and node not in collapsed:
            dot.edge(ids[node] + "_op", ids[node], **lit)
        for position, (child, local) in enumerate(zip(node.inputs, node.local_grads)):
            tail = unit(child)
            if node in collapsed:
                head = unit(node)
                if tail != head and (tail, head) not in joined:
                    joined.add((tail, head))
                    dot.edge(tail, head)
                continue
            label = {"label": escape_plain_text(format_number(local))} if show_local_grads else {}
            if (child, node) in far and child not in collapsed:
                tail = _copy_id(tail, ids[node])  # one copy per use, even for x * x
                copied = True
                dot.node(
                    tail,
                    label=escape_plain_text(plan.names[child]),
                    tooltip=escape_plain_text(f"{plan.names[child]}, drawn again near this use"),
                    shape="box",
                    style="dashed,rounded",
                    fontsize="10",
                    height="0.3",
                )
            dot.edge(tail, ids[node] + "_op", **label, **_input_edge_look(node, position, lit))
    return copied


def _far_uses(order: list[Value], rows: Mapping[Value, int] | None) -> set[tuple[Value, Value]]:
    """The (input, user) pairs more than FAR_USE levels apart in the drawing, or in two rows
    of a wrapped drawing (``rows``: node -> row)."""
    level = _levels(order)
    row = rows or dict.fromkeys(order, 0)
    return {
        (child, node)
        for node in order
        for child in node.inputs
        if level[node] - level[child] > FAR_USE or row[node] != row[child]
    }


def _stack_rows(dot: graphviz.Digraph, plan: _Plan, boxes: Mapping[int, graphviz.Digraph]) -> None:
    """Keep a wrapped drawing's rows whole and in order, top to bottom: each row an unframed
    box of its nodes (with the copies its ops use) and of its neurons' boxes (``boxes``, by
    cluster index: a box nested in a row's, never cut by it), after an invisible point
    joined to the row's first nodes, the points one above the other. (`dot` would otherwise
    interleave the rows, separate pieces of the graph, or stack them in any order.)"""
    assert plan.rows is not None
    row = plan.rows
    level = _levels(plan.order)
    first: dict[int, int] = {}
    members: dict[int, list[str]] = {}
    nested: dict[int, dict[int, graphviz.Digraph]] = {}  # row -> its neurons' boxes
    for node in plan.order:
        first[row[node]] = min(first.get(row[node], level[node]), level[node])
        ids = members.setdefault(row[node], [])
        index = plan.membership.get(node, -1)
        if index in boxes:  # declared in its neuron's box, which goes in this row
            nested.setdefault(row[node], {})[index] = boxes[index]
            continue
        ids.append(plan.ids[node])
        if node.op:
            ids.append(plan.ids[node] + "_op")
    for child, node in _far_uses(plan.order, row):
        members[row[node]].append(_copy_id(plan.ids[child], plan.ids[node]))
    with dot.subgraph() as column:
        column.attr(rank="same")
        for index in sorted(members):
            column.node(f"row{index}", shape="point", style="invis", width="0")
        for index in sorted(members)[1:]:
            column.edge(f"row{index - 1}", f"row{index}", style="invis")
    for index, ids in sorted(members.items()):
        with dot.subgraph(name=f"cluster_row{index}") as box:
            box.attr(label="", style="invis", margin="0")
            for node_id in ids:
                box.node(node_id)
            for neuron in nested.get(index, {}).values():
                box.subgraph(neuron)
    for node in plan.order:
        if level[node] == first[row[node]]:
            dot.edge(f"row{row[node]}", plan.ids[node], style="invis")


def _copy_id(input_id: str, user_id: str) -> str:
    """The DOT id of the copy of an input drawn near one use (``_draw_edges``)."""
    return f"{input_id}_in_{user_id}"


def _rows(order: list[Value], row_levels: int) -> dict[Value, int]:
    """The row each node is drawn in when a left-to-right drawing wraps every ``row_levels``
    levels: a computed node's level // row_levels, a leaf's that of the level of its nearest
    use, so that it sits in the row that uses it."""
    level = _levels(order)
    return {node: (level[node] + (0 if node.op else 1)) // row_levels for node in order}


def _cluster_rows(order: list[Value], membership: Mapping[Value, int]) -> dict[Value, int]:
    """The row each node is drawn in when a drawing with neuron boxes wraps by layer: the
    boxes whose levels overlap (the neurons of one layer) share a row, in order of their
    first level; a computed node in no box goes in the row of its latest input, or the next
    row when that input is in a box (a loss after the last layer); a leaf goes in the row of
    its first use."""
    level = _levels(order)
    spans: dict[int, tuple[int, int]] = {}
    for node, index in membership.items():
        low, high = spans.get(index, (level[node], level[node]))
        spans[index] = (min(low, level[node]), max(high, level[node]))
    box_row: dict[int, int] = {}
    reach = -1  # the highest level of the current row's boxes
    for index, (low, high) in sorted(spans.items(), key=lambda item: item[1]):
        box_row[index] = len(set(box_row.values())) - (0 if low > reach else 1)
        reach = high if low > reach else max(reach, high)
    row: dict[Value, int] = {}
    for node in order:
        if node in membership:
            row[node] = box_row[membership[node]]
        elif node.op:
            row[node] = max(row[c] + (c in membership) for c in node.inputs if c.op)
    for node in reversed(order):  # a leaf: the row of its first user
        for child in node.inputs:
            if not child.op:
                row[child] = min(row.get(child, row[node]), row[node])
    return {node: row.get(node, 0) for node in order}


def _cluster_layout(plan: _Plan) -> tuple[str, dict[Value, int] | None]:
    """The direction, and the rows when wrapped, of a drawing with neuron boxes: as
    ``default_rankdir`` chooses when left to right fits; else, when no box is collapsed,
    left to right in rows of whole layers (``_cluster_rows``: no row cuts across a neuron's
    box) stacked top to bottom, when its estimate fits a 16:9 screen with text at least as
    large as top to bottom's (a layer of many inputs and weights stays top to bottom)."""
    rankdir = default_rankdir(plan.order)
    if rankdir == "LR" or plan.shown_clusters:
        return rankdir, None
    rows = _cluster_rows(plan.order, plan.membership)
    wrapped = _fit_scale(*_rows_size(plan.order, rows))
    if len(set(rows.values())) > 1 and wrapped >= _fit_scale(*_size(plan.order, "TB")):
        return "LR", rows
    return rankdir, None


def _fit_scale(width: float, height: float) -> float:
    """The scale that fits a drawing of this size (points) to a 1280×720 screen."""
    return min(1280 / width, 720 / height)


def _rows_size(order: list[Value], rows: Mapping[Value, int]) -> tuple[float, float]:
    """The estimated width and height of a left-to-right drawing wrapped into ``rows``: the
    widest row's levels times LEVEL_PT, and each row's most values on one level times
    ROW_VALUE_PT plus ROW_GAP_PT, under the key's height."""
    placed = Counter((rows[node], level) for node, level in _levels(order).items())
    levels = Counter(row for row, _ in placed)
    breadths = Counter[int]()
    for (row, _), count in placed.items():
        breadths[row] = max(breadths[row], count)
    height = CAPTION_PT + sum(ROW_VALUE_PT * b + ROW_GAP_PT for b in breadths.values())
    return LEVEL_PT["LR"] * max(levels.values()), height


def _levels(order: list[Value]) -> dict[Value, int]:
    """The level each node is drawn at: a computed node's is 1 + its inputs' highest; a
    leaf is drawn just before its nearest use (a leaf root at 0)."""
    level: dict[Value, int] = {}
    first_use: dict[Value, int] = {}
    for node in order:
        level[node] = 1 + max((level[child] for child in node.inputs), default=-1)
        for child in node.inputs:
            first_use[child] = min(first_use.get(child, level[node]), level[node])
    return {node: level[node] if node.op else first_use.get(node, 1) - 1 for node in order}


def default_layout(order: list[Value]) -> tuple[str, int | None]:
    """The direction, and the levels per row when a left-to-right drawing wraps, whose
    drawing of ``order`` fits a 16:9 screen: "LR" unwrapped when that fits
    (``default_rankdir``); else "LR" wrapped into rows of as many levels as fit
    MAX_WIDTH_PT, stacked top to bottom (each neuron's w·x + b → σ a row: a use in the
    next row comes from a dashed copy of its input), when that is at least as wide as high
    and at most WRAP_ASPECT; else ``default_rankdir``'s choice. Estimated as there.
    """
    rankdir = default_rankdir(order)
    placed = Counter(_levels(order).values())
    depth = max(placed, default=0)
    if rankdir == "LR" and LEVEL_PT["LR"] * depth <= MAX_WIDTH_PT:
        return rankdir, None
    for row_levels in range(min(int(MAX_WIDTH_PT // ROW_LEVEL_PT), depth), 1, -1):
        width = ROW_LEVEL_PT * row_levels
        breadths = Counter[int]()
        for level, count in placed.items():
            breadths[level // row_levels] = max(breadths[level // row_levels], count)
        height = CAPTION_PT + sum(ACROSS_PT["LR"] * b + ROW_GAP_PT for b in breadths.values())
        if height <= width <= WRAP_ASPECT * height:
            return "LR", row_levels
    return rankdir, None


def default_rankdir(order: list[Value]) -> str:
    """The direction whose drawing of the nodes ``order`` fits a 16:9 screen: "LR" when its
    estimated size is at most MAX_ASPECT wide to 1 high and MAX_WIDTH_PT wide, else "TB"
    when that fits, else the narrower. A deep chain turns top-to-bottom; a wide sum stays
    left-to-right. The estimate: the levels (``_levels``) times LEVEL_PT along the
    direction, the most nodes on one level times ACROSS_PT across it, and the key's height.
    """
    widths = {}
    for rankdir in RANKDIRS:
        width, height = _size(order, rankdir)
        if width <= MAX_ASPECT * height and width <= MAX_WIDTH_PT:
            return rankdir
        widths[rankdir] = width
    return min(RANKDIRS, key=widths.__getitem__)


def _size(order: list[Value], rankdir: str) -> tuple[float, float]:
    """The estimated width and height of a drawing of ``order`` in direction ``rankdir``
    (``default_rankdir``)."""
    placed = Counter(_levels(order).values())
    depth, breadth = max(placed, default=0), max(placed.values(), default=1)
    along, across = LEVEL_PT[rankdir] * depth, ACROSS_PT[rankdir] * breadth
    width, height = (along, across) if rankdir == "LR" else (across, along)
    return width, height + CAPTION_PT


draw_dot = draw_graph


def _node_count(order: list[Value], collapsed: Mapping[Value, int]) -> int:
    """The records and op nodes drawn for the Values not collapsed into a box."""
    return sum(2 if node.op else 1 for node in order if node not in collapsed)


def _as_set(highlight: Value | Iterable[Value] | None) -> set[Value]:
    if highlight is None:
        return set()
    if isinstance(highlight, Value):
        return {highlight}
    return set(highlight)


def _emphasis(on: bool, edge: bool = False) -> dict[str, str]:
    """Graphviz attributes that make a highlighted node or edge stand out (class "current"
    marks it in SVG, for the step-through page to find)."""
    if not on:
        return {}
    return {"color": HIGHLIGHT_COLOUR, "penwidth": "2.5" if edge else "3", "class": "current"}


def _input_edge_look(node: Value, position: int, lit: dict[str, str]) -> dict[str, str]:
    """An input edge of ``node``'s op: with two or more inputs, coloured by its position, its
    label too (lit, it stays in its colour, only thicker); with one, as ``lit`` says."""
    if len(node.inputs) < 2:
        return lit
    colour = EDGE_COLOURS[position % len(EDGE_COLOURS)]
    return {**lit, "color": colour, "fontcolor": colour}


def _cluster_membership(
    clusters: Mapping[str, Iterable[Value]], names: Mapping[Value, str]
) -> dict[Value, int]:
    """Node -> index of its cluster; nodes outside the graph are ignored, two clusters refused."""
    membership: dict[Value, int] = {}
    labels = list(clusters)
    for index, members in enumerate(clusters.values()):
        what = f"clusters[{checks.shown(labels[index])}]"
        for node in checks.items(members, "draw_graph", what, "a list of Values"):
            if node not in names:
                continue
            if membership.get(node, index) != index:
                raise ValueError(
                    f"draw_graph: {names[node]} is in two clusters, "
                    f"{labels[membership[node]]!r} and {labels[index]!r}"
                )
            membership[node] = index
    return membership


def _collapsed_members(order: list[Value], membership: Mapping[Value, int]) -> dict[Value, int]:
    """The clusters' nodes plus the leaves used only inside one cluster (a neuron's weights)."""
    collapsed = dict(membership)
    user_clusters: dict[Value, set[int]] = {}
    used_outside: set[Value] = set()  # used by a node in no cluster
    for node in order:
        index = membership.get(node)
        for child in node.inputs:
            if index is None:
                used_outside.add(child)
            else:
                user_clusters.setdefault(child, set()).add(index)
    for node, users in user_clusters.items():
        alone = not node.inputs and node not in collapsed and node not in used_outside
        if alone and len(users) == 1:
            (collapsed[node],) = users
    return collapsed


def _caption(
    title: str | None, *, roles: list[str], highlight: bool, local_grads: bool, copies: bool
) -> str:
    """The graph's label, an HTML-like table: the title, then a colour key in rows of up to
    KEY_COLUMNS (narrow enough for a phone), then the edges' note in two lines, as narrow as
    the key (a drawing's width is its graph's, not its key's)."""
    key = [f'<td bgcolor="{ROLES[r].colour}">{ROLES[r].name}</td>' for r in roles]
    if highlight:
        key.append(f'<td color="{HIGHLIGHT_COLOUR}" border="3">current step</td>')
    if copies:
        key.append('<td border="1" style="dashed">a value again, near a far use</td>')
    columns = max(1, min(len(key), KEY_COLUMNS))
    rows = []
    if title:
        lines = drawable_text(title).split("\n")
        text = "<br/>".join(html.escape(line, quote=False) for line in lines)
        rows.append(f'<tr><td colspan="{columns}" border="0"><b>{text}</b></td></tr>')
    for start in range(0, len(key), KEY_COLUMNS):
        cells = key[start : start + KEY_COLUMNS]
        if len(cells) < columns:  # the last row's cells spread over the columns
            cells[-1] = cells[-1].replace("<td ", f'<td colspan="{columns - len(cells) + 1}" ', 1)
        rows.append(f"<tr>{''.join(cells)}</tr>")
    if local_grads:
        note = "edge: local derivative ∂result/∂input,<br/>in its edge's colour"
        rows.append(f'<tr><td colspan="{columns}" border="0">{note}</td></tr>')
    if not rows:
        return ""
    return (
        '<<table border="0" cellborder="1" cellspacing="3" cellpadding="3">'
        + "".join(rows)
        + "</table>>"
    )
