"""The op table: each row's derivatives against central differences, Value against its rows,
the templates against the numbers, and the proof that adding an op is adding one row."""

from __future__ import annotations

import importlib
import json
import math
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, dense_layer, ops, weighted_sum

H = 1e-6

# Points inside each row's domain: (inputs, argument or None).
POINTS = st.floats(0.1, 3.0) | st.floats(-3.0, -0.1)
POSITIVE = st.floats(0.1, 3.0)


def central_differences(f, xs: list[float]) -> list[float]:
    """d f / d x_i by (f(x + h) − f(x − h)) / 2h, computed here, not by the engine."""
    slopes = []
    for i in range(len(xs)):
        up, down = list(xs), list(xs)
        up[i] += H
        down[i] -= H
        slopes.append((f(*up) - f(*down)) / (2 * H))
    return slopes


def domain(row: ops.Op, data: st.DataObject) -> tuple[list[float], tuple[float, ...]]:
    """Inputs and argument at which ``row`` is smooth (away from relu's kink)."""
    if row.arity == ops.ANY:
        n = data.draw(st.integers(1, 3))
        return [data.draw(POINTS) for _ in range(2 * n + 1)], ()
    xs = [data.draw(POSITIVE if row.name in ("log", "**") else POINTS) for _ in range(row.arity)]
    if row.kind == "power" and row.arity == 1:
        return xs, (data.draw(st.sampled_from([2.0, 3.0, -1.0, 0.5 if xs[0] > 0 else 2.0])),)
    if row.argument == "slope":
        return xs, (data.draw(st.floats(0.0, 0.5)),)
    return xs, ()


@settings(deadline=None, max_examples=30)
@given(st.data())
def test_every_rows_derivatives_match_central_differences(data):
    for row in ops.ROWS:
        xs, argument = domain(row, data)
        out = row.forward(*xs, *argument)
        local = row.derivatives(out, *xs, *argument)
        expected = central_differences(lambda *v, f=row.forward, n=argument: f(*v, *n), xs)
        assert local == pytest.approx(expected, rel=1e-4, abs=1e-6), row


@settings(deadline=None, max_examples=30)
@given(st.data())
def test_every_rows_code_templates_compute_its_forward_and_derivatives(data):
    """The Python a code generator emits from a row gives the row's own numbers."""
    for row in ops.ROWS:
        xs, argument = domain(row, data)
        bound = row.with_argument(*argument) if argument else row
        out = row.forward(*xs, *argument)
        names = [f"v{i}" for i in range(len(xs))]
        scope = {"math": math, "out": out, **dict(zip(names, xs))}
        local = row.derivatives(out, *xs, *argument)
        for i, expected in enumerate(local):
            code = bound.local_formula(i, "out", names, code=True)
            assert eval(code, scope) == pytest.approx(expected, rel=1e-12, abs=1e-300), (row, code)
        assert eval(bound.forward_formula("out", names), scope) == pytest.approx(out)


@pytest.mark.parametrize("x", [-1.5, -0.2, 0.7, 2.0])
def test_each_value_method_builds_a_node_of_its_row_with_the_rows_numbers(x):
    a, b = Value(x), Value(1.3)
    built = {
        ops.ADD: a + b, ops.SUB: a - b, ops.MUL: a * b, ops.DIV: a / b, ops.NEG: -a,
        ops.POW: b**a, ops.EXP: a.exp(), ops.SIGMOID: a.sigmoid(), ops.TANH: a.tanh(),
        ops.RELU: a.relu(), ops.LOG: b.log(),
    }  # fmt: skip
    for row, node in built.items():
        inputs = [child.data for child in node.inputs]
        assert node.row is row and node.op == row.name
        assert node.data == row.forward(*inputs)
        assert node.local_grads == row.derivatives(node.data, *inputs)
    power = a**3
    assert power.row.unbound is ops.POWER and power.row.bound == 3.0 and power.op == "**3"
    assert power.local_grads == (3 * x**2,)
    leaky = a.leaky_relu()
    assert leaky.row.bound == 0.01 and leaky.local_grads == ((1.0,) if x > 0 else (0.01,))
    assert Value(x).row is ops.LEAF and Value(x).op == ""


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "leaky_relu"])
def test_a_fused_neurons_code_computes_its_value_and_local_derivatives(activation):
    ws, xs, b = [Value(0.3), Value(-0.8)], [Value(0.5), Value(1.5)], Value(0.1)
    (neuron,) = dense_layer([ws], xs, [b], activation)
    names = ["w0", "w1", "x0", "x1", "b"]
    z = 0.1 + 0.3 * 0.5 + -0.8 * 1.5  # by hand, as the engine adds: from the bias
    scope = {"math": math, "out": neuron.data, "z": z, "w0": 0.3, "w1": -0.8}
    scope |= {"x0": 0.5, "x1": 1.5, "b": 0.1}
    assert eval(neuron.row.forward_formula("out", names), scope) == neuron.data
    for i, local in enumerate(neuron.local_grads):
        code = neuron.row.local_formula(i, "out", names, code=True)
        assert eval(code, scope) == pytest.approx(local, rel=1e-12), code


def test_a_fused_neuron_is_the_weighted_sum_row_bound_to_its_activation():
    w, x, b = [Value(0.15, label="w")], [Value(0.1, label="x")], Value(0.4, label="b")
    (neuron,) = dense_layer([w], x, [b], "sigmoid")
    assert neuron.row.unbound is ops.WEIGHTED_SUM and neuron.row.bound is ops.SIGMOID
    assert neuron.op == "sigmoid(w·x+b)"
    assert weighted_sum(w, x, b).row is ops.WEIGHTED_SUM
    a = neuron.data
    assert neuron.row.local_formula(0, "a", ["w", "x", "b"]) == "(a·(1 − a))·x"
    assert neuron.row.local_formula(2, "a", ["w", "x", "b"]) == "a·(1 − a)"
    assert neuron.local_grads[2] == pytest.approx(a * (1 - a))


def test_the_table_writes_the_lessons_derivatives():
    assert ops.SIGMOID.local_formula(0, "a2", ["z2"]) == "a2·(1 − a2)"
    assert ops.TANH.local_formula(0, "a", ["z"]) == "1 − a²"
    assert ops.SIGMOID.local_formula(0, "a", ["z"], code=True) == "a * (1.0 - a)"
    assert ops.LEAKY_RELU.local_formula(0, "a", ["z"]) == "1 if z > 0, else 0.01"
    assert ops.POWER.with_argument(2.0).local_formula(0, "y", ["x"]) == "2·x"
    assert ops.POWER.with_argument(3.0).local_formula(0, "y", ["x"]) == "3·x^2"
    assert ops.DIV.local_formula(1, "q", ["a", "b"]) == "−a/b²"


SOFTPLUS_ROW = """
    Op("softplus", 1, lambda a: max(a, 0.0) + math.log1p(math.exp(-abs(a))),
       lambda out, a: (-math.expm1(-out),), "softplus", "function",
       ("1 − e^(−{out})",), ("-math.expm1(-{out})",),
       "(max({x}, 0.0) + math.log1p(math.exp(-abs({x}))))",
       activation=True, formula="softplus(x) = ln(1 + e^x)", range="(0, inf)",
       note="a smooth relu"),
"""

PROOF = r"""
import json, math, sys
from pathlib import Path
from autograd import Value, draw_graph, gradcheck, node_names
from chainrule.network import build_network, load_network
from chainrule.questions import graph_questions

x, w = Value(0.3, label="x"), Value(-1.2, label="w")
z = (w * x).named("z")
y = z.softplus().named("y")
y.backward()
result = gradcheck(lambda v: v.softplus(), [0.3])
dot = draw_graph(y).source
names = node_names(x.softplus())
questions = graph_questions(y, parameters=[w], local_derivatives=True, lr=0.5)
local = next(q for q in questions if q.quantity == "∂y/∂z")
path = Path(sys.argv[1])
spec = load_network(path)
net = build_network(spec)
updated = net.updated(0.5).to_dict()
path.with_name("updated.json").write_text(json.dumps(updated))
again = build_network(load_network(path.with_name("updated.json")))
print(json.dumps({
    "y": y.data, "w_grad": w.grad, "gradcheck": result.max_error, "dot": dot,
    "name": names[max(names, key=lambda n: n.row.arity)], "hint": local.hint,
    "local": local.expected, "forward": net.forward(), "formulas": net.formulas(),
    "updated": updated, "again": again.forward(),
}))
"""


def test_adding_one_row_adds_an_op_everywhere(tmp_path):
    """Copy the packages, add a softplus row to the op table and edit nothing else: Value,
    gradcheck, drawing, names, the quiz and network files all take it."""
    for package in ("autograd", "nn", "chainrule"):  # from where they are imported: the
        source = Path(importlib.import_module(package).__file__).parent  # checkout or a wheel
        shutil.copytree(source, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    table = tmp_path / "autograd" / "ops.py"
    source = table.read_text()
    end = "\n)\n# fmt: on"
    assert source.count(end) == 1
    table.write_text(source.replace(end, SOFTPLUS_ROW.rstrip("\n") + end))
    network = {
        "inputs": [0.5],
        "layers": [{"weights": [[0.8]], "biases": [-0.1], "activation": "softplus"}],
        "targets": [0.25],
    }
    (tmp_path / "net.json").write_text(json.dumps(network))
    run = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(PROOF), str(tmp_path / "net.json")],
        cwd=tmp_path, capture_output=True, text=True, check=False, timeout=120,
        env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    got = json.loads(run.stdout)

    def softplus(v: float) -> float:
        return math.log(1 + math.exp(v))

    def sigma(v: float) -> float:
        return 1 / (1 + math.exp(-v))

    z = -1.2 * 0.3
    assert got["y"] == pytest.approx(softplus(z))
    assert got["w_grad"] == pytest.approx(sigma(z) * 0.3)
    assert got["gradcheck"] < 1e-6
    assert "softplus" in got["dot"] and f"{sigma(z):.4f}" in got["dot"]  # the edge's label
    assert got["name"] == "softplus(x)"
    assert "1 − e^(−y)" in got["hint"] and got["local"] == pytest.approx(sigma(z))
    z1 = 0.8 * 0.5 - 0.1
    assert got["forward"]["a1"] == pytest.approx(softplus(z1))
    assert got["formulas"]["a1"] == "softplus(z1)"
    assert got["formulas"]["∂a1/∂z1"] == "1 − e^(−a1)"
    assert got["updated"]["layers"][0]["activation"] == "softplus"
    # one step of gradient descent on E = ½ (T − a)², by hand
    grad_b = (softplus(z1) - 0.25) * sigma(z1)
    assert got["updated"]["layers"][0]["biases"][0] == pytest.approx(-0.1 - 0.5 * grad_b)
    w1, b1 = 0.8 - 0.5 * grad_b * 0.5, -0.1 - 0.5 * grad_b  # ∂E/∂w1 = ∂E/∂b1 · x
    assert got["again"]["a1"] == pytest.approx(softplus(w1 * 0.5 + b1))
