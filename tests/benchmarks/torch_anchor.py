"""PyTorch as the anchor: its autograd on the same scalar graphs, and its tensors.

1. The 100,000-deep chain x <- x * 1.0001 + 0.0001, forward and backward, in
   chainrule Values and in 0-dim float64 torch tensors, under both protocols of
   the harness (OWN_GARBAGE: harness frozen, each run pays for its own garbage;
   NATURAL: torch's heap alive, nothing frozen). Target: chainrule under 0.5x
   torch's time.
2. micrograd's demo step built op by op (engine.RawMLP's graph), in chainrule and
   in 0-dim torch tensors, same weights, same losses.
3. The demo run as students graduate to it: torch.nn.Linear layers on the batch
   of 100 points (float64), against ``nn.fit`` and plain floats.

torch runs on one thread (``torch.set_num_threads(1)``), like the others.
"""

from __future__ import annotations

import torch

from autograd import Value
from nn import paused_gc
from tests.benchmarks import engine, nn_training
from tests.benchmarks.harness import (
    NATURAL,
    OWN_GARBAGE,
    check_same_losses,
    interleave,
    medians,
    print_table,
    verdict,
)

torch.set_num_threads(1)
FLOAT64 = torch.float64
TARGET_VS_TORCH = 0.5  # chainrule's time over torch's on the same scalar graphs


def scalar(number: float, requires_grad: bool = False) -> torch.Tensor:
    """A 0-dim float64 tensor: one scalar node of torch's graph."""
    return torch.tensor(number, dtype=FLOAT64, requires_grad=requires_grad)


# -- 1. the deep chain -------------------------------------------------------------
def chain_grad(value_type: type, steps: int) -> float:
    """d(x_steps)/d(x_0) of the chain, built and backpropagated in one engine."""
    if value_type is Value:
        leaf = Value(0.5)
        root = leaf
        for _ in range(steps):
            root = root * 1.0001 + 0.0001
        root.backward()
        return leaf.grad
    leaf = scalar(0.5, requires_grad=True)
    root = leaf
    for _ in range(steps):
        root = root * 1.0001 + 0.0001
    root.backward()
    return float(leaf.grad)


def report_chain(repeats: int, steps: int) -> None:
    """Time the chain in both engines under both protocols and print the ratios."""
    expected = 1.0001**steps
    rows = []
    for protocol in (OWN_GARBAGE, NATURAL):
        cases = {
            "chainrule": lambda: chain_grad(Value, steps),
            "torch 0-dim": lambda: chain_grad(torch.Tensor, steps),
        }
        times = medians(interleave(cases, repeats, protocol))
        for name, case in cases.items():
            grad = case()
            if abs(grad - expected) > 1e-9 * expected:
                raise AssertionError(f"chain: {name} gives d/dx0 = {grad!r}, not {expected!r}")
        ratio = times["chainrule"] / times["torch 0-dim"]
        rows.append(
            (
                f"{protocol}: chainrule / torch",
                f"{times['chainrule']:.3f} s / {times['torch 0-dim']:.3f} s",
                f"{ratio:.2f}x torch's time",
                f"target < {TARGET_VS_TORCH}x",
                verdict(ratio < TARGET_VS_TORCH),
            )
        )
    rows.append(report_paused_chain(repeats, steps))
    print_table(
        f"deep chain against torch: x <- x * 1.0001 + 0.0001, {steps:,} steps, forward + "
        f"backward (median of {repeats}; d/dx0 = 1.0001^{steps:,} in both)",
        rows,
    )


def chain_grad_paused(steps: int) -> float:
    """The chain in chainrule, built and backpropagated inside ``nn.paused_gc()``."""
    with paused_gc():
        return chain_grad(Value, steps)


def report_paused_chain(repeats: int, steps: int) -> tuple[str, ...]:
    """The row of the documented option: the chain inside ``nn.paused_gc()``, natural protocol.

    Under the natural protocol the collector's full passes rescan every live node of
    the chain as it grows (a Value, a number operand's leaf Value and an inputs tuple
    per op), besides torch's heap; torch's 0-dim tensors add no object it tracks.
    """
    cases = {
        "chainrule in paused_gc": lambda: chain_grad_paused(steps),
        "torch 0-dim": lambda: chain_grad(torch.Tensor, steps),
    }
    times = medians(interleave(cases, repeats, NATURAL))
    ours, theirs = times["chainrule in paused_gc"], times["torch 0-dim"]
    return (
        f"{NATURAL}, chainrule inside nn.paused_gc()",
        f"{ours:.3f} s / {theirs:.3f} s",
        f"{ours / theirs:.2f}x torch's time",
        "the option the docs give",
        "",
    )


# -- 2. the demo step, op by op ------------------------------------------------------
class TorchScalarDemo:
    """micrograd's demo step (engine.DemoTrainer) in 0-dim torch tensors, op by op."""

    def __init__(self, weights: list, X: list[list[float]], ys: list[int]) -> None:
        self.layers = [
            [([scalar(w, True) for w in row[:-1]], scalar(row[-1], True)) for row in layer]
            for layer in weights
        ]
        self.parameters = [p for layer in self.layers for ws, b in layer for p in (*ws, b)]
        self.X, self.ys = X, ys
        self.losses: list[float] = []

    def score(self, row: list[float]) -> torch.Tensor:
        xs = [scalar(v) for v in row]
        last = len(self.layers) - 1
        for index, layer in enumerate(self.layers):
            zs = [sum((w * x for w, x in zip(ws, xs)), b) for ws, b in layer]
            xs = zs if index == last else [z.relu() for z in zs]
        return xs[0]

    def step(self) -> None:
        margins = [(1 + -y * self.score(row)).relu() for row, y in zip(self.X, self.ys)]
        loss = sum(margins) * (1.0 / len(margins)) + engine.ALPHA * sum(
            p * p for p in self.parameters
        )
        for p in self.parameters:
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in self.parameters:
                p -= engine.LEARNING_RATE * p.grad
        self.losses.append(loss.item())


def report_demo(repeats: int, n_points: int = 100, hidden: int = 16) -> None:
    """The demo step op by op in chainrule and torch scalars (and fused), both protocols."""
    ours = engine.demo_trainers(n_points, hidden)
    trainers = {
        "chainrule op by op": ours["chainrule op by op"],
        "chainrule fused w·x+b": ours["chainrule fused w·x+b"],
    }
    first = trainers["chainrule op by op"]
    weights = [[[*(w.data for w in ws), b.data] for ws, b in layer] for layer in first.model.layers]
    trainers["torch 0-dim"] = TorchScalarDemo(weights, first.X, first.ys)
    rows = []
    for protocol in (OWN_GARBAGE, NATURAL):
        times = medians(interleave({n: t.step for n, t in trainers.items()}, repeats, protocol))
        torch_time = times["torch 0-dim"]
        for name in ("chainrule op by op", "chainrule fused w·x+b"):
            ratio = times[name] / torch_time
            rows.append(
                (
                    f"{protocol}: {name}",
                    f"{times[name] * 1e3:.1f} ms vs torch {torch_time * 1e3:.1f} ms",
                    f"{ratio:.2f}x torch's time",
                    verdict(ratio < TARGET_VS_TORCH) if name.endswith("op by op") else "",
                )
            )
    check_same_losses({name: t.losses for name, t in trainers.items()}, "torch 0-dim")
    print_table(
        f"micrograd's demo step against torch scalars: MLP 2-{hidden}-{hidden}-1 on {n_points} "
        f"moons built op by op (median of {repeats}; losses agree at every step)",
        rows,
    )


# -- 3. torch tensors -------------------------------------------------------------------
class TorchTensors:
    """The demo run with torch.nn.Linear layers on the whole batch: what students move to."""

    def __init__(self, model, X: list[list[float]], ys: list[int], steps: int) -> None:
        self.net = model.to_torch()
        self.X = torch.tensor(X, dtype=FLOAT64)
        self.ys = torch.tensor(ys, dtype=FLOAT64)
        self.steps = steps
        self.losses: list[float] = []

    def step(self) -> None:
        scores = self.net(self.X).squeeze(1)
        penalty = sum((p * p).sum() for p in self.net.parameters())
        loss = torch.relu(1 - self.ys * scores).mean() + nn_training.ALPHA * penalty
        self.net.zero_grad()
        loss.backward()
        lr = nn_training.learning_rate(len(self.losses), self.steps)
        with torch.no_grad():
            for p in self.net.parameters():
                p -= lr * p.grad
        self.losses.append(loss.item())


def tensor_trainers(sizes: list[int], n_points: int, steps: int, seed: int = 1) -> dict:
    """chainrule fit, plain floats and torch tensors on the same model and data."""
    X, ys = nn_training.moons_labels(n_points, seed)
    model = nn_training.moons_model(sizes, seed)
    return {
        "chainrule fit": nn_training.ChainruleFit(model, X, ys, steps),
        "plain floats": nn_training.PlainFloats(nn_training.initial_weights(model), X, ys, steps),
        "torch tensors": TorchTensors(model, X, ys, steps),
    }


def report_tensors(repeats: int, n_points: int = 100, hidden: int = 16, steps: int = 100) -> None:
    """The demo run by torch.nn.Linear on the batch, against fit and plain floats."""
    trainers = tensor_trainers([hidden, hidden, 1], n_points, steps)
    times = medians(interleave({n: t.step for n, t in trainers.items()}, repeats))
    for trainer in trainers.values():
        while len(trainer.losses) < steps:
            trainer.step()
    check_same_losses({n: t.losses for n, t in trainers.items()}, "plain floats")
    tensors = times["torch tensors"]
    rows = [
        (name, f"{median * 1e3:.2f} ms/step", f"{median / tensors:.1f}x torch tensors' time")
        for name, median in times.items()
    ]
    print_table(
        f"the demo run with torch.nn.Linear, batch of {n_points} (float64, 1 thread): "
        f"{steps} steps, median of {repeats} (losses agree at every step)",
        rows,
    )


def run(repeats: int, *, chain_steps: int = 100_000, n_points: int = 100, hidden: int = 16) -> None:
    """The three comparisons with torch, each printed as a table."""
    report_chain(min(repeats, 5), chain_steps)
    report_demo(min(repeats, 5), n_points, hidden)
    report_tensors(repeats, n_points, hidden)
