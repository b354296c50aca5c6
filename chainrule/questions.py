"""Checking a student's number: one rule for the terminal quiz, the pages and the notebooks.

An answer is right when it agrees with the expected value to ``significant_figures``
significant figures (3 unless changed): it is within half a unit of the last such
figure of the expected value, or it is the expected value correctly rounded to
that many figures. ``0.0571``, ``5.71e-2``, ``.0571``, ``−0.4653`` (a typographic
minus) and ``0,0571`` (a decimal comma) are all read as numbers. An empty answer
is "empty", not "wrong", so a caller can tell "not answered yet" from a mistake.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from autograd import checks
from autograd.graph import topological_order
from autograd.show.draw import PARAMETER_LABEL
from autograd.show.format import format_number
from autograd.show.names import node_names
from autograd.show.trace import backward_steps
from autograd.value import Value

SIGNIFICANT_FIGURES = 3

Status = Literal["right", "wrong", "empty", "invalid"]

_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?")


@dataclass(frozen=True)
class Verdict:
    """The outcome of checking one answer.

    status: "right", "wrong", "empty" (nothing typed) or "invalid" (not a number).
    answer: the number read from the text; None when empty or invalid.
    expected: the value it was checked against.
    message: a short sentence for the student.
    """

    status: Status
    answer: float | None
    expected: float
    message: str

    @property
    def right(self) -> bool:
        return self.status == "right"


def parse_number(text: str) -> float | None:
    """The number a student typed, or None if ``text`` is not one (empty, ``nan``, ``1/2``)."""
    cleaned = text.strip().replace("\u2212", "-").replace(" ", "").lower()
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    if not _NUMBER.fullmatch(cleaned):
        return None
    value = float(cleaned)
    return value if math.isfinite(value) else None


def round_significant(value: float, significant_figures: int = SIGNIFICANT_FIGURES) -> float:
    """``value`` rounded to that many significant figures: 0.057094 -> 0.0571 (for 3)."""
    if value == 0.0:
        return 0.0
    return round(value, significant_figures - 1 - math.floor(math.log10(abs(value))))


def agrees(answer: float, expected: float, significant_figures: int = SIGNIFICANT_FIGURES) -> bool:
    """Whether ``answer`` matches ``expected`` to ``significant_figures`` significant figures.

    For expected = 0 the last figure is taken at 10^-significant_figures, so
    0.0004 counts as 0 to 3 figures and 0.002 does not.
    """
    exponent = math.floor(math.log10(abs(expected))) if expected else -1
    half_unit = 0.5 * 10.0 ** (exponent - significant_figures + 1)
    if abs(answer - expected) <= half_unit * (1 + 1e-9):
        return True
    return answer == round_significant(expected, significant_figures)


def shown_value(expected: float, significant_figures: int = SIGNIFICANT_FIGURES) -> str:
    """``expected`` as revealed to a student: rounded to the checked figures (0.0571)."""
    return f"{round_significant(expected, significant_figures):.{significant_figures}g}"


def check_answer(
    text: str, expected: float, significant_figures: int = SIGNIFICANT_FIGURES
) -> Verdict:
    """Check the text a student typed against ``expected``; see the module docstring."""
    checks.instance(text, "check_answer", "text", str)
    figures = checks.integer(significant_figures, "check_answer", "significant_figures", minimum=1)
    expected = checks.number(expected, "check_answer", "expected")
    shown = shown_value(expected, figures)
    if not text.strip():
        return Verdict("empty", None, expected, f"no answer yet; the value is {shown}")
    answer = parse_number(text)
    if answer is None:
        return Verdict("invalid", None, expected, f"{text.strip()!r} is not a number")
    if agrees(answer, expected, figures):
        return Verdict("right", answer, expected, f"right: {shown}")
    return Verdict("wrong", answer, expected, f"not {text.strip()}")


# --- The questions of a graph: forward values, gradients, updated parameters ---------------

Kind = Literal["forward", "local", "backward", "update"]


@dataclass(frozen=True)
class Question:
    """One quantity for the student to work out.

    kind: "forward" (a node's value), "local" (a local derivative ∂u/∂v, asked
        only with ``local_derivatives=True``), "backward" (∂root/∂v) or
        "update" (a parameter after one step of gradient descent).
    quantity: its name as the lesson writes it (``z1``, ``∂E/∂w2``, ``new w2``);
        unique within one list of questions.
    prompt: the line shown to the student, ending in ``= ?``.
    expected: the value, checked with ``check_answer``.
    hint: shown after a wrong answer: the formula, and the factors found earlier.
    step: for local and backward questions, the step of ``backward_steps(root)``
        after which the gradient is complete (1 is the root's step); else None.
    """

    kind: Kind
    quantity: str
    prompt: str
    expected: float
    hint: str
    step: int | None = None

    def check(self, text: str, significant_figures: int = SIGNIFICANT_FIGURES) -> Verdict:
        """``check_answer(text, self.expected, significant_figures)``."""
        return check_answer(text, self.expected, significant_figures)

    def to_dict(self) -> dict[str, object]:
        """The question as JSON-ready data (the page embeds a list of these)."""
        return {
            "kind": self.kind,
            "quantity": self.quantity,
            "prompt": self.prompt,
            "expected": self.expected,
            "hint": self.hint,
            "step": self.step,
        }


@dataclass
class _Term:
    """∂root/∂v gets ∂root/∂upstream · ∂upstream/∂v: the local factor, summed over the
    paths from ``upstream`` down to v through unnamed nodes, and its formulas."""

    upstream: Value
    local: float
    formulas: list[str]


def graph_questions(
    root: Value,
    names: Mapping[Value, str] | None = None,
    *,
    asked: Iterable[Value] | None = None,
    parameters: Iterable[Value] | None = None,
    lr: float | None = None,
    formulas: Mapping[str, str] | None = None,
    local_derivatives: bool = False,
) -> list[Question]:
    """The questions of ``root``'s graph, in the order a student works them by hand.

    1. forward: the value of each asked computed node, inputs first;
    2. backward: ∂root/∂v for each asked computed node v (the root excepted:
       ∂root/∂root = 1) and each parameter, as ``backward_steps(root)`` completes
       its gradient -- ∂root/∂v = Σ over the nearest asked nodes u above v of
       ∂root/∂u · ∂u/∂v, where ∂u/∂v multiplies the local derivatives along each
       path through unasked nodes (``w2·a1`` between z2 and w2); with
       ``local_derivatives`` each ∂u/∂v is asked first as its own question;
    3. update, when ``lr`` is given: each parameter p -> p − lr · ∂root/∂p.

    names: each node's name (default ``autograd.show.names.node_names(root)``).
    asked: the nodes asked about (default: every labelled node); the root and the
        parameters are always asked, other inputs never (they are given).
    parameters: the leaves that learn (default: leaves labelled like a weight or
        bias, w, w1, b2, as ``draw_graph`` colours them).
    formulas: a quantity's or a factor's formula by its name ("z1": "w1·x + b1",
        "∂a2/∂z2": "a2 (1 − a2)"), used in hints instead of the generated ones.
    The graph itself is not changed: no ``.grad`` is read or set.
    """
    names = dict(node_names(root) if names is None else names)
    order = topological_order(root)
    if parameters is None:
        parameters = [n for n in order if not n.op and PARAMETER_LABEL.fullmatch(n.label)]
    params = list(dict.fromkeys(parameters))
    asked_set = {n for n in (order if asked is None else asked) if n.label or n in params}
    asked_set = {n for n in asked_set if n.op or n in params} | set(params) | {root}
    formulas = dict(formulas or {})
    root_name = names[root]
    learning_rate = None if lr is None else checks.positive_number(lr, "graph_questions", "lr")
    _check_unique(asked_set | {root}, names)

    grads, completed_at = _gradients(root)
    questions = [
        _forward_question(node, names, formulas) for node in order if node.op and node in asked_set
    ]
    gradient_order = sorted(
        (n for n in asked_set if n is not root and n in completed_at),
        key=lambda n: completed_at[n],
    )
    terms = _terms(root, asked_set, names)
    previous = None
    for node in gradient_order:
        step = completed_at[node][0]
        node_terms = terms[node]
        if local_derivatives:
            questions += [
                _local_question(term, node, names, formulas, step)
                for term in node_terms
                if term.upstream is not root  # that one is the gradient itself
            ]
        questions.append(
            _backward_question(node, node_terms, grads, names, root, formulas, step, previous)
        )
        previous = node
    if learning_rate is not None:
        reached = [n for n in gradient_order if n in params]
        questions += [
            _update_question(p, grads.get(p, 0.0), learning_rate, names[p], root_name)
            for p in reached
        ]
    return questions


def _check_unique(nodes: Iterable[Value], names: Mapping[Value, str]) -> None:
    seen: dict[str, Value] = {}
    for node in nodes:
        name = names[node]
        if name in seen and seen[name] is not node:
            raise ValueError(
                f"graph_questions: expected the asked nodes to have different names, "
                f"got two named {name!r}"
            )
        seen[name] = node


def _gradients(root: Value) -> tuple[dict[Value, float], dict[Value, tuple[int, int]]]:
    """∂root/∂v for every node, as ``backward_steps`` adds it up, and for each input the
    (step, input position) of its last contribution: when its gradient is complete."""
    grads: dict[Value, float] = {root: 1.0}
    completed_at: dict[Value, tuple[int, int]] = {root: (1, -1)}
    for step in backward_steps(root):
        for position, (child, contribution) in enumerate(zip(step.inputs, step.contributions)):
            grads[child] = grads.get(child, 0.0) + contribution
            completed_at[child] = (step.index, position)
    return grads, completed_at


def _terms(root: Value, asked: set[Value], names: Mapping[Value, str]) -> dict[Value, list[_Term]]:
    """For each asked node v, its terms: the nearest asked nodes u above it (or the root)
    with ∂u/∂v summed over the paths between them through unasked computed nodes."""
    terms: dict[Value, dict[Value, _Term]] = {}
    for upstream in topological_order(root, include_leaves=False):
        if upstream is not root and upstream not in asked:
            continue
        # Depth first over the edges, first inputs first: paths are listed in input order.
        stack: list[tuple[Value, float, list[str]]] = [
            (child, local, [_local_formula(upstream, i, names)])
            for i, (child, local) in reversed(
                list(enumerate(zip(upstream.inputs, upstream.local_grads)))
            )
        ]
        while stack:
            node, product, path = stack.pop()
            if node in asked:
                term = terms.setdefault(node, {}).setdefault(upstream, _Term(upstream, 0.0, []))
                term.local += product
                term.formulas.append(_product(path))
            elif node.op:
                stack += [
                    (child, product * local, [*path, _local_formula(node, i, names)])
                    for i, (child, local) in reversed(
                        list(enumerate(zip(node.inputs, node.local_grads)))
                    )
                ]
    return {node: list(by_upstream.values()) for node, by_upstream in terms.items()}


def _shown_name(node: Value, names: Mapping[Value, str]) -> str:
    """A node's name inside a formula: an unnamed constant by its value, a compound name
    in parentheses."""
    if not node.op and not node.label:
        return f"{node.data:g}"
    name = names[node]
    return name if re.fullmatch(r"[\w.\[\],′]+", name) else f"({name})"


def _local_formula(node: Value, i: int, names: Mapping[Value, str]) -> str:
    """∂node/∂(its i-th input) as a formula over the names (σ' = σ (1 − σ), …)."""
    out = _shown_name(node, names)
    inputs = [_shown_name(child, names) for child in node.inputs]
    op = node.op
    if op == "+" or (op == "-" and i == 0):
        return "1"
    if op in ("-", "neg"):
        return "(−1)"
    if op == "*":
        return inputs[1 - i]
    if op == "/":
        return f"1/{inputs[1]}" if i == 0 else f"−{inputs[0]}/{inputs[1]}²"
    if op == "w·x+b":
        half = (len(inputs) - 1) // 2
        return "1" if i == len(inputs) - 1 else inputs[(i + half) % (2 * half)]
    if op.startswith("**") and len(op) > 2:
        exponent = float(op[2:])
        power = "" if exponent == 2 else f"^{exponent - 1:g}"
        return f"{exponent:g}·{inputs[0]}{power}"
    if op == "**":
        return f"{inputs[1]}·{inputs[0]}^({inputs[1]} − 1)" if i == 0 else f"{out}·log {inputs[0]}"
    by_op = {
        "exp": out,
        "log": f"1/{inputs[0]}",
        "tanh": f"1 − {out}²",
        "sigmoid": f"{out} (1 − {out})",
    }
    return by_op.get(op, f"{node.local_grads[i]:g}")


def _product(factors: Sequence[str]) -> str:
    """Formulas multiplied, the factors 1 left out."""
    kept = [factor for factor in factors if factor != "1"]
    return " · ".join(kept) or "1"


def _forward_question(
    node: Value, names: Mapping[Value, str], formulas: Mapping[str, str]
) -> Question:
    name = names[node]
    inputs = [_shown_name(child, names) for child in node.inputs]
    if name in formulas:
        formula = formulas[name]
    elif node.op == "w·x+b":
        half = (len(inputs) - 1) // 2
        formula = " + ".join([*map("·".join, zip(inputs[:half], inputs[half:])), inputs[-1]])
    elif node.op in ("+", "-", "*", "/", "**"):
        symbol = {"*": "·", "-": "−"}.get(node.op, node.op)
        formula = f" {symbol} ".join(inputs)
    elif node.op == "neg":
        formula = f"−{inputs[0]}"
    elif node.op.startswith("**"):
        formula = f"{inputs[0]}^{node.op[2:]}"
    else:
        function = "σ" if node.op == "sigmoid" else node.op
        formula = f"{function}({', '.join(inputs)})"
    given = ", ".join(
        f"{names[known]} = {format_number(known.data)}" for known in _named_inputs(node)
    )
    hint = f"{name} = {formula}" + (f", with {given}" if given else "")
    return Question("forward", name, f"{name} = ?", node.data, hint)


def _named_inputs(node: Value) -> list[Value]:
    """The labelled nodes ``node`` is computed from, looking through unlabelled ones
    (z1 = (w1·x) + b1 is computed from w1, x and b1), first inputs first."""
    found: dict[Value, None] = {}
    stack = list(reversed(node.inputs))
    while stack:
        child = stack.pop()
        if child.label:
            found[child] = None
        else:
            stack += reversed(child.inputs)
    return list(found)


def _symbol(of: Value, wrt: Value, names: Mapping[Value, str]) -> str:
    return f"∂{names[of]}/∂{names[wrt]}"


def _local_question(
    term: _Term,
    node: Value,
    names: Mapping[Value, str],
    formulas: Mapping[str, str],
    step: int,
) -> Question:
    symbol = _symbol(term.upstream, node, names)
    formula = formulas.get(symbol, " + ".join(term.formulas))
    hint = f"{symbol} = {formula}: the derivative of {names[term.upstream]} alone"
    return Question("local", symbol, f"{symbol} = ?", term.local, hint, step)


def _backward_question(
    node: Value,
    terms: Sequence[_Term],
    grads: Mapping[Value, float],
    names: Mapping[Value, str],
    root: Value,
    formulas: Mapping[str, str],
    step: int,
    previous: Value | None,
) -> Question:
    quantity = _symbol(root, node, names)
    chain, found = [], []
    for term in terms:
        local_symbol = _symbol(term.upstream, node, names)
        local = f"{local_symbol} = {formulas.get(local_symbol, ' + '.join(term.formulas))}"
        if term.upstream is root:  # a local derivative of the root: its formula is the hint
            chain.append(local.partition(" = ")[2])
            continue
        upstream_symbol = _symbol(root, term.upstream, names)
        when = " a step ago" if term.upstream is previous else ""
        chain.append(f"{upstream_symbol} · {local_symbol}")
        found.append(
            f"you found {upstream_symbol} = {format_number(grads[term.upstream])}{when}, "
            f"and {local}"
        )
    hint = f"{quantity} = {' + '.join(chain)}" + (f": {'; '.join(found)}" if found else "")
    return Question("backward", quantity, f"{quantity} = ?", grads[node], hint, step)


def _update_question(
    parameter: Value, grad: float, lr: float, name: str, root_name: str
) -> Question:
    quantity = f"new {name}"
    hint = (
        f"{quantity} = {name} − lr · ∂{root_name}/∂{name} = "
        f"{format_number(parameter.data)} − {lr:g} · {_factor(format_number(grad))}"
    )
    return Question("update", quantity, f"{quantity} = ?", parameter.data - lr * grad, hint)


def _factor(number: str) -> str:
    """A number as a factor of a product: a negative one in parentheses."""
    return f"({number})" if number.startswith("-") else number
