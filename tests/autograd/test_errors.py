"""Bad input fails at once with a Python exception that names the op and the value."""

from __future__ import annotations

import re

import pytest

from autograd import Value, weighted_sum, weighted_sums

# (what is done, the exception, a pattern its message must match)
CASES = [
    (lambda: Value(True), TypeError, r"Value: expected an int or float, got True \(bool\)"),
    (lambda: Value("1"), TypeError, r"Value: expected an int or float, got '1' \(str\)"),
    (lambda: Value(None), TypeError, r"Value: expected an int or float, got None \(NoneType\)"),
    (lambda: Value(float("nan")), ValueError, r"Value: expected a finite number, got nan"),
    (lambda: Value(float("inf")), ValueError, r"Value: expected a finite number, got inf"),
    (lambda: Value(float("-inf")), ValueError, r"Value: expected a finite number, got -inf"),
    (lambda: Value(1.0) + "2", TypeError, r"\+: expected an int or float, got '2' \(str\)"),
    (lambda: "2" - Value(1.0), TypeError, r"-: expected an int or float, got '2' \(str\)"),
    (lambda: Value(1.0) * float("nan"), ValueError, r"\*: expected a finite number, got nan"),
    (lambda: Value(1.0) / None, TypeError, r"/: expected an int or float, got None"),
    (lambda: True ** Value(1.0), TypeError, r"\*\*: expected an int or float, got True"),
    (
        lambda: weighted_sum([Value(1.0)], ["x"], Value(0.0)),
        TypeError,
        r"weighted_sum: expected an int or float, got 'x'",
    ),
    (lambda: Value(0.0).log(), ValueError, r"log: needs a positive input, got 0\.0"),
    (lambda: Value(-1.0).log(), ValueError, r"log: needs a positive input, got -1\.0"),
    (
        lambda: Value(-8.0) ** 0.5,
        ValueError,
        r"\*\*: negative base -8\.0 to the fractional power 0\.5",
    ),
    (lambda: Value(0.0) ** 0.5, ValueError, r"\*\*: 0\.0 \*\* 0\.5 has an infinite derivative"),
    (lambda: Value(0.0) ** -1, ZeroDivisionError, r"\*\*: zero base to the negative power -1"),
    (lambda: Value(2.0) ** "3", TypeError, r"\*\*: expected an int or float, got '3' \(str\)"),
    (lambda: Value(2.0) ** float("inf"), ValueError, r"\*\*: expected a finite number, got inf"),
    (lambda: Value(10.0) ** 400, OverflowError, r"\*\*: 10\.0 \*\* 400\.0 overflows"),
    (lambda: Value(0.0) ** Value(2.0), ValueError, r"\*\*: base 0\.0 must be > 0"),
    (lambda: (-2) ** Value(2.0), ValueError, r"\*\*: base -2\.0 must be > 0"),
    (lambda: Value(3.0) / 0, ZeroDivisionError, r"/: division of 3\.0 by zero"),
    (lambda: 1 / Value(0.0), ZeroDivisionError, r"/: division of 1\.0 by zero"),
    (lambda: Value(1000.0).exp(), OverflowError, r"exp: exp\(1000\.0\) overflows"),
    (lambda: Value(1e200) * 1e200, OverflowError, r"\*: result inf is not finite"),
    (lambda: Value(1e308) + Value(1e308), OverflowError, r"\+: result inf is not finite"),
    (lambda: Value(1e300) / 1e-300, OverflowError, r"/: result inf is not finite"),
    (lambda: Value(-1.0).leaky_relu("0.1"), TypeError, r"leaky_relu: expected an int or float"),
    (
        lambda: weighted_sums([[Value(1.0)], [Value(2.0)]], [1.0], [Value(0.0)]),
        ValueError,
        r"weighted_sums: 2 weight rows for 1 biases",
    ),
    (
        lambda: weighted_sum([Value(1.0)], [1.0, 2.0], Value(0.0)),
        ValueError,
        r"weighted_sum: 1 weights for 2 inputs",
    ),
    (
        lambda: weighted_sum([Value(1.0), 0.5], [1.0, 2.0], Value(0.0)),
        TypeError,
        r"weighted_sum: weights and bias must be Values \(they get grads\), got 0\.5",
    ),
    (
        lambda: weighted_sum([Value(1.0)], [1.0], 0.0),
        TypeError,
        r"weighted_sum: weights and bias must be Values \(they get grads\), got 0\.0",
    ),
]


@pytest.mark.parametrize(
    ("action", "error", "message"),
    CASES,
    ids=[re.sub(r"\\", "", message)[:40] for _, _, message in CASES],
)
def test_bad_input_raises_a_clear_error(action, error, message):
    with pytest.raises(error, match=message):
        action()


def test_the_overflow_message_shows_the_inputs():
    with pytest.raises(OverflowError, match=r"inputs 1e\+200, 1e\+200"):
        Value(1e200) * Value(1e200)


def test_valid_edge_cases_do_not_raise():
    assert (Value(0.0) ** 0).data == 1.0
    assert (Value(-8.0) ** 3).data == -512.0
    assert (Value(0.0) ** 1).data == 0.0
    assert Value(-709.0).exp().data > 0.0
