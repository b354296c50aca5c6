"""The Python half of the chainrule site: what the pages ask, answered by chainrule itself.

The site's Web Worker loads Pyodide, unpacks the chainrule wheel of the checkout
and imports this module; each page request is ``dispatch(name, json_arguments)``,
which calls one of the functions in ``REQUESTS`` and returns its result as JSON.
Nothing here re-implements the engine: formulas go through
``autograd.parse_expression``, gradients through ``backward()``, the step-through
through ``autograd.show.frames``, the quiz through ``chainrule.questions.Checker`` (the
terminal's and the notebook's checking and scoring rules, run here in Pyodide),
training through ``nn.fit``. A user's mistake (a bad formula, a bad number) comes
back as ``{"error": message}``, shown on the page; anything else is a bug and raises.

The state of each page (the playground's graph, the training run) lives in this
module between requests, so a request carries only what changed.
"""

from __future__ import annotations

import ast
import json
import math
import re
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tqdm import tqdm

from autograd import Value, draw_graph, explain, parse_expression, topological_order
from autograd.checks import integer, one_of
from autograd.descent import gradient_step
from autograd.show.format import format_number
from autograd.show.frames import Frame, frames
from autograd.show.names import node_names
from chainrule.classroom import HandIn, common_mistakes, grade_texts, marks_csv, question_counts
from chainrule.lessons.backprop import sgd_update, worked_example
from chainrule.mistakes import BY_NAME
from chainrule.questions import Checker, hide_pending, parse_number, rules
from chainrule.variants import Variant
from chainrule.variants import variant as make_variant
from nn import (
    MLP,
    SGD,
    StepActivationWarning,
    fit,
    make_circles,
    make_moons,
    make_xor,
    paused_gc,
    squared_error,
)

tqdm.monitor_interval = 0  # its monitor is a thread, and the browser's Python has none

USER_ERRORS = (ValueError, TypeError, ZeroDivisionError, OverflowError)
ROOT_NAME = "f"
"""The label a formula's result gets when the formula is more than one variable."""
DRAWING_FONT = "DejaVu Sans"
"""The font viz-js lays the graphs out in: one it has metrics for (it has no font files),
and the widest of the sans-serif fonts the page draws with (site.css), so no text
overflows its box where Helvetica or Arial stand in for it."""


# --- the playground ----------------------------------------------------------


@dataclass
class Playground:
    """The formula on the page: its graph, its frames, and the quiz's checker (its
    questions, the student's answers so far, the score)."""

    root: Value
    leaves: dict[str, Value]
    frames: list[Frame]
    checker: Checker


_playground: Playground | None = None


def formula_variables(formula: str) -> list[str]:
    """The names a formula uses as variables, in the order they first appear.

    Function names (``tanh`` in ``tanh(x)``) are not variables. A formula that
    does not parse gives [], so that ``parse_expression`` reports the mistake.
    """
    try:
        tree = ast.parse(formula.strip(), mode="eval")
    except (SyntaxError, RecursionError, MemoryError, ValueError):
        return []
    called = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    names = [
        node for node in ast.walk(tree) if isinstance(node, ast.Name) and id(node) not in called
    ]
    names.sort(key=lambda node: (node.lineno, node.col_offset))
    return list(dict.fromkeys(node.id for node in names))


def read_number(text: object, name: str) -> float:
    """A number typed in a box, read like a quiz answer (``0.5``, ``-1.2``, ``5e-2``, ``0,5``)."""
    number = parse_number(text) if isinstance(text, str) else None
    if number is None:
        raise ValueError(f"{name}: expected a number, got {str(text)!r}")
    return number


def playground(formula: str, values: Mapping[str, str], rankdir: str = "LR") -> dict[str, Any]:
    """Build, differentiate and draw ``formula`` with the variables' ``values`` (texts).

    A variable without a value starts at 1. Returns the value, every variable's
    gradient, the graph's DOT source and the step-through frames, each with the
    quiz questions of its step.
    """
    global _playground
    one_of(rankdir, "playground", "rankdir", ("LR", "TB"))
    numbers = {
        name: read_number(values.get(name, "1"), name) for name in formula_variables(formula)
    }
    root = parse_expression(formula, numbers)
    if root.inputs and not root.label:
        root.label = ROOT_NAME
    root.backward()
    leaves = {name: node for node, name in node_names(root).items() if node.label in numbers}
    graph = draw_graph(root, rankdir, fontname=DRAWING_FONT)
    try:
        steps = frames(root, rankdir=rankdir, fontname=DRAWING_FONT)
        too_big = ""
    except ValueError as error:  # too many steps to show one picture each
        steps, too_big = [], str(error)
    # The quiz: each variable's gradient, asked at the step that completes it.
    checker = Checker(root, parameters=list(leaves.values()))
    _playground = Playground(root, leaves, steps, checker)
    shown_frames = [_frame_record(root, frame, steps, rankdir) for frame in steps]
    return {
        "formula": formula,
        "variables": [{"name": name, "value": number} for name, number in numbers.items()],
        "value": root.data,
        "value_text": format_number(root.data),
        "root": node_names(root)[root],
        "grads": {name: leaf.grad for name, leaf in leaves.items()},
        "grad_texts": {name: format_number(leaf.grad) for name, leaf in leaves.items()},
        "dot": graph.source,
        "frames": shown_frames,
        "frames_note": too_big,
        "rules": rules(),
    }


def _frame_record(root: Value, frame: Frame, steps: list[Frame], rankdir: str) -> dict[str, Any]:
    """A frame for the page: its title and DOT source, and in quiz mode the questions its
    step answers and the drawing to show while they are open (those gradients still "?")."""
    assert _playground is not None
    questions = [
        {"key": q.quantity, "quantity": q.quantity, "prompt": q.prompt}
        for q in _playground.checker.questions
        if q.kind == "backward" and q.step == frame.index
    ]
    record: dict[str, Any] = {"title": frame.title, "dot": frame.graph.source}
    record["questions"] = questions
    # In quiz mode no drawing gives away a pending answer: the gradients still asked (at
    # this step or later) are "?" wherever a label shows them, edges included.
    asked = [q for q in _playground.checker.questions if q.kind == "backward"]
    from_here = [q.expected for q in asked if q.step is not None and q.step >= frame.index]
    after = [q.expected for q in asked if q.step is not None and q.step > frame.index]
    record["quiz_dot"] = _hide_in_labels(frame.graph.source, after)
    record["question_title"] = hide_pending(frame.title, from_here)  # "upstream gradient ?"
    if frame.step is not None:
        names = node_names(root)
        record["order"] = {  # which node the backward pass takes next: asked in quiz mode
            "prompt": "next node of the backward pass = ?",
            "choices": sorted({names[n] for n in topological_order(root) if n.op}),
        }
        known = steps[frame.index - 1].known_grads
        order_dot = draw_graph(
            root, rankdir, known_grads=known, title="Which node comes next?", fontname=DRAWING_FONT
        )
        record["order_dot"] = _hide_in_labels(order_dot.source, from_here)
        question_dot = draw_graph(
            root,
            rankdir,
            highlight=frame.step.node,
            known_grads=known,
            title=frame.title + ": your turn",
            fontname=DRAWING_FONT,
        )
        record["question_dot"] = _hide_in_labels(question_dot.source, from_here)
    return record


_LABEL = re.compile(r'label=("(?:[^"\\]|\\.)*"|<|[^\s\]]+)')


def _hide_in_labels(dot: str, pending: Sequence[float]) -> str:
    """The DOT source with each pending value hidden in its labels (``hide_pending``):
    quoted, bare (then quoted: "?" is no DOT identifier) and HTML-like ``<...>`` ones."""
    parts, position = [], 0
    for found in _LABEL.finditer(dot):
        if found.start() < position:  # inside an HTML label already taken
            continue
        label, end = found.group(1), found.end()
        if label == "<":  # an HTML-like label: up to its matching ">"
            depth = 1
            while depth:
                depth += {"<": 1, ">": -1}.get(dot[end], 0)
                end += 1
            label = dot[found.start(1) : end]
        hidden = hide_pending(label, pending)
        if hidden != label and label[0] not in '"<':
            hidden = f'"{hidden}"'
        parts += [dot[position : found.start(1)], hidden]
        position = end
    return "".join([*parts, dot[position:]])


def check_order(step: int, name: str) -> dict[str, Any]:
    """Check the node the student picks as the next of the backward pass at frame ``step``:
    right when every node that uses it is done (its gradient is complete), so it may come
    next in a reverse topological order; the page's own step is named either way."""
    if _playground is None or not 0 < step < len(_playground.frames):
        raise ValueError(f"check_order: no step {step!r}; compute a formula first")
    frames_ = _playground.frames
    names = node_names(_playground.root)
    by_name = {names[n]: n for n in topological_order(_playground.root) if n.op}
    if name not in by_name:
        raise ValueError(f"check_order: no node {name!r} in the graph")
    done = {f.step.node for f in frames_[1:step] if f.step is not None}
    users = {node: [u for u in by_name.values() if node in u.inputs] for node in by_name.values()}
    picked, taken = by_name[name], frames_[step].step
    assert taken is not None
    ready = picked not in done and all(user in done for user in users[picked])
    pages = f"this page takes {names[taken.node]} next"
    if ready:
        return {"right": True, "message": f"right: {name} can go next ({pages})"}
    why = "is done already" if picked in done else "still waits for a node that uses it"
    return {"right": False, "message": f"not {name}: it {why}; {pages}"}


def check(key: str, answer: str) -> dict[str, Any]:
    """Check the student's ``answer`` for the quiz box ``key`` by ``Checker.answer``: the
    same rules as the terminal and the notebook (``rules()``)."""
    if _playground is None or key not in _playground.checker.by_quantity:
        raise ValueError(f"check: no open question {key!r}; compute a formula first")
    checker = _playground.checker
    verdict = checker.answer(key, answer)
    right, finished = checker.score()
    return {
        "status": verdict.status,
        "right": verdict.right,
        "revealed": verdict.finished and not verdict.right,
        "done": verdict.finished,
        "quit": verdict.status == "quit",
        "mistake": verdict.mistake,
        "message": f"{key}: {verdict.message}",
        "tries": checker.tries.get(key, 0),
        "score": right,
        "finished": finished,
    }


def explain_leaf(name: str) -> dict[str, Any]:
    """``explain(root, leaf)`` for one variable of the playground's formula: the derivation."""
    if _playground is None or name not in _playground.leaves:
        known = ", ".join(_playground.leaves) if _playground else "none"
        raise ValueError(f"explain: no variable {name!r} in the formula (variables: {known})")
    # Every edge its own factor: a formula's inner nodes are unlabelled, and merged they
    # would make one factor of the whole path.
    explanation = explain(_playground.root, _playground.leaves[name], merge_unlabelled=False)
    return {"name": name, "text": explanation.text, "total": explanation.total}


# --- the worked example ------------------------------------------------------

LESSON_FIELDS = {"x": 0.1, "w1": 0.15, "b1": 0.4, "w2": 0.45, "b2": 0.65, "T": 0.25, "lr": 0.4}
NETWORK_FIELDS = {
    "i1": 0.05,
    "i2": 0.10,
    "w1": 0.15,
    "w2": 0.20,
    "w3": 0.25,
    "w4": 0.30,
    "b1": 0.35,
    "w5": 0.40,
    "w6": 0.45,
    "w7": 0.50,
    "w8": 0.55,
    "b2": 0.60,
    "T1": 0.01,
    "T2": 0.99,
    "lr": 0.5,
}
"""The 2-2-2 preset: the classic two-input, two-hidden, two-output sigmoid network
(one shared bias per layer); w1..w4 feed the hidden units, w5..w8 the outputs."""


def presets() -> dict[str, Any]:
    """The worked example's two presets and their fields with default values."""
    return {"lesson": LESSON_FIELDS, "network": NETWORK_FIELDS}


def worked(preset: str, values: Mapping[str, str]) -> dict[str, Any]:
    """The example's forward pass, every parameter's gradient as its chain-rule product,
    and one gradient-descent update, for ``preset`` ("lesson": 1-1-1, "network": 2-2-2)."""
    one_of(preset, "worked", "preset", ("lesson", "network"))
    fields = LESSON_FIELDS if preset == "lesson" else NETWORK_FIELDS
    numbers = {
        name: read_number(values.get(name, str(default)), name) for name, default in fields.items()
    }
    lr = numbers["lr"]
    if not 0.0 < lr < math.inf:
        raise ValueError(f"lr: expected a positive number, got {format_number(lr)}")
    return _lesson(numbers) if preset == "lesson" else _network(numbers)


def _variant(student: str | None, assignment: str | None, seed: str | None) -> Variant:
    """The variant a page's URL names (``?student=…&assignment=…`` or ``?seed=…``)."""
    number = None
    if seed is not None:
        if not seed.strip().isdigit():
            raise ValueError(f"seed: expected a whole number, got {seed!r}")
        number = int(seed)
    return make_variant(student, assignment, number)


def variant(
    student: str | None = None, assignment: str | None = None, seed: str | None = None
) -> dict[str, Any]:
    """A student's variant from a page's URL: its numbers as the worked example's fields,
    the quantities its sheet asks with their hints, and its record as the JSON text that
    ``chainrule backprop --student … --json`` prints, byte for byte."""
    chosen = _variant(student, assignment, seed)
    given = chosen.given()
    fields = {name: given["target" if name == "T" else name] for name in LESSON_FIELDS}
    hints = {q.quantity: q.hint for q in chosen.network.checker(chosen.lr).questions}
    descent = "J(w) = Σ (k·x − w·x)², dJ/dw = −2 Σ x (k·x − w·x), w_(k+1) = w_k − α · dJ/dw(w_k)"
    asked = list(chosen.mark({}))
    return {
        "fields": fields,
        "given": given,
        "seed": chosen.seed,
        "student": chosen.student,
        "assignment": chosen.assignment,
        "questions": [{"quantity": q, "hint": hints.get(q, descent)} for q in asked],
        "json": chosen.json(),
    }


def sheet(
    answers: Mapping[str, str],
    student: str | None = None,
    assignment: str | None = None,
    seed: str | None = None,
) -> dict[str, Any]:
    """Mark a student's sheet of their variant (``Variant.mark``: error carried forward,
    mistakes named). An empty box is "empty", with no value shown."""
    verdicts = _variant(student, assignment, seed).mark(answers)
    marked = {}
    for quantity, verdict in verdicts.items():
        message = {"right": "right", "empty": "", "invalid": f"{verdict.message}"}.get(
            verdict.status, "not yet"
        )
        if verdict.mistake:
            message = f"not yet: {BY_NAME[verdict.mistake].message(quantity)}"
        marked[quantity] = {"status": verdict.status, "message": message}
    score = sum(v.right for v in verdicts.values())
    return {"verdicts": marked, "score": score, "total": len(verdicts)}


def hand_in(
    student: str,
    assignment: str,
    answers: Mapping[str, str],
    tries: Mapping[str, int],
    hints: Mapping[str, int],
    seconds: float,
) -> dict[str, Any]:
    """The hand-in file's text and its short code (``chainrule.classroom.HandIn``)."""
    chosen = make_variant(student, assignment)
    handed = HandIn(
        chosen.student or student,
        chosen.assignment or assignment,
        chosen.seed,
        dict(answers),
        {q: int(n) for q, n in tries.items()},
        {q: int(n) for q, n in hints.items()},
        round(float(seconds)),
    )
    return {"json": json.dumps(handed.to_dict(), ensure_ascii=False), "code": handed.code()}


def dashboard(files: Sequence[Mapping[str, str]]) -> dict[str, Any]:
    """Regrade the dropped hand-ins from their seeds (claimed verdicts ignored): each
    student's mark, time and where they are stuck, each question's counts, the common
    wrong answers with their mistakes, the refused files, and the marks as CSV."""
    graded, refused = grade_texts((f["name"], f["text"]) for f in files)
    counts = question_counts(graded)
    return {
        "questions": list(counts),
        "students": [
            {
                "student": one.hand_in.student,
                "right": one.right,
                "asked": len(one.verdicts),
                "seconds": one.hand_in.seconds,
                "stuck": one.stuck(),
                "verdicts": {q: v.status for q, v in one.verdicts.items()},
            }
            for one in graded
        ],
        "counts": {q: dict(c) for q, c in counts.items()},
        "mistakes": [
            {**vars(common), "line": common.line(len(graded))} for common in common_mistakes(graded)
        ],
        "refused": refused,
        "csv": marks_csv(graded) if graded else "",
    }


def _lesson(numbers: Mapping[str, float]) -> dict[str, Any]:
    example = worked_example(
        numbers["x"], numbers["w1"], numbers["b1"], numbers["w2"], numbers["b2"], numbers["T"]
    )
    updated = sgd_update(example, numbers["lr"])
    return _report(
        example.E,
        example.forward_table(),
        {name: explanation.text for name, explanation in example.explanations().items()},
        example.parameters(),
        updated,
    )


def _network(numbers: Mapping[str, float]) -> dict[str, Any]:
    leaf = {name: Value(number, label=name) for name, number in numbers.items() if name != "lr"}

    def unit(weights: Sequence[str], inputs: Sequence[Value], bias: str, name: str) -> Value:
        z = leaf[weights[0]] * inputs[0] + leaf[weights[1]] * inputs[1] + leaf[bias]
        z.label = "z" + name
        activation = z.sigmoid()
        activation.label = name
        return activation

    inputs = [leaf["i1"], leaf["i2"]]
    h1 = unit(("w1", "w2"), inputs, "b1", "h1")
    h2 = unit(("w3", "w4"), inputs, "b1", "h2")
    o1 = unit(("w5", "w6"), [h1, h2], "b2", "o1")
    o2 = unit(("w7", "w8"), [h1, h2], "b2", "o2")
    error = squared_error([o1, o2], [leaf["T1"], leaf["T2"]])
    error.label = "E"
    error.backward()
    forward = [
        (node.label, formula, node.data)
        for node, formula in [
            (h1.inputs[0], "w1·i1 + w2·i2 + b1"),
            (h1, "σ(zh1)"),
            (h2.inputs[0], "w3·i1 + w4·i2 + b1"),
            (h2, "σ(zh2)"),
            (o1.inputs[0], "w5·h1 + w6·h2 + b2"),
            (o1, "σ(zo1)"),
            (o2.inputs[0], "w7·h1 + w8·h2 + b2"),
            (o2, "σ(zo2)"),
            (error, "½((T1 − o1)² + (T2 − o2)²)"),
        ]
    ]
    parameters = {name: leaf[name] for name in NETWORK_FIELDS if name[0] in "wb"}
    updated = {name: gradient_step(p.data, p.grad, numbers["lr"]) for name, p in parameters.items()}
    derivations = {name: explain(error, p).text for name, p in parameters.items()}
    return _report(error, forward, derivations, parameters, updated)


def _report(
    error: Value,
    forward: Sequence[tuple[str, str, float]],
    derivations: Mapping[str, str],
    parameters: Mapping[str, Value],
    updated: Mapping[str, float],
) -> dict[str, Any]:
    return {
        "E": error.data,
        "forward": [
            {"name": name, "formula": formula, "value": format_number(value)}
            for name, formula, value in forward
        ],
        "gradients": [
            {"name": name, "grad": p.grad, "text": derivations[name]}
            for name, p in parameters.items()
        ],
        "E_text": format_number(error.data),
        "updated": [
            {
                "name": name,
                "old": format_number(p.data),
                "grad": format_number(p.grad),
                "new": updated[name],
                "new_text": format_number(updated[name]),
            }
            for name, p in parameters.items()
        ],
    }


# --- training ------------------------------------------------------------------

DATASETS: dict[str, Callable[..., tuple[list[list[float]], list[int]]]] = {
    "moons": make_moons,
    "circles": make_circles,
    "xor": make_xor,
}
OUTPUTS = {"score": "max_margin", "softmax": "cross_entropy"}
"""The output layer: one linear score with the hinge loss (labels ±1), or two scores
whose softmax is the class probabilities, with the cross-entropy loss (labels 0/1)."""
MAX_UNITS = 64
MAX_LAYERS = 6


@dataclass
class Training:
    model: MLP
    points: list[list[float]]
    labels: list[int]
    loss: str
    optimizer: SGD
    steps: int = 0
    notes: list[str] = field(default_factory=list)


_training: Training | None = None


def layer_sizes(text: str) -> list[int]:
    """Hidden layer sizes typed as "16, 16": 1 to MAX_LAYERS whole numbers in [1, MAX_UNITS]."""
    parts = [part.strip() for part in str(text).replace(";", ",").split(",") if part.strip()]
    if not 1 <= len(parts) <= MAX_LAYERS or not all(part.isdigit() for part in parts):
        raise ValueError(
            f"layer sizes: expected 1 to {MAX_LAYERS} whole numbers separated by commas "
            f"(e.g. 16, 16), got {text!r}"
        )
    return [
        integer(int(part), "layer sizes", "a layer size", minimum=1, maximum=MAX_UNITS)
        for part in parts
    ]


def train_start(
    dataset: str,
    activation: str,
    output: str,
    sizes: str,
    lr: str,
    points: int = 100,
    seed: int = 0,
) -> dict[str, Any]:
    """A fresh MLP 2 -> ``sizes`` -> output, on ``points`` points of ``dataset``; the data."""
    global _training
    one_of(dataset, "train", "dataset", tuple(DATASETS))
    one_of(output, "train", "output", tuple(OUTPUTS))
    rate = read_number(lr, "learning rate")
    X, labels = DATASETS[dataset](points, seed=seed)
    hidden = layer_sizes(sizes)
    if output == "score":
        model = MLP(2, [*hidden, 1], activation=activation, seed=seed)
        targets = [2 * label - 1 for label in labels]
    else:
        model = MLP(2, [*hidden, 2], activation=activation, seed=seed)
        targets = list(labels)
    optimizer = SGD(model.parameters(), rate)
    _training = Training(model, X, targets, OUTPUTS[output], optimizer)
    return {"points": X, "labels": labels, "layers": len(model.layers)}


def train_steps(count: int) -> dict[str, Any]:
    """``count`` full-batch gradient-descent steps (``nn.fit``, one epoch each).

    Returns the loss and accuracy at each step (from the forward pass before its
    update) and each layer's gradient norm after the last step's backward.
    """
    if _training is None:
        raise ValueError("train: press Start first")
    count = integer(count, "train", "count", minimum=1, maximum=1000)
    run = _training
    with warnings.catch_warnings(record=True) as caught, paused_gc():
        warnings.simplefilter("always", StepActivationWarning)
        history = fit(
            run.model,
            run.points,
            run.labels,
            loss=run.loss,
            optimizer=run.optimizer,
            epochs=count,
            progress=False,
        )
    for warning in caught:
        if issubclass(warning.category, StepActivationWarning) and (
            str(warning.message) not in run.notes
        ):
            run.notes.append(str(warning.message))
    run.steps += count
    norms = run.model.grad_norms()
    return {
        "step": run.steps,
        "loss": history.loss,
        "accuracy": history.accuracy,
        "loss_text": format_number(history.loss[-1]),
        "norms": norms,
        "norm_texts": [format_number(norm) for norm in norms],
        "notes": run.notes,
    }


def train_grid(resolution: int = 30) -> dict[str, Any]:
    """The model's class-1 score on a grid over the data: > 0 where it predicts class 1."""
    if _training is None:
        raise ValueError("train: press Start first")
    resolution = integer(resolution, "train_grid", "resolution", minimum=2, maximum=100)
    run = _training
    low = min(min(p) for p in run.points) - 0.5
    high = max(max(p) for p in run.points) + 0.5
    ticks = [low + (high - low) * i / (resolution - 1) for i in range(resolution)]

    def score(point: list[float]) -> float:
        output = run.model(point)
        if isinstance(output, list):  # two scores: class 1 wins where its score is larger
            return output[1].data - output[0].data
        return output.data

    with paused_gc():
        scores = [[score([x, y]) for x in ticks] for y in ticks]
    return {"low": low, "high": high, "scores": scores}


# --- the worker's entry point ------------------------------------------------

REQUESTS: dict[str, Callable[..., dict[str, Any]]] = {
    "playground": playground,
    "check": check,
    "explain": explain_leaf,
    "check_order": check_order,
    "presets": presets,
    "worked": worked,
    "variant": variant,
    "sheet": sheet,
    "hand_in": hand_in,
    "dashboard": dashboard,
    "train_start": train_start,
    "train_steps": train_steps,
    "train_grid": train_grid,
}


def dispatch(name: str, arguments: str) -> str:
    """Run request ``name`` with the JSON object ``arguments``; its result as JSON.

    A user's mistake comes back as ``{"error": message}``.
    """
    request = REQUESTS[name]
    try:
        return json.dumps(request(**json.loads(arguments)))
    except USER_ERRORS as error:
        return json.dumps({"error": str(error)})
