"""Lesson 6: the digits MLP reaches 95% test accuracy; its tables agree with independent code."""

from __future__ import annotations

import math

import pytest

pytest.importorskip("sklearn")
from sklearn.datasets import load_digits
from sklearn.metrics import confusion_matrix as sklearn_confusion_matrix

from nn.lessons import digits


@pytest.fixture(scope="module")
def data():
    return digits.load(seed=0)


@pytest.fixture(scope="module")
def trained(data):
    model, history = digits.train(data, progress=False)
    return model, history


def test_the_split_is_seeded_disjoint_and_covers_every_image_scaled_to_one(data):
    raw = load_digits()
    assert len(data.X_train) + len(data.X_test) == len(raw.data) == 1797
    assert len(data.X_test) == round(1797 * digits.TEST_FRACTION)
    every = sorted(tuple(round(v * 16) for v in x) for x in data.X_train + data.X_test)
    assert every == sorted(tuple(int(v) for v in row) for row in raw.data)
    assert all(0.0 <= v <= 1.0 for x in data.X_train for v in x)
    again, other = digits.load(seed=0), digits.load(seed=1)
    assert again.y_test == data.y_test and other.y_test != data.y_test
    with pytest.raises(ValueError, match=r"digits.load: test_fraction must be in \(0, 1\), got 1"):
        digits.load(test_fraction=1)


def test_the_network_is_64_32_10_with_he_scaled_weights():
    model = digits.network(seed=3)
    assert model.n_inputs == 64 and model.layer_sizes == [32, 10]
    bound = math.sqrt(6 / 64)
    assert all(abs(w.data) <= bound for n in model.layers[0].neurons for w in n.weights)
    assert max(abs(w.data) for n in model.layers[0].neurons for w in n.weights) > 0.9 * bound


def test_training_reaches_95_percent_on_the_test_images(data, trained):
    model, history = trained
    assert len(history.loss) == digits.EPOCHS
    assert history.loss[-1] < history.loss[0] / 5
    assert digits.accuracy(model, data.X_test, data.y_test) >= 0.95


def test_probabilities_are_the_softmax_of_the_scores(data, trained):
    model, _ = trained
    for image, probs in zip(data.X_test[:5], digits.probabilities(model, data.X_test[:5])):
        scores = [s.data for s in model(image)]
        exps = [math.exp(s - max(scores)) for s in scores]
        assert probs == pytest.approx([e / sum(exps) for e in exps], rel=1e-12)


def test_the_confusion_matrix_matches_scikit_learns(data, trained):
    model, _ = trained
    predicted = [max(range(10), key=lambda k, x=x: model(x)[k].data) for x in data.X_test]
    matrix = digits.confusion_matrix(model, data.X_test, data.y_test)
    assert matrix == sklearn_confusion_matrix(data.y_test, predicted, labels=range(10)).tolist()
    correct = sum(matrix[k][k] for k in range(10))
    assert correct / len(data.X_test) == digits.accuracy(model, data.X_test, data.y_test)


def test_mistakes_are_wrong_with_the_guess_the_largest_probability(data, trained):
    model, _ = trained
    found = digits.mistakes(model, data.X_test, data.y_test, limit=4)
    assert 0 < len(found) <= 4
    for mistake in found:
        assert mistake.predicted != mistake.label
        assert mistake.probabilities.index(max(mistake.probabilities)) == mistake.predicted
        assert mistake.image in data.X_test


def test_first_layer_weights_are_one_64_pixel_image_per_hidden_unit(trained):
    model, _ = trained
    images = digits.first_layer_weights(model)
    assert len(images) == 32 and {len(image) for image in images} == {64}
    assert images[5] == [w.data for w in model.layers[0].neurons[5].weights]


def test_gradient_norms_are_the_l2_norms_of_one_backward(data):
    model = digits.network(seed=1)
    norms = digits.gradient_norms(model, data.X_train[:20], data.y_train[:20])
    by_hand = [math.sqrt(sum(p.grad**2 for p in layer.parameters())) for layer in model.layers]
    assert norms == pytest.approx(by_hand, rel=1e-12)
    assert digits.gradient_norms(model, data.X_train[:20], data.y_train[:20]) == norms  # zeroed


def test_four_sigmoid_layers_starve_the_first_layer_and_relu_does_not(data):
    norms = digits.compare_activations(data, depths=(4,), n_images=40)
    sigmoid, relu = norms["sigmoid, 4 hidden"], norms["relu, 4 hidden"]
    assert len(sigmoid) == len(relu) == 5
    assert sigmoid[0] < sigmoid[-1] / 20  # shrinks layer by layer: sigma' <= 1/4
    assert relu[0] > relu[-1] / 3
