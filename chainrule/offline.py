"""The checking rule as data, for the offline step-through page (it has no Python).

``offline_checker(checker)`` is what ``chainrule/checking.js`` needs to run ``Checker.answer``
in a page, with no copy of the rule's cases written twice:

- the graph as data: each node's op table row (name and argument), its inputs, its numbers;
  the script replays them on the student's numbers (``Checker.numbers``) with its own small
  op table, one function pair per row, which a test compares with ``autograd.ops`` row by row;
- each gradient's terms, as the paths of local derivatives they multiply (``_Term.paths``);
- each question's catalogued mistakes as expressions over the student's numbers: traced by
  running ``chainrule.mistakes`` on Values instead of floats, so the catalogue stays in one
  place;
- each derivative's points for a formula typed as the answer
  (``chainrule.formulas.derivative_points``) and the printed notation the parser reads.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from autograd import ops
from autograd.expression import PRINTED_NOTATION
from autograd.graph import topological_order
from autograd.show.format import as_factor
from autograd.show.names import node_names
from autograd.value import Value
from chainrule.formulas import _variables
from chainrule.mistakes import BY_NAME, mistaken_values
from chainrule.questions import QUIT_WORDS, TRIES, Checker, _symbol


def offline_checker(checker: Checker) -> dict[str, Any]:
    """Everything ``checking.js`` reads to check answers as ``checker`` does (JSON-ready)."""
    order = checker._order
    index = {node: i for i, node in enumerate(order)}
    names = checker._names
    return {
        "figures": checker.significant_figures,
        "tries": TRIES,
        "quit": sorted(QUIT_WORDS),
        "lr": checker.lr,
        "root": index[checker.root],
        "nodes": [_node(node, index, names, node in checker._asked) for node in order],
        "gradients": _gradient_terms(checker, index),
        "parameters": [[index[p], names[p]] for p in checker._params],
        "questions": {q.quantity: _question(checker, q.quantity) for q in checker.questions},
        "notation": list(PRINTED_NOTATION.items()),
        "functions": {name: [row.argument, row.default] for name, row in ops.FUNCTIONS.items()},
    }


def _row(row: ops.Op) -> list[object]:
    """An op table row as [name, argument]: a number, an activation's name, or None."""
    bound = row.bound.name if isinstance(row.bound, ops.Op) else row.bound
    return [row.name, row.default if bound is None else bound]


def _node(
    node: Value, index: dict[Value, int], names: dict[Value, str], asked: bool
) -> dict[str, Any]:
    record: dict[str, Any] = {"name": names.get(node), "asked": asked, "data": node.data}
    if node.op:
        record.update(
            row=_row(node.row),
            inputs=[index[child] for child in node.inputs],
            grads=list(node.local_grads),
        )
    return record


def _gradient_terms(checker: Checker, index: dict[Value, int]) -> list[dict[str, Any]]:
    """Each gradient ``Checker.numbers`` works out, in its order, with its terms' paths."""
    names, root = checker._names, checker.root
    return [
        {
            "node": index[node],
            "quantity": _symbol(root, node, names),
            "terms": [
                {
                    "upstream": index[term.upstream],
                    "symbol": _symbol(term.upstream, node, names),
                    "paths": [[[index[n], i] for n, i in path] for path in term.paths],
                }
                for term in terms
            ],
        }
        for node, terms in checker.gradient_terms
    ]


def _question(checker: Checker, quantity: str) -> dict[str, Any]:
    question = checker.question(quantity)
    _, numbers = checker.numbers({})
    record: dict[str, Any] = {
        "expected": question.expected,
        "hint": question.hint,
        "mistakes": [
            [name, _expression(traced), BY_NAME[name].message(quantity, numbers)]
            for name, traced in _traced_mistakes(checker, quantity).items()
        ],
    }
    if quantity in checker._derivatives:
        points = checker.formula_points(quantity)
        symbols = {symbol for point in points for symbol, _ in point.factors}
        record["formula"] = {
            "own": _own_variables(checker),
            "points": [[p.variables, p.truth, p.factors] for p in points],
            "named": {
                s: f"{as_factor(checker.formulas[s])} ({s})"
                for s in symbols
                if s in checker.formulas
            },
        }
    return record


def _own_variables(checker: Checker) -> dict[str, float]:
    """The names a formula may use, at the graph's own numbers, as ``check_formula`` reads them."""
    return _variables(node_names(checker.root))


def _traced_mistakes(checker: Checker, quantity: str) -> dict[str, Value | float]:
    """Each catalogued mistake touching ``quantity``, computed on Values named by the
    student's numbers: the expression the page evaluates on them."""
    _, numbers = checker.numbers({})
    leaves = {name: Value(value, label=name) for name, value in numbers.values.items()}
    # Duck-typed: the catalogue's arithmetic runs on Values as on floats.
    traced = mistaken_values(quantity, replace(numbers, values=leaves))  # type: ignore[arg-type]
    return dict(traced)


def _expression(traced: Value | float) -> list[list[object]]:
    """A traced expression in postfix: ["n", name] a student's number, ["c", x] a constant,
    ["o", row, argument, [inputs]] an op over earlier entries; the last is the value."""
    if not isinstance(traced, Value):
        return [["c", traced]]
    order = topological_order(traced)
    index = {node: i for i, node in enumerate(order)}
    return [
        ["o", *_row(node.row), [index[c] for c in node.inputs]]
        if node.op
        else ["n", node.label]
        if node.label
        else ["c", node.data]
        for node in order
    ]
