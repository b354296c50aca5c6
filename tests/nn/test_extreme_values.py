"""softmax and cross_entropy over the whole float range (issue 11, item 10).

The stable shift x - max(x) overflows when the inputs span more than the float
range; such terms have e^(x - m) = 0 far below the smallest float, and so do
their derivatives. Expected values are the closed forms.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Value
from nn import cross_entropy, softmax


def test_softmax_of_the_widest_spread_is_one_and_zero():
    xs = [Value(1e308), Value(-1e308)]
    probabilities = softmax(xs)
    assert [p.data for p in probabilities] == [1.0, 0.0]
    assert math.copysign(1.0, probabilities[1].data) == 1.0  # 0.0, not -0.0
    probabilities[0].backward()
    assert [x.grad for x in xs] == [0.0, 0.0]  # s0 (1 - s0) = 0 and -s0 s1 = 0


def test_cross_entropy_of_the_widest_spread():
    logits = [Value(1e308), Value(-1e308), Value(0.0)]
    loss = cross_entropy(logits, 0)
    assert loss.data == 0.0
    loss.backward()
    assert [x.grad for x in logits] == [0.0, 0.0, 0.0]  # softmax - one-hot = (1, 0, 0) - (1, 0, 0)
    assert cross_entropy([1e308, -1e308], 0).data == 0.0


def test_a_loss_too_large_for_a_float_names_cross_entropy():
    with pytest.raises(OverflowError, match=r"^cross_entropy: the loss is about 1e\+308"):
        cross_entropy([1e308, -1e308], 1)


wide = st.floats(min_value=-1e308, max_value=1e308)


@given(st.lists(wide, min_size=1, max_size=6))
def test_softmax_matches_the_plain_float_formula_everywhere(values):
    largest = max(values)
    # e^(x - m) in plain floats; the subtraction is done in halves so it cannot overflow
    exps = [math.exp(max(x / 2 - largest / 2, -400.0) * 2) for x in values]
    total = math.fsum(exps)
    for p, e in zip(softmax(values), exps):
        assert p.data == pytest.approx(e / total, rel=1e-12, abs=1e-300)
