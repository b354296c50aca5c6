"""The lessons' worked example in plain floats, for tests that must not trust the code they test;
the same example built op by op from Values; the 2-2-2 network file and its numbers by hand."""

import math

from autograd import Value

# The course's worked example: one input, two sigmoid neurons, E = 1/2 (T - a2)^2.
X, W1, B1, W2, B2, TARGET, LR = 0.1, 0.15, 0.4, 0.45, 0.65, 0.25, 0.4


def labelled(value: Value, label: str) -> Value:
    value.label = label
    return value


def course_example() -> tuple[Value, dict[str, Value]]:
    """E of the worked example, built op by op, and its parameters by name."""
    x = Value(X, "x")
    params = {name: Value(v, name) for name, v in [("w1", W1), ("b1", B1), ("w2", W2), ("b2", B2)]}
    a1 = labelled(labelled(params["w1"] * x + params["b1"], "z1").sigmoid(), "a1")
    a2 = labelled(labelled(params["w2"] * a1 + params["b2"], "z2").sigmoid(), "a2")
    return labelled(0.5 * (TARGET - a2) ** 2, "E"), params


def sigmoid(z):
    return 1 / (1 + math.exp(-z))


def lesson_answers(x=0.1, w1=0.15, b1=0.4, w2=0.45, b2=0.65, t=0.25, lr=0.4):
    """Every value a student works out, by its name in the lesson, in the quiz's order:
    forward values, gradients as backward completes them, updated parameters."""
    z1 = w1 * x + b1
    a1 = sigmoid(z1)
    z2 = w2 * a1 + b2
    a2 = sigmoid(z2)
    e = 0.5 * (t - a2) ** 2
    de_da2 = a2 - t
    de_dz2 = de_da2 * a2 * (1 - a2)
    de_da1 = de_dz2 * w2
    de_dz1 = de_da1 * a1 * (1 - a1)
    grads = {"b2": de_dz2, "w2": de_dz2 * a1, "b1": de_dz1, "w1": de_dz1 * x}
    return {
        "z1": z1, "a1": a1, "z2": z2, "a2": a2, "E": e,
        "∂E/∂a2": de_da2, "∂E/∂z2": de_dz2, "∂E/∂b2": grads["b2"], "∂E/∂w2": grads["w2"],
        "∂E/∂a1": de_da1, "∂E/∂z1": de_dz1, "∂E/∂b1": grads["b1"], "∂E/∂w1": grads["w1"],
        "new b2": b2 - lr * grads["b2"], "new w2": w2 - lr * grads["w2"],
        "new b1": b1 - lr * grads["b1"], "new w1": w1 - lr * grads["w1"],
    }  # fmt: skip


# The 2-2-2 network file of tests/nn (sigmoid then tanh), and its numbers by hand.
NET_222 = {
    "inputs": [1.0, 0.5],
    "layers": [
        {"weights": [[0.1, -0.2], [0.4, 0.3]], "biases": [0.0, 0.1], "activation": "sigmoid"},
        {"weights": [[0.5, -0.6], [0.7, 0.2]], "biases": [0.2, -0.1], "activation": "tanh"},
    ],
    "targets": [1.0, 0.0],
    "lr": 0.5,
}


def by_hand_222(net):
    """Forward and backward of a 2-2-2 sigmoid/tanh network in plain floats, with the deltas
    of the textbook: δ2 = (a2 − T) · (1 − a2²), δ1 = (Σ_k w2[k,j] δ2[k]) · a1 (1 − a1)."""
    x = net["inputs"]
    (l1, l2), t = net["layers"], net["targets"]
    z1 = [sum(w * xi for w, xi in zip(row, x)) + b for row, b in zip(l1["weights"], l1["biases"])]
    a1 = [sigmoid(z) for z in z1]
    z2 = [sum(w * ai for w, ai in zip(row, a1)) + b for row, b in zip(l2["weights"], l2["biases"])]
    a2 = [math.tanh(z) for z in z2]
    e = 0.5 * sum((tk - ak) ** 2 for tk, ak in zip(t, a2))
    d2 = [(ak - tk) * (1 - ak**2) for ak, tk in zip(a2, t)]
    d1 = [
        sum(l2["weights"][k][j] * d2[k] for k in range(2)) * a1[j] * (1 - a1[j]) for j in range(2)
    ]
    grads = [
        {"weights": [[d1[j] * x[i] for i in range(2)] for j in range(2)], "biases": d1},
        {"weights": [[d2[k] * a1[j] for j in range(2)] for k in range(2)], "biases": d2},
    ]
    forward = {
        "z1[1]": z1[0], "a1[1]": a1[0], "z1[2]": z1[1], "a1[2]": a1[1],
        "z2[1]": z2[0], "a2[1]": a2[0], "z2[2]": z2[1], "a2[2]": a2[1], "E": e,
    }  # fmt: skip
    return forward, grads
