"""The backward pass as one offline HTML page: every frame's SVG, a slider, Prev/Next, a quiz.

    from chainrule.stepthrough import write_frames, write_gif, write_html

    write_frames(loss, "frames/")          # frames/frame_000.png, frame_001.png, ...
    write_gif(loss, "backward.gif")        # the same frames, animated
    write_html(loss, "backward.html")      # one offline page: slider, Prev/Next, arrow keys
    step_through(loss, lr=0.4, parameters=params, quiz=True)  # inline in Jupyter, with the
    # updates of the parameters given (model.parameters()), quiz mode on

Frame 0 is the forward graph with only d(loss)/d(loss) = 1 known; frame k
highlights the node that the k-th chain-rule step processes and shows the
gradients accumulated so far. The frames are drawn by ``autograd.show.frames``; this
module (the teaching layer) adds the page and its quiz.

The page is a single self-contained file (no server, no network: it works from
file://) that a teacher can hand out. Every piece of text in it -- labels, op
names, numbers, the title -- goes through ``html.escape``, and the SVG drawings
come from `dot`, which writes labels as escaped XML text, so a label such as
``<script>`` shows as text and runs nothing.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from importlib.resources import files
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING

from autograd import checks
from autograd.files import write_atomically
from autograd.show.draw import DrawOptions, svg_element
from autograd.show.format import format_number
from autograd.show.frames import (
    Frame,
    Progress,
    frame_graphs,
    frames,
    known_grads_per_frame,
    render_all,
    write_frames,
    write_gif,
)
from autograd.show.names import node_names, partial
from autograd.value import Value
from chainrule.offline import offline_checker
from chainrule.order import PROMPT, order_verdicts
from chainrule.questions import (
    MAX_SIGNIFICANT_FIGURES,
    SIGNIFICANT_FIGURES,
    Checker,
    Question,
    round_significant,
    rules,
)

if TYPE_CHECKING:
    from typing_extensions import Unpack  # typing.Unpack from Python 3.11 on

__all__ = [
    "Frame",
    "StepThroughPage",
    "frame_graphs",
    "frames",
    "known_grads_per_frame",
    "step_through",
    "write_frames",
    "write_gif",
    "write_html",
]

DEFAULT_TITLE = "Backpropagation, step by step"


def inline_svg(svg: str, id_prefix: str) -> str:
    """dot's SVG document as an element to inline in HTML (``draw.svg_element``), with every
    id and every reference to one (``url(#id)``, ``href="#id"``) prefixed by ``id_prefix``,
    so that the many drawings on one page keep their ids unique.
    """
    element = svg_element(svg)
    return re.sub(r'\sid="|url\(#|href="#', lambda found: found.group() + id_prefix, element)


def caption_html(root: Value, frame: Frame, names: dict[Value, str]) -> str:
    """The caption of one frame: its title, then the step's chain-rule arithmetic as a table.

    Each row is one input x of the processed node n: the local derivative
    ∂n/∂x, the contribution upstream × ∂n/∂x, and x's gradient so far.
    ``names`` is ``names.node_names(root)``. Every piece of text is escaped;
    every number is in a ``<span class="number">``, which quiz mode hides
    until the step's questions are answered.
    """
    root_name = names[root]
    heading = f"<h2>{escape(frame.title)}</h2>"
    if frame.updates:
        return f"{heading}\n{_updates_html(frame, names, root_name)}"
    step = frame.step
    if step is None:
        return (
            f"{heading}\n<p>The forward pass has computed every value. Backpropagation starts "
            f"at the root <code>{escape(root_name)}</code> with "
            f"{escape(partial(root_name, root_name))} = 1; "
            f"gradients not reached yet show as ?.</p>"
        )
    name = names[step.node]
    rows = "\n".join(
        f"<tr><td><code>{escape(names[child])}</code></td>"
        f"<td>{_number(local)}</td><td>{_number(contribution)}</td>"
        f"<td>{_number(frame.known_grads[child])}</td></tr>"
        for child, local, contribution in zip(step.inputs, step.local_grads, step.contributions)
    )
    return (
        f"{heading}\n<p>Node <code>{escape(name)}</code> (op <code>{escape(step.node.op)}</code>) "
        f"has its gradient complete: upstream {escape(partial(root_name, name))} = "
        f"{_number(step.upstream)}. Each input gets upstream × local derivative "
        f"added to its gradient.</p>\n"
        f'<div class="table-scroll"><table>\n<thead><tr><th>input</th>'
        f"<th>local derivative {escape(partial(name, 'input'))}</th>"
        f"<th>upstream × local</th><th>{escape(partial(root_name, 'input'))} so far</th></tr>"
        f"</thead>\n<tbody>\n{rows}\n</tbody>\n</table></div>"
    )


def _updates_html(frame: Frame, names: dict[Value, str], root_name: str) -> str:
    """An update frame's arithmetic (p ← p − lr · ∂root/∂p), or the summary's table."""
    if not frame.summary:
        update = frame.updates[0]
        name = escape(names[update.parameter])
        return (
            f"<p>Gradient descent moves <code>{name}</code> against its gradient: {name} ← "
            f"{name} − lr · {escape(partial(root_name, names[update.parameter]))} = "
            f"{_number(update.old)} − {update.lr:g} × {_number(update.grad)} = "
            f"{_number(update.new)}.</p>"
        )
    rows = "\n".join(
        f"<tr><td><code>{escape(names[u.parameter])}</code></td><td>{_number(u.old)}</td>"
        f"<td>{_number(u.grad)}</td><td>{_number(u.new)}</td></tr>"
        for u in frame.updates
    )
    return (
        f"<p>Every parameter p moved to p − {frame.updates[0].lr:g} · "
        f"{escape(partial(root_name, 'p'))}; the next forward pass starts from these.</p>\n"
        f'<div class="table-scroll"><table>\n<thead><tr><th>parameter</th><th>old</th>'
        f"<th>{escape(partial(root_name, 'p'))}</th><th>new</th></tr></thead>\n"
        f"<tbody>\n{rows}\n</tbody>\n</table></div>"
    )


def frame_position(frame: Frame, page_frames: Sequence[Frame]) -> str:
    """Where a frame is, as the step counter says it: "Step 4 of 9", "Update 2 of 4", "Summary"."""
    steps = sum(1 for f in page_frames if f.step is not None)
    if frame.summary:
        return "Summary"
    if frame.updates:
        return f"Update {frame.index - steps} of {len(page_frames) - steps - 2}"
    return f"Step {frame.index} of {steps}"


def _number(value: float) -> str:
    return f'<span class="number">{escape(format_number(value))}</span>'


def page_questions(
    questions: Sequence[Question],
    page_frames: Sequence[Frame],
    names: dict[Value, str],
    root: Value,
    significant_figures: int = SIGNIFICANT_FIGURES,
) -> list[dict[str, object]]:
    """The questions as the page's script reads them: ``Question.to_dict()`` plus where they go.

    frame: the frame that asks it -- 0 for the forward values, the step that
        completes a gradient, a parameter's update frame (else the last frame).
    node, part: the drawing's record ("z1", "data"; "w2", "grad") whose number
        stays hidden until the question is answered; part "title" hides the end
        of the drawing's title (an update frame's new value); "" for none.
    shown: the expected value as ``check_answer`` writes it (3 figures: 0.0571).
    """
    by_quantity: dict[str, tuple[str, str]] = {}
    for name in names.values():
        by_quantity[name] = (name, "data")
        by_quantity[f"∂{names[root]}/∂{name}"] = (name, "grad")
    update_frames = {
        f"new {names[frame.updates[0].parameter]}": frame.index
        for frame in page_frames
        if frame.updates and not frame.summary
    }
    for quantity in update_frames:
        by_quantity[quantity] = ("", "title")
    last = len(page_frames) - 1
    result = []
    for question in questions:
        node, part = by_quantity.get(question.quantity, ("", ""))
        frame = {"forward": 0, "update": update_frames.get(question.quantity, last)}.get(
            question.kind, question.step
        )
        rounded = round_significant(question.expected, significant_figures)
        shown = f"{rounded:.{significant_figures}g}"  # as check_answer writes it
        result.append(
            {**question.to_dict(), "frame": frame, "node": node, "part": part, "shown": shown}
        )
    return result


@dataclass(frozen=True)
class StepThroughPage:
    """The step-through page as text; shown inline in Jupyter, or saved as a file.

    In a notebook it displays as an iframe as wide as the cell (its own layout
    then fits that width); ``save`` writes the offline page.
    """

    html: str
    height_px: int = 760

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the page to ``path`` (folders created) with ``autograd.files.write_atomically``:
        an earlier file is replaced whole, a reader never sees half a page."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        return write_atomically(path, self.html.encode("utf-8"))

    def _repr_html_(self) -> str:
        style = f"width:100%;max-width:100%;height:{self.height_px}px;border:1px solid #d0d7de"
        return f'<iframe srcdoc="{escape(self.html, quote=True)}" style="{style}"></iframe>'


def step_through(
    root: Value,
    title: str = DEFAULT_TITLE,
    *,
    lr: float | None = None,
    formulas: Mapping[str, str] | None = None,
    questions: Sequence[Question] | None = None,
    significant_figures: int = SIGNIFICANT_FIGURES,
    quiz: bool = False,
    progress: Progress | None = None,
    **draw_kwargs: Unpack[DrawOptions],
) -> StepThroughPage:
    """The step-through of ``root``'s backward pass as one offline HTML page.

    One section per frame (the forward graph, then one per chain-rule step),
    each a caption with the step's arithmetic above the frame's SVG drawing;
    a slider, Previous/Next buttons and the arrow keys move between them.
    Quiz mode (a checkbox, ``?quiz=1`` in the address, or ``quiz=True``) asks
    ``questions`` (default ``graph_questions(root, lr=lr, formulas=formulas, parameters=...)``:
    the forward values, each gradient as its step completes it, and with ``lr``
    the updated parameters), checked in the page by ``Checker``'s rule
    (``chainrule/checking.js`` runs it on ``chainrule.offline``'s data: the student's own
    numbers carried forward, the named mistakes, formulas) to
    ``significant_figures``. ``draw_kwargs`` go to every ``draw_graph`` call;
    ``progress(k, n)`` is called as the k-th of n drawings is done. In Jupyter,
    ``step_through(loss)`` as a cell's last line shows the page.
    """
    checks.instance(root, "step_through", "root", Value)
    title = checks.text(title, "step_through", "title")
    figures = checks.integer(
        significant_figures,
        "step_through",
        "significant_figures",
        minimum=1,
        maximum=MAX_SIGNIFICANT_FIGURES,
    )
    checks.instance(quiz, "step_through", "quiz", bool)
    page_frames = frames(root, lr=lr, **draw_kwargs)
    names = node_names(root)
    checker = Checker(
        root,
        significant_figures=figures,
        names=names,
        lr=lr,
        formulas=formulas,
        parameters=draw_kwargs.get("parameters"),
    )
    questions = checker.questions if questions is None else questions
    svgs = render_all([frame.graph for frame in page_frames], "svg", progress)
    sections = "\n".join(
        f'<section class="frame" id="frame-{frame.index}" '
        f'data-position="{escape(frame_position(frame, page_frames))}">\n'
        f'<div class="caption">\n{caption_html(root, frame, names)}\n</div>\n'
        f'<figure class="drawing">\n'
        f"{inline_svg(svg.decode('utf-8'), f'f{frame.index}-')}\n"
        f"</figure>\n</section>"
        for frame, svg in zip(page_frames, svgs)
    )
    for question in questions:
        if question.quantity not in checker.by_quantity:
            raise ValueError(
                f"step_through: expected questions of the graph's own, got {question.quantity!r}"
            )
    embedded = page_questions(questions, page_frames, names, root, figures)
    package = files(__package__)
    template = Template(package.joinpath("stepthrough.html").read_text(encoding="utf-8"))
    return StepThroughPage(
        template.substitute(
            title=escape(title),
            frames=sections,
            last_index=len(page_frames) - 1,
            first_position=escape(frame_position(page_frames[0], page_frames)),
            questions=escape(json.dumps(embedded, ensure_ascii=False), quote=True),
            checker=escape(json.dumps(offline_checker(checker), ensure_ascii=False), quote=True),
            order=escape(
                json.dumps(_orders(root, page_frames, names), ensure_ascii=False), quote=True
            ),
            checking=package.joinpath("checking.js").read_text(encoding="utf-8"),
            figures=figures,
            quiz=int(quiz),
            rules=escape(rules(figures)),
        )
    )


def _orders(
    root: Value, page_frames: Sequence[Frame], names: dict[Value, str]
) -> dict[int, dict[str, object]]:
    """Each step frame's order question, as the page asks it (``chainrule.order``)."""
    return {
        frame.index: {
            "prompt": PROMPT,
            "verdicts": order_verdicts(root, page_frames, frame.index, names),
        }
        for frame in page_frames
        if frame.step is not None
    }


def write_html(
    root: Value,
    path: str | os.PathLike[str],
    title: str = DEFAULT_TITLE,
    *,
    lr: float | None = None,
    formulas: Mapping[str, str] | None = None,
    questions: Sequence[Question] | None = None,
    significant_figures: int = SIGNIFICANT_FIGURES,
    quiz: bool = False,
    progress: Progress | None = None,
    **draw_kwargs: Unpack[DrawOptions],
) -> Path:
    """Write ``step_through(root, title, ...)`` to ``path`` as one offline HTML page (the
    same options); return the path."""
    checks.instance(root, "write_html", "root", Value)
    path = checks.file_path(path, "write_html", "path")
    title = checks.text(title, "write_html", "title")
    page = step_through(
        root,
        title,
        lr=lr,
        formulas=formulas,
        questions=questions,
        significant_figures=significant_figures,
        quiz=quiz,
        progress=progress,
        **draw_kwargs,
    )
    return page.save(path)
