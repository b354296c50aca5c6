"""The backward step-through as pictures, checked with the real tools: `dot` renders the
frames, Pillow reads the PNG and GIF files, xml.etree the SVG, and headless Chromium
runs the HTML page the way a student opens it (file://, no network)."""

from __future__ import annotations

import io
import math
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from PIL import Image, ImageChops

from autograd import Value, topological_order
from autograd.show.trace import backward_steps
from chainrule.stepthrough import (
    frame_graphs,
    frames,
    known_grads_per_frame,
    write_frames,
    write_gif,
    write_html,
)
from tests.worked_example import B1, B2, LR, TARGET, W1, W2, X, course_example, labelled

SCRIPT_LABEL = "<script>alert(1)</script>"
IMG_LABEL = '<img src=x onerror="alert(2)">'


def shared_use_graph() -> tuple[Value, Value, Value]:
    """f = tanh(x*x + x*y) + x: x is used by three ops, so its gradient grows over steps.

    Its labels are hostile HTML, to check every output shows them as text.
    """
    x = Value(0.7, SCRIPT_LABEL)
    y = Value(-1.3, IMG_LABEL)
    f = labelled((x * x + x * y).tanh() + x, "f")
    return f, x, y


def test_frame_zero_knows_only_the_root_and_each_step_adds_its_contributions():
    f, x, _ = shared_use_graph()
    steps = backward_steps(f)
    known = known_grads_per_frame(f, steps)
    assert len(known) == len(steps) + 1
    assert known[0] == {f: 1.0}
    for before, after, step in zip(known, known[1:], steps):
        assert set(before) <= set(after)
        for child in set(step.inputs):
            added = sum(c for i, c in zip(step.inputs, step.contributions) if i is child)
            assert after[child] == pytest.approx(before.get(child, 0.0) + added, abs=1e-15)
    # x's gradient is a partial sum until its last use is processed.
    x_grads = [frame[x] for frame in known if x in frame]
    assert len(set(x_grads)) > 1


def test_last_frame_holds_exactly_the_engines_gradients_without_touching_grad():
    f, x, y = shared_use_graph()
    known = known_grads_per_frame(f, backward_steps(f))[-1]
    nodes = topological_order(f)
    assert all(node.grad == 0.0 for node in nodes)
    f.backward()
    assert known == {node: node.grad for node in nodes}
    # and the engine's numbers match central differences of the plain-float formula
    eps = 1e-6

    def plain(a: float, b: float) -> float:
        return math.tanh(a * a + a * b) + a

    assert known[x] == pytest.approx((plain(0.7 + eps, -1.3) - plain(0.7 - eps, -1.3)) / (2 * eps))
    assert known[y] == pytest.approx((plain(0.7, -1.3 + eps) - plain(0.7, -1.3 - eps)) / (2 * eps))


def test_last_frame_gives_the_courses_published_update():
    E, params = course_example()
    known = known_grads_per_frame(E, backward_steps(E))[-1]
    updated = {name: round(p.data - LR * known[p], 4) for name, p in params.items()}
    assert updated == {"w2": 0.4272, "b2": 0.6121, "w1": 0.1496, "b1": 0.3959}


def test_frames_highlight_each_step_node_with_a_title():
    E, _ = course_example()
    steps = backward_steps(E)
    pictures = frames(E)
    assert [frame.index for frame in pictures] == list(range(len(steps) + 1))
    assert pictures[0].step is None
    assert [frame.step for frame in pictures[1:]] == steps
    assert [frame.known_grads for frame in pictures] == known_grads_per_frame(E, steps)
    assert pictures[0].title.startswith(f"Step 0 of {len(steps)}: forward pass done")
    a2_index = next(frame.index for frame in pictures[1:] if frame.step.node.label == "a2")
    assert pictures[a2_index].title.startswith(
        f"Step {a2_index} of {len(steps)}: back through a2 (sigmoid)"
    )
    sources = [frame.graph.source for frame in pictures]
    assert all(frame.title in source for frame, source in zip(pictures, sources))
    assert len(set(sources)) == len(sources)
    assert all(node.grad == 0.0 for node in topological_order(E))


def test_frame_graphs_passes_drawing_options_and_refuses_per_frame_ones():
    E, _ = course_example()
    graphs = frame_graphs(E, rankdir="TB")
    assert len(graphs) == len(backward_steps(E)) + 1
    assert all("rankdir=TB" in graph.source for graph in graphs)
    for option in ("highlight", "known_grads", "title"):
        with pytest.raises(TypeError, match=f"frames: {option} is set for each frame"):
            frame_graphs(E, **{option: None})


def test_a_leaf_root_has_the_forward_frame_only(tmp_path):
    x = Value(2.0, "x")
    (frame,) = frames(x)
    assert frame.title == "Step 0 of 0: forward pass done, ∂x/∂x = 1"
    assert frame.known_grads == {x: 1.0}
    with Image.open(write_gif(x, tmp_path / "leaf.gif")) as gif:
        assert gif.n_frames == 1
    assert 'max="0"' in write_html(x, tmp_path / "leaf.html").read_text(encoding="utf-8")


def test_too_many_frames_is_a_clear_error():
    chain = Value(0.3, "x")
    for _ in range(10):
        chain = chain.tanh()
    with pytest.raises(
        ValueError, match=r"frames: the backward pass needs more than max_frames=5 \(one per step"
    ):
        frames(chain, max_frames=5)


def test_write_frames_png_are_valid_and_replace_an_earlier_run(tmp_path):
    E, _ = course_example()
    folder = tmp_path / "frames"
    folder.mkdir()
    (folder / "frame_099.png").write_bytes(b"from an earlier, longer run")
    (folder / "notes.txt").write_text("keep me")
    paths = write_frames(E, folder)
    count = len(backward_steps(E)) + 1
    assert [p.name for p in paths] == [f"frame_{i:03d}.png" for i in range(count)]
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [p.name for p in paths] + ["notes.txt"]
    )
    for path in paths:
        assert path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
        with Image.open(path) as image:
            image.verify()
        with Image.open(path) as image:
            assert image.format == "PNG" and image.width > 100 and image.height > 50


def test_write_frames_svg_are_valid_xml_with_the_labels(tmp_path):
    f, _, _ = shared_use_graph()
    paths = write_frames(f, tmp_path, format="svg")
    assert len(paths) == len(backward_steps(f)) + 1
    for path in paths:
        assert path.name.endswith(".svg")
        root = ET.parse(path).getroot()
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        texts = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
        assert SCRIPT_LABEL in texts and IMG_LABEL in texts


def test_write_frames_rejects_an_unknown_format(tmp_path):
    E, _ = course_example()
    with pytest.raises(
        ValueError, match=r"^write_frames: expected format to be one of 'png', 'svg', got 'jpg'$"
    ):
        write_frames(E, tmp_path, format="jpg")
    assert list(tmp_path.iterdir()) == []


def test_write_gif_is_an_animated_looping_gif_with_one_frame_per_step(tmp_path):
    E, _ = course_example()
    path = write_gif(E, tmp_path / "out" / "backward.gif", duration_ms=700)
    assert path == tmp_path / "out" / "backward.gif"
    assert path.read_bytes()[:6] in (b"GIF87a", b"GIF89a")
    with Image.open(path) as gif:
        assert gif.format == "GIF"
        assert gif.is_animated
        assert gif.n_frames == len(backward_steps(E)) + 1
        assert gif.info["loop"] == 0
        previous = None
        for index in range(gif.n_frames):
            gif.seek(index)
            assert gif.info["duration"] == 700
            picture = gif.convert("RGB")
            # padded on white: the corners are background
            corners = [(0, 0), (picture.width - 1, 0), (0, picture.height - 1)]
            assert all(picture.getpixel(c) == (255, 255, 255) for c in corners)
            if previous is not None:
                assert ImageChops.difference(picture, previous).getbbox() is not None
            previous = picture


@pytest.mark.parametrize(
    ("duration", "error", "message"),
    [
        (0, ValueError, "expected duration_ms to be an int >= 1, got 0"),
        (-5, ValueError, "expected duration_ms to be an int >= 1, got -5"),
        (1.5, TypeError, "expected duration_ms to be an int, got 1.5 (float)"),
        (True, TypeError, "expected duration_ms to be an int, got True (bool)"),
        ("1200", TypeError, "expected duration_ms to be an int, got '1200' (str)"),
    ],
)
def test_write_gif_rejects_a_bad_duration(tmp_path, duration, error, message):
    E, _ = course_example()
    with pytest.raises(error, match="^" + re.escape(f"write_gif: {message}") + "$"):
        write_gif(E, tmp_path / "x.gif", duration_ms=duration)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("max_frames", "error"), [(0, ValueError), (2.0, TypeError)])
def test_frames_checks_max_frames(max_frames, error):
    E, _ = course_example()
    with pytest.raises(error, match=r"^frames: expected max_frames to be an int"):
        frames(E, max_frames=max_frames)


def element_attributes(page: str) -> list[str]:
    """The name of every attribute of every element, as a browser's parser reads them (an
    escaped label inside an attribute's value is text, not an attribute)."""
    names: list[str] = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            names.extend(name for name, _ in attrs)

    Collector().feed(page)
    return names


def test_html_is_self_contained_and_escapes_every_label(tmp_path):
    f, _, _ = shared_use_graph()
    path = write_html(f, tmp_path / "page" / "steps.html", title="<b>Backprop</b> & friends")
    page = path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "<?xml" not in page and "<!DOCTYPE svg" not in page
    # no URL other than the SVG namespaces: nothing to fetch, works from file://
    without_namespaces = re.sub(r'\sxmlns(:\w+)?="http://www\.w3\.org/[\w/.]+"', "", page)
    assert re.findall(r"https?:|@import|url\((?!#)", without_namespaces) == []
    assert [attr for attr in element_attributes(page) if attr in ("src", "href")] == []
    # one script element, ours; hostile labels and the title appear only escaped
    assert len(re.findall(r"<script", page, flags=re.IGNORECASE)) == 1
    assert "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;Backprop&lt;/b&gt; &amp; friends" in page
    assert page.count('<section class="frame"') == len(backward_steps(f)) + 1
    # ids stay unique although every frame is its own SVG drawing
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))


def test_html_title_must_be_text(tmp_path):
    with pytest.raises(TypeError, match=r"^write_html: expected title to be a str, got 3 \(int\)$"):
        write_html(Value(1.0, "x"), tmp_path / "x.html", title=3)


def test_html_caption_shows_the_chain_rule_arithmetic_of_its_step(tmp_path):
    E, _ = course_example()
    page = write_html(E, tmp_path / "steps.html").read_text(encoding="utf-8")
    a2_index = next(i for i, step in enumerate(backward_steps(E), 1) if step.node.label == "a2")
    section = re.search(
        rf'<section class="frame" id="frame-{a2_index}"[^>]*>(.*?)</section>', page, re.S
    )
    caption = section.group(1).split('<figure class="drawing">')[0]
    # plain-float forward pass: dE/da2 = a2 - T, da2/dz2 = a2 (1 - a2)
    a1 = 1.0 / (1.0 + math.exp(-(W1 * X + B1)))
    a2 = 1.0 / (1.0 + math.exp(-(W2 * a1 + B2)))
    upstream, local = a2 - TARGET, a2 * (1.0 - a2)
    number = r'<span class="number">(-?\d+\.\d+(?:e[+-]\d+)?)</span>'  # quiz mode hides these
    shown = re.search(rf"upstream ∂E/∂a2 = {number}", caption).group(1)
    assert float(shown) == pytest.approx(upstream, rel=1e-3)
    row = re.search(r"<tr><td><code>z2</code></td>(.*?)</tr>", caption).group(1)
    cells = [float(cell) for cell in re.findall(rf"<td>{number}</td>", row)]
    # local derivative, contribution, gradient so far (z2 has one use: the contribution)
    expected = [local, upstream * local, upstream * local]
    assert cells == pytest.approx(expected, rel=1e-3)


def test_html_page_steps_through_every_frame_in_headless_chromium(tmp_path, browser):
    f, _, _ = shared_use_graph()
    last = len(backward_steps(f))
    path = write_html(f, tmp_path / "steps.html", SCRIPT_LABEL, rankdir="LR")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors, dialogs, requests = [], [], []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.as_uri())

    visible = page.locator(".frame:not([hidden])")
    slider = page.locator("#step")

    def caption() -> str:
        assert visible.count() == 1
        return visible.locator(".caption").inner_text()

    assert slider.get_attribute("max") == str(last)
    captions = [caption()]
    assert captions[0].startswith(f"Step 0 of {last}")
    for index in range(1, last + 1):
        slider.evaluate(
            "(el, value) => { el.value = value;"
            " el.dispatchEvent(new Event('input', { bubbles: true })); }",
            str(index),
        )
        captions.append(caption())
        assert captions[-1].startswith(f"Step {index} of {last}")
        assert captions[-1] != captions[-2]
        assert page.locator("#position").inner_text() == f"Step {index} of {last}"
    assert page.locator("#next").is_disabled()

    page.keyboard.press("Home")
    assert caption() == captions[0] and page.locator("#previous").is_disabled()
    for index in range(1, last + 1):
        page.click("#next")
        assert caption() == captions[index]
        assert slider.input_value() == str(index)
    page.keyboard.press("ArrowLeft")
    assert caption() == captions[last - 1]
    page.click("#previous")
    assert caption() == captions[last - 2]
    page.keyboard.press("ArrowRight")
    assert caption() == captions[last - 1]

    # the hostile labels and title are text on the page, and only our script exists
    assert SCRIPT_LABEL in captions[1] + captions[-1]
    assert IMG_LABEL in page.locator("main").text_content()
    assert page.title() == SCRIPT_LABEL
    assert page.evaluate("document.scripts.length") == 1
    assert page.evaluate("document.images.length") == 0
    assert errors == [] and dialogs == []
    assert requests == [path.as_uri()]

    # a screenshot shows a drawn graph: many colours, mostly white but far from blank
    screenshot = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    colours = screenshot.getcolors(maxcolors=screenshot.width * screenshot.height)
    assert len(colours) > 50
    white = dict((rgb, n) for n, rgb in colours).get((255, 255, 255), 0)
    assert white < 0.98 * screenshot.width * screenshot.height
    readable = visible.locator("svg").bounding_box()
    box = visible.locator(".drawing").bounding_box()
    assert readable is not None and readable["width"] >= box["width"] - 2  # fills its box
    # a click shows the whole graph in its box, Z shows readable text again
    visible.locator("svg").click()
    assert visible.locator("svg").bounding_box()["width"] <= box["width"]
    page.keyboard.press("z")
    assert visible.locator("svg").bounding_box()["width"] == readable["width"]
    assert errors == [] and dialogs == []
    page.close()


def test_html_page_without_javascript_shows_every_step(tmp_path, browser):
    f, _, _ = shared_use_graph()
    path = write_html(f, tmp_path / "steps.html")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(path.as_uri())
    assert page.locator(".frame:visible").count() == len(backward_steps(f)) + 1
    assert page.locator(".controls").is_hidden()
    context.close()


def test_chainrule_imports_and_draws_frames_without_pillow():
    """The browser site has no Pillow: only write_gif may need it, and only when called."""
    script = (
        "import sys\n"
        "sys.modules['PIL'] = None  # any import of Pillow now fails\n"
        "import autograd, nn, chainrule.cli, chainrule.stepthrough as s\n"
        "x = autograd.Value(2.0, 'x')\n"
        "print(len(s.frames((x * x).tanh())))\n"
        "try:\n"
        "    s.write_gif(x * x, 'never.gif')\n"
        "except ImportError:\n"
        "    print('no gif')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["3", "no", "gif"]
