"""backward(): the chain rule over whole graphs, against independent references.

Random expressions are checked against central differences of the same formula
evaluated in plain floats (so the reference never touches the engine), and
against ``gradcheck``. The rest pins down what the API promises: shared nodes,
operand order, repeated calls, determinism, and graphs of any depth.
"""

from __future__ import annotations

import random
import subprocess
import sys
import textwrap

import pytest
from hypothesis import assume, given

from autograd import Value, gradcheck, topological_order
from tests.random_expressions import (
    EXPRESSIONS,
    POINTS,
    RANDOM_EXPRESSIONS,
    VARIABLES,
    as_value_function,
    float_formula,
)


@RANDOM_EXPRESSIONS
@given(EXPRESSIONS, POINTS)
def test_backward_matches_central_differences_of_the_float_formula(tree, point):
    value = float_formula(tree, point)
    assume(abs(value) < 1e4)  # keeps the differences' rounding error far below the tolerance
    leaves = [Value(p) for p in point]
    root = as_value_function(tree)(*leaves)
    root.backward()
    assert root.data == pytest.approx(value, rel=1e-9, abs=1e-12)
    step = 1e-5
    for i, leaf in enumerate(leaves):
        up = float_formula(tree, tuple(p + step * (j == i) for j, p in enumerate(point)))
        down = float_formula(tree, tuple(p - step * (j == i) for j, p in enumerate(point)))
        numeric = (up - down) / (2 * step)
        assert abs(leaf.grad - numeric) <= 1e-5 * max(1.0, abs(numeric)), (VARIABLES[i], tree)


@RANDOM_EXPRESSIONS
@given(EXPRESSIONS, POINTS)
def test_gradcheck_passes_on_random_expressions(tree, point):
    assume(abs(float_formula(tree, point)) < 1e4)
    result = gradcheck(as_value_function(tree), point)
    assert result, (tree, result)


# -- shared nodes and operand order -----------------------------------------
def test_square_uses_its_input_twice():
    x = Value(3.0)
    y = x * x
    y.backward()
    assert y.inputs == (x, x)
    assert x.grad == 6.0  # 2x: one x.data from each edge


def test_a_node_used_twice_sums_both_uses():
    x, y = Value(1.5), Value(-2.0)
    a = x * y
    out = a * a + a  # d/da = 2a + 1
    out.backward()
    d_da = 2 * (1.5 * -2.0) + 1
    assert a.grad == d_da
    assert x.grad == d_da * -2.0
    assert y.grad == d_da * 1.5


@pytest.mark.parametrize(
    "op", [lambda u, v: u + v, lambda u, v: u - v, lambda u, v: u * v, lambda u, v: u / v]
)
def test_inputs_are_kept_in_operand_order(op):
    x, y = Value(2.0), Value(5.0)
    assert op(x, y).inputs == (x, y)
    assert op(y, x).inputs == (y, x)
    assert op(x, x).inputs == (x, x)


# -- repeated backward ------------------------------------------------------
def _issue_53_graph(value_type):
    """micrograd issue #53: e = (a + b) * d with a = 3, b = 2, d = 1."""
    a, b, d = value_type(3.0), value_type(2.0), value_type(1.0)
    c = a + b
    e = c * d
    return a, b, c, d, e


def test_second_backward_adds_the_same_to_leaves_and_recomputes_the_rest():
    a, b, c, d, e = _issue_53_graph(Value)
    e.backward()
    first = [v.grad for v in (a, b, c, d, e)]
    e.backward()
    assert first == [1.0, 1.0, 1.0, 5.0, 1.0]
    assert [v.grad for v in (a, b, d)] == [2.0, 2.0, 10.0]  # leaves: exactly twice
    assert (c.grad, e.grad) == (1.0, 1.0)  # intermediates: recomputed, not compounded


def test_the_issue_53_graph_shows_micrographs_compounding():
    """The scenario above is the one that trips micrograd: its leaf a gets 3.0, not 2.0."""
    micrograd = pytest.importorskip("micrograd.engine")
    a, _, c, _, e = _issue_53_graph(micrograd.Value)
    e.backward()
    e.backward()
    assert (a.grad, c.grad) == (3.0, 2.0)


def test_zeroing_leaf_grads_between_calls_gives_the_first_result_again():
    a, b, c, d, e = _issue_53_graph(Value)
    e.backward()
    first = [v.grad for v in (a, b, c, d, e)]
    for leaf in (a, b, d):
        leaf.grad = 0.0
    e.backward()
    assert [v.grad for v in (a, b, c, d, e)] == first


def test_backward_on_a_leaf_accumulates_one():
    x = Value(4.0)
    x.backward()
    assert x.grad == 1.0
    x.backward()
    assert x.grad == 2.0


def test_backward_on_an_intermediate_node_sets_grads_below_it_only():
    x, w = Value(2.0), Value(3.0)
    hidden = x * w
    out = hidden.tanh()
    hidden.backward()
    assert (x.grad, w.grad, hidden.grad, out.grad) == (3.0, 2.0, 1.0, 0.0)


# -- determinism ------------------------------------------------------------
DETERMINISM_SCRIPT = textwrap.dedent(
    """
    import random, sys
    from autograd import Value
    # Shift where the graph lands in memory, and so every id()-based hash.
    padding = [object() for _ in range(int(sys.argv[1]))]
    rng = random.Random(7)
    xs = [Value(rng.uniform(-1, 1)) for _ in range(20)]
    terms = [(xs[rng.randrange(20)] * xs[rng.randrange(20)]).tanh() for _ in range(400)]
    loss = sum(t * rng.uniform(-1e3, 1e3) for t in terms)
    loss.backward()
    print(loss.data.hex(), *(x.grad.hex() for x in xs))
    """
)


def test_results_are_bit_identical_across_runs():
    outputs = {
        subprocess.run(
            [sys.executable, "-c", DETERMINISM_SCRIPT, padding],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed},
        ).stdout
        for padding, seed in (("0", "1"), ("54321", "2"))
    }
    assert len(outputs) == 1, outputs


# -- graph walks ------------------------------------------------------------
def test_topological_order_lists_each_node_once_after_its_inputs():
    x, y = Value(1.0, "x"), Value(2.0, "y")
    shared = x * y
    root = (shared + x).tanh() * shared
    order = topological_order(root)
    position = {node: i for i, node in enumerate(order)}
    assert len(order) == len(position) == 6
    assert order[-1] is root
    assert all(position[child] < position[node] for node in order for child in node.inputs)
    assert topological_order(root, include_leaves=False) == [n for n in order if n.op]


def test_topological_order_follows_evaluation_order():
    a, b, c = Value(1.0, "a"), Value(2.0, "b"), Value(3.0, "c")
    product = a * b
    root = product + c
    assert topological_order(root) == [a, b, product, c, root]


def test_topological_order_stops_at_the_given_nodes():
    a, b, c = Value(1.0, "a"), Value(2.0, "b"), Value(3.0, "c")
    product = a * b
    total = product + c
    root = total * product
    assert topological_order(root, stop_at=[product]) == [c, total, root]
    assert topological_order(root, include_leaves=False, stop_at={total}) == [product, root]
    assert topological_order(root, stop_at=[root]) == []


# -- size and depth ---------------------------------------------------------
def test_a_million_deep_chain():
    """x <- x * a + b, 500,000 times: 1,000,000 computed nodes, one below the other.

    a and b are two leaves used at every step, so their grads sum 500,000 uses.
    Closed forms, with g = a^n:  x_n = g x_0 + b (g - 1) / (a - 1),
    d x_n / d x_0 = g,  d x_n / d b = (g - 1) / (a - 1),
    d x_n / d a = n a^(n-1) x_0 + b (n a^(n-1) (a - 1) - (g - 1)) / (a - 1)^2.
    """
    n, x_start, a_start, b_start = 500_000, 0.5, 1.0001, 0.0001
    x0, a, b = Value(x_start), Value(a_start), Value(b_start)
    x = x0
    for _ in range(n):
        x = x * a + b
    x.backward()
    g, g_prime = a_start**n, n * a_start ** (n - 1)
    shift = a_start - 1.0
    assert x.data == pytest.approx(g * x_start + b_start * (g - 1.0) / shift, rel=1e-9)
    assert x0.grad == pytest.approx(g, rel=1e-9)
    assert b.grad == pytest.approx((g - 1.0) / shift, rel=1e-9)
    expected_a = g_prime * x_start + b_start * (g_prime * shift - (g - 1.0)) / shift**2
    assert a.grad == pytest.approx(expected_a, rel=1e-9)


def test_sum_of_200_000_values():
    rng = random.Random(0)
    numbers = [rng.uniform(-1.0, 1.0) for _ in range(200_000)]
    values = [Value(n) for n in numbers]
    total = sum(values)
    total.backward()
    assert total.data == sum(numbers)  # same additions in the same order
    assert all(v.grad == 1.0 for v in values)
