"""Timing and printing shared by the benchmarks.

Cases are timed in rounds, each case once a round, so that a slow moment of the
machine lands on every case alike instead of on one of them. Each round takes the
cases in a new order (shuffled by a seeded ``random.Random``): in a fixed order
the case after micrograd's step, which churns through about 100 MB, always met
cold caches and memory handed back to the system, and was 0.3-0.5 ms slower.
The clock is this process's CPU time (``time.process_time``), not the wall
clock: on a shared machine the scheduler takes the CPU away in slices, and a
step long enough to lose it several times would be charged other programs'
time, so the wall clock inflates the ratio of a long step to a short one.
The garbage collector stays on, as it is for anyone using the library: the
time it takes is part of what a step costs. Two protocols say who pays for it:

- OWN_GARBAGE: the harness and everything built before timing are frozen out of
  the collector (``gc.freeze``), and each timed call ends with ``gc.collect()``
  inside its time, so each case pays for its own garbage (micrograd's reference
  cycles, say) and for no other case's.
- NATURAL: nothing is frozen and nothing collected by the harness: the collector
  runs whenever allocations trigger it, scanning every live object of the
  process (torch's heap too, once imported), as in a real training loop.
"""

from __future__ import annotations

import gc
import random
import statistics
import time
from collections.abc import Callable, Sequence

CLOCK = time.process_time  # CPU seconds of this process (see above)
ORDER_SEED = 0  # the rounds' orders: the same in every run
OWN_GARBAGE = "own garbage"
NATURAL = "natural"


def interleave(
    cases: dict[str, Callable[[], object]], repeats: int, protocol: str = OWN_GARBAGE
) -> dict[str, list[float]]:
    """Call each case ``repeats`` times, in rounds of a shuffled order, after one untimed
    warm-up call each.

    ``protocol`` is OWN_GARBAGE or NATURAL (see the module's docstring). Returns
    the CPU seconds of every timed call, per case name, in call order.
    """
    if repeats < 1:
        raise ValueError(f"interleave: repeats must be >= 1, got {repeats!r}")
    if protocol not in (OWN_GARBAGE, NATURAL):
        raise ValueError(f"interleave: unknown protocol {protocol!r}")
    for case in cases.values():
        case()
    own_garbage = protocol == OWN_GARBAGE
    if own_garbage:
        gc.collect()
        gc.freeze()
    seconds: dict[str, list[float]] = {name: [] for name in cases}
    names, shuffler = list(cases), random.Random(ORDER_SEED)
    try:
        for _ in range(repeats):
            shuffler.shuffle(names)
            for name in names:
                case = cases[name]
                start = CLOCK()
                case()
                if own_garbage:
                    gc.collect()
                seconds[name].append(CLOCK() - start)
    finally:
        if own_garbage:
            gc.unfreeze()
    return seconds


def medians(seconds: dict[str, list[float]]) -> dict[str, float]:
    """The median of each case's times."""
    return {name: statistics.median(times) for name, times in seconds.items()}


def print_table(title: str, rows: Sequence[Sequence[str]]) -> None:
    """Print ``title`` underlined, then ``rows`` as left-aligned columns."""
    columns = max(map(len, rows), default=0)
    widths = [max(len(row[i]) for row in rows if i < len(row)) for i in range(columns)]
    print(f"\n{title}\n{'-' * len(title)}")
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())


def verdict(met: bool) -> str:
    """A target's outcome as printed in the tables."""
    return "PASS" if met else "MISS"


def check_same_losses(losses: dict[str, Sequence[float]], reference: str) -> None:
    """Every case's loss at each step agrees with ``reference``'s to 1e-9 (relative).

    Raises AssertionError naming the case and the step, so a benchmark never
    compares the speed of two computations that are not the same.
    """
    expected = losses[reference]
    for name, values in losses.items():
        if len(values) != len(expected):
            raise AssertionError(f"{name}: {len(values)} steps, {reference} {len(expected)}")
        for k, (value, wanted) in enumerate(zip(values, expected)):
            if abs(value - wanted) > 1e-9 * max(1.0, abs(wanted)):
                raise AssertionError(f"{name}: loss {value!r} at step {k}, {reference} {wanted!r}")
