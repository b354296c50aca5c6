"""Which node does the backward pass take next? The order question of the pages.

Backpropagation takes a node once every node that uses it is done: its gradient is then
complete. Any such node may come next in a reverse topological order, so a pick is right
when it is not done yet and every node using it is; the page's own next step is named
either way (``order_verdicts``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from autograd.graph import topological_order
from autograd.show.frames import Frame
from autograd.value import Value

PROMPT = "next node of the backward pass = ?"


def order_verdicts(
    root: Value, page_frames: Sequence[Frame], step: int, names: Mapping[Value, str]
) -> dict[str, tuple[bool, str]]:
    """For the step frame ``step`` of ``frames(root)``: each computed node's name -> (right,
    message) as its pick for the node the backward pass takes next, names sorted."""
    taken = page_frames[step].step
    if taken is None:
        raise ValueError(f"order_verdicts: frame {step!r} is not a step of the backward pass")
    done = {f.step.node for f in page_frames[1:step] if f.step is not None}
    computed = [n for n in topological_order(root) if n.op]
    waiting = {n for user in computed if user not in done for n in user.inputs}
    page = f"this page takes {names[taken.node]} next"
    verdicts = {}
    for node in computed:
        name = names[node]
        if node not in done and node not in waiting:
            verdicts[name] = (True, f"right: {name} can go next ({page})")
        else:
            why = "is done already" if node in done else "still waits for a node that uses it"
            verdicts[name] = (False, f"not {name}: it {why}; {page}")
    return dict(sorted(verdicts.items()))
