"""Lesson: backpropagation by hand, on the smallest network that needs the chain rule.

One input x feeds a sigmoid neuron, whose output feeds a second sigmoid neuron:

    z1 = w1 x + b1,      a1 = σ(z1),
    z2 = w2 a1 + b2,     a2 = σ(z2),      E = ½ (T − a2)²,

with σ(z) = 1 / (1 + e^−z), so σ′(z) = σ(z)·(1 − σ(z)). The chain rule gives
each parameter's gradient as a product of local derivatives along the path
from E down to it, e.g.

    ∂E/∂w2 = ∂E/∂a2 · ∂a2/∂z2 · ∂z2/∂w2 = (a2 − T) · a2·(1 − a2) · a1,

and one step of gradient descent moves each parameter to p − lr · ∂E/∂p.
With x = 0.1, T = 0.25, w1 = 0.15, b1 = 0.4, w2 = 0.45, b2 = 0.65 and
lr = 0.4 the course's results are w2 -> 0.4272, b2 -> 0.6121, w1 -> 0.1496,
b1 -> 0.3959. The network is the network files' 1-1-1 ``MLP`` (``chainrule.network``),
built op by op, so every node of it is visible in a drawing and every step in
``autograd.show.trace``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from autograd import Value, checks, topological_order
from autograd.descent import gradient_step
from autograd.show.explain import Explanation, explain
from autograd.show.format import markdown_text
from chainrule.network import build_network, lesson_network, train
from chainrule.questions import lecture_form
from chainrule.quiz import Quiz, quiz
from chainrule.variants import Variant, variant

X = 0.1
W1 = 0.15
B1 = 0.4
W2 = 0.45
B2 = 0.65
TARGET = 0.25
LEARNING_RATE = 0.4
GIVEN = {"x": X, "w1": W1, "b1": B1, "w2": W2, "b2": B2, "target": TARGET}
"""The course's givens by ``worked_example``'s names (``Variant.lesson_numbers`` a variant's)."""

PARAMETER_NAMES = ("w2", "b2", "w1", "b1")
"""The parameters, in the order backpropagation reaches them."""
FACTOR_FORMULAS = {
    "∂E/∂a2": "(a2 − T)",
    "∂a2/∂z2": "a2·(1 − a2)",
    "∂z2/∂w2": "a1",
    "∂z2/∂b2": "1",
    "∂z2/∂a1": "w2",
    "∂a1/∂z1": "a1·(1 − a1)",
    "∂z1/∂w1": "x",
    "∂z1/∂b1": "1",
}
"""Each chain-rule factor of the example as a formula (σ′ = σ·(1 − σ))."""


@dataclass(frozen=True, eq=False)
class WorkedExample:
    """The example's labelled Values after the forward pass and ``E.backward()``."""

    x: Value
    w1: Value
    b1: Value
    z1: Value
    a1: Value
    w2: Value
    b2: Value
    z2: Value
    a2: Value
    E: Value
    target: Value
    lr: float = LEARNING_RATE
    variant: Variant | None = None
    """The student's variant the numbers come from (``worked_example(student=...)``), or None."""

    def forward_table(self) -> list[tuple[str, str, float]]:
        """The forward pass, one (name, formula, value) row per computed value."""
        return [
            ("z1", "w1·x + b1", self.z1.data),
            ("a1", "σ(z1)", self.a1.data),
            ("z2", "w2·a1 + b2", self.z2.data),
            ("a2", "σ(z2)", self.a2.data),
            ("E", "½(T − a2)²", self.E.data),
        ]

    def parameters(self) -> dict[str, Value]:
        """The four parameters by name, in the order backpropagation reaches them."""
        return {name: getattr(self, name) for name in PARAMETER_NAMES}

    def gradients(self) -> dict[str, float]:
        """∂E/∂v for every named Value v (x, w1, b1, z1, a1, w2, b2, z2, a2, E)."""
        names = ("x", "w1", "b1", "z1", "a1", "w2", "b2", "z2", "a2", "E")
        return {name: getattr(self, name).grad for name in names}

    def explanations(self) -> dict[str, Explanation]:
        """Each parameter's gradient as its chain-rule product, with the factors' formulas;
        the first says once that (a2 − T) is the lecture's −(T − a2)."""
        found = {
            name: explain(self.E, parameter, formulas=FACTOR_FORMULAS)
            for name, parameter in self.parameters().items()
        }
        first = next(iter(found))
        formula = FACTOR_FORMULAS["∂E/∂a2"]
        note = f"{formula} = {lecture_form(formula)}"
        found[first] = replace(
            found[first],
            text=f"{found[first].text}\n{note}",
            markdown=f"{found[first].markdown}\n\n{markdown_text(note)}",
        )
        return found

    def quiz(self, lr: float | None = None) -> Quiz:
        """The lesson's quiz for a notebook cell: every forward value, gradient and updated
        parameter in order, checked to 3 significant figures, hints with the formulas
        (``lr`` by default the example's: 0.4, or the variant's)."""
        lr = self.lr if lr is None else lr
        formulas = {**FACTOR_FORMULAS, **{name: f for name, f, _ in self.forward_table()}}
        return quiz(self.E, lr=lr, parameters=self.parameters().values(), formulas=formulas)

    def clusters(self) -> dict[str, list[Value]]:
        """The computed Values of each neuron, to box them in a drawing (``draw_graph``)."""
        first = topological_order(self.a1, include_leaves=False)
        in_first = set(first)
        second = [
            node
            for node in topological_order(self.a2, include_leaves=False)
            if node not in in_first
        ]
        return {"neuron 1": first, "neuron 2": second}


def worked_example(
    x: float = X,
    w1: float = W1,
    b1: float = B1,
    w2: float = W2,
    b2: float = B2,
    target: float = TARGET,
    *,
    fused: bool = False,
    student: str | None = None,
    assignment: str | None = None,
    seed: int | None = None,
    task: str = "descent",
) -> WorkedExample:
    """Build the example's network (the network files' builder, ``build_network``: an nn
    ``MLP`` of two sigmoid neurons), run ``E.backward()``, return its labelled Values.

    ``student`` and ``assignment`` (or ``seed``) take a student's variant's numbers
    and learning rate instead (``chainrule.variants``; ``task="divergence"`` for the
    J(w) exercise about divergence); ``example.variant.json()`` is then the record
    ``chainrule backprop --student ... [--task divergence] --json`` prints.
    ``fused=False`` builds each pre-activation op by op (w·x, then + b: every
    multiplication visible in a drawing); ``fused=True`` uses one ``w·x+b``
    node per neuron. Both give the same numbers.
    """
    chosen = None
    if student is not None or assignment is not None or seed is not None:
        if (x, w1, b1, w2, b2, target) != (X, W1, B1, W2, B2, TARGET):
            raise ValueError("worked_example: give numbers or a variant, not both")
        chosen = variant(student, assignment, seed, task)
        x, w1, b1, w2, b2, target = (
            chosen.x,
            chosen.w1,
            chosen.b1,
            chosen.w2,
            chosen.b2,
            chosen.target,
        )
    network = build_network(lesson_network(x, w1, b1, w2, b2, target, "sigmoid"), fused=fused)
    ((x_value,), (target_value,)) = network.inputs, network.targets
    (((w1_value,),), ((w2_value,),)) = network.weights
    ((b1_value,), (b2_value,)) = network.biases
    ((z1,), (z2,)) = network.zs
    ((a1,), (a2,)) = network.activations
    error = network.E
    return WorkedExample(
        x_value,
        w1_value,
        b1_value,
        z1,
        a1,
        w2_value,
        b2_value,
        z2,
        a2,
        error,
        target_value,
        chosen.lr if chosen else LEARNING_RATE,
        chosen,
    )


def sgd_update(example: WorkedExample, lr: float = LEARNING_RATE) -> dict[str, float]:
    """One gradient-descent step: each parameter's new value p − lr · ∂E/∂p (nothing mutated)."""
    checks.positive_number(lr, "sgd_update", "lr")
    return {
        name: gradient_step(parameter.data, parameter.grad, lr)
        for name, parameter in example.parameters().items()
    }


def train_worked_example(iterations: int, lr: float = LEARNING_RATE) -> list[float]:
    """Repeat forward, backward and ``sgd_update`` ``iterations`` times; return E before each step.

    With the course's numbers E falls at every step as a2 approaches T.
    """
    return _train(iterations, lr, "train_worked_example")[0]


def trained_parameters(
    iterations: int, lr: float = LEARNING_RATE, start: Variant | None = None
) -> dict[str, float]:
    """The parameters after ``iterations`` steps of ``train_worked_example``, by name
    (from the variant ``start``'s numbers if given, else the course's).

    After 300 steps at lr 0.4, w2 has moved about 1,750 times as far as w1:
    ∂E/∂w1 carries the extra factors w2 · σ'(z1) · x that ∂E/∂w2 does not.
    """
    return _train(iterations, lr, "trained_parameters", start)[1]


def _train(
    iterations: int, lr: float, caller: str, start: Variant | None = None
) -> tuple[list[float], dict[str, float]]:
    checks.integer(iterations, caller, "iterations", minimum=1)
    numbers = start.lesson_numbers() if start else GIVEN
    spec = lesson_network(**numbers, activation="sigmoid")
    history, trained = train(spec, iterations, lr)
    return history[:-1], {p.label: p.data for p in trained.parameters()}
