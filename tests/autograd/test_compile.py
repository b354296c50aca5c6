"""autograd.compile: a graph written out as Python gives backward()'s numbers, safely.

Every expected number is computed here: by ``backward()`` on a graph built afresh at the
same values, by central differences, or by the worked example's closed forms.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from autograd import Value, dense_layer, ops, weighted_sum
from autograd import compile as compile_module
from autograd.compile import CompileError, compile_graph, structure_key

X, W1, B1, W2, B2, T = 0.1, 0.15, 0.4, 0.45, 0.65, 0.25


def worked_example(values: tuple[float, ...] = (X, T, W1, B1, W2, B2)) -> tuple[Value, list[Value]]:
    """E = 1/2 (T - a2)^2 through two sigmoid neurons; returns E and [x, T, w1, b1, w2, b2]."""
    x, t, w1, b1, w2, b2 = (
        Value(v, label) for v, label in zip(values, ["x", "T", "w1", "b1", "w2", "b2"])
    )
    z1 = (w1 * x + b1).named("z1")
    a1 = z1.sigmoid().named("a1")
    z2 = (w2 * a1 + b2).named("z2")
    a2 = z2.sigmoid().named("a2")
    return (0.5 * (t - a2) ** 2).named("E"), [x, t, w1, b1, w2, b2]


def close(a: float, b: float, tolerance: float = 1e-12) -> bool:
    return abs(a - b) <= tolerance * max(1.0, abs(a), abs(b))


def test_the_worked_example_matches_its_closed_forms() -> None:
    E, leaves = worked_example()
    compiled = compile_graph(E, leaves[:2], leaves[2:], readable=True)
    root, grads = compiled([X, T], [W1, B1, W2, B2])
    sigma = lambda z: 1.0 / (1.0 + math.exp(-z))  # noqa: E731
    a1 = sigma(W1 * X + B1)
    a2 = sigma(W2 * a1 + B2)
    delta2 = (a2 - T) * a2 * (1 - a2)
    delta1 = delta2 * W2 * a1 * (1 - a1)
    assert close(root, 0.5 * (T - a2) ** 2)
    for got, wanted in zip(grads, [delta1 * X, delta1, delta2 * a1, delta2]):
        assert close(got, wanted)


def test_the_readable_worked_example_is_forward_then_backward_in_named_lines() -> None:
    E, leaves = worked_example()
    compiled = compile_graph(E, leaves[:2], leaves[2:], readable=True)
    text = [line.text for line in compiled.lines]
    assert "z1 = v5 + b1" in text and "dE_dz2 = dE_da2 * a2 * (1.0 - a2)" in text
    assert "dE_dw2 = dE_dv9 * a1" in text and "dE_da1 = dE_dv9 * w2" in text
    backward = [line.backward for line in compiled.lines]
    assert backward == sorted(backward)  # forward lines first
    assert len(compiled.lines) <= 25  # one screen
    # lines know their node and input: dE_dw2's step is the product w2·a1, input 0 (w2)
    (step,) = [line for line in compiled.lines if line.text.startswith("dE_dw2 =")]
    node = sorted(worked_names(E).items(), key=lambda item: item[1])
    assert step.input == 0 and node[step.node][0].op == "*"
    assert node[step.node][0].inputs[0] is leaves[4]


def worked_names(root: Value) -> dict[Value, int]:
    from autograd import topological_order

    return {node: k for k, node in enumerate(topological_order(root))}


# -- random expressions over every op ------------------------------------------------

UNARY = ["neg", "exp", "log", "tanh", "sigmoid", "relu", "leaky", "pow2", "pow_half", "pow_neg"]
BINARY = ["+", "-", "*", "/", "pow"]


def apply(op: str, a: Value, b: Value) -> Value:
    """One op on a and b, kept inside its domain by a positive or bounded operand."""
    positive = a * a + 0.5
    return {
        "neg": lambda: -a,
        "exp": lambda: a.tanh().exp(),
        "log": lambda: positive.log(),
        "tanh": lambda: a.tanh(),
        "sigmoid": lambda: a.sigmoid(),
        "relu": lambda: a.relu(),
        "leaky": lambda: a.leaky_relu(0.05),
        "pow2": lambda: a**2,
        "pow_half": lambda: positive**0.5,
        "pow_neg": lambda: positive**-1.5,
        "+": lambda: a + b,
        "-": lambda: a - b,
        "*": lambda: a * b,
        "/": lambda: a / (b * b + 1.0),
        "pow": lambda: positive ** b.tanh(),
        "sum": lambda: weighted_sum([a, b], [b, a], a),
    }[op]()


def test_the_recipes_use_every_row_of_the_op_table() -> None:
    a, b = Value(0.3), Value(-0.4)
    made = {apply(op, a, b).row.unbound.name for op in [*UNARY, *BINARY, "sum"]}
    assert made == {row.name for row in ops.ROWS}


recipes = st.lists(
    st.tuples(st.sampled_from([*UNARY, *BINARY, "sum"]), st.integers(0, 50), st.integers(0, 50)),
    min_size=1,
    max_size=12,
)
points = st.lists(st.floats(-2.0, 2.0), min_size=4, max_size=4)


def build(recipe: list[tuple[str, int, int]], values: list[float]) -> tuple[Value, list[Value]]:
    """The recipe's graph: leaves x0, x1 (inputs), p0, p1 (parameters), constants 0.7, -1.5."""
    leaves = [Value(v) for v in values]
    nodes = [*leaves, Value(0.7), Value(-1.5)]
    for op, i, j in recipe:
        nodes.append(apply(op, nodes[i % len(nodes)], nodes[j % len(nodes)]))
    return nodes[-1] * leaves[2] + leaves[3] * nodes[-2], leaves


@settings(max_examples=150, deadline=None)
@given(recipes, points, points, st.booleans())
def test_compiled_gradients_equal_backward_at_any_point_of_the_structure(
    recipe: list[tuple[str, int, int]], here: list[float], there: list[float], readable: bool
) -> None:
    """Compiled at one point, run at another: the relus' choices are made at run time."""
    try:
        root, leaves = build(recipe, here)
        elsewhere, other = build(recipe, there)
        elsewhere.backward()
    except (ArithmeticError, ValueError):
        assume(False)
    assert structure_key(root, leaves[:2], leaves[2:]) == structure_key(
        elsewhere, other[:2], other[2:]
    )
    compiled = compile_graph(root, leaves[:2], leaves[2:], readable=readable)
    value, grads = compiled(there[:2], there[2:])
    assert close(value, elsewhere.data)
    for got, leaf in zip(grads, other[2:]):
        assert close(got, leaf.grad), compiled.source


@settings(max_examples=60, deadline=None)
@given(recipes, points)
def test_compiled_gradients_pass_gradcheck(
    recipe: list[tuple[str, int, int]], here: list[float]
) -> None:
    try:
        root, leaves = build(recipe, here)
    except (ArithmeticError, ValueError):
        assume(False)
    compiled = compile_graph(root, leaves[:2], leaves[2:])
    _, grads = compiled(here[:2], here[2:])
    eps = 1e-6
    for j in range(2):
        up, down = list(here[2:]), list(here[2:])
        up[j] += eps
        down[j] -= eps
        try:
            numeric = (compiled(here[:2], up)[0] - compiled(here[:2], down)[0]) / (2 * eps)
        except (ArithmeticError, ValueError):
            continue
        # a kink (relu at 0) within eps makes the central difference meaningless there
        assume(all(abs(n.data) > 1e-4 for n in worked_names(root) if n.op == "relu"))
        assert abs(numeric - grads[j]) <= 1e-5 * max(1.0, abs(numeric))


@pytest.mark.parametrize("activation", ["linear", "relu", "leaky_relu", "tanh", "sigmoid"])
@pytest.mark.parametrize("width", [3, 40, 300])
@pytest.mark.parametrize("budget", [0, compile_module.WRITTEN_OUT_WEIGHTS])
def test_fused_neurons_in_straight_lines_and_in_loops(
    activation: str, width: int, budget: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a graph of more weights than the budget a neuron with many is a loop: exact too."""
    monkeypatch.setattr(compile_module, "WRITTEN_OUT_WEIGHTS", budget)
    values = [math.sin(k + 1.0) for k in range(width)]
    xs = [Value(v) for v in values]
    rows = [[Value(math.cos(j + k)) for k in range(width)] for j in range(3)]
    biases = [Value(0.1 * j - 0.1) for j in range(3)]
    parameters = [p for row, b in zip(rows, biases) for p in (*row, b)]
    hidden = dense_layer(rows, xs, biases, activation)
    head = [Value(0.3), Value(-0.2), Value(0.5)]
    root = dense_layer([head], hidden, [Value(0.1)], activation)[0] ** 2
    root.backward()
    for readable in (False, True):
        compiled = compile_graph(root, xs, parameters, readable=readable)
        value, grads = compiled(values, [p.data for p in parameters])
        assert close(value, root.data)
        assert all(close(g, p.grad) for g, p in zip(grads, parameters))
    looped = "sum(map(mul" in compile_graph(root, xs, parameters).source
    assert looped == (width > compile_module.ROW_LENGTH and budget == 0)


def test_a_relu_that_was_off_when_compiled_passes_gradient_when_on() -> None:
    w = Value(-1.0)
    x = Value(2.0)
    compiled = compile_graph((w * x).relu() * 3.0, [x], [w])
    assert compiled([2.0], [-1.0]) == (0.0, [0.0])
    assert compiled([2.0], [1.5]) == (9.0, [6.0])


# -- safety --------------------------------------------------------------------------

HOSTILE = ["\nimport os", "a); os.system(", "__import__('os')", "def", "P", "G", "x\u0301", "math"]
COLLIDING = ["v5", "dE_dv14", "x0", "gp1", "g13", "dE_dE", "w2", "E", "z1", "v9_z", "R0", "seed"]


@pytest.mark.parametrize("readable", [False, True])
def test_hostile_labels_never_become_code(readable: bool) -> None:
    E, leaves = worked_example()
    nodes = worked_names(E)
    for node, label in zip(nodes, HOSTILE + COLLIDING):
        node.label = label
    compiled = compile_graph(E, leaves[:2], leaves[2:], readable=readable)
    for label in ("import os", "os.system", "__import__", "def ", "x\u0301"):
        assert label not in compiled.source.replace("def compiled", "")
    value, grads = compiled([X, T], [W1, B1, W2, B2])
    E.backward()
    assert close(value, E.data) and all(close(g, p.grad) for g, p in zip(grads, leaves[2:]))


def test_readable_names_only_identifiers_that_are_not_keywords() -> None:
    a, b = Value(1.0, "lambda"), Value(2.0, "ok_name")
    source = compile_graph(a * b, [], [a, b], readable=True).source
    assert "ok_name" in source and "lambda" not in source


def test_bad_arguments_are_refused_clearly() -> None:
    a, b = Value(1.0), Value(2.0)
    product = a * b
    with pytest.raises(CompileError, match="parameter 0 is a computed node"):
        compile_graph(product + 1.0, [], [product])
    with pytest.raises(CompileError, match="listed twice"):
        compile_graph(product, [a], [a])
    compiled = compile_graph(product, [a], [b])
    with pytest.raises(ValueError, match="expected 1 parameter values, got 2"):
        compiled([1.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="expected 1 input values per row, got 0"):
        compiled([], [1.0])


def test_a_graph_of_the_same_structure_is_not_compiled_again() -> None:
    first, leaves = worked_example()
    second, others = worked_example((0.3, 0.2, 0.1, -0.4, 0.2, 0.1))
    assert compile_graph(first, leaves[:2], leaves[2:]) is compile_graph(
        second, others[:2], others[2:]
    )
    third = first.tanh()
    assert structure_key(third, leaves[:2], leaves[2:]) != structure_key(
        first, leaves[:2], leaves[2:]
    )
