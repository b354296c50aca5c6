"""Walks over the graph record, shared by backward, drawing and tracing.

All walks are iterative (an explicit stack, never recursion), so a graph of any
depth works, and deterministic: they follow ``inputs`` in operand order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from autograd.value import Value


def topological_order(root: Value, include_leaves: bool = True) -> list[Value]:
    """Every node reachable from ``root``, each after all the nodes it was computed from.

    The root comes last; reversed, it is the order in which backpropagation
    completes the nodes' gradients (a node once every node that uses it is done).
    With ``include_leaves=False`` only computed nodes (``op != ""``) are listed,
    which is all that ``backward()`` needs to order.
    """
    # Kahn's algorithm, run from the root: count each node's uses (edges into
    # it; ``x * x`` uses ``x`` twice), then release a node when its last use is done.
    uses = {root: 0}
    stack = [root]
    while stack:
        for child in stack.pop().inputs:
            if include_leaves or child.inputs:
                if child in uses:
                    uses[child] += 1
                else:
                    uses[child] = 1
                    stack.append(child)
    root_first = []
    ready = [root]
    while ready:
        node = ready.pop()
        root_first.append(node)
        for child in node.inputs:
            if child in uses:
                remaining = uses[child] - 1
                uses[child] = remaining
                if remaining == 0:
                    ready.append(child)
    root_first.reverse()
    return root_first
