"""The torch, collector and scaling benchmarks at tiny sizes: every table prints, losses agree.

Skipped without torch, unless CHAINRULE_REQUIRE_TORCH=1 (CI installs torch and sets it).
"""

from __future__ import annotations

import gc
import os

import pytest

pytest.importorskip("micrograd")
if os.environ.get("CHAINRULE_REQUIRE_TORCH") == "1":
    import torch
else:
    torch = pytest.importorskip("torch")

from tests.benchmarks import collector, scaling, torch_anchor
from tests.benchmarks.harness import NATURAL, OWN_GARBAGE, interleave


def test_the_chain_grad_is_the_same_closed_form_in_both_engines():
    expected = 1.0001**300
    assert torch_anchor.chain_grad(torch_anchor.Value, 300) == pytest.approx(expected, rel=1e-12)
    assert torch_anchor.chain_grad(torch.Tensor, 300) == pytest.approx(expected, rel=1e-12)


def test_torch_scalars_and_tensors_follow_the_same_losses_as_chainrule(capsys):
    torch_anchor.report_demo(1, n_points=6, hidden=3)
    torch_anchor.report_tensors(1, n_points=10, hidden=3, steps=4)
    out = capsys.readouterr().out
    assert "vs torch" in out and "torch tensors' time" in out
    assert out.count("own garbage:") == 2 and out.count("natural:") == 2


def test_a_tiny_torch_run_prints_both_protocols_of_the_chain(capsys):
    gc.enable()  # as a process starts
    torch_anchor.report_chain(1, 200)
    out = capsys.readouterr().out
    assert "own garbage: chainrule / torch" in out and "natural: chainrule / torch" in out
    assert "natural, chainrule inside nn.paused_gc()" in out
    assert out.count("PASS") + out.count("MISS") == 2
    assert gc.isenabled()  # the paused row gave the collector back


def test_the_collector_table_and_the_scaling_tables_print(capsys, monkeypatch):
    collector.run(2, "in a test", n_points=8, hidden=3)
    monkeypatch.setattr(
        scaling, "GROUPS", {"width": [([2, 1], 6), ([4, 1], 6)], "data": [([2, 1], 12)]}
    )
    scaling.run(2)
    out = capsys.readouterr().out
    assert "collector's share" in out
    assert "scaling by width" in out and "scaling by data" in out
    assert "per mult-add 1.00x the first row" in out


def test_multiply_adds_count_every_layer():
    assert scaling.multiply_adds([16, 16, 1], 100) == 100 * (2 * 16 + 16 * 16 + 16)


def test_own_garbage_collects_inside_the_time_and_unfreezes_after():
    collected = []
    gc.callbacks.append(lambda phase, info: collected.append(phase))
    try:
        interleave({"a": list}, 2, OWN_GARBAGE)
        assert collected.count("stop") >= 2  # one collection per timed call, at least
        assert gc.get_freeze_count() == 0
        collected.clear()
        interleave({"a": list}, 2, NATURAL)
        assert collected == []  # nothing made garbage, so nothing triggered the collector
    finally:
        gc.callbacks.pop()
    with pytest.raises(ValueError, match=r"interleave: unknown protocol 'other'"):
        interleave({"a": list}, 1, "other")
