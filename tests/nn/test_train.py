"""fit(): learning two moons, History, accuracy rules, determinism, the step warning, errors."""

import math
import random
import re
import warnings

import numpy
import pytest

from autograd import Value
from nn import MLP, SGD, Neuron, StepActivationWarning, fit, line_data, make_moons, mse
from nn.losses import Labels
from nn.train import count_correct


def sign_accuracy(model, X, ys) -> float:
    return sum((model(x).data > 0) == (y > 0) for x, y in zip(X, ys)) / len(ys)


def test_learns_two_moons():
    X, labels = make_moons(100, noise=0.1, seed=0)
    ys = [2 * label - 1 for label in labels]
    model = MLP(2, [8, 8, 1], activation="relu", seed=0)
    history = fit(model, X, ys, loss="max_margin", lr=0.2, epochs=20, batch_size=10, progress=False)
    assert sign_accuracy(model, X, ys) >= 0.97
    assert len(history.loss) == len(history.accuracy) == 20
    assert history.loss[-1] < history.loss[0] / 3


def test_same_seed_same_training_and_global_random_untouched():
    X, y = make_moons(40, noise=0.2, seed=1)
    random.seed(7)
    state = random.getstate()
    runs = []
    for _ in range(2):
        model = MLP(2, [4, 1], activation="tanh", output_activation="sigmoid", seed=3)
        history = fit(model, X, y, lr=0.5, epochs=3, batch_size=8, seed=5, progress=False)
        runs.append(([p.data.hex() for p in model.parameters()], history))
    assert runs[0] == runs[1]
    assert random.getstate() == state
    model = MLP(2, [4, 1], activation="tanh", output_activation="sigmoid", seed=3)
    fit(model, X, y, lr=0.5, epochs=3, batch_size=8, seed=6, progress=False)
    assert [p.data.hex() for p in model.parameters()] != runs[0][0]  # another shuffle


@pytest.mark.parametrize("activation", ["tanh", "relu"])  # relu: fit's walk skips what is off
def test_one_full_batch_epoch_is_one_sgd_step_on_the_mean_loss(activation):
    X, y = [[0.5, -1.0], [1.5, 0.25], [-0.3, 0.8]], [1.0, -0.5, 0.0]
    model = MLP(2, [3, 1], activation, seed=2)
    twin = MLP(2, [3, 1], activation, seed=2)
    history = fit(model, X, y, loss="mse", lr=0.3, epochs=1, progress=False)
    loss = sum((mse(twin(x), t) for x, t in zip(X, y)), start=Value(0.0)) * (1 / 3)
    loss.backward()
    SGD(twin.parameters(), lr=0.3).step()
    assert history.loss == [pytest.approx(loss.data, abs=1e-15)]
    assert history.accuracy == []  # regression targets: no accuracy
    assert [p.data for p in model.parameters()] == pytest.approx(
        [p.data for p in twin.parameters()], abs=1e-15
    )


def test_fits_a_line_by_regression():
    xs, zs = line_data(n=5, slope=2.0)
    neuron = Neuron(1, "linear", weights=[0.0], bias=0.0)
    history = fit(neuron, [[x] for x in xs], zs, lr=0.05, epochs=300, progress=False)
    assert neuron.weights[0].data == pytest.approx(2.0, abs=0.05)
    assert history.loss[-1] < 1e-3


def first_epoch_accuracy(model, X, y, **kwargs) -> float:
    return fit(model, X, y, epochs=1, progress=False, **kwargs).accuracy[0]


def test_accuracy_rules_are_measured_before_the_update():
    X, labels = make_moons(30, noise=0.2, seed=4)
    signs = [2 * label - 1 for label in labels]

    model = MLP(2, [4, 1], seed=1)
    expected = sign_accuracy(model, X, signs)
    assert first_epoch_accuracy(model, X, signs, loss="max_margin") == expected

    model = MLP(2, [4, 1], output_activation="sigmoid", seed=1)
    expected = sum((model(x).data >= 0.5) == (t == 1) for x, t in zip(X, labels)) / len(X)
    assert first_epoch_accuracy(model, X, labels) == expected

    model = MLP(2, [4, 2], seed=1)
    argmax = [max((0, 1), key=lambda j, x=x: model(x)[j].data) for x in X]
    expected = sum(a == t for a, t in zip(argmax, labels)) / len(X)
    assert first_epoch_accuracy(model, X, labels, loss="cross_entropy") == expected
    assert 0.0 < expected < 1.0  # the rules are told apart by an untrained model


def test_cross_entropy_training_improves_accuracy():
    X, labels = make_moons(60, noise=0.1, seed=2)
    model = MLP(2, [8, 2], activation="tanh", seed=0)
    history = fit(model, X, labels, loss="cross_entropy", lr=0.5, epochs=30, progress=False)
    assert history.accuracy[-1] >= 0.85
    assert history.loss[-1] < history.loss[0]


def test_a_callable_loss_and_a_given_optimizer():
    X, y = [[1.0], [2.0]], [3.0, 5.0]
    neuron = Neuron(1, "linear", weights=[0.0], bias=0.0)
    optimizer = SGD(neuron.parameters(), lr=0.05, momentum=0.5)
    calls = []

    def loss(outputs, targets):
        calls.append(len(outputs))
        return sum(((o - t) ** 2 for o, t in zip(outputs, targets)), start=Value(0.0))

    history = fit(neuron, X, y, loss=loss, optimizer=optimizer, epochs=50, progress=False)
    assert calls == [2] * 50
    assert history.loss[-1] < history.loss[0]


def test_step_activation_warns_once_and_cannot_learn():
    X, labels = make_moons(20, seed=0)
    model = MLP(2, [3, 1], activation="step", output_activation="sigmoid", seed=0)
    hidden_before = [p.data for p in model.layers[0].parameters()]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit(model, X, labels, lr=0.5, epochs=3, progress=False)
    assert [w.category for w in caught] == [StepActivationWarning]
    assert issubclass(StepActivationWarning, UserWarning)
    assert "cannot learn" in str(caught[0].message)
    assert [p.data for p in model.layers[0].parameters()] == hidden_before


def test_progress_bar_on_stderr_only_when_asked(capsys):
    X, y = [[1.0], [2.0]], [2.0, 4.0]
    fit(Neuron(1, "linear", seed=0), X, y, epochs=2, progress=False)
    assert capsys.readouterr() == ("", "")
    fit(Neuron(1, "linear", seed=0), X, y, epochs=2, progress=True)
    captured = capsys.readouterr()
    assert "fit" in captured.err
    assert "loss=" in captured.err


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (
            {"loss": "hinge"},
            ValueError,
            "fit: expected loss to be one of 'mse', 'cross_entropy', 'max_margin', got 'hinge'",
        ),
        ({"loss": 5}, TypeError, "fit: expected loss to be a str, got 5 (int)"),
        ({"epochs": 0}, ValueError, "fit: expected epochs to be an int >= 1, got 0"),
        ({"epochs": 2.5}, TypeError, "fit: expected epochs to be an int, got 2.5 (float)"),
        ({"batch_size": 0}, ValueError, "fit: expected batch_size to be an int >= 1, got 0"),
        ({"lr": -1.0}, ValueError, "fit: expected lr to be a number > 0.0, got -1.0"),
        ({"lr": math.nan}, ValueError, "fit: expected lr to be a finite number, got nan"),
        ({"lr": "0.1"}, TypeError, "fit: expected lr to be a number, got '0.1' (str)"),
    ],
)
def test_bad_settings_are_clear_errors(kwargs, error, message):
    with pytest.raises(error, match="^" + re.escape(message)):
        fit(Neuron(1, seed=0), [[1.0]], [1.0], progress=False, **kwargs)


@pytest.mark.parametrize(
    ("X", "y", "error", "message"),
    [
        (
            [[1.0], [2.0]],
            [1.0],
            ValueError,
            "fit: expected as many targets y as inputs X (at least one), "
            "got 2 inputs and 1 targets",
        ),
        ([], [], ValueError, "fit: expected as many targets y as inputs X"),
        (5, [1.0], TypeError, "fit: expected X to be a list, got 5 (int)"),
        ([[1.0]], None, TypeError, "fit: expected y to be a list, got None (NoneType)"),
        ([[1.0, 2.0]], [1.0], ValueError, "neuron: expected 1 inputs, got 2"),
        ([5.0], [1.0], TypeError, "neuron: expected xs to be a list of 1 inputs, got 5.0"),
    ],
)
def test_bad_data_are_clear_errors(X, y, error, message):
    with pytest.raises(error, match="^" + re.escape(message)):
        fit(Neuron(1, seed=0), X, y, progress=False)


def test_cross_entropy_refuses_a_softmax_model():
    softmax_model = MLP(2, [2], output_activation="softmax", seed=0)
    message = (
        "fit: cross_entropy applies its own stable softmax and needs raw scores; "
        "use output_activation='linear' instead of 'softmax'"
    )
    with pytest.raises(ValueError, match="^" + re.escape(message) + "$"):
        fit(softmax_model, [[1.0, 2.0]], [0], loss="cross_entropy", progress=False)


def test_generators_and_numpy_arrays_train_like_lists():
    X, labels = [[0.5, -1.0], [1.5, 0.25], [-0.3, 0.8]], [1, -1, 1]
    runs = []
    for data in (
        (X, labels),
        ((x for x in X), (t for t in labels)),
        (numpy.array(X), numpy.array(labels)),
    ):
        model = MLP(2, [3, 1], seed=2)
        history = fit(model, *data, loss="max_margin", epochs=2, progress=False)
        runs.append((history, [p.data for p in model.parameters()]))
    assert runs[0] == runs[1] == runs[2]
    assert all(type(a) is float for a in runs[2][0].accuracy)  # numpy labels: plain floats


@pytest.mark.parametrize(
    ("labels", "loss", "expected"),
    [
        ([-1, -1, 1, 1], "mse", [0.5]),  # ±1: right when the sign agrees (-0.2, 0.7)
        ([-1, -1, 1, 1], lambda outputs, targets: mse(outputs, targets), [0.5]),
        ([-1, -1, 1, 1], "max_margin", [0.5]),
        ([0, 0, 1, 1], "mse", [0.75]),  # 0/1: right when (output >= 0.5) is (label == 1)
        ([-1.0, -1.0, 1.0, 1.0], "mse", []),  # float targets are regression: no accuracy
        ([1, 1, 1, 1], "mse", [0.25]),  # only 1s: class labels (0.7 >= 0.5), not signs
        ([-1, -1, -1, -1], "mse", [0.5]),  # only -1s: signs (-0.2 and -0.9 are negative)
        ([-2, 3, -2, 3], "mse", []),  # ints of no known kind: no accuracy
    ],
)
def test_the_labels_decide_how_accuracy_is_counted_whatever_the_loss(labels, loss, expected):
    # One linear neuron with output = x: the scores are the inputs themselves.
    neuron = Neuron(1, "linear", weights=[1.0], bias=0.0)
    X = [[0.3], [-0.2], [0.7], [-0.9]]
    history = fit(neuron, X, labels, loss=loss, lr=0.01, epochs=1, progress=False)
    assert history.accuracy == expected


def test_minibatch_losses_and_accuracy_add_up_over_the_epoch():
    # lr is so small that the weights barely move: every sample is scored by w = 1, b = 0.
    neuron = Neuron(1, "linear", weights=[1.0], bias=0.0)
    X, labels = [[0.3], [-0.2], [0.7], [-0.9], [0.4]], [-1, -1, 1, 1, 1]
    batches = []

    def loss(outputs, targets):
        batches.append(sorted(t for t in targets))
        return mse(outputs, targets)

    history = fit(neuron, X, labels, loss=loss, lr=1e-12, epochs=1, batch_size=2, progress=False)
    assert sorted(len(b) for b in batches) == [1, 2, 2]  # 2 + 2 + 1, every sample once
    assert sorted(t for b in batches for t in b) == sorted(labels)
    squares = [(t - x) ** 2 for (x,), t in zip(X, labels)]
    assert history.loss == [pytest.approx(sum(squares) / 5, rel=1e-9)]
    assert history.accuracy == [3 / 5]  # -0.2, 0.7 and 0.4 have their label's sign


def test_max_margin_adds_micrograds_penalty_on_the_parameters():
    neuron = Neuron(2, "linear", weights=[0.5, -1.5], bias=0.25)
    X, labels = [[1.0, 0.0], [0.0, 1.0]], [1, 1]
    history = fit(neuron, X, labels, loss="max_margin", lr=0.1, epochs=1, progress=False)
    scores = [0.25 + 0.5, 0.25 - 1.5]
    hinge = sum(max(0.0, 1 - s) for s in scores) / 2
    assert history.loss == [pytest.approx(hinge + 1e-4 * (0.25 + 2.25 + 0.0625), abs=1e-15)]


def test_the_defaults_are_lr_01_ten_epochs_seed_0_and_a_progress_bar(capsys):
    X, y = make_moons(12, seed=3)
    model, twin = MLP(2, [3, 1], seed=4), MLP(2, [3, 1], seed=4)
    history = fit(model, X, y, batch_size=4)
    assert "fit" in capsys.readouterr().err
    fit(twin, X, y, batch_size=4, lr=0.1, epochs=10, seed=0, progress=False)
    assert len(history.loss) == 10
    assert [p.data for p in model.parameters()] == [p.data for p in twin.parameters()]


def test_no_warning_for_a_model_that_can_learn_and_the_warning_points_at_the_caller():
    X, labels = make_moons(10, seed=0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit(MLP(2, [3, 1], seed=0), X, labels, epochs=1, progress=False)
        fit(MLP(2, [3, 1], activation="step", seed=0), X, labels, epochs=1, progress=False)
    assert [w.category for w in caught] == [StepActivationWarning]
    assert caught[0].filename == __file__
    assert str(caught[0].message) == (
        "fit: the model uses the 'step' activation, whose derivative is 0 everywhere: "
        "no gradient reaches the weights before it, so they cannot learn"
    )


def test_count_correct_by_sign_and_by_class_at_the_boundaries():
    zero, negative, positive, half = Value(0.0), Value(-1.0), Value(2.0), Value(0.5)
    # By sign, an output of 0 counts as negative and a label of 0 as negative too.
    assert count_correct([zero, negative, positive], [0, 0, 1], Labels.SIGN) == 3
    assert count_correct([zero], [1], Labels.SIGN) == 0
    # By class with one output, 0.5 already means class 1.
    assert count_correct([half, half], [1, 0], Labels.CLASS) == 1
    assert count_correct([[negative, positive], [positive, zero]], [1, 1], Labels.CLASS) == 1
