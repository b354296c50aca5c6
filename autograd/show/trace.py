"""The chain rule as a record to read: backward()'s steps, printed as tables.

``backward_steps(root)`` replays ``Value.backward`` without touching any
``.grad``: step k takes the k-th node whose gradient is complete and adds
``upstream * local derivative`` to each input's gradient.
``steps_table`` / ``steps_markdown`` print those steps.

Nodes are named by ``autograd.show.names.node_names``: their label, or unlabelled,
their value or expression (``0.5``, ``T − a2``); ``draw_graph`` and ``explain``
use the same names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from autograd import checks
from autograd.graph import topological_order
from autograd.show.format import (
    format_number,
    latex_name,
    markdown_table,
    markdown_text,
    text_table,
)
from autograd.show.names import MAX_NAMED_NODES, node_names
from autograd.value import Value, add_grad_times_local_grads


@dataclass(frozen=True)
class BackwardStep:
    """Step ``index`` (1 for the root) of the backward pass.

    ``node``'s gradient is complete (``upstream`` = d root / d node); each input
    ``inputs[i]`` gets ``contributions[i] = upstream * local_grads[i]`` added to
    its gradient, where ``local_grads[i]`` = d node / d inputs[i], which makes it
    ``input_grads[i]``: complete once no later step adds to it, else a partial sum.
    """

    index: int
    node: Value
    upstream: float
    inputs: tuple[Value, ...]
    local_grads: tuple[float, ...]
    contributions: tuple[float, ...]
    input_grads: tuple[float, ...]


def backward_steps(root: Value) -> list[BackwardStep]:
    """The steps of ``root.backward()``, in its order and with its arithmetic; no ``.grad`` changes.

    This is the record of the chain rule that ``Value.backward`` applies in
    place: each step adds ``upstream * local derivative`` to its inputs' gradients
    and records the sums, which the step-through pictures show as they are.

    Every computed node is one step, the root first. The gradients the steps
    add up (``upstream`` of later steps, and the leaves' sums) equal, bit for bit,
    those that ``backward()`` sets on a graph whose grads are all 0.
    """
    # The steps are the engine's own: the graph's grads are set aside, backward()'s
    # chain-rule step is run one node at a time and read after each, then put back.
    checks.instance(root, "backward_steps", "root", Value)
    order = topological_order(root)
    computed = [node for node in order if node.inputs]
    saved = [node.grad for node in order]
    steps: list[BackwardStep] = []
    try:
        for node in order:
            node.grad = 0.0
        root.grad = 1.0
        for node in reversed(computed):
            upstream = node.grad
            add_grad_times_local_grads((node,))
            steps.append(
                BackwardStep(
                    len(steps) + 1,
                    node,
                    upstream,
                    node.inputs,
                    node.local_grads,
                    tuple(upstream * local for local in node.local_grads),
                    tuple(child.grad for child in node.inputs),
                )
            )
    finally:
        for node, grad in zip(order, saved):
            node.grad = grad
    return steps


MAX_TABLE_ROWS = MAX_NAMED_NODES  # r rows (one per input) name at most r + 1 nodes


def _checked_steps(steps: object, op: str) -> list[BackwardStep]:
    """``steps`` as a list, each a BackwardStep (what ``backward_steps`` returns), with at
    most MAX_TABLE_ROWS rows (one per step's input) in all, counted before anything is named."""
    listed = checks.items(steps, op, "steps", "a list of BackwardSteps (backward_steps(root))")
    rows = 0
    for step in listed:
        checks.instance(step, op, "each step", BackwardStep)
        rows += len(step.inputs)
        if rows > MAX_TABLE_ROWS:
            raise ValueError(
                f"{op}: the steps have more than {MAX_TABLE_ROWS} rows (one per input of "
                f"each step), too many to read; tabulate a smaller graph"
            )
    return listed


STEP_HEADERS = ("step", "node", "op", "∂{root}/∂node", "input", "∂node/∂input", "contribution")


def _step_rows(
    steps: Sequence[BackwardStep],
) -> list[tuple[BackwardStep, bool, Value, float, float]]:
    """One row per (step, input): the step, whether it is the step's first row, and the input's
    local derivative and contribution."""
    return [
        (step, i == 0, child, local, contribution)
        for step in steps
        for i, (child, local, contribution) in enumerate(
            zip(step.inputs, step.local_grads, step.contributions)
        )
    ]


def steps_table(steps: Sequence[BackwardStep]) -> str:
    """The steps as an aligned text table: one row per input, numbers right-aligned.

    Each row reads: the input gets contribution = (d root / d node) x (d node / d input).
    """
    if not _checked_steps(steps, "steps_table"):
        return "(no backward steps: the root is a leaf)"
    names = node_names(steps[0].node, max_nodes=MAX_TABLE_ROWS + 1)  # r rows: r + 1 nodes
    headers = [header.format(root=names[steps[0].node]) for header in STEP_HEADERS]
    rows = [
        [
            str(step.index) if first else "",
            names[step.node] if first else "",
            step.node.op if first else "",
            format_number(step.upstream) if first else "",
            names[child],
            format_number(local),
            format_number(contribution),
        ]
        for step, first, child, local, contribution in _step_rows(steps)
    ]
    return text_table(headers, rows, numeric_columns={0, 3, 5, 6})


def steps_markdown(steps: Sequence[BackwardStep]) -> str:
    """The steps as a Markdown table, each contribution written as a LaTeX product."""
    if not _checked_steps(steps, "steps_markdown"):
        return "*(no backward steps: the root is a leaf)*"
    names = node_names(steps[0].node, max_nodes=MAX_TABLE_ROWS + 1)  # r rows: r + 1 nodes
    root = latex_name(names[steps[0].node])
    headers = [
        "step",
        "node",
        "op",
        f"$\\partial {root}/\\partial\\,\\text{{node}}$",
        "input",
        "$\\partial\\,\\text{node}/\\partial\\,\\text{input}$",
        "contribution",
    ]
    rows = []
    for step, first, child, local, contribution in _step_rows(steps):
        upstream = format_number(step.upstream)
        step_cells = (
            [
                str(step.index),
                markdown_text(names[step.node]),
                markdown_text(step.node.op),
                upstream,
            ]
            if first
            else ["", "", "", ""]
        )
        product = f"${upstream} \\times {format_number(local)} = {format_number(contribution)}$"
        rows.append([*step_cells, markdown_text(names[child]), format_number(local), product])
    return markdown_table(headers, rows, numeric_columns={0, 3, 5})
