"""Variants: each student's own numbers for the two worked examples, from one seed.

A seed is a whole number 0 ≤ seed < 2^53, given, or the first 6 bytes of
sha256("<assignment>\\n<student>") (both names NFC-normalised, outer spaces
stripped), so the same student and assignment give the same seed on every
machine. The seed drives a counter-mode sha256 stream (never ``hash()`` or a
library's random generator, whose sequences may differ between Pythons), from
which the givens are drawn on a grid of hundredths:

    backprop   x, w1, b1, w2, b2, target (T), lr     (the two sigmoid neurons)
    descent    k (the data are z = k·x on the lesson's xs), w0, alpha (the lr)

A draw is kept only when the variant is workable by hand (``problems`` is empty):
every given has at most 2 decimals, both pre-activations lie in [−2, 2], E falls
after one update and J after each step, every updated parameter differs from its
old value and every answer from the value of each catalogued mistake
(``chainrule.mistakes``, via ``Checker.key``) at the checked precision (3
significant figures), and alpha is below the divergence threshold 1/Σx².
Otherwise the stream's next numbers are tried.

The task ``"divergence"`` (``TASKS``) is the J(w) exercise about divergence: the
seed's variant with alpha drawn again, from ``DIVERGENCE_ALPHA`` on a stream of its
own, and kept only above the threshold 1/Σx² with J rising at each step. So the
same seed gives the same network, k and w0 for either task.

The answers are every quantity the quiz can ask, named as it asks them: the
network's (``z1``, ``∂E/∂w2``, ``new w2``, local derivatives ``∂a2/∂z2`` included,
from ``graph_questions``) and the descent table's (``J(w_0)``, ``dJ/dw(w_0)``,
``w_1``, ... up to ``w_3``).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

from autograd import Value, checks
from chainrule.lessons import gradient_descent
from chainrule.network import BuiltNetwork, build_network, lesson_network, run_record
from chainrule.questions import SIGNIFICANT_FIGURES, Checker, Verdict, agrees

SEED_LIMIT = 2**53
"""Seeds are below this, so a page's JavaScript holds them exactly."""
DESCENT_STEPS = 3
"""Rows of the J(w) table after the start: w_0 ... w_3."""
PRE_ACTIVATION_LIMIT = 2.0
"""|z1|, |z2| ≤ 2, so σ'(z) ≥ σ'(2) ≈ 0.105: no gradient is tiny."""
MAX_DRAWS = 10_000
TASKS = ("descent", "divergence")
"""What the J(w) exercise is about: descent that converges (the default), or divergence."""
DIVERGENCE_ALPHA = (190, 300, 10)
"""Where alpha is drawn from for the divergence task, in hundredths: above 1/Σx² ≈ 1.82."""

GRID = {
    # name: (lowest, highest, step), in hundredths
    "x": (10, 100, 5),
    "w1": (-100, 100, 5),
    "b1": (-100, 100, 5),
    "w2": (-100, 100, 5),
    "b2": (-100, 100, 5),
    "target": (5, 95, 5),
    "lr": (20, 100, 10),
    "k": (50, 300, 10),
    "w0": (-100, 100, 10),
    "alpha": (10, 170, 10),
}
"""Where each given is drawn from: lowest to highest by step, in hundredths."""


def seed_of(student: str, assignment: str) -> int:
    """The seed of ``student``'s variant of ``assignment``: sha256 of the two names."""
    student = _name(student, "student")
    assignment = _name(assignment, "assignment")
    digest = hashlib.sha256(f"{assignment}\n{student}".encode()).digest()
    return int.from_bytes(digest[:6], "big")


def _name(text: str, what: str) -> str:
    checks.instance(text, "seed_of", what, str)
    name = unicodedata.normalize("NFC", text).strip()
    if not name:
        raise ValueError(f"seed_of: expected a non-empty {what} name, got {text!r}")
    return name


def check_seed(seed: int, caller: str = "variant") -> int:
    """``seed`` when it is a whole number in [0, 2^53), else a ValueError naming it."""
    return checks.integer(seed, caller, "seed", minimum=0, maximum=SEED_LIMIT - 1)


def _stream(seed: int, purpose: str = "") -> Iterator[int]:
    """64-bit numbers: sha256("chainrule variant <seed> <counter>") for counter = 0, 1, ...
    (``purpose``, when given, follows the seed: "<seed> divergence <counter>")."""
    counter = 0
    prefix = f"chainrule variant {seed} {purpose} " if purpose else f"chainrule variant {seed} "
    while True:
        digest = hashlib.sha256(f"{prefix}{counter}".encode()).digest()
        yield from (int.from_bytes(digest[i : i + 8], "big") for i in range(0, 32, 8))
        counter += 1


def check_task(task: str, caller: str = "variant") -> str:
    """``task`` when it is one of ``TASKS``, else a ValueError naming it."""
    if task not in TASKS:
        raise ValueError(f"{caller}: task must be one of {', '.join(TASKS)}, got {task!r}")
    return task


def _draw(stream: Iterator[int], grid: tuple[int, int, int]) -> float:
    low, high, step = grid
    return (low + step * (next(stream) % ((high - low) // step + 1))) / 100


@dataclass(frozen=True)
class Variant:
    """One student's numbers for both examples, and everything computed from them."""

    seed: int
    x: float
    w1: float
    b1: float
    w2: float
    b2: float
    target: float
    lr: float
    k: float
    w0: float
    alpha: float
    student: str | None = None
    assignment: str | None = None
    task: str = "descent"

    def given(self) -> dict[str, float]:
        """The givens, named as the ``chainrule backprop`` flags name them (and k, w0, alpha)."""
        return {name: getattr(self, name) for name in GRID}

    @cached_property
    def network(self) -> BuiltNetwork:
        """The two-neuron network with these numbers, after forward and ``E.backward()``."""
        spec = lesson_network(
            self.x, self.w1, self.b1, self.w2, self.b2, self.target, activation="sigmoid"
        )
        return build_network(spec)

    def targets(self) -> list[float]:
        """J(w)'s targets z = k·x, one per x of the lesson's xs."""
        return [self.k * x for x in gradient_descent.XS]

    def lesson_numbers(self) -> dict[str, float]:
        """The two-neuron network's givens by ``worked_example``'s names (x, w1, b1, w2, b2,
        target)."""
        return {name: getattr(self, name) for name in ("x", "w1", "b1", "w2", "b2", "target")}

    def descent(self) -> list[gradient_descent.Step]:
        """Gradient descent on J(w) = Σ (k·x − w·x)² over the lesson's xs: w_0 ... w_3."""
        return gradient_descent.descend(
            gradient_descent.XS, self.targets(), self.w0, self.alpha, DESCENT_STEPS
        )

    def answers(self) -> dict[str, float]:
        """Every quantity the quizzes can ask, by the name they ask it with."""
        return {**self.network.answers(self.lr), **descent_answers(self.descent())}

    def mark(self, typed: Mapping[str, str]) -> dict[str, Verdict]:
        """Each asked quantity's verdict on the texts a student typed (a missing one is
        empty), by the one checking rule, ``Checker.answer`` in the order the sheet is
        worked: error carried forward, catalogued mistakes named. The network's quiz (no
        local derivatives), then each row of the J(w) table as the graph of J at the
        student's own w_k and at the true one (right by either is right)."""
        checker = self.network.checker(self.lr)
        verdicts = {
            q.quantity: _answer(checker, q.quantity, typed.get(q.quantity, ""))
            for q in checker.questions
        }
        true_ws = [step.w for step in self.descent()]
        for k, true_w in enumerate(true_ws):
            own_w = verdicts[f"w_{k}"].answer if k else None
            starts = [true_w if own_w is None else own_w, true_w]
            rows = [self._descent_row(w) for w in dict.fromkeys(starts)]
            names = {"J": f"J(w_{k})", "∂J/∂w": f"dJ/dw(w_{k})"}
            if k < DESCENT_STEPS:
                names["new w"] = f"w_{k + 1}"
            for quantity, name in names.items():
                found = [_answer(row, quantity, typed.get(name, "")) for row in rows]
                verdicts[name] = next((v for v in found if v.right), found[0])
        return verdicts

    def _descent_row(self, w: float) -> Checker:
        """The checker of one row of the J(w) table: J and dJ/dw at ``w``, and the next w."""
        w_value = Value(w, label="w")
        zs = [self.k * x for x in gradient_descent.XS]
        cost = gradient_descent.cost(w_value, gradient_descent.XS, zs)
        cost.label = "J"
        return Checker(cost, lr=self.alpha, parameters=[w_value])

    def wrong_answers(self) -> dict[str, dict[str, float]]:
        """The common wrong numbers: for each network quantity a catalogued mistake touches,
        mistake name -> the number it gives, recomputed on this variant (``Checker.key``)."""
        key = self.network.checker(self.lr, local_derivatives=True).key()
        return {entry.quantity: dict(entry.mistakes) for entry in key if entry.mistakes}

    def key(self) -> dict[str, object]:
        """The marking key: ``student``, ``assignment``, ``seed``, ``task``, ``given``,
        ``answers`` and ``wrong_answers``."""
        return {
            "student": self.student,
            "assignment": self.assignment,
            "seed": self.seed,
            "task": self.task,
            "given": self.given(),
            "answers": self.answers(),
            "wrong_answers": self.wrong_answers(),
        }

    def record(self) -> dict[str, object]:
        """The key and every number of the network's run, as ``chainrule backprop --json``."""
        network = self.network
        run = run_record(network, self.lr, replace(network.updated(self.lr), lr=self.lr))
        return {**self.key(), **run, "answers": self.answers()}

    def json(self) -> str:
        """``record()`` as the JSON text every front end prints (CLI, notebook, site)."""
        return json.dumps(self.record(), ensure_ascii=False, indent=2)


def _answer(checker: Checker, quantity: str, text: str) -> Verdict:
    """``checker.answer``, a quit word taken as text that is not a number."""
    verdict = checker.answer(quantity, text)
    return replace(verdict, status="invalid") if verdict.status == "quit" else verdict


def descent_answers(steps: list[gradient_descent.Step]) -> dict[str, float]:
    """The J(w) table's blanks: J(w_k) and dJ/dw(w_k) for each row, and each next w_k."""
    answers: dict[str, float] = {}
    for step in steps:
        k = step.iteration
        if k:
            answers[f"w_{k}"] = step.w
        answers[f"J(w_{k})"] = step.cost
        answers[f"dJ/dw(w_{k})"] = step.gradient
    return answers


def variant(
    student: str | None = None,
    assignment: str | None = None,
    seed: int | None = None,
    task: str = "descent",
) -> Variant:
    """The variant of ``student`` and ``assignment``, or of ``seed``: the first workable draw.

    Give both names, or a seed (optionally with the assignment's name, kept in the key);
    ``task`` is one of ``TASKS``.
    """
    task = check_task(task)
    if seed is None:
        if student is None or assignment is None:
            raise ValueError("variant: expected a student and an assignment, or a seed")
        seed = seed_of(student, assignment)
    elif student is not None:
        raise ValueError("variant: expected a student and an assignment, or a seed, not both")
    seed = check_seed(seed)
    stream = _stream(seed)
    for _ in range(MAX_DRAWS):
        drawn: dict[str, Any] = {name: _draw(stream, GRID[name]) for name in GRID}
        candidate = Variant(seed, **drawn, student=student, assignment=assignment)
        if not problems(candidate):
            return candidate if task == "descent" else _divergent(candidate)
    raise RuntimeError(f"variant: no workable draw for seed {seed} in {MAX_DRAWS} tries")


def _divergent(chosen: Variant) -> Variant:
    """``chosen`` on the divergence task: alpha drawn again, above the threshold."""
    stream = _stream(chosen.seed, "divergence")
    for _ in range(MAX_DRAWS):
        candidate = replace(chosen, alpha=_draw(stream, DIVERGENCE_ALPHA), task="divergence")
        if not descent_problems(candidate):
            return candidate
    raise RuntimeError(f"variant: no divergent alpha for seed {chosen.seed} in {MAX_DRAWS} tries")


def problems(candidate: Variant) -> list[str]:
    """Why a variant is not workable by hand (see the module docstring); [] when it is."""
    found = []
    network = candidate.network
    for z in (network.zs[0][0], network.zs[1][0]):
        if abs(z.data) > PRE_ACTIVATION_LIMIT:
            found.append(f"{z.label} = {z.data:g} is outside [−2, 2]")
    after = build_network(network.updated(candidate.lr))
    if not after.E.data < network.E.data:
        found.append("E does not fall after one update")
    for p in network.parameters():
        if agrees(p.data, p.data - candidate.lr * p.grad, SIGNIFICANT_FIGURES):
            found.append(f"new {p.label} looks like the old {p.label}")
    for entry in network.checker(candidate.lr, local_derivatives=True).key():
        for mistake, wrong in entry.mistakes.items():
            if agrees(wrong, entry.value) or agrees(entry.value, wrong):
                found.append(f"{entry.quantity} looks like the mistake {mistake!r}")
    return found + descent_problems(candidate)


def descent_problems(candidate: Variant) -> list[str]:
    """Why the variant's J(w) exercise is not workable by hand (the task's alpha, J
    falling or rising at each step, each w telling apart from the last); [] when it is."""
    found = []
    steps = candidate.descent()
    threshold = gradient_descent.critical_learning_rate()
    diverges = candidate.task == "divergence"
    if not (candidate.alpha > threshold if diverges else candidate.alpha < threshold):
        found.append(f"alpha = {candidate.alpha:g} is not right for the {candidate.task} task")
    pairs = list(itertools.pairwise(steps))
    if diverges and not all(later.cost > earlier.cost for earlier, later in pairs):
        found.append("J does not rise at each step")
    if not diverges and not all(later.cost < earlier.cost for earlier, later in pairs):
        found.append("J does not fall at each step")
    for earlier, later in itertools.pairwise(steps):
        if agrees(earlier.w, later.w, SIGNIFICANT_FIGURES):
            found.append(f"w_{later.iteration} looks like w_{earlier.iteration}")
    return found
