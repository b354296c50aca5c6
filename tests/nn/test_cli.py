"""The `chainrule` command, run in-process with main([...]) and once as the installed script."""

import contextlib
import io
import math
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image

from chainrule.cli import main

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def backprop_run(tmp_path_factory):
    """`chainrule backprop` once for the module (it renders every frame): (status, out, folder)."""
    folder = tmp_path_factory.mktemp("backprop")
    capture = io.StringIO()
    with contextlib.redirect_stdout(capture):
        status = main(["backprop", "--output-dir", str(folder)])
    return status, capture.getvalue(), folder


def test_backprop_prints_the_lesson(backprop_run):
    status, out, _ = backprop_run
    assert status == 0
    for heading in ("Forward pass", "Backward pass", "Gradients by the chain rule", "lr = 0.4"):
        assert heading in out
    assert "∂E/∂w2 = ∂E/∂a2 · ∂a2/∂z2 · ∂z2/∂w2" in out
    assert "(a2 − T) · a2·(1 − a2) · a1" in out
    update = out[out.index("Gradient descent") :]
    for name, old, new in [
        ("w2", "0.4500", "0.4272"),
        ("b2", "0.6500", "0.6121"),
        ("w1", "0.1500", "0.1496"),
        ("b1", "0.4000", "0.3959"),
    ]:
        row = next(line.split() for line in update.splitlines() if line.startswith(name + " "))
        assert row[1] == old and row[-1] == new


def test_backprop_writes_valid_pictures_and_prints_their_paths(backprop_run):
    _, out, folder = backprop_run
    for name in ("forward.png", "backward.png"):
        data = (folder / name).read_bytes()
        assert data.startswith(PNG_MAGIC)
        assert Image.open(io.BytesIO(data)).width > 0
    gif = Image.open(folder / "backprop.gif")
    assert gif.format == "GIF"
    # The start, then one frame per computed node (w1·x, + b1, σ, w2·a1, + b2, σ, T − a2, ², ½·),
    # one per parameter update (w1, b1, w2, b2) and the summary
    assert gif.n_frames == 1 + 9 + 4 + 1
    page = (folder / "backprop.html").read_text(encoding="utf-8")
    assert page.lstrip().lower().startswith("<!doctype html") and "<svg" in page
    for name in ("forward.png", "backward.png", "backprop.gif", "backprop.html"):
        assert str(folder / name) in out


def test_backprop_svg_format_and_another_learning_rate(tmp_path, capsys, monkeypatch):
    # the GIF and the page were checked above; skip re-rendering their frames here
    for writer in ("write_gif", "write_html"):
        monkeypatch.setattr(f"chainrule.cli.{writer}", lambda root, path, **kwargs: Path(path))
    assert main(["backprop", "--output-dir", str(tmp_path), "--format", "svg", "--lr", "0.1"]) == 0
    for name in ("forward.svg", "backward.svg"):
        assert ET.parse(tmp_path / name).getroot().tag.endswith("svg")
    # ∂E/∂w2 = (a2 − T) · a2·(1 − a2) · a1, in plain floats from the lesson's numbers
    a1 = 1 / (1 + math.exp(-(0.15 * 0.1 + 0.4)))
    a2 = 1 / (1 + math.exp(-(0.45 * a1 + 0.65)))
    new_w2 = 0.45 - 0.1 * (a2 - 0.25) * a2 * (1 - a2) * a1
    out = capsys.readouterr().out
    assert "lr = 0.1" in out
    assert f"{new_w2:.4f}" in out[out.index("Gradient descent") :]


def test_graph_writes_an_svg_and_prints_its_path(tmp_path, capsys):
    output = tmp_path / "out.svg"
    assert main(["graph", "x * x + x", "x=3", "-o", str(output), "--backward"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == ["f = 12.0000", "∂f/∂x = 7.0000", str(output)]  # 3^2 + 3 and 2*3 + 1
    svg = ET.parse(output).getroot()
    text = " ".join(t.strip() for t in svg.itertext() if t.strip())
    assert "grad 7.0000" in text and "x * x + x" in text


def test_graph_png_top_to_bottom_without_backward(tmp_path, capsys):
    output = tmp_path / "deep" / "g.png"
    status = main(["graph", "tanh(w * x + b)", "w=0.5", "x=1.5", "b=0.1", "-o", str(output)])
    assert status == 0
    assert output.read_bytes().startswith(PNG_MAGIC)
    assert "∂" not in capsys.readouterr().out  # no gradients without --backward
    assert main(["graph", "x", "x=1", "-o", str(tmp_path / "tb.svg"), "--rankdir", "TB"]) == 0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["graph", "x.__class__", "x=1"], "attribute access is not allowed"),
        (["graph", "__import__('os')", "x=1"], "unknown function '__import__'"),
        (["graph", "y + 1", "x=1"], "unknown name 'y'"),
        (["graph", "x +", "x=1"], "not a valid expression"),
        (["graph", "log(x)", "x=-1"], "log: needs a positive input"),
        (["graph", "x", "x"], "expected NAME=NUMBER"),
        (["graph", "x", "x=abc"], "expected NAME=NUMBER"),
        (["graph", "x", "x=nan"], "expected NAME=NUMBER"),
        (["graph", "x", "x=1", "x=2"], "variable 'x' is given twice"),
        (["graph", "x", "x=1", "-o", "out.txt"], "must end in one of .png, .svg, .pdf"),
        (["backprop", "--lr", "-1"], "expected a positive number"),
        (["backprop", "--format", "gif"], "invalid choice"),
        (["nonsense"], "invalid choice"),
        ([], "required"),
    ],
)
def test_bad_input_exits_2_with_one_clear_line(argv, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err
    assert not list(tmp_path.iterdir())  # nothing written


@pytest.mark.parametrize("argv", [["--help"], ["backprop", "--help"], ["graph", "--help"]])
def test_help_exits_0(argv, capsys):
    assert main(argv) == 0
    assert "usage: chainrule" in capsys.readouterr().out


def test_the_installed_console_script(tmp_path):
    script = Path(sys.executable).parent / "chainrule"
    output = tmp_path / "square.svg"
    result = subprocess.run(
        [str(script), "graph", "x ** 2", "x=1.5", "-o", str(output), "--backward"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["f = 2.2500", "∂f/∂x = 3.0000", str(output)]
    ET.parse(output)
    bad = subprocess.run(
        [str(script), "graph", "x.y", "x=1"], capture_output=True, text=True, cwd=tmp_path
    )
    assert bad.returncode == 2 and "attribute access is not allowed" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_a_reader_that_stops_early_is_not_an_error(tmp_path):
    # `chainrule graph ... | head -0`: the pipe is closed before anything is written.
    script = Path(sys.executable).parent / "chainrule"
    command = [str(script), "graph", "x ** 2", "x=1.5", "-o", str(tmp_path / "g.svg")]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    assert stderr == b""


def test_graph_prints_the_gradient_of_a_name_python_normalises(tmp_path, capsys):
    assert main(["graph", "ﬁ * 2", "ﬁ=3", "-o", str(tmp_path / "g.svg"), "--backward"]) == 0
    assert capsys.readouterr().out.splitlines()[:2] == ["f = 6.0000", "∂f/∂fi = 2.0000"]
