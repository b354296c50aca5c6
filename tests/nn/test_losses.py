"""Losses against independent plain-float formulas and central differences."""

import math
import re

import numpy
import pytest

from autograd import Value, gradcheck
from nn import cross_entropy, max_margin_loss, mse, squared_error


def test_squared_error_of_one_prediction_is_the_lessons_e():
    a = Value(0.7)
    error = squared_error(a, 0.25)
    assert error.data == pytest.approx(0.5 * (0.25 - 0.7) ** 2, abs=1e-15)
    error.backward()
    assert a.grad == pytest.approx(0.7 - 0.25, abs=1e-15)  # dE/da = a - T


def test_squared_error_and_mse_of_lists():
    preds = [Value(0.5), Value(-1.0), Value(2.0)]
    targets = [1.0, 0.0, 2.5]
    squares = [(t - p.data) ** 2 for p, t in zip(preds, targets)]
    assert squared_error(preds, targets).data == pytest.approx(0.5 * sum(squares), abs=1e-15)
    loss = mse(preds, targets)
    assert loss.data == pytest.approx(sum(squares) / 3, abs=1e-15)
    loss.backward()
    expected = [2 * (p.data - t) / 3 for p, t in zip(preds, targets)]
    assert [p.grad for p in preds] == pytest.approx(expected, abs=1e-15)


def reference_cross_entropy(logits: list[float], index: int) -> float:
    """-log(e^(l_index) / sum_j e^(l_j)), straight from the definition."""
    return -math.log(math.exp(logits[index]) / sum(math.exp(x) for x in logits))


@pytest.mark.parametrize("index", [0, 1, 2])
def test_cross_entropy_matches_the_definition_and_its_gradient(index):
    logits = [0.3, -1.2, 2.1]
    assert cross_entropy([Value(x) for x in logits], index).data == pytest.approx(
        reference_cross_entropy(logits, index), abs=1e-14
    )
    result = gradcheck(lambda *ls: cross_entropy(ls, index), logits)
    assert result, result
    total = sum(math.exp(x) for x in logits)
    expected = [math.exp(x) / total - (j == index) for j, x in enumerate(logits)]
    assert list(result.analytic) == pytest.approx(expected, abs=1e-14)  # softmax - one-hot


def test_cross_entropy_takes_plain_numbers_as_logits():
    assert cross_entropy([0.3, -1.2, 2.1], 1).data == pytest.approx(
        reference_cross_entropy([0.3, -1.2, 2.1], 1), abs=1e-14
    )


def test_cross_entropy_is_stable_for_large_logits():
    logits = [Value(1000.0), Value(0.0), Value(-1000.0)]
    # log(e^1000 + 1 + e^-1000) - l_i = 1000 + log(1 + e^-1000 + e^-2000) - l_i
    assert cross_entropy(logits, 0).data == pytest.approx(0.0, abs=1e-15)
    assert cross_entropy(logits, 2).data == pytest.approx(2000.0, rel=1e-15)


def test_max_margin_loss_matches_the_formula():
    scores = [Value(0.3), Value(-2.0), Value(1.5), Value(-0.1)]
    ys = [1, -1, -1, 1]
    params = [Value(0.5), Value(-1.5)]
    loss = max_margin_loss(scores, ys, params, alpha=1e-2)
    hinge = [max(0.0, 1 - y * s.data) for s, y in zip(scores, ys)]
    assert loss.data == pytest.approx(sum(hinge) / 4 + 1e-2 * (0.25 + 2.25), abs=1e-15)
    loss.backward()
    expected = [-y / 4 if 1 - y * s.data > 0 else 0.0 for s, y in zip(scores, ys)]
    assert [s.grad for s in scores] == pytest.approx(expected, abs=1e-15)
    assert [p.grad for p in params] == pytest.approx([2e-2 * 0.5, 2e-2 * -1.5], abs=1e-15)
    assert max_margin_loss(scores, ys).data == pytest.approx(sum(hinge) / 4, abs=1e-15)


def test_losses_gradients_against_central_differences():
    assert gradcheck(lambda a, b: squared_error([a, b], [0.2, -0.3]), [0.9, 0.4])
    assert gradcheck(lambda a, b: mse([a, b], [0.2, -0.3]), [0.9, 0.4])
    assert gradcheck(lambda s, p: max_margin_loss([s], [1], [p], alpha=0.1), [0.2, 0.7])


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda: squared_error([Value(1.0)], [1.0, 2.0]),
            ValueError,
            "squared_error: expected as many targets as predictions (at least one), "
            "got 1 predictions and 2 targets",
        ),
        (lambda: mse([], []), ValueError, "mse: expected as many targets as predictions"),
        (
            lambda: squared_error(Value(1.0), None),
            TypeError,
            "squared_error: expected target to be a Value, a number or a list of them, "
            "got None (NoneType)",
        ),
        (
            lambda: mse(Value(1.0), "1"),
            TypeError,
            "mse: expected targets to be a Value, a number or a list of them, got '1' (str)",
        ),
        (
            lambda: mse(Value(1.0), [math.inf]),
            ValueError,
            "mse: expected each target to be a finite number, got inf",
        ),
        (
            lambda: mse(1.0, 1.0),
            TypeError,
            "mse: expected each prediction to be a Value, got 1.0 (float)",
        ),
        (
            lambda: cross_entropy([Value(1.0)], 1),
            ValueError,
            "cross_entropy: expected index to be an int in [0, 0], got 1",
        ),
        (
            lambda: cross_entropy([Value(1.0)], True),
            TypeError,
            "cross_entropy: expected index to be an int, got True (bool)",
        ),
        (
            lambda: cross_entropy(Value(1.0), 0),
            TypeError,
            "cross_entropy: expected logits to be a list, got Value(",
        ),
        (lambda: cross_entropy([], 0), ValueError, "cross_entropy: expected at least one logit"),
        (
            lambda: max_margin_loss([Value(1.0)], [0]),
            ValueError,
            "max_margin_loss: expected each label to be one of -1, 1, got 0",
        ),
        (
            lambda: max_margin_loss([Value(1.0)], ["1"]),
            TypeError,
            "max_margin_loss: expected each label to be a number, got '1' (str)",
        ),
        (
            lambda: max_margin_loss([Value(1.0)], [1, 1]),
            ValueError,
            "max_margin_loss: expected as many labels as scores (at least one), "
            "got 1 scores and 2 labels",
        ),
        (
            lambda: max_margin_loss([Value(1.0)], [1], [], alpha=-1),
            ValueError,
            "max_margin_loss: expected alpha to be a number >= 0.0, got -1",
        ),
    ],
)
def test_bad_input_is_a_clear_error(call, error, message):
    with pytest.raises(error, match="^" + re.escape(message)):
        call()


def test_the_messages_name_each_losss_own_arguments():
    with pytest.raises(TypeError, match=r"^mse: expected preds to be a Value, a number or a list"):
        mse(None, 1.0)
    with pytest.raises(TypeError, match=r"^squared_error: expected pred to be a Value, a number"):
        squared_error(None, 1.0)


def test_targets_may_be_values_and_get_gradients():
    prediction, target = Value(1.0), Value(3.0)
    loss = mse(prediction, target)
    loss.backward()
    assert (loss.data, prediction.grad, target.grad) == (4.0, -4.0, 4.0)  # (t - p)^2


@pytest.mark.parametrize("target", [numpy.int64(1), numpy.float64(1.0), numpy.int32(1), 1, 1.0])
def test_numpy_targets_work_like_floats(target):
    prediction = Value(3.0)
    loss = mse(prediction, target)
    loss.backward()
    assert (loss.data, prediction.grad) == (4.0, 4.0)  # (3 - 1)^2 and 2 (3 - 1)
    assert squared_error([prediction], [target]).data == 2.0
