"""A gradient typed as its chain-rule product: equivalent forms right, a wrong one told
the factor it misses, has too many or has in place of another; the rule is the same in
the terminal."""

from __future__ import annotations

import io

import pytest

from chainrule.formulas import check_formula
from chainrule.lessons import backprop
from chainrule.network import lesson_checker
from chainrule.quiz import run_quiz


def checker(local_derivatives: bool = False):
    return lesson_checker(
        0.1, 0.15, 0.4, 0.45, 0.65, 0.25, 0.4, local_derivatives=local_derivatives
    )


@pytest.mark.parametrize(
    ("quantity", "formula"),
    [
        ("∂E/∂w1", "-(T-a2)*a2*(1-a2)*w2*a1*(1-a1)*x"),  # the lecture's form
        ("∂E/∂w1", "(a2 − T)·a2·(1 − a2)·w2·a1·(1 − a1)·x"),  # chainrule's printed form
        ("∂E/∂w1", "x*w2*(a1 - a1**2)*(a2-T)*a2*(1-a2)"),  # reordered, expanded
        ("∂E/∂w2", "(a2-T)*sigmoid(z2)*(1-sigmoid(z2))*a1"),
        ("∂E/∂b1", "(a2-T)*a2*(1-a2)*w2*a1*(1-a1)"),
        ("∂E/∂a2", "-(T - a2)"),
        ("∂E/∂z2", "(a2-T)*a2*(1-a2)"),
    ],
)
def test_equivalent_formulas_are_right(quantity: str, formula: str) -> None:
    verdict = checker().check(quantity, formula)
    assert verdict.status == "right", verdict.message


@pytest.mark.parametrize(
    ("quantity", "formula", "told"),
    [
        ("∂E/∂w1", "(a2-T)*a2*(1-a2)*w2*a1*(1-a1)", "you left out the input: ∂z1/∂w1 = x"),
        ("∂E/∂w2", "(a2-T)*a2*(1-a2)", "you left out the input: ∂z2/∂w2 = a1"),
        ("∂E/∂w1", "(a2-T)*w2*a1*(1-a1)*x", "misses the factor a2·(1 − a2) (∂a2/∂z2)"),
        ("∂E/∂w1", "(a2-T)*a2*(1-a2)*w2*x", "misses the factor a1·(1 − a1) (∂a1/∂z1)"),
        ("∂E/∂w1", "(a2-T)*a2*(1-a2)*w2*a1*(1-a1)*x*x", "the factor x (∂z1/∂w1) twice"),
        ("∂E/∂w1", "(a2-T)*a2*(1-a2)*w1*a1*(1-a1)*x", "has w1 where the chain rule has"),
        ("∂E/∂w1", "(T-a2)*a2*(1-a2)*w2*a1*(1-a1)*x", "the wrong sign"),
        ("∂E/∂a2", "T - a2", "you differentiated ½(T − a2)² as (T − a2)"),
    ],
)
def test_a_wrong_formula_gets_what_differs(quantity: str, formula: str, told: str) -> None:
    verdict = checker().check(quantity, formula)
    assert verdict.status == "wrong"
    assert told in verdict.message


def test_a_local_derivative_as_a_formula() -> None:
    check = checker(local_derivatives=True)
    assert check.check("∂a2/∂z2", "a2*(1-a2)").right
    verdict = check.check("∂a2/∂z2", "z2*(1-z2)")
    assert verdict.mistake == "derivative-at-z"


def test_text_that_is_neither_number_nor_formula_is_invalid() -> None:
    verdict = checker().check("∂E/∂w1", "__import__('os')")
    assert verdict.status == "invalid"
    assert "is not a number or a formula of this graph" in verdict.message
    assert checker().check("z1", "w1*x+b1").status == "invalid"  # forward values are numbers


def test_the_formula_is_checked_at_points_other_than_the_graphs_own() -> None:
    example = backprop.worked_example()
    # equal at the lesson's numbers only: ∂E/∂w1 written as the number times x/x
    number = repr(example.w1.grad)
    assert check_formula(f"{number}*x/x", example.E, example.E, example.w1).right is False


def test_in_the_terminal_a_formula_scores() -> None:
    check = checker()
    order = [q.quantity for q in check.questions]
    lines = ["0.415", "0.602", "0.921", "0.715", "0.108", "-(T-a2)", "quit"]
    out = io.StringIO()
    score = run_quiz(check, io.StringIO("\n".join(lines) + "\n"), out)
    assert order[5] == "∂E/∂a2"
    assert (score.right, score.asked) == (6, 6)
