"""One step of gradient descent on one number, written once.

``SGD.step`` makes it; the quiz, the step-through frames, the ``chainrule`` command,
the network files, the lessons and the site preview it.
"""

from __future__ import annotations


def gradient_step(parameter: float, grad: float, lr: float) -> float:
    """p − lr · grad: ``parameter`` moved a step of size ``lr`` against its gradient."""
    return parameter - lr * grad
