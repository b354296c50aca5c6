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
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from autograd import checks
from autograd.descent import gradient_step
from autograd.files import temporary_folder, write_atomically
from autograd.graph import count_nodes
from autograd.show.draw import ComputationGraph, DrawOptions, draw_graph
from autograd.show.format import format_number
from autograd.show.names import node_names, partial
from autograd.show.trace import BackwardStep, backward_steps
from autograd.value import Value

if TYPE_CHECKING:
    from typing_extensions import Unpack  # typing.Unpack from Python 3.11 on

FRAME_FORMATS = ("png", "svg")
MAX_FRAMES = 300
SLIDE_WIDTH_PX = 1920  # the GIF fits a full-HD slide
DOT_DPI = 96  # dot's resolution for PNG and GIF
NEAR_WHITE = 248  # a GIF frame's colours with every channel this high are the paper: white
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
    updates: after backward, with a learning rate: the one parameter an update
        frame moves, or every parameter in the summary frame (``summary``).
    """

    index: int
    title: str
    step: BackwardStep | None
    known_grads: dict[Value, float]
    graph: ComputationGraph
    updates: tuple[Update, ...] = ()
    summary: bool = False


@dataclass(frozen=True)
class Update:
    """One parameter's step of gradient descent: ``new = old − lr · grad``."""

    parameter: Value
    old: float
    grad: float
    lr: float

    @property
    def new(self) -> float:
        return gradient_step(self.old, self.grad, self.lr)


def parameter_updates(
    steps: Sequence[BackwardStep],
    grads: dict[Value, float],
    lr: float,
    parameters: Iterable[Value],
) -> list[Update]:
    """Each parameter's update, in the order backward completes its gradient.

    ``grads`` are the gradients after the last step (``known_grads_per_frame``'s
    last dict); ``parameters`` are the leaves to update (``model.parameters()``),
    as ``draw_graph`` colours them. A parameter no step reaches is not updated.
    """
    completed: dict[Value, int] = {}
    for step in steps:
        for child in step.inputs:
            completed[child] = step.index
    chosen = set(parameters)
    order = sorted(completed, key=completed.__getitem__)
    reached = [node for node in order if node in chosen and not node.op]
    return [Update(node, node.data, grads[node], lr) for node in reached]


def update_title(
    update: Update, names: dict[Value, str], root_name: str, index: int, of: int
) -> str:
    """The title of an update frame: the parameter's old value, the step, the new value."""
    name = names[update.parameter]
    return (
        f"Update {index} of {of}: {name} ← {name} − lr · {partial(root_name, name)} = "
        f"{format_number(update.old)} − {update.lr:g} · {format_number(update.grad)} = "
        f"{format_number(update.new)}"
    )


def summary_title(updates: Sequence[Update], names: dict[Value, str], lr: float) -> str:
    """The summary frame's title: every parameter old → new, four to a line."""
    moves = [
        f"{names[u.parameter]} {format_number(u.old)} → {format_number(u.new)}" for u in updates
    ]
    lines = [", ".join(moves[i : i + 4]) for i in range(0, len(moves), 4)]
    return "\n".join([f"After one step of gradient descent (lr = {lr:g}):", *lines])


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

    ``names`` is ``names.node_names(root)``.
    """
    if step is None:  # the forward frame
        done = partial(names[root], names[root])
        return f"Step 0 of {last_index}: forward pass done, {done} = 1"
    return (
        f"Step {step.index} of {last_index}: back through {names[step.node]} "
        f"({step.node.op}), upstream gradient {format_number(step.upstream)}"
    )


def frames(
    root: Value,
    *,
    max_frames: int = MAX_FRAMES,
    lr: float | None = None,
    titled: bool = True,
    **draw_kwargs: Unpack[DrawOptions],
) -> list[Frame]:
    """Every frame of ``root``'s backward pass: the forward graph, then one per step;
    with a learning rate ``lr``, then one per update of the ``parameters=`` given
    (old → new, the parameter highlighted) and a summary of them all.

    ``draw_kwargs`` (rankdir, clusters, show_local_grads, ...) go to every
    ``draw_graph`` call; ``highlight``, ``known_grads`` and ``title`` are set
    per frame (``titled=False`` leaves each ``Frame.title`` out of its drawing, for a
    page that shows it above the drawing). A graph needing more than ``max_frames``
    frames raises ValueError: one picture per node is only readable for small graphs.
    """
    given_per_frame = [name for name in SET_PER_FRAME if name in draw_kwargs]
    if given_per_frame:
        raise TypeError(
            f"frames: {', '.join(given_per_frame)} is set for each frame, do not pass it"
        )
    max_frames = checks.integer(max_frames, "frames", "max_frames", minimum=1)
    rate = None if lr is None else checks.positive_number(lr, "frames", "lr")
    checks.instance(root, "frames", "root", Value)
    # Counted first, from the graph alone (a step per computed node, a frame per step and
    # one), stopping as soon as there are too many: a refusal costs O(max_frames).
    step_count = count_nodes(root, max_frames - 1, leaf_weight=0)
    if step_count + 1 > max_frames:
        _refuse_frames(None, max_frames)
    steps = backward_steps(root)
    last_index = len(steps)
    per_frame = known_grads_per_frame(root, steps)
    parameters = draw_kwargs.get("parameters")
    updates = []
    if rate is not None:
        if parameters is None:
            raise ValueError("frames: lr= updates parameters: give them as parameters=[...]")
        updates = parameter_updates(steps, per_frame[-1], rate, parameters)
    count = last_index + 1 + (len(updates) + 1 if updates else 0)
    if count > max_frames:
        _refuse_frames(count, max_frames)
    names = node_names(root)
    result = []
    for index, (step, known) in enumerate(zip([None, *steps], per_frame)):
        title = frame_title(root, step, names, last_index)
        graph = draw_graph(
            root,
            highlight=None if step is None else step.node,
            known_grads=known,
            title=title if titled else None,
            **draw_kwargs,
        )
        result.append(Frame(index, title, step, known, graph))
    # After backward: one frame per update, then the summary (three-tuples: title, updates,
    # whether it is the summary).
    after: list[tuple[str, tuple[Update, ...], bool]] = [
        (update_title(u, names, names[root], i, len(updates)), (u,), False)
        for i, u in enumerate(updates, 1)
    ]
    if rate is not None and updates:
        after.append((summary_title(updates, names, rate), tuple(updates), True))
    for title, moved, summary in after:
        graph = draw_graph(
            root,
            highlight=[u.parameter for u in moved],
            known_grads=per_frame[-1],
            title=title if titled else None,
            **draw_kwargs,
        )
        result.append(Frame(len(result), title, None, per_frame[-1], graph, moved, summary))
    return result


def _refuse_frames(count: int | None, max_frames: int) -> NoReturn:
    """``count`` frames, or None when counting stopped once there were more than max_frames."""
    size = f"{count} frames, more than" if count else "more than"
    raise ValueError(
        f"frames: the backward pass needs {size} max_frames={max_frames} (one per step, one "
        f"for the forward pass and, with lr, one per parameter update); step through a "
        f"smaller graph (one neuron, or a tiny network) or raise max_frames"
    )


def frame_graphs(
    root: Value, *, lr: float | None = None, **draw_kwargs: Unpack[DrawOptions]
) -> list[ComputationGraph]:
    """The drawings of ``frames(root, lr=lr, **draw_kwargs)``: one per frame."""
    return [frame.graph for frame in frames(root, lr=lr, **draw_kwargs)]


Progress = Callable[[int, int], None]
"""``progress(k, n)``: the k-th of n pictures is done."""


def render_all(
    graphs: Sequence[ComputationGraph], format: str, progress: Progress | None = None
) -> list[bytes]:
    """Each drawing rendered by `dot` as ``format`` bytes, in order; as many `dot`s run at
    once as there are processors (one `dot` lays out one frame in about a tenth of a
    second, a PNG in half a second). ``progress(k, n)`` after each is done."""
    workers = max(1, min(len(graphs), os.cpu_count() or 1))
    rendered = []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(graph.pipe, format=format) for graph in graphs]
        try:
            for index, future in enumerate(futures, 1):
                rendered.append(future.result())
                if progress:
                    progress(index, len(graphs))
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    return rendered


def write_frames(
    root: Value,
    folder: str | os.PathLike[str],
    format: str = "png",
    *,
    lr: float | None = None,
    **draw_kwargs: Unpack[DrawOptions],
) -> list[Path]:
    """Render every frame into ``folder`` as frame_000.png, frame_001.png, ... and return the paths.

    ``format`` is "png" or "svg". The folder is created if needed. Every frame is
    rendered first, into a temporary folder inside ``folder``; only then are the
    new frames moved into place and the frame files of that format left by an
    earlier run removed, so the folder holds exactly this backward pass -- or, if
    rendering fails (no `dot`, a full disk), still the earlier frames, untouched.
    """
    checks.instance(root, "write_frames", "root", Value)
    checks.one_of(format, "write_frames", "format", FRAME_FORMATS)
    checks.instance(folder, "write_frames", "folder", (str, os.PathLike))
    graphs = frame_graphs(root, lr=lr, **draw_kwargs)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    digits = max(3, len(str(len(graphs) - 1)))  # zero-padded, so names sort in step order
    names = [f"frame_{index:0{digits}d}.{format}" for index in range(len(graphs))]
    with temporary_folder(folder, ".frames") as rendering:
        for name, image in zip(names, render_all(graphs, format)):
            (rendering / name).write_bytes(image)
        for name in names:  # a rename each: every frame is the old file or the whole new one
            os.replace(rendering / name, folder / name)
    earlier_frame = re.compile(rf"frame_\d+\.{format}")
    for path in folder.iterdir():
        if earlier_frame.fullmatch(path.name) and path.name not in names:
            path.unlink()
    return [folder / name for name in names]


def write_gif(
    root: Value,
    path: str | os.PathLike[str],
    duration_ms: int = 1200,
    *,
    lr: float | None = None,
    progress: Progress | None = None,
    **draw_kwargs: Unpack[DrawOptions],
) -> Path:
    """Write the frames as one animated GIF that loops forever; return its path.

    Each frame is shown for ``duration_ms`` milliseconds. A frame wider than a
    1920-px slide is laid out smaller by `dot` to fit it (the demo's smallest text
    stays above 11 px). `dot` renders each frame as a GIF already (cairo's drawing in
    256 colours of its own), at half the cost of a PNG and with no colour reduction
    left to do here. Frames differ in size (titles and labels change), so each is
    centred on a white canvas as large as the largest frame. The frames are
    streamed: each is decoded and encoded in turn, one byte a pixel, so memory
    holds one decoded frame, never all of them. ``progress(k, n)`` is called after
    frame k of n is drawn (and again as it is encoded).
    """
    checks.instance(root, "write_gif", "root", Value)
    path = checks.file_path(path, "write_gif", "path")
    duration_ms = checks.integer(duration_ms, "write_gif", "duration_ms", minimum=1)
    from PIL import GifImagePlugin, Image  # here: the rest of chainrule runs without Pillow

    graphs = frame_graphs(root, lr=lr, **draw_kwargs)
    for graph in graphs:  # `size` is in inches, at the 96 dpi of dot's raster; only ever shrinks
        graph.attr(size=f"{SLIDE_WIDTH_PX / DOT_DPI:g},1000")
    # Compressed GIFs, a few hundred kB a frame at most; decoded one at a time below.
    images = render_all(graphs, "gif", progress and (lambda k, n: progress(k, 2 * n)))
    sizes = [Image.open(io.BytesIO(image)).size for image in images]  # headers, not pixels
    size = (max(width for width, _ in sizes), max(height for _, height in sizes))
    gif = io.BytesIO()
    for index, image in enumerate(images):
        frame = _on_canvas(Image.open(io.BytesIO(image)), size)
        if index == 0:
            header, _ = GifImagePlugin.getheader(frame, info={"loop": 0, "duration": duration_ms})
            gif.write(b"".join(header))
        for chunk in GifImagePlugin.getdata(frame, duration=duration_ms, include_color_table=True):
            gif.write(chunk)
        if progress:
            progress(len(graphs) + index + 1, 2 * len(graphs))
    gif.write(b";")  # the GIF trailer
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_atomically(path, gif.getvalue())


def _on_canvas(image: Any, size: tuple[int, int]) -> Any:
    """``image`` (dot's GIF: 256 colours) centred on a white canvas of ``size``, as is.

    Its near-white colours (cairo's white paper comes out (252, 254, 252)) and its
    transparent colour, if any, are made white, so the paper stays white; the canvas is
    filled with that white, so the frame's pixels are copied, not re-coloured.
    """
    from PIL import Image

    palette = (image.getpalette() or []) + [0, 0, 0] * 256
    near_white = [i for i in range(256) if min(palette[3 * i : 3 * i + 3]) >= NEAR_WHITE]
    transparent = image.info.get("transparency")
    paper = [*near_white, *([transparent] if isinstance(transparent, int) else [])] or [0]
    for index in paper:
        palette[3 * index : 3 * index + 3] = [255, 255, 255]
    canvas = Image.new("P", size, paper[0])
    canvas.putpalette(palette[:768])
    canvas.paste(image, ((size[0] - image.width) // 2, (size[1] - image.height) // 2))
    return canvas
