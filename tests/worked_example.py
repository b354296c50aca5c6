"""The lessons' worked example in plain floats, for tests that must not trust the code they test."""

import math


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
