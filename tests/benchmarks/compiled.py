"""fit's compiled step at scale: compile time, lines of code and step time.

micrograd's demo network (relu MLP 2-w-w-1, 100 moons, hinge + L2, full batch) at widths
16, 64 and 256, and the digits lesson (64-32-10 relu, cross-entropy, batches of 10, one
epoch of its 1,437 training images). Each row: the time to trace and compile the step
from cold caches, the lines of the code, and a step (an epoch for digits) by ``nn.fit``
compiled and with ``compiled=False``, with their losses checked to agree.
Targets: the demo network compiles in < 100 ms; digits >= 3x faster than the graph's fit.
"""

from __future__ import annotations

import statistics
from typing import Any

from autograd import compile as compile_module
from nn import SGD, fit
from nn import compiled as compiled_module
from nn.compiled import compiled_step
from nn.losses import LOSSES
from tests.benchmarks import nn_training
from tests.benchmarks.harness import (
    CLOCK,
    check_same_losses,
    interleave,
    medians,
    print_table,
    verdict,
)

TARGET_COMPILE_MS = 100.0
TARGET_DIGITS_SPEEDUP = 3.0
WIDTHS = (16, 64, 256)


def cold_compile(model: Any, loss: str, X: list, y: list, repeats: int) -> tuple[float, int]:
    """Median seconds to trace and compile ``model``'s step with empty caches, and its lines."""
    seconds = []
    for _ in range(repeats):
        compile_module._CACHE.clear()
        compiled_module._STEPS.clear()
        start = CLOCK()
        step = compiled_step(model, LOSSES[loss], SGD(model.parameters(), 0.1), X[0], y[0])
        seconds.append(CLOCK() - start)
    assert step is not None
    penalty = step.penalty.source.count("\n") if step.penalty else 0
    return statistics.median(seconds), step.sample.source.count("\n") + penalty


class Fit:
    """One ``fit`` call a step (``epochs=1``), compiled or not; its losses recorded."""

    def __init__(self, model: Any, X: list, y: list, compiled: bool, **options: Any) -> None:
        self.model, self.X, self.y, self.compiled, self.options = model, X, y, compiled, options
        self.losses: list[float] = []

    def step(self) -> None:
        history = fit(
            self.model,
            self.X,
            self.y,
            epochs=1,
            progress=False,
            compiled=self.compiled,
            **self.options,
        )
        self.losses.append(history.loss[0])


def row(name: str, make: Any, X: list, y: list, loss: str, repeats: int, **options: Any) -> tuple:
    """Compile time, lines, and the median step of fit compiled and not (losses agree)."""
    compile_seconds, lines = cold_compile(make(), loss, X, y, 3)
    fits = {
        "compiled": Fit(make(), X, y, True, loss=loss, **options),
        "graph": Fit(make(), X, y, False, loss=loss, **options),
    }
    times = medians(interleave({n: f.step for n, f in fits.items()}, repeats))
    check_same_losses({n: f.losses for n, f in fits.items()}, "graph")
    return name, compile_seconds, lines, times["compiled"], times["graph"]


def run(repeats: int) -> None:
    """The table; digits only where scikit-learn (its data) is installed."""
    rows = []
    X, ys = nn_training.moons_labels(100, 1)
    for width in WIDTHS:
        make = lambda width=width: nn_training.moons_model([width, width, 1], 1)  # noqa: E731
        timed = max(2, repeats // (width // 16))
        rows.append(row(f"demo 2-{width}-{width}-1", make, X, ys, "max_margin", timed, lr=0.5))
    try:
        from chainrule.lessons import digits
    except ImportError:  # pragma: no cover - the bench extra installs it
        digits = None
    if digits is not None:
        split = digits.load()
        rows.append(
            row(
                "digits 64-32-10 (an epoch)",
                lambda: digits.network("relu", 0),
                split.X_train,
                split.y_train,
                "cross_entropy",
                max(2, repeats // 7),
                lr=digits.LEARNING_RATE,
                batch_size=digits.BATCH_SIZE,
            )
        )
    table = [
        (
            name,
            f"compile {seconds * 1e3:.0f} ms",
            f"{lines:,} lines",
            f"compiled {compiled * 1e3:.2f} ms",
            f"compiled=False {graph * 1e3:.2f} ms",
            f"{graph / compiled:.1f}x faster",
        )
        for name, seconds, lines, compiled, graph in rows
    ]
    demo = rows[0][1] * 1e3
    table.append(
        (
            "target: compile the demo",
            f"{demo:.0f} ms",
            f"< {TARGET_COMPILE_MS:.0f} ms",
            "",
            "",
            verdict(demo < TARGET_COMPILE_MS),
        )
    )
    if digits is not None:
        speedup = rows[-1][4] / rows[-1][3]
        table.append(
            (
                "target: digits vs compiled=False",
                f"{speedup:.1f}x faster",
                f">= {TARGET_DIGITS_SPEEDUP:.0f}x",
                "",
                "",
                verdict(speedup >= TARGET_DIGITS_SPEEDUP),
            )
        )
    print_table(
        "fit's compiled step at scale: trace + compile from cold caches (median of 3), lines "
        "of code, median step by fit (losses agree with compiled=False)",
        table,
    )
