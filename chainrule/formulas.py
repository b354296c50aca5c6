"""A gradient typed as a formula, checked as the chain rule: equal at several points.

A student may answer ∂E/∂w1 with the product itself, ``-(T-a2)*a2*(1-a2)*w2*a1*(1-a1)*x``,
over the names of the graph (``x``, ``w1``, ``a2``, ``T``, ...). ``check_formula`` parses
it with the safe parser (``autograd.expression``: nothing of the text is run), and
evaluates it at the graph's own numbers and at ``POINTS`` more, where every labelled leaf
is scaled by a seeded random factor in [0.8, 1.25] and the graph is rebuilt (``replay``)
and run backward. The formula is right when it matches ``backward()`` at every point (to
1e-6 relative): any equivalent form is. A wrong one gets the factor of the chain-rule
product it misses or has too many (its ratio to the truth is that factor at every point),
or its sign.
"""

from __future__ import annotations

import math
import operator
import random
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from autograd import Value, ops, weighted_sum
from autograd.expression import parse_expression
from autograd.graph import topological_order
from autograd.show.explain import explain
from autograd.show.format import as_factor
from autograd.show.names import node_names

PARAMETER_LABEL = re.compile(r"(?:.*\.)?[wb]\d*(?:\[\d+(?:,\d+)?\])?")
"""A variable named like a weight or bias: w, w1, b2, layer.w3, and by place w2[1,3], b2[1]."""


def parameters_by_label(root: Value) -> list[Value]:
    """The leaves of a typed formula's graph named like a weight or bias (``PARAMETER_LABEL``),
    in topological order: the one place chainrule guesses parameters from names, for a formula
    typed in the Playground, which has no model to say. Everywhere else parameters are given
    (``Module.parameters()``, ``parameters=``)."""
    return [n for n in topological_order(root) if not n.op and PARAMETER_LABEL.fullmatch(n.label)]


POINTS = 4
"""Points besides the graph's own at which a formula is compared with backward()."""

_INFIX: dict[str, Callable[..., Value]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
    "neg": operator.neg,
    "**": operator.pow,
}
_DOMAIN_ERRORS = (ValueError, ZeroDivisionError, OverflowError)


def replay(node: Value, operands: Sequence[Value]) -> Value | None:
    """``node``'s op (its op table row, bound to its argument) applied to other operands:
    a new node, or None where they leave the op's domain. A fused neuron becomes its sum
    and its activation, two nodes with the same value and gradients."""
    row = node.row
    try:
        if row.unbound is ops.WEIGHTED_SUM:
            half = (len(operands) - 1) // 2
            out = weighted_sum(operands[:half], operands[half : 2 * half], operands[-1])
            return _call(out, row.bound.name) if isinstance(row.bound, ops.Op) else out
        if row.name in _INFIX:
            return _INFIX[row.name](*operands)
        if row.name == "**n" and isinstance(row.bound, float):
            return _call(operands[0], "__pow__", row.bound)
        return _call(operands[0], row.name, *(() if row.bound is None else (row.bound,)))
    except (*_DOMAIN_ERRORS, AttributeError, TypeError):  # outside the domain, or no method
        return None


def _call(operand: Value, method: str, *argument: object) -> Value:
    result: Value = getattr(operand, method)(*argument)
    return result


def replay_numbers(node: Value, inputs: Sequence[float]) -> tuple[float, tuple[float, ...]]:
    """``node``'s op applied to other input numbers: (its value, its local derivatives),
    by its op table row; where they leave the op's domain, the node's own."""
    row, bound = node.row, node.row.bound
    try:
        if isinstance(bound, ops.Op):  # a fused neuron: the sum, then its activation
            z = row.forward(*inputs)
            out = bound.forward(z)
            (slope,) = bound.derivatives(out, z)
            return out, tuple(d * slope for d in row.derivatives(z, *inputs))
        argument = () if bound is None else (bound,)
        out = row.forward(*inputs, *argument)
        return out, tuple(row.derivatives(out, *inputs, *argument))
    except _DOMAIN_ERRORS:
        return node.data, node.local_grads


@dataclass(frozen=True)
class FormulaCheck:
    """value: the formula at the graph's own numbers; right: equal to the derivative at
    every point; message: for a wrong one, what differs (a factor, the sign), else ""."""

    value: float
    right: bool
    message: str


@dataclass(frozen=True)
class Point:
    """One point a formula is compared at: the names a formula may use -> their numbers
    there, ∂of/∂wrt there by ``backward()``, and its chain-rule factors (symbol, value)
    when one path leads there. Nothing of it depends on the text typed."""

    variables: dict[str, float]
    truth: float
    factors: list[tuple[str, float]]


def derivative_points(root: Value, of: Value, wrt: Value, *, seed: int = 19) -> list[Point]:
    """The graph's own numbers, then ``POINTS`` seeded points with every labelled leaf
    scaled in [0.8, 1.25] (those where an op leaves its domain left out), each with
    ∂of/∂wrt and its factors: what ``check_formula`` compares a formula against."""
    names = node_names(root)
    rng = random.Random(seed)
    points = []
    for point in range(POINTS + 1):
        clone = _clone(root, rng, scaled=point > 0)
        if clone is None:
            continue
        clone_names = {new: names[old] for old, new in clone.items()}
        truth, path = _derivative(clone[of], clone[wrt], clone_names)
        points.append(Point(_variables(clone_names), truth, path))
    return points


def check_formula(
    text: str,
    root: Value,
    of: Value,
    wrt: Value,
    *,
    formulas: Mapping[str, str] | None = None,
    seed: int = 19,
    points: Sequence[Point] | None = None,
) -> FormulaCheck:
    """Check the formula ``text`` as ∂of/∂wrt in ``root``'s graph (see the module docstring;
    ``points``: ``derivative_points(root, of, wrt, seed=seed)``, if worked out already).

    Raises ExpressionError (a ValueError) when ``text`` is not a formula over the graph's
    names, and the engine's errors when it leaves an op's domain at the graph's numbers.
    """
    own = parse_expression(text, _variables(node_names(root))).data
    kept, typed = [], []
    for point in derivative_points(root, of, wrt, seed=seed) if points is None else points:
        try:
            typed.append(parse_expression(text, point.variables).data)
        except (ValueError, ZeroDivisionError, OverflowError):
            continue
        kept.append(point)
    truths = [point.truth for point in kept]
    if all(_close(t, s) for t, s in zip(truths, typed)):
        return FormulaCheck(own, True, "")
    factors = [point.factors for point in kept]
    variables = [point.variables for point in kept]
    return FormulaCheck(own, False, _difference(truths, typed, factors, variables, formulas or {}))


def _variables(names: Mapping[Value, str]) -> dict[str, float]:
    """The names a formula may use (``w1``, ``a2``, ``T``; not ``w1·x``) -> their numbers."""
    return {name: node.data for node, name in names.items() if re.fullmatch(r"[^\W\d]\w*", name)}


def _clone(root: Value, rng: random.Random, *, scaled: bool) -> dict[Value, Value] | None:
    """``root``'s graph rebuilt (each labelled leaf scaled by a random factor when
    ``scaled``), as old node -> new node; None where an op leaves its domain."""
    clone: dict[Value, Value] = {}
    for node in topological_order(root):
        if not node.op:
            factor = rng.uniform(0.8, 1.25) if scaled and node.label else 1.0
            clone[node] = Value(node.data * factor, node.label)
            continue
        new = replay(node, [clone[child] for child in node.inputs])
        if new is None:
            return None
        new.label = node.label
        clone[node] = new
    return clone


def _derivative(
    of: Value, wrt: Value, names: Mapping[Value, str]
) -> tuple[float, list[tuple[str, float]]]:
    """∂of/∂wrt by ``of.backward()`` on the rebuilt graph, and its chain-rule factors
    (symbol, value) when one path leads there."""
    of.backward()
    factors = []
    for merge in (True, False):  # between named nodes (∂E/∂a2), then each edge (∂f/∂(w·x))
        explanation = explain(of, wrt, merge_unlabelled=merge)
        path = explanation.paths[0] if len(explanation.paths) == 1 else []
        factors += [(factor.symbol, factor.value) for factor in path]
    return wrt.grad, factors


def _factor_name(
    symbol: str,
    values: Sequence[float],
    points: Sequence[Mapping[str, float]],
    formulas: Mapping[str, str],
) -> str:
    """A factor as the student knows it: its formula, else the variable it equals at every
    point (∂(w·x)/∂w is x), with its symbol."""
    if symbol in formulas:
        return f"{as_factor(formulas[symbol])} ({symbol})"
    for name in points[0]:
        if all(_close(point[name], value) for point, value in zip(points, values)):
            return f"{name} ({symbol})"
    return symbol


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-12)


def _difference(
    truths: Sequence[float],
    typed: Sequence[float],
    factors: Sequence[list[tuple[str, float]]],
    points: Sequence[Mapping[str, float]],
    formulas: Mapping[str, str],
) -> str:
    """What the formula has wrong: the sign, a factor missing, extra or replaced by another
    name's value (w1 for w2), or else only that it differs."""
    if all(_close(-t, s) for t, s in zip(truths, typed)):
        return "your formula has the wrong sign"
    for i, (symbol, _) in enumerate(factors[0] if factors else []):
        if not all(len(path) > i for path in factors):
            break
        values = [path[i][1] for path in factors]
        named = _factor_name(symbol, values, points, formulas)
        if all(_close(t * v, s) for t, v, s in zip(truths, values, typed)):
            return f"your formula has the factor {named} twice, or one too many"
        if all(v and _close(t / v, s) for t, v, s in zip(truths, values, typed)):
            return f"your formula misses the factor {named}"
        for name in points[0]:
            if all(
                v and _close(t / v * point[name], s)
                for t, v, s, point in zip(truths, values, typed, points)
            ):
                return f"your formula has {name} where the chain rule has the factor {named}"
    for number, what in ((2.0, "an extra factor 2"), (0.5, "a factor ½ too many")):
        if all(_close(t * number, s) for t, s in zip(truths, typed)):
            return f"your formula has {what}"
    return "your formula is not equal to it (compared at several points)"
