"""The catalogue beyond the lesson's chain: on the 2-2-2 network file (sigmoid then tanh), a
scripted student who makes one catalogued mistake, worked here in plain floats, is told
that mistake's name on the first question it affects."""

from __future__ import annotations

import math

import pytest

from chainrule.mistakes import BY_NAME, CATALOGUE
from chainrule.network import build_network, parse_network
from tests.worked_example import NET_222

# Each neuron has two inputs, so "the bias gradient taken as the weight's" names no one input.
APPLICABLE = [m.name for m in CATALOGUE if m.name != "bias-as-weight"]


def student_222(mistake: str | None) -> dict[str, float]:
    """Every quiz number of NET_222 (lr 0.5) as a student making only ``mistake`` works it."""
    x, t, lr = NET_222["inputs"], NET_222["targets"], NET_222["lr"]
    (w1, b1), (w2, b2) = ((layer["weights"], layer["biases"]) for layer in NET_222["layers"])
    got: dict[str, float] = {}
    z1 = [w1[j][0] * x[0] + w1[j][1] * x[1] + b1[j] for j in range(2)]
    a1 = [1 / (1 + math.exp(-z)) for z in z1]
    z2 = [w2[k][0] * a1[0] + w2[k][1] * a1[1] + b2[k] for k in range(2)]
    a2 = [math.tanh(z) for z in z2]
    for j in range(2):
        got.update({f"z1[{j + 1}]": z1[j], f"a1[{j + 1}]": a1[j]})
    for k in range(2):
        got.update({f"z2[{k + 1}]": z2[k], f"a2[{k + 1}]": a2[k]})
    squares = [(t[k] - a2[k]) ** 2 for k in range(2)]
    got["E"] = sum(squares) if mistake == "half" else 0.5 * sum(squares)

    def slope(z: float, a: float, sigmoid: bool) -> float:
        at = z if mistake == "derivative-at-z" else a
        right = at * (1 - at) if sigmoid else 1 - at * at
        return {"derivative-skipped": 1.0, "activation-as-derivative": a}.get(mistake, right)

    def times(upstream: float, local: float) -> float:
        return local if mistake == "upstream-left-out" else upstream * local

    da2 = [
        {"sign": t[k] - a2[k], "half": 2 * (a2[k] - t[k])}.get(mistake, a2[k] - t[k])
        for k in range(2)
    ]
    dz2 = [times(da2[k], slope(z2[k], a2[k], False)) for k in range(2)]
    dw2 = [
        [dz2[k] if mistake == "input-forgotten" else times(dz2[k], a1[j]) for j in range(2)]
        for k in range(2)
    ]
    db2 = [times(dz2[k], 1.0) for k in range(2)]

    def weight(k: int, j: int) -> float:
        if mistake == "wrong-weight":
            return w1[k][j]
        return w2[k][j] - lr * dw2[k][j] if mistake == "updated-weight-used" else w2[k][j]

    da1 = [
        dz2[0] * weight(0, j) + dz2[1] * weight(1, j) for j in range(2)
    ]  # two users: no one local
    dz1 = [times(da1[j], slope(z1[j], a1[j], True)) for j in range(2)]
    dw1 = [
        [dz1[j] if mistake == "input-forgotten" else times(dz1[j], x[i]) for i in range(2)]
        for j in range(2)
    ]
    db1 = [times(dz1[j], 1.0) for j in range(2)]
    for layer, (dw, db, dz, w, b) in enumerate(
        [(dw1, db1, dz1, w1, b1), (dw2, db2, dz2, w2, b2)], 1
    ):
        for j in range(2):
            got[f"∂E/∂a{layer}[{j + 1}]"] = (da1 if layer == 1 else da2)[j]
            got[f"∂E/∂z{layer}[{j + 1}]"] = dz[j]
            got[f"∂E/∂b{layer}[{j + 1}]"] = db[j]
            got[f"new b{layer}[{j + 1}]"] = update(b[j], db[j], lr, mistake)
            for i in range(2):
                got[f"∂E/∂w{layer}[{j + 1},{i + 1}]"] = dw[j][i]
                got[f"new w{layer}[{j + 1},{i + 1}]"] = update(w[j][i], dw[j][i], lr, mistake)
    return got


def update(p: float, grad: float, lr: float, mistake: str | None) -> float:
    return {"update-added": p + lr * grad, "not-updated": p, "lr-left-out": p - grad}.get(
        mistake, p - lr * grad
    )


@pytest.fixture(scope="module")
def network():
    return build_network(parse_network(NET_222), fused=False)


def test_a_perfect_222_student_scores_full_marks(network):
    checker = network.checker(NET_222["lr"])
    truth = student_222(None)
    assert all(checker.answer(q.quantity, repr(truth[q.quantity])).right for q in checker.questions)
    assert (
        checker.score() == (len(checker.questions), len(checker.questions)) == (41, 41)
    )  # 9 forward, 20 gradients, 12 updates


@pytest.mark.parametrize("mistake", APPLICABLE)
def test_each_applicable_mistake_is_named_on_a_222_network(network, mistake):
    checker = network.checker(NET_222["lr"])
    truth, student = student_222(None), student_222(mistake)
    for question in checker.questions:
        typed = student[question.quantity]
        verdict = checker.answer(question.quantity, repr(typed))
        if math.isclose(typed, truth[question.quantity], rel_tol=1e-9):
            assert verdict.right, (question.quantity, verdict)
            continue
        assert (verdict.status, verdict.mistake) == ("wrong", mistake), (question.quantity, verdict)
        return
    pytest.fail(f"{mistake} touched no question")


def test_the_bias_taken_as_the_weights_names_no_input_on_a_two_input_neuron(network):
    checker = network.checker(NET_222["lr"])
    assert all("bias-as-weight" not in entry.mistakes for entry in checker.key())


def test_the_hints_name_the_network_quantity_with_its_index(network):
    checker = network.checker(NET_222["lr"])
    student = student_222("input-forgotten")
    for question in checker.questions:
        verdict = checker.answer(question.quantity, repr(student[question.quantity]))
        if verdict.mistake:
            break
    assert question.quantity == "∂E/∂w2[2,2]"
    assert "∂z2[2]/∂w2[2,2] = a1[2], so multiply by a1[2]" in verdict.message
    _, numbers = checker.numbers()
    hints = {
        ("sign", "∂E/∂a2[2]"): "d/da2[2] gives −(T2 − a2[2]) = (a2[2] − T2)",
        ("derivative-at-z", "∂E/∂z1[2]"): "σ′(z1[2]) = a1[2]·(1 − a1[2])",
        ("wrong-weight", "∂E/∂a1[2]"): "a1[2] reaches z2[k] through w2[k,2]",
        ("derivative-skipped", "∂E/∂z2[1]"): "multiply by 1 − a2[1]²",  # a tanh neuron
        ("upstream-left-out", "∂E/∂w1[2,1]"): "multiply by the gradient from above, ∂E/∂z1[2]",
    }
    for (name, quantity), part in hints.items():
        assert part in BY_NAME[name].message(quantity, numbers)
