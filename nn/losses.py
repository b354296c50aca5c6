"""Loss functions: how far predictions are from targets, as one Value to call backward() on.

``LOSSES`` lists the losses ``fit`` takes by name, each with the labels it expects.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from math import inf
from numbers import Real
from typing import Any

from autograd import Value, checks, weighted_sum
from nn.activations import shifted_exp

Number = float | int


def _total(terms: Sequence[Value]) -> Value:
    """t1 + t2 + ... starting from t1, so no ``0 +`` node (one term is returned as is)."""
    return sum(terms[1:], start=terms[0])


def _mean(terms: Sequence[Value]) -> Value:
    """(t1 + ... + tn) / n, for n >= 1 terms."""
    return _total(terms) * (1.0 / len(terms))


def _one_or_list(value: object, owner: str, name: str) -> list[object]:
    """A Value or a number as a list of one, anything else as the list of its items."""
    if isinstance(value, (Value, Real)):
        return [value]
    return checks.items(value, owner, name, "a Value, a number or a list of them")


def _paired(
    pred: object, target: object, owner: str, names: tuple[str, str]
) -> tuple[list[Value], list[Value | float]]:
    """Predictions (Values) and targets (Values or finite numbers, numpy's included) as two
    equally long, non-empty lists; ``names`` are the owner's names for the two arguments."""
    preds = [
        checks.instance(p, owner, "each prediction", Value)
        for p in _one_or_list(pred, owner, names[0])
    ]
    targets = [
        t if isinstance(t, Value) else checks.number(t, owner, "each target")
        for t in _one_or_list(target, owner, names[1])
    ]
    if len(preds) != len(targets) or not preds:
        raise ValueError(
            f"{owner}: expected as many targets as predictions (at least one), "
            f"got {len(preds)} predictions and {len(targets)} targets"
        )
    return preds, targets


def squared_error(
    pred: Value | Sequence[Value], target: Number | Value | Sequence[Number | Value]
) -> Value:
    """E = 1/2 sum_i (t_i - p_i)^2, the lessons' error;  dE/dp_i = p_i - t_i.

    ``pred`` and ``target`` are one prediction and one target, or equally long lists.
    The 1/2 makes the derivative the plain difference. Returns a Value >= 0.
    """
    preds, targets = _paired(pred, target, "squared_error", ("pred", "target"))
    return 0.5 * _total([(t - p) ** 2 for p, t in zip(preds, targets)])


def mse(
    preds: Value | Sequence[Value], targets: Number | Value | Sequence[Number | Value]
) -> Value:
    """Mean squared error, 1/n sum_i (t_i - p_i)^2;  d/dp_i = 2 (p_i - t_i) / n. A Value >= 0."""
    preds, targets = _paired(preds, targets, "mse", ("preds", "targets"))
    return _mean([(t - p) ** 2 for p, t in zip(preds, targets)])


def cross_entropy(logits: Sequence[Value], index: int) -> Value:
    """-log softmax(logits)[index] = log sum_j e^(l_j) - l_index, for raw scores (logits).

    d/dl_j = softmax(l)_j - [j == index]. Computed as log sum_j e^(l_j - m) - (l_index - m)
    with m = max l (stable log-softmax: no overflow, no log(0)). Returns a Value >= 0.
    """
    logits = [
        x if isinstance(x, Value) else Value(checks.number(x, "cross_entropy", f"logits[{i}]"))
        for i, x in enumerate(checks.items(logits, "cross_entropy", "logits"))
    ]
    if not logits:
        raise ValueError("cross_entropy: expected at least one logit, got an empty list")
    checks.integer(index, "cross_entropy", "index", minimum=0, maximum=len(logits) - 1)
    largest = max(x.data for x in logits)
    if logits[index].data - largest == -inf:
        raise OverflowError(
            f"cross_entropy: the loss is about {largest!r} - {logits[index].data!r}, "
            "too large for a float"
        )
    target = logits[index] - largest
    exps = [target.exp() if j == index else shifted_exp(x, largest) for j, x in enumerate(logits)]
    return _total(exps).log() - target


def max_margin_loss(
    scores: Sequence[Value],
    ys: Sequence[int],
    params: Iterable[Value] | None = None,
    alpha: float = 1e-4,
) -> Value:
    """SVM hinge loss of micrograd's demo: 1/n sum_i relu(1 - y_i s_i) + alpha sum_p p^2.

    ``ys`` are labels in {-1, +1}; a score on the right side by a margin of 1 costs
    nothing. ``params`` (e.g. ``model.parameters()``) get the L2 penalty; none -> no
    penalty. d/ds_i = -y_i / n where y_i s_i < 1, else 0; d/dp = 2 alpha p.
    """
    op = "max_margin_loss"
    scores = [
        checks.instance(s, op, "each score", Value) for s in checks.items(scores, op, "scores")
    ]
    ys = checks.items(ys, op, "ys")
    if len(scores) != len(ys) or not scores:
        raise ValueError(
            f"{op}: expected as many labels as scores (at least one), "
            f"got {len(scores)} scores and {len(ys)} labels"
        )
    for y in ys:
        checks.number(y, op, "each label")  # a TypeError for a str or a bool
        checks.one_of(y, op, "each label", (-1, 1))
    alpha = checks.number(alpha, op, "alpha", minimum=0.0)
    loss = _mean([(1 - y * s).relu() for s, y in zip(scores, ys)])
    if params is not None:
        params = tuple(params)
        # sum p^2 as one node, p . p: each p feeds both sides, so d/dp = p + p = 2p.
        loss = loss + alpha * weighted_sum(params, params, Value(0.0))
    return loss


class Labels(enum.Enum):
    """What the targets of a classification are, and so how a prediction is scored right."""

    SIGN = "sign"
    """-1 or +1 (or 0 or 1): right when the one output's sign agrees (an output of 0 is -)."""
    CLASS = "class"
    """0..k-1: right when the largest of k outputs is the label's; with one output (the
    probability of class 1), when output >= 0.5 means label 1."""


BatchLoss = Callable[[list[Any], list[Any], list[Value]], Value]
"""(outputs, targets, parameters) -> one Value, the loss of a batch."""

SampleLoss = Callable[[Any, list[Value]], Value]
"""(one sample's outputs, its target as Values) -> that sample's term of a batch loss."""


def _numbers(target: Any, n_outputs: int) -> list[float]:
    """A regression target (a number or a list of n_outputs numbers) as floats."""
    values = _one_or_list(target, "fit", "each target")
    if len(values) != n_outputs:
        raise ValueError(f"fit: expected {n_outputs} target values, got {len(values)}")
    return [checks.number(t, "fit", "each target") for t in values]


def _sign(target: Any, n_outputs: int) -> list[float]:
    """A label -1 or +1 as [float(label)]."""
    checks.number(target, "max_margin_loss", "each label")
    return [float(checks.one_of(target, "max_margin_loss", "each label", (-1, 1)))]


def _one_hot(target: Any, n_outputs: int) -> list[float]:
    """A class index as n_outputs floats, 1.0 at the index."""
    index = checks.integer(target, "cross_entropy", "index", minimum=0, maximum=n_outputs - 1)
    return [1.0 if j == index else 0.0 for j in range(n_outputs)]


def _hinge(score: Value, target: list[Value]) -> Value:
    """relu(1 - y s), one point's term of ``max_margin_loss``."""
    return (1 - target[0] * score).relu()


def _penalty(params: list[Value]) -> Value:
    """``max_margin_loss``'s L2 penalty, 1e-4 sum p^2."""
    return 1e-4 * weighted_sum(params, params, Value(0.0))


def _cross_entropy_of_one_hot(logits: Any, target: list[Value]) -> Value:
    """log sum_j e^(l_j) - sum_j t_j l_j: ``cross_entropy`` for a one-hot target t.

    Not shifted by the largest logit: the compiled step runs ``cross_entropy`` itself
    (shifted, stable) for a batch where e^l overflows or the sum underflows.
    """
    logits = logits if isinstance(logits, list) else [logits]
    exps = [x.exp() for x in logits]
    picked = _total([t * x for t, x in zip(target, logits)])
    return _total(exps).log() - picked


@dataclass(frozen=True)
class Loss:
    """A loss by name, as ``fit`` uses it.

    batch: the batch's loss from its outputs, targets and the model's parameters.
    labels: the targets it expects (Labels.SIGN, Labels.CLASS), or None when the
    targets say (regression values, or integer labels of either kind).
    raw_scores: it needs the model's raw scores (it applies its own softmax).
    """

    name: str
    batch: BatchLoss
    labels: Labels | None
    raw_scores: bool = False
    sample: SampleLoss | None = None
    penalty: Callable[[list[Value]], Value] | None = None
    """The batch loss as mean(sample(output, target values) over the batch) + penalty(parameters),
    the form ``fit``'s compiled step writes out (see ``nn.compiled``); the target values are
    ``target_values(target, n_outputs)``. None: the loss is not compiled."""
    target_values: Callable[[Any, int], list[float]] | None = None


LOSSES: dict[str, Loss] = {
    loss.name: loss
    for loss in (
        Loss(
            "mse",
            lambda outputs, targets, _: _mean([mse(o, t) for o, t in zip(outputs, targets)]),
            None,
            sample=mse,
            target_values=_numbers,
        ),
        Loss(
            "cross_entropy",
            lambda outputs, targets, _: _mean(
                [cross_entropy(o, t) for o, t in zip(outputs, targets)]
            ),
            Labels.CLASS,
            raw_scores=True,
            sample=_cross_entropy_of_one_hot,
            target_values=_one_hot,
        ),
        Loss(
            "max_margin",
            max_margin_loss,
            Labels.SIGN,
            sample=_hinge,
            penalty=_penalty,
            target_values=_sign,
        ),
    )
}
"""The losses ``fit(loss=...)`` takes by name; "max_margin" adds micrograd's 1e-4 L2 penalty."""
