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
from dataclasses import dataclass, field, replace
from typing import Any, cast

from tqdm import tqdm

from autograd import Value, draw_graph, explain, parse_expression, topological_order
from autograd.checks import instance, integer, one_of, shown
from autograd.compile import compile_graph
from autograd.descent import gradient_step
from autograd.expression import ExpressionError
from autograd.show.format import format_number
from autograd.show.frames import Frame, frames
from autograd.show.names import code_names, node_names
from chainrule.classroom import HandIn, common_mistakes, grade_texts, marks_csv, question_counts
from chainrule.formulas import parameters_by_label
from chainrule.lessons import activations, backprop, gradient_descent, vanishing
from chainrule.mistakes import BY_NAME
from chainrule.network import (
    EXAMPLE_NETWORK,
    BuiltNetwork,
    NetworkSpec,
    build_network,
    lesson_network,
    load_network,
)
from chainrule.order import PROMPT as ORDER_PROMPT
from chainrule.order import order_verdicts
from chainrule.questions import (
    SIGNIFICANT_FIGURES,
    Checker,
    check_answer,
    hide_pending,
    parse_number,
    rules,
    shown_value,
)
from chainrule.variants import Variant
from chainrule.variants import variant as make_variant
from nn import (
    ACTIVATIONS,
    MLP,
    SGD,
    Neuron,
    StepActivationWarning,
    fit,
    make_circles,
    make_moons,
    make_xor,
    mse,
    paused_gc,
    softmax,
    squared_error,
)

tqdm.monitor_interval = 0  # its monitor is a thread, and the browser's Python has none

USER_ERRORS = (ValueError, TypeError, ZeroDivisionError, OverflowError)
MAX_FORMULA_LENGTH = 400
MAX_OPERATIONS = 100
MAX_VARIABLES = 20
"""What the Playground takes: checked by counting characters before the formula is parsed, so
that the browser refuses at once what it cannot do quickly (300 variables took over a minute)
or at all (an 850-term sum overflows Pyodide's stack inside Python's parser). Every level of
nesting costs an operator, a bracket or at least a character, so these bound the depth too."""
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


def playground(
    formula: str, values: Mapping[str, str], rankdir: str | None = None
) -> dict[str, Any]:
    """Build, differentiate and draw ``formula`` with the variables' ``values`` (texts).

    A variable without a value starts at 1; a value for a name the formula does not use
    is left out, with a note. Returns the value, every variable's gradient, the notes and
    the step-through frames (their drawings in ``rankdir``, by default the direction that
    fits a 16:9 screen), each with the quiz questions of its step.
    """
    global _playground
    if rankdir is not None:
        one_of(rankdir, "playground", "rankdir", ("LR", "TB"))
    _check_size(instance(formula, "playground", "formula", str))
    instance(values, "playground", "values", Mapping)
    variables = formula_variables(formula)
    if len(variables) > MAX_VARIABLES:
        raise ValueError(
            f"playground: the formula has {len(variables)} variables; the Playground takes up "
            f"to {MAX_VARIABLES}"
        )
    numbers = {name: read_number(values.get(name, "1"), name) for name in variables}
    try:
        root = parse_expression(formula, numbers)
    except ExpressionError as error:  # its message names the function; say the formula
        raise ValueError(f"formula: {error.reason}") from None
    notes = [
        f"{name} = {text} is left out: the formula has no {name}."
        for name, text in values.items()
        if name not in numbers
    ]
    if root.inputs and not root.label:
        root.label = ROOT_NAME
    root.backward()
    leaves = {name: node for node, name in node_names(root).items() if node.label in numbers}
    # Within the Playground's limits (MAX_OPERATIONS) a formula has far fewer backward
    # steps than frames() draws (MAX_FRAMES), so every formula steps through.
    steps = frames(  # the page shows each frame's title above its drawing, once
        root,
        rankdir=rankdir,
        fontname=DRAWING_FONT,
        parameters=parameters_by_label(root),
        titled=False,
    )
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
        "frames": shown_frames,
        "notes": notes,
        "rules": rules(),
    }


def _check_size(formula: str) -> None:
    """Refuse a formula too long or with too many operations for the browser, before parsing."""
    operations = sum(formula.count(symbol) for symbol in "+-*/,([{")
    if len(formula) > MAX_FORMULA_LENGTH or operations > MAX_OPERATIONS:
        raise ValueError(
            f"playground: the formula has {len(formula)} characters and {operations} operations "
            f"and brackets; the Playground takes up to {MAX_FORMULA_LENGTH} characters and "
            f"{MAX_OPERATIONS} operations (the chainrule command takes larger ones)"
        )


def _frame_record(
    root: Value, frame: Frame, steps: list[Frame], rankdir: str | None
) -> dict[str, Any]:
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
            "prompt": ORDER_PROMPT,
            "choices": sorted({names[n] for n in topological_order(root) if n.op}),
        }
        known = steps[frame.index - 1].known_grads
        parameters = parameters_by_label(root)  # as frames() drew them
        order_dot = draw_graph(
            root,
            rankdir,
            known_grads=known,
            title="Which node comes next?",
            fontname=DRAWING_FONT,
            parameters=parameters,
        )
        record["order_dot"] = _hide_in_labels(order_dot.source, from_here)
        question_dot = draw_graph(
            root,
            rankdir,
            highlight=frame.step.node,
            known_grads=known,
            fontname=DRAWING_FONT,
            parameters=parameters,
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
    """Check the node the student picks as the next of the backward pass at frame ``step``
    by ``chainrule.order.order_verdicts``: right when every node that uses it is done."""
    if _playground is None or not 0 < step < len(_playground.frames):
        raise ValueError(f"check_order: no step {step!r}; compute a formula first")
    root = _playground.root
    verdicts = order_verdicts(root, _playground.frames, step, node_names(root))
    if name not in verdicts:
        raise ValueError(f"check_order: no node {name!r} in the graph")
    right, message = verdicts[name]
    return {"right": right, "message": message}


def check(key: str, answer: str) -> dict[str, Any]:
    """Check the student's ``answer`` for the quiz box ``key`` by ``Checker.answer``: the
    same rules as the terminal and the notebook (``rules()``)."""
    instance(key, "check", "key", str)
    instance(answer, "check", "answer", str)
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

PRESETS = {
    "lesson": replace(
        lesson_network(
            backprop.X,
            backprop.W1,
            backprop.B1,
            backprop.W2,
            backprop.B2,
            backprop.TARGET,
            "sigmoid",
        ),
        lr=backprop.LEARNING_RATE,
    ),
    "network": load_network(EXAMPLE_NETWORK),
}
"""The worked example's networks: the lessons' 1-1-1 and the classic 2-2-2, the network
file ``chainrule backprop --network`` reads (``chainrule.network.EXAMPLE_NETWORK``)."""


def _fields(spec: NetworkSpec) -> dict[str, float]:
    """A network's numbers by name (``BuiltNetwork.given()``), then its learning rate."""
    return {**build_network(spec).given(), "lr": cast(float, spec.lr)}


LESSON_FIELDS = _fields(PRESETS["lesson"])


def presets() -> dict[str, Any]:
    """The worked example's two presets and their fields with default values."""
    return {name: _fields(spec) for name, spec in PRESETS.items()}


def worked(preset: str, values: Mapping[str, str], rankdir: str | None = None) -> dict[str, Any]:
    """The example's forward pass, every parameter's gradient as its chain-rule product,
    one gradient-descent update, and the backward pass step by step (drawn in ``rankdir``,
    by default the direction that fits a 16:9 screen), for ``preset`` ("lesson": 1-1-1,
    "network": 2-2-2)."""
    one_of(preset, "worked", "preset", ("lesson", "network"))
    instance(values, "worked", "values", Mapping)
    if rankdir is not None:
        one_of(rankdir, "worked", "rankdir", ("LR", "TB"))
    spec = PRESETS[preset]
    numbers = {
        name: read_number(values.get(name, str(default)), name)
        for name, default in _fields(spec).items()
    }
    lr = numbers.pop("lr")
    if not 0.0 < lr < math.inf:
        raise ValueError(f"lr: expected a positive number, got {format_number(lr)}")
    report = _report(build_network(spec.with_numbers(list(numbers.values()))), lr)
    steps = frames(  # the page shows each frame's title above its drawing, once
        report.pop("root"),
        rankdir=rankdir,
        fontname=DRAWING_FONT,
        parameters=report.pop("leaves"),
        titled=False,
    )
    report["frames"] = [{"title": frame.title, "dot": frame.graph.source} for frame in steps]
    return report


def _variant(
    student: str | None, assignment: str | None, seed: str | None, task: str | None = None
) -> Variant:
    """The variant a page's URL names (``?student=…&assignment=…`` or ``?seed=…``, and
    ``&task=divergence``)."""
    number = None
    if seed is not None:
        if not seed.strip().isdigit():
            raise ValueError(f"seed: expected a whole number, got {seed!r}")
        number = int(seed)
    return make_variant(student, assignment, number, task or "descent")


def _lab_variant(
    student: str | None, assignment: str | None, seed: str | None, task: str | None
) -> Variant | None:
    """The variant a lab's URL names, or None (the lesson's own numbers) if it names none."""
    return None if student is None and seed is None else _variant(student, assignment, seed, task)


def variant(
    student: str | None = None,
    assignment: str | None = None,
    seed: str | None = None,
    task: str | None = None,
) -> dict[str, Any]:
    """A student's variant from a page's URL: its numbers as the worked example's fields,
    the quantities its sheet asks with their hints, and its record as the JSON text that
    ``chainrule backprop --student … --json`` prints, byte for byte."""
    chosen = _variant(student, assignment, seed, task)
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
        "task": chosen.task,
        "questions": [{"quantity": q, "hint": hints.get(q, descent)} for q in asked],
        "json": chosen.json(),
    }


def sheet(
    answers: Mapping[str, str],
    student: str | None = None,
    assignment: str | None = None,
    seed: str | None = None,
    task: str | None = None,
) -> dict[str, Any]:
    """Mark a student's sheet of their variant (``Variant.mark``: error carried forward,
    mistakes named). An empty box is "empty", with no value shown."""
    verdicts = _variant(student, assignment, seed, task).mark(answers)
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
    student: str | None,
    assignment: str | None,
    answers: Mapping[str, str],
    tries: Mapping[str, int],
    hints: Mapping[str, int],
    seconds: float,
    seed: str | None = None,
    task: str | None = None,
) -> dict[str, Any]:
    """The hand-in file's text and its short code (``chainrule.classroom.HandIn``): of the
    student's variant, or of the seed's (``student`` None) as its page's URL names it."""
    chosen = _variant(student, assignment, seed, task)
    handed = HandIn(
        chosen.student,
        chosen.assignment,
        chosen.seed,
        dict(answers),
        {q: int(n) for q, n in tries.items()},
        {q: int(n) for q, n in hints.items()},
        round(float(seconds)),
        chosen.task,
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
                "student": one.hand_in.who,
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


def _report(network: BuiltNetwork, lr: float) -> dict[str, Any]:
    """The page's tables of a built network: forward values with their formulas, each
    parameter's chain-rule product and update (in the order backpropagation reaches them),
    and the forward and backward pass as code."""
    error, formulas = network.E, network.formulas()
    parameters = network.parameters_as_reached()
    code = compile_graph(error, (), parameters, readable=True, names=code_names(error))
    return {
        "root": error,
        "leaves": parameters,
        "E": error.data,
        "code": [
            {"text": line.text, "backward": line.backward, "node": line.node, "input": line.input}
            for line in code.lines
        ],
        "forward": [
            {"name": name, "formula": formulas[name], "value": format_number(value)}
            for name, value in network.forward().items()
        ],
        "gradients": [
            {"name": p.label, "grad": p.grad, "text": explain(error, p, formulas=formulas).text}
            for p in parameters
        ],
        "E_text": format_number(error.data),
        "updated": [
            {
                "name": p.label,
                "old": format_number(p.data),
                "grad": format_number(p.grad),
                "new": new,
                "new_text": format_number(new),
            }
            for p, new in zip(parameters, (gradient_step(p.data, p.grad, lr) for p in parameters))
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
_SIZE = re.compile(r"[0-9]{1,3}")


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
    # ASCII digits only, at most 3: "²" is a digit to str.isdigit, not to int().
    if not 1 <= len(parts) <= MAX_LAYERS or not all(_SIZE.fullmatch(part) for part in parts):
        raise ValueError(
            f"layer sizes: expected 1 to {MAX_LAYERS} whole numbers separated by commas "
            f"(e.g. 16, 16), got {shown(text)}"
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
    """A fresh MLP 2 -> ``sizes`` -> output, on ``points`` points of ``dataset``; the data,
    and the square ``low``…``high`` (both axes) it is drawn in, as ``train_grid`` scores it."""
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
    low, high = _plot_square(X)
    return {"points": X, "labels": labels, "layers": len(model.layers), "low": low, "high": high}


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
        "ratio_text": (
            f"output layer ÷ hidden layer 1 = {norms[-1] / norms[0]:.3g}" if norms[0] else ""
        ),
        "notes": run.notes,
    }


def train_grid(resolution: int = 30) -> dict[str, Any]:
    """The model's class-1 score on a grid over the data: > 0 where it predicts class 1."""
    if _training is None:
        raise ValueError("train: press Start first")
    resolution = integer(resolution, "train_grid", "resolution", minimum=2, maximum=100)
    run = _training
    low, high = _plot_square(run.points)
    ticks = [low + (high - low) * i / (resolution - 1) for i in range(resolution)]

    def score(point: list[float]) -> float:
        output = run.model(point)
        if isinstance(output, list):  # two scores: class 1 wins where its score is larger
            return output[1].data - output[0].data
        return output.data

    with paused_gc():
        scores = [[score([x, y]) for x in ticks] for y in ticks]
    return {"low": low, "high": high, "scores": scores}


def _plot_square(points: list[list[float]]) -> tuple[float, float]:
    """The lowest and highest coordinate shown on both axes: the points' range, 0.5 wider."""
    return min(min(p) for p in points) - 0.5, max(max(p) for p in points) + 0.5


# --- the labs: predict, try, be checked ----------------------------------------

MAX_DESCENT_STEPS = 50
MAX_POINTS = 10
LAB_FIGURES = 2
"""Significant figures for answers found by experiment (a threshold read off a slider)."""
SLOPE_TOLERANCE = 0.01
"""A slope by nudging is right within 1% of backprop's: ΔE/h differs from ∂E/∂p by O(h)."""


def read_in(text: object, name: str, low: float, high: float) -> float:
    """A number typed in a box that must lie in [low, high], else a one-line error naming it."""
    number = read_number(text, name)
    if not low <= number <= high:
        raise ValueError(
            f"{name}: expected a number from {low:g} to {high:g}, got {str(text).strip()}"
        )
    return number


def read_list(text: object, name: str) -> list[float]:
    """Numbers typed as "0.1, 0.2, 0.3": 1 to MAX_POINTS of them, each in [-10, 10]."""
    parts = [part for part in str(text).split(",") if part.strip()]
    if not 1 <= len(parts) <= MAX_POINTS:
        raise ValueError(f"{name}: expected 1 to {MAX_POINTS} numbers separated by commas")
    return [read_in(part, name, -10.0, 10.0) for part in parts]


def verdict(text: str, expected: float, figures: int = SIGNIFICANT_FIGURES) -> dict[str, Any]:
    """``check_answer``'s verdict on a lab's box, for the page; an empty box reveals nothing."""
    result = check_answer(str(text), expected, figures)
    message = "no answer yet" if result.status == "empty" else result.message  # not the value
    return {"status": result.status, "right": result.right, "message": message}


def _data(xs: str, zs: str) -> tuple[list[float], list[float]]:
    inputs, targets = read_list(xs, "x values"), read_list(zs, "z values")
    if len(inputs) != len(targets):
        raise ValueError(f"z values: expected {len(inputs)} numbers, one per x, got {len(targets)}")
    if not any(inputs):
        raise ValueError("x values: expected at least one x that is not 0")
    return inputs, targets


def _descent_settings(w0: str, alpha: str) -> tuple[float, float]:
    rate = read_number(alpha, "α")
    if rate <= 0.0:
        raise ValueError(f"α: expected a positive number, got {str(alpha).strip()}")
    rate = read_in(alpha, "α", 0.0, 100.0)
    return read_in(w0, "w0", -100.0, 100.0), rate


def descent(
    w0: str = "0.2",
    alpha: str = "0.4",
    steps: str = "10",
    xs: str = ", ".join(f"{x:g}" for x in gradient_descent.XS),
    zs: str = ", ".join(f"{z:g}" for z in gradient_descent.ZS),
) -> dict[str, Any]:
    """Gradient descent on J(w) = Σ (z − w x)² (``gradient_descent.descend``): every w_k and
    J(w_k), the slope there, J's curve around them, and the run's regime in words.

    A diverging run stops before its numbers overflow a float; the page says at which step.
    """
    start, rate = _descent_settings(w0, alpha)
    count = read_whole(steps, "steps", 1, MAX_DESCENT_STEPS)
    inputs, targets = _data(xs, zs)
    shown = count
    while True:  # a diverging run overflows J = Σ (z − w x)² ** 2 at some step: stop before
        try:
            run = gradient_descent.descend(inputs, targets, start, rate, shown)
            break
        except OverflowError:
            shown -= 1
    best = gradient_descent.optimal_weight(inputs, targets)
    weights = [step.w for step in run]
    low, high = min(*weights, best), max(*weights, best)
    margin = 0.15 * (high - low) + 0.5
    ticks = [low - margin + (high - low + 2 * margin) * i / 100 for i in range(101)]
    kind = gradient_descent.regime(rate, inputs)
    return {
        "rows": [
            {
                "k": step.iteration,
                "w": step.w,
                "J": step.cost,
                "gradient": step.gradient,
                "texts": [format_number(step.w), format_number(step.cost)],
            }
            for step in run
        ],
        "curve": [[w, gradient_descent.cost(w, inputs, targets)] for w in ticks],
        "points": [list(point) for point in zip(inputs, targets)],
        "regime": kind,
        "words": _regime_words(kind, run[-1].iteration, run[-1].w, best, shown < count),
    }


def _regime_words(kind: str, last: int, w: float, best: float, overflowed: bool) -> str:
    target = f"w* = {shown_value(best, 4)}"
    reached = f"w{last} = {shown_value(w, 4)}"
    if overflowed:
        reached += ", and the next step is too large for a float"
    how = {
        "crawls": f"Crawls: each step covers under a tenth of the way left to {target}",
        "converges smoothly": f"Converges smoothly: w moves toward {target} without overshooting",
        "zig-zags but converges": f"Zig-zags but converges: w jumps over {target}, less each time",
        "diverges": f"Diverged by step {last}: w jumps over {target}, further each time",
        "bounces forever": f"Bounces forever: w jumps over {target} and back, never closer",
    }[kind]
    return f"{how}; {reached}."


def descent_predict(w0: str, alpha: str, regime: str, w1: str, xs: str, zs: str) -> dict[str, Any]:
    """Check a prediction committed before a run: the regime named and the value of w1."""
    start, rate = _descent_settings(w0, alpha)
    inputs, targets = _data(xs, zs)
    one_of(regime, "descent_predict", "regime", gradient_descent.REGIMES)
    actual = gradient_descent.regime(rate, inputs)
    first = gradient_descent.descend(inputs, targets, start, rate, 1)[1].w
    return {
        "regime": {
            "right": regime == actual,
            "message": f"right: it {actual}" if regime == actual else f"not {regime}: it {actual}",
        },
        "w1": verdict(w1, first),
    }


def descent_threshold(which: str, answer: str, xs: str, zs: str) -> dict[str, Any]:
    """Check a learning rate found by experiment: α* = 1/S ("divergence"), where descent
    starts to diverge, or 1/(2S) ("overshoot"), where it starts to zig-zag (S = Σ x²)."""
    one_of(which, "descent_threshold", "which", ("divergence", "overshoot"))
    critical = gradient_descent.critical_learning_rate(_data(xs, zs)[0])
    return verdict(answer, critical if which == "divergence" else critical / 2, LAB_FIGURES)


MOVES = {
    "further than w2": 1 / 3,
    "about as far as w2": 3.0,
    "about 10 times less": 30.0,
    "about 100 times less": 300.0,
    "1,000 times less or more": math.inf,
}
"""How far w1 moves compared with w2: each choice holds the ratios (w2's distance over
w1's) below its bound and above the previous one's."""


def who_learns(
    prediction: str,
    updates: str = "300",
    student: str | None = None,
    assignment: str | None = None,
    seed: str | None = None,
    task: str | None = None,
) -> dict[str, Any]:
    """Train the worked example ``updates`` times (``backprop.trained_parameters``; the
    variant's network and lr if the URL names one): how far each parameter moved, and
    whether the ``prediction`` (a key of MOVES) was right."""
    one_of(prediction, "who_learns", "prediction", tuple(MOVES))
    count = read_whole(updates, "updates", 1, 1000)
    chosen = _lab_variant(student, assignment, seed, task)
    given = chosen.lesson_numbers() if chosen else backprop.GIVEN
    start = {name: given[name] for name in ("w1", "b1", "w2", "b2")}
    lr = chosen.lr if chosen else backprop.LEARNING_RATE
    trained = backprop.trained_parameters(count, lr, chosen)
    moved = {name: abs(trained[name] - start[name]) for name in start}
    ratio = moved["w2"] / moved["w1"]
    actual = next(choice for choice, bound in MOVES.items() if ratio < bound)
    right = prediction == actual
    return {
        "moved": moved,
        "texts": {name: shown_value(distance, 3) for name, distance in moved.items()},
        "ratio": ratio,
        "summary": f"w1 moved {shown_value(moved['w1'], 3)} and w2 {shown_value(moved['w2'], 3)} "
        f"in {count} updates: w1 moved {ratio:,.0f} times less.",
        "verdict": {
            "right": right,
            "message": f"right: {actual}" if right else f"not {prediction}: {actual}",
        },
    }


def read_whole(text: object, name: str, low: int, high: int) -> int:
    """A whole number typed in a box, in [low, high]."""
    number = read_in(text, name, low, high)
    if number != int(number):
        raise ValueError(f"{name}: expected a whole number, got {str(text).strip()}")
    return int(number)


CHAIN_ACTIVATIONS = {"sigmoid": 0.25, "tanh": 1.0, "relu": 1.0}
"""The chain's activations and the largest their derivative can be."""


def _chain(n: str, activation: str, x: str) -> tuple[Value, list[Value], Value]:
    """x -> a1 = f(a0) -> ... -> an, each unit with weight 1 and bias 0; after backward."""
    one_of(activation, "chain", "activation", tuple(CHAIN_ACTIVATIONS))
    count = read_whole(n, "n", 2, 10)
    start = Value(read_in(x, "x", -10.0, 10.0), label="x")
    units, a = [], start
    for _ in range(count):
        a = getattr(a * 1.0 + 0.0, activation)()
        units.append(a)
    a.backward()
    return start, units, a


def chain(n: str, activation: str, x: str = "0.5") -> dict[str, Any]:
    """A chain of n units: each unit's z, a = f(z) and f'(z), the factor backward multiplies."""
    _, units, _ = _chain(n, activation, x)
    return {
        "rows": [
            [
                str(i),
                format_number(a.inputs[0].data),
                format_number(a.data),
                format_number(a.local_grads[0]),
            ]
            for i, a in enumerate(units, start=1)
        ]
    }


def chain_check(n: str, activation: str, x: str, quantity: str, answer: str) -> dict[str, Any]:
    """Check the chain's "bound" (the largest f' to the n) or its "product" of f'(z) factors,
    the gradient ∂an/∂x that ``backward()`` finds."""
    one_of(quantity, "chain_check", "quantity", ("bound", "product"))
    start, units, _ = _chain(n, activation, x)
    expected = CHAIN_ACTIVATIONS[activation] ** len(units) if quantity == "bound" else start.grad
    result = verdict(answer, expected)
    if quantity == "product" and result["right"]:
        result["message"] += f"; backward() gives ∂a{len(units)}/∂x = {shown_value(start.grad, 4)}"
    return result


EFFECT_BUDGET = 30
EFFECT_LOSS = 0.9
EFFECT_LR = 0.03


def vanishing_effects(activation: str) -> dict[str, Any]:
    """The lecture's three effects in a deep narrow network (``vanishing.training_curve``,
    EFFECT_BUDGET updates at lr EFFECT_LR): how far each layer moved (lr · Σ its gradient
    norms), the updates needed to bring the loss to EFFECT_LOSS, and the loss at the end."""
    one_of(activation, "vanishing_effects", "activation", vanishing.COMPARED)
    curve = vanishing.training_curve(activation, epochs=EFFECT_BUDGET, lr=EFFECT_LR)
    layers = len(curve.grad_norms[0])
    moved = [EFFECT_LR * sum(norms[layer] for norms in curve.grad_norms) for layer in range(layers)]
    reached = next((k for k, value in enumerate(curve.loss) if value <= EFFECT_LOSS), None)
    return {
        "activation": activation,
        "moved": moved,
        "moved_texts": [f"{distance:.2g}" for distance in moved],
        "updates": reached,
        "updates_text": str(reached) if reached is not None else f"more than {EFFECT_BUDGET}",
        "loss_text": format_number(curve.loss[-1]),
    }


SLOPE_PARAMETERS = ("w1", "b1", "w2", "b2", "w")
"""The worked example's parameters, and "w", the weight of J(w) in lesson 1."""


def _nudged(
    parameter: str, h: str, w0: str, chosen: Variant | None
) -> tuple[Callable[[float], float], float, float]:
    """The function of the parameter (E of the worked example, or J of lesson 1's data; the
    variant ``chosen``'s network, or its z = k·x), the parameter's value, and the nudge h."""
    one_of(parameter, "slopes", "parameter", SLOPE_PARAMETERS)
    step = read_number(h, "h")
    if not 1e-9 <= abs(step) <= 1.0:
        raise ValueError(f"h: expected a nudge from 1e-9 to 1 (or minus that), got {h.strip()}")
    if parameter == "w":
        targets = chosen.targets() if chosen else gradient_descent.ZS
        start = read_in(w0, "w0", -100.0, 100.0)
        return lambda w: gradient_descent.cost(w, gradient_descent.XS, targets), start, step
    given = chosen.lesson_numbers() if chosen else backprop.GIVEN

    def error(value: float) -> float:
        return _example({**given, parameter: value}).E.data

    return error, given[parameter], step


def slopes(
    parameter: str,
    h: str = "0.001",
    w0: str = "0.2",
    student: str | None = None,
    assignment: str | None = None,
    seed: str | None = None,
    task: str | None = None,
) -> dict[str, Any]:
    """E (or J) at the parameter p and at p ± h, to 10 significant figures: enough to see
    a change of 1e-6 that 4 figures would hide. For J(w), its curve around w0 too. The
    variant the URL names (if any) gives the network and J's z = k·x."""
    chosen = _lab_variant(student, assignment, seed, task)
    function, value, step = _nudged(parameter, h, w0, chosen)
    rows = [
        (name, at, function(at))
        for name, at in (("p − h", value - step), ("p", value), ("p + h", value + step))
    ]
    answer: dict[str, Any] = {
        "rows": [[name, f"{at:.10g}", f"{result:.10g}"] for name, at, result in rows],
        "values": [[at, result] for _, at, result in rows],
    }
    if parameter == "w":
        ticks = [value - 1.5 + 3 * i / 100 for i in range(101)]
        answer["curve"] = [[w, function(w)] for w in ticks]
    return answer


def slope_check(
    parameter: str,
    h: str,
    answer: str,
    w0: str = "0.2",
    known: Sequence[str] = (),
    student: str | None = None,
    assignment: str | None = None,
    seed: str | None = None,
    task: str | None = None,
) -> dict[str, Any]:
    """Check a slope ΔE/h against backprop's ∂E/∂p (``backward()``), within SLOPE_TOLERANCE,
    on the variant the URL names (if any).

    Once both w1 and w2 are right (``known`` lists those right before), the message says
    how many times faster w2 learns than w1: the ratio of their gradients.
    """
    chosen = _lab_variant(student, assignment, seed, task)
    _nudged(parameter, h, w0, chosen)  # the same checks of the settings
    gradients = _backprop_slopes(read_in(w0, "w0", -100.0, 100.0), chosen)
    expected = gradients[parameter]
    result = check_answer(str(answer), expected, LAB_FIGURES)
    symbol = "dJ/dw" if parameter == "w" else f"∂E/∂{parameter}"
    if result.answer is None:
        return verdict(answer, expected, LAB_FIGURES)
    if abs(result.answer - expected) > SLOPE_TOLERANCE * abs(expected):
        return {
            "status": "wrong",
            "right": False,
            "message": f"not {answer.strip()}: more than 1% away from the slope",
        }
    message = f"right: backward() gives {symbol} = {shown_value(expected, 4)}"
    if {"w1", "w2"} <= {*known, parameter}:
        ratio = gradients["w2"] / gradients["w1"]
        message += f". ∂E/∂w2 is {ratio:.3g} times ∂E/∂w1: w1 learns about {ratio:.0f} times slower"
    return {"status": "right", "right": True, "message": message, "slope": expected}


def _example(given: Mapping[str, float]) -> backprop.WorkedExample:
    """The worked example on these numbers (``backprop.GIVEN``, or a variant's)."""
    names = ("x", "w1", "b1", "w2", "b2", "target")
    return backprop.worked_example(*(given[name] for name in names))


def _backprop_slopes(w0: float, chosen: Variant | None) -> dict[str, float]:
    """∂E/∂p of the worked example and dJ/dw at w0 (the variant ``chosen``'s if given),
    each by ``backward()``."""
    example = _example(chosen.lesson_numbers() if chosen else backprop.GIVEN)
    targets = chosen.targets() if chosen else gradient_descent.ZS
    w = Value(w0, label="w")
    gradient_descent.cost(w, gradient_descent.XS, targets).backward()
    return {**{name: p.grad for name, p in example.parameters().items()}, "w": w.grad}


LINEAR_PAIR = {"w1": 0.5, "b1": 1.0, "w2": -2.0, "b2": 0.25}
"""Two stacked linear neurons, a2 = w2 (w1 x + b1) + b2, for the collapse task."""
STEP_NEURON = {"x": 1.0, "w": 0.5, "b": -0.2, "T": 0.0}
"""A binary-step neuron a = step(w x + b) with E = ½ (T − a)²: its ∂E/∂w is 0."""
DEAD_BIAS = -1.0
"""The hidden biases of the dead-unit network: units whose w·x stays below 1 never fire."""


def derivative_at(name: str, z: str) -> dict[str, Any]:
    """f'(z) for the probe (``activations.curve``, by ``backward()``), to 4 figures."""
    one_of(name, "derivative_at", "name", ("sigmoid", "tanh"))
    point = read_in(z, "z", -50.0, 50.0)
    return {"text": f"{shown_value(activations.curve(name, [point]).derivatives[0], 4)}"}


def cutoff_check(name: str, answer: str) -> dict[str, Any]:
    """Check the |z| beyond which f'(z) < 0.01 (``activations.derivative_cutoff``)."""
    one_of(name, "cutoff_check", "name", ("sigmoid", "tanh"))
    return verdict(answer, activations.derivative_cutoff(name))


def collapse_check(weight: str, bias: str) -> dict[str, Any]:
    """Check the one weight W and bias B with W x + B = LINEAR_PAIR's two neurons, read off
    their graph: W = ∂a2/∂x by ``backward()``, B = a2 at x = 0."""
    x = Value(0.0, label="x")
    first = Neuron(1, "linear", weights=[LINEAR_PAIR["w1"]], bias=LINEAR_PAIR["b1"])
    second = Neuron(1, "linear", weights=[LINEAR_PAIR["w2"]], bias=LINEAR_PAIR["b2"])
    output = second([first([x])])
    output.backward()
    return {"weight": verdict(weight, x.grad), "bias": verdict(bias, output.data)}


def softmax_check(scores: str, answers: Sequence[str]) -> dict[str, Any]:
    """Check each probability typed for the student's own ``scores`` (``nn.softmax``)."""
    numbers = read_list(scores, "scores")
    if not 2 <= len(numbers) <= 5:
        raise ValueError(f"scores: expected 2 to 5 numbers, got {len(numbers)}")
    probabilities = [p.data for p in softmax(numbers)]
    typed = list(answers)[: len(numbers)] + [""] * (len(numbers) - len(answers))
    return {"verdicts": [verdict(text, p) for text, p in zip(typed, probabilities)]}


def step_check(answer: str) -> dict[str, Any]:
    """Check a prediction of ∂E/∂w for STEP_NEURON; once answered, backward()'s value."""
    leaves = {name: Value(number, label=name) for name, number in STEP_NEURON.items()}
    output = ACTIVATIONS["step"].fn(leaves["w"] * leaves["x"] + leaves["b"])
    squared_error(output, leaves["T"]).backward()
    result = verdict(answer, leaves["w"].grad)
    if result["status"] in ("right", "wrong"):
        result["message"] += f"; backward() gives ∂E/∂w = {shown_value(leaves['w'].grad, 3)}"
    return result


def dead_units(activation: str) -> int:
    """Hidden units of MLP(2, [8, 1], seed 0), biases DEAD_BIAS, that get no gradient at all
    from the mean squared error on 50 two-moons points (targets ±1): dead units."""
    one_of(activation, "dead_units", "activation", ("relu", "leaky_relu"))
    X, labels = make_moons(50, seed=0)
    model = MLP(2, [8, 1], activation=activation, seed=0)
    hidden = model.layers[0].neurons
    for neuron in hidden:
        neuron.b.data = DEAD_BIAS
    mse(
        [cast(Value, model(point)) for point in X], [2.0 * label - 1 for label in labels]
    ).backward()
    return sum(all(p.grad == 0.0 for p in neuron.parameters()) for neuron in hidden)


def dead_table() -> dict[str, Any]:
    """Each hidden unit's largest pre-activation w·x + b over the points of ``dead_units``:
    with ReLU a unit whose largest is at most 0 outputs 0 everywhere, and passes no gradient."""
    X, _ = make_moons(50, seed=0)
    hidden = MLP(2, [8, 1], activation="relu", seed=0).layers[0].neurons
    largest = [
        max(sum(w.data * x for w, x in zip(neuron.w, point)) + DEAD_BIAS for point in X)
        for neuron in hidden
    ]
    return {"largest": [format_number(z) for z in largest]}


def dead_check(activation: str, answer: str) -> dict[str, Any]:
    """Check how many of the 8 hidden units are dead with ``activation``."""
    return verdict(answer, float(dead_units(activation)))


_sparse: Training | None = None


def sparsity(steps: int = 0) -> dict[str, Any]:
    """The ReLU moons network (Train's default, 2-16-16-1, seed 0): with ``steps`` = 0 a
    fresh one, else that many more steps of ``train_steps``' kind. Returns the fraction of
    hidden ReLU outputs over the data that are above 0: the active units."""
    global _sparse, _training
    steps = integer(steps, "sparsity", "steps", minimum=0, maximum=100)
    if steps == 0 or _sparse is None:
        train_start("moons", "relu", "score", "16, 16", "0.1")
        _sparse = _training
    assert _sparse is not None
    _training, kept = _sparse, _training
    try:
        if steps:
            train_steps(steps)
    finally:
        _training = kept
    outputs = [value for point in _sparse.points for value in _hidden_outputs(point)]
    active = sum(value > 0.0 for value in outputs) / len(outputs)
    return {"steps": _sparse.steps, "active": active, "active_text": f"{100 * active:.0f}%"}


def _hidden_outputs(point: Sequence[float]) -> list[float]:
    assert _sparse is not None
    inputs: Sequence[Value | float] = list(point)
    outputs = []
    for layer in _sparse.model.layers[:-1]:
        inputs = cast(list[Value], layer(inputs))
        outputs += [value.data for value in inputs]
    return outputs


def sparsity_check(answer: str) -> dict[str, Any]:
    """Check the fraction of active hidden units of the fresh network, to 1 figure."""
    return verdict(answer, sparsity(0)["active"], 1)


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
    "descent": descent,
    "descent_predict": descent_predict,
    "descent_threshold": descent_threshold,
    "who_learns": who_learns,
    "chain": chain,
    "chain_check": chain_check,
    "vanishing_effects": vanishing_effects,
    "slopes": slopes,
    "slope_check": slope_check,
    "derivative_at": derivative_at,
    "cutoff_check": cutoff_check,
    "collapse_check": collapse_check,
    "softmax_check": softmax_check,
    "step_check": step_check,
    "dead_check": dead_check,
    "dead_table": dead_table,
    "sparsity": sparsity,
    "sparsity_check": sparsity_check,
}


def dispatch(name: str, arguments: str) -> str:
    """Run request ``name`` with the JSON object ``arguments``; its result as JSON.

    A user's mistake comes back as ``{"error": message}``.
    """
    if name not in REQUESTS:
        return json.dumps({"error": f"no request named {shown(name)}"})
    request = REQUESTS[name]
    try:
        return json.dumps(request(**json.loads(arguments)))
    except USER_ERRORS as error:
        return json.dumps({"error": str(error)})
