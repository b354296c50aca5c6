"""Extreme and wrong inputs to the engine: valid ones computed, bad ones named (issue 11).

Each class of finding has its test here: numbers beyond a float, quotients whose
inverse overflows, labels that cannot be drawn, arguments of the wrong type,
formulas nested too deeply for ``ast``'s recursive helpers, and names that Python
reads in NFKC form.
"""

from __future__ import annotations

import math
import sys
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import ExpressionError, Value, draw_graph, parse_expression
from autograd.expression import MAX_DEPTH
from autograd.gradcheck import gradcheck

finite = st.floats(allow_nan=False, allow_infinity=False)


# -- numbers beyond a float ------------------------------------------------
@pytest.mark.parametrize("big", [10**400, -(10**400), 2**1024])
def test_an_int_beyond_a_float_is_a_value_error_naming_the_op(big):
    with pytest.raises(ValueError, match=r"^Value: expected a finite number, got -?\d+\.\.\.") as e:
        Value(big)
    assert "characters)" in str(e.value) and len(str(e.value)) < 120  # shortened, not 400 digits
    with pytest.raises(ValueError, match=r"^\+: expected a finite number"):
        Value(1.0) + big


# -- a / b when 1/b overflows ------------------------------------------------
@pytest.mark.parametrize(
    ("a", "b"), [(1e-10, 1e-310), (0.0, 1e-310), (1e-300, 5e-324), (1e-300, -1e-309)]
)
def test_a_finite_quotient_is_computed_even_when_the_inverse_overflows(a, b):
    assert math.isinf(1.0 / b)  # the inverse alone is not a float
    assert (Value(a) / Value(b)).data == a / b
    assert (a / Value(b)).data == a / b


@given(finite, finite.filter(lambda b: b != 0.0))
def test_the_quotient_is_the_correctly_rounded_a_over_b(a, b):
    expected = a / b
    if math.isfinite(expected):
        quotient = Value(a) / Value(b)
        assert quotient.data == expected
        assert quotient.local_grads[0] == 1.0 / b
    else:
        with pytest.raises(OverflowError, match=r"^/: result -?inf is not finite"):
            Value(a) / Value(b)


# -- labels --------------------------------------------------------------------
@pytest.mark.parametrize("label", [123, None, b"x", ["x"]])
def test_a_label_that_is_not_text_is_refused_where_it_is_given(label):
    with pytest.raises(TypeError, match=r"^Value: expected label to be a str, got "):
        Value(1.0, label=label)
    value = Value(1.0, label="x")
    with pytest.raises(TypeError, match=r"^Value: expected label to be a str, got "):
        value.label = label
    assert value.label == "x"  # unchanged


def test_a_lone_surrogate_label_is_refused_naming_the_character():
    with pytest.raises(
        ValueError, match=r"^Value: expected label to be text that UTF-8 can encode"
    ):
        Value(1.0, label="x\ud800")
    with pytest.raises(ValueError, match=r"lone surrogate"):
        Value(1.0).label = "\udfff"


def test_labels_from_ops_and_setters_are_kept():
    x = Value(2.0, label="x")
    y = x * 3
    assert (x.label, y.label) == ("x", "")
    y.label = "ÿ ∂E/∂w"
    assert y.label == "ÿ ∂E/∂w" and "label='ÿ ∂E/∂w'" in repr(y)


# -- draw_graph and gradcheck arguments ------------------------------------------
@pytest.mark.parametrize("root", [5, 2.5, None, [Value(1.0)]])
def test_draw_graph_of_something_else_than_a_value_names_the_argument(root):
    with pytest.raises(TypeError, match=r"^draw_graph: expected root to be a Value, got "):
        draw_graph(root)


def test_draw_graph_refuses_a_title_that_cannot_be_written():
    with pytest.raises(TypeError, match=r"^draw_graph: expected title to be a str"):
        draw_graph(Value(1.0), title=5)
    with pytest.raises(ValueError, match=r"^draw_graph: expected title to be text that UTF-8"):
        draw_graph(Value(1.0), title="\ud800")


@pytest.mark.parametrize(
    ("eps", "error", "message"),
    [
        ("a", TypeError, r"expected eps to be a number, got 'a' \(str\)"),
        (True, TypeError, r"expected eps to be a number, got True \(bool\)"),
        (None, TypeError, r"expected eps to be a number, got None"),
        (math.inf, ValueError, r"expected eps to be a finite number, got inf"),
        (math.nan, ValueError, r"expected eps to be a finite number, got nan"),
        (0.0, ValueError, r"expected eps to be a number > 0"),
    ],
)
def test_gradcheck_names_a_bad_step(eps, error, message):
    with pytest.raises(error, match=r"^gradcheck: " + message):
        gradcheck(lambda v: v * v, [1.0], eps=eps)


@pytest.mark.parametrize("result", [3.0, 1, None, "x"])
def test_gradcheck_names_an_f_that_does_not_return_a_value(result):
    with pytest.raises(TypeError, match=r"^gradcheck: expected the result of f to be a Value"):
        gradcheck(lambda v: result, [1.0])


def test_gradcheck_names_a_bad_input_and_a_non_finite_difference():
    with pytest.raises(TypeError, match=r"^gradcheck: expected inputs\[1\] to be a number"):
        gradcheck(lambda a, b: a * b, [1.0, "2"])
    # f(+-eps) = +-tanh(1) 1.7e308: each a float, their difference is not
    with pytest.raises(ValueError, match=r"^gradcheck: the central difference for inputs\[0\]"):
        gradcheck(lambda v: v.tanh() * 1.7e308, [0.0], eps=1.0)


# -- deep formulas -------------------------------------------------------------
DEEP_FORMULAS = {
    "inverts": "~" * 990 + "x",
    "unknown call": "foo(" + "-" * 990 + "x)",
    "modulo chain": "%".join(["x"] * 990),
    "attributes": "x" + ".a" * 990,
    "signs": "-" * 2000 + "x",
    "sum": "+".join(["x"] * (MAX_DEPTH + 1)),
    "powers": "**".join(["x"] * 3000),
    "calls": "tanh(" * 150 + "x" + ")" * 150 + "+ x" * 2000,
    "parentheses": "(" * 500 + "x" + ")" * 500,
}


@pytest.mark.parametrize("formula", DEEP_FORMULAS.values(), ids=DEEP_FORMULAS.keys())
def test_a_deep_formula_is_an_expression_error_with_a_short_message(formula):
    started = time.perf_counter()
    with pytest.raises(ExpressionError) as error:
        parse_expression(formula, {"x": 0.5})
    assert len(str(error.value)) < 300
    assert time.perf_counter() - started < 5.0  # a bound for a loaded machine, not a timing


@pytest.mark.parametrize("formula", DEEP_FORMULAS.values(), ids=DEEP_FORMULAS.keys())
def test_a_deep_formula_is_refused_near_the_recursion_limit_too(formula):
    """Called with little stack left (as from a deep caller), still an ExpressionError."""
    depth = len(_stack())

    def nested(levels: int) -> None:
        if levels:
            nested(levels - 1)
        else:
            with pytest.raises(ExpressionError):
                parse_expression(formula, {"x": 0.5})

    nested(sys.getrecursionlimit() - depth - 60)


def _stack() -> list[object]:
    frames, frame = [], sys._getframe()
    while frame is not None:
        frames.append(frame)
        frame = frame.f_back
    return frames


def test_the_depth_limit_is_exact():
    at_limit = " + ".join(["x"] * MAX_DEPTH)  # MAX_DEPTH - 1 additions below the root, + leaves
    assert parse_expression(at_limit, {"x": 1.0}).data == MAX_DEPTH
    with pytest.raises(ExpressionError, match=f"nesting more than {MAX_DEPTH} levels deep"):
        parse_expression(at_limit + " + x", {"x": 1.0})


def test_a_rejected_part_is_quoted_as_typed():
    with pytest.raises(ExpressionError, match=r"operator % is not allowed: 'x  %  2'"):
        parse_expression("1 + (x  %  2)", {"x": 1.0})
    with pytest.raises(ExpressionError, match=r"unknown function 'os . system'"):
        parse_expression("os . system(x)", {"x": 1.0})


formula_text = st.text(alphabet="x y 0123456789.e+-*/%~()tanhexplogrelu_,", max_size=200)


@settings(max_examples=300, deadline=None)
@given(formula_text)
def test_any_text_returns_a_value_or_raises_a_documented_error(text):
    started = time.perf_counter()
    try:
        result = parse_expression(text, {"x": 0.5, "y": -2.0})
    except (ExpressionError, ValueError, ArithmeticError):  # ours, or the engine's domain errors
        pass
    else:
        assert isinstance(result, Value) and math.isfinite(result.data)
    assert time.perf_counter() - started < 2.0


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(["-", "+", "~", "not ", "tanh(", "(", "foo(", "2 * ", "x ** "]),
        min_size=1,
        max_size=400,
    ).map(lambda parts: parts * 8),
    st.sampled_from(["x", "x + x", "x % 2"]),
)
def test_deep_nestings_return_a_value_or_raise_a_documented_error(prefixes, core):
    closing = sum(part.endswith("(") for part in prefixes)
    text = "".join(prefixes) + core + ")" * closing
    try:
        result = parse_expression(text, {"x": 0.5})
    except (ExpressionError, ValueError, ArithmeticError):  # ours, or the engine's domain errors
        pass
    else:
        assert isinstance(result, Value)


# -- names as Python reads them ---------------------------------------------------
def test_variable_names_are_normalised_like_python_identifiers():
    assert parse_expression("ﬁ + 1", {"ﬁ": 1.0}).data == 2.0  # the ligature ﬁ is "fi" in NFKC
    assert parse_expression("ﬁ * 2", {"fi": 3.0}).data == 6.0
    root = parse_expression("𝑥 * 2", {"𝑥": 1.5})  # a mathematical italic x is "x" in NFKC
    assert root.data == 3.0 and root.inputs[0].label == "x"


def test_two_names_with_one_normal_form_are_refused():
    with pytest.raises(ExpressionError, match=r"'ﬁ' and 'fi' are the same name 'fi'"):
        parse_expression("fi", {"ﬁ": 1.0, "fi": 2.0})


# -- backward: a gradient too large for a float ----------------------------------------
@pytest.mark.parametrize(
    ("build", "where"),
    [
        (lambda: Value(2.0, label="x") ** 1023.9, r"at .*\(\*\*1023\.9\).* for its input x"),
        (lambda: Value(1e300) / Value(1e-5, label="b"), r"at .*\(/\).* for its input b"),
        (lambda: Value(5e-324, label="x").log(), r"at .*\(log\).* local derivative inf"),
        (
            lambda: (Value(1e-300, label="a") * 1e300) * 1e300,
            r"at .*gradient 1e\+300 times .* input a",
        ),
        (
            lambda: Value(1e-10, label="a") / Value(1e-310),
            r"at .*local derivative inf for its input a",
        ),
        (
            lambda: Value(0.0, label="a") / Value(1e-310),
            r"at .*local derivative inf for its input a",
        ),
    ],
)
def test_backward_names_the_node_where_a_gradient_overflows(build, where):
    root = build()
    assert math.isfinite(root.data)  # the forward value is fine; its derivative is not
    for leaves_only in (False, True):
        with pytest.raises(OverflowError, match=r"^backward: the gradient overflows " + where):
            root.backward(leaves_only=leaves_only)


def test_backward_names_a_leaf_whose_summed_gradient_overflows():
    x = Value(1e-300, label="x")
    root = x * 1e308 + x * 1e308  # each use adds 1e308 to d root / dx: the sum is inf
    with pytest.raises(OverflowError, match=r"^backward: the gradient of x is inf: the sum"):
        root.backward()


def test_backward_names_a_computed_node_whose_summed_gradient_overflows():
    x = Value(1e-300, label="x")
    y = x * 1.0
    y.label = "y"
    root = (y * 1e308 + y * 1e308) * 1.0
    with pytest.raises(OverflowError, match=r"^backward: the gradient of y \(\*\) is inf"):
        root.backward()


def test_a_sum_of_finite_gradients_that_overflows_is_not_an_error():
    a, b = Value(1e-300), Value(1e-300)
    root = a * 1.7e308 + b * 1.7e308  # grads 1.7e308 each: only the check's own sum is inf
    root.backward()
    assert (a.grad, b.grad) == (1.7e308, 1.7e308)


# -- explain on deep graphs ------------------------------------------------------------
def test_explain_follows_a_50k_chain_edge_by_edge():
    from autograd.show.explain import explain

    x = Value(0.5, label="x")
    node = x
    for _ in range(25_000):  # 50k computed nodes: each step a * and a +
        node = node * 1.0 + 0.0
    explained = explain(node, x, merge_unlabelled=False)
    assert len(explained.paths) == 1 and len(explained.paths[0]) == 50_000
    assert [f.value for f in explained.paths[0][:4]] == [1.0, 1.0, 1.0, 1.0]
    assert explained.paths[0][-1].wrt is x and explained.total == 1.0
    assert explain(node, x).text.endswith("/∂x = 1.0000")  # merged: one factor
