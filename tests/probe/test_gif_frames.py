"""Class 3 of the second hostile probe: the GIF is drawn cheaply (dot's own GIF frames, copied
onto the canvas) and still shows, pixel for pixel, what dot draws as a PNG."""

from __future__ import annotations

import io

from PIL import Image, ImageChops, ImageStat

from autograd import Value
from autograd.show.frames import frame_graphs, write_gif


def _neuron() -> tuple[Value, list[Value]]:
    """tanh(w·x + b) and its parameters."""
    w, x, b = Value(-1.2, label="w"), Value(0.5, label="x"), Value(0.3, label="b")
    return (w * x + b).tanh(), [w, b]


def test_each_gif_frame_is_dot_s_png_of_that_frame_on_white_paper(tmp_path):
    root, parameters = _neuron()
    with Image.open(write_gif(root, tmp_path / "a.gif", lr=0.4, parameters=parameters)) as gif:
        canvas = gif.size
        shown = []
        for index in range(gif.n_frames):
            gif.seek(index)
            shown.append(gif.convert("RGB"))
    graphs = frame_graphs(root, lr=0.4, parameters=parameters)
    assert len(shown) == len(graphs)
    for picture, graph in zip(shown, graphs):
        png = Image.open(io.BytesIO(graph.pipe(format="png"))).convert("RGBA")
        expected = Image.new("RGB", png.size, "white")
        expected.paste(png, mask=png)
        left, top = (canvas[0] - png.width) // 2, (canvas[1] - png.height) // 2  # centred
        drawn = picture.crop((left, top, left + png.width, top + png.height))
        difference = ImageChops.difference(drawn, expected).convert("L")
        assert max(ImageStat.Stat(difference).mean) < 3  # a few levels of 255 on average
        histogram = difference.histogram()
        assert sum(histogram[40:]) < 0.005 * png.width * png.height  # edges of glyphs only
        # the paper, and the padding around a smaller frame, are white
        colours = dict((colour, n) for n, colour in picture.getcolors(1 << 16))
        assert max(colours, key=colours.__getitem__) == (255, 255, 255)
        assert picture.getpixel((0, 0)) == (255, 255, 255)
