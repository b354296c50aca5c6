"""``python -m tests.benchmarks [--quick]``: the engine benchmark, then the nn one if present."""

from __future__ import annotations

import argparse


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks", description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="fewer repeats and a shorter chain (a quick look)"
    )
    args = parser.parse_args()
    try:
        from tests.benchmarks import engine
    except ModuleNotFoundError as error:
        if error.name != "micrograd":
            raise
        parser.exit(1, "The benchmarks compare with micrograd: pip install micrograd==0.1.0\n")
    if args.quick:
        engine.run(5, chain_steps=200_000)
    else:
        engine.run(20)
    try:
        from tests.benchmarks import nn_training
    except ModuleNotFoundError as error:
        if error.name != "tests.benchmarks.nn_training":
            raise
        return
    nn_training.run(5 if args.quick else 20)


if __name__ == "__main__":
    main()
