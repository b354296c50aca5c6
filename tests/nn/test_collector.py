"""paused_gc and fit: the cyclic collector is off during a step and restored after."""

from __future__ import annotations

import gc

import pytest

from nn import MLP, fit, mse
from nn.collector import paused_gc


@pytest.fixture
def collector_on():
    was_enabled = gc.isenabled()
    gc.enable()
    yield
    (gc.enable if was_enabled else gc.disable)()  # as it was, whatever the test did


def test_paused_gc_disables_the_collector_and_enables_it_again(collector_on):
    with paused_gc():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_paused_gc_restores_the_collector_after_an_exception(collector_on):
    with pytest.raises(KeyError), paused_gc():
        raise KeyError("inside")
    assert gc.isenabled()


def test_paused_gc_leaves_a_disabled_collector_disabled(collector_on):
    gc.disable()
    with paused_gc():
        pass
    assert not gc.isenabled()


def test_fit_pauses_the_collector_for_each_step_and_restores_it(collector_on):
    seen = []

    def loss(outputs, targets):
        seen.append(gc.isenabled())
        return mse(outputs, targets)

    model = MLP(1, [2, 1], seed=0)
    fit(model, [[0.0], [1.0]], [0.0, 1.0], loss=loss, epochs=3, progress=False)
    assert seen == [False] * 3
    assert gc.isenabled()


def test_fit_restores_the_collector_when_a_step_fails(collector_on):
    def loss(outputs, targets):
        raise RuntimeError("a broken loss")

    with pytest.raises(RuntimeError, match="a broken loss"):
        fit(MLP(1, [1], seed=0), [[0.0]], [0.0], loss=loss, progress=False)
    assert gc.isenabled()
