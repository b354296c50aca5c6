"""The engine benchmark at tiny sizes: every part runs, and the two engines agree."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("micrograd")

from micrograd.engine import Value as MicrogradValue

from autograd import Value
from tests.benchmarks import engine, nn_training, side_by_side
from tests.benchmarks.harness import check_same_losses, interleave, print_table


def test_all_three_demo_trainers_follow_micrographs_losses():
    trainers = engine.demo_trainers(n_points=12, hidden=3, seed=1)
    for _ in range(4):
        for trainer in trainers.values():
            trainer.step()
    check_same_losses(engine.losses_of(trainers), "micrograd")
    assert len(trainers["micrograd"].losses) == 4


def test_a_loss_disagreement_is_caught():
    trainers = engine.demo_trainers(n_points=6, hidden=2)
    for trainer in trainers.values():
        trainer.step()
    trainers["chainrule fused w·x+b"].losses[0] *= 1.0 + 1e-8
    with pytest.raises(AssertionError, match=r"chainrule fused w·x\+b: loss .* at step 0"):
        check_same_losses(engine.losses_of(trainers), "micrograd")


def test_the_demo_uses_the_seeded_moons_with_labels_minus_one_and_one():
    first = engine.demo_trainers(n_points=20, hidden=2, seed=5)["micrograd"]
    again = engine.demo_trainers(n_points=20, hidden=2, seed=5)["micrograd"]
    assert (first.X, first.ys) == (again.X, again.ys)
    assert sorted(set(first.ys)) == [-1, 1] and first.ys.count(1) == 10
    assert all(len(point) == 2 for point in first.X)


def test_micrograd_fails_at_the_depth_found_and_not_one_step_before():
    depth = engine.micrograd_failure_depth()
    assert engine.micrograd_fails(depth)
    assert not engine.micrograd_fails(depth - 1)


def test_our_chain_is_timed_and_counted():
    forward, backward, nodes = engine.time_our_chain(1_000)
    assert nodes == 4 * 1_000 + 1  # per step: a constant and *, a constant and +
    assert forward > 0.0 and backward > 0.0


def test_memory_counts_the_same_nodes_in_both_engines():
    ours, our_nodes = engine.bytes_per_node(Value, 200)
    theirs, their_nodes = engine.bytes_per_node(MicrogradValue, 200)
    assert our_nodes == their_nodes == 5 * 200 + 1
    assert 0.0 < ours < theirs


def test_a_tiny_run_prints_every_table(capsys):
    engine.run(1, n_points=8, hidden=3, chain_steps=500, memory_steps=50)
    out = capsys.readouterr().out
    for text in ("demo step", "deep chain", "memory", "RecursionError", "µs/node", "bytes/node"):
        assert text in out
    assert out.count("target:") == 2  # the demo step and memory; the chain has none
    assert out.count("PASS") + out.count("MISS") == 2


def test_interleave_calls_each_case_once_a_round_in_varying_orders_after_a_warm_up():
    def rounds_of_calls() -> tuple[list[str], list[list[str]]]:
        calls: list[str] = []
        cases = {name: (lambda name=name: calls.append(name)) for name in "abcd"}
        seconds = interleave(cases, 12)
        assert {name: len(times) for name, times in seconds.items()} == dict.fromkeys("abcd", 12)
        return calls[:4], [calls[4 + 4 * k : 8 + 4 * k] for k in range(12)]

    warm_up, rounds = rounds_of_calls()
    assert warm_up == list("abcd")
    assert all(sorted(order) == list("abcd") for order in rounds)
    after_a = {order[order.index("a") + 1] for order in rounds if order[-1] != "a"}
    assert len(after_a) == 3  # no case always runs right after the same one
    assert rounds_of_calls()[1] == rounds  # the same orders in every run
    with pytest.raises(ValueError, match=r"interleave: repeats must be >= 1, got 0"):
        interleave({"a": list}, 0)


def test_print_table_aligns_columns(capsys):
    print_table("Title", [("a", "long cell", "x"), ("longer", "b")])
    assert capsys.readouterr().out.splitlines() == [
        "",
        "Title",
        "-----",
        "a       long cell  x",
        "longer  b",
    ]


def test_the_command_line_offers_quick():
    result = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks", "--help"],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert "--quick" in result.stdout


def test_side_by_side_times_two_checkouts_and_reports_every_figure(tmp_path):
    """A copy of this checkout's packages against this checkout, at tiny sizes: each worker
    imports the packages of its own checkout (else it stops), and the losses agree."""
    root = Path(__file__).resolve().parent.parent
    for package in ("autograd", "nn"):
        shutil.copytree(root / package, tmp_path / package, ignore=shutil.ignore_patterns("*.pyc"))
    command = [sys.executable, "-m", "tests.benchmarks.side_by_side", str(tmp_path)]
    command += ["--rounds", "1", "--repeats", "1", "--chain-steps", "300", "--points", "12"]
    command += ["--hidden", "3"]
    result = subprocess.run(command, capture_output=True, text=True, cwd=root, timeout=300)
    assert result.returncode == 0, result.stderr
    rows = {line[:30].strip(): line for line in result.stdout.splitlines()}
    for name, _, _ in side_by_side.FIGURES:
        assert re.search(r"\] +\d+\.\d{3} \[", rows[name]), rows[name]  # both, and NEW/OLD
    assert f"OLD {tmp_path}\nNEW {root}\n" in result.stdout


def test_side_by_side_refuses_a_folder_that_is_no_checkout(tmp_path):
    command = [sys.executable, "-m", "tests.benchmarks.side_by_side", str(tmp_path)]
    result = subprocess.run(
        command, capture_output=True, text=True, cwd=Path(__file__).parent.parent
    )
    assert result.returncode == 2
    assert f"{tmp_path} is not a chainrule checkout (no autograd/__init__.py)" in result.stderr


def test_fit_from_before_its_compiled_option_is_timed_on_the_graph():
    """``compiled = None`` passes no option (a checkout without it): here fit's default, the
    compiled step, which gives the graph's losses."""
    trainers = nn_training.build(n_points=12, hidden=3, steps=3)
    without, graph = trainers["chainrule fit"], trainers["chainrule fit, compiled=False"]
    without.compiled = None
    for _ in range(3):
        without.step()
        graph.step()
    check_same_losses({"no option": without.losses, "graph": graph.losses}, "graph")
