"""Neuron, Layer and MLP: values, parameters, names, seeding, clusters and bad input."""

import math
import random
import re

import pytest

from autograd import Value
from nn import MLP, Layer, Neuron


def plain_mlp(model: MLP, x: list[float], hidden, output) -> list[float]:
    """The MLP's forward pass recomputed with plain floats from its parameter values."""
    for index, layer in enumerate(model.layers):
        activate = output if index == len(model.layers) - 1 else hidden
        x = [
            activate(n.bias.data + sum(w.data * xi for w, xi in zip(n.weights, x)))
            for n in layer.neurons
        ]
    return x


def test_neuron_with_explicit_weights_computes_activation_of_w_dot_x_plus_b():
    neuron = Neuron(2, "tanh", weights=[0.5, -1.0], bias=0.25)
    out = neuron([1.5, 2.0])
    assert out.data == pytest.approx(math.tanh(0.25 + 0.5 * 1.5 - 1.0 * 2.0), abs=1e-15)
    assert [w.label for w in neuron.weights] == ["w1", "w2"]
    assert neuron.bias.label == "b"


def test_neuron_shares_given_values():
    w = Value(0.3, label="w")
    neuron = Neuron(1, "linear", weights=[w], bias=Value(0.1))
    assert neuron.weights[0] is w
    out = neuron([2.0])
    out.backward()
    assert w.grad == 2.0


def test_default_init_is_uniform_from_the_seeded_generator_and_bias_zero():
    neuron = Neuron(5, seed=7)
    reference = random.Random(7)
    assert [w.data for w in neuron.weights] == [reference.uniform(-1, 1) for _ in range(5)]
    assert neuron.bias.data == 0.0


def test_same_seed_same_parameters_and_global_random_untouched():
    random.seed(12345)
    state = random.getstate()
    first = MLP(3, [4, 4, 2], seed=11)
    second = MLP(3, [4, 4, 2], seed=11)
    other = MLP(3, [4, 4, 2], seed=12)
    Layer(3, 2, rng=random.Random(1))
    Neuron(3)  # no seed: fresh entropy, still not the global generator
    assert random.getstate() == state
    assert [p.data.hex() for p in first.parameters()] == [p.data.hex() for p in second.parameters()]
    assert [p.data for p in first.parameters()] != [p.data for p in other.parameters()]


def test_layer_and_mlp_draw_weights_in_order_from_one_generator():
    layer = Layer(2, 3, seed=5)
    reference = random.Random(5)
    expected = [[reference.uniform(-1, 1) for _ in range(2)] for _ in range(3)]
    assert [[w.data for w in n.weights] for n in layer.neurons] == expected
    model = MLP(2, [3, 1], rng=random.Random(5))
    assert [[w.data for w in n.weights] for n in model.layers[0].neurons] == expected


def test_named_parameters_are_stable_and_match_parameters():
    model = MLP(2, [3, 1], seed=0)
    names = [name for name, _ in model.named_parameters()]
    expected = [f"layers.0.neurons.{j}.{p}" for j in range(3) for p in ("w.0", "w.1", "b")] + [
        "layers.1.neurons.0.w.0",
        "layers.1.neurons.0.w.1",
        "layers.1.neurons.0.w.2",
    ]
    expected.append("layers.1.neurons.0.b")
    assert names == expected
    assert [p for _, p in model.named_parameters()] == model.parameters()
    assert len(model.parameters()) == 2 * 3 + 3 + 3 + 1
    assert len(set(map(id, model.parameters()))) == len(model.parameters())
    assert [name for name, _ in Layer(1, 2, seed=0).named_parameters()] == [
        "neurons.0.w.0",
        "neurons.0.b",
        "neurons.1.w.0",
        "neurons.1.b",
    ]


def test_zero_grad_resets_every_parameter():
    model = MLP(2, [3, 2], seed=0)
    sum(model([0.5, -1.0]), start=Value(0.0)).backward()
    assert any(p.grad != 0.0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


@pytest.mark.parametrize(
    ("hidden", "output", "hidden_fn", "output_fn"),
    [
        ("tanh", "linear", math.tanh, lambda z: z),
        ("relu", "sigmoid", lambda z: max(0.0, z), lambda z: 1 / (1 + math.exp(-z))),
        ("leaky_relu", "tanh", lambda z: z if z > 0 else 0.01 * z, math.tanh),
    ],
)
def test_mlp_forward_matches_plain_floats(hidden, output, hidden_fn, output_fn):
    model = MLP(3, [5, 4, 2], activation=hidden, output_activation=output, seed=3)
    x = [0.3, -1.2, 2.0]
    got = [v.data for v in model(x)]
    assert got == pytest.approx(plain_mlp(model, x, hidden_fn, output_fn), abs=1e-12)


def test_mlp_returns_one_value_for_one_output_and_a_list_otherwise():
    assert isinstance(MLP(2, [3, 1], seed=0)([1.0, 2.0]), Value)
    outputs = MLP(2, [3, 2], seed=0)([1.0, 2.0])
    assert isinstance(outputs, list)
    assert len(outputs) == 2


def test_softmax_output_layer_normalises_the_linear_scores():
    model = MLP(2, [3, 4], activation="tanh", output_activation="softmax", seed=2)
    x = [0.4, -0.7]
    probabilities = model(x)
    scores = plain_mlp(model, x, math.tanh, lambda z: z)
    total = sum(math.exp(s) for s in scores)
    assert [p.data for p in probabilities] == pytest.approx(
        [math.exp(s) / total for s in scores], abs=1e-12
    )
    assert sum(p.data for p in probabilities) == pytest.approx(1.0, abs=1e-12)


def fused_and_unfused_runs(activation: str, output_activation: str) -> list[tuple[list, ...]]:
    """Outputs, parameter grads and input grads of one backward, fused and op by op."""
    results = []
    for fused in (True, False):
        model = MLP(
            3,
            [4, 4, 2],
            activation=activation,
            output_activation=output_activation,
            seed=9,
            fused=fused,
        )
        xs = [Value(0.7), Value(-0.2), Value(1.9)]
        outputs = model(xs)
        (outputs[0] * 2.0 + outputs[1]).backward()
        results.append(
            (
                [o.data for o in outputs],
                [p.grad for p in model.parameters()],
                [x.grad for x in xs],
            )
        )
    return results


@pytest.mark.parametrize("activation", ["relu", "linear"])
def test_fused_neurons_with_slopes_one_or_zero_equal_op_by_op_bit_for_bit(activation):
    fused, op_by_op = fused_and_unfused_runs(activation, "linear")
    assert [[x.hex() for x in part] for part in fused] == [
        [x.hex() for x in part] for part in op_by_op
    ]


@pytest.mark.parametrize(
    ("activation", "output_activation"), [("tanh", "sigmoid"), ("leaky_relu", "tanh")]
)
def test_other_fused_neurons_agree_with_op_by_op_to_rounding(activation, output_activation):
    fused, op_by_op = fused_and_unfused_runs(activation, output_activation)
    assert fused[0] == op_by_op[0]  # values bit for bit
    # grads: act'(z) * x is one rounded product, op by op it is two
    for ours, theirs in zip(fused[1] + fused[2], op_by_op[1] + op_by_op[2]):
        assert ours == pytest.approx(theirs, rel=1e-13, abs=1e-300)


def test_clusters_group_the_nodes_each_neuron_built_on_its_last_call():
    model = MLP(2, [2, 1], activation="tanh", seed=0)
    assert model.clusters() == {}
    model([1.0, 2.0])
    output = model([0.5, -0.5])
    clusters = model.clusters()
    assert list(clusters) == ["layers.0.neurons.0", "layers.0.neurons.1", "layers.1.neurons.0"]
    ops = [[node.op for node in nodes] for nodes in clusters.values()]
    assert ops == [["tanh(w·x+b)"], ["tanh(w·x+b)"], ["w·x+b"]]  # one node per neuron
    assert clusters["layers.1.neurons.0"][-1] is output
    hidden_outputs = [nodes[-1] for name, nodes in clusters.items() if name.startswith("layers.0")]
    assert list(output.inputs[2:4]) == hidden_outputs  # w·x+b inputs: (w1, w2, x1, x2, b)


def test_unfused_clusters_hold_the_op_by_op_nodes_and_softmax_has_its_own():
    layer = Layer(2, 2, activation="softmax", seed=0, fused=False)
    layer([1.0, 2.0])
    clusters = layer.clusters()
    assert list(clusters) == ["neurons.0", "neurons.1", "softmax"]
    assert sorted(node.op for node in clusters["neurons.0"]) == ["*", "*", "+", "+"]
    assert all(
        node.op != "*" or node.inputs[0].label.startswith("w") for node in clusters["neurons.1"]
    )
    for nodes in clusters.values():  # each node once, though softmax's e^x feed two ops
        assert len({id(n) for n in nodes}) == len(nodes)
    neuron_nodes = {id(n) for name in ("neurons.0", "neurons.1") for n in clusters[name]}
    assert not neuron_nodes & {id(n) for n in clusters["softmax"]}
    assert Neuron(1, name="solo").clusters() == {}


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def test_an_mlps_clusters_are_named_by_layer():
    model = MLP(2, [2, 2], output_activation="softmax", seed=0)
    model([1.0, 2.0])
    assert list(model.clusters())[-3:] == [
        "layers.1.neurons.0",
        "layers.1.neurons.1",
        "layers.1.softmax",
    ]


def test_grad_norms_are_the_l2_norm_of_each_layers_grads():
    model = MLP(2, [3, 3, 1], activation="sigmoid", seed=4)
    x = [0.2, 0.9]
    model(x).backward()
    # Each grad by central differences on the plain-float forward pass, layer by layer.
    eps = 1e-6
    expected = []
    for layer in model.layers:
        squares = 0.0
        for p in layer.parameters():
            original = p.data
            p.data = original + eps
            up = plain_mlp(model, x, sigmoid, lambda z: z)[0]
            p.data = original - eps
            down = plain_mlp(model, x, sigmoid, lambda z: z)[0]
            p.data = original
            squares += ((up - down) / (2 * eps)) ** 2
        expected.append(math.sqrt(squares))
    assert model.grad_norms() == pytest.approx(expected, rel=1e-6)
    assert all(norm > 0.0 for norm in expected)


def test_config_rebuilds_the_same_architecture():
    model = MLP(3, [5, 2], activation="relu", output_activation="softmax", seed=1, fused=False)
    assert model.config == {
        "n_inputs": 3,
        "layer_sizes": [5, 2],
        "activation": "relu",
        "output_activation": "softmax",
    }  # fused is how it is built, not part of the architecture
    rebuilt = MLP(**model.config, seed=1)
    assert [p.data for p in rebuilt.parameters()] == [p.data for p in model.parameters()]
    assert "MLP(3, [5, 2]" in repr(model)


@pytest.mark.parametrize(
    "call",
    [
        lambda: Neuron(2, seed=0)([1.0, 2.0, 3.0]),
        lambda: Neuron(2, seed=0, fused=False)([1.0]),
        lambda: Layer(2, 3, seed=0)([1.0]),
        lambda: MLP(2, [3, 1], seed=0)([1.0, 2.0, 3.0]),
    ],
)
def test_wrong_number_of_inputs_is_a_clear_error(call):
    with pytest.raises(ValueError, match=r"expected \d inputs, got \d"):
        call()


def test_wrong_input_count_names_the_module():
    with pytest.raises(ValueError, match=r"^MLP: expected 2 inputs, got 3$"):
        MLP(2, [1], seed=0)([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"^neuron: expected 2 inputs, got 1$"):
        Neuron(2, seed=0)([1.0])


VALID_NAMES = "'sigmoid', 'tanh', 'relu', 'leaky_relu', 'softmax', 'step', 'linear'"


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (
            lambda: Neuron(2, "swish"),
            ValueError,
            f"neuron: expected activation to be one of {VALID_NAMES}, got 'swish'",
        ),
        (
            lambda: MLP(2, [1], output_activation="Relu"),
            ValueError,
            "MLP: expected activation to be one of",
        ),
        (
            lambda: Layer(2, 1, activation=None),
            TypeError,
            "Layer: expected activation to be a str, got None",
        ),
        (lambda: Neuron(2, "softmax"), ValueError, "neuron: softmax normalises across a layer"),
        (
            lambda: MLP(2, [3, 1], activation="softmax"),
            ValueError,
            "MLP: softmax is for the output layer",
        ),
        (
            lambda: Neuron(0),
            ValueError,
            "neuron: expected n_inputs to be an int in [1, 999999], got 0",
        ),
        (
            lambda: Neuron(True),
            TypeError,
            "neuron: expected n_inputs to be an int, got True (bool)",
        ),
        (lambda: Layer(2, 0), ValueError, "Layer: expected n_outputs to be an int >= 1, got 0"),
        (lambda: MLP(2, []), ValueError, "MLP: expected layer_sizes to list at least one layer"),
        (
            lambda: MLP(2, [3, 2.5]),
            TypeError,
            "MLP: expected each layer size to be an int, got 2.5 (float)",
        ),
        (lambda: MLP(2, 3), TypeError, "MLP: expected layer_sizes to be a list, got 3 (int)"),
        (
            lambda: MLP(2, None),
            TypeError,
            "MLP: expected layer_sizes to be a list, got None (NoneType)",
        ),
        (lambda: MLP(2, "16"), TypeError, "MLP: expected layer_sizes to be a list, got '16' (str)"),
        (
            lambda: Neuron(2, weights=[1.0]),
            ValueError,
            "neuron: expected 2 weights, one per input, got 1",
        ),
        (
            lambda: Neuron(2, weights=5),
            TypeError,
            "neuron: expected weights to be a list, got 5 (int)",
        ),
        (
            lambda: Neuron(1, weights=[math.nan]),
            ValueError,
            "neuron: expected w1 to be a finite number, got nan",
        ),
        (
            lambda: Neuron(2, weights=[10**400, 1]),
            ValueError,
            "neuron: expected w1 to be a finite number, got 1000",
        ),
        (
            lambda: Neuron(1, weights=["0.5"]),
            TypeError,
            "neuron: expected w1 to be a number, got '0.5' (str)",
        ),
        (
            lambda: Neuron(1, weights=[1.0], bias=True),
            TypeError,
            "neuron: expected b to be a number, got True (bool)",
        ),
        (
            lambda: Neuron(1, seed=1, rng=random.Random(1)),
            ValueError,
            "neuron: give seed= or rng=, not both",
        ),
        (
            lambda: MLP(2, [1], seed=0)(5),
            TypeError,
            "MLP: expected xs to be a list of 2 inputs, got 5 (int)",
        ),
        (
            lambda: Layer(2, 1, seed=0)(None),
            TypeError,
            "Layer: expected xs to be a list of 2 inputs, got None",
        ),
        (
            lambda: Neuron(2, seed=0)(1.5),
            TypeError,
            "neuron: expected xs to be a list of 2 inputs, got 1.5",
        ),
    ],
)
def test_bad_construction_or_call_is_a_clear_error(make, error, message):
    with pytest.raises(error, match="^" + re.escape(message)):
        make()


def test_a_softmax_layer_normalises_its_linear_scores():
    layer = Layer(2, 3, activation="softmax", seed=8)
    x = [0.1, 0.2]
    scores = [n.bias.data + sum(w.data * xi for w, xi in zip(n.weights, x)) for n in layer.neurons]
    total = sum(math.exp(s) for s in scores)
    assert [p.data for p in layer(x)] == pytest.approx(
        [math.exp(s) / total for s in scores], rel=1e-14
    )
    assert list(layer.clusters()) == ["neurons.0", "neurons.1", "neurons.2", "softmax"]


@pytest.mark.parametrize("fused", [True, False])
def test_map_gives_the_outputs_of_one_call_per_sample(fused):
    model = MLP(2, [3, 2], activation="relu", output_activation="softmax", seed=3, fused=fused)
    batch = [[0.5, -1.0], [2.0, 0.25], [-0.3, 0.0]]
    mapped = model.map(batch)
    for xs, outputs in zip(batch, mapped):
        assert [o.data for o in outputs] == [o.data for o in model(xs)]
    single = MLP(2, [3, 1], seed=3, fused=fused)
    assert [o.data for o in single.map(batch)] == [single(xs).data for xs in batch]
    assert model.layers[0].map([]) == [] and model.map([]) == []


def test_map_checks_every_sample_and_remembers_the_last_for_drawings():
    model = MLP(2, [2, 1], activation="tanh", seed=0)
    with pytest.raises(ValueError, match=r"^MLP: expected 2 inputs, got 1$"):
        model.map([[1.0, 2.0], [1.0]])
    with pytest.raises(ValueError, match=r"^layers\.0: expected 2 inputs, got 3$"):
        model.layers[0].map([[1.0, 2.0, 3.0]])
    outputs = model.map([[1.0, 2.0], [0.5, -0.5]])
    assert model.clusters()["layers.1.neurons.0"] == [outputs[-1]]


def test_a_layer_of_given_weights_and_biases_and_an_mlp_of_such_layers():
    hidden = Layer(2, 2, "tanh", weights=[[0.5, -1.0], [2.0, 0.25]], biases=[0.1, -0.3], number=1)
    output = Layer(2, 1, "sigmoid", weights=[[1.5, -0.5]], number=2)
    model = MLP.from_layers([hidden, output])
    x = [0.3, -0.7]
    h = [math.tanh(0.5 * 0.3 + 1.0 * 0.7 + 0.1), math.tanh(2.0 * 0.3 - 0.25 * 0.7 - 0.3)]
    expected = 1 / (1 + math.exp(-(1.5 * h[0] - 0.5 * h[1])))  # bias left out: 0.0
    assert model(x).data == pytest.approx(expected, rel=1e-14)
    assert [p.label for p in model.parameters()][:3] == ["w1[1,1]", "w1[1,2]", "b1[1]"]
    assert (model.activation, model.output_activation, model.layer_sizes) == (
        "tanh",
        "sigmoid",
        [2, 1],
    )
    with pytest.raises(
        ValueError, match=r"^Layer: expected 2 rows of weights, one per neuron, got 1$"
    ):
        Layer(2, 2, weights=[[1.0, 2.0]])
    with pytest.raises(ValueError, match=r"^Layer: expected 2 biases, one per neuron, got 3$"):
        Layer(2, 2, biases=[0.0, 0.0, 0.0])
    with pytest.raises(ValueError, match=r"^MLP.from_layers: layer 2 takes 3 inputs, but layer 1"):
        MLP.from_layers([hidden, Layer(3, 1)])
    with pytest.raises(TypeError, match=r"^MLP.from_layers: expected each layer to be a Layer"):
        MLP.from_layers([hidden, "relu"])
    mixed = MLP.from_layers([Layer(1, 1, "tanh"), Layer(1, 1, "relu"), Layer(1, 1)])
    with pytest.raises(ValueError, match=r"^MLP.config: its hidden layers use relu, tanh"):
        _ = mixed.config


@pytest.mark.parametrize("fused", [True, False])
def test_sums_and_outputs_name_each_z_and_give_the_numbers_of_a_call(fused):
    model = MLP(2, [3, 2], activation="sigmoid", output_activation="softmax", seed=4, fused=fused)
    x = [0.5, -1.5]
    record = model.sums_and_outputs(x)
    assert [o.data for o in record[-1][1]] == pytest.approx([o.data for o in model(x)], rel=1e-15)
    for layer, (zs, _), inputs in zip(model.layers, record, [x, record[0][1]]):
        for neuron, z in zip(layer.neurons, zs):
            given = [v.data if isinstance(v, Value) else v for v in inputs]
            plain = neuron.bias.data + sum(w.data * v for w, v in zip(neuron.weights, given))
            assert z.data == pytest.approx(plain, rel=1e-15)
    assert [a.data for a in record[0][1]] == [1 / (1 + math.exp(-z.data)) for z in record[0][0]]
