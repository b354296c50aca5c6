"""After backward, with a learning rate: a frame per parameter update (old → new), a summary."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from autograd import Value
from autograd.show.draw import HIGHLIGHT_COLOUR
from chainrule.stepthrough import frames, write_gif
from tests.worked_example import LR, course_example, lesson_answers


def test_update_frames_move_each_parameter_and_a_summary_lists_them_all():
    E, params = course_example()
    answers = lesson_answers()  # plain floats
    every = frames(E, lr=LR, parameters=params.values())
    assert len(every) == 9 + 1 + 4 + 1
    updates, summary = every[10:14], every[14]
    # in the order backward completes the gradients: b2 and w2 at the second neuron, then b1, w1
    assert [frame.updates[0].parameter for frame in updates] == [
        params[name] for name in ("b2", "w2", "b1", "w1")
    ]
    for index, frame in enumerate(updates, 1):
        (update,) = frame.updates
        name = update.parameter.label
        assert frame.index == 9 + index and frame.step is None and not frame.summary
        assert update.old == params[name].data and update.lr == LR
        assert update.new == pytest.approx(answers[f"new {name}"], rel=1e-12)
        assert frame.title.startswith(f"Update {index} of 4: {name} ← {name} − lr · ∂E/∂{name} = ")
        assert frame.title.endswith(f"= {answers[f'new {name}']:.4f}")
        record = next(line for line in frame.graph.source.splitlines() if f"{name} | data" in line)
        assert HIGHLIGHT_COLOUR in record  # the parameter being moved is highlighted
    # the course's published results
    new = {u.parameter.label: round(u.new, 4) for u in summary.updates}
    assert new == {"w2": 0.4272, "b2": 0.6121, "w1": 0.1496, "b1": 0.3959}
    assert summary.summary and "w1 0.1500 → 0.1496" in summary.title
    assert summary.known_grads == every[9].known_grads  # the gradients backward found


def test_without_a_learning_rate_there_are_no_update_frames_and_a_bad_one_is_refused():
    E, params = course_example()
    assert len(frames(E)) == 10 and all(not frame.updates for frame in frames(E))
    with pytest.raises(ValueError, match="frames: expected lr to be a number > 0"):
        frames(E, lr=0.0, parameters=params.values())
    with pytest.raises(ValueError, match="15 frames, more than max_frames=14"):
        frames(E, lr=LR, max_frames=14, parameters=params.values())


def test_explicit_parameters_choose_what_is_updated():
    x, w = Value(2.0, label="x"), Value(0.5, label="weight")
    y = (w * x).tanh()
    y.label = "y"
    named = frames(y, lr=0.1, parameters=[w])
    assert [frame.updates[0].parameter for frame in named[-2:-1]] == [w]
    assert frames(y, lr=0.1, parameters=[])[-1].updates == ()
    with pytest.raises(ValueError, match=r"^frames: lr= updates parameters: give them as"):
        frames(y, lr=0.1)  # nothing is guessed from labels (w1, b1 neither)


def test_the_gif_shows_the_updates_too(tmp_path):
    E, params = course_example()
    with Image.open(write_gif(E, tmp_path / "steps.gif", lr=LR, parameters=params.values())) as gif:
        assert gif.n_frames == 15


def test_a_wide_gif_fits_a_1920_px_slide_with_text_of_11_px_or_more(tmp_path):
    E, params = course_example()
    natural = frames(E, rankdir="LR")[0].graph  # dot's PNG of the forward frame, unscaled
    with Image.open(io.BytesIO(natural.pipe(format="png"))) as image:
        natural_width = image.width
    with Image.open(
        write_gif(E, tmp_path / "steps.gif", lr=LR, rankdir="LR", parameters=params.values())
    ) as gif:
        width = gif.width
    assert natural_width > 1920 >= width > 1700  # laid out smaller, not much
    # the smallest text, 10-point edge labels at 96 dpi, after scaling to the slide
    assert 10 * 96 / 72 * width / natural_width >= 11
