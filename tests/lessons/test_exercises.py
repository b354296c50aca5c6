"""The notebooks' exercise checker: right, wrong and "no answer yet" told apart."""

import pytest

from chainrule.lessons.exercises import NO_ANSWER, check


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (0.992, 0.992),
        (0.9924, 0.992),  # 3 significant figures: 0.992
        (0.0571, 0.057094),
        (5.71e-2, 0.057094),
        (1000.9, 1000.0),
        (1.53e-5, 0.25**8),
        (0.0004, 0.0),
        (2, 2.0),
        (337, 337),
        (-1, -1),
        (" ReLU ", "relu"),
        ("`relu`", "relu"),
        (True, True),
    ],
)
def test_a_matching_answer_is_correct(capsys, answer, expected):
    check(answer, expected, "unused hint")
    assert capsys.readouterr().out == "correct\n"


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (0.994, 0.992),
        (0.057, 0.057094),  # two figures are not three
        (1.5e-5, 0.25**8),
        (0.0, 0.25**8),
        (0.002, 0.0),
        (336, 337),
        (337.4, 337),  # a count is exact
        ("tanh", "relu"),
        (False, True),
        (1, True),
        ("0.992", 0.992),  # a number is asked for, not text
    ],
)
def test_a_wrong_answer_prints_the_hint(capsys, answer, expected):
    check(answer, expected, "w1 = w0 - lr * dJ/dw")
    assert capsys.readouterr().out == "not yet: w1 = w0 - lr * dJ/dw\n"


@pytest.mark.parametrize("expected", [0.992, "relu", None, True])
def test_no_answer_is_not_a_wrong_answer(capsys, expected):
    check(None, expected, "the hint, for a wrong answer")
    out = capsys.readouterr().out
    assert out == NO_ANSWER + "\n"
    assert "not yet" not in out and "hint" not in out


def test_alternatives_the_solution_names(capsys):
    for answer in ("relu", "leaky_relu", "Leaky_ReLU"):
        check(answer, "relu", "hint", alternatives=["leaky_relu"])
        assert capsys.readouterr().out == "correct\n"
    check("tanh", "relu", "hint", alternatives=["leaky_relu"])
    assert capsys.readouterr().out == "not yet: hint\n"


def test_significant_figures_can_change(capsys):
    check(0.99, 0.992, "hint", significant_figures=2)
    assert capsys.readouterr().out == "correct\n"
    check(0.99, 0.992, "hint")
    assert capsys.readouterr().out == "not yet: hint\n"
