"""parse_expression: formulas become graphs; everything that is not a formula is refused."""

import builtins
import math
import re

import pytest

from autograd import Value, topological_order
from autograd.expression import MAX_LENGTH, ExpressionError, parse_expression


def sigmoid(a: float) -> float:
    return 1.0 / (1.0 + math.exp(-a))


def leaky(a: float, slope: float = 0.01) -> float:
    return a if a > 0 else slope * a


# (formula, plain-float reference of x, y): the reference is written independently in Python.
FORMULAS = [
    ("x * x + x", lambda x, y: x * x + x),
    ("x - y / 2", lambda x, y: x - y / 2),
    ("-x ** 2", lambda x, y: -(x**2)),
    ("x ** -1.5 + 2 ** x", lambda x, y: x**-1.5 + 2**x),
    ("x ** y", lambda x, y: x**y),
    ("+x * -2", lambda x, y: -2 * x),
    ("tanh(x * y + 0.5)", lambda x, y: math.tanh(x * y + 0.5)),
    ("exp(x) / log(y)", lambda x, y: math.exp(x) / math.log(y)),
    ("sigmoid(x - y)", lambda x, y: sigmoid(x - y)),
    ("relu(x - y) + relu(y - x)", lambda x, y: abs(x - y)),
    ("leaky_relu(x - y) + leaky_relu(x - y, 0.2)", lambda x, y: leaky(x - y) + leaky(x - y, 0.2)),
    ("3", lambda x, y: 3.0),
]


@pytest.mark.parametrize(("formula", "reference"), FORMULAS)
def test_formulas_compute_what_they_say(formula, reference):
    x, y = 1.25, 2.5
    root = parse_expression(formula, {"x": x, "y": y})
    assert isinstance(root, Value)
    assert root.data == pytest.approx(reference(x, y), rel=1e-12)


@pytest.mark.parametrize(("formula", "reference"), FORMULAS)
def test_gradients_match_central_differences(formula, reference):
    x, y, h = 1.25, 2.5, 1e-6
    root = parse_expression(formula, {"x": x, "y": y})
    root.backward()
    leaves = {node.label: node for node in topological_order(root) if node.label}
    dx = (reference(x + h, y) - reference(x - h, y)) / (2 * h)
    dy = (reference(x, y + h) - reference(x, y - h)) / (2 * h)
    assert leaves.get("x", Value(0.0)).grad == pytest.approx(dx, abs=1e-6)
    assert leaves.get("y", Value(0.0)).grad == pytest.approx(dy, abs=1e-6)


def test_each_variable_is_one_labelled_leaf_shared_by_every_use():
    root = parse_expression("x * x", {"x": 1.5})
    (x,) = {id(node): node for node in root.inputs}.values()
    assert root.inputs == (x, x) and x.label == "x" and x.op == ""


def test_a_number_exponent_is_the_engines_power_op():
    assert parse_expression("x ** 2", {"x": 3.0}).op == "**2"
    assert parse_expression("x ** -0.5", {"x": 4.0}).op == "**-0.5"
    assert parse_expression("x ** y", {"x": 3.0, "y": 2.0}).op == "**"


@pytest.mark.parametrize(
    ("formula", "named"),
    [
        ("x.data", "attribute access"),
        ("x.__class__.__bases__", "attribute access"),
        ("x[0]", "subscript"),
        ("__import__('os').system('true')", "unknown function \"__import__('os').system\""),
        ("open('/etc/passwd')", "unknown function 'open'"),
        ("abs(x)", "unknown function 'abs'"),
        ("lambda: 1", "lambda"),
        ("exp(x=1)", "keyword argument"),
        ("exp(*x)", "starred argument"),
        ("x < 1", "comparison"),
        ("x and 1", "boolean operator"),
        ("'text'", "string"),
        ("b'bytes'", "bytes"),
        ("True", "boolean"),
        ("2j", "complex number"),
        ("None", "constant"),
        ("x // 2", "operator //"),
        ("x % 2", "operator %"),
        ("not x", "operator not"),
        ("~x", "operator ~"),
        ("[x]", "list"),
        ("(x, 1)", "tuple"),
        ("x if x else 1", "conditional expression"),
        ("(z := 1)", "assignment expression"),
        ("f'{x}'", "f-string"),
        ("exp(x, 2)", "exp with 2 arguments"),
        ("leaky_relu(x, x)", "slope that is not a number"),
        ("leaky_relu()", "leaky_relu with 0 arguments"),
    ],
)
def test_anything_else_is_rejected_naming_what(formula, named):
    with pytest.raises(ExpressionError, match=r"^parse_expression: .*not allowed") as error:
        parse_expression(formula, {"x": 1.0})
    assert named in str(error.value)


@pytest.mark.parametrize(
    ("formula", "message"),
    [
        ("import os", "not a valid expression"),
        ("x = 1", "not a valid expression"),
        ("x +", "not a valid expression"),
        ("y * 2", "unknown name 'y' (variables given: x)"),
        ("1e400 * x", "a number in the expression is too large for a float"),
        ("9" * 400, "a number in the expression is too large for a float"),
        ("(" * 500 + "x" + ")" * 500, "not a valid expression: too many nested parentheses"),
        ("-" * 5000 + "x", "the expression is nested too deeply to parse: '-----"),
    ],
)
def test_invalid_text_raises_expression_error(formula, message):
    with pytest.raises(ExpressionError, match="^" + re.escape(f"parse_expression: {message}")):
        parse_expression(formula, {"x": 1.0})


def test_expression_error_is_a_value_error():
    assert issubclass(ExpressionError, ValueError)


def test_the_text_is_never_evaluated(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("eval/exec must not be called")

    for name in ("eval", "exec"):  # ast.parse compiles to a syntax tree only: it stays
        monkeypatch.setattr(builtins, name, refuse)
    assert parse_expression("tanh(x) * 2", {"x": 0.5}).data == pytest.approx(2 * math.tanh(0.5))
    with pytest.raises(ExpressionError):
        parse_expression("__import__('os').system('echo hacked')", {"x": 1.0})


def test_long_formulas_do_not_hit_the_recursion_limit():
    root = parse_expression(" + ".join(["x"] * 600), {"x": 0.5})
    assert root.data == 300.0
    root.backward()
    assert root.inputs[1].grad == 600.0


def test_overlong_text_is_refused_before_parsing():
    with pytest.raises(ExpressionError, match=f"more than {MAX_LENGTH}"):
        parse_expression("x + " * MAX_LENGTH + "x", {"x": 1.0})


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"exp": 1.0}, "expected variable name 'exp' to be an identifier other than exp,"),
        ({"x y": 1.0}, "expected variable name 'x y' to be an identifier"),
        ({"x": math.nan}, "expected variable 'x' to be a finite number, got nan"),
    ],
)
def test_bad_variables_are_refused(variables, message):
    with pytest.raises(ExpressionError, match="^" + re.escape(f"parse_expression: {message}")):
        parse_expression("1", variables)


@pytest.mark.parametrize(
    ("text", "variables", "message"),
    [
        (b"x", {"x": 1.0}, "expected the expression to be a str, got b'x' (bytes)"),
        ("x", [("x", 1.0)], "expected variables to be a Mapping, got [('x', 1.0)] (list)"),
        ("x", {"x": "1"}, "expected variable 'x' to be a number, got '1' (str)"),
        ("x", {"x": True}, "expected variable 'x' to be a number, got True (bool)"),
        ("x", {1: 1.0}, "expected a variable name to be a str, got 1 (int)"),
    ],
)
def test_wrong_types_are_type_errors(text, variables, message):
    with pytest.raises(TypeError, match="^" + re.escape(f"parse_expression: {message}")):
        parse_expression(text, variables)


def test_domain_errors_come_from_the_engine():
    with pytest.raises(ValueError, match=r"log: needs a positive input, got -1\.0"):
        parse_expression("log(x)", {"x": -1.0})
    with pytest.raises(ZeroDivisionError):
        parse_expression("1 / x", {"x": 0.0})
