"""Build a graph from a formula typed as text, safely: parsed with ``ast``, never evaluated.

    parse_expression("tanh(w * x + b)", {"w": 0.5, "x": 1.5, "b": 0.1})

Allowed: numbers, the given variables (each becomes one labelled leaf Value,
shared by every use, so ``x * x`` has two edges to ``x``), ``+ - * / **``,
unary ``-`` and ``+``, and the engine's functions exp, log, tanh, sigmoid, relu
and leaky_relu called as ``f(x)`` (``leaky_relu(x, 0.1)`` takes a number as its
slope). Everything else -- names not given, attribute access, subscripts, other
calls, keywords, comparisons, strings, lambdas, statements -- is rejected with an
ExpressionError that names what was rejected, quoting the text as typed. The tree is
walked with an explicit stack, so long formulas do not hit Python's recursion limit;
nesting deeper than MAX_DEPTH (``-(-(-...x))``, ``x + x + ... + x`` with more than
MAX_DEPTH terms) is refused with an ExpressionError. Variable names are normalised
to NFKC, as Python normalises identifiers, so a variable ``ﬁ`` is the formula's ``fi``.
"""

from __future__ import annotations

import ast
import math
import unicodedata
from collections.abc import Callable, Mapping
from typing import cast

from autograd import checks, ops
from autograd.value import Value

OP = "parse_expression"  # the prefix of every error message
MAX_LENGTH = 10_000
MAX_DEPTH = 1_000  # levels of nesting; Python's own parser gives up near 3000
FUNCTIONS: dict[str, ops.Op] = ops.FUNCTIONS  # the op table's rows called as f(x)
BINARY_OPS: dict[type[ast.operator], Callable[[Value, Value], Value]] = {
    ast.Add: Value.__add__,
    ast.Sub: Value.__sub__,
    ast.Mult: Value.__mul__,
    ast.Div: Value.__truediv__,
    ast.Pow: Value.__pow__,
}
REJECTED_KINDS: dict[type[ast.AST], str] = {
    ast.Attribute: "attribute access",
    ast.Subscript: "subscript",
    ast.Compare: "comparison",
    ast.BoolOp: "boolean operator",
    ast.Lambda: "lambda",
    ast.IfExp: "conditional expression",
    ast.JoinedStr: "f-string",
    ast.List: "list",
    ast.Tuple: "tuple",
    ast.Dict: "dict",
    ast.Set: "set",
    ast.ListComp: "comprehension",
    ast.SetComp: "comprehension",
    ast.DictComp: "comprehension",
    ast.GeneratorExp: "comprehension",
    ast.Starred: "starred expression",
    ast.NamedExpr: "assignment expression",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
    ast.Slice: "slice",
}
OPERATOR_SYMBOLS: dict[type[ast.AST], str] = {
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.MatMult: "@",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitOr: "|",
    ast.BitXor: "^",
    ast.BitAnd: "&",
    ast.Not: "not",
    ast.Invert: "~",
}
CONSTANT_KINDS: dict[type, str] = {
    str: "string",
    bytes: "bytes",
    bool: "boolean",
    complex: "complex number",
}
TOO_DEEP = f"nesting more than {MAX_DEPTH} levels deep"
ALLOWED = "numbers, the given variables, + - * / ** and " + ", ".join(FUNCTIONS)


class ExpressionError(ValueError):
    """The text is not a formula that ``parse_expression`` accepts."""


class _Rejected(Exception):
    """A part of the formula that is not allowed; parse_expression quotes it from the text.

    ``named``: a sub-part quoted in the description itself (the callee of an unknown call).
    """

    def __init__(self, what: str, node: ast.AST, named: ast.AST | None = None) -> None:
        super().__init__(what)
        self.what = what
        self.node = node
        self.named = named


PRINTED_NOTATION = {
    "·": "*",
    "×": "*",
    "−": "-",
    "²": "**2",
    "³": "**3",
    "^": "**",
    "σ": "sigmoid",
    "½": "0.5*",
}
"""How chainrule prints formulas (``½(T − a2)²``, ``a2·(1 − a2)``) -> Python's notation."""


def as_python(text: str) -> str:
    """``text`` in Python's notation: the printed ``·``, ``−``, ``²``, ``^``, ``σ``, ``½``
    replaced (``PRINTED_NOTATION``), so every formula chainrule prints parses back."""
    for printed, python in PRINTED_NOTATION.items():
        text = text.replace(printed, python)
    return text


def parse_expression(text: str, variables: Mapping[str, float]) -> Value:
    """Build the graph of the formula ``text`` and return its root Value.

    ``variables`` maps each name the formula may use to its number; each
    becomes a leaf ``Value(number, label=name)``. Raises ExpressionError (a
    ValueError) naming the part of the text that is not allowed, TypeError for
    text, a name or a number of the wrong type, and the engine's own errors for
    values outside an op's domain (``log(0)``). Every message of the parser
    starts with "parse_expression: ". The printed notation of chainrule's formulas
    is read too (``as_python``): ``½(T − a2)²`` is ``0.5*(T - a2)**2``.
    """
    checks.instance(text, OP, "the expression", str)
    checks.instance(variables, OP, "variables", Mapping)
    if len(text) > MAX_LENGTH:
        raise _error(f"the expression has {len(text)} characters, more than {MAX_LENGTH}")
    leaves = _leaves(variables)
    source = as_python(text).strip()
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as error:
        raise _error(
            f"not a valid expression: {error.msg} (column {error.offset}) in {_excerpt(text)!r}"
        ) from None
    except (RecursionError, MemoryError):  # Python's parser gives up: deeper still
        raise _not_allowed(TOO_DEEP, source) from None
    try:
        return _build(tree.body, leaves)
    except _Rejected as rejected:
        # The part as typed, cut from the text by its position: ast.unparse would
        # recurse through the part and fail on a deeply nested one.
        part = ast.get_source_segment(source, rejected.node) or source
        what = rejected.what
        if rejected.named is not None:
            what += repr(_excerpt(ast.get_source_segment(source, rejected.named) or ""))
        raise _not_allowed(what, part) from None


def _leaves(variables: Mapping[str, float]) -> dict[str, Value]:
    """One leaf Value per variable, keyed by its name in NFKC form (as Python reads names)."""
    leaves: dict[str, Value] = {}
    given: dict[str, str] = {}
    for name, number in variables.items():
        normal = _variable_name(name)
        if normal in leaves:
            raise _error(
                f"variable names {given[normal]!r} and {name!r} are the same name {normal!r} "
                "once normalised (NFKC, as Python reads names)"
            )
        given[normal] = name
        leaves[normal] = _variable(name, normal, number)
    return leaves


def _variable_name(name: object) -> str:
    """``name`` in NFKC form; it must be an identifier that is not a function."""
    name = checks.instance(name, OP, "a variable name", str)
    normal = unicodedata.normalize("NFKC", name)
    if not normal.isidentifier() or normal in FUNCTIONS:
        raise _error(
            f"expected variable name {name!r} to be an identifier other than {', '.join(FUNCTIONS)}"
        )
    return normal


def _variable(name: str, normal: str, number: object) -> Value:
    """The leaf Value of the variable ``name`` (``normal`` in NFKC form), labelled ``normal``."""
    try:
        data = checks.number(number, OP, f"variable {name!r}")
    except ValueError as error:  # a wrong value (nan, inf): an ExpressionError like the rest
        raise ExpressionError(str(error)) from None
    return Value(data, label=normal)


def _not_allowed(what: str, part: str) -> ExpressionError:
    return _error(f"{what} is not allowed: {_excerpt(part)!r}; use {ALLOWED}")


def _build(root: ast.expr, leaves: dict[str, Value]) -> Value:
    """Walk the syntax tree children-first with an explicit stack, making one Value per node.

    A node deeper than MAX_DEPTH raises ExpressionError before anything is built below it.
    """
    results: list[Value] = []
    stack: list[tuple[ast.expr, int]] = [(root, 1)]  # depth 0: children done, combine
    while stack:
        node, depth = stack.pop()
        if not depth:
            count = len(_children(node))
            operands = results[len(results) - count :]
            del results[len(results) - count :]
            results.append(_combine(node, operands, leaves))
        elif depth > MAX_DEPTH:
            raise _Rejected(TOO_DEEP, root)
        else:
            stack.append((node, 0))
            stack.extend((child, depth + 1) for child in reversed(_children(node)))
    return results[0]


def _children(node: ast.expr) -> list[ast.expr]:
    """The sub-expressions that become Values, after checking that ``node`` is allowed."""
    if isinstance(node, ast.Constant) or _is_number(node):
        _number(node)  # rejects strings, booleans, None, complex numbers
        return []
    if isinstance(node, ast.Name):
        return []
    if isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, (ast.USub, ast.UAdd)):
            raise _Rejected(f"operator {_symbol(node.op)}", node)
        return [node.operand]
    if isinstance(node, ast.BinOp):
        if type(node.op) not in BINARY_OPS:
            raise _Rejected(f"operator {_symbol(node.op)}", node)
        if isinstance(node.op, ast.Pow) and _is_number(node.right):
            return [node.left]  # x ** 2: a number exponent, the engine's "**2" op
        return [node.left, node.right]
    if isinstance(node, ast.Call):
        return _call_arguments(node)
    raise _Rejected(REJECTED_KINDS.get(type(node), type(node).__name__), node)


def _call_arguments(call: ast.Call) -> list[ast.expr]:
    """The Value argument of an allowed call; a row's optional argument (leaky_relu's
    slope) must be a number."""
    if not isinstance(call.func, ast.Name) or call.func.id not in FUNCTIONS:
        raise _Rejected("unknown function ", call, named=call.func)
    name = call.func.id
    if call.keywords:
        raise _Rejected("keyword argument", call)
    if any(isinstance(argument, ast.Starred) for argument in call.args):
        raise _Rejected("starred argument", call)
    argument = FUNCTIONS[name].argument
    most = 2 if argument else 1
    if not 1 <= len(call.args) <= most:
        expected = f"1 or 2 arguments (x, {argument})" if argument else "1 argument"
        raise _Rejected(f"{name} with {len(call.args)} arguments (expected {expected})", call)
    if len(call.args) == 2 and not _is_number(call.args[1]):
        raise _Rejected(f"a {argument} that is not a number", call)
    return [call.args[0]]


def _combine(node: ast.expr, operands: list[Value], leaves: dict[str, Value]) -> Value:
    """The Value of ``node`` from the Values of its children (``_children``'s order)."""
    if isinstance(node, ast.Constant) or _is_number(node):
        return Value(_number(node))
    if isinstance(node, ast.Name):
        if node.id not in leaves:
            given = ", ".join(leaves) or "none"
            raise _error(f"unknown name {node.id!r} (variables given: {given})")
        return leaves[node.id]
    if isinstance(node, ast.UnaryOp):
        return -operands[0] if isinstance(node.op, ast.USub) else operands[0]
    if isinstance(node, ast.BinOp):
        if len(operands) == 1:
            return operands[0] ** _number(node.right)
        return BINARY_OPS[type(node.op)](*operands)
    call = node
    assert isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
    method = getattr(operands[0], call.func.id)  # the row's Value method
    return cast(Value, method(*map(_number, call.args[1:])))


def _is_number(node: ast.expr) -> bool:
    """True for a number literal, with any unary signs: 2, -0.5, +3."""
    while isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        node = node.operand
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, (int, float))
        and not isinstance(node.value, bool)
    )


def _number(node: ast.expr) -> float:
    """The float of a number literal with any unary signs; anything else is rejected."""
    sign = 1.0
    literal = node
    while isinstance(literal, ast.UnaryOp) and isinstance(literal.op, (ast.USub, ast.UAdd)):
        if isinstance(literal.op, ast.USub):
            sign = -sign
        literal = literal.operand
    if not _is_number(literal):
        value = getattr(literal, "value", None)
        raise _Rejected(CONSTANT_KINDS.get(type(value), "constant"), node)
    assert isinstance(literal, ast.Constant) and isinstance(literal.value, (int, float))
    try:
        number = float(literal.value)
    except OverflowError:  # an int literal beyond the largest float
        number = math.inf
    if math.isinf(number):  # 1e400 parses as inf
        raise _error(
            "a number in the expression is too large for a float (the largest is about 1.8e308)"
        )
    return sign * number


def _symbol(op: ast.AST) -> str:
    """An operator as written, e.g. "//" for ast.FloorDiv."""
    return OPERATOR_SYMBOLS.get(type(op), type(op).__name__)


def _excerpt(text: str) -> str:
    """``text``, shortened to 80 characters for an error message."""
    return text if len(text) <= 80 else text[:77] + "..."


def _error(message: str) -> ExpressionError:
    """Every error of the parser reads ``parse_expression: ...``, like the engine's own."""
    return ExpressionError(f"{OP}: {message}")
