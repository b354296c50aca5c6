"""fit's compiled step: one sample's loss traced once and written out as Python.

A batch loss of the form mean(sample(output, target) over the batch) + penalty(parameters)
(``Loss.sample`` and ``Loss.penalty``) is compiled from one sample's graph: the model's
inputs and the target's values are the compiled function's inputs, the parameters its
parameters (``autograd.compile``). Each step then runs on floats: the parameters' values
in, the losses, the outputs and the gradients out, with the same numbers as the graph's
``backward()`` (to rounding). The compiled code is cached per structure, so a model of
another size or activation, or a changed parameter list, gets code of its own.

Only models whose computation is a graph of ops alone are compiled: Neurons, Layers and
MLPs (not subclasses, whose ``__call__`` may choose by value) with the activations a
fused neuron computes. Others, and a loss given as a callable, keep the interpreted step.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from itertools import repeat
from operator import attrgetter
from typing import Any
from weakref import WeakKeyDictionary

from autograd import LAYER_ACTIVATIONS, Value
from autograd.compile import Compiled, compile_graph
from nn.losses import Loss
from nn.module import MLP, Layer, Module, Neuron
from nn.optim import SGD

COMPILED_MODULES = (Neuron, Layer, MLP)
_data = attrgetter("data")


class CompiledStep:
    """The compiled forward and backward of ``loss`` over ``model`` for one batch."""

    def __init__(self, model: Module, loss: Loss, example: Sequence[Any], target: Any) -> None:
        assert loss.sample is not None and loss.target_values is not None
        self.parameters = model.parameters()
        xs = [Value(float(x)) for x in example]
        out = model(xs)
        outputs = out if isinstance(out, list) else [out]
        self.n_outputs = len(outputs)
        self.target_values = loss.target_values
        ts = [Value(t) for t in self.target_values(target, self.n_outputs)]
        self.sample: Compiled = compile_graph(
            loss.sample(out, ts), xs + ts, self.parameters, outputs=outputs
        )
        self.penalty: Compiled | None = None
        if loss.penalty is not None:
            self.penalty = compile_graph(loss.penalty(self.parameters), (), self.parameters)

    def rows(self, inputs: Sequence[Sequence[float]], targets: Sequence[Any]) -> list[list[float]]:
        """Each sample's input and target values, one row of the compiled function."""
        return [[*x, *self.target_values(t, self.n_outputs)] for x, t in zip(inputs, targets)]

    def step(self, rows: list[list[float]], optimizer: SGD) -> tuple[float, list[Any]]:
        """Forward, backward and the optimizer's step for a batch: (its loss, its outputs).

        Raises ArithmeticError or ValueError, before any parameter or grad changed, where
        the floats overflow or leave an op's domain (the interpreted step then says where).
        """
        values = list(map(_data, self.parameters))
        n = len(rows)
        roots, outputs, grads = self.sample.run(values, rows, 1.0 / n)
        total = roots[0]
        for root in roots[1:]:  # left to right, as the graph's + nodes add
            total += root
        loss = total * (1.0 / n)
        if self.penalty is not None:
            penalty, penalty_grads = self.penalty([], values)
            loss += penalty
            grads = [g + h for g, h in zip(grads, penalty_grads)]
        check = loss + sum(grads)
        if check - check != 0.0:
            raise OverflowError("fit: a loss or gradient of the compiled step is not finite")
        if optimizer.params == self.parameters:  # the usual case: set every grad, in C
            deque(map(setattr, self.parameters, repeat("grad"), grads), maxlen=0)
        else:  # as backward() after zero_grad(): what the optimizer leaves out accumulates
            optimizer.zero_grad()
            for p, g in zip(self.parameters, grads):
                p.grad += g
        optimizer.step()
        return loss, [o[0] if len(o) == 1 else list(o) for o in outputs]


def compiled_step(
    model: Module, loss: Loss | None, optimizer: SGD, example: Sequence[Any], target: Any
) -> CompiledStep | None:
    """The compiled step for this model and loss, or None where only the interpreted one
    is exact (see the module docstring)."""
    if loss is None or loss.sample is None:
        return None
    modules = tuple(
        (type(m), getattr(m, "activation", None), getattr(m, "n_inputs", None))
        for m in model.modules()
    )
    for kind, activation, _ in modules:
        if kind not in COMPILED_MODULES or (
            kind is not MLP and activation not in LAYER_ACTIVATIONS
        ):
            return None
    listed = model.parameters()
    parameters = set(listed)
    if len(parameters) != len(listed) or not parameters.issuperset(optimizer.params):
        return None  # a shared parameter, or an optimizer stepping something else
    # What the traced graph's structure follows from: each module's kind, activation and
    # size, the parameters themselves (a Value replaced is another leaf), the loss, the inputs.
    signature = (modules, tuple(map(id, listed)), loss.name, len(example))
    cached = _STEPS.get(model)
    if cached is not None and cached[0] == signature:
        return cached[1]
    step = CompiledStep(model, loss, example, target)
    _STEPS[model] = (signature, step)
    return step


# model -> (its signature, its compiled step) from the last fit: a model unchanged since
# (the same signature) skips even the tracing; the code itself is cached per structure.
_STEPS: WeakKeyDictionary[Module, tuple[tuple[object, ...], CompiledStep]] = WeakKeyDictionary()
