"""Loss functions: how far predictions are from targets, as one Value to call backward() on."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from math import inf

from autograd import Value, weighted_sum
from nn.activations import shifted_exp

Number = float | int


def _total(terms: Sequence[Value]) -> Value:
    """t1 + t2 + ... starting from t1, so no ``0 +`` node (one term is returned as is)."""
    return sum(terms[1:], start=terms[0])


def _mean(terms: Sequence[Value]) -> Value:
    """(t1 + ... + tn) / n."""
    return _total(terms) * (1.0 / len(terms))


def _paired(
    pred: Value | Sequence[Value], target: Number | Value | Sequence[Number | Value], owner: str
) -> tuple[list[Value], list[Number | Value]]:
    """Predictions and targets as two equally long, non-empty lists."""
    preds = [pred] if isinstance(pred, Value) else list(pred)
    targets = [target] if isinstance(target, (int, float, Value)) else list(target)
    if len(preds) != len(targets) or not preds:
        raise ValueError(f"{owner}: {len(preds)} predictions for {len(targets)} targets")
    return preds, targets


def squared_error(
    pred: Value | Sequence[Value], target: Number | Value | Sequence[Number | Value]
) -> Value:
    """E = 1/2 sum_i (t_i - p_i)^2, the lessons' error;  dE/dp_i = p_i - t_i.

    ``pred`` and ``target`` are one prediction and one target, or equally long lists.
    The 1/2 makes the derivative the plain difference. Returns a Value >= 0.
    """
    preds, targets = _paired(pred, target, "squared_error")
    return 0.5 * _total([(t - p) ** 2 for p, t in zip(preds, targets)])


def mse(
    preds: Value | Sequence[Value], targets: Number | Value | Sequence[Number | Value]
) -> Value:
    """Mean squared error, 1/n sum_i (t_i - p_i)^2;  d/dp_i = 2 (p_i - t_i) / n. A Value >= 0."""
    preds, targets = _paired(preds, targets, "mse")
    return _mean([(t - p) ** 2 for p, t in zip(preds, targets)])


def cross_entropy(logits: Sequence[Value], index: int) -> Value:
    """-log softmax(logits)[index] = log sum_j e^(l_j) - l_index, for raw scores (logits).

    d/dl_j = softmax(l)_j - [j == index]. Computed as log sum_j e^(l_j - m) - (l_index - m)
    with m = max l (stable log-softmax: no overflow, no log(0)). Returns a Value >= 0.
    """
    logits = [x if isinstance(x, Value) else Value(x) for x in logits]
    if not logits:
        raise ValueError("cross_entropy: needs at least one logit, got an empty list")
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(logits):
        raise ValueError(
            f"cross_entropy: index must be an int in [0, {len(logits)}), got {index!r}"
        )
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
    scores = list(scores)
    ys = list(ys)
    if len(scores) != len(ys) or not scores:
        raise ValueError(f"max_margin_loss: {len(scores)} scores for {len(ys)} labels")
    for y in ys:
        if y not in (-1, 1) or isinstance(y, bool):
            raise ValueError(f"max_margin_loss: labels must be -1 or +1, got {y!r}")
    loss = _mean([(1 - y * s).relu() for s, y in zip(scores, ys)])
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float)) or not 0.0 <= alpha < inf:
        raise ValueError(f"max_margin_loss: alpha must be a finite number >= 0, got {alpha!r}")
    if params is not None:
        params = tuple(params)
        # sum p^2 as one node, p . p: each p feeds both sides, so d/dp = p + p = 2p.
        loss = loss + alpha * weighted_sum(params, params, Value(0.0))
    return loss
