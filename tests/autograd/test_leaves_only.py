"""backward(leaves_only=True): the training walk, which skips what no gradient reaches.

An input whose local derivative is 0 (below a relu that is off, or multiplied by
0) receives nothing from that edge, so the walk need not go there. The leaves'
grads must be those of the full backward(); only the order in which a leaf's
terms are added may differ, so they are compared to rounding.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Value, topological_order
from nn import MLP, make_moons, max_margin_loss
from tests.random_expressions import (
    BINARY,
    RANDOM_EXPRESSIONS,
    UNARY,
    VALUE_FUNCTIONS,
    VARIABLES,
    WITH_NUMBER,
)

# The random expressions of test_backward, plus the ops that make zero edges:
# relu (off for a negative input) and a product with 0.
GATES = {"relu": lambda u: u.relu(), "times_zero": lambda u: u * 0}


def _grow(children: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(
        st.tuples(st.sampled_from(sorted(UNARY) + sorted(GATES)), children),
        st.tuples(st.sampled_from(sorted(BINARY)), children, children),
        st.tuples(st.sampled_from(sorted(WITH_NUMBER)), children, st.sampled_from([-2, 0.5, 2])),
    )


GATED_EXPRESSIONS = st.recursive(st.sampled_from(VARIABLES), _grow, max_leaves=10)
POINTS = st.tuples(*[st.floats(-2.0, 2.0) for _ in VARIABLES])


def build(tree, env: dict[str, Value]) -> Value:
    """The expression ``tree`` on Values (variables reused: shared nodes)."""
    if isinstance(tree, str):
        return env[tree]
    op, *args = tree
    if op in GATES:
        return GATES[op](build(args[0], env))
    if op in WITH_NUMBER:
        return WITH_NUMBER[op](VALUE_FUNCTIONS, build(args[0], env), args[1])
    table = UNARY if op in UNARY else BINARY
    return table[op](VALUE_FUNCTIONS, *(build(arg, env) for arg in args))


def leaf_grads(tree, point: tuple[float, ...], leaves_only: bool) -> list[float]:
    leaves = [Value(p) for p in point]
    root = build(tree, dict(zip(VARIABLES, leaves))) * 1.0  # a computed root, even for "x"
    root.backward(leaves_only=leaves_only)
    return [leaf.grad for leaf in leaves]


@RANDOM_EXPRESSIONS
@given(GATED_EXPRESSIONS, POINTS)
def test_leaves_get_the_grads_of_the_full_backward(tree, point):
    full = leaf_grads(tree, point, leaves_only=False)
    assert leaf_grads(tree, point, leaves_only=True) == pytest.approx(full, rel=1e-12, abs=1e-300)


def test_the_walk_stops_at_a_relu_that_is_off():
    x, w = Value(2.0, "x"), Value(-3.0, "w")
    hidden = x * w
    root = hidden.relu()
    assert topological_order(root, include_leaves=False, skip_zero_edges=True) == [root]
    root.backward(leaves_only=True)
    assert (x.grad, w.grad) == (0.0, 0.0)


def test_a_node_behind_a_zero_edge_is_reached_through_another_use():
    x = Value(-1.5, "x")
    shared = x * x
    negated = -shared
    off = negated.relu()  # of -2.25: off, so nothing flows into negated
    root = off + shared * 4.0
    order = topological_order(root, include_leaves=False, skip_zero_edges=True)
    assert off in order and shared in order and negated not in order
    assert order.index(shared) < order.index(root)
    root.backward(leaves_only=True)
    assert x.grad == 4.0 * 2 * -1.5  # d(4 x^2)/dx, all through the second use


def test_a_skipped_intermediate_node_keeps_its_grad_as_documented():
    hidden = Value(2.0) * Value(-3.0)
    (hidden * 3.0).backward()
    assert hidden.grad == 3.0
    hidden.relu().backward(leaves_only=True)
    assert hidden.grad == 3.0  # not reached: left as it was
    hidden.relu().backward()
    assert hidden.grad == 0.0  # the full walk resets every node of the graph


def test_a_training_step_on_two_moons_skips_much_of_the_graph_and_matches():
    X, labels = make_moons(40, noise=0.1, seed=3)
    ys = [2 * label - 1 for label in labels]
    model = MLP(2, [8, 8, 1], activation="relu", seed=3)
    loss = max_margin_loss([model(x) for x in X], ys, model.parameters())
    walked = topological_order(loss, include_leaves=False, skip_zero_edges=True)
    assert len(walked) < len(topological_order(loss, include_leaves=False))
    loss.backward()
    full = [p.grad for p in model.parameters()]
    model.zero_grad()
    loss.backward(leaves_only=True)
    assert [p.grad for p in model.parameters()] == pytest.approx(full, rel=1e-12, abs=1e-300)
