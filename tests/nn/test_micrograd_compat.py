"""micrograd's own code runs on chainrule with only its imports changed, and gives its numbers.

The example code below is copied from micrograd by Andrej Karpathy
(https://github.com/karpathy/micrograd, MIT licence): the README's example and the
training code of demo.ipynb. Only the imports differ: ``from autograd import Value``
and ``from nn import MLP, Neuron`` instead of micrograd's modules. micrograd 0.1.0 (in
the test extra) runs the README example beside chainrule; the demo's numbers are the
ones printed in micrograd's demo.ipynb, which chainrule reproduces step for step from
the same initial weights.
"""

import random
import re

import micrograd.engine
import micrograd.nn
import numpy as np
import pytest
from sklearn.datasets import make_moons

from autograd import Value, draw_dot
from nn import MLP, Neuron


def readme_example(Value):  # micrograd's README, with Value passed in for its import
    a = Value(-4.0)
    b = Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    print(f"{g.data:.4f}")  # prints 24.7041, the outcome of this forward pass
    g.backward()
    print(f"{a.grad:.4f}")  # prints 138.8338, i.e. the numerical value of dg/da
    print(f"{b.grad:.4f}")  # prints 645.5773, i.e. the numerical value of dg/db
    return g, a, b


def test_the_readme_example_prints_micrograds_numbers(capsys):
    g, a, b = readme_example(Value)
    assert capsys.readouterr().out.split() == ["24.7041", "138.8338", "645.5773"]
    their_g, their_a, their_b = readme_example(micrograd.engine.Value)
    assert capsys.readouterr().out.split() == ["24.7041", "138.8338", "645.5773"]
    ours = [g.data, a.grad, b.grad]
    assert ours == pytest.approx([their_g.data, their_a.grad, their_b.grad], rel=1e-14)


def test_the_readme_neuron_is_a_relu_of_w_dot_x_plus_b():
    n = Neuron(2)
    x = [Value(1.0), Value(-2.0)]
    y = n(x)
    dot = draw_dot(y)
    w1, w2 = (w.data for w in n.weights)
    assert y.data == max(0.0, w1 * 1.0 + w2 * -2.0)  # micrograd's Neuron(2): ReLU, bias 0
    assert n.bias.data == 0.0
    assert y.op == "relu" and "relu" in dot.source
    assert n.w == n.weights and n.b is n.bias  # micrograd's names for them
    assert n.parameters() == n.w + [n.b]  # noqa: RUF005 - micrograd's Neuron.parameters


@pytest.fixture
def demo_data():
    """The demo's data: make_moons after seeding numpy and random with 1337, y in {-1, 1}.

    The global random states are put back afterwards, as other tests expect them untouched.
    """
    numpy_state, python_state = np.random.get_state(), random.getstate()
    np.random.seed(1337)
    random.seed(1337)
    X, y = make_moons(n_samples=100, noise=0.1)
    y = y * 2 - 1  # make y be -1 or 1
    # micrograd's MLP draws its weights from the global random generator, just seeded.
    reference = micrograd.nn.MLP(2, [16, 16, 1])
    yield X, y, reference
    np.random.set_state(numpy_state)
    random.setstate(python_state)


# Lines that micrograd's demo.ipynb printed (step, loss, accuracy): the numbers of micrograd.
MICROGRAD_DEMO_OUTPUT = {
    0: (0.8958441028683222, 50.0),
    1: (1.7235905336972022, 81.0),
    4: (0.3692793385976538, 84.0),
    9: (0.2704862551637922, 91.0),
    22: (0.11733695088756485, 97.0),
    40: (0.06016009895234464, 100.0),
    99: (0.010978370135492717, 100.0),
}


def test_the_demo_trains_to_micrograds_numbers(demo_data, capsys):
    X, y, reference = demo_data

    # initialize a model
    model = MLP(2, [16, 16, 1])  # 2-layer neural network
    print(model)
    print("number of parameters", len(model.parameters()))

    # The same architecture as micrograd's: ReLU hidden layers and a linear output.
    assert [layer.activation for layer in model.layers] == ["relu", "relu", "linear"]
    assert [all(n.nonlin for n in layer.neurons) for layer in reference.layers] == [
        True,
        True,
        False,
    ]
    assert len(model.parameters()) == len(reference.parameters()) == 337
    # Not demo code: start from micrograd's initial weights (both list them in one order).
    for ours, theirs in zip(model.parameters(), reference.parameters()):
        ours.data = theirs.data

    # loss function
    def loss(batch_size=None):
        # inline DataLoader :)
        if batch_size is None:
            Xb, yb = X, y
        else:
            ri = np.random.permutation(X.shape[0])[:batch_size]
            Xb, yb = X[ri], y[ri]
        inputs = [list(map(Value, xrow)) for xrow in Xb]

        # forward the model to get scores
        scores = list(map(model, inputs))

        # svm "max-margin" loss
        losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(yb, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        # L2 regularization
        alpha = 1e-4
        reg_loss = alpha * sum(p * p for p in model.parameters())
        total_loss = data_loss + reg_loss

        # also get accuracy
        accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(yb, scores)]
        return total_loss, sum(accuracy) / len(accuracy)

    total_loss, acc = loss()
    print(total_loss, acc)

    # optimization
    for k in range(100):
        # forward
        total_loss, acc = loss()

        # backward
        model.zero_grad()
        total_loss.backward()

        # update (sgd)
        learning_rate = 1.0 - 0.9 * k / 100
        for p in model.parameters():
            p.data -= learning_rate * p.grad

        if k % 1 == 0:
            print(f"step {k} loss {total_loss.data}, accuracy {acc * 100}%")

    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("MLP(2, [16, 16, 1]")
    assert lines[1] == "number of parameters 337"
    steps = {}
    for line in lines[3:]:
        k, value, accuracy = re.fullmatch(r"step (\d+) loss (\S+), accuracy (\S+)%", line).groups()
        steps[int(k)] = (float(value), float(accuracy))
    assert list(steps) == list(range(100))
    for k, (expected_loss, expected_accuracy) in MICROGRAD_DEMO_OUTPUT.items():
        assert steps[k][0] == pytest.approx(expected_loss, rel=1e-13)
        assert steps[k][1] == expected_accuracy
