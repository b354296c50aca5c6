"""Class 1 of the second hostile probe: on a graph too large to read, node_names, explain,
graph_questions and the step tables refuse from a count made first (one line naming the
function and the limit), never after naming every node; backward() itself has no limit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings

from autograd import Value, backward_steps, explain, node_names, steps_markdown, steps_table
from autograd.layers import weighted_sum
from autograd.show.names import MAX_NAMED_NODES
from autograd.show.trace import MAX_TABLE_ROWS
from chainrule.questions import graph_questions
from tests.probe.graphs import random_graphs

LIMIT = 200_000  # the limit as documented, written out here, not read from the code


def _nodes(root: Value) -> int:
    """The nodes of root's graph, counted by a walk of this test's own."""
    seen, stack = {id(root)}, [root]
    while stack:
        for child in stack.pop().inputs:
            if id(child) not in seen:
                seen.add(id(child))
                stack.append(child)
    return len(seen)


def _chain(steps: int) -> tuple[Value, Value]:
    """x + 1 + 1 + ...: 2 * steps + 1 nodes, one below the other."""
    x = Value(0.5, label="x")
    y = x
    for _ in range(steps):
        y = y + 1.0
    return y, x


def _wide(n: int) -> tuple[Value, Value]:
    """One neuron of n inputs: w . x + b, 2n + 2 nodes, every leaf one edge below the root."""
    ws = [Value(0.01, label=f"w{i}") for i in range(n)]
    xs = [Value(0.02) for _ in range(n)]
    return weighted_sum(ws, xs, Value(0.1, label="b")), ws[0]


def _squares(steps: int) -> tuple[Value, Value]:
    """x, (x + x)·0.5, ...: 3 * steps + 1 nodes, each used twice by the next (the paths
    double at every step)."""
    x = Value(0.5, label="x")
    y = x
    for _ in range(steps):
        y = (y + y) * 0.5
    return y, x


@pytest.fixture(scope="module")
def large_graphs() -> dict[str, tuple[Value, Value]]:
    return {
        "chain": _chain(LIMIT // 2),  # just over: 200,001 nodes
        "wide": _wide(LIMIT // 2),  # 200,002 nodes in one step
        "shared": _squares(LIMIT // 3 + 1),  # 200,002 nodes, 2^66,667 paths
    }


def test_the_limits_are_as_documented():
    assert MAX_NAMED_NODES == LIMIT
    assert MAX_TABLE_ROWS == LIMIT


def _must_not_run(*_: object, **__: object) -> None:
    raise AssertionError("the refusal came after the work")


REFUSALS: dict[str, tuple[Callable[[Value, Value], Any], list[str]]] = {
    "node_names": (lambda root, _: node_names(root), ["autograd.show.names.topological_order"]),
    "explain": (explain, ["autograd.show.explain.topological_order"]),
    "graph_questions": (
        lambda root, _: graph_questions(root),
        ["chainrule.questions.topological_order", "chainrule.questions.node_names"],
    ),
}


@pytest.mark.parametrize("shape", ["chain", "wide", "shared"])
@pytest.mark.parametrize("function", list(REFUSALS))
def test_a_graph_past_the_limit_is_refused_before_it_is_walked(large_graphs, shape, function):
    root, leaf = large_graphs[shape]
    assert _nodes(root) > LIMIT
    call, walks = REFUSALS[function]
    with pytest.MonkeyPatch.context() as patch:
        for walk in walks:
            patch.setattr(walk, _must_not_run)
        with pytest.raises(ValueError) as refused:
            call(root, leaf)
    message = str(refused.value)
    assert message.startswith(f"{function}: the graph of ")
    assert f"more than {LIMIT} nodes" in message
    assert "\n" not in message and len(message) < 300


@pytest.mark.parametrize("table", [steps_table, steps_markdown])
def test_a_table_past_the_limit_is_refused_before_it_is_named(large_graphs, table):
    root, _ = large_graphs["wide"]
    steps = backward_steps(root)
    assert sum(len(step.inputs) for step in steps) > LIMIT  # one row per input
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("autograd.show.trace.node_names", _must_not_run)
        refusal = f"{table.__name__}: the steps have more than {LIMIT} rows"
        with pytest.raises(ValueError, match=refusal):
            table(steps)


def test_backward_itself_has_no_limit(large_graphs):
    root, x = large_graphs["chain"]
    root.backward()
    assert x.grad == 1.0  # d(x + 1 + ... + 1)/dx
    wide, w0 = large_graphs["wide"]
    wide.backward()
    assert w0.grad == 0.02  # d(w . x + b)/dw0 = x0


@settings(max_examples=60, deadline=None)
@given(root=random_graphs())
def test_node_names_names_a_graph_of_exactly_max_nodes_and_refuses_one_more(root):
    size = _nodes(root)
    assert len(node_names(root, max_nodes=size)) == size
    if size > 1:
        with pytest.raises(ValueError, match=f"node_names: the graph of .* more than {size - 1} "):
            node_names(root, max_nodes=size - 1)
