"""Lesson 3, the vanishing gradient: sigmoid starves the early layers; tanh and relu do not."""

import math

import pytest

from chainrule.lessons.vanishing import (
    COMPARED,
    DEPTH,
    deep_network,
    layer_gradient_norms,
    lesson_data,
    loss,
    sigmoid_derivative_product,
    training_curve,
)
from nn import MLP


def test_the_lesson_network_is_deep_and_narrow():
    model = deep_network("sigmoid")
    assert model.layer_sizes == [6] * DEPTH + [1]
    assert model.activation == "sigmoid"
    assert model.output_activation == "linear"


def test_layer_gradient_norms_are_the_norms_of_the_parameter_grads():
    norms = layer_gradient_norms("tanh", depth=3, width=2, seed=4)
    model = deep_network("tanh", depth=3, width=2, seed=4)
    loss(model, *lesson_data()).backward()
    expected = [math.sqrt(sum(p.grad**2 for p in layer.parameters())) for layer in model.layers]
    assert norms == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_sigmoid_gradients_vanish_towards_the_input(seed):
    norms = {activation: layer_gradient_norms(activation, seed=seed) for activation in COMPARED}
    sigmoid = norms["sigmoid"]
    assert len(sigmoid) == DEPTH + 1
    # Each sigmoid layer multiplies the backward signal by sigma' <= 1/4 (times weights):
    # the first layer's gradient is orders of magnitude below the last layers'.
    assert sigmoid[0] < 1e-2 * sigmoid[-2]
    assert all(early < late for early, late in zip(sigmoid[:4], sigmoid[4:]))
    for other in ("tanh", "relu"):
        assert sigmoid[0] < 1e-2 * norms[other][0]


def test_training_curves_sigmoid_early_layers_learn_slowest():
    curves = {activation: training_curve(activation, epochs=8) for activation in COMPARED}
    for curve in curves.values():
        assert len(curve.loss) == len(curve.grad_norms) == 8
        assert all(len(norms) == DEPTH + 1 for norms in curve.grad_norms)
    first_layer_speed = {a: sum(n[0] for n in c.grad_norms) for a, c in curves.items()}
    last_layer_speed = sum(n[-1] for n in curves["sigmoid"].grad_norms)
    assert first_layer_speed["sigmoid"] < 1e-3 * last_layer_speed
    assert first_layer_speed["sigmoid"] < 1e-2 * first_layer_speed["tanh"]
    assert first_layer_speed["sigmoid"] < 1e-2 * first_layer_speed["relu"]
    # The first recorded loss is the untrained network's, recomputed here independently.
    X, targets = lesson_data()
    untrained = deep_network("sigmoid")
    expected = sum((t - untrained(x).data) ** 2 for x, t in zip(X, targets)) / len(X)
    assert curves["sigmoid"].loss[0] == pytest.approx(expected, rel=1e-12)


def test_training_lowers_the_loss_of_tanh_and_relu_networks():
    for activation in ("tanh", "relu"):
        curve = training_curve(activation, epochs=15)
        assert curve.loss[-1] < 0.9 * curve.loss[0]


def test_sigmoid_derivatives_are_read_from_the_actual_network():
    model = deep_network("sigmoid", depth=4, width=3, seed=1)
    x = [0.3, -0.7]
    product = sigmoid_derivative_product(model, x)
    # Independent forward pass in plain floats: sigma'(z) = s (1 - s) at each pre-activation.
    activations, expected = x, []
    for layer in model.layers[:-1]:
        layer_derivatives, outputs = [], []
        for neuron in layer.neurons:
            z = neuron.bias.data + sum(w.data * a for w, a in zip(neuron.weights, activations))
            s = 1.0 / (1.0 + math.exp(-z))
            outputs.append(s)
            layer_derivatives.append(s * (1.0 - s))
        expected.append(layer_derivatives)
        activations = outputs
    assert len(product.per_layer) == 4
    for got, want in zip(product.per_layer, expected):
        assert got == pytest.approx(want, rel=1e-12)
    assert product.largest == [max(layer) for layer in expected]
    largest = [max(layer) for layer in expected]
    assert product.path_products == pytest.approx(
        [math.prod(largest[i:]) for i in range(4)], rel=1e-12
    )
    assert product.product == pytest.approx(math.prod(largest), rel=1e-12)
    assert product.bound == 0.25**4
    assert product.product <= product.bound


def test_a_network_without_sigmoid_is_a_clear_error():
    with pytest.raises(ValueError, match=r"sigmoid_derivative_product: MLP.*no sigmoid layer"):
        sigmoid_derivative_product(MLP(2, [3, 1], activation="relu", seed=0), [0.1, 0.2])


def test_a_bad_epoch_count_is_a_clear_error():
    with pytest.raises(
        ValueError, match=r"^training_curve: expected epochs to be an int >= 1, got 0"
    ):
        training_curve("relu", epochs=0)
