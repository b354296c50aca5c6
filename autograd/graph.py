"""Walks over the graph record, shared by backward, drawing and tracing.

All walks are iterative (an explicit stack, never recursion), so a graph of any
depth works, and deterministic: they follow ``inputs`` in operand order.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import compress, filterfalse
from operator import attrgetter
from typing import Any, Protocol, TypeVar, cast


class Node(Protocol):
    """What a walk reads of a node (a ``Value``): its inputs and their local derivatives."""

    @property
    def inputs(self) -> tuple[Any, ...]: ...

    @property
    def local_grads(self) -> tuple[float, ...]: ...


N = TypeVar("N", bound=Node)
_inputs = attrgetter("inputs")


def topological_order(
    root: N,
    include_leaves: bool = True,
    skip_zero_edges: bool = False,
    *,
    stop_at: Iterable[object] = (),
) -> list[N]:
    """Every node reachable from ``root``, each after all the nodes it was computed from.

    The root comes last; reversed, it is the order in which backpropagation
    completes the nodes' gradients (a node once every node that uses it is done).
    With ``include_leaves=False`` only computed nodes (``op != ""``) and the root
    are listed, which is all that ``backward()`` needs to order. Inputs are
    walked in operand order, so an expression is listed in the order Python
    evaluates it: ``a * b + c`` gives a, b, a*b, c, root. With
    ``skip_zero_edges=True`` an input is followed only where its local derivative
    is nonzero: the listed nodes are those that backpropagation can reach (below a
    relu that is off, for one, no gradient flows). The nodes in ``stop_at`` are
    neither listed nor walked through: ``stop_at=layer_inputs`` lists only what
    was built from them (a module's own nodes).
    """
    # Depth-first, listing a node once all its inputs are listed (post-order).
    # An entered node stays on the stack under a None that means "inputs done,
    # list it"; its inputs go on top. One pass with a set of entered nodes: on a
    # million nodes about twice as fast as counting each node's uses in a dict.
    # The item under a None is always a node, so ``order`` holds only Values: typed
    # with None here and cast once at the end, not checked per node in the hot loop.
    order: list[N | None] = []
    entered: set[object] = set(stop_at)  # a stop counts as entered: never pushed, never listed
    is_entered = entered.__contains__
    stack: list[N | None] = [root]
    while stack:
        node = stack.pop()
        if node is None:
            order.append(stack.pop())
        elif node not in entered:
            entered.add(node)
            inputs = node.inputs
            if not inputs:  # a leaf is listed at once: the same order, one step instead of two
                order.append(node)
                continue
            stack.append(node)
            stack.append(None)
            # Push only inputs not yet entered, filtered in C (filter, filterfalse,
            # extend): in a dense layer every neuron shares the same inputs, and a
            # Python-level step per edge would dominate the walk.
            children = reversed(inputs)
            if skip_zero_edges:  # compress keeps the inputs whose local derivative is not 0
                children = compress(children, reversed(node.local_grads))
            if not include_leaves:
                children = filter(_inputs, children)
            stack.extend(filterfalse(is_entered, children))
    return cast("list[N]", order)
