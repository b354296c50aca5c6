"""The shared argument checks: one convention, TypeError for types, ValueError for values."""

import math

import pytest

from autograd import checks


@pytest.mark.parametrize("bad", [True, 1.0, "3", None])
def test_integer_rejects_other_types(bad):
    with pytest.raises(TypeError, match=r"^f: expected n to be an int, got "):
        checks.integer(bad, "f", "n")


def test_integer_range():
    assert checks.integer(3, "f", "n", minimum=1) == 3
    with pytest.raises(ValueError, match=r"^f: expected n to be an int >= 1, got 0$"):
        checks.integer(0, "f", "n", minimum=1)
    with pytest.raises(ValueError, match=r"in \[1, 5\], got 6"):
        checks.integer(6, "f", "n", minimum=1, maximum=5)


@pytest.mark.parametrize("bad", [math.inf, -math.inf, math.nan, 10**400])
def test_number_must_be_finite(bad):
    with pytest.raises(ValueError, match=r"^lr: expected x to be a finite number, got "):
        checks.number(bad, "lr", "x")


def test_number_types_and_ranges():
    assert checks.number(2, "f", "x") == 2.0 and type(checks.number(2, "f", "x")) is float
    with pytest.raises(TypeError, match="expected x to be a number, got True"):
        checks.number(True, "f", "x")
    with pytest.raises(ValueError, match=r"expected lr to be a number > 0.0, got 0"):
        checks.positive_number(0, "SGD", "lr")
    assert checks.number(0.5, "f", "x", minimum=0, maximum=1, exclusive=True) == 0.5
    with pytest.raises(ValueError, match=r"in \(0, 1\), got 1"):
        checks.number(1, "f", "x", minimum=0, maximum=1, exclusive=True)


def test_a_huge_value_is_shown_short():
    with pytest.raises(ValueError) as caught:
        checks.number(10**400, "Value", "data")
    assert len(str(caught.value)) < 150 and "401 characters" in str(caught.value)


def test_one_of_instance_and_text():
    assert checks.one_of("LR", "draw", "rankdir", ("LR", "TB")) == "LR"
    with pytest.raises(ValueError, match="expected rankdir to be one of 'LR', 'TB', got 'X'"):
        checks.one_of("X", "draw", "rankdir", ("LR", "TB"))
    with pytest.raises(ValueError, match="one of"):
        checks.one_of([], "draw", "rankdir", ("LR", "TB"))
    with pytest.raises(TypeError, match="expected title to be a str, got 5 \\(int\\)"):
        checks.instance(5, "write_html", "title", str)
    with pytest.raises(TypeError, match="to be an int or float"):
        checks.instance("a", "f", "x", (int, float))
    with pytest.raises(ValueError, match="lone surrogate"):
        checks.text("a\udc80", "Value", "label")
    assert checks.text("a2", "Value", "label") == "a2"
