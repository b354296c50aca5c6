"""Every formula chainrule prints is right as written: parsed back with chainrule's own
parser (autograd.expression, which reads the printed ·, −, ², σ, ½), it gives the number
printed beside it -- for every op of the engine and every activation of the lessons."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, topological_order
from autograd.expression import parse_expression
from autograd.show.explain import explain
from autograd.show.names import node_names
from chainrule.network import ACTIVATION_NAMES, build_network, lesson_network
from chainrule.questions import graph_questions

# One formula per op: + - * / neg **k ** exp log tanh sigmoid relu leaky_relu.
FORMULAS = [
    "w * x + b",
    "w - x * b",
    "w / x + b",
    "-(w * x) + b",
    "x ** 3 * w + b",
    "x ** w + b",
    "exp(w * x) * b",
    "log(w * x + b)",
    "tanh(w * x + b)",
    "sigmoid(w * x + b)",
    "relu(w * x + b)",
    "leaky_relu(w * x + b, 0.1)",
]
_CONDITION = re.compile(r"\((\S+) if (\([^()]*\)|\S+) > 0, else (\S+)\)")
_STEP = re.compile(r"step\((\w+)\)")


def evaluate(formula: str, values: dict[str, float]) -> float:
    """The printed formula's number. The two notations the parser does not read, ReLU's
    ``1 if z2 > 0, else 0`` and the binary step ``step(z1)`` (1 for z1 >= 0, else 0), are
    decided here by the value of z2, z1."""

    def decide(found: re.Match[str]) -> str:
        yes, name, no = found.groups()
        return yes if values[name.removeprefix("(").removesuffix(")")] > 0 else no

    text = _CONDITION.sub(decide, f"({formula})")
    text = _STEP.sub(lambda found: "1" if values[found.group(1)] >= 0 else "0", text)
    variables = {name: value for name, value in values.items() if name.isidentifier()}
    return parse_expression(text, variables).data


def named_values(root: Value) -> dict[str, float]:
    return {name: node.data for node, name in node_names(root).items()}


positive = st.floats(0.2, 2.0)


@settings(max_examples=25, deadline=None)
@given(w=positive, x=positive, b=positive, formula=st.sampled_from(FORMULAS))
def test_every_hint_formula_gives_its_value(w: float, x: float, b: float, formula: str) -> None:
    root = parse_expression(formula, {"w": w, "x": x, "b": b})
    root.label = "f"
    leaves = [n for n in topological_order(root) if not n.op and n.label]
    values = named_values(root)
    checked = 0
    for question in graph_questions(root, parameters=leaves, lr=0.1, local_derivatives=True):
        right_side = question.hint.partition(" = ")[2]
        right_side = re.split(r", with |: ", right_side)[0].split(" = −(")[0]
        if "∂" in right_side or question.kind == "update":
            continue  # a product of earlier answers' symbols, not a formula over names
        assert evaluate(right_side, values) == pytest.approx(question.expected, rel=1e-9), (
            question.hint
        )
        checked += 1
    assert checked >= 2


@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
@pytest.mark.parametrize("z_sign", [1.0, -1.0])
def test_every_derivation_and_network_formula_gives_its_number(
    activation: str, z_sign: float
) -> None:
    network = build_network(
        lesson_network(0.1, 0.15, 0.4 * z_sign, 0.45, 0.65 * z_sign, 0.25, activation)
    )
    values = named_values(network.E)
    formulas = network.formulas()
    for parameter in network.parameters():
        explanation = explain(network.E, parameter, formulas=formulas)
        lines = [line.split(" = ", 1)[-1].strip() for line in explanation.text.splitlines()]
        formula_line, numbers_line, total = lines[1], lines[2], float(lines[3])
        assert evaluate(formula_line, values) == pytest.approx(parameter.grad, rel=1e-9)
        assert evaluate(numbers_line, values) == pytest.approx(total, rel=2e-3, abs=1e-6)
        for factor in (f for path in explanation.paths for f in path):
            if factor.symbol in formulas:
                printed = formulas[factor.symbol]
                assert evaluate(printed, values) == pytest.approx(factor.value, rel=1e-9)
    for name in ("z1", "a1", "z2", "a2", "E"):
        if name in formulas and name in values:
            assert evaluate(formulas[name], values) == pytest.approx(values[name], rel=1e-9)


def test_the_issues_formulas_now_read_right() -> None:
    network = build_network(lesson_network(0.1, 0.15, 0.4, 0.45, 0.65, 0.25, "tanh"))
    text = explain(network.E, network.weights[1][0][0], formulas=network.formulas()).text
    assert "(a2 − T) · (1 − a2²) · a1" in text
    assert math.isfinite(evaluate("(a2 − T) · (1 − a2²) · a1", named_values(network.E)))
