"""fit(): the training loop (forward, loss, zero_grad, backward, step) with a History."""

from __future__ import annotations

import random
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from tqdm.auto import tqdm

from autograd import Value
from nn.activations import StepActivationWarning
from nn.collector import paused_gc
from nn.losses import _mean, cross_entropy, max_margin_loss, mse
from nn.module import Layer, Module, Neuron
from nn.optim import SGD

LossFunction = Callable[[list, list], Value]
LOSS_NAMES = ("mse", "cross_entropy", "max_margin")


@dataclass
class History:
    """Per epoch: the mean loss over the samples and the fraction classified right.

    ``accuracy`` stays empty when the targets are not class labels (regression).
    """

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)


def _loss_function(loss: str | LossFunction, model: Module) -> LossFunction:
    """(outputs, targets) -> one Value, for a batch, from a loss name or a callable."""
    if callable(loss):
        return loss
    if loss == "mse":
        return lambda outputs, targets: _mean([mse(o, t) for o, t in zip(outputs, targets)])
    if loss == "cross_entropy":
        if any(isinstance(m, Layer) and m.activation == "softmax" for m in model.modules()):
            raise ValueError(
                "fit: cross_entropy applies its own stable softmax and needs raw scores; "
                "use output_activation='linear' instead of 'softmax'"
            )
        return lambda outputs, targets: _mean(
            [cross_entropy(o, t) for o, t in zip(outputs, targets)]
        )
    if loss == "max_margin":
        return lambda outputs, targets: max_margin_loss(outputs, targets, model.parameters())
    raise ValueError(
        f"fit: unknown loss {loss!r}; give one of {', '.join(LOSS_NAMES)} or a callable"
    )


def _label_kind(loss: str | LossFunction, y: Sequence) -> str | None:
    """How to score a prediction: "sign" for labels in {-1, +1}, "class" for 0..k-1, or None."""
    if loss == "max_margin":
        return "sign"
    if not all(isinstance(t, int) and not isinstance(t, bool) for t in y):
        return None
    labels = set(y)
    if -1 in labels and labels <= {-1, 1}:
        return "sign"
    return "class" if min(labels) >= 0 else None


def count_correct(outputs: list, targets: list, kind: str) -> int:
    """How many outputs match their targets.

    kind "sign": a score's sign against a label in {-1, +1} (or {0, 1}; a score of 0
    counts as negative); "class": a probability >= 0.5 for class 1 when there is one
    output, else the index of the largest output.
    """
    if kind == "sign":
        return sum((o.data > 0.0) == (t > 0) for o, t in zip(outputs, targets))
    correct = 0
    for o, t in zip(outputs, targets):
        if isinstance(o, Value):  # one output: a probability of class 1
            correct += (o.data >= 0.5) == (t == 1)
        else:
            correct += max(range(len(o)), key=lambda j: o[j].data) == t
    return correct


def fit(
    model: Module,
    X: Sequence[Sequence[float]],
    y: Sequence,
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
    ``loss`` is "mse" (targets: numbers or lists),
    "cross_entropy" (class indices; the model outputs raw scores), "max_margin"
    (labels -1/+1, with micrograd's 1e-4 L2 penalty) or a callable
    (outputs, targets) -> Value. ``optimizer`` defaults to SGD(model.parameters(), lr).
    ``batch_size=None`` uses every sample in each step; otherwise the samples are
    shuffled each epoch by ``random.Random(seed)``.

    Accuracy per epoch, from the forward passes made during it (before each update):
    labels in {-1, +1} (or "max_margin") count when the sign of the one output
    agrees; class labels 0..k-1 when the argmax of the outputs is the label, or,
    for one output (a sigmoid probability), when output >= 0.5 means label 1.
    Other targets (regression) record no accuracy. Returns a History; a
    ``tqdm.auto`` progress bar shows loss and accuracy unless ``progress=False``.
    Warns (StepActivationWarning) once if the model uses the "step" activation.
    """
    if len(X) != len(y) or not X:
        raise ValueError(f"fit: {len(X)} inputs for {len(y)} targets")
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 1:
        raise ValueError(f"fit: epochs must be an int >= 1, got {epochs!r}")
    if batch_size is not None and (
        isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1
    ):
        raise ValueError(f"fit: batch_size must be None or an int >= 1, got {batch_size!r}")
    batch_loss = _loss_function(loss, model)
    kind = _label_kind(loss, y)
    if optimizer is None:
        optimizer = SGD(model.parameters(), lr)
    if any(isinstance(m, Neuron) and m.activation == "step" for m in model.modules()):
        warnings.warn(
            "fit: the model uses the 'step' activation, whose derivative is 0 everywhere: "
            "no gradient reaches the weights before it, so they cannot learn",
            StepActivationWarning,
            stacklevel=2,
        )
    shuffler = random.Random(seed)
    order = list(range(len(X)))
    size = batch_size or len(X)
    history = History()
    bar = tqdm(range(epochs), desc="fit", unit="epoch", disable=not progress)
    for _ in bar:
        if batch_size is not None:
            shuffler.shuffle(order)
        loss_sum = 0.0
        correct = 0
        for start in range(0, len(order), size):
            batch = order[start : start + size]
            with paused_gc():  # the graph has no cycles: reference counting frees it
                outputs = model.map([X[i] for i in batch])
                targets = [y[i] for i in batch]
                value = batch_loss(outputs, targets)
                optimizer.zero_grad()
                value.backward(leaves_only=True)  # the optimizer reads only the parameters
                optimizer.step()
                loss_sum += value.data * len(batch)
                if kind is not None:
                    correct += count_correct(outputs, targets, kind)
                # Freed here, by reference counting: alive after the block, the graph
                # would be rescanned by the collector's first pass, which the
                # allocations counted while it was paused trigger at once.
                del outputs, value
        history.loss.append(loss_sum / len(X))
        if kind is not None:
            history.accuracy.append(correct / len(X))
            bar.set_postfix(loss=history.loss[-1], accuracy=history.accuracy[-1])
        else:
            bar.set_postfix(loss=history.loss[-1])
    return history
