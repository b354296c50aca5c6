"""The `chainrule` command: the backpropagation lesson in a terminal, and any formula as a graph.

    chainrule backprop [--output-dir build/backprop] [--lr 0.4] [--format png|svg]
                       [--x 0.1 --w1 0.15 --b1 0.4 --w2 0.45 --b2 0.65 --target 0.25]
                       [--activation sigmoid] [--network FILE.json] [--steps N]
                       [--json] [--quiz [--local-derivatives] [--tolerance FIGURES]]
    chainrule graph "tanh(w * x + b)" w=0.5 x=1.5 b=0.1 [-o graph.svg] [--backward]

Bad input (an expression that is not allowed, a malformed NAME=NUMBER, a value
outside an op's domain) prints one line on stderr and exits with status 2.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import math
import os
import sys
import time
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, NoReturn

from autograd import checks, topological_order
from autograd.descent import gradient_step
from autograd.expression import ExpressionError, parse_expression
from autograd.show.draw import IMAGE_FORMATS, GraphvizNotInstalled, draw_graph
from autograd.show.explain import explain
from autograd.show.format import format_number, text_table
from autograd.show.svgplot import line_plot_svg
from autograd.show.trace import backward_steps, steps_table
from chainrule.classroom import (
    class_report,
    grade_files,
    marks_csv,
    read_roster,
    write_keys,
)
from chainrule.lessons import backprop
from chainrule.network import (
    ACTIVATION_NAMES,
    BuiltNetwork,
    NetworkSpec,
    build_network,
    lesson_network,
    load_network,
    run_record,
    train,
)
from chainrule.questions import (
    MAX_SIGNIFICANT_FIGURES,
    SIGNIFICANT_FIGURES,
    lecture_form,
    rules,
)
from chainrule.quiz import run_quiz
from chainrule.stepthrough import write_gif, write_html
from chainrule.variants import SEED_LIMIT, TASKS, Variant, variant
from chainrule.worksheet import SITE_URL, write_worksheets
from nn.io import write_text_atomically

USAGE_ERROR = 2
DEFAULT_OUTPUT_DIR = Path("build/backprop")
RENDER_ERROR = 1
MAX_STEPS = 10_000  # --steps: a lesson's training run; a million updates is a typo
INCOMPLETE = "INCOMPLETE.txt"  # in --output-dir while a run writes its files


class UsageError(ValueError):
    """A command-line argument that cannot be used; reported as one line, exit status 2."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `chainrule` command with ``argv`` (default: ``sys.argv[1:]``); return its status."""
    for stream in (sys.stdout, sys.stderr):
        # ∂, σ and ² are in the output; a terminal that cannot show them gets escapes, not a crash.
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_request:  # --help (0) and argparse's usage errors (2)
        return exit_request.code if isinstance(exit_request.code, int) else USAGE_ERROR
    try:
        status: int = args.run(args)
        sys.stdout.flush()  # so that a closed pipe is met here, not at interpreter exit
        return status
    except (ValueError, ArithmeticError) as error:  # ExpressionError and domain errors included
        print(f"chainrule {args.command}: error: {error}", file=sys.stderr)
        return USAGE_ERROR
    except BrokenPipeError:
        # The reader stopped early (`chainrule backprop | head`): not an error. Point
        # stdout at devnull so Python's final flush does not complain either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (GraphvizNotInstalled, OSError) as error:
        print(f"chainrule {args.command}: error: {error}", file=sys.stderr)
        return RENDER_ERROR


class Parser(argparse.ArgumentParser):
    """argparse, with a usage error as one line (the usage itself is in --help)."""

    def error(self, message: str) -> NoReturn:
        self.exit(USAGE_ERROR, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


IMAGE_SUFFIXES = tuple(f".{name}" for name in IMAGE_FORMATS)
LESSON_NUMBERS = (
    ("x", backprop.X, "the input x"),
    ("w1", backprop.W1, "the first weight"),
    ("b1", backprop.B1, "the first bias"),
    ("w2", backprop.W2, "the second weight"),
    ("b2", backprop.B2, "the second bias"),
    ("target", backprop.TARGET, "the target T"),
)
"""The worked example's numbers as options: (name, default, what it is)."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser: one subcommand per job, each with its own --help."""
    parser = Parser(
        prog="chainrule",
        description="See the chain rule at work: backpropagation step by step.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_backprop(commands)
    _add_variants(commands)
    _add_grade(commands)
    _add_worksheet(commands)

    graph = commands.add_parser(
        "graph",
        help="draw the graph of a formula",
        description=(
            "Build the graph of a formula (numbers, variables, + - * / **, exp, log, tanh, "
            "sigmoid, relu, leaky_relu), draw it with the local derivative on every edge and "
            "write the picture. The formula is parsed, never evaluated as Python."
        ),
    )
    graph.add_argument(
        "expression",
        help='the formula, e.g. "tanh(w * x + b)"; put one that starts with "-" after "--", '
        "the options before it",
    )
    graph.add_argument(
        "variables", nargs="*", metavar="NAME=NUMBER", help="the value of each variable"
    )
    graph.add_argument(
        "-o",
        "--output",
        type=_image_path,
        default=Path("graph.svg"),
        help="the picture to write: .svg, .png or .pdf (default: graph.svg)",
    )
    graph.add_argument(
        "--backward", action="store_true", help="run backward() and show the gradients"
    )
    graph.add_argument(
        "--rankdir",
        choices=("LR", "TB"),
        help="left to right or top to bottom (default: the one that fits a 16:9 screen)",
    )
    graph.set_defaults(run=run_graph)
    return parser


def _add_backprop(commands: Any) -> None:
    lesson = commands.add_parser(
        "backprop",
        help="the worked backpropagation example (or your own network), with pictures or a quiz",
        description=(
            "Run the worked example x -> sigmoid neuron -> sigmoid neuron -> E = ½(T − a2)², "
            "or your own numbers, or any small fully connected network (--network): print the "
            "forward pass, every backward step, each gradient as its chain-rule product and "
            "one gradient-descent update, and write the graph before and after backward, a GIF "
            "and an offline HTML page that step through the backward pass. --quiz asks you "
            "each value instead; --json prints every number as one JSON object."
        ),
    )
    lesson.add_argument(
        "--output-dir",
        type=Path,
        help=f"folder for the pictures (default: {DEFAULT_OUTPUT_DIR}); with --json, "
        "the pictures are written only when it is given",
    )
    lesson.add_argument(
        "--format", choices=("png", "svg"), default="png", help="graph image format (default: png)"
    )
    numbers = lesson.add_argument_group("the worked example's numbers")
    for name, default, what in LESSON_NUMBERS:
        numbers.add_argument(
            f"--{name}", type=_finite_number, help=f"{what} (default: {default:g})"
        )
    numbers.add_argument(
        "--activation",
        choices=ACTIVATION_NAMES,
        help="the activation of both neurons (default: sigmoid)",
    )
    lesson.add_argument(
        "--network",
        type=Path,
        metavar="FILE.json",
        help='any small fully connected network instead: {"inputs": [...], "layers": '
        '[{"weights": [[...], ...], "biases": [...], "activation": "sigmoid"}, ...], '
        '"targets": [...], "lr": 0.5}; weights[j] lists the weights into neuron j, one per '
        "input; E = ½ Σ (T − a)²",
    )
    lesson.add_argument(
        "--lr",
        type=_positive_number,
        help=f'learning rate (default: the network file\'s "lr", else {backprop.LEARNING_RATE})',
    )
    lesson.add_argument(
        "--steps",
        type=_whole_number(MAX_STEPS),
        metavar="N",
        help=f"repeat the update N times (N <= {MAX_STEPS}), print E after each and write E.svg, "
        "a plot of E",
    )
    lesson.add_argument(
        "--json",
        action="store_true",
        help='print one JSON object instead: {"forward": {name: value}, "E": ..., '
        '"gradients": {"layers": [{"weights": ..., "biases": ...}]}, "updated": <a network '
        'file>, "answers": {every question the quiz can ask, local derivatives too: its '
        'value}} and, with --steps, "E_history" (E after 0, 1, ..., N updates); with '
        '--output-dir also the pictures, listed in "files"',
    )
    lesson.add_argument(
        "--code",
        action="store_true",
        help="print the forward and backward pass as readable Python instead, one line per "
        "node and per chain-rule step (the backward lines in the step-through's order)",
    )
    _add_variant_options(lesson)
    quiz = lesson.add_argument_group("quiz")
    quiz.add_argument(
        "--quiz",
        action="store_true",
        help="work the example by hand: each forward value, each gradient, each updated "
        "parameter is asked on one line ending in '= ?'; Enter reveals it, q quits",
    )
    quiz.add_argument(
        "--local-derivatives",
        action="store_true",
        help="with --quiz, also ask each local derivative before the gradient it feeds",
    )
    quiz.add_argument(
        "--tolerance",
        type=_whole_number(MAX_SIGNIFICANT_FIGURES),
        metavar="FIGURES",
        help=f"with --quiz, the significant figures an answer must match, 1 to "
        f"{MAX_SIGNIFICANT_FIGURES} (default: {SIGNIFICANT_FIGURES})",
    )
    lesson.set_defaults(run=run_backprop)


def _add_variant_options(lesson: argparse.ArgumentParser) -> None:
    group = lesson.add_argument_group(
        "a student's variant (its own numbers, the same on the site and in the notebooks)"
    )
    group.add_argument("--student", metavar="NAME", help="the student's name (with --assignment)")
    group.add_argument("--assignment", metavar="NAME", help="the assignment's name")
    group.add_argument(
        "--seed",
        type=_argument_type(int, lambda n: 0 <= n < SEED_LIMIT, "a whole number in [0, 2^53)"),
        metavar="N",
        help="the variant of this seed instead of a student's",
    )
    _add_task(group)


def _add_task(parser: Any) -> None:
    parser.add_argument(
        "--task",
        choices=TASKS,
        default="descent",
        help="the J(w) exercise: descent that converges (default), or divergence (alpha drawn "
        "above the threshold 1/Σx²)",
    )


def _variant(args: argparse.Namespace) -> Variant | None:
    """The variant the options ask for, or None; a combination that cannot be meant raises
    UsageError."""
    if args.student is None and args.seed is None:
        if args.assignment is not None:
            raise UsageError("--assignment needs --student")
        if args.task != "descent":
            raise UsageError("--task needs --student and --assignment, or --seed")
        return None
    if args.seed is not None and args.student is not None:
        raise UsageError("give --student and --assignment, or --seed, not both")
    if args.student is not None and args.assignment is None:
        raise UsageError("--student needs --assignment")
    own = [f"--{name}" for name, _, _ in LESSON_NUMBERS if getattr(args, name) is not None]
    own += [f"--{name}" for name in ("network", "lr", "activation") if getattr(args, name)]
    if own:
        raise UsageError(f"{own[0]} cannot be used with a variant: the variant gives its numbers")
    return variant(args.student, args.assignment, args.seed, args.task)


def run_backprop(args: argparse.Namespace) -> int:
    """`chainrule backprop`: the lesson with its pictures, the quiz, or the JSON record."""
    chosen = _variant(args)
    spec = _network_spec(args) if chosen is None else chosen.network.spec
    lr = args.lr or spec.lr or (chosen.lr if chosen else backprop.LEARNING_RATE)
    if chosen and args.json and not (args.steps or args.quiz or args.output_dir):
        print(chosen.json())
        return 0
    with _naming_the_numbers(args):
        network = build_network(spec)
    if args.quiz:
        return _quiz(network, lr, args)
    if args.code:
        print(network.compiled().text(), end="")
        return 0
    with _naming_the_numbers(args), Progress("training") as progress:
        history, trained = train(spec, args.steps, lr, progress) if args.steps else ([], None)
    updated = replace(trained.spec if trained else network.updated(lr), lr=lr)
    output_dir = args.output_dir or DEFAULT_OUTPUT_DIR
    if args.json:
        record = run_record(network, lr, updated, history)
        if chosen:
            record = {**chosen.record(), **record, "answers": chosen.answers()}
        if args.output_dir:  # asked for: the pictures too, named in the record
            with _one_set_of_files(output_dir):
                written = _write_pictures(network, output_dir, args.format, lr)
                if history:
                    written.append(_write_plot(history, lr, output_dir))
            record["files"] = {str(path): what for path, what in written}
        print(json.dumps(record, ensure_ascii=False, indent=2))
        return 0
    title = f"the network in {args.network}" if args.network else "worked example"
    if chosen:
        title = f"{_whose(chosen)}'s variant"
    _print_lesson(network, lr, title)
    with _one_set_of_files(output_dir):
        written = _write_pictures(network, output_dir, args.format, lr)
        if history:
            written.append(_print_training(history, lr, output_dir))
    print(_heading("Files"))
    width = max(len(str(path)) for path, _ in written)
    for path, what in written:
        print(f"{str(path).ljust(width)}  {what}")
    return 0


@contextlib.contextmanager
def _naming_the_numbers(args: argparse.Namespace) -> Iterator[None]:
    """A number that overflows (``--w1 1e308 --x 10``) is reported with the options or the
    file that gave the numbers."""
    try:
        yield
    except (ArithmeticError, ValueError) as error:
        if args.network is not None:
            raise UsageError(f"{args.network}: {error}") from None
        given = [
            f"--{name} {getattr(args, name):g}"
            for name, _, _ in LESSON_NUMBERS
            if getattr(args, name) is not None
        ]
        if args.lr is not None:
            given.append(f"--lr {args.lr:g}")
        raise UsageError(f"{error}, with {', '.join(given) or 'the default numbers'}") from None


@contextlib.contextmanager
def _one_set_of_files(folder: Path) -> Iterator[None]:
    """While a run writes its files into ``folder``, ``folder/INCOMPLETE.txt`` says so: a run
    stopped midway (killed, Ctrl-C) leaves it, marking the folder as possibly holding two
    runs' files; the next complete run removes it."""
    folder.mkdir(parents=True, exist_ok=True)
    write_text_atomically(
        folder / INCOMPLETE,
        "A run of `chainrule backprop` was stopped while it wrote the files in this folder:\n"
        "they may come from two different runs. Run it again to write one complete set.\n",
    )
    yield
    (folder / INCOMPLETE).unlink()


def _network_spec(args: argparse.Namespace) -> NetworkSpec:
    """The network to run: the file of --network, or the worked example with the options'
    numbers; a combination that cannot be meant raises UsageError."""
    given = [f"--{name}" for name, _, _ in LESSON_NUMBERS if getattr(args, name) is not None]
    if args.activation is not None:
        given.append("--activation")
    if args.quiz and (args.steps or args.json):
        raise UsageError("--quiz asks about one update: leave out --steps and --json")
    if args.code and (args.quiz or args.steps or args.json):
        raise UsageError("--code prints the code of one pass: leave out --quiz, --steps and --json")
    if not args.quiz and (args.local_derivatives or args.tolerance):
        raise UsageError("--local-derivatives and --tolerance are for --quiz")
    if args.network is not None:
        if given:
            raise UsageError(f"{given[0]} cannot be used with --network: the file gives them")
        return load_network(args.network)
    numbers = {
        name: default if getattr(args, name) is None else getattr(args, name)
        for name, default, _ in LESSON_NUMBERS
    }
    return lesson_network(**numbers, activation=args.activation or "sigmoid")


def _print_lesson(network: BuiltNetwork, lr: float, title: str) -> None:
    """The forward pass, the backward steps, each gradient's chain rule, one update."""
    formulas = network.formulas()
    forward = network.forward()
    print(_heading(f"Backpropagation, {title}"))
    if len(network.inputs) == 1 and all(len(zs) == 1 for zs in network.zs):
        print(" -> ".join([network.inputs[0].label, *(f"{n} = {formulas[n]}" for n in forward)]))
    print(f"given: {_given(network)}\n")

    print(_heading("Forward pass"))
    rows = [[name, formulas[name], format_number(value)] for name, value in forward.items()]
    print(text_table(["value", "formula", "result"], rows, numeric_columns={2}), end="\n\n")

    print(_heading("Backward pass, one step per node (root first)"))
    print("Each input's gradient grows by (∂E/∂node) × (∂node/∂input).")
    print(steps_table(backward_steps(network.E)), end="\n\n")

    reached = network.parameters_as_reached()
    print(_heading("Gradients by the chain rule"))
    for parameter in reached:
        print(explain(network.E, parameter, formulas=formulas).text, end="\n\n")
    notes = [f"{f} = {lecture_form(f)}" for f in formulas.values() if lecture_form(f)]
    print("\n".join(notes), end="\n\n" if notes else "")

    print(_heading(f"Gradient descent, lr = {lr:g}: p ← p − lr · ∂E/∂p"))
    rows = [
        [p.label, *map(format_number, (p.data, p.grad, gradient_step(p.data, p.grad, lr)))]
        for p in reached
    ]
    print(
        text_table(["parameter", "old", "∂E/∂p", "new"], rows, numeric_columns={1, 2, 3}),
        end="\n\n",
    )


def _whose(chosen: Variant) -> str:
    if chosen.student is None:
        return f"seed {chosen.seed}"
    return f"{chosen.student} ({chosen.assignment}, seed {chosen.seed})"


def _given(network: BuiltNetwork) -> str:
    leaves = [*network.inputs, *network.targets, *network.parameters()]
    return ", ".join(f"{leaf.label} = {leaf.data:g}" for leaf in leaves)


def _write_pictures(
    network: BuiltNetwork, folder: Path, image_format: str, lr: float
) -> list[tuple[Path, str]]:
    """The graph before and after backward, the GIF and the page (both with the update
    by ``lr``); (path, what it shows)."""
    clusters = network.clusters()
    params = network.parameters()
    root = network.E
    with Progress("drawing the animation") as gif_progress:
        gif = write_gif(
            root,
            folder / "backprop.gif",
            lr=lr,
            clusters=clusters,
            parameters=params,
            progress=gif_progress,
        )
    with Progress("drawing the page") as page_progress:
        page = write_html(
            root,
            folder / "backprop.html",
            lr=lr,
            formulas=network.formulas(),
            clusters=clusters,
            parameters=params,
            progress=page_progress,
        )
    forward = draw_graph(
        root,
        show_grads=False,
        show_local_grads=False,
        clusters=clusters,
        parameters=params,
        title="Forward pass: every value computed, no gradients yet",
    )
    backward = draw_graph(
        root,
        clusters=clusters,
        parameters=params,
        title="After backward: each grad is ∂E/∂value; edges carry local derivatives",
    )
    return [
        (
            forward.write_image(folder / f"forward.{image_format}"),
            "the graph after the forward pass",
        ),
        (
            backward.write_image(folder / f"backward.{image_format}"),
            "the graph after backward: gradients and local derivatives",
        ),
        (gif, "the backward pass and the update as an animation, one frame per step"),
        (page, "the same steps as one offline page, with a quiz (open it in a browser)"),
    ]


def _print_training(history: list[float], lr: float, folder: Path) -> tuple[Path, str]:
    """E after each update, as a table and as the plot E.svg; returns the plot's entry."""
    steps = len(history) - 1
    print(_heading(f"Training: {steps} updates with lr = {lr:g}"))
    rows = [[str(k), format_number(e)] for k, e in enumerate(history)]
    print(text_table(["updates", "E"], rows, numeric_columns={0, 1}), end="\n\n")
    return _write_plot(history, lr, folder)


def _write_plot(history: list[float], lr: float, folder: Path) -> tuple[Path, str]:
    """The plot E.svg of E after each update; (its path, what it shows)."""
    steps = len(history) - 1
    svg = line_plot_svg(history, title=f"E over {steps} updates, lr = {lr:g}", x_label="updates")
    folder.mkdir(parents=True, exist_ok=True)
    return write_text_atomically(folder / "E.svg", svg), "E after each update, as a plot"


def _quiz(network: BuiltNetwork, lr: float, args: argparse.Namespace) -> int:
    """`chainrule backprop --quiz`: ask every value of one forward, backward and update."""
    checker = network.checker(
        lr,
        local_derivatives=args.local_derivatives,
        significant_figures=args.tolerance or SIGNIFICANT_FIGURES,
    )
    print(_heading("Quiz: work each value by hand"))
    print(f"given: {_given(network)}, lr = {lr:g}")
    print(rules(checker.significant_figures))
    run_quiz(checker, sys.stdin, sys.stdout, interactive=sys.stdin.isatty())
    return 0


def _add_variants(commands: Any) -> None:
    keys = commands.add_parser(
        "variants",
        help="one marking key (JSON) per student of a roster: that student's numbers and answers",
        description=(
            "Read a roster (CSV, one student a line, the name first) and write one JSON key per "
            'student: {"student", "assignment", "seed", "task", "given", "answers", '
            '"wrong_answers"}. The student\'s '
            "variant is the one `chainrule backprop --student NAME --assignment NAME` and the "
            "site open. A bad roster writes nothing."
        ),
    )
    keys.add_argument("--roster", type=Path, required=True, metavar="ROSTER.csv")
    keys.add_argument("--assignment", required=True, metavar="NAME")
    keys.add_argument("--output-dir", type=Path, default=Path("keys"), help="(default: keys)")
    _add_task(keys)
    keys.set_defaults(run=run_variants)


def run_variants(args: argparse.Namespace) -> int:
    """`chainrule variants`: a key per student of the roster."""
    students = read_roster(args.roster)
    paths = write_keys(students, args.assignment, args.output_dir, args.task)
    print(f"{len(paths)} keys for {args.assignment!r} in {args.output_dir}")
    return 0


def _add_grade(commands: Any) -> None:
    grade = commands.add_parser(
        "grade",
        help="regrade students' hand-ins from their seeds: marks, per-question counts, mistakes",
        description=(
            "Regrade each hand-in (the site's file or its short code) from its seed, ignoring "
            "any verdict it claims; print each mark, how many got each question right, and the "
            "wrong numbers typed most often. A corrupt or forged hand-in, or one for another "
            "assignment, gets one line on stderr (exit status 2) and the rest are graded."
        ),
    )
    grade.add_argument("hand_ins", nargs="+", type=Path, metavar="HANDIN")
    grade.add_argument(
        "--assignment", metavar="NAME", help="the assignment (default: the first hand-in's)"
    )
    grade.add_argument("--csv", type=Path, metavar="FILE.csv", help="also write the marks as CSV")
    grade.set_defaults(run=run_grade)


def run_grade(args: argparse.Namespace) -> int:
    """`chainrule grade`: regrade, print the class's marks and mistakes, export CSV."""
    graded, refused = grade_files(args.hand_ins, args.assignment)
    for line in refused:
        print(f"chainrule grade: {line}", file=sys.stderr)
    if graded:
        print(class_report(graded))
    if args.csv and graded:
        print(write_text_atomically(args.csv, marks_csv(graded)))
    return USAGE_ERROR if refused else 0


def _add_worksheet(commands: Any) -> None:
    sheets = commands.add_parser(
        "worksheet",
        help="a printable A4 page per student of a roster, with a QR code of their variant",
        description=(
            "Write a PDF with one A4 page per student: their network with an empty box for "
            "every value asked, the J(w) table with blanks, their code and a QR code that "
            "opens the same variant on the site; and a marking key, OUTPUT-key.pdf, with every "
            "value of every variant. Needs the chainrule[class] extra (fpdf2, segno)."
        ),
    )
    sheets.add_argument("--roster", type=Path, required=True, metavar="ROSTER.csv")
    sheets.add_argument("--assignment", required=True, metavar="NAME")
    sheets.add_argument("--output", type=Path, default=Path("sheets.pdf"), metavar="FILE.pdf")
    _add_task(sheets)
    sheets.add_argument(
        "--site",
        default=SITE_URL,
        metavar="URL",
        help=f"the site's address, for the QR codes (default: {SITE_URL})",
    )
    sheets.set_defaults(run=run_worksheet)


def run_worksheet(args: argparse.Namespace) -> int:
    """`chainrule worksheet`: the students' sheets and the marking key."""
    students = read_roster(args.roster)
    for path in write_worksheets(students, args.assignment, args.output, args.site, args.task):
        print(path)
    return 0


def run_graph(args: argparse.Namespace) -> int:
    """`chainrule graph`: parse the formula safely, draw its graph, write the picture."""
    variables = _variables(args.variables)
    try:
        root = parse_expression(args.expression, variables)
    except ExpressionError as error:  # its message names the function; say the formula
        raise UsageError(f"the formula {args.expression!r}: {error.reason}") from None
    leaves = {node.label: node for node in topological_order(root) if not node.op}
    for name, number in variables.items():
        if unicodedata.normalize("NFKC", name) not in leaves:  # as parse_expression labels it
            raise UsageError(f"{name}={number:g}: the formula {args.expression!r} has no {name}")
    if not root.label:
        root.label = "f"
    if args.backward:
        root.backward()
    dot = draw_graph(
        root,
        args.rankdir,
        show_grads=args.backward,
        title=args.expression,
        parameters=[],  # a formula's variables are all inputs
    )
    path = dot.write_image(args.output)
    print(f"{root.label} = {format_number(root.data)}")
    if args.backward:
        for name in variables:
            label = unicodedata.normalize("NFKC", name)
            print(f"∂{root.label}/∂{label} = {format_number(leaves[label].grad)}")
    print(path)
    return 0


def _variables(assignments: Sequence[str]) -> dict[str, float]:
    """NAME=NUMBER arguments as a dict; a malformed or repeated one raises UsageError."""
    variables: dict[str, float] = {}
    for assignment in assignments:
        name, equals, number = assignment.partition("=")
        name = name.strip()
        try:
            value = float(number)
        except ValueError:
            value = math.nan
        if not equals or not name.isidentifier() or not math.isfinite(value):
            raise UsageError(f"expected NAME=NUMBER (e.g. x=1.5), got {checks.shown(assignment)}")
        if name in variables:
            raise UsageError(f"variable {checks.shown(name)} is given twice")
        variables[name] = value
    return variables


def _argument_type(
    convert: Callable[[str], Any], accepts: Callable[[Any], bool], what: str
) -> Callable[[str], Any]:
    """An argparse type: ``convert(text)`` when it works and ``accepts`` the result."""

    def checked(text: str) -> Any:
        try:
            value = convert(text)
        except ValueError:
            value = math.nan
        if not accepts(value):
            raise argparse.ArgumentTypeError(f"expected {what}, got {checks.shown(text)}")
        return value

    return checked


_finite_number = _argument_type(float, math.isfinite, "a finite number")
_image_path = _argument_type(
    Path,
    lambda path: isinstance(path, Path) and path.suffix.lower() in IMAGE_SUFFIXES,
    f"a picture's file name ending in {', '.join(IMAGE_SUFFIXES)}",
)
_positive_number = _argument_type(
    float, lambda value: math.isfinite(value) and value > 0.0, "a positive number"
)


def _whole_number(maximum: int) -> Callable[[str], Any]:
    """An argparse type: a whole number from 1 to ``maximum`` (its digits counted first)."""
    checked = _argument_type(
        lambda text: int(text) if len(text.strip()) <= 20 else math.inf,
        lambda value: 1 <= value <= maximum,
        f"a whole number from 1 to {maximum}",
    )
    return checked


class Progress:
    """A progress line on stderr, ``what: k of n``, for work that has taken over a second.

    Called as ``progress(k, n)``; used as a context manager, it ends its line when done.
    """

    def __init__(self, what: str) -> None:
        self.what = what
        self.last = self.started = time.monotonic()
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.started >= 1.0 and (now - self.last >= 0.5 or done == total):
            print(f"\r{self.what}: {done} of {total}", end="", file=sys.stderr, flush=True)
            self.last, self.shown = now, True

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exception: object) -> None:
        if self.shown:
            print(file=sys.stderr, flush=True)


def _heading(text: str) -> str:
    return f"{text}\n{'=' * len(text)}"


if __name__ == "__main__":
    sys.exit(main())
