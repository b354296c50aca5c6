"""``python -m tests.benchmarks [--quick]``: every benchmark, in one process.

The engine against micrograd, the nn training against micrograd and plain
floats, the garbage collector's share (before and after importing torch), torch
as the anchor, and the scaling tables.
"""

from __future__ import annotations

import argparse
import importlib.util


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks", description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="fewer repeats and smaller sizes (a quick look)"
    )
    args = parser.parse_args()
    for module, wheel in (("micrograd", "micrograd==0.1.0"), ("torch", "torch==2.13.0")):
        if importlib.util.find_spec(module) is None:
            parser.exit(1, f"The benchmarks compare with {module}: pip install {wheel}\n")
    from tests.benchmarks import collector, compiled, engine, nn_training

    repeats = 5 if args.quick else 20
    print(
        "Times are this process's CPU time (time.process_time), medians of cases run in "
        "rounds of shuffled order: read the ratios. Details: docs/benchmarks.md"
    )
    engine.run(repeats, chain_steps=200_000 if args.quick else 1_000_000)
    nn_training.run(repeats)
    compiled.run(repeats)
    collector.run(repeats, "torch not imported")
    from tests.benchmarks import scaling, torch_anchor  # imports torch

    collector.run(repeats, "torch imported")
    torch_anchor.run(repeats, chain_steps=20_000 if args.quick else 100_000)
    scaling.run(3 if args.quick else 10)


if __name__ == "__main__":
    main()
