"""``python -m tests.benchmarks.side_by_side OLD [NEW]``: two checkouts timed side by side.

Answers "is any figure worse than before?" (issues 18 and 22) on a shared machine, where
two runs minutes apart can differ by 30%. The figures (the engine's and nn's, from the
``make bench`` modules: ``engine`` and ``nn_training``) are measured in worker processes,
one checkout per process, strictly alternating OLD and NEW, with which goes first
swapping every round, so a slow spell of the machine falls on both alike. A worker
imports ``autograd`` and ``nn`` from its checkout (put first on ``sys.path``) and the
benchmark code from this one, so both run the same benchmark code; it times its cases in
shuffled rounds (CPU time, ``harness.interleave``) and prints its medians as JSON. The
report gives, for each figure, the median over the workers of each checkout and NEW/OLD.
Both checkouts must compute the same losses (checked), or the comparison stops.

Figures: micrograd's demo step op by op and fused (ms), the 100,000-deep chain (µs a
node, forward + backward, collector on), bytes a node (tracemalloc), and the demo run's
step by ``fit`` (compiled, where the checkout has it), ``fit(compiled=False)`` and the
hand-written loop, each as a multiple of the plain-float step timed in the same worker.
NEW defaults to this checkout.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from tests.benchmarks.harness import check_same_losses

HERE = Path(__file__).resolve().parents[2]  # this checkout: the benchmark code's
FIGURES = (  # name, unit, how it is printed
    ("demo step, op by op", "ms", "{:.1f}"),
    ("demo step, fused w·x+b", "ms", "{:.1f}"),
    ("deep chain", "µs/node", "{:.2f}"),
    ("memory", "bytes/node", "{:.0f}"),
    ("fit (compiled) / floats", "x", "{:.2f}"),
    ("fit(compiled=False) / floats", "x", "{:.2f}"),
    ("hand-written loop / floats", "x", "{:.2f}"),
    ("plain floats step", "ms", "{:.2f}"),
)


def measure(repeats: int, chain_steps: int, points: int, hidden: int) -> dict[str, object]:
    """This process's figures (see the module docstring) and the losses they computed, on
    micrograd's demo (``points`` moons, a 2-hidden-hidden-1 MLP)."""
    import nn
    from autograd import Value
    from tests.benchmarks import engine, nn_training
    from tests.benchmarks.harness import interleave, medians

    demo = engine.demo_trainers(points, hidden)
    del demo["micrograd"]  # 10x slower than the steps compared, and the same in both
    demo_times = medians(interleave({n: t.step for n, t in demo.items()}, repeats))
    chains = [engine.time_our_chain(chain_steps) for _ in range(3)]
    chain = statistics.median((forward + back) / nodes for forward, back, nodes in chains)
    fits = nn_training.build(points, hidden)
    del fits["micrograd"]
    if "compiled" not in inspect.signature(nn.fit).parameters:  # before fit compiled its step
        del fits["chainrule fit"]
        fits["chainrule fit, compiled=False"].compiled = None  # fit's one path, no option
    fit_times = medians(interleave({n: t.step for n, t in fits.items()}, 4 * repeats))
    check_same_losses({n: t.losses for n, t in fits.items()}, "plain floats")
    floats = fit_times["plain floats"]
    figures = {
        "demo step, op by op": demo_times["chainrule op by op"] * 1e3,
        "demo step, fused w·x+b": demo_times["chainrule fused w·x+b"] * 1e3,
        "deep chain": chain * 1e6,
        "memory": engine.bytes_per_node(Value, 2_000)[0],
        "fit(compiled=False) / floats": fit_times["chainrule fit, compiled=False"] / floats,
        "hand-written loop / floats": fit_times["chainrule loop"] / floats,
        "plain floats step": floats * 1e3,
    }
    if "chainrule fit" in fit_times:
        figures["fit (compiled) / floats"] = fit_times["chainrule fit"] / floats
    losses = {
        "demo": demo["chainrule op by op"].losses,
        "fit": fits["chainrule fit, compiled=False"].losses,
    }
    return {"figures": figures, "losses": losses}


def worker(tree: Path, sizes: argparse.Namespace) -> None:
    """Measure ``tree``'s engine and nn (imported from it) and print the result as JSON."""
    sys.path.insert(0, str(tree))
    import autograd
    import nn

    for package in (autograd, nn):
        if not Path(package.__file__ or "").resolve().is_relative_to(tree):
            raise SystemExit(f"side_by_side: {package.__name__} came from {package.__file__}")
    print(json.dumps(measure(sizes.repeats, sizes.chain_steps, sizes.points, sizes.hidden)))


def run_worker(tree: Path, sizes: argparse.Namespace) -> dict:
    """One worker process for ``tree``: its figures and losses."""
    command = [sys.executable, "-m", "tests.benchmarks.side_by_side", "--worker", str(tree)]
    for option in ("repeats", "chain_steps", "points", "hidden"):
        command += [f"--{option.replace('_', '-')}", str(getattr(sizes, option))]
    env = {**os.environ, "PYTHONPATH": "", "PYTHONHASHSEED": "0"}
    done = subprocess.run(command, cwd=HERE, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"side_by_side: the worker for {tree} failed:\n{done.stderr}")
    result: dict = json.loads(done.stdout.splitlines()[-1])
    return result


def compare(old: Path, new: Path, rounds: int, sizes: argparse.Namespace) -> None:
    """Alternate the two checkouts' workers for ``rounds`` rounds and print the medians."""
    runs: dict[Path, list[dict]] = {old: [], new: []}
    for k in range(rounds):
        for tree in (old, new) if k % 2 == 0 else (new, old):
            runs[tree].append(run_worker(tree, sizes))
            print(f"round {k + 1}/{rounds}: {tree}", file=sys.stderr, flush=True)
    check_same_computation(runs)
    print(
        f"OLD {old}\nNEW {new}\n{rounds} workers each, alternating; CPU time. OLD and NEW: the "
        "median of the workers' medians [min-max]; NEW/OLD: the median of the rounds' ratios "
        "(each round's NEW worker over its OLD one) [min-max]\n"
    )
    print(f"{'figure':30} {'unit':10} {'OLD':>20} {'NEW':>20}  NEW/OLD")
    for name, unit, form in FIGURES:
        values = {tree: [run["figures"].get(name) for run in runs[tree]] for tree in (old, new)}
        cells = [summary(values[tree], form) for tree in (old, new)]
        ratios = [b / a for a, b in zip(values[old], values[new]) if a and b]
        print(f"{name:30} {unit:10} {cells[0]:>20} {cells[1]:>20}  {summary(ratios, '{:.3f}')}")


def check_same_computation(runs: dict[Path, list[dict]]) -> None:
    """Every worker's demo and fit losses agree with the first one's (``check_same_losses``):
    both checkouts computed the same numbers, or there is nothing to compare."""
    for kind in ("demo", "fit"):
        losses = {
            f"{kind} losses of worker {k + 1} of {tree}": run["losses"][kind]
            for tree, tree_runs in runs.items()
            for k, run in enumerate(tree_runs)
        }
        check_same_losses(losses, next(iter(losses)))


def summary(values: list, form: str) -> str:
    """The median [min-max] of ``values`` (None where a checkout lacks the figure), or —."""
    known = [v for v in values if v is not None]
    if not known:
        return "—"
    low, middle, high = min(known), statistics.median(known), max(known)
    return f"{form.format(middle)} [{form.format(low)}-{form.format(high)}]"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.side_by_side")
    parser.description = __doc__
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("old", type=Path, help="the checkout before (its root folder)")
    parser.add_argument("new", type=Path, nargs="?", default=HERE, help="default: this one")
    parser.add_argument("--rounds", type=int, default=10, help="workers per checkout")
    parser.add_argument("--repeats", type=int, default=5, help="demo steps timed per worker")
    parser.add_argument("--chain-steps", type=int, default=100_000)
    parser.add_argument("--points", type=int, default=100, help="the demo's moons")
    parser.add_argument("--hidden", type=int, default=16, help="the demo's hidden width")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.old.resolve(), args)
        return
    for tree in (args.old, args.new):
        if not (tree / "autograd" / "__init__.py").is_file():
            parser.error(f"{tree} is not a chainrule checkout (no autograd/__init__.py)")
    compare(args.old.resolve(), args.new.resolve(), args.rounds, args)


if __name__ == "__main__":
    main()
