"""The worked backpropagation example, against plain-float formulas and the course's results."""

import itertools
import math
import re

import pytest

from autograd import gradcheck
from autograd.show.format import format_number
from chainrule.lessons import backprop
from chainrule.lessons.backprop import (
    FACTOR_FORMULAS,
    PARAMETER_NAMES,
    sgd_update,
    train_worked_example,
    worked_example,
)
from nn import Neuron, squared_error


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def by_hand(x=0.1, w1=0.15, b1=0.4, w2=0.45, b2=0.65, target=0.25):
    """The example in plain floats: forward values and the chain rule written out by hand."""
    z1 = w1 * x + b1
    a1 = sigmoid(z1)
    z2 = w2 * a1 + b2
    a2 = sigmoid(z2)
    error = 0.5 * (target - a2) ** 2
    delta2 = (a2 - target) * a2 * (1 - a2)  # dE/dz2
    delta1 = delta2 * w2 * a1 * (1 - a1)  # dE/dz1
    values = {"z1": z1, "a1": a1, "z2": z2, "a2": a2, "E": error}
    grads = {"w2": delta2 * a1, "b2": delta2, "w1": delta1 * x, "b1": delta1}
    return values, grads


def test_the_lessons_text_states_its_constants_and_their_results():
    # The module's docstring is the lesson's text: its numbers must be the ones computed.
    text = " ".join(backprop.__doc__.split())
    stated = dict(re.findall(r"(\w+) = (\d+\.\d+)", text))
    constants = {"x": backprop.X, "T": backprop.TARGET, "lr": backprop.LEARNING_RATE}
    constants |= {"w1": backprop.W1, "b1": backprop.B1, "w2": backprop.W2, "b2": backprop.B2}
    assert {name: float(value) for name, value in stated.items()} == constants
    _, grads = by_hand(x=backprop.X, target=backprop.TARGET)
    stated_results = dict(re.findall(r"(\w+) -> (\d+\.\d+)", text))
    assert list(stated_results) == ["w2", "b2", "w1", "b1"]
    for name, value in stated_results.items():
        by_hand_update = constants[name] - backprop.LEARNING_RATE * grads[name]
        assert f"{by_hand_update:.4f}" == value


@pytest.mark.parametrize("fused", [False, True])
def test_forward_table_matches_the_formulas(fused):
    values, _ = by_hand()
    table = worked_example(fused=fused).forward_table()
    assert [name for name, _, _ in table] == ["z1", "a1", "z2", "a2", "E"]
    for name, formula, value in table:
        assert value == pytest.approx(values[name], rel=1e-12)
        assert formula
    assert dict((name, formula) for name, formula, _ in table)["a2"] == "σ(z2)"


@pytest.mark.parametrize("fused", [False, True])
def test_gradients_match_the_chain_rule_by_hand(fused):
    _, grads = by_hand()
    example = worked_example(fused=fused)
    gradients = example.gradients()
    assert list(gradients) == ["x", "w1", "b1", "z1", "a1", "w2", "b2", "z2", "a2", "E"]
    assert gradients["E"] == 1.0
    for name, grad in grads.items():
        assert gradients[name] == pytest.approx(grad, rel=1e-12)


def test_gradients_match_central_differences():
    def error(w1, b1, w2, b2):
        z1 = w1 * backprop.X + b1
        z2 = w2 * z1.sigmoid() + b2
        return 0.5 * (backprop.TARGET - z2.sigmoid()) ** 2

    check = gradcheck(error, [0.15, 0.4, 0.45, 0.65])
    assert check
    gradients = worked_example().gradients()
    assert [gradients[name] for name in ("w1", "b1", "w2", "b2")] == pytest.approx(
        check.numeric, abs=1e-8
    )


def test_one_update_gives_the_course_results():
    updated = sgd_update(worked_example())
    assert list(updated) == list(PARAMETER_NAMES) == ["w2", "b2", "w1", "b1"]
    assert {name: round(value, 4) for name, value in updated.items()} == {
        "w2": 0.4272,
        "b2": 0.6121,
        "w1": 0.1496,
        "b1": 0.3959,
    }
    _, grads = by_hand()
    start = {"w1": 0.15, "b1": 0.4, "w2": 0.45, "b2": 0.65}
    for name, value in updated.items():
        assert value == pytest.approx(start[name] - 0.4 * grads[name], abs=1e-12)


def test_update_with_another_learning_rate_mutates_nothing():
    example = worked_example()
    updated = sgd_update(example, lr=0.1)
    _, grads = by_hand()
    assert updated["w2"] == pytest.approx(0.45 - 0.1 * grads["w2"], abs=1e-12)
    assert example.w2.data == 0.45
    bad_rates = [(0.0, ValueError), (-0.4, ValueError), (math.inf, ValueError)]
    bad_rates += [(True, TypeError), ("0.4", TypeError)]
    for bad, error in bad_rates:
        with pytest.raises(error, match=r"^sgd_update: expected lr to be a (finite )?number"):
            sgd_update(example, lr=bad)


def test_explanations_write_each_gradient_as_its_chain_rule_product():
    example = worked_example()
    explanations = example.explanations()
    assert list(explanations) == ["w2", "b2", "w1", "b1"]
    for name, explanation in explanations.items():
        assert explanation.total == pytest.approx(example.gradients()[name], abs=1e-12)
        for factor in explanation.paths[0]:
            assert factor.symbol in FACTOR_FORMULAS
    w1_lines = explanations["w1"].text.splitlines()
    assert w1_lines[0] == "∂E/∂w1 = ∂E/∂a2 · ∂a2/∂z2 · ∂z2/∂a1 · ∂a1/∂z1 · ∂z1/∂w1"
    assert w1_lines[1] == "       = (a2 − T) · a2·(1 − a2) · w2 · a1·(1 − a1) · x"
    values, grads = by_hand()
    a1, a2 = values["a1"], values["a2"]
    factors = [a2 - 0.25, a2 * (1 - a2), 0.45, a1 * (1 - a1), 0.1]
    assert w1_lines[2] == "       = " + " · ".join(format_number(f) for f in factors)
    assert w1_lines[3] == "       = " + format_number(grads["w1"])


def test_training_lowers_the_error_every_step():
    errors = train_worked_example(20)
    values, _ = by_hand()
    assert len(errors) == 20
    assert errors[0] == pytest.approx(values["E"], rel=1e-12)
    assert all(later < earlier for earlier, later in itertools.pairwise(errors))
    second = by_hand(**sgd_update(worked_example()))[0]["E"]
    assert errors[1] == pytest.approx(second, rel=1e-12)
    with pytest.raises(ValueError, match=r"^train_worked_example: expected iterations .* >= 1"):
        train_worked_example(0)


def test_clusters_hold_each_neurons_computed_values():
    example = worked_example()
    clusters = example.clusters()
    assert list(clusters) == ["neuron 1", "neuron 2"]
    first, second = (set(nodes) for nodes in clusters.values())
    assert {example.z1, example.a1} <= first and {example.z2, example.a2} <= second
    assert not first & second
    assert all(node.op for node in first | second)
    assert example.E not in second


def test_the_same_numbers_as_nn_neurons():
    first = Neuron(1, "sigmoid", weights=[0.15], bias=0.4)
    second = Neuron(1, "sigmoid", weights=[0.45], bias=0.65)
    a2 = second([first([backprop.X])])
    error = squared_error(a2, backprop.TARGET)
    error.backward()
    example = worked_example()
    assert error.data == pytest.approx(example.E.data, rel=1e-12)
    assert second.weights[0].grad == pytest.approx(example.w2.grad, rel=1e-12)
    assert first.bias.grad == pytest.approx(example.b1.grad, rel=1e-12)
