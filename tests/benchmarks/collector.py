"""The cyclic garbage collector's share of a training step, with and without ``paused_gc``.

chainrule's hand-written loop (see nn_training) runs with the collector paused
and with it on, beside plain floats, each under the NATURAL protocol: nothing is
frozen and the harness collects nothing, so the collector runs when allocations
trigger it and scans every live object, as in a real loop. ``python -m
tests.benchmarks`` runs this before importing torch and again after.
"""

from __future__ import annotations

from tests.benchmarks.harness import NATURAL, interleave, medians, print_table
from tests.benchmarks.nn_training import build


def run(repeats: int, when: str, *, n_points: int = 100, hidden: int = 16) -> None:
    """Time ``repeats`` steps of each case, in rounds, and print the collector's share."""
    trainers = build(n_points, hidden, steps=repeats + 1)
    loop, floats = trainers["chainrule loop"], trainers["plain floats"]
    paused = build(n_points, hidden, steps=repeats + 1)["chainrule loop"]
    cases = {
        "chainrule loop, collector paused (nn.paused_gc)": paused.step,
        "chainrule loop, collector on": loop.step_with_the_collector_on,
        "plain floats, collector on": floats.step,
    }
    times = medians(interleave(cases, repeats, NATURAL))
    on, off = times["chainrule loop, collector on"], times[next(iter(cases))]
    rows = [(name, f"{median * 1e3:.2f} ms/step") for name, median in times.items()]
    rows.append(("collector's share of a chainrule step", f"{1 - off / on:.0%}"))
    rows.append(
        ("paused against plain floats", f"{off / times['plain floats, collector on']:.2f}x")
    )
    print_table(
        f"the garbage collector, {when}: MLP 2-{hidden}-{hidden}-1 on {n_points} moons "
        f"(median of {repeats} steps, NATURAL protocol)",
        rows,
    )
