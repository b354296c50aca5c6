"""Every path behind one gradient: d root / d wrt written as the chain rule does on paper.

``explain(root, wrt)`` gives one product of local derivatives per path from
``root`` down to ``wrt``, summed over the paths (``x * x + x`` reaches ``x``
three ways), as text and as LaTeX for notebooks.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Union

from autograd import checks
from autograd.graph import topological_order
from autograd.show.format import as_product, format_number, latex_name, latex_text
from autograd.show.names import names_in_order, partial, refuse_unnameable
from autograd.value import Value

MAX_PATHS = 10_000
MAX_EDGES = 100_000  # the most edges, over all paths, that a derivation writes out


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

    Raises ValueError if ``wrt`` is not in ``root``'s graph, if the graph has more
    than ``MAX_NAMED_NODES`` nodes, or if there are more than ``max_paths`` paths
    (nodes and paths are counted before any is named or listed).
    """
    checks.instance(root, "explain", "root", Value)
    checks.instance(wrt, "explain", "wrt", Value)
    max_paths = checks.integer(max_paths, "explain", "max_paths", minimum=1)
    refuse_unnameable(root, "explain")
    order = topological_order(root)
    paths_below, edges_below = _count_paths(order, wrt)
    if wrt not in paths_below:
        raise ValueError(
            f"explain: {checks.shown(wrt)} is not part of the graph of {checks.shown(root)}"
        )
    # Counted before anything is named or listed: a refusal costs one walk of the graph.
    if paths_below[root] > max_paths:
        raise ValueError(
            f"explain: {paths_below[root]} paths lead from the root to {checks.shown(wrt)}, "
            f"more than max_paths={max_paths}; explain a smaller graph, a nearer node, "
            f"or raise max_paths"
        )
    if edges_below[root] > MAX_EDGES:
        raise ValueError(
            f"explain: the paths from the root to {checks.shown(wrt)} have "
            f"{edges_below[root]} edges in all, more than {MAX_EDGES} to write out; explain a "
            f"smaller graph or a nearer node"
        )
    names = names_in_order(order)
    paths = [
        _factors(edges, root, wrt, names, merge_unlabelled)
        for edges in _paths(root, wrt, paths_below)
    ]
    total = math.fsum(math.prod(factor.value for factor in path) for path in paths)
    derivation = _Derivation(root, wrt, names, paths, total, formulas or {})
    return Explanation(paths, total, derivation.text(), derivation.markdown())


def _count_paths(order: Sequence[Value], wrt: Value) -> tuple[dict[Value, int], dict[Value, int]]:
    """For each node (``order`` is topological: inputs first), the number of paths from it
    down to ``wrt`` and the number of edges on them all (ints: exact however many)."""
    paths_below: dict[Value, int] = {}
    edges_below: dict[Value, int] = {}
    for node in order:
        if node is wrt:
            paths_below[node], edges_below[node] = 1, 0
            continue
        paths = edges = 0
        for child in node.inputs:
            child_paths = paths_below[child]
            paths += child_paths
            edges += edges_below[child] + child_paths  # each path below, one edge longer
        paths_below[node], edges_below[node] = paths, edges
    return paths_below, edges_below


@dataclass(frozen=True)
class _Derivation:
    """d root / d wrt as its paths' factors and their total, to be written out."""

    root: Value
    wrt: Value
    names: Mapping[Value, str]
    paths: list[list[Factor]]
    total: float
    formulas: Mapping[str, str]

    def text(self) -> str:
        """For a terminal: ``∂E/∂w2 = ∂E/∂a2 · … = (a2 − T) · … = 0.4653 · … = …``."""
        formulas = self.formulas
        lines = _derivation(
            partial(self.names[self.root], self.names[self.wrt]),
            self.paths,
            self.total,
            symbol=lambda factor: factor.symbol,
            formula=lambda factor: formulas.get(factor.symbol, factor.symbol),
            times=" · ",
            show_formulas=bool(formulas),
        )
        indent = " " * len(lines[0])
        return "\n".join(
            [f"{lines[0]} = {lines[1]}", *(f"{indent} = {line}" for line in lines[2:])]
        )

    def markdown(self) -> str:
        """The same derivation as LaTeX, aligned on its equals signs, for notebooks."""
        names, formulas = self.names, self.formulas

        def fraction(of: Value, by: Value) -> str:
            return (
                f"\\frac{{\\partial {latex_name(names[of])}}}{{\\partial {latex_name(names[by])}}}"
            )

        lines = _derivation(
            fraction(self.root, self.wrt),
            self.paths,
            self.total,
            symbol=lambda factor: fraction(factor.of, factor.wrt),
            formula=lambda factor: (
                f"\\text{{{latex_text(formulas[factor.symbol])}}}"
                if factor.symbol in formulas
                else fraction(factor.of, factor.wrt)
            ),
            times=" \\cdot ",
            show_formulas=bool(formulas),
        )
        rows = (f"{lines[0] if i == 0 else ''} &= {line}" for i, line in enumerate(lines[1:]))
        return "$$\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}$$"


Edge = tuple[Value, Value, float]  # (node, input, d node / d input)
# A path walked so far, as a linked list (the path to the parent, the last edge): extending
# it is O(1), where copying a tuple of edges per step made a chain of n nodes cost n^2.
Trail = Union[tuple["Trail", Edge], None]  # noqa: UP007 - a runtime alias, valid on 3.10


def _paths(root: Value, wrt: Value, paths_below: Mapping[Value, int]) -> list[tuple[Edge, ...]]:
    """Every path root -> wrt as edges (node, input, local derivative), first inputs first."""
    complete = []
    stack: list[tuple[Value, Trail]] = [(root, None)]
    while stack:
        node, trail = stack.pop()
        if node is wrt:
            complete.append(_edges(trail))
            continue
        for child, local in reversed(list(zip(node.inputs, node.local_grads))):
            if paths_below[child]:
                stack.append((child, (trail, (node, child, local))))
    return complete


def _edges(trail: Trail) -> tuple[Edge, ...]:
    """The edges of ``trail``, root first."""
    edges = []
    while trail is not None:
        trail, edge = trail
        edges.append(edge)
    return tuple(reversed(edges))


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

    def sum_of_products(term: Callable[[Factor], str], *, right_as_written: bool = True) -> str:
        def product(path: list[Factor]) -> str:
            terms = [term(factor) for factor in path]
            return (as_product(terms, times) if right_as_written else times.join(terms)) or "1"

        return " + ".join(map(product, paths))

    lines = [lhs, sum_of_products(symbol, right_as_written=False)]
    if show_formulas:
        lines.append(sum_of_products(formula))
    lines += [sum_of_products(lambda factor: format_number(factor.value)), format_number(total)]
    return [line for i, line in enumerate(lines) if i == 0 or line != lines[i - 1]]
