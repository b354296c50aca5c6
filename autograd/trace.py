"""The chain rule as a record to read: backward()'s steps, and every path behind one gradient.

``backward_steps(root)`` replays ``Value.backward`` without touching any
``.grad``: step k takes the k-th node whose gradient is complete and adds
``upstream * local derivative`` to each input's gradient.
``steps_table`` / ``steps_markdown`` print those steps.

``explain(root, wrt)`` writes d root / d wrt as the chain rule does on paper:
one product of local derivatives per path from ``root`` down to ``wrt``,
summed over the paths (``x * x + x`` reaches ``x`` three ways).

Nodes are named by ``autograd.names.node_names``: their label, or unlabelled,
their value or expression (``0.5``, ``T − a2``); ``draw_graph`` uses the same names.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from autograd.graph import topological_order
from autograd.names import names_in_order, node_names, partial
from autograd.value import Value

MAX_PATHS = 10_000


@dataclass(frozen=True)
class BackwardStep:
    """Step ``index`` (1 for the root) of the backward pass.

    ``node``'s gradient is complete (``upstream`` = d root / d node); each input
    ``inputs[i]`` gets ``contributions[i] = upstream * local_grads[i]`` added to
    its gradient, where ``local_grads[i]`` = d node / d inputs[i].
    """

    index: int
    node: Value
    upstream: float
    inputs: tuple[Value, ...]
    local_grads: tuple[float, ...]
    contributions: tuple[float, ...]


@dataclass(frozen=True)
class Factor:
    """One factor of a chain-rule product: ``value`` = d of / d wrt, written ``symbol``."""

    symbol: str
    value: float
    of: Value
    wrt: Value


@dataclass(frozen=True, eq=False)
class Explanation:
    """d root / d wrt as a sum over paths of products of local derivatives.

    paths: one list of Factors per path from the root down to ``wrt``.
    total: the sum over paths of each path's product; equals ``wrt.grad``
        after ``root.backward()`` (up to rounding).
    text: the derivation for a terminal; ``str()`` gives it, and notebooks
        show the same derivation as LaTeX (``_repr_markdown_``).
    """

    paths: list[list[Factor]]
    total: float
    text: str
    markdown: str = field(repr=False)

    def __str__(self) -> str:
        return self.text

    def _repr_markdown_(self) -> str:
        return self.markdown


def format_number(x: float) -> str:
    """A number for people: 4 decimals, but 4 significant digits below 0.1 (0.05709, 0.001039)."""
    magnitude = abs(x)
    if magnitude == 0.0 or magnitude >= 0.1:
        return f"{x:.4f}"
    if magnitude < 1e-6:
        return f"{x:.3e}"
    return f"{x:.{3 - math.floor(math.log10(magnitude))}f}"


def backward_steps(root: Value) -> list[BackwardStep]:
    """The steps of ``root.backward()``, in its order and with its arithmetic; no ``.grad`` changes.

    Every computed node is one step, the root first. The gradients the steps
    add up (``upstream`` of later steps, and the leaves' sums) equal, bit for bit,
    those that ``backward()`` sets on a graph whose grads are all 0.
    """
    grads: dict[Value, float] = {root: 1.0}
    steps = []
    for node in reversed(topological_order(root, include_leaves=False)):
        if not node.inputs:  # a leaf root: nothing to push back
            continue
        upstream = grads[node]
        contributions = tuple(upstream * local for local in node.local_grads)
        for child, contribution in zip(node.inputs, contributions):
            grads[child] = grads.get(child, 0.0) + contribution
        steps.append(
            BackwardStep(
                len(steps) + 1, node, upstream, node.inputs, node.local_grads, contributions
            )
        )
    return steps


STEP_HEADERS = ("step", "node", "op", "∂{root}/∂node", "input", "∂node/∂input", "contribution")


def _step_rows(
    steps: Sequence[BackwardStep],
) -> list[tuple[BackwardStep, bool, Value, float, float]]:
    """One row per (step, input): the step, whether it is the step's first row, and the input's
    local derivative and contribution."""
    return [
        (step, i == 0, child, local, contribution)
        for step in steps
        for i, (child, local, contribution) in enumerate(
            zip(step.inputs, step.local_grads, step.contributions)
        )
    ]


def steps_table(steps: Sequence[BackwardStep]) -> str:
    """The steps as an aligned text table: one row per input, numbers right-aligned.

    Each row reads: the input gets contribution = (d root / d node) x (d node / d input).
    """
    if not steps:
        return "(no backward steps: the root is a leaf)"
    names = node_names(steps[0].node)
    headers = [header.format(root=names[steps[0].node]) for header in STEP_HEADERS]
    rows = [
        [
            str(step.index) if first else "",
            names[step.node] if first else "",
            step.node.op if first else "",
            format_number(step.upstream) if first else "",
            names[child],
            format_number(local),
            format_number(contribution),
        ]
        for step, first, child, local, contribution in _step_rows(steps)
    ]
    return text_table(headers, rows, numeric_columns={0, 3, 5, 6})


def text_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], numeric_columns: Iterable[int] = ()
) -> str:
    """An aligned plain-text table: a header line, a rule, then the rows.

    Columns are as wide as their widest cell; ``numeric_columns`` (indices)
    are right-aligned so that the decimal points line up, the rest left-aligned.
    """
    numeric = set(numeric_columns)
    widths = [max(len(row[c]) for row in [headers, *rows]) for c in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            cell.rjust(width) if c in numeric else cell.ljust(width)
            for c, (cell, width) in enumerate(zip(cells, widths))
        ).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(headers), rule, *(line(row) for row in rows)])


def steps_markdown(steps: Sequence[BackwardStep]) -> str:
    """The steps as a Markdown table, each contribution written as a LaTeX product."""
    if not steps:
        return "*(no backward steps: the root is a leaf)*"
    names = node_names(steps[0].node)
    root = _latex_name(names[steps[0].node])
    lines = [
        f"| step | node | op | $\\partial {root}/\\partial\\,\\text{{node}}$ | input "
        "| $\\partial\\,\\text{node}/\\partial\\,\\text{input}$ | contribution |",
        "|---:|:---|:---|---:|:---|---:|:---|",
    ]
    for step, first, child, local, contribution in _step_rows(steps):
        upstream = format_number(step.upstream)
        step_cells = (
            [
                str(step.index),
                _markdown_text(names[step.node]),
                _markdown_text(step.node.op),
                upstream,
            ]
            if first
            else ["", "", "", ""]
        )
        product = f"${upstream} \\times {format_number(local)} = {format_number(contribution)}$"
        cells = [*step_cells, _markdown_text(names[child]), format_number(local), product]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def explain(
    root: Value,
    wrt: Value,
    *,
    merge_unlabelled: bool = True,
    formulas: Mapping[str, str] | None = None,
    max_paths: int = MAX_PATHS,
) -> Explanation:
    """d root / d wrt by the chain rule: a sum over paths of products of local derivatives.

    Each edge of the graph carries a local derivative d node / d input; a path
    from ``root`` down to ``wrt`` contributes the product of its edges' local
    derivatives, and d root / d wrt is the sum over all paths (one path per
    *use*: ``x * x`` reaches ``x`` twice). With ``merge_unlabelled`` (the
    default) the local derivatives through unlabelled intermediate nodes are
    multiplied into one factor between labelled nodes, as on paper
    (dE/da2 = a2 - T for E = 0.5 * (T - a2) ** 2); with False every edge is
    its own factor. ``formulas`` maps a factor's symbol ("∂E/∂a2") to its
    formula ("(a2 − T)"), shown as an extra line of the derivation.

    Raises ValueError if ``wrt`` is not in ``root``'s graph, or if there are
    more than ``max_paths`` paths (they are counted before any is listed).
    """
    order = topological_order(root)
    names = names_in_order(order)
    if wrt not in names:
        raise ValueError(f"explain: {wrt!r} is not part of the graph of {root!r}")
    # Paths from each node down to wrt, counted children-first (order lists inputs first).
    paths_below: dict[Value, int] = {}
    for node in order:
        paths_below[node] = 1 if node is wrt else sum(paths_below[c] for c in node.inputs)
    if paths_below[root] > max_paths:
        raise ValueError(
            f"explain: {paths_below[root]} paths lead from {names[root]} to {names[wrt]}, "
            f"more than max_paths={max_paths}; explain a smaller graph, a nearer node, "
            f"or raise max_paths"
        )
    paths = [
        _factors(edges, root, wrt, names, merge_unlabelled)
        for edges in _paths(root, wrt, paths_below)
    ]
    total = math.fsum(math.prod(factor.value for factor in path) for path in paths)
    formulas = formulas or {}

    text_lines = _derivation(
        partial(names[root], names[wrt]),
        paths,
        total,
        symbol=lambda factor: factor.symbol,
        formula=lambda factor: formulas.get(factor.symbol, factor.symbol),
        times=" · ",
        show_formulas=bool(formulas),
    )
    indent = " " * len(text_lines[0])
    text = "\n".join(
        [f"{text_lines[0]} = {text_lines[1]}", *(f"{indent} = {line}" for line in text_lines[2:])]
    )

    def fraction(of: Value, by: Value) -> str:
        return f"\\frac{{\\partial {_latex_name(names[of])}}}{{\\partial {_latex_name(names[by])}}}"

    latex_lines = _derivation(
        fraction(root, wrt),
        paths,
        total,
        symbol=lambda factor: fraction(factor.of, factor.wrt),
        formula=lambda factor: (
            f"\\text{{{_latex_text(formulas[factor.symbol])}}}"
            if factor.symbol in formulas
            else fraction(factor.of, factor.wrt)
        ),
        times=" \\cdot ",
        show_formulas=bool(formulas),
    )
    markdown = (
        "$$\\begin{aligned}\n"
        + " \\\\\n".join(
            f"{latex_lines[0] if i == 0 else ''} &= {line}"
            for i, line in enumerate(latex_lines[1:])
        )
        + "\n\\end{aligned}$$"
    )
    return Explanation(paths, total, text, markdown)


def _paths(
    root: Value, wrt: Value, paths_below: Mapping[Value, int]
) -> list[tuple[tuple[Value, Value, float], ...]]:
    """Every path root -> wrt as edges (node, input, local derivative), first inputs first."""
    complete = []
    stack: list[tuple[Value, tuple[tuple[Value, Value, float], ...]]] = [(root, ())]
    while stack:
        node, edges = stack.pop()
        if node is wrt:
            complete.append(edges)
            continue
        for child, local in reversed(list(zip(node.inputs, node.local_grads))):
            if paths_below[child]:
                stack.append((child, (*edges, (node, child, local))))
    return complete


def _factors(
    edges: Sequence[tuple[Value, Value, float]],
    root: Value,
    wrt: Value,
    names: Mapping[Value, str],
    merge_unlabelled: bool,
) -> list[Factor]:
    """One path's factors: a factor ends at each labelled node (every node without merging)."""
    factors = []
    start, product = root, 1.0
    for _, child, local in edges:
        product *= local
        if child is wrt or child.label or not merge_unlabelled:
            factors.append(Factor(partial(names[start], names[child]), product, start, child))
            start, product = child, 1.0
    return factors


def _derivation(
    lhs: str,
    paths: list[list[Factor]],
    total: float,
    *,
    symbol: Callable[[Factor], str],
    formula: Callable[[Factor], str],
    times: str,
    show_formulas: bool,
) -> list[str]:
    """``lhs`` and the right-hand sides of its derivation: the factors' symbols, their
    formulas, their numbers, the total -- a sum over paths of products -- each line
    dropped where it repeats the one before."""

    def sum_of_products(term: Callable[[Factor], str]) -> str:
        return " + ".join(times.join(term(factor) for factor in path) or "1" for path in paths)

    lines = [lhs, sum_of_products(symbol)]
    if show_formulas:
        lines.append(sum_of_products(formula))
    lines += [sum_of_products(lambda factor: format_number(factor.value)), format_number(total)]
    return [line for i, line in enumerate(lines) if i == 0 or line != lines[i - 1]]


def _latex_name(name: str) -> str:
    """A node name in LaTeX: "w2" -> "w_{2}", "loss" -> "\\mathrm{loss}", others as text."""
    match = re.fullmatch(r"([A-Za-z])(\d*)", name)
    if match:
        letter, index = match.groups()
        return f"{letter}_{{{index}}}" if index else letter
    if re.fullmatch(r"[A-Za-z]+\d*", name):
        return f"\\mathrm{{{name}}}"
    return f"\\text{{{_latex_text(name)}}}"


def _latex_text(text: str) -> str:
    r"""Escape LaTeX's special characters for ``\text{...}``."""
    replacements = {
        "\\": "\\textbackslash{}",
        "{": "\\{",
        "}": "\\}",
        "$": "\\$",
        "&": "\\&",
        "#": "\\#",
        "%": "\\%",
        "_": "\\_",
        "^": "\\^{}",
        "~": "\\~{}",
    }
    return "".join(replacements.get(char, char) for char in text)


def _markdown_text(text: str) -> str:
    """Text safe in a Markdown table cell: HTML escaped, Markdown's markup characters escaped."""
    return re.sub(r"([\\`*_\[\]|#])", r"\\\1", html.escape(text))
