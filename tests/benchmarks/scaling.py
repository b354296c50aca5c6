"""How the training step grows: width 16 -> 64 -> 256, data 100 -> 1,000, depth 2 -> 8 layers.

Each configuration trains the demo's relu MLP on two moons with ``nn.fit`` (one
full-batch epoch a step), with plain floats and with torch.nn.Linear, from the
same weights (losses checked to agree). The work of a step is its multiply-adds,
points x sum(n_in x n_out); time per multiply-add growing by more than 1.5x
from the first row of a group is marked super-linear.
"""

from __future__ import annotations

from itertools import pairwise

from tests.benchmarks.harness import check_same_losses, interleave, medians, print_table
from tests.benchmarks.torch_anchor import tensor_trainers

SUPER_LINEAR = 1.5
SCHEDULE_STEPS = 100  # the demo run's length, which sets its learning-rate schedule

GROUPS = {
    "width": [([16, 16, 1], 100), ([64, 64, 1], 100), ([256, 256, 1], 100)],
    "data": [([16, 16, 1], 100), ([16, 16, 1], 1_000)],
    "depth": [([16, 1], 100), ([16, 16, 16, 1], 100), ([16] * 7 + [1], 100)],
}


def multiply_adds(sizes: list[int], n_points: int) -> int:
    """The multiply-adds of one forward pass over the batch."""
    return n_points * sum(a * b for a, b in pairwise([2, *sizes]))


def time_config(sizes: list[int], n_points: int, repeats: int) -> dict[str, float]:
    """Median seconds per step of chainrule fit, plain floats and torch tensors.

    The steps timed are the first of the demo's 100-step learning-rate schedule, the
    phase of training the nn table times: a step's cost depends on how many points
    are still inside the margin (each adds backward work), which the schedule sets.
    """
    trainers = tensor_trainers(sizes, n_points, steps=SCHEDULE_STEPS)
    times = medians(interleave({n: t.step for n, t in trainers.items()}, repeats))
    check_same_losses({n: t.losses for n, t in trainers.items()}, "plain floats")
    return times


def run(repeats: int) -> None:
    """One table per group; big configurations get fewer timed steps (at least 2)."""
    for group, configs in GROUPS.items():
        rows = []
        first_cost = None
        for sizes, n_points in configs:
            work = multiply_adds(sizes, n_points)
            timed = max(2, min(repeats, 2_000_000 // work))
            times = time_config(sizes, n_points, timed)
            ours = times["chainrule fit"]
            cost = ours / work
            first_cost = first_cost or cost
            growth = cost / first_cost
            rows.append(
                (
                    f"2-{'-'.join(map(str, sizes))}, {n_points:,} points",
                    f"{work:,} mult-adds",
                    f"chainrule {ours * 1e3:.1f} ms",
                    f"floats {times['plain floats'] * 1e3:.1f} ms",
                    f"torch tensors {times['torch tensors'] * 1e3:.2f} ms",
                    f"{ours / times['plain floats']:.2f}x floats",
                    f"{ours / times['torch tensors']:.0f}x torch",
                    f"per mult-add {growth:.2f}x the first row"
                    + (" SUPER-LINEAR" if growth > SUPER_LINEAR else ""),
                )
            )
        print_table(
            f"scaling by {group}: nn.fit steps against plain floats and torch tensors "
            "(median of the timed steps; losses agree)",
            rows,
        )
