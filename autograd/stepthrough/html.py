"""The backward pass as one offline HTML page: every frame's SVG, a slider and Prev/Next.

The page is a single self-contained file (no server, no network: it works from
file://) that a teacher can hand out. Every piece of text in it -- labels, op
names, numbers, the title -- goes through ``html.escape``, and the SVG drawings
come from `dot`, which writes labels as escaped XML text, so a label such as
``<script>`` shows as text and runs nothing.
"""

from __future__ import annotations

import os
import re
from html import escape
from importlib.resources import files
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING

from autograd import checks
from autograd.draw import DrawOptions
from autograd.format import format_number
from autograd.stepthrough.frames import Frame, frames
from autograd.trace import node_names
from autograd.value import Value

if TYPE_CHECKING:
    from typing_extensions import Unpack  # typing.Unpack from Python 3.11 on

DEFAULT_TITLE = "Backpropagation, step by step"


def inline_svg(svg: str, id_prefix: str) -> str:
    """dot's SVG document as an element to inline in HTML.

    Drops the XML prolog, doctype, comments and ``<title>`` elements (dot's
    internal node names, which would pop up as tooltips), and prefixes every id
    and every reference to one (``url(#id)``, ``href="#id"``) with ``id_prefix``,
    so that the many drawings on one page keep their ids unique.
    """
    element = svg[svg.index("<svg") :]
    element = re.sub(r"<!--.*?-->|<title>.*?</title>", "", element, flags=re.DOTALL)
    element = re.sub(r'\sid="|url\(#|href="#', lambda found: found.group() + id_prefix, element)
    return element.strip()


def caption_html(root: Value, frame: Frame, names: dict[Value, str]) -> str:
    """The caption of one frame: its title, then the step's chain-rule arithmetic as a table.

    Each row is one input x of the processed node n: the local derivative
    ∂n/∂x, the contribution upstream × ∂n/∂x, and x's gradient so far.
    ``names`` is ``trace.node_names(root)``. Every piece of text is escaped.
    """
    root_name = escape(names[root])
    heading = f"<h2>{escape(frame.title)}</h2>"
    step = frame.step
    if step is None:
        return (
            f"{heading}\n<p>The forward pass has computed every value. Backpropagation starts "
            f"at the root <code>{root_name}</code> with ∂{root_name}/∂{root_name} = 1; "
            f"gradients not reached yet show as ?.</p>"
        )
    name = escape(names[step.node])
    rows = "\n".join(
        f"<tr><td><code>{escape(names[child])}</code></td>"
        f"<td>{escape(format_number(local))}</td>"
        f"<td>{escape(format_number(contribution))}</td>"
        f"<td>{escape(format_number(frame.known_grads[child]))}</td></tr>"
        for child, local, contribution in zip(step.inputs, step.local_grads, step.contributions)
    )
    return (
        f"{heading}\n<p>Node <code>{name}</code> (op <code>{escape(step.node.op)}</code>) has "
        f"its gradient complete: upstream ∂{root_name}/∂{name} = "
        f"{escape(format_number(step.upstream))}. Each input gets upstream × local derivative "
        f"added to its gradient.</p>\n"
        f"<table>\n<thead><tr><th>input</th><th>local derivative ∂{name}/∂input</th>"
        f"<th>upstream × local</th><th>∂{root_name}/∂input so far</th></tr></thead>\n"
        f"<tbody>\n{rows}\n</tbody>\n</table>"
    )


def write_html(
    root: Value,
    path: str | os.PathLike[str],
    title: str = DEFAULT_TITLE,
    **draw_kwargs: Unpack[DrawOptions],
) -> Path:
    """Write the step-through of ``root``'s backward pass as one offline HTML page.

    One section per frame (the forward graph, then one per chain-rule step),
    each a caption with the step's arithmetic above the frame's SVG drawing;
    a slider, Previous/Next buttons and the arrow keys move between them.
    ``draw_kwargs`` go to every ``draw_graph`` call. Returns the file's path.
    """
    title = checks.text(title, "write_html", "title")
    page_frames = frames(root, **draw_kwargs)
    names = node_names(root)
    sections = "\n".join(
        f'<section class="frame" id="frame-{frame.index}">\n'
        f'<div class="caption">\n{caption_html(root, frame, names)}\n</div>\n'
        f'<figure class="drawing">\n'
        f"{inline_svg(frame.graph.pipe(format='svg', encoding='utf-8'), f'f{frame.index}-')}\n"
        f"</figure>\n</section>"
        for frame in page_frames
    )
    template = Template(files(__package__).joinpath("template.html").read_text(encoding="utf-8"))
    page = template.substitute(
        title=escape(title), frames=sections, last_index=len(page_frames) - 1
    )
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path
