"""The notebooks' exercise checker."""

import pytest

from nn.lessons.exercises import check


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (0.9925, 0.992),
        (1000.9, 1000.0),
        (1.5259e-5, 0.25**8),
        (0.0009, 0.0),
        (2, 2.0),
        (" ReLU ", "relu"),
        (True, True),
    ],
)
def test_a_matching_answer_is_correct(capsys, answer, expected):
    check(answer, expected, "unused hint")
    assert capsys.readouterr().out == "correct\n"


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (None, 0.992),
        (None, None),
        (0.994, 0.992),
        (0.0, 0.25**8),
        (0.0011, 0.0),
        ("tanh", "relu"),
        (False, True),
        (1, True),
    ],
)
def test_a_wrong_or_missing_answer_prints_the_hint(capsys, answer, expected):
    check(answer, expected, "w1 = w0 - lr * dJ/dw")
    assert capsys.readouterr().out == "not yet: w1 = w0 - lr * dJ/dw\n"
