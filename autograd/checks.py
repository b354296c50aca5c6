"""The argument checks of chainrule, in one place, with one convention for errors.

Every public function checks its arguments with these helpers, so a bad
argument always reads the same way::

    <op>: expected <name> to be <what>, got <value>

A wrong *type* raises ``TypeError``; a value of the right type that is out of
range (or not finite) raises ``ValueError``. ``bool`` is never accepted as a
number, although Python treats it as one: ``lr=True`` is a mistake, not 1.
"""

from __future__ import annotations

import math
import os
from collections.abc import Collection, Iterable
from numbers import Integral, Real
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

MAX_SHOWN = 60  # characters of a bad value shown in a message


def shown(value: object) -> str:
    """``repr(value)``, cut to MAX_SHOWN characters (a 400-digit int stays readable)."""
    return excerpt(repr(value))


def excerpt(text: str) -> str:
    """``text`` as is up to MAX_SHOWN characters, else its start and end marked as cut."""
    if len(text) <= MAX_SHOWN:
        return text
    return f"{text[: MAX_SHOWN - 20]}...{text[-10:]} ({len(text)} characters)"


def _got(value: object) -> str:
    return f"got {shown(value)} ({type(value).__name__})"


def integer(
    value: object, op: str, name: str, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    """``value`` as an int in [minimum, maximum]; a bool, float or other type is a TypeError."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"{op}: expected {name} to be an int, {_got(value)}")
    number = int(value)
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise ValueError(
            f"{op}: expected {name} to be an int {_range(minimum, maximum)}, got {shown(number)}"
        )
    return number


def number(
    value: object,
    op: str,
    name: str,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    exclusive: bool = False,
) -> float:
    """``value`` as a finite float, within [minimum, maximum] (or the open interval with
    ``exclusive``). Ints, floats and other real numbers (numpy's) are taken; bools are not."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{op}: expected {name} to be a number, {_got(value)}")
    try:
        result = float(value)
    except OverflowError:  # an int too large for a float
        result = math.inf
    if not math.isfinite(result):
        raise ValueError(f"{op}: expected {name} to be a finite number, got {shown(value)}")
    low_bad = minimum is not None and (result <= minimum if exclusive else result < minimum)
    high_bad = maximum is not None and (result >= maximum if exclusive else result > maximum)
    if low_bad or high_bad:
        raise ValueError(
            f"{op}: expected {name} to be a number {_range(minimum, maximum, exclusive)}, "
            f"got {shown(value)}"
        )
    return result


def positive_number(value: object, op: str, name: str) -> float:
    """A finite number > 0 (a learning rate, a step size)."""
    return number(value, op, name, minimum=0.0, exclusive=True)


def one_of(value: T, op: str, name: str, choices: Collection[T]) -> T:
    """``value`` if it is one of ``choices``, else a ValueError listing them."""
    try:
        if value in choices:
            return value
    except TypeError:  # unhashable: cannot be a choice
        pass
    listed = ", ".join(repr(choice) for choice in choices)
    raise ValueError(f"{op}: expected {name} to be one of {listed}, got {shown(value)}")


def instance(value: object, op: str, name: str, kind: type[T] | tuple[type, ...]) -> T:
    """``value`` if it is an instance of ``kind``, else a TypeError naming the kind."""
    if not isinstance(value, kind):
        kinds = kind if isinstance(kind, tuple) else (kind,)
        what = " or ".join(k.__name__ for k in kinds)
        raise TypeError(f"{op}: expected {name} to be {_article(what)} {what}, {_got(value)}")
    return value  # type: ignore[return-value]


def items(value: object, op: str, name: str, what: str = "a list") -> list[Any]:
    """``value``'s items as a new list: a list, tuple, range, numpy array or generator.

    A str or bytes (a sequence of characters, never meant as a list of numbers) and a
    value that cannot be iterated are a TypeError saying that ``name`` should be ``what``.
    """
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise TypeError(f"{op}: expected {name} to be {what}, {_got(value)}")
    return list(value)


def text(value: object, op: str, name: str) -> str:
    """``value`` if it is a str that can be written out (UTF-8: no lone surrogates)."""
    checked = instance(value, op, name, str)
    try:
        checked.encode("utf-8")
    except UnicodeEncodeError as error:
        bad = checked[error.start : error.end]
        raise ValueError(
            f"{op}: expected {name} to be text that UTF-8 can encode, got {shown(checked)} "
            f"(the character {bad!r} at {error.start} is a lone surrogate)"
        ) from None
    return checked


def file_path(value: object, op: str, name: str) -> Path:
    """``value`` (a str or os.PathLike naming a file) as a Path; "" or a folder-only path such
    as "." is a ValueError, another type a TypeError."""
    path = Path(instance(value, op, name, (str, os.PathLike)))
    if not str(value) or not path.name:
        raise ValueError(f"{op}: expected {name} to name a file, got {shown(value)}")
    return path


def flag(value: object, op: str, name: str) -> bool:
    """``value`` if it is True or False: 'yes', 'no', 0 and 1 are not read as truth values."""
    if not isinstance(value, bool):
        raise TypeError(f"{op}: expected {name} to be True or False, {_got(value)}")
    return value


def _range(minimum: float | None, maximum: float | None, exclusive: bool = False) -> str:
    low, high = (">", "<") if exclusive else (">=", "<=")
    if minimum is not None and maximum is not None:
        left, right = ("(", ")") if exclusive else ("[", "]")
        return f"in {left}{minimum}, {maximum}{right}"
    if minimum is not None:
        return f"{low} {minimum}"
    return f"{high} {maximum}"


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"
