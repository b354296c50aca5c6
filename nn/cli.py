"""The `chainrule` command: the backpropagation lesson in a terminal, and any formula as a graph.

    chainrule backprop [--output-dir build/backprop] [--lr 0.4] [--format png|svg]
    chainrule graph "tanh(w * x + b)" w=0.5 x=1.5 b=0.1 [-o graph.svg] [--backward]

Bad input (an expression that is not allowed, a malformed NAME=NUMBER, a value
outside an op's domain) prints one line on stderr and exits with status 2.
"""

from __future__ import annotations

import argparse
import io
import math
import os
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from autograd import GraphvizNotInstalled, draw_graph, topological_order
from autograd.expression import parse_expression
from autograd.format import format_number, text_table
from autograd.stepthrough import write_gif, write_html
from autograd.trace import backward_steps, steps_table
from nn.lessons import backprop

USAGE_ERROR = 2
RENDER_ERROR = 1


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
        status = args.run(args)
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


def build_parser() -> argparse.ArgumentParser:
    """The argument parser: one subcommand per job, each with its own --help."""
    parser = argparse.ArgumentParser(
        prog="chainrule",
        description="See the chain rule at work: backpropagation step by step.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    lesson = commands.add_parser(
        "backprop",
        help="the worked backpropagation example, with pictures",
        description=(
            "Run the worked example x -> sigmoid neuron -> sigmoid neuron -> E = ½(T − a2)²: "
            "print the forward pass, every backward step, each gradient as its chain-rule "
            "product and one gradient-descent update, and write the graph before and after "
            "backward, a GIF and an offline HTML page that step through the backward pass."
        ),
    )
    lesson.add_argument(
        "--output-dir",
        type=Path,
        default=Path("build/backprop"),
        help="folder for the pictures (default: build/backprop)",
    )
    lesson.add_argument(
        "--lr",
        type=_positive_number,
        default=backprop.LEARNING_RATE,
        help=f"learning rate of the update (default: {backprop.LEARNING_RATE})",
    )
    lesson.add_argument(
        "--format", choices=("png", "svg"), default="png", help="graph image format (default: png)"
    )
    lesson.set_defaults(run=run_backprop)

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
        type=Path,
        default=Path("graph.svg"),
        help="the picture to write: .svg, .png or .pdf (default: graph.svg)",
    )
    graph.add_argument(
        "--backward", action="store_true", help="run backward() and show the gradients"
    )
    graph.add_argument(
        "--rankdir", choices=("LR", "TB"), default="LR", help="left to right or top to bottom"
    )
    graph.set_defaults(run=run_graph)
    return parser


def run_backprop(args: argparse.Namespace) -> int:
    """`chainrule backprop`: print the lesson and write its pictures."""
    example = backprop.worked_example()
    folder: Path = args.output_dir
    given = ", ".join(
        f"{value.label} = {value.data:g}"
        for value in (example.x, example.target, example.w1, example.b1, example.w2, example.b2)
    )
    print(_heading("Backpropagation, worked example"))
    print("x -> z1 = w1·x + b1 -> a1 = σ(z1) -> z2 = w2·a1 + b2 -> a2 = σ(z2) -> E = ½(T − a2)²")
    print(f"given: {given}\n")

    print(_heading("Forward pass"))
    rows = [
        [name, formula, format_number(value)] for name, formula, value in example.forward_table()
    ]
    print(text_table(["value", "formula", "result"], rows, numeric_columns={2}), end="\n\n")

    print(_heading("Backward pass, one step per node (root first)"))
    print("Each input's gradient grows by (∂E/∂node) × (∂node/∂input).")
    print(steps_table(backward_steps(example.E)), end="\n\n")

    print(_heading("Gradients by the chain rule"))
    for explanation in example.explanations().values():
        print(explanation.text, end="\n\n")

    print(_heading(f"Gradient descent, lr = {args.lr:g}: p ← p − lr · ∂E/∂p"))
    updated = backprop.sgd_update(example, args.lr)
    rows = [
        [name, format_number(parameter.data), format_number(parameter.grad), format_number(new)]
        for (name, parameter), new in zip(example.parameters().items(), updated.values())
    ]
    print(
        text_table(["parameter", "old", "∂E/∂p", "new"], rows, numeric_columns={1, 2, 3}),
        end="\n\n",
    )

    clusters = example.clusters()
    root = example.E
    written = [
        (
            draw_graph(
                root,
                show_grads=False,
                show_local_grads=False,
                clusters=clusters,
                title="Forward pass: every value computed, no gradients yet",
            ).write_image(folder / f"forward.{args.format}"),
            "the graph after the forward pass",
        ),
        (
            draw_graph(
                root,
                clusters=clusters,
                title="After backward: each grad is ∂E/∂value; edges carry local derivatives",
            ).write_image(folder / f"backward.{args.format}"),
            "the graph after backward: gradients and local derivatives",
        ),
        (
            write_gif(root, folder / "backprop.gif", clusters=clusters),
            "the backward pass as an animation, one frame per step",
        ),
        (
            write_html(root, folder / "backprop.html", clusters=clusters),
            "the same steps as one offline page (open it in a browser)",
        ),
    ]
    print(_heading("Files"))
    width = max(len(str(path)) for path, _ in written)
    for path, what in written:
        print(f"{str(path).ljust(width)}  {what}")
    return 0


def run_graph(args: argparse.Namespace) -> int:
    """`chainrule graph`: parse the formula safely, draw its graph, write the picture."""
    variables = _variables(args.variables)
    root = parse_expression(args.expression, variables)
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
        leaves = {node.label: node for node in topological_order(root) if not node.op}
        for name in variables:
            label = unicodedata.normalize("NFKC", name)  # as parse_expression labels it
            if label in leaves:
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
            raise UsageError(f"expected NAME=NUMBER (e.g. x=1.5), got {assignment!r}")
        if name in variables:
            raise UsageError(f"variable {name!r} is given twice")
        variables[name] = value
    return variables


def _positive_number(text: str) -> float:
    """argparse type: a finite number > 0."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0.0):
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}")
    return value


def _heading(text: str) -> str:
    return f"{text}\n{'=' * len(text)}"


if __name__ == "__main__":
    sys.exit(main())
