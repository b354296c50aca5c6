"""graph_questions: the quiz of any graph, checked against plain-float arithmetic written here."""

import json

import pytest

from autograd import Value
from chainrule.lessons import backprop
from chainrule.questions import graph_questions
from tests.worked_example import lesson_answers, sigmoid


def lesson_by_hand():
    """The worked example's answers by kind: forward, gradients, updated parameters."""
    answers = lesson_answers()
    forward = {name: answers[name] for name in ("z1", "a1", "z2", "a2", "E")}
    grads = {name: value for name, value in answers.items() if name.startswith("∂")}
    updated = {name: value for name, value in answers.items() if name.startswith("new")}
    return forward, grads, updated


@pytest.mark.parametrize("fused", [False, True])
def test_worked_example_questions_and_values(fused):
    example = backprop.worked_example(fused=fused)
    questions = graph_questions(example.E, parameters=example.parameters().values(), lr=0.4)
    forward, grads, updated = lesson_by_hand()
    by_kind = {
        kind: {q.quantity: q.expected for q in questions if q.kind == kind}
        for kind in ("forward", "backward", "update")
    }
    assert list(by_kind["forward"]) == ["z1", "a1", "z2", "a2", "E"]
    assert by_kind["forward"] == pytest.approx(forward, rel=1e-12)
    assert by_kind["backward"] == pytest.approx(grads, rel=1e-12)
    assert by_kind["update"] == pytest.approx(updated, rel=1e-12)
    # the course's numbers
    assert by_kind["update"]["new w2"] == pytest.approx(0.4272, abs=5e-5)
    assert by_kind["update"]["new b1"] == pytest.approx(0.3959, abs=5e-5)
    assert [q.kind for q in questions] == ["forward"] * 5 + ["backward"] * 8 + ["update"] * 4
    assert all(q.prompt == f"{q.quantity} = ?" for q in questions)
    # gradients come in backward's order: a node's gradient before those it feeds
    order = [q.quantity for q in questions if q.kind == "backward"]
    assert order.index("∂E/∂a2") < order.index("∂E/∂z2") < order.index("∂E/∂a1")
    assert order.index("∂E/∂a1") < order.index("∂E/∂z1") < order.index("∂E/∂w1")
    steps = [q.step for q in questions if q.kind == "backward"]
    assert steps == sorted(steps) and steps[0] > 1


def test_hint_names_the_factor_and_the_value_found_before():
    example = backprop.worked_example(fused=True)
    questions = {
        q.quantity: q for q in graph_questions(example.E, parameters=example.parameters().values())
    }
    assert questions["∂E/∂w2"].hint == (
        "∂E/∂w2 = ∂E/∂z2 · ∂z2/∂w2: you found ∂E/∂z2 = 0.09476 a step ago, and ∂z2/∂w2 = a1"
    )
    assert "∂a2/∂z2 = a2·(1 − a2)" in questions["∂E/∂z2"].hint
    assert questions["z2"].hint.startswith("z2 = w2·a1 + b2, with w2 = 0.4500")
    assert questions["a1"].hint.startswith("a1 = σ(z1)")


def test_formulas_replace_the_generated_ones():
    example = backprop.worked_example()
    formulas = {**backprop.FACTOR_FORMULAS, "E": "½(T − a2)²"}
    questions = {
        q.quantity: q
        for q in graph_questions(
            example.E, parameters=example.parameters().values(), formulas=formulas
        )
    }
    assert questions["∂E/∂a2"].hint == "∂E/∂a2 = (a2 − T) = −(T − a2), as the lecture writes it"
    assert questions["E"].hint.startswith("E = ½(T − a2)²")


def test_local_derivatives_are_asked_before_their_gradient():
    example = backprop.worked_example(fused=True)
    questions = graph_questions(
        example.E, parameters=example.parameters().values(), local_derivatives=True
    )
    quantities = [q.quantity for q in questions]
    a1, z2 = example.a1.data, example.z2.data
    local = {q.quantity: q.expected for q in questions if q.kind == "local"}
    assert local["∂z2/∂w2"] == a1
    assert local["∂a2/∂z2"] == pytest.approx(sigmoid(z2) * (1 - sigmoid(z2)), rel=1e-12)
    assert quantities.index("∂z2/∂w2") == quantities.index("∂E/∂w2") - 1
    assert "∂E/∂a2" in quantities and quantities.count("∂E/∂a2") == 1


def test_two_paths_sum_in_one_question():
    x = Value(3.0, label="w")
    y = x * x + x
    y.label = "y"
    question = next(q for q in graph_questions(y, parameters=[x]) if q.kind == "backward")
    assert question.quantity == "∂y/∂w"
    assert question.expected == 2 * 3.0 + 1
    assert question.hint == "∂y/∂w = w + w + 1"


def test_graph_untouched_and_json_ready():
    example = backprop.worked_example()
    grads = [node.grad for node in (example.w1, example.z2)]
    example.w1.grad = example.z2.grad = 0.0
    questions = graph_questions(example.E, parameters=example.parameters().values(), lr=0.4)
    assert [example.w1.grad, example.z2.grad] == [0.0, 0.0]
    assert [q.expected for q in questions if q.quantity == "∂E/∂w1"] == [grads[0]]
    data = json.loads(json.dumps([q.to_dict() for q in questions], ensure_ascii=False))
    assert data[0] == {
        "kind": "forward",
        "quantity": "z1",
        "prompt": "z1 = ?",
        "expected": example.z1.data,
        "hint": questions[0].hint,
        "step": None,
    }
    assert questions[0].check("0.415").right


def test_explicit_names_and_parameters():
    a, b = Value(2.0), Value(5.0)
    f = a * b
    names = {a: "p", b: "q", f: "f"}
    questions = graph_questions(f, names, parameters=[a, b], lr=0.1)
    assert [q.quantity for q in questions] == ["f", "∂f/∂p", "∂f/∂q", "new p", "new q"]
    assert [q.expected for q in questions] == [10.0, 5.0, 2.0, 2.0 - 0.1 * 5.0, 5.0 - 0.1 * 2.0]


def test_bad_arguments():
    example = backprop.worked_example()
    with pytest.raises(ValueError, match="graph_questions: expected lr to be a number > 0"):
        graph_questions(example.E, parameters=example.parameters().values(), lr=0.0)
    w = Value(1.0, label="w")
    twin = Value(2.0, label="w")
    product = w * twin
    # node_names tells the two apart (w, w#2); names given by the caller may not
    assert [q.quantity for q in graph_questions(product, parameters=[w, twin])][-2:] == [
        "∂w·w#2/∂w",
        "∂w·w#2/∂w#2",
    ]
    with pytest.raises(ValueError, match=r"graph_questions: .* two named 'w'"):
        graph_questions(product, {w: "w", twin: "w", product: "y"}, parameters=[w, twin])


def test_update_hint_puts_a_negative_gradient_in_parentheses():
    w = Value(0.5, label="w")
    y = w * -2.0
    y.label = "y"
    (update,) = [q for q in graph_questions(y, lr=0.1, parameters=[w]) if q.kind == "update"]
    assert update.hint == "new w = w − lr · ∂y/∂w = 0.5000 − 0.1 · (-2.0000)"
    assert update.expected == 0.5 - 0.1 * -2.0
