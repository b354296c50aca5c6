"""chainrule's engine against micrograd's, side by side in one process.

1. micrograd's demo step: an MLP 2-16-16-1 (relu hidden, linear out) built from
   raw Values in each engine, on 100 two-moons points with labels -1/+1; loss
   mean(relu(1 - y * score)) + 1e-4 * sum(p^2), backward, SGD update. Both
   engines start from the same weights and must report the same losses. Ours
   runs twice: op by op (the same graph as micrograd's) and with each neuron's
   w·x+b fused into one node (``autograd.weighted_sum``).
2. A deep chain x <- x * 1.0001 + 0.0001: ours at a million steps (microseconds
   per node, forward + backward, printed without a target: an absolute time on a
   shared machine is not a goal; torch_anchor compares it with torch);
   micrograd's recursive backward stops with a RecursionError long before, at the
   depth printed.
3. Memory: bytes per graph node (tracemalloc), the same relu/mul/add chain built
   in both.
"""

from __future__ import annotations

import gc
import random
import statistics
import sys
import tracemalloc
from itertools import pairwise

from micrograd.engine import Value as MicrogradValue

from autograd import Value, topological_order, weighted_sum
from nn import make_moons
from tests.benchmarks.harness import CLOCK, check_same_losses, interleave, print_table, verdict

ALPHA = 1e-4  # the demo's L2 regularisation strength
LEARNING_RATE = 0.1
TARGET_DEMO_SPEEDUP = 10.0  # the fused demo step, against micrograd's
TARGET_BYTES_RATIO = 0.25  # our bytes per node over micrograd's


# -- 1. micrograd's demo step ---------------------------------------------------
def initial_weights(sizes: list[int], rng: random.Random) -> list[list[list[float]]]:
    """micrograd's init: weights uniform(-1, 1), bias 0; ``[layer][neuron] = [w..., b]``."""
    return [
        [[rng.uniform(-1.0, 1.0) for _ in range(n_in)] + [0.0] for _ in range(n_out)]
        for n_in, n_out in pairwise(sizes)
    ]


class RawMLP:
    """An MLP made of one engine's raw Values: relu hidden layers, a linear output unit.

    Op by op, a neuron is micrograd's ``sum((w * x for ...), b)``; fused, it is
    one ``weighted_sum`` node (chainrule only), with the same additions in the
    same order, so the forward values are bit-identical.
    """

    def __init__(self, value_type: type, weights: list[list[list[float]]], fused: bool) -> None:
        self.value_type, self.fused = value_type, fused
        self.layers = [
            [([value_type(w) for w in row[:-1]], value_type(row[-1])) for row in layer]
            for layer in weights
        ]

    def parameters(self) -> list:
        return [p for layer in self.layers for ws, b in layer for p in (*ws, b)]

    def __call__(self, xs: list):
        last = len(self.layers) - 1
        for index, layer in enumerate(self.layers):
            outs = []
            for ws, b in layer:
                if self.fused:
                    z = weighted_sum(ws, xs, b)
                else:
                    z = sum((w * x for w, x in zip(ws, xs)), b)
                outs.append(z if index == last else z.relu())
            xs = outs
        return xs[0]


def losses_of(trainers: dict[str, DemoTrainer]) -> dict[str, list[float]]:
    """Each trainer's losses so far, compared with micrograd's by ``check_same_losses``."""
    return {name: trainer.losses for name, trainer in trainers.items()}


class DemoTrainer:
    """One engine's copy of micrograd's demo training step; ``losses`` records each step."""

    def __init__(self, model: RawMLP, X: list[list[float]], ys: list[int]) -> None:
        self.model, self.X, self.ys = model, X, ys
        self.parameters = model.parameters()
        self.losses: list[float] = []

    def step(self) -> None:
        value_type = self.model.value_type
        scores = [self.model([value_type(v) for v in row]) for row in self.X]
        margins = [(1 + -y * score).relu() for y, score in zip(self.ys, scores)]
        data_loss = sum(margins) * (1.0 / len(margins))
        reg_loss = ALPHA * sum(p * p for p in self.parameters)
        loss = data_loss + reg_loss
        for p in self.parameters:
            p.grad = 0.0
        loss.backward()
        for p in self.parameters:
            p.data -= LEARNING_RATE * p.grad
        self.losses.append(loss.data)


def demo_trainers(n_points: int = 100, hidden: int = 16, seed: int = 0) -> dict[str, DemoTrainer]:
    """micrograd's, ours op by op and ours fused: same data, same initial weights."""
    rng = random.Random(seed)
    X, labels = make_moons(n_points, noise=0.1, seed=None, rng=rng)
    ys = [2 * label - 1 for label in labels]  # micrograd's demo labels: -1 and +1
    weights = initial_weights([2, hidden, hidden, 1], rng)
    return {
        "micrograd": DemoTrainer(RawMLP(MicrogradValue, weights, fused=False), X, ys),
        "chainrule op by op": DemoTrainer(RawMLP(Value, weights, fused=False), X, ys),
        "chainrule fused w·x+b": DemoTrainer(RawMLP(Value, weights, fused=True), X, ys),
    }


# -- 2. the deep chain ------------------------------------------------------------
def chain(value_type: type, steps: int):
    """x <- x * 1.0001 + 0.0001, ``steps`` times from 0.5: 2 ops and 2 constants per step."""
    x = value_type(0.5)
    for _ in range(steps):
        x = x * 1.0001 + 0.0001
    return x


def time_our_chain(steps: int) -> tuple[float, float, int]:
    """Seconds for the forward pass and for backward(), and the graph's node count."""
    start = CLOCK()
    root = chain(Value, steps)
    built = CLOCK()
    root.backward()
    done = CLOCK()
    return built - start, done - built, len(topological_order(root))


def micrograd_fails(steps: int) -> bool:
    """Whether micrograd's backward() on a chain of ``steps`` steps raises RecursionError."""
    root = chain(MicrogradValue, steps)
    try:
        root.backward()
    except RecursionError:
        return True
    return False


def micrograd_failure_depth(limit: int = 1 << 20) -> int:
    """The fewest chain steps at which micrograd's backward() raises RecursionError.

    Doubles the depth until it fails, then bisects; ``limit`` bounds the search
    (a ValueError if it never fails below it).
    """
    works, fails = 0, 64
    while not micrograd_fails(fails):
        works, fails = fails, fails * 2
        if fails > limit:
            raise ValueError(f"micrograd_failure_depth: no RecursionError up to {limit} steps")
    while fails - works > 1:
        middle = (works + fails) // 2
        works, fails = (works, middle) if micrograd_fails(middle) else (middle, fails)
    return fails


# -- 3. memory ----------------------------------------------------------------------
def count_nodes(root) -> int:
    """Nodes reachable from ``root`` in either engine (micrograd keeps inputs in ``_prev``)."""
    if isinstance(root, Value):
        return len(topological_order(root))
    seen, stack = {root}, [root]
    while stack:
        for child in stack.pop()._prev:
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return len(seen)


def relu_chain(value_type: type, steps: int):
    """x <- relu(x * 1.0001 + 0.0001): five nodes a step (3 ops, 2 constants), both engines."""
    x = value_type(0.5)
    for _ in range(steps):
        x = (x * 1.0001 + 0.0001).relu()
    return x


def bytes_per_node(value_type: type, steps: int) -> tuple[float, int]:
    """Bytes a graph built by the forward pass holds, per node, and its node count.

    Forward only: micrograd's recursive backward cannot reach the bottom of a
    10,000-node chain (see the deep chain), and the record is what is compared.
    """
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        root = relu_chain(value_type, steps)
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    nodes = count_nodes(root)
    return held / nodes, nodes


# -- the report ---------------------------------------------------------------------
def report_demo(repeats: int, n_points: int, hidden: int) -> None:
    """Time micrograd's demo step in the three trainers, in rounds, and print the table."""
    trainers = demo_trainers(n_points, hidden)
    for trainer in trainers.values():
        trainer.step()
    check_same_losses(
        losses_of(trainers), "micrograd"
    )  # before any timing: the same numbers, or nothing to compare
    seconds = interleave({name: trainer.step for name, trainer in trainers.items()}, repeats)
    check_same_losses(losses_of(trainers), "micrograd")
    medians = {name: statistics.median(times) for name, times in seconds.items()}
    micrograd = medians["micrograd"]
    rows = [
        (
            name,
            f"{median * 1e3:.2f} ms/step",
            f"{micrograd / median:.1f}x faster than micrograd" if name != "micrograd" else "",
        )
        for name, median in medians.items()
    ]
    fused_speedup = micrograd / medians["chainrule fused w·x+b"]
    rows.append(
        (
            "target: fused vs micrograd",
            f">= {TARGET_DEMO_SPEEDUP:.0f}x",
            f"{fused_speedup:.1f}x",
            verdict(fused_speedup >= TARGET_DEMO_SPEEDUP),
        )
    )
    print_table(
        f"micrograd's demo step: MLP 2-{hidden}-{hidden}-1 on {n_points} moons, loss, "
        f"backward, SGD (median of {repeats}; losses agree at every step)",
        rows,
    )


def report_chain(repeats: int, steps: int) -> None:
    """Time our deep chain (median of up to 3 runs), find micrograd's limit, print the table."""
    gc.collect()  # start from a heap without earlier benchmarks' garbage
    runs = [time_our_chain(steps) for _ in range(min(repeats, 3))]
    forward = statistics.median(run[0] for run in runs)
    backward = statistics.median(run[1] for run in runs)
    nodes = runs[0][2]
    us_per_node = (forward + backward) / nodes * 1e6
    depth = micrograd_failure_depth()
    print_table(
        f"deep chain x <- x * 1.0001 + 0.0001, {steps:,} steps "
        f"(median of {len(runs)}; garbage collector on)",
        [
            (
                "chainrule",
                f"{nodes:,} nodes",
                f"forward {forward:.2f} s, backward {backward:.2f} s",
                f"{us_per_node:.2f} µs/node",
            ),
            (
                "micrograd",
                f"RecursionError from {depth:,} steps ({2 * depth:,} ops deep)",
                f"recursion limit {sys.getrecursionlimit()}",
            ),
        ],
    )


def report_memory(steps: int) -> None:
    """Measure bytes per node of the same relu chain in both engines and print the table."""
    ours, our_nodes = bytes_per_node(Value, steps)
    theirs, their_nodes = bytes_per_node(MicrogradValue, steps)
    if our_nodes != their_nodes:
        raise AssertionError(f"memory: {our_nodes} nodes in ours, {their_nodes} in micrograd's")
    ratio = ours / theirs
    print_table(
        f"memory: relu(x * 1.0001 + 0.0001) chain, {our_nodes:,} nodes (tracemalloc)",
        [
            ("chainrule", f"{ours:.0f} bytes/node"),
            ("micrograd", f"{theirs:.0f} bytes/node"),
            (
                "target: chainrule / micrograd",
                f"<= {TARGET_BYTES_RATIO}",
                f"{ratio:.2f}",
                verdict(ratio <= TARGET_BYTES_RATIO),
            ),
        ],
    )


def run(
    repeats: int,
    *,
    n_points: int = 100,
    hidden: int = 16,
    chain_steps: int = 1_000_000,
    memory_steps: int = 2_000,
) -> None:
    """All three comparisons, each printed as a table (with its target and PASS/MISS)."""
    report_demo(repeats, n_points, hidden)
    report_chain(repeats, chain_steps)
    report_memory(memory_steps)
