"""MLP.to_torch(): the same network in PyTorch, same outputs and gradients in float64.

The tests that need torch are skipped without it, unless CHAINRULE_REQUIRE_TORCH=1 (CI
installs torch and sets it); the missing-torch error is tested either way.
"""

import os
import sys

import pytest

from autograd import Value
from nn import MLP

try:
    import torch
except ImportError:
    if os.environ.get("CHAINRULE_REQUIRE_TORCH") == "1":
        raise
    torch = None

needs_torch = pytest.mark.skipif(torch is None, reason="torch is not installed")

ROWS = [[0.3, -1.2, 2.0], [-0.7, 0.1, 0.05], [1.5, 2.5, -0.4]]
OUTPUT_WEIGHTS = [1.0, -2.0, 0.5]  # loss = sum over rows of sum_k c_k * output_k


def flat(rows: list[list[float]]) -> list[float]:
    return [v for row in rows for v in row]


@needs_torch
@pytest.mark.parametrize(
    ("hidden", "output"),
    [
        ("tanh", "linear"),
        ("sigmoid", "softmax"),
        ("relu", "sigmoid"),
        ("leaky_relu", "tanh"),
        ("step", "linear"),
    ],
)
def test_same_outputs_and_gradients(hidden, output):
    model = MLP(3, [5, 4, 3], activation=hidden, output_activation=output, seed=21)
    network = model.to_torch()

    loss = Value(0.0)
    ours = []
    for row in ROWS:
        outputs = model(row)
        ours.append([v.data for v in outputs])
        for c, v in zip(OUTPUT_WEIGHTS, outputs):
            loss = loss + c * v
    loss.backward()

    x = torch.tensor(ROWS, dtype=torch.float64)
    theirs = network(x)
    (theirs * torch.tensor(OUTPUT_WEIGHTS, dtype=torch.float64)).sum().backward()
    assert flat(theirs.detach().tolist()) == pytest.approx(flat(ours), abs=1e-12)

    linears = [m for m in network if isinstance(m, torch.nn.Linear)]
    assert len(linears) == len(model.layers)
    for layer, linear in zip(model.layers, linears):
        assert linear.weight.dtype == torch.float64
        weight_grads = [[w.grad for w in n.weights] for n in layer.neurons]
        assert flat(linear.weight.grad.tolist()) == pytest.approx(flat(weight_grads), abs=1e-12)
        bias_grads = [n.bias.grad for n in layer.neurons]
        assert linear.bias.grad.tolist() == pytest.approx(bias_grads, abs=1e-12)


@needs_torch
def test_step_passes_no_gradient_back():
    model = MLP(2, [3, 1], activation="step", seed=0)
    network = model.to_torch()
    network(torch.tensor([[0.5, -0.5]], dtype=torch.float64)).sum().backward()
    assert network[0].weight.grad.abs().sum().item() == 0.0


def test_missing_torch_is_a_clear_import_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # makes `import torch` fail
    with pytest.raises(ImportError, match=r"pip install chainrule\[torch\]"):
        MLP(2, [1], seed=0).to_torch()
