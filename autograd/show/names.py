"""Names for the nodes of a graph, as a person reads them: ``x``, ``0.5``, ``w1·x``, ``(T − a2)²``.

A labelled node is named by its label. An unlabelled leaf (a number constant)
is named by its value. An unlabelled computed node is named by its expression
over its inputs' names, as the lesson writes it (``w1·x``, ``T − a2``,
``(T − a2)²``, ``σ(z1)``), with parentheses only where precedence needs them.
Past ``MAX_NAME_LENGTH`` characters the long operands become ``…``
(``σ(…)``, ``… + b2``), so a name stays short and still says what the node is.
Names are unique within a graph: a name met again gets ``#2``, ``#3``, ... in
topological order (a label keeps its text; a generated name never takes one).
Names are for graphs a person reads: past ``MAX_NAMED_NODES`` nodes, counted first,
``node_names`` (and ``explain``, ``graph_questions``) refuse in a fraction of a second.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from autograd import checks
from autograd.graph import count_nodes, topological_order
from autograd.ops import WEIGHTED_SUM, Op, short_number
from autograd.value import Value

MAX_NAME_LENGTH = 20
MAX_NAMED_NODES = 200_000  # explain's 100,000 edges and their constants; backward() has no limit
ELIDED = "…"
MINUS = "\u2212"  # the minus sign of typeset maths, as in the lesson's "T − a2"

# Precedence of a name as an operand: a sum binds loosest, an atom (a label, a
# number, a function call, ``…``) tightest; a negative number binds looser than
# anything, so it is always parenthesised as an operand: ``(−1)·x``.
NEGATIVE, SUM, PRODUCT, POWER, ATOM = range(5)
INFIX = {"+": (" + ", SUM), "-": (f" {MINUS} ", SUM), "*": ("·", PRODUCT), "/": (" / ", PRODUCT)}
SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")

WORD = re.compile(r"[\w.\[\],]+(#\d+)?")  # a2, w1#2, w2[1,3]

Name = tuple[str, int]  # a name's text and its precedence as an operand


def node_names(root: Value, *, max_nodes: int = MAX_NAMED_NODES) -> dict[Value, str]:
    """Each node of ``root``'s graph -> its name, listed in ``topological_order(root)``.

    Raises ValueError if the graph has more than ``max_nodes`` nodes (counted first).
    """
    checks.instance(root, "node_names", "root", Value)
    refuse_unnameable(root, "node_names", max_nodes)
    return names_in_order(topological_order(root))


def refuse_unnameable(root: Value, op: str, max_nodes: int = MAX_NAMED_NODES) -> None:
    """Raise ValueError, naming ``op``, if ``root``'s graph has more than ``max_nodes`` nodes:
    counted with ``count_nodes``, which stops at the limit, so a refusal costs O(max_nodes)."""
    max_nodes = checks.integer(max_nodes, op, "max_nodes", minimum=1)
    if count_nodes(root, max_nodes) > max_nodes:
        raise ValueError(
            f"{op}: the graph of {checks.shown(root)} has more than {max_nodes} "
            f"nodes, too many to name and read; use a smaller graph (backward() itself has "
            f"no limit)"
        )


def names_in_order(order: Sequence[Value]) -> dict[Value, str]:
    """The names of ``order``'s nodes (inputs listed before their users), unique, in its order."""
    labels = {node.label for node in order if node.label}
    used: set[str] = set()
    names: dict[Value, str] = {}
    # How each node can be written inside its users' expressions, longest first: a computed
    # node's name, then shorter forms with more of it elided, down to "…".
    forms: dict[Value, list[Name]] = {}
    # The last #copy taken per (base, labelled): the search for a free name resumes there,
    # so a chain of n nodes with one base name costs n, not n^2 (every smaller copy is taken).
    last_copy: dict[tuple[str, bool], int] = {}
    for node in order:
        if node.label:
            forms[node] = [(node.label, ATOM)]
        else:
            forms[node] = _forms(node, forms)
        base = forms[node][0][0]
        key = (base, bool(node.label))
        name, copy = base, last_copy.get(key, 1)
        if copy > 1:
            name = f"{base}#{copy}"
        # A label may repeat a generated name's text; a generated name never takes a label's.
        while name in used or (not node.label and name in labels):
            copy += 1
            name = f"{base}#{copy}"
        last_copy[key] = copy
        if name != base and (node.label or node.op):
            # Its users must not read as using the first one; a number reads the same anyway.
            forms[node][0] = (name, forms[node][0][1])
        used.add(name)
        names[node] = name
    return names


CODE_SPELLING = {
    "·": "_",
    f" {MINUS} ": "_minus_",
    " + ": "_plus_",
    "²": "_squared",
    "[": "_",
    ",": "_",
    "]": "",
    "(": "",
    ")": "",
}


def code_names(root: Value) -> dict[Value, str]:
    """Each node's name spelled as a Python identifier where it can be (``w1·x`` -> ``w1_x``,
    ``w1[2,1]`` -> ``w1_2_1``), for ``compile_graph(names=...)``: only identifiers are used."""
    spelled = {}
    for node, name in node_names(root).items():
        for text, code in CODE_SPELLING.items():
            name = name.replace(text, code)
        spelled[node] = name
    return spelled


def partial(of: str, wrt: str) -> str:
    """The symbol of d of / d wrt for two names: "∂E/∂a2", "∂E/∂(T − a2)"."""
    return f"∂{_bracketed(of)}/∂{_bracketed(wrt)}"


def _bracketed(name: str) -> str:
    """A name as it reads after ∂: a single word (``a2``, ``w1#2``) as is, an expression in ()."""
    return name if WORD.fullmatch(name) else f"({name})"


def number_name(value: float) -> str:
    """A constant as written: 2.0 -> "2", 0.5 -> "0.5", -1.0 -> "−1", 1/3 -> "0.3333"."""
    text = str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:.4g}"
    return text.replace("-", MINUS)


def _forms(node: Value, forms: dict[Value, list[Name]]) -> list[Name]:
    """An unlabelled node's forms, its name first: a number's value; an expression over its
    inputs' longest forms that fit in MAX_NAME_LENGTH, then over shorter ones, then "…"."""
    if not node.op:
        return [(number_name(node.data), NEGATIVE if node.data < 0.0 else ATOM)]
    row = node.row
    if isinstance(row.bound, Op):  # dense_layer's act(w·x+b): a neuron, told apart by its bias
        function = row.bound.symbol
        short = f"{function}(Σw·x + {forms[node.inputs[-1]][0][0]})"
        return [(short if len(short) <= MAX_NAME_LENGTH else f"{function}(Σw·x + b)", ATOM)]
    fitting = []
    for level in range(MAX_NAME_LENGTH):  # level k: each input at its k-th form (or its last)
        operands = [forms[child][min(level, len(forms[child]) - 1)] for child in node.inputs]
        name = _expression(row, operands)
        if len(name[0]) <= MAX_NAME_LENGTH:
            fitting.append(name)
        if all(level >= len(forms[child]) - 1 for child in node.inputs):
            break
    if not fitting:  # even its inputs' shortest forms are too long: say what the node is
        if row is WEIGHTED_SUM:  # a neuron's weighted sum, told apart by its bias where it fits
            short = f"Σw·x + {forms[node.inputs[-1]][0][0]}"
            fitting.append((short if len(short) <= MAX_NAME_LENGTH else "Σw·x + b", SUM))
        else:
            fitting.append(_expression(row, [(ELIDED, ATOM)] * len(node.inputs)))
    return [*dict.fromkeys(fitting), (ELIDED, ATOM)]


def _expression(row: Op, operands: Sequence[Name]) -> Name:
    """``row``'s op applied to operands written as given, parenthesised where precedence
    needs it."""
    op = row.name
    if op in INFIX:
        symbol, precedence = INFIX[op]
        (left, left_precedence), (right, right_precedence) = operands
        # a − (b + c) and a / (b·c) need their parentheses; a + (b − c) and a·(b·c) do not.
        right_needs = precedence + (op in "-/")
        return (
            f"{_operand(left, left_precedence, precedence)}{symbol}"
            f"{_operand(right, right_precedence, right_needs)}",
            precedence,
        )
    if row.kind == "prefix":
        return f"{MINUS}{_operand(*operands[0], POWER)}", PRODUCT
    if row.kind == "power" and row.arity == 2:  # a Value exponent
        (base, base_precedence), (exponent, exponent_precedence) = operands
        written_base = _operand(base, base_precedence, ATOM)
        return f"{written_base}^{_operand(exponent, exponent_precedence, ATOM)}", POWER
    if row.kind == "power" and isinstance(row.bound, float):  # a number exponent, its argument
        exponent = short_number(row.bound)
        power = (
            exponent.translate(SUPERSCRIPTS) if exponent.lstrip("-").isdigit() else f"^{exponent}"
        )
        return f"{_operand(*operands[0], ATOM)}{power}", POWER
    if row.kind == "sum":  # weighted_sum: the weights, then the inputs, then the bias
        n = (len(operands) - 1) // 2
        terms = [
            f"{_operand(*w, PRODUCT)}·{_operand(*x, PRODUCT)}"
            for w, x in zip(operands[:n], operands[n : 2 * n])
        ]
        return " + ".join([*terms, _operand(*operands[-1], SUM)]), SUM
    arguments = ", ".join(text for text, _ in operands)
    return f"{row.symbol}({arguments})", ATOM


def _operand(text: str, precedence: int, needed: int) -> str:
    """``text`` as an operand that needs at least precedence ``needed``: parenthesised if lower."""
    return text if precedence >= needed else f"({text})"
