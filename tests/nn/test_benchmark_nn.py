"""Smoke test of the nn training benchmark at a tiny size (needs micrograd)."""

import random

import pytest

pytest.importorskip("micrograd")

from tests.benchmarks import nn_training
from tests.benchmarks.harness import check_same_losses


def test_the_three_trainers_follow_the_same_losses():
    random.seed(3)
    state = random.getstate()
    trainers = nn_training.build(n_points=16, hidden=4, steps=5, seed=2)
    assert random.getstate() == state  # micrograd's own init drew from it, then it was restored
    for _ in range(5):
        for trainer in trainers.values():
            trainer.step()
    check_same_losses({name: t.losses for name, t in trainers.items()}, "plain floats")
    losses = trainers["chainrule fit"].losses
    assert losses[-1] < losses[0]
    assert len({trainer.accuracy() for trainer in trainers.values()}) == 1


def test_a_disagreement_is_caught():
    trainers = nn_training.build(n_points=8, hidden=3, steps=2)
    for trainer in trainers.values():
        trainer.step()
    trainers["chainrule loop"].losses[0] *= 1.0 + 1e-6
    with pytest.raises(AssertionError, match=r"chainrule loop: loss .* at step 0"):
        check_same_losses({name: t.losses for name, t in trainers.items()}, "plain floats")


def test_a_tiny_run_prints_the_comparison(capsys):
    nn_training.run(2, n_points=12, hidden=3, steps=4)
    out = capsys.readouterr().out
    for text in (
        "micrograd",
        "chainrule fit",
        "chainrule loop",
        "plain floats",
        "ms/step",
        "accuracy",
        "target",
    ):
        assert text in out
