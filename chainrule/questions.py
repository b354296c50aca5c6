"""Checking a student's number: one rule for the terminal quiz, the pages and the notebooks.

``Checker`` is that rule for a quiz (``graph_questions``): error carried forward from the
student's own answers, the catalogued mistakes (``chainrule.mistakes``) named, the rules
of ``rules()`` (tries, quit words, scoring). ``check_answer`` below is its plain part: one
number against one value.

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
from dataclasses import dataclass, replace
from typing import Any, Literal, Union

from autograd import checks
from autograd.descent import gradient_step
from autograd.graph import topological_order
from autograd.ops import Op, short_number
from autograd.show.format import as_product, format_number
from autograd.show.names import node_names, refuse_unnameable
from autograd.show.trace import backward_steps
from autograd.value import Value
from chainrule.formulas import Point, check_formula, derivative_points, replay_numbers
from chainrule.mistakes import BY_NAME, Numbers, mistaken_values

SIGNIFICANT_FIGURES = 3
MAX_SIGNIFICANT_FIGURES = 15  # a float holds 15 decimal figures exactly; 17 would fail 0.415

Status = Literal["right", "wrong", "empty", "invalid", "quit"]

_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?")


@dataclass(frozen=True)
class Verdict:
    """The outcome of checking one answer.

    status: "right", "wrong", "empty" (nothing typed) or "invalid" (not a number).
    answer: the number read from the text; None when empty or invalid.
    expected: the value it was checked against.
    message: a short sentence for the student.
    mistake: the name of the catalogued mistake the answer matches (``chainrule.mistakes``).
    finished: the question is over (answered right, or its value shown): ``Checker.answer``.
    """

    status: Status
    answer: float | None
    expected: float
    message: str
    mistake: str | None = None
    finished: bool = False

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


_DECIMAL = re.compile(r"[-−]?\d+\.\d+(?:e[-+]?\d+)?")


def hide_pending(
    text: str, pending: Iterable[float], significant_figures: int = SIGNIFICANT_FIGURES
) -> str:
    """``text`` with every decimal number that gives away a pending answer -- agrees with
    it to ``significant_figures`` -- written ``?`` (a drawing's labels, a caption)."""
    values = list(pending)

    def hide(found: re.Match[str]) -> str:
        number = float(found.group().replace("−", "-"))
        gives_away = any(agrees(number, value, significant_figures) for value in values)
        return "?" if gives_away else found.group()

    return _DECIMAL.sub(hide, text) if values else text


def shown_value(expected: float, significant_figures: int = SIGNIFICANT_FIGURES) -> str:
    """``expected`` as revealed to a student: rounded to the checked figures (0.0571)."""
    return f"{round_significant(expected, significant_figures):.{significant_figures}g}"


def check_answer(
    text: str, expected: float, significant_figures: int = SIGNIFICANT_FIGURES
) -> Verdict:
    """Check the text a student typed against ``expected``; see the module docstring."""
    checks.instance(text, "check_answer", "text", str)
    figures = checks.integer(
        significant_figures,
        "check_answer",
        "significant_figures",
        minimum=1,
        maximum=MAX_SIGNIFICANT_FIGURES,
    )
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
    paths from ``upstream`` down to v through unnamed nodes, its formulas, and the paths
    as their edges (node, input position), upstream's first."""

    upstream: Value
    local: float
    formulas: list[str]
    paths: list[list[tuple[Value, int]]]


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
    parameters: the leaves that learn (``model.parameters()``; none by default, so
        there are no update questions), as ``draw_graph(parameters=)`` colours them.
    formulas: a quantity's or a factor's formula by its name ("z1": "w1·x + b1",
        "∂a2/∂z2": "a2·(1 − a2)"), used in hints instead of the generated ones.
    The graph itself is not changed: no ``.grad`` is read or set. A graph of more than
    ``MAX_NAMED_NODES`` nodes (``autograd.show.names``) is refused, counted first.
    """
    checks.instance(root, "graph_questions", "root", Value)
    refuse_unnameable(root, "graph_questions")
    names, order, params, asked_set = _asked(root, names, asked, parameters)
    formulas = dict(formulas or {})
    root_name = names[root]
    learning_rate = None if lr is None else checks.positive_number(lr, "graph_questions", "lr")

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


def _asked(
    root: Value,
    names: Mapping[Value, str] | None,
    asked: Iterable[Value] | None,
    parameters: Iterable[Value] | None,
) -> tuple[dict[Value, str], list[Value], list[Value], set[Value]]:
    """graph_questions' defaults: (names, the topological order, the parameters, the asked
    nodes)."""
    names = dict(node_names(root) if names is None else names)
    order = topological_order(root)
    params = list(dict.fromkeys(parameters or ()))
    asked_set = {n for n in (order if asked is None else asked) if n.label or n in params}
    asked_set = {n for n in asked_set if n.op or n in params} | set(params) | {root}
    _check_unique(asked_set, names)
    return names, order, params, asked_set


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


def _terms(
    root: Value,
    asked: set[Value],
    names: Mapping[Value, str],
    local_grads: Mapping[Value, Sequence[float]] | None = None,
) -> dict[Value, list[_Term]]:
    """For each asked node v, its terms: the nearest asked nodes u above it (or the root)
    with ∂u/∂v summed over the paths between them through unasked computed nodes.
    ``local_grads``: each node's local derivatives, if not its own (``Value.local_grads``)."""
    local_grads = local_grads or {}
    terms: dict[Value, dict[Value, _Term]] = {}
    for upstream in topological_order(root, include_leaves=False):
        if upstream is not root and upstream not in asked:
            continue
        # Depth first over the edges, first inputs first: paths are listed in input order.
        # A path is a linked trail of (node, input position) edges, extended in O(1); its
        # formula is written only when it reaches an asked node (a long chain of unasked
        # nodes would otherwise be copied at every step: n² on a chain of n).
        stack: list[tuple[Value, float, _Trail]] = [
            (child, local, (None, (upstream, i)))
            for i, (child, local) in reversed(
                list(
                    enumerate(zip(upstream.inputs, local_grads.get(upstream, upstream.local_grads)))
                )
            )
        ]
        while stack:
            node, product, trail = stack.pop()
            if node in asked:
                term = terms.setdefault(node, {}).setdefault(upstream, _Term(upstream, 0.0, [], []))
                term.local += product
                edges = _trail_edges(trail)
                term.paths.append(edges)
                term.formulas.append(_product([_local_formula(n, i, names) for n, i in edges]))
            elif node.op:
                stack += [
                    (child, product * local, (trail, (node, i)))
                    for i, (child, local) in reversed(
                        list(enumerate(zip(node.inputs, local_grads.get(node, node.local_grads))))
                    )
                ]
    return {node: list(by_upstream.values()) for node, by_upstream in terms.items()}


_Trail = Union[tuple["_Trail", tuple[Value, int]], None]  # noqa: UP007 - a runtime alias


def _trail_edges(trail: _Trail) -> list[tuple[Value, int]]:
    """The edges (node, input position) of ``trail``, from its first to its last."""
    edges = []
    while trail is not None:
        trail, edge = trail
        edges.append(edge)
    return edges[::-1]


def _shown_name(node: Value, names: Mapping[Value, str]) -> str:
    """A node's name inside a formula: an unnamed constant by its value, a compound name
    in parentheses."""
    if not node.op and not node.label:
        return f"{node.data:g}"
    name = names[node]
    return name if re.fullmatch(r"[\w.\[\],′]+", name) else f"({name})"


def _local_formula(node: Value, i: int, names: Mapping[Value, str]) -> str:
    """∂node/∂(its i-th input) over the names, as its op table row writes it (σ·(1 − σ), …)."""
    inputs = [_shown_name(child, names) for child in node.inputs]
    return node.row.local_formula(i, _shown_name(node, names), inputs)


def _product(factors: Sequence[str]) -> str:
    """Formulas multiplied, right as written (``as_product``), the factors 1 left out."""
    return as_product(factor for factor in factors if factor != "1") or "1"


def _forward_question(
    node: Value, names: Mapping[Value, str], formulas: Mapping[str, str]
) -> Question:
    name = names[node]
    inputs = [_shown_name(child, names) for child in node.inputs]
    formula = formulas[name] if name in formulas else _written(node.row, inputs)
    given = ", ".join(
        f"{names[known]} = {format_number(known.data)}" for known in _named_inputs(node)
    )
    hint = f"{name} = {formula}" + (f", with {given}" if given else "")
    return Question("forward", name, f"{name} = ?", node.data, hint)


def _written(row: Op, inputs: Sequence[str]) -> str:
    """``row``'s op over the inputs' names, as its row writes it: w1·x + b1, σ(z1), x^2."""
    if row.kind == "sum":
        half = (len(inputs) - 1) // 2
        weighted = " + ".join([*map("·".join, zip(inputs[:half], inputs[half:])), inputs[-1]])
        return f"{row.bound.symbol}({weighted})" if isinstance(row.bound, Op) else weighted
    if row.kind == "infix":
        return f" {row.symbol} ".join(inputs)
    if row.kind == "prefix":
        return f"{row.symbol}{inputs[0]}"
    if row.kind == "power":  # a number exponent is the row's argument
        exponent = short_number(row.bound) if isinstance(row.bound, float) else inputs[1]
        return f"{inputs[0]}^{exponent}"
    return f"{row.symbol}({', '.join(inputs)})"


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


_ERROR_DERIVATIVE = re.compile(r"\(([\w\[\],]+) − (T[\w\[\],]*)\)")


def lecture_form(formula: str) -> str | None:
    """The lecture's way of writing an output's error derivative: for ``(a2 − T)``,
    ``−(T − a2), as the lecture writes it``; None for any other formula."""
    found = _ERROR_DERIVATIVE.fullmatch(formula)
    if not found:
        return None
    output, target = found.groups()
    return f"−({target} − {output}), as the lecture writes it"


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
            formula = local.partition(" = ")[2]
            chain.append(
                f"{formula} = {lecture_form(formula)}" if lecture_form(formula) else formula
            )
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
    return Question(
        "update", quantity, f"{quantity} = ?", gradient_step(parameter.data, grad, lr), hint
    )


def _factor(number: str) -> str:
    """A number as a factor of a product: a negative one in parentheses."""
    return f"({number})" if number.startswith("-") else number


# --- Fair checking: error carried forward, catalogued mistakes, one set of rules ----------

TRIES = 3
"""Wrong answers to a question before its value is shown."""
QUIT_WORDS = frozenset({"q", "quit", "exit", "stop"})
"""Typed as an answer, each ends the quiz (with the score so far)."""
RULES = (
    "An answer is right when it matches the true value, or the value that follows from your "
    "own earlier answers, to {figures} significant figures and is nearer to it than to a "
    "catalogued mistake; a question scores when right within {tries} tries; text that is not "
    "a number costs no try; Enter shows the value; q or quit ends."
)
"""The rules, one line, stated by every front end (``rules()``)."""


def rules(significant_figures: int = SIGNIFICANT_FIGURES) -> str:
    """The checking and scoring rules in one line, as every front end states them."""
    return RULES.format(figures=significant_figures, tries=TRIES)


def half_unit(value: float, significant_figures: int = SIGNIFICANT_FIGURES) -> float:
    """Half a unit of the last of ``significant_figures`` figures of ``value`` (0.00005 for
    0.0571 to 3 figures; for 0 the last figure is taken at 10^-significant_figures)."""
    exponent = math.floor(math.log10(abs(value))) if value else -1
    return 0.5 * 10.0 ** (exponent - significant_figures + 1)


@dataclass(frozen=True)
class Carried:
    """A quantity worked from the student's own numbers: ``value``, and ``error``, how far
    rounding each intermediate number to the checked figures can move it."""

    value: float
    error: float


@dataclass(frozen=True)
class KeyEntry:
    """One line of an answer key: a question's true value and the value each catalogued
    mistake gives there (``{"sign": -0.4653, ...}``), both on the key's own numbers."""

    quantity: str
    kind: Kind
    value: float
    mistakes: dict[str, float]

    def to_dict(self) -> dict[str, object]:
        return {
            "quantity": self.quantity,
            "kind": self.kind,
            "value": self.value,
            "mistakes": dict(self.mistakes),
        }


class Checker:
    """The one checking rule, run by the terminal, the notebook, the pages and the site.

    ``Checker(root, **options)`` asks ``graph_questions(root, **options)``. An answer
    to a question is right when it is within the tolerance of the true value or of the
    value carried forward from the student's own earlier answers (``carried``), and
    nearer to it than to the value of any catalogued mistake (``chainrule.mistakes``)
    worked on those same numbers. The tolerance is half a unit of the last checked
    figure plus what rounding the intermediate numbers to that many figures can move
    the result. So ``new w1 = 0.15`` is refused (it is the old w1: the mistake is
    nearer), while 0.465 × 0.204 = 0.0949 for ∂E/∂z2 is right after a2 = 0.715 and
    ∂E/∂a2 = 0.465 were accepted.

    ``answer(quantity, text)`` applies the rules of ``rules()`` (tries, quit words,
    non-numbers, revealing) and keeps the score; ``check`` only checks.
    """

    def __init__(
        self,
        root: Value,
        *,
        significant_figures: int = SIGNIFICANT_FIGURES,
        names: Mapping[Value, str] | None = None,
        asked: Iterable[Value] | None = None,
        parameters: Iterable[Value] | None = None,
        lr: float | None = None,
        formulas: Mapping[str, str] | None = None,
        local_derivatives: bool = False,
    ) -> None:
        self.root = root
        self.significant_figures = checks.integer(
            significant_figures, "Checker", "significant_figures", minimum=1
        )
        self.questions = graph_questions(
            root,
            names,
            asked=asked,
            parameters=parameters,
            lr=lr,
            formulas=formulas,
            local_derivatives=local_derivatives,
        )
        self._names, self._order, self._params, self._asked = _asked(root, names, asked, parameters)
        self.lr = lr
        self.formulas = dict(formulas or {})
        self.by_quantity = {q.quantity: q for q in self.questions}
        terms = _terms(root, self._asked, self._names)
        _, completed_at = _gradients(root)
        completed = sorted((n for n in terms if n in completed_at), key=completed_at.__getitem__)
        self.gradient_terms = [(node, terms[node]) for node in completed]
        """Each gradient ``numbers`` works out, in the order backward completes them, with its
        terms (the nearest asked nodes above it and the paths of local derivatives between)."""
        self._derivatives = {
            _symbol(of, wrt, self._names): (of, wrt)
            for wrt, node_terms in terms.items()
            for of in (root, *(term.upstream for term in node_terms))
        }
        """Each derivative question -> (of, wrt): ∂E/∂a2 -> (E, a2), ∂a2/∂z2 -> (a2, z2)."""
        self._chains = {
            _symbol(root, node, self._names): [path for term in node_terms for path in term.paths]
            for node, node_terms in self.gradient_terms
            if all(term.upstream is root for term in node_terms)
        }
        """Each gradient worked from the root alone -> its paths (``Numbers.chains``)."""
        self._points: dict[str, list[Point]] = {}
        self.restart()

    def restart(self) -> None:
        """Forget the student's answers: a new student on the same questions."""
        self.sheet: dict[str, float] = {}
        """The student's numbers so far: each answer accepted, each value shown."""
        self.typed: dict[str, float] = {}
        """The last number the student typed for each question, right or not: a student
        who carries a refused a1 = 0.60 on consistently loses one mark, not ten."""
        self.tries: dict[str, int] = {}
        self.scored: dict[str, bool] = {}
        """Each finished question -> whether it scored."""

    def shown(self, quantity: str, value: float | None = None) -> str:
        """``value`` (default: the true value) as shown to the student: to the checked
        figures, or more where fewer cannot tell it from a catalogued mistake (0.1496 for
        new w1, whose old value is 0.15)."""
        value = self.question(quantity).expected if value is None else value
        _, numbers = self.numbers()
        mistakes = [m for m in mistaken_values(quantity, numbers).values() if not _same(m, value)]
        figures = self.significant_figures
        while figures < 8 and any(
            round_significant(m, figures) == round_significant(value, figures) for m in mistakes
        ):
            figures += 1
        return shown_value(value, figures)

    def question(self, quantity: str) -> Question:
        if quantity not in self.by_quantity:
            raise KeyError(f"Checker: no question about {quantity!r}")
        return self.by_quantity[quantity]

    # -- the student's own numbers carried forward --

    def numbers(
        self, sheet: Mapping[str, float] | None = None
    ) -> tuple[dict[str, Carried], Numbers]:
        """Every question's value worked from ``sheet`` (default: the student's accepted
        and shown numbers, ``self.sheet``), and all the numbers a mistake is recomputed from."""
        names, figures = self._names, self.significant_figures
        sheet = self.sheet if sheet is None else sheet
        values: dict[Value, Carried] = {}
        local_grads: dict[Value, tuple[float, ...]] = {}
        for node in self._order:
            if not node.op:
                values[node] = Carried(node.data, 0.0)
                continue
            data, local_grads[node] = replay_numbers(node, [values[c].value for c in node.inputs])
            error = sum(abs(g) * values[c].error for c, g in zip(node.inputs, local_grads[node]))
            name = names.get(node, "")
            if node in self._asked and name in sheet:
                values[node] = Carried(sheet[name], 0.0)
            else:
                rounding = 0.0 if node in self._asked else half_unit(data, figures)
                values[node] = Carried(data, error + rounding)
        carried = {names[n]: values[n] for n in self._order if n in self._asked and n.op}
        grads: dict[Value, Carried] = {self.root: Carried(1.0, 0.0)}
        for node, node_terms in self.gradient_terms:
            value = error = 0.0
            for term in node_terms:
                symbol = _symbol(term.upstream, node, names)
                total = sum(_path_product(path, local_grads) for path in term.paths)
                local = Carried(
                    total, 0.0 if abs(total) in (0.0, 1.0) else half_unit(total, figures)
                )
                local = Carried(sheet[symbol], 0.0) if symbol in sheet else local
                carried[symbol] = local
                upstream = grads.get(term.upstream, Carried(0.0, 0.0))
                value += upstream.value * local.value
                error += abs(local.value) * upstream.error + abs(upstream.value) * local.error
            quantity = _symbol(self.root, node, names)
            grads[node] = (
                Carried(sheet[quantity], 0.0) if quantity in sheet else Carried(value, error)
            )
            carried[quantity] = grads[node]
        if self.lr is not None:
            for p in self._params:
                grad = grads.get(p, Carried(0.0, 0.0))
                carried[f"new {names[p]}"] = Carried(
                    p.data - self.lr * grad.value, self.lr * grad.error
                )
        everything = {names[n]: values[n].value for n in self._order if n in names}
        everything.update({q: c.value for q, c in carried.items()})
        if self.lr is not None:
            everything["lr"] = self.lr
        ops = {names[n]: n.op for n in self._order if n.op and n in names}
        return carried, Numbers(everything, ops, self.root, names, self._chains)

    # -- checking --

    def check(self, quantity: str, text: str) -> Verdict:
        """Check ``text`` for ``quantity`` against the true value, the value carried
        forward and the catalogued mistakes; records nothing."""
        question = self.question(quantity)
        checks.instance(text, "Checker.check", "text", str)
        figures = self.significant_figures
        if not text.strip():
            shown = self.shown(quantity)
            return Verdict("empty", None, question.expected, f"the value is {shown}")
        answer = parse_number(text)
        if answer is None and quantity in self._derivatives:
            return self._check_formula(question, text.strip())
        if answer is None:
            return Verdict("invalid", None, question.expected, f"{text.strip()!r} is not a number")
        carried, numbers = self.numbers()
        own = carried.get(quantity, Carried(question.expected, 0.0))
        earlier = {q: v for q, v in {**self.sheet, **self.typed}.items() if q != quantity}
        typed = self.numbers(earlier)[0].get(quantity, own)
        candidates = [
            (question.expected, half_unit(question.expected, figures)),
            (own.value, half_unit(own.value, figures) + own.error),
            (typed.value, half_unit(typed.value, figures) + typed.error),
        ]
        mistakes = {
            name: value
            for name, value in mistaken_values(quantity, numbers).items()
            if not any(_same(value, c) for c, _ in candidates)
        }
        for value, tolerance in candidates:
            distance = abs(answer - value)
            close = distance <= tolerance * (1 + 1e-9) or answer == round_significant(
                value, figures
            )
            if close and all(distance < abs(answer - m) for m in mistakes.values()):
                return Verdict("right", answer, value, f"right: {self.shown(quantity, value)}")
        if mistakes:
            name = min(mistakes, key=lambda n: abs(answer - mistakes[n]))
            wrong = mistakes[name]
            scale = abs(wrong / own.value) if own.value else 1.0
            if abs(answer - wrong) <= (half_unit(wrong, figures) + own.error * scale) * (1 + 1e-9):
                message = f"not {text.strip()}: {BY_NAME[name].message(quantity, numbers)}"
                return Verdict("wrong", answer, question.expected, message, name)
        return Verdict("wrong", answer, question.expected, f"not {text.strip()}")

    def _check_formula(self, question: Question, text: str) -> Verdict:
        """A derivative typed as a formula over the graph's names (``chainrule.formulas``):
        right when it equals ``backward()`` at several points; else the catalogued
        mistake its value matches, or the factor it misses or has too many."""
        try:
            found = check_formula(
                text,
                self.root,
                *self._derivatives[question.quantity],
                formulas=self.formulas,
                points=self.formula_points(question.quantity),
            )
        except (ValueError, ZeroDivisionError, OverflowError) as error:
            reason = str(error).removeprefix("parse_expression: ")
            message = f"{text!r} is not a number or a formula of this graph: {reason}"
            return Verdict("invalid", None, question.expected, message)
        shown = self.shown(question.quantity)
        if found.right:
            return Verdict("right", found.value, question.expected, f"right: {shown}")
        _, numbers = self.numbers()
        for name, wrong in mistaken_values(question.quantity, numbers).items():
            if _same(found.value, wrong) and not _same(wrong, question.expected):
                message = f"not {text}: {BY_NAME[name].message(question.quantity, numbers)}"
                return Verdict("wrong", found.value, question.expected, message, name)
        return Verdict("wrong", found.value, question.expected, f"not {text}: {found.message}")

    def formula_points(self, quantity: str) -> list[Point]:
        """The points a formula typed for the derivative ``quantity`` is compared at
        (``chainrule.formulas.derivative_points``), worked out once."""
        if quantity not in self._points:
            of, wrt = self._derivatives[quantity]
            self._points[quantity] = derivative_points(self.root, of, wrt)
        return self._points[quantity]

    def answer(self, quantity: str, text: str) -> Verdict:
        """``check``, then the rules: a quit word ends ("quit"), a non-number costs no
        try, Enter (empty) or the ``TRIES``-th wrong answer shows the value; a right
        answer or a shown value goes on the sheet for the questions after it."""
        question = self.question(quantity)
        if text.strip().lower() in QUIT_WORDS:
            return Verdict("quit", None, question.expected, "quit")
        if quantity in self.scored:
            return self.check(quantity, text)
        verdict = self.check(quantity, text)
        if verdict.status == "invalid":
            return replace(
                verdict,
                message=f"{verdict.message}; type a number (or a formula), "
                "Enter to see the value, q to quit",
            )
        if verdict.status == "right":
            self.sheet[quantity] = verdict.answer if verdict.answer is not None else 0.0
            self.scored[quantity] = True
            return replace(verdict, finished=True)
        if verdict.answer is not None:
            self.typed[quantity] = verdict.answer
        tries = self.tries[quantity] = self.tries.get(quantity, 0) + 1
        if verdict.status == "empty" or tries >= TRIES:
            shown = self.shown(quantity)
            self.sheet[quantity] = float(shown)
            self.scored[quantity] = False
            message = f"the value is {shown}: {question.hint}"
            if verdict.status == "wrong":
                message = f"{verdict.message}; {message}"
            return replace(verdict, message=message, finished=True)
        hint = "" if verdict.mistake else f". Hint: {question.hint}"
        return replace(verdict, message=f"{verdict.message} (try {tries} of {TRIES}){hint}")

    def score(self) -> tuple[int, int]:
        """(questions scored, questions finished)."""
        return sum(self.scored.values()), len(self.scored)

    def key(self) -> list[KeyEntry]:
        """The answer key on the graph's own numbers: each question's true value and the
        value of every catalogued mistake that touches it."""
        saved, self.sheet = self.sheet, {}
        try:
            _, numbers = self.numbers()
        finally:
            self.sheet = saved
        return [
            KeyEntry(
                q.quantity,
                q.kind,
                q.expected,
                {
                    name: value
                    for name, value in mistaken_values(q.quantity, numbers).items()
                    if not _same(value, q.expected)
                },
            )
            for q in self.questions
        ]


def _path_product(
    path: Sequence[tuple[Value, int]], local_grads: Mapping[Value, Sequence[float]]
) -> float:
    """The local derivatives along ``path`` multiplied, from its first edge (as ``_terms``)."""
    (first, i), *rest = path
    product = local_grads[first][i]
    for node, j in rest:
        product = product * local_grads[node][j]
    return product


def answer_key(root: Value, **options: Any) -> list[KeyEntry]:
    """``Checker(root, **options).key()``: every question's value and its mistakes' values."""
    return Checker(root, **options).key()


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))
