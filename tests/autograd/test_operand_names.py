"""Each op names itself when an operand is bad, from either side; mixed inputs to a layer.

Written to kill mutants that the mutation run (make mutate) found alive in value.py:
an op's name replaced in a reflected op's message, and weighted_sums wrapping Value
inputs as constants when some inputs are numbers.
"""

import re

import pytest

from autograd import Value, weighted_sums


@pytest.mark.parametrize(
    ("action", "error", "message"),
    [
        (lambda: "2" + Value(1.0), TypeError, "+: expected an int or float, got '2' (str)"),
        (lambda: None * Value(1.0), TypeError, "*: expected an int or float, got None"),
        (lambda: "2" / Value(1.0), TypeError, "/: expected an int or float, got '2' (str)"),
        (lambda: "2" - Value(1.0), TypeError, "-: expected an int or float, got '2' (str)"),
        (lambda: Value(1.0) - "2", TypeError, "-: expected an int or float, got '2' (str)"),
        (lambda: Value(10.0) ** Value(400.0), OverflowError, "**: 10.0 ** 400.0 overflows"),
    ],
)
def test_the_message_starts_with_the_ops_name(action, error, message):
    with pytest.raises(error, match="^" + re.escape(message)):
        action()


def test_weighted_sums_takes_values_and_numbers_mixed():
    w1, w2, b = Value(0.5), Value(-2.0), Value(0.25)
    x = Value(3.0)
    (total,) = weighted_sums([[w1, w2]], [x, 4.0], [b])
    assert total.data == 0.25 + 0.5 * 3.0 - 2.0 * 4.0
    total.backward()
    assert (x.grad, w1.grad, w2.grad, b.grad) == (0.5, 3.0, 4.0, 1.0)
    assert total.inputs[2] is x  # the Value input itself, not a copy of its number
