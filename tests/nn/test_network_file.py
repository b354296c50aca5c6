"""Network files: checked field by field, named by place, numbers against plain floats."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import topological_order
from chainrule.network import (
    NetworkFileError,
    build_network,
    lesson_network,
    load_network,
    parse_network,
    train,
)
from chainrule.questions import graph_questions
from nn import MLP
from tests.worked_example import NET_222, by_hand_222


@pytest.mark.parametrize("fused", [False, True])
def test_222_network_matches_plain_floats(fused):
    network = build_network(parse_network(NET_222), fused=fused)
    forward, grads = by_hand_222(NET_222)
    assert network.forward() == pytest.approx(forward, rel=1e-12)
    got = network.gradients()["layers"]
    for layer, expected in zip(got, grads):
        for row, expected_row in zip(layer["weights"], expected["weights"]):
            assert row == pytest.approx(expected_row, rel=1e-12, abs=1e-15)
        assert layer["biases"] == pytest.approx(expected["biases"], rel=1e-12)


def test_names_by_place_are_unique_and_read_like_the_lesson_in_a_chain():
    network = build_network(parse_network(NET_222))
    labels = [n.label for n in topological_order(network.E) if n.label]
    assert len(labels) == len(set(labels))
    assert {"x1", "x2", "T1", "T2", "w2[1,2]", "b2[2]", "z1[2]", "a2[1]", "E"} <= set(labels)
    chain = build_network(lesson_network(0.1, 0.15, 0.4, 0.45, 0.65, 0.25, "sigmoid"))
    names = {n.label for n in topological_order(chain.E) if n.label}
    assert names == {"x", "w1", "b1", "z1", "a1", "w2", "b2", "z2", "a2", "T", "E"}


def test_lesson_network_is_the_worked_example():
    # the course's numbers: E, and the parameters after one update with lr = 0.4
    chain = build_network(lesson_network(0.1, 0.15, 0.4, 0.45, 0.65, 0.25, "sigmoid"))
    updated = chain.updated(0.4).to_dict()["layers"]
    assert chain.E.data == pytest.approx(0.5 * (0.25 - 0.7152516802527555) ** 2, rel=1e-12)
    assert [round(layer["weights"][0][0], 4) for layer in updated] == [0.1496, 0.4272]
    assert [round(layer["biases"][0], 4) for layer in updated] == [0.3959, 0.6121]
    assert chain.formulas()["∂a2/∂z2"] == "a2·(1 − a2)"
    assert chain.formulas()["z2"] == "w2·a1 + b2"


def test_file_round_trip_and_training_chains(tmp_path):
    path = tmp_path / "net.json"
    path.write_text(json.dumps(NET_222), encoding="utf-8")
    spec = load_network(path)
    assert spec.to_dict() == NET_222
    history, after_two = train(spec, 2, 0.5)
    once = build_network(build_network(spec).updated(0.5))
    twice = build_network(once.updated(0.5))
    assert history == [build_network(spec).E.data, once.E.data, twice.E.data]
    assert after_two.E.data == twice.E.data < once.E.data < history[0]


def test_quiz_of_a_network_asks_every_parameter():
    network = build_network(parse_network(NET_222))
    questions = graph_questions(
        network.E, lr=0.5, formulas=network.formulas(), parameters=network.parameters()
    )
    updates = [q.quantity for q in questions if q.kind == "update"]
    assert sorted(updates) == sorted(f"new {p.label}" for p in network.parameters())
    hint = next(q.hint for q in questions if q.quantity == "∂E/∂a1[1]")
    # a1[1] feeds both output neurons: two terms
    assert hint.startswith("∂E/∂a1[1] = ∂E/∂z2[1] · ∂z2[1]/∂a1[1] + ∂E/∂z2[2] · ∂z2[2]/∂a1[1]")


def test_mlp_parameters_are_named_by_place():
    model = MLP(2, [3, 1], seed=0)
    labels = [p.label for p in model.parameters()]
    assert len(labels) == len(set(labels)) == 13
    assert labels[:3] == ["w1[1,1]", "w1[1,2]", "b1[1]"]
    assert labels[-4:] == ["w2[1,1]", "w2[1,2]", "w2[1,3]", "b2[1]"]
    # the questions of its parameters, as given, are asked by these names
    out = model([1.0, -1.0])
    out.label = "y"
    questions = graph_questions(out, lr=0.1, parameters=model.parameters())
    updates = sorted(q.quantity for q in questions if q.kind == "update")
    assert updates == sorted(f"new {label}" for label in labels)


def bad(data, **changes):
    return {**data, **changes}


def layer0(**changes):
    return [{**NET_222["layers"][0], **changes}, NET_222["layers"][1]]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([1, 2], "expected the network file to be a JSON object {...}, got [1, 2]"),
        ({"inputs": [1.0]}, "the network file has no 'layers' field"),
        (bad(NET_222, extra=1), "the network file has an unknown field 'extra'"),
        (bad(NET_222, inputs=[]), "expected inputs to be a non-empty list, got []"),
        (bad(NET_222, inputs=[1.0, "a"]), 'expected inputs[1] to be a number, got "a"'),
        (bad(NET_222, inputs=[1.0, True]), "expected inputs[1] to be a number, got true"),
        (bad(NET_222, lr=0), "expected lr to be a number > 0, got 0.0"),
        (bad(NET_222, lr="fast"), 'expected lr to be a number, got "fast"'),
        (bad(NET_222, targets=[1.0]), "expected targets to have 2 numbers"),
        (
            bad(NET_222, layers=layer0(weights=[[0.1], [0.4, 0.3]])),
            "expected layers[0].weights[0] to have 2 numbers (one per input of the layer), "
            "got 1: [0.1]",
        ),
        (bad(NET_222, layers=layer0(biases=[0.0])), "expected layers[0].biases to have 2"),
        (
            bad(NET_222, layers=layer0(activation="softmax")),
            "expected layers[0].activation to be one of sigmoid",
        ),
        (bad(NET_222, layers=layer0(weights=5)), "expected layers[0].weights to be a non-empty"),
        (bad(NET_222, layers=[{"weights": [[1.0, 1.0]]}]), "layers[0] has no 'biases' field"),
        (bad(NET_222, inputs=[1e308 * 10, 1.0]), "expected inputs[0] to be a finite number"),
    ],
)
def test_bad_network_data_names_the_field(data, message):
    with pytest.raises(NetworkFileError) as raised:
        parse_network(data)
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"inputs": [1.0,', "net.json: not valid JSON: Expecting value: line 1 column 17"),
        (
            '{"inputs": [NaN], "layers": [], "targets": []}',
            r"expected inputs\[0\] to be a finite number, got NaN",
        ),
    ],
)
def test_bad_network_file(tmp_path, text, message):
    path = tmp_path / "net.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(NetworkFileError, match=message):
        load_network(path)
    with pytest.raises(NetworkFileError, match="cannot read network file"):
        load_network(tmp_path / "missing.json")


finite = st.floats(-2.0, 2.0, allow_nan=False)


@st.composite
def networks(draw):
    """Small random networks: 1-3 inputs, 1-2 layers of 1-3 sigmoid or tanh neurons."""
    width = draw(st.integers(1, 3))
    data = {"inputs": draw(st.lists(finite, min_size=width, max_size=width)), "layers": []}
    for _ in range(draw(st.integers(1, 2))):
        neurons = draw(st.integers(1, 3))
        row = st.lists(finite, min_size=width, max_size=width)
        data["layers"].append(
            {
                "weights": draw(st.lists(row, min_size=neurons, max_size=neurons)),
                "biases": draw(st.lists(finite, min_size=neurons, max_size=neurons)),
                "activation": draw(st.sampled_from(["sigmoid", "tanh"])),
            }
        )
        width = neurons
    data["targets"] = draw(st.lists(finite, min_size=width, max_size=width))
    return data


@settings(max_examples=40, deadline=None)
@given(networks())
def test_quiz_gradients_are_the_graphs_and_central_differences(data):
    network = build_network(parse_network(data))
    questions = {
        q.quantity: q.expected for q in graph_questions(network.E, parameters=network.parameters())
    }
    step = 1e-6
    for layer, rows in enumerate(data["layers"]):
        for j, row in enumerate(rows["weights"]):
            for i in range(len(row)):
                weight = network.weights[layer][j][i]
                assert questions[f"∂E/∂{weight.label}"] == weight.grad

                def error_with(delta, layer=layer, j=j, i=i):
                    changed = json.loads(json.dumps(data))
                    changed["layers"][layer]["weights"][j][i] += delta
                    return build_network(parse_network(changed)).E.data

                estimate = (error_with(step) - error_with(-step)) / (2 * step)
                assert weight.grad == pytest.approx(estimate, rel=1e-4, abs=1e-7)
