"""The catalogue on Playground formulas: recognised from the graph's rows, not from names.

For a tanh neuron with squared error (no ½), the lesson's chain typed as one formula and a
two-input neuron, a scripted student who makes one catalogued mistake -- worked here in plain
floats, neuron by neuron -- is told that mistake's name on the first question it affects, and
a perfect student scores full marks."""

from __future__ import annotations

import math

import pytest

from autograd.expression import parse_expression
from chainrule.formulas import parameters_by_label
from chainrule.questions import Checker

LR = 0.4
ALWAYS = ["sign", "derivative-at-z", "derivative-skipped", "input-forgotten", "upstream-left-out"]
UPDATES = ["update-added", "not-updated", "lr-left-out"]
# formula -> (its numbers, whether E carries the ½, its neurons: (activation, [(weight,
# input; None: the neuron below)], bias), output last)
FORMULAS = {
    "(T - tanh(w*x + b))**2": (
        {"T": 0.25, "w": 0.45, "x": 0.6, "b": 0.65},
        False,
        [("tanh", [("w", "x")], "b")],
    ),
    "0.5*(T - sigmoid(w2*sigmoid(w1*x+b1)+b2))**2": (
        {"T": 0.25, "w1": 0.15, "x": 0.1, "b1": 0.4, "w2": 0.45, "b2": 0.65},
        True,
        [("sigmoid", [("w1", "x")], "b1"), ("sigmoid", [("w2", None)], "b2")],
    ),
    "0.5*(T - sigmoid(w1*x1 + w2*x2 + b))**2": (
        {"T": 0.9, "w1": 0.3, "x1": 0.5, "w2": -0.7, "x2": 0.8, "b": 0.1},
        True,
        [("sigmoid", [("w1", "x1"), ("w2", "x2")], "b")],
    ),
}


def student(formula: str, mistake: str | None) -> dict[str, float]:
    """Every quiz number of ``formula`` as a student making only ``mistake`` works it."""
    v, half, neurons = FORMULAS[formula]
    act = {"tanh": math.tanh, "sigmoid": lambda z: 1 / (1 + math.exp(-z))}
    slope = {"tanh": lambda a: 1 - a * a, "sigmoid": lambda a: a * (1 - a)}
    below, zs, outs = 0.0, [], []
    for name, edges, bias in neurons:
        z = sum(v[w] * (below if i is None else v[i]) for w, i in edges) + v[bias]
        below = act[name](z)
        zs.append(z)
        outs.append(below)
    error = v["T"] - below
    got = {"f": error**2 if mistake == "half" or not half else 0.5 * error**2}
    upstream = -error * (2 if mistake == "half" or not half else 1)
    upstream = -upstream if mistake == "sign" else upstream
    for (name, edges, bias), z, a, inputs in reversed(
        list(zip(neurons, zs, outs, [0.0, *outs[:-1]]))
    ):
        local = slope[name](z if mistake == "derivative-at-z" else a)
        dz = upstream * (1.0 if mistake == "derivative-skipped" else local)
        got[f"∂f/∂{bias}"] = dz
        for w, i in edges:
            entering = inputs if i is None else v[i]
            by_mistake = {"input-forgotten": dz, "upstream-left-out": entering}
            got[f"∂f/∂{w}"] = by_mistake.get(mistake or "", dz * entering)
        upstream = dz * v[edges[0][0]]
    for p in [p for _, edges, bias in neurons for p in (*(w for w, _ in edges), bias)]:
        grad = got[f"∂f/∂{p}"]
        got[f"new {p}"] = {
            "update-added": v[p] + LR * grad,
            "not-updated": v[p],
            "lr-left-out": v[p] - grad,
        }.get(mistake or "", v[p] - LR * grad)
    return got


def applicable(formula: str) -> list[str]:
    return ALWAYS + UPDATES + (["half"] if FORMULAS[formula][1] else [])


def checker(formula: str) -> Checker:
    root = parse_expression(formula, FORMULAS[formula][0])
    root.label = "f"
    return Checker(root, parameters=parameters_by_label(root), lr=LR)


@pytest.mark.parametrize("formula", FORMULAS)
def test_a_perfect_student_scores_full_marks_on_a_formula(formula):
    quiz, truth = checker(formula), student(formula, None)
    assert {q.quantity for q in quiz.questions} == set(truth)
    assert all(quiz.answer(q.quantity, repr(truth[q.quantity])).right for q in quiz.questions)
    assert quiz.score() == (len(truth), len(truth))


@pytest.mark.parametrize(("formula", "mistake"), [(f, m) for f in FORMULAS for m in applicable(f)])
def test_each_applicable_mistake_is_named_on_a_formula(formula, mistake):
    quiz, truth, typed = checker(formula), student(formula, None), student(formula, mistake)
    for question in quiz.questions:
        verdict = quiz.answer(question.quantity, repr(typed[question.quantity]))
        if math.isclose(typed[question.quantity], truth[question.quantity], rel_tol=1e-9):
            assert verdict.right, (question.quantity, verdict)
            continue
        assert (verdict.status, verdict.mistake) == ("wrong", mistake), (question.quantity, verdict)
        if mistake not in UPDATES:  # the hint names this graph's nodes, not the lesson's z1
            assert "·" in verdict.message and "z1" not in verdict.message, verdict.message
        return
    pytest.fail(f"{mistake} touched no question")


@pytest.mark.parametrize("formula", FORMULAS)
def test_only_the_applicable_mistakes_are_in_a_formulas_key(formula):
    found = {name for entry in checker(formula).key() for name in entry.mistakes}
    assert found == set(applicable(formula))
