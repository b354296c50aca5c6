"""Step through the backward pass as pictures: PNG/SVG frames, an animated GIF, an HTML page.

    from autograd.stepthrough import write_frames, write_gif, write_html

    write_frames(loss, "frames/")          # frames/frame_000.png, frame_001.png, ...
    write_gif(loss, "backward.gif")        # the same frames, animated
    write_html(loss, "backward.html")      # one offline page: slider, Prev/Next, arrow keys
    step_through(loss, lr=0.4, quiz=True)  # the same page inline in Jupyter, quiz mode on

Frame 0 is the forward graph with only d(loss)/d(loss) = 1 known; frame k
highlights the node that the k-th chain-rule step processes and shows the
gradients accumulated so far.
"""

from autograd.stepthrough.frames import (
    Frame,
    frame_graphs,
    frames,
    known_grads_per_frame,
    write_frames,
    write_gif,
)
from autograd.stepthrough.html import StepThroughPage, step_through, write_html

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
