"""The backward pass as pictures: one graph per chain-rule step, as PNG/SVG frames or a GIF.

Frame 0 is the graph after the forward pass, where only the root's gradient is
known (d root / d root = 1). Frame k >= 1 highlights the node that the k-th
step of ``backward_steps`` processes and shows every gradient accumulated so
far, including that step's contributions to the node's inputs; gradients not
reached yet are drawn as "?". The gradients are summed from the recorded steps,
so making pictures never touches any ``.grad``.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from autograd import checks
from autograd.draw import ComputationGraph, DrawOptions, draw_graph
from autograd.format import format_number
from autograd.trace import BackwardStep, backward_steps, node_names
from autograd.value import Value

if TYPE_CHECKING:
    from typing_extensions import Unpack  # typing.Unpack from Python 3.11 on

FRAME_FORMATS = ("png", "svg")
MAX_FRAMES = 300
# draw_graph options that frames() sets itself, differently for every frame.
SET_PER_FRAME = ("highlight", "known_grads", "title")


@dataclass(frozen=True)
class Frame:
    """One picture of the backward pass.

    index: 0 for the forward graph, k for the picture after the k-th step.
    title: what the picture shows, drawn above the graph.
    step: the BackwardStep this frame shows; None for frame 0.
    known_grads: d(root)/d(node) for every node reached so far. A node used
        again by a later step holds a partial sum until that step adds its share.
    graph: the drawing.
    """

    index: int
    title: str
    step: BackwardStep | None
    known_grads: dict[Value, float]
    graph: ComputationGraph


def known_grads_per_frame(root: Value, steps: Sequence[BackwardStep]) -> list[dict[Value, float]]:
    """The gradients known in each frame: ``{root: 1.0}``, then after each step.

    Read from the steps, which record each input's gradient after the step's
    contribution (the chain rule, summed over every use, in the order and
    arithmetic of ``Value.backward``): the last dict holds exactly the
    gradients that ``root.backward()`` sets on a fresh graph.
    """
    known = {root: 1.0}
    per_frame = [dict(known)]
    for step in steps:
        known.update(zip(step.inputs, step.input_grads))
        per_frame.append(dict(known))
    return per_frame


def frame_title(
    root: Value, step: BackwardStep | None, names: dict[Value, str], last_index: int
) -> str:
    """The one-line title of a frame: which step it is and which node it processes.

    ``names`` is ``trace.node_names(root)``: labels, or v<i> for unlabelled nodes.
    """
    if step is None:
        return f"Step 0 of {last_index}: forward pass done, ∂{names[root]}/∂{names[root]} = 1"
    return (
        f"Step {step.index} of {last_index}: back through {names[step.node]} "
        f"({step.node.op}), upstream gradient {format_number(step.upstream)}"
    )


def frames(
    root: Value, *, max_frames: int = MAX_FRAMES, **draw_kwargs: Unpack[DrawOptions]
) -> list[Frame]:
    """Every frame of ``root``'s backward pass: the forward graph, then one per step.

    ``draw_kwargs`` (rankdir, clusters, show_local_grads, ...) go to every
    ``draw_graph`` call; ``highlight``, ``known_grads`` and ``title`` are set
    per frame. A graph needing more than ``max_frames`` frames raises ValueError:
    one picture per node is only readable for small graphs.
    """
    given_per_frame = [name for name in SET_PER_FRAME if name in draw_kwargs]
    if given_per_frame:
        raise TypeError(
            f"frames: {', '.join(given_per_frame)} is set for each frame, do not pass it"
        )
    max_frames = checks.integer(max_frames, "frames", "max_frames", minimum=1)
    steps = backward_steps(root)
    last_index = len(steps)
    if last_index + 1 > max_frames:
        raise ValueError(
            f"frames: the backward pass has {last_index} steps, which makes "
            f"{last_index + 1} frames, more than max_frames={max_frames}; step through a "
            f"smaller graph (one neuron, or a tiny network) or raise max_frames"
        )
    names = node_names(root)
    result = []
    for index, (step, known) in enumerate(zip([None, *steps], known_grads_per_frame(root, steps))):
        title = frame_title(root, step, names, last_index)
        graph = draw_graph(
            root,
            highlight=None if step is None else step.node,
            known_grads=known,
            title=title,
            **draw_kwargs,
        )
        result.append(Frame(index, title, step, known, graph))
    return result


def frame_graphs(root: Value, **draw_kwargs: Unpack[DrawOptions]) -> list[ComputationGraph]:
    """The drawings of ``frames(root, **draw_kwargs)``: len(backward_steps(root)) + 1 graphs."""
    return [frame.graph for frame in frames(root, **draw_kwargs)]


def write_frames(
    root: Value,
    folder: str | os.PathLike[str],
    format: str = "png",
    **draw_kwargs: Unpack[DrawOptions],
) -> list[Path]:
    """Render every frame into ``folder`` as frame_000.png, frame_001.png, ... and return the paths.

    ``format`` is "png" or "svg". The folder is created if needed; frame files
    of that format left by an earlier run are removed first, so the folder holds
    exactly this backward pass.
    """
    checks.one_of(format, "write_frames", "format", FRAME_FORMATS)
    graphs = frame_graphs(root, **draw_kwargs)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    earlier_frame = re.compile(rf"frame_\d+\.{format}")
    for path in folder.iterdir():
        if earlier_frame.fullmatch(path.name):
            path.unlink()
    digits = max(3, len(str(len(graphs) - 1)))  # zero-padded, so names sort in step order
    paths = []
    for index, graph in enumerate(graphs):
        path = folder / f"frame_{index:0{digits}d}.{format}"
        path.write_bytes(graph.pipe(format=format))
        paths.append(path)
    return paths


def write_gif(
    root: Value,
    path: str | os.PathLike[str],
    duration_ms: int = 1200,
    **draw_kwargs: Unpack[DrawOptions],
) -> Path:
    """Write the frames as one animated GIF that loops forever; return its path.

    Each frame is shown for ``duration_ms`` milliseconds. Frames differ in size
    (titles and labels change), so each is centred on a white canvas as large
    as the largest frame.
    """
    duration_ms = checks.integer(duration_ms, "write_gif", "duration_ms", minimum=1)
    from PIL import Image  # here, not at the top: the rest of chainrule runs without Pillow

    images = [
        Image.open(io.BytesIO(graph.pipe(format="png"))).convert("RGBA")
        for graph in frame_graphs(root, **draw_kwargs)
    ]
    size = (max(image.width for image in images), max(image.height for image in images))
    padded = []
    for image in images:
        canvas = Image.new("RGB", size, "white")
        offset = ((size[0] - image.width) // 2, (size[1] - image.height) // 2)
        canvas.paste(image, offset, mask=image)
        padded.append(canvas)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    padded[0].save(
        path,
        format="GIF",
        save_all=True,
        append_images=padded[1:],
        duration=duration_ms,
        loop=0,
    )
    return path
