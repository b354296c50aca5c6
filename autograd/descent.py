"""One step of gradient descent on one number, written once.

``SGD.step`` makes it; the quiz, the step-through frames, the ``chainrule`` command,
the network files, the lessons and the site preview it.
"""

from __future__ import annotations

from autograd import checks


def gradient_step(parameter: float, grad: float, lr: float) -> float:
    """p − lr · grad: ``parameter`` moved a step of size ``lr`` against its gradient."""
    try:
        return parameter - lr * grad
    except TypeError:  # named only when it fails: SGD.step makes this step for every parameter
        given = (
            f"{name}={checks.shown(v)} ({type(v).__name__})"
            for name, v in (("parameter", parameter), ("grad", grad), ("lr", lr))
        )
        raise TypeError(
            f"gradient_step: expected parameter, grad and lr to be numbers, got {', '.join(given)}"
        ) from None
