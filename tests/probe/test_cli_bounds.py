"""Classes 1, 2, 5, 6 and 7 of the second hostile probe, as a user meets them: bounded options,
refusals that count first, messages that name the input, Ctrl-C, a stopped run's folder."""

from __future__ import annotations

import contextlib
import io
import os
import signal
import subprocess
import sys
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, draw_graph
from autograd.show import frames as frames_module
from autograd.show.frames import frames, write_frames
from chainrule import cli
from chainrule.questions import MAX_SIGNIFICANT_FIGURES, check_answer
from tests.probe.cli import SCRIPT, chainrule, refused
from tests.probe.graphs import random_graphs


@pytest.mark.parametrize(
    "steps", ["1000000", str(10**23), "1" + "0" * 5000, "10001", "0", "-3", "1e3", "²"]
)
def test_steps_beyond_the_bound_are_refused_at_once(tmp_path, steps):
    refused(chainrule("backprop", "--steps", steps, "--json", cwd=tmp_path), "--steps", "10000")


@pytest.mark.parametrize("figures", ["16", "17", "101", str(10**30), "0", "-1", "3.5"])
def test_tolerance_beyond_what_a_float_holds_is_refused(tmp_path, figures):
    refused(chainrule("backprop", "--quiz", "--tolerance", figures, cwd=tmp_path), "--tolerance")


@settings(max_examples=300, deadline=None)
@given(
    value=st.floats(min_value=-1e12, max_value=1e12, allow_nan=False).filter(
        lambda v: v == 0 or abs(v) > 1e-12
    ),
    figures=st.integers(1, MAX_SIGNIFICANT_FIGURES),
)
def test_the_exact_answer_is_right_at_every_allowed_tolerance(value, figures):
    """The rule at its limits: the value itself, as Python writes it or to 15 figures, is right."""
    assert check_answer(repr(value), value, figures).right
    assert check_answer(f"{value:.15g}", value, figures).right
    assert check_answer("0.415", 0.415, figures).right


@pytest.mark.parametrize("figures", [MAX_SIGNIFICANT_FIGURES + 1, 101, 10**6])
def test_check_answer_refuses_more_figures_than_a_float_holds(figures):
    with pytest.raises(ValueError, match="check_answer: expected significant_figures"):
        check_answer("0.415", 0.415, figures)


LESSON_FLAGS = ["x", "w1", "b1", "w2", "b2"]


@settings(max_examples=25, deadline=None)
@given(
    flags=st.lists(st.sampled_from(LESSON_FLAGS), min_size=1, max_size=3, unique=True),
    exponent=st.integers(155, 307),  # 9e308 is beyond the largest float: refused as given
)
def test_an_overflow_names_the_options_that_gave_the_numbers(flags, exponent):
    """--w1 1e308 --x 10 overflows in w1·x: the message names the options given."""
    argv = ["backprop", "--json"]
    for flag in flags:
        argv += [f"--{flag}", f"9e{exponent}"]
    argv += ["--x", "1e10"] if "x" not in flags else []
    captured = io.StringIO()
    with contextlib.redirect_stderr(captured), contextlib.redirect_stdout(io.StringIO()):
        status = cli.main(argv)
    error = captured.getvalue()
    if status == 0:  # these numbers happen not to overflow (a sigmoid saturates, say)
        return
    assert status == 2 and len(error.splitlines()) == 1, error
    for flag in flags:
        assert f"--{flag} 9e+{exponent}" in error, error


def test_w1_1e308_and_x_10_named(tmp_path):
    refused(
        chainrule("backprop", "--w1", "1e308", "--x", "10", "--json", cwd=tmp_path),
        "--w1 1e+308",
        "--x 10",
    )


def test_ctrl_c_during_the_quiz_ends_with_the_score_so_far(tmp_path):
    process = subprocess.Popen(
        [str(SCRIPT), "backprop", "--quiz"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
    )
    assert process.stdin and process.stdout
    process.stdin.write("0.4\n")  # z1 = w1·x + b1 = 0.415: a wrong answer, then the next try
    process.stdin.flush()
    lines = []
    while len(lines) < 2 or not lines[-1].endswith("= ?"):
        lines.append(process.stdout.readline().rstrip("\n"))
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=10)
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert "score: 0/0" in out, out


# -- refusals that count first ----------------------------------------------------------------


def _chain(n: int) -> tuple[Value, Value]:
    x = Value(0.5, label="x")
    v = x
    for _ in range(n):
        v = v * 1.0001
    return v, x


def _must_not_run(*_: object, **__: object) -> None:
    raise AssertionError("the refusal came after the work")


@settings(max_examples=15, deadline=None)
@given(n=st.integers(750, 60_000))
def test_draw_graph_refuses_a_large_graph_before_naming_it(n):
    root, _ = _chain(n)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("autograd.show.draw.names_in_order", _must_not_run)
        with pytest.raises(
            ValueError, match="draw_graph: the drawing would have more than max_nodes=1500"
        ):
            draw_graph(root, max_nodes=1500)


@settings(max_examples=15, deadline=None)
@given(n=st.integers(300, 60_000), lr=st.sampled_from([None, 0.1]))
def test_frames_refuses_a_long_backward_pass_before_recording_it(n, lr):
    root, _ = _chain(n)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(frames_module, "backward_steps", _must_not_run)
        with pytest.raises(
            ValueError, match="frames: the backward pass needs more than max_frames=300"
        ):
            frames(root, lr=lr)


# -- a stopped run's leftovers ----------------------------------------------------------------


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_write_frames_removes_the_folders_killed_runs_left_and_no_other(tmp_path):
    dead = _dead_pid()
    left = [tmp_path / f".frames.{dead}.{token}.tmp" for token in ("0a1b2c3d4e5f", "abc")]
    left.append(tmp_path / ".frames-a1b2c3d4")  # an earlier version's, two hours old
    kept = [
        tmp_path / f".frames.{os.getppid()}.0a1b2c3d4e5f.tmp",  # a live process's
        tmp_path / ".frames-k3j_9x2q",  # not named as ours
        tmp_path / f".frames.{dead}.xyz.tmp",
    ]
    for folder in left + kept:
        folder.mkdir()
        (folder / "frame_000.png").write_bytes(b"half")
    two_hours_ago = time.time() - 7200
    os.utime(tmp_path / ".frames-a1b2c3d4", (two_hours_ago, two_hours_ago))
    root, _ = _chain(2)
    written = write_frames(root, tmp_path, "svg")
    assert [p.name for p in written] == ["frame_000.svg", "frame_001.svg", "frame_002.svg"]
    assert not any(folder.exists() for folder in left)
    assert all(folder.is_dir() for folder in kept)


def test_killed_write_frames_leaves_nothing_a_later_run_keeps(tmp_path):
    program = (
        "from autograd import Value\nfrom autograd.show.frames import write_frames\n"
        "v = Value(0.5, label='x')\nfor _ in range(40): v = v * 1.01\n"
        f"write_frames(v, {str(tmp_path)!r}, 'svg')\n"
    )
    for delay in (0.3, 0.6, 0.9, 1.2):
        process = subprocess.Popen([sys.executable, "-c", program])
        try:
            process.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            process.kill()
        process.wait()
    subprocess.run([sys.executable, "-c", program], check=True, timeout=60)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".frames")]
    assert len(list(tmp_path.glob("frame_*.svg"))) == 41


@pytest.mark.parametrize("stop_in", ["write_gif", "write_html", "_print_training"])
def test_a_run_stopped_midway_marks_its_folder_and_the_next_run_clears_it(
    tmp_path, monkeypatch, stop_in, capsys
):
    folder = tmp_path / "out"
    argv = ["backprop", "--output-dir", str(folder), "--format", "svg", "--steps", "2"]

    def interrupted(*_: object, **__: object) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(cli, stop_in, interrupted)
        with pytest.raises(KeyboardInterrupt):
            cli.main(argv)
    assert (folder / cli.INCOMPLETE).exists()
    assert "two different runs" in (folder / cli.INCOMPLETE).read_text()
    assert cli.main(argv) == 0
    assert not (folder / cli.INCOMPLETE).exists()
    names = {p.name for p in folder.iterdir()}
    assert names == {"forward.svg", "backward.svg", "backprop.gif", "backprop.html", "E.svg"}


def test_the_progress_line_shows_only_past_a_second(monkeypatch, capsys):
    clock = [100.0]
    monkeypatch.setattr(cli.time, "monotonic", lambda: clock[0])
    with cli.Progress("drawing") as progress:
        progress(1, 4)
        clock[0] += 1.5
        progress(2, 4)
        clock[0] += 0.1
        progress(3, 4)  # too soon after the last line
        progress(4, 4)  # the last is always shown
    assert capsys.readouterr().err == "\rdrawing: 2 of 4\rdrawing: 4 of 4\n"
    with cli.Progress("quick") as progress:
        progress(1, 1)
    assert capsys.readouterr().err == ""


@settings(max_examples=200, deadline=None)
@given(
    root=random_graphs(),
    limit=st.integers(1, 120),
    weights=st.sampled_from([(1, 1), (2, 1), (1, 0)]),
)
def test_count_nodes_agrees_with_the_topological_order_up_to_its_limit(root, limit, weights):
    from autograd.graph import count_nodes, topological_order

    computed_weight, leaf_weight = weights
    full = sum(computed_weight if n.inputs else leaf_weight for n in topological_order(root))
    counted = count_nodes(root, limit, computed_weight=computed_weight, leaf_weight=leaf_weight)
    assert (counted > limit) == (full > limit)
    if full <= limit:
        assert counted == full
