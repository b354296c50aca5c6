"""Rendering never loses frames, never hangs, and draws any label (issue 11, items 2, 4, 6).

Real `dot` throughout: the render-time test draws the graph shapes that took
Graphviz minutes (one value used by every op of a long chain) and bounds each.
"""

from __future__ import annotations

import os
import re
import time
import xml.etree.ElementTree as ET

import pytest

from autograd import Value, draw_graph, parse_expression
from autograd.show.draw import MAX_TEXT, ComputationGraph, GraphvizFailed, GraphvizTimeout
from chainrule.cli import main
from chainrule.stepthrough import write_frames, write_gif, write_html


def chain(formula_op: str, terms: int, variables: dict[str, float] | None = None) -> Value:
    root = parse_expression(formula_op.join(["x"] * terms), variables or {"x": 1.0})
    root.backward()
    return root


def svg_text(svg: str) -> str:
    return " ".join(t.strip() for t in ET.fromstring(svg).itertext() if t.strip())


# -- item 4: shapes that took Graphviz minutes ------------------------------------------
SLOW_SHAPES = {
    "x+...+x, 40 terms (was 9.8 s)": lambda: chain("+", 40),
    "x+...+x, 100 terms (was > 120 s)": lambda: chain("+", 100),
    "x*...*x, 100 terms": lambda: chain("*", 100),
    "x+...+x, 400 terms": lambda: chain("+", 400),
    "tanh(x) used 100 times": lambda: parse_expression(
        " + ".join(["tanh(x) * y"] * 100), {"x": 0.1, "y": 0.2}
    ),
}


@pytest.mark.parametrize("build", SLOW_SHAPES.values(), ids=SLOW_SHAPES.keys())
def test_graphs_with_a_much_used_value_render_quickly(build):
    graph = draw_graph(build())
    started = time.perf_counter()
    svg = graph.pipe(format="svg", encoding="utf-8")  # render_timeout (10 s) bounds the test
    elapsed = time.perf_counter() - started
    assert elapsed < ComputationGraph.render_timeout
    assert svg_text(svg)


def test_every_use_keeps_its_edge_and_local_derivative():
    root = chain("+", 12)
    source = draw_graph(root).source
    ops = re.findall(r"^\t(v\d+_op) \[", source, re.M)
    for op in ops:  # each op still has one labelled edge per input: x's own or a copy's
        into = re.findall(rf"^\t(\S+) -> {op} \[label=1\.0000[ \]]", source, re.M)
        assert len(into) == 2, (op, into)
    copies = re.findall(r"^\t(v0_in_v\d+) \[label=x .*style=\"dashed,rounded\"", source, re.M)
    direct = re.findall(r"^\tv0 -> v\d+_op", source, re.M)
    assert len(copies) + len(direct) == 12  # x's 12 uses: near ones direct, far ones copies
    assert 0 < len(direct) < 12 and len(copies) > 0
    assert "a value again, near a far use" in source  # the colour key says what a copy is


def test_small_graphs_are_drawn_as_before():
    x = Value(3.0, label="x")
    source = draw_graph(x * x + x).source
    assert "_in_" not in source and "a value again" not in source  # no copies: all uses near


def test_a_render_that_takes_too_long_stops_with_what_to_do():
    graph = draw_graph(chain("+", 5))
    graph.render_timeout = 1e-6
    with pytest.raises(GraphvizTimeout, match=r"more than 1e-06 s .*render_timeout = None"):
        graph.pipe(format="svg")
    assert isinstance(GraphvizTimeout("x"), OSError)  # the CLI reports OSErrors in one line


def test_a_graphviz_error_is_a_clear_error():
    graph = draw_graph(Value(1.0))
    graph.body.append("\tthis is { not dot\n")
    with pytest.raises(GraphvizFailed, match=r"^Graphviz's dot failed on this graph: .*syntax"):
        graph.pipe(format="svg")


# -- item 6: control characters and long labels, escaped in one place -------------------
@pytest.mark.parametrize("char", ["\x00", "\x01", "\x07", "\x1b", "\x7f", "\x85", "\t", "\r"])
def test_control_characters_are_drawn_visibly_everywhere(char):
    x = Value(1.0, label=f"x{char}y")
    graph = draw_graph(x * 2, title=f"title {char} here", clusters={f"box{char}": [x]})
    svg = graph.pipe(format="svg", encoding="utf-8")
    assert not any(ord(c) < 0x20 and c not in "\n" for c in svg_text(svg))
    assert "title" in svg_text(svg)


def test_a_formula_comment_with_a_control_character_renders_from_the_cli(tmp_path):
    output = tmp_path / "g.svg"
    assert main(["graph", "x * 2  # note\x07", "x=1", "-o", str(output)]) == 0
    assert "note␇" in svg_text(output.read_text())


@pytest.mark.parametrize("length", [MAX_TEXT + 1, 20_000, 100_000])
def test_labels_and_titles_over_graphviz_limit_are_shortened(length):
    x = Value(1.0, label="a" * length)
    svg = draw_graph(x * 2, title="<&>" * length).pipe(format="svg", encoding="utf-8")
    text = svg_text(svg)
    assert f"({length} characters)" in text and f"({3 * length} characters)" in text


def test_the_step_through_page_renders_a_root_with_a_huge_label(tmp_path):
    x = Value(0.5, label="x")
    root = (x * 2).tanh()
    root.label = "r" * 20_000  # every frame's title repeats it
    page = write_html(root, tmp_path / "page.html")
    assert "(20000 characters)" in page.read_text()


# -- item 2: write_frames renders before it replaces ------------------------------------
def test_failed_rendering_leaves_the_earlier_frames_untouched(tmp_path, monkeypatch):
    folder = tmp_path / "frames"
    x = Value(0.5, label="x")
    paths = write_frames((x * x).tanh(), folder, format="svg")
    before = {path.name: path.read_bytes() for path in folder.iterdir()}
    assert len(before) == len(paths) >= 3
    real_pipe = ComputationGraph.pipe
    calls = []

    def fail_on_the_third(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise GraphvizFailed("dot broke")
        return real_pipe(self, *args, **kwargs)

    monkeypatch.setattr(ComputationGraph, "pipe", fail_on_the_third)
    y = Value(-0.25, label="y")
    with pytest.raises(GraphvizFailed, match="dot broke"):
        write_frames(((y * 3).tanh() * y).exp(), folder, format="svg")
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == before  # no temp left


def test_without_dot_the_earlier_frames_stay(tmp_path, monkeypatch):
    from autograd.show.draw import GraphvizNotInstalled

    folder = tmp_path / "frames"
    write_frames(Value(2.0, label="x").exp(), folder)
    before = {path.name: path.read_bytes() for path in folder.iterdir()}
    monkeypatch.setattr("autograd.show.draw.shutil.which", lambda name: None)
    with pytest.raises(GraphvizNotInstalled):
        write_frames(Value(1.0, label="x").tanh(), folder)
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == before


def test_a_shorter_run_replaces_a_longer_one_exactly(tmp_path):
    folder = tmp_path / "frames"
    x = Value(0.5, label="x")
    long_run = write_frames(((x * x).tanh() * x).exp(), folder)
    short_run = write_frames(Value(1.0, label="y").exp(), folder)
    assert len(long_run) > len(short_run)
    assert sorted(p.name for p in folder.iterdir()) == [p.name for p in short_run]


# -- every file written for a user goes through autograd.files.write_atomically ---------
WRITERS = {
    "write_image": lambda root, path: draw_graph(root).write_image(path),
    "write_html": write_html,
    "write_gif": write_gif,
}
SUFFIXES = {"write_image": ".svg", "write_html": ".html", "write_gif": ".gif"}


@pytest.mark.parametrize("writer", WRITERS, ids=WRITERS)
def test_a_failed_write_keeps_the_old_file_and_its_mode(tmp_path, monkeypatch, writer):
    path = tmp_path / f"picture{SUFFIXES[writer]}"
    WRITERS[writer](Value(1.0, label="old").exp(), path)
    path.chmod(0o640)
    before = path.read_bytes()

    def failing_replace(source, destination):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        WRITERS[writer](Value(2.0, label="new").tanh(), path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == [path.name]  # the temporary file is gone too
    monkeypatch.undo()
    WRITERS[writer](Value(2.0, label="new").tanh(), path)
    assert path.read_bytes() != before and (path.stat().st_mode & 0o777) == 0o640
