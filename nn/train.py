"""fit(): the training loop (forward, loss, zero_grad, backward, step) with a History."""

from __future__ import annotations

import random
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from numbers import Integral
from typing import Any

from autograd import Value, checks
from nn.activations import StepActivationWarning, get_activation
from nn.collector import paused_gc
from nn.losses import LOSSES, BatchLoss, Labels
from nn.module import Layer, Module, Neuron
from nn.optim import SGD

LossFunction = Callable[[list[Any], list[Any]], Value]
"""A loss given to ``fit`` as a callable: (outputs, targets) -> one Value for a batch."""


@dataclass
class History:
    """Per epoch: the mean loss over the samples and the fraction classified right.

    ``accuracy`` stays empty when the targets are not class labels (regression).
    """

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)


def _batch_loss(loss: str | LossFunction, model: Module) -> tuple[BatchLoss, Labels | None]:
    """The batch loss (outputs, targets, parameters) -> Value for a loss name or callable,
    and the labels that loss fixes (None: the targets decide)."""
    if callable(loss):
        return lambda outputs, targets, _: loss(outputs, targets), None
    checks.instance(loss, "fit", "loss", str)
    entry = LOSSES[checks.one_of(loss, "fit", "loss", LOSSES)]
    if entry.raw_scores and any(
        isinstance(m, Layer) and get_activation(m.activation).across_layer for m in model.modules()
    ):
        raise ValueError(
            f"fit: {entry.name} applies its own stable softmax and needs raw scores; "
            "use output_activation='linear' instead of 'softmax'"
        )
    return entry.batch, entry.labels


def _labels_of(targets: Sequence[object]) -> Labels | None:
    """Labels.SIGN for int labels in {-1, +1}, Labels.CLASS for ints 0..k-1, else None."""
    labels = set()
    for t in targets:
        if isinstance(t, bool) or not isinstance(t, Integral):
            return None  # regression targets (or ones of no known kind): no accuracy
        labels.add(int(t))
    if -1 in labels and labels <= {-1, 1}:
        return Labels.SIGN
    return Labels.CLASS if min(labels) >= 0 else None


def count_correct(outputs: list[Any], targets: list[Any], labels: Labels) -> int:
    """How many outputs match their targets, by the rule of ``labels`` (see Labels)."""
    if labels is Labels.SIGN:
        return sum(bool(o.data > 0.0) == bool(t > 0) for o, t in zip(outputs, targets))
    correct = 0
    for o, t in zip(outputs, targets):
        if isinstance(o, Value):  # one output: a probability of class 1
            correct += bool(o.data >= 0.5) == bool(t == 1)
        else:
            correct += bool(max(range(len(o)), key=lambda j: o[j].data) == t)
    return correct


def _warn_if_it_cannot_learn(model: Module) -> None:
    """A StepActivationWarning when a neuron's activation passes no gradient (the step)."""
    if any(
        isinstance(m, Neuron) and not get_activation(m.activation).learns for m in model.modules()
    ):
        warnings.warn(
            "fit: the model uses the 'step' activation, whose derivative is 0 everywhere: "
            "no gradient reaches the weights before it, so they cannot learn",
            StepActivationWarning,
            stacklevel=3,
        )


def _batches(order: list[int], batch_size: int | None, shuffler: random.Random) -> list[list[int]]:
    """One epoch's batches of sample indices: all of ``order`` as one (batch_size None), or
    ``order`` shuffled in place (each epoch reshuffles the last one's order) and cut up."""
    if batch_size is None:
        return [order]
    shuffler.shuffle(order)
    return [order[start : start + batch_size] for start in range(0, len(order), batch_size)]


def fit(
    model: Module,
    X: Sequence[Sequence[float]],
    y: Sequence[Any],
    *,
    loss: str | LossFunction = "mse",
    optimizer: SGD | None = None,
    lr: float = 0.1,
    epochs: int = 10,
    batch_size: int | None = None,
    seed: int = 0,
    progress: bool = True,
) -> History:
    """Train ``model`` on inputs ``X`` and targets ``y`` by gradient descent.

    Each batch: outputs = model.map(batch inputs) (``model(x)`` per sample, each
    weight read once), value = loss(outputs, targets), zero_grad, backward, step,
    with the cyclic garbage collector paused (``nn.paused_gc``: the graph has no
    reference cycles, so reference counting frees it; the collector would only
    rescan it, and every live object of the process, several times a step).
    ``loss`` is a name in ``nn.losses.LOSSES``: "mse" (targets: numbers or lists),
    "cross_entropy" (class indices; the model outputs raw scores), "max_margin"
    (labels -1/+1, with micrograd's 1e-4 L2 penalty); or a callable
    (outputs, targets) -> Value. ``optimizer`` defaults to SGD(model.parameters(), lr).
    ``batch_size=None`` uses every sample in each step; otherwise the samples are
    shuffled each epoch by ``random.Random(seed)``. ``X`` and ``y`` may be lists,
    tuples, numpy arrays or generators.

    Accuracy per epoch, from the forward passes made during it (before each update):
    labels in {-1, +1} (or "max_margin") count when the sign of the one output
    agrees; class labels 0..k-1 when the argmax of the outputs is the label, or,
    for one output (a sigmoid probability), when output >= 0.5 means label 1.
    Other targets (regression) record no accuracy. Returns a History; a
    ``tqdm.auto`` progress bar shows loss and accuracy unless ``progress=False``.
    Warns (StepActivationWarning) once if the model uses the "step" activation.
    """
    inputs, targets = checks.items(X, "fit", "X"), checks.items(y, "fit", "y")
    if len(inputs) != len(targets) or not inputs:
        raise ValueError(
            f"fit: expected as many targets y as inputs X (at least one), "
            f"got {len(inputs)} inputs and {len(targets)} targets"
        )
    checks.integer(epochs, "fit", "epochs", minimum=1)
    if batch_size is not None:
        checks.integer(batch_size, "fit", "batch_size", minimum=1)
    batch_loss, labels = _batch_loss(loss, model)
    labels = labels or _labels_of(targets)
    if optimizer is None:
        optimizer = SGD(model.parameters(), checks.positive_number(lr, "fit", "lr"))
    _warn_if_it_cannot_learn(model)
    shuffler = random.Random(seed)
    order = list(range(len(inputs)))
    history = History()
    from tqdm.auto import tqdm  # here, not at the top: `import nn` loads no progress bar

    bar = tqdm(range(epochs), desc="fit", unit="epoch", disable=not progress)
    for _ in bar:
        batches = _batches(order, batch_size, shuffler)
        loss_sum, correct = _epoch(model, inputs, targets, batches, batch_loss, optimizer, labels)
        history.loss.append(loss_sum / len(inputs))
        if labels is not None:
            history.accuracy.append(correct / len(inputs))
            bar.set_postfix(loss=history.loss[-1], accuracy=history.accuracy[-1])
        else:
            bar.set_postfix(loss=history.loss[-1])
    return history


def _epoch(
    model: Module,
    inputs: list[Any],
    targets: list[Any],
    batches: list[list[int]],
    batch_loss: BatchLoss,
    optimizer: SGD,
    labels: Labels | None,
) -> tuple[float, int]:
    """One pass over the batches, a step each: the sum of the samples' losses, and how many
    samples were right (by ``labels``; 0 if None), from the forward passes before each step."""
    parameters = model.parameters()
    loss_sum, correct = 0.0, 0
    for batch in batches:
        with paused_gc():  # the graph has no cycles: reference counting frees it
            outputs = model.map([inputs[i] for i in batch])
            batch_targets = [targets[i] for i in batch]
            value = batch_loss(outputs, batch_targets, parameters)
            optimizer.zero_grad()
            value.backward(leaves_only=True)  # the optimizer reads only the parameters
            optimizer.step()
            loss_sum += value.data * len(batch)
            if labels is not None:
                correct += count_correct(outputs, batch_targets, labels)
            # Freed here, by reference counting: alive after the block, the graph
            # would be rescanned by the collector's first pass, which the
            # allocations counted while it was paused trigger at once.
            del outputs, value
    return loss_sum, correct
