"""Random expressions over the engine's ops, for property tests: a tree is evaluated
once with Values and once in plain floats (the reference never touches the engine).
Shared by tests/autograd/test_backward.py and test_leaves_only.py."""

from __future__ import annotations

import math
from types import SimpleNamespace

from hypothesis import settings
from hypothesis import strategies as st

from autograd import Value

# -- random expressions -----------------------------------------------------
# A tree is a variable name, (op, child), (op, child, child) or (op, child, number).
# Every op keeps its arguments in its domain (log of u^2 + 1, never of u), so any
# tree is valid at any point; tanh bounds what exp and ** see, so nothing overflows.
VARIABLES = ("x", "y", "z")

VALUE_FUNCTIONS = SimpleNamespace(
    exp=lambda u: u.exp(),
    log=lambda u: u.log(),
    tanh=lambda u: u.tanh(),
    sigmoid=lambda u: u.sigmoid(),
)
FLOAT_FUNCTIONS = SimpleNamespace(
    exp=math.exp,
    log=math.log,
    tanh=math.tanh,
    sigmoid=lambda u: 0.5 * (1.0 + math.tanh(0.5 * u)),  # another closed form of 1/(1+e^-u)
)

UNARY = {
    "neg": lambda f, u: -u,
    "tanh": lambda f, u: f.tanh(u),
    "sigmoid": lambda f, u: f.sigmoid(u),
    "exp": lambda f, u: f.exp(f.tanh(u)),
    "log": lambda f, u: f.log(u * u + 1),
    "sqrt": lambda f, u: (u * u + 1) ** 0.5,
    "cube": lambda f, u: f.tanh(u) ** 3,
    "reciprocal": lambda f, u: 1 / (u * u + 1),
    "two_to_the": lambda f, u: 2 ** f.tanh(u),
}
BINARY = {
    "+": lambda f, u, v: u + v,
    "-": lambda f, u, v: u - v,
    "*": lambda f, u, v: u * v,
    "/": lambda f, u, v: u / (v * v + 1),
    "**": lambda f, u, v: (u * u + 1) ** f.tanh(v),
}
WITH_NUMBER = {
    "c+": lambda f, u, c: c + u,
    "-c": lambda f, u, c: u - c,
    "c*": lambda f, u, c: c * u,
    "/c": lambda f, u, c: u / c,
    "c-": lambda f, u, c: c - u,
}
NUMBERS = st.sampled_from([-2, -1.5, -1, 0.5, 1, 2, 2.5])


def _grow(children: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(
        st.tuples(st.sampled_from(sorted(UNARY)), children),
        st.tuples(st.sampled_from(sorted(BINARY)), children, children),
        st.tuples(st.sampled_from(sorted(WITH_NUMBER)), children, NUMBERS),
    )


EXPRESSIONS = st.recursive(st.sampled_from(VARIABLES), _grow, max_leaves=8)
POINTS = st.tuples(*[st.floats(-2.0, 2.0) for _ in VARIABLES])
# The same examples on every run (CI included), few enough to stay fast.
RANDOM_EXPRESSIONS = settings(max_examples=200, deadline=None, derandomize=True)


def evaluate(tree, env: dict, functions: SimpleNamespace):
    """The expression ``tree`` with variables from ``env``, on Values or on floats."""
    if isinstance(tree, str):
        return env[tree]
    op, *args = tree
    if op in WITH_NUMBER:
        return WITH_NUMBER[op](functions, evaluate(args[0], env, functions), args[1])
    table = UNARY if op in UNARY else BINARY
    return table[op](functions, *(evaluate(arg, env, functions) for arg in args))


def as_value_function(tree):
    def f(*values: Value) -> Value:
        result = evaluate(tree, dict(zip(VARIABLES, values)), VALUE_FUNCTIONS)
        # A tree like ("neg", "x") keeps the Value; every tree has at least one variable.
        assert isinstance(result, Value)
        return result

    return f


def float_formula(tree, point: tuple[float, ...]) -> float:
    return evaluate(tree, dict(zip(VARIABLES, point)), FLOAT_FUNCTIONS)
