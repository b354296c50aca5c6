"""The one rule that checks a student's number, against hand-written cases."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chainrule.questions import agrees, check_answer, parse_number


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("0.0571", 0.0571),
        ("5.71e-2", 0.0571),
        (".0571", 0.0571),
        ("−0.4653", -0.4653),
        ("-0.4653", -0.4653),
        ("+2", 2.0),
        ("0,0571", 0.0571),
        (" 3 ", 3.0),
        ("1E3", 1000.0),
    ],
)
def test_accepted_forms(text, number):
    assert parse_number(text) == pytest.approx(number, rel=1e-15)


@pytest.mark.parametrize("text", ["", "abc", "nan", "inf", "1/2", "1e999", "0.1.2", "--1"])
def test_not_numbers(text):
    assert parse_number(text) is None


def test_three_significant_figures():
    expected = 0.0570936  # to 3 s.f. 0.0571
    assert check_answer("0.0571", expected).status == "right"
    assert check_answer("5.71e-2", expected).right
    assert check_answer("0.05709", expected).right
    assert check_answer("0.0572", expected).status == "wrong"
    assert check_answer("0.057", expected).status == "wrong"  # only 2 figures
    assert check_answer("0.0571", expected, significant_figures=4).status == "wrong"


def test_empty_and_invalid_are_not_wrong():
    assert check_answer("  ", 0.5).status == "empty"
    assert "0.5" in check_answer("", 0.5).message
    assert check_answer("half", 0.5).status == "invalid"


def test_rounded_boundary_is_accepted():
    # 0.46525 rounds to 0.465 (float 0.46525 is a hair below), an answer of 0.465 is right
    assert check_answer("0.465", 0.46525).right
    assert check_answer("-0.4653", -0.465337, significant_figures=4).right


def test_zero_expected():
    assert agrees(0.0004, 0.0) and not agrees(0.002, 0.0)


def test_bad_arguments_name_the_function():
    with pytest.raises(TypeError, match="check_answer: expected text to be a str"):
        check_answer(0.5, 0.5)
    with pytest.raises(ValueError, match="check_answer: expected expected to be a finite"):
        check_answer("1", float("nan"))


@given(st.floats(min_value=1e-6, max_value=1e6) | st.floats(min_value=-1e6, max_value=-1e-6))
def test_the_value_printed_to_three_figures_is_always_right(expected):
    assert check_answer(f"{expected:.3g}", expected).right
    assert check_answer(f"{expected:.2e}", expected).right


@given(st.floats(min_value=1e-6, max_value=1e6))
def test_an_answer_off_by_one_percent_is_wrong(expected):
    assert check_answer(repr(expected * 1.01), expected).status == "wrong"
