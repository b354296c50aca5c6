"""A class's numbers in plain floats, for the tests of variants, keys, worksheets, grading
and the dashboard: every answer of a variant, a 40-name roster, and hand-ins as the site
writes them (right, with chosen mistakes, or with a mistake carried forward)."""

import hashlib
import json

from chainrule.classroom import HandIn
from tests.worked_example import lesson_answers

XS = (0.1, 0.2, 0.3, 0.4, 0.5)


NETWORK_GIVENS = ("x", "w1", "b1", "w2", "b2", "target", "lr")


def plain_answers(given):
    """Every answer of a variant from its givens, in plain floats: the network's quiz (local
    derivatives included) and three steps of w <- w - alpha dJ/dw on J(w) = Σ (k x - w x)²."""
    x, w1, b1, w2, b2, t, lr = (given[name] for name in NETWORK_GIVENS)
    answers = lesson_answers(x, w1, b1, w2, b2, t, lr)
    a1, a2 = answers["a1"], answers["a2"]
    answers |= {
        "∂a2/∂z2": a2 * (1 - a2), "∂z2/∂b2": 1.0, "∂z2/∂w2": a1, "∂z2/∂a1": w2,
        "∂a1/∂z1": a1 * (1 - a1), "∂z1/∂b1": 1.0, "∂z1/∂w1": x,
    }  # fmt: skip
    w = given["w0"]
    for step in range(4):
        cost = sum((given["k"] * xi - w * xi) ** 2 for xi in XS)
        slope = -2 * sum(xi * (given["k"] * xi - w * xi) for xi in XS)
        if step:
            answers[f"w_{step}"] = w
        answers[f"J(w_{step})"] = cost
        answers[f"dJ/dw(w_{step})"] = slope
        w -= given["alpha"] * slope
    return answers


FIRST = ["Ada", "Björn", "Chidi", "Dana", "Émile", "Farah", "Goran", "Hana", "Ivo", "Jun"]


LAST = ["Okafor", "Lund", "Müller", "O'Neil"]


ROSTER = [f"{first} {last}" for last in LAST for first in FIRST]  # 40 names


def seed(student, assignment):
    return int.from_bytes(hashlib.sha256(f"{assignment}\n{student}".encode()).digest()[:6], "big")


def typed(value):
    return f"{value:.4g}"


def hand_in_file(
    folder, student, assignment="hw2", mistakes=(), verdicts=None, code=False, carried=None,
    by_seed=None,
):  # fmt: skip
    """A hand-in as the site writes it, every answer right but the ``mistakes``
    (quantity -> a function of the givens and answers giving the number typed instead),
    and those that ``carried(given, answers)`` returns; ``by_seed``: of the variant opened
    by that seed alone (``student`` None)."""
    s = seed(student, assignment) if by_seed is None else by_seed
    given = json.loads(key_of(student, assignment, by_seed))["given"]
    answers = {name: typed(value) for name, value in plain_answers(given).items()}
    answers = {name: text for name, text in answers.items() if not name.startswith("∂z")}
    answers = {n: t for n, t in answers.items() if n not in ("∂a2/∂z2", "∂a1/∂z1")}
    answers |= {name: typed(number(given, answers)) for name, number in dict(mistakes).items()}
    if carried:
        answers |= {name: typed(value) for name, value in carried(given, answers).items()}
    hand_in = HandIn(student, assignment, s, answers, seconds=600.0)
    data = hand_in.to_dict()
    data["verdicts"] = verdicts or {}
    path = folder / f"{(student or f'seed {s}').replace(' ', '_')}.json"
    text = hand_in.code() if code else json.dumps(data)
    path.write_text(text, encoding="utf-8")
    return path


def key_of(student, assignment, by_seed=None):
    from chainrule.variants import variant

    if by_seed is not None:
        return json.dumps(variant(seed=by_seed, assignment=assignment).key())
    return json.dumps(variant(student, assignment).key())


def sign_carried_forward(given, answers):
    """A student who takes ∂E/∂a2 as (T − a2) and works everything below from it."""
    x, lr, w2 = given["x"], given["lr"], given["w2"]
    a1, a2 = float(answers["a1"]), float(answers["a2"])
    de_da2 = given["target"] - a2
    de_dz2 = de_da2 * a2 * (1 - a2)
    de_dz1 = de_dz2 * w2 * a1 * (1 - a1)
    grads = {"b2": de_dz2, "w2": de_dz2 * a1, "b1": de_dz1, "w1": de_dz1 * x}
    return {
        "∂E/∂a2": de_da2, "∂E/∂z2": de_dz2, "∂E/∂a1": de_dz2 * w2, "∂E/∂z1": de_dz1,
        **{f"∂E/∂{p}": g for p, g in grads.items()},
        **{f"new {p}": given[p] - lr * g for p, g in grads.items()},
    }  # fmt: skip
