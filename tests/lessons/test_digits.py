"""Lesson 6: the 8x8 digits, an MLP 64-32-10 with softmax and cross-entropy, >= 95% on test."""

import math
from collections import Counter

import pytest
from sklearn.datasets import load_digits

from chainrule.lessons import digits
from nn import MLP

# pytest-xdist: the network is trained once, on one worker.
pytestmark = pytest.mark.xdist_group("digits")


@pytest.fixture(scope="module")
def split():
    return digits.load()


@pytest.fixture(scope="module")
def run(split):
    return digits.train(split, progress=False)


def rows(X, y):
    return Counter((tuple(x), label) for x, label in zip(X, y))


def test_the_split_is_every_image_once_scaled_to_minus_one_one(split):
    data = load_digits()
    scaled = [[pixel / 8 - 1 for pixel in row] for row in data.data.tolist()]
    assert len(split.X_test) == len(split.y_test) == digits.TEST_SIZE
    assert len(split.X_train) == len(split.y_train) == 1797 - digits.TEST_SIZE
    everything = rows(split.X_train, split.y_train) + rows(split.X_test, split.y_test)
    assert everything == rows(scaled, data.target.tolist())
    assert min(min(x) for x in split.X_train) == -1.0
    assert max(max(x) for x in split.X_train) == 1.0


def test_the_split_is_the_same_for_a_seed_and_another_for_another(split):
    assert digits.load(seed=0) == split
    other = digits.load(seed=1)
    assert other != split
    assert rows(other.X_test, other.y_test) != rows(split.X_test, split.y_test)
    assert sum(rows(other.X_train, other.y_train).values()) == len(split.X_train)


def test_load_rejects_a_test_size_that_leaves_no_training_image():
    with pytest.raises(ValueError, match=r"digits\.load: expected test_size to be an int"):
        digits.load(test_size=1797)
    with pytest.raises(TypeError, match=r"digits\.load: expected test_size to be an int"):
        digits.load(test_size=0.2)


def test_as_image_reads_the_pixels_row_by_row():
    image = digits.as_image(list(range(64)))
    assert image[0] == list(range(8))
    assert image[7][0] == 56
    assert [image[r][c] for r in range(8) for c in range(8)] == list(range(64))
    with pytest.raises(ValueError, match="as_image: expected 64 pixels, got 63"):
        digits.as_image([0.0] * 63)


def test_the_network_is_nns_mlp_with_weights_scaled_by_one_over_root_fan_in():
    model = digits.network("relu", seed=3)
    plain = MLP(64, [32, 10], activation="relu", seed=3)
    assert model.layer_sizes == [32, 10]
    for layer, plain_layer, fan_in in zip(model.layers, plain.layers, (64, 32)):
        for p, q in zip(layer.parameters(), plain_layer.parameters()):
            assert p.data == q.data * (1 / math.sqrt(fan_in))
        assert max(abs(p.data) for p in layer.parameters()) <= 1 / math.sqrt(fan_in)


def forward_by_hand(model, x):
    """Plain floats: h = relu(W1 x + b1), l = W2 h + b2."""
    hidden, output = ([(n.weights, n.bias) for n in layer.neurons] for layer in model.layers)
    z = [sum(w.data * xi for w, xi in zip(ws, x)) + b.data for ws, b in hidden]
    h = [max(zi, 0.0) for zi in z]
    logits = [sum(w.data * hi for w, hi in zip(ws, h)) + b.data for ws, b in output]
    return z, h, logits


def test_probabilities_are_the_softmax_of_the_scores_by_hand(split):
    model = digits.network("relu", seed=0)
    x = split.X_test[0]
    _, _, logits = forward_by_hand(model, x)
    exps = [math.exp(v) for v in logits]
    expected = [e / sum(exps) for e in exps]
    assert digits.probabilities(model, x) == pytest.approx(expected, rel=1e-12)
    assert digits.predict(model, x) == max(range(10), key=lambda k: logits[k])


def test_gradient_norms_are_the_cross_entropy_gradient_by_hand(split):
    """dL/dl_k = p_k - [k == y]; back through W2 and relu' to W1."""
    model = digits.network("relu", seed=0)
    x, label = split.X_train[5], split.y_train[5]
    z, h, logits = forward_by_hand(model, x)
    exps = [math.exp(v) for v in logits]
    d_logits = [e / sum(exps) - (k == label) for k, e in enumerate(exps)]
    output = model.layers[1].neurons
    d_h = [sum(d_logits[k] * output[k].weights[i].data for k in range(10)) for i in range(32)]
    d_z = [d if zi > 0 else 0.0 for d, zi in zip(d_h, z)]
    first = math.sqrt(sum((dz * xi) ** 2 for dz in d_z for xi in x) + sum(d * d for d in d_z))
    second = math.sqrt(
        sum((dl * hi) ** 2 for dl in d_logits for hi in h) + sum(d * d for d in d_logits)
    )

    assert digits.gradient_norms(model, [x], [label]) == pytest.approx([first, second], rel=1e-12)
    assert all(p.grad == 0.0 for p in model.parameters())


def test_the_trained_network_reaches_95_percent_on_the_test_set(run, split):
    assert run.activation == "relu"
    assert len(run.history.loss) == digits.EPOCHS
    assert run.history.loss[-1] < run.history.loss[0] / 5
    assert run.test_accuracy == digits.accuracy(run.model, split.X_test, split.y_test)
    assert run.test_accuracy >= 0.95
    assert all(after < before for after, before in zip(run.norms_after, run.norms_before))


def test_the_confusion_matrix_counts_every_test_image_once(run, split):
    counts = digits.confusion_matrix(run.model, split.X_test, split.y_test)
    assert sum(map(sum, counts)) == len(split.y_test)
    assert [sum(row) for row in counts] == [split.y_test.count(d) for d in range(10)]
    trace = sum(counts[d][d] for d in range(10))
    assert trace / len(split.y_test) == run.test_accuracy


def test_mistakes_are_the_off_diagonal_most_confident_first(run, split):
    counts = digits.confusion_matrix(run.model, split.X_test, split.y_test)
    found = digits.mistakes(run.model, split.X_test, split.y_test)
    assert len(found) == sum(map(sum, counts)) - sum(counts[d][d] for d in range(10)) > 0
    for mistake in found:
        assert mistake.label == split.y_test[mistake.index] != mistake.predicted
        assert mistake.predicted == digits.predict(run.model, split.X_test[mistake.index])
        assert math.fsum(mistake.probabilities) == pytest.approx(1.0, abs=1e-12)
    confidence = [m.probabilities[m.predicted] for m in found]
    assert confidence == sorted(confidence, reverse=True)


def test_first_layer_weights_are_each_hidden_units_64_weights_as_an_image(run):
    images = digits.first_layer_weights(run.model)
    assert len(images) == 32
    unit = run.model.layers[0].neurons[4]
    assert [v for row in images[4] for v in row] == [w.data for w in unit.weights]


def test_sigmoid_hands_the_first_layer_less_gradient_than_relu(split):
    """sigma' <= 1/4 scales every path into layer 1; relu' is 1 where a unit is on."""
    X, y = split.X_train[: digits.PROBE_SIZE], split.y_train[: digits.PROBE_SIZE]
    sigmoid = digits.gradient_norms(digits.network("sigmoid"), X, y)
    relu = digits.gradient_norms(digits.network("relu"), X, y)
    assert sigmoid[0] / sigmoid[1] < relu[0] / relu[1] / 2


def test_scores_need_a_model_with_ten_outputs(split):
    with pytest.raises(ValueError, match="digits: expected a model with 10 outputs, got MLP"):
        digits.scores(MLP(64, [1]), split.X_test[0])
