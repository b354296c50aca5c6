"""Small seeded data sets for the lessons and tests (no sklearn, no numpy).

Every generator takes ``seed=`` or ``rng=`` (a ``random.Random``) and never
touches the global ``random`` state, so the same seed gives the same data.
Classification sets return ``(X, y)``: ``X`` a list of ``[x1, x2]`` points and
``y`` a list of int labels in {0, 1}, shuffled.
"""

from __future__ import annotations

import math
import random

from autograd import checks

Points = list[list[float]]

MAX_POINTS = 1_000_000
"""The most points a generator makes (a million take about a second): more is a typo."""


def rng_from(seed: int | None, rng: random.Random | None, owner: str) -> random.Random:
    """The random source for ``owner``: ``rng`` itself, else a new ``random.Random(seed)``.

    ``seed=None`` without ``rng`` draws fresh OS entropy, still without using the
    global ``random`` state. Giving both is ambiguous and raises a ValueError.
    """
    if rng is not None:
        if seed is not None:
            raise ValueError(f"{owner}: give seed= or rng=, not both (seed={seed!r})")
        return checks.instance(rng, owner, "rng", random.Random)
    return random.Random(seed)


def line_data(
    n: int = 5,
    slope: float = 2.0,
    noise: float = 0.0,
    seed: int | None = 0,
    *,
    rng: random.Random | None = None,
) -> tuple[list[float], list[float]]:
    """Points on the line z = slope * x, for x = 1, 2, ..., n.

    With ``noise > 0`` each z gets Gaussian noise of that standard deviation.
    Returns ``(xs, zs)``, two lists of n floats; fitting z = w x recovers w ~ slope.
    """
    n = checks.integer(n, "line_data", "n", minimum=1, maximum=MAX_POINTS)
    noise = checks.number(noise, "line_data", "noise", minimum=0.0)
    slope = checks.number(slope, "line_data", "slope")
    source = rng_from(seed, rng, "line_data")
    xs = [float(i) for i in range(1, n + 1)]
    zs = [slope * x + (source.gauss(0.0, noise) if noise else 0.0) for x in xs]
    return xs, zs


def _jittered_and_shuffled(
    points: Points, labels: list[int], noise: float, source: random.Random
) -> tuple[Points, list[int]]:
    """Add Gaussian noise (std ``noise``) to every coordinate, then shuffle points and labels."""
    if noise:
        points = [[c + source.gauss(0.0, noise) for c in point] for point in points]
    order = list(range(len(points)))
    source.shuffle(order)
    return [points[i] for i in order], [labels[i] for i in order]


def make_moons(
    n: int = 100, noise: float = 0.1, seed: int | None = 0, *, rng: random.Random | None = None
) -> tuple[Points, list[int]]:
    """Two interleaving half circles (sklearn's ``make_moons``, without sklearn).

    Label 0: (cos t, sin t); label 1: (1 - cos t, 0.5 - sin t); t evenly spaced in
    [0, pi], n // 2 points on the first moon and the rest on the second. Not
    separable by a line, easily by a small MLP. Returns ``(X, y)``.
    """
    n = checks.integer(n, "make_moons", "n", minimum=2, maximum=MAX_POINTS)
    noise = checks.number(noise, "make_moons", "noise", minimum=0.0)
    source = rng_from(seed, rng, "make_moons")
    n_first = n // 2
    n_second = n - n_first
    first = [_on_arc(i, n_first) for i in range(n_first)]
    second = [_on_arc(i, n_second) for i in range(n_second)]
    points = [[math.cos(t), math.sin(t)] for t in first]
    points += [[1.0 - math.cos(t), 0.5 - math.sin(t)] for t in second]
    return _jittered_and_shuffled(points, [0] * n_first + [1] * n_second, noise, source)


def _on_arc(i: int, count: int) -> float:
    """The i-th of ``count`` angles evenly spaced over [0, pi], both ends included."""
    return math.pi * i / (count - 1) if count > 1 else 0.0


def make_xor(
    n: int = 100, noise: float = 0.1, seed: int | None = 0, *, rng: random.Random | None = None
) -> tuple[Points, list[int]]:
    """Points uniform in the square [-1, 1]^2, labelled 1 where x1 and x2 differ in sign.

    The XOR pattern: quadrants I and III are 0, II and IV are 1, so no single line
    separates the classes. Gaussian noise (std ``noise``) is added after labelling.
    Returns ``(X, y)``.
    """
    n = checks.integer(n, "make_xor", "n", minimum=1, maximum=MAX_POINTS)
    noise = checks.number(noise, "make_xor", "noise", minimum=0.0)
    source = rng_from(seed, rng, "make_xor")
    points = [[source.uniform(-1.0, 1.0), source.uniform(-1.0, 1.0)] for _ in range(n)]
    labels = [int((x1 > 0.0) != (x2 > 0.0)) for x1, x2 in points]
    return _jittered_and_shuffled(points, labels, noise, source)


def make_circles(
    n: int = 100,
    noise: float = 0.1,
    seed: int | None = 0,
    *,
    factor: float = 0.5,
    rng: random.Random | None = None,
) -> tuple[Points, list[int]]:
    """Two concentric circles (sklearn's ``make_circles``, without sklearn).

    Label 0: the unit circle; label 1: the circle of radius ``factor`` (0 < factor < 1);
    n // 2 points on the outer circle and the rest on the inner, at evenly spaced
    angles. Returns ``(X, y)``.
    """
    n = checks.integer(n, "make_circles", "n", minimum=2, maximum=MAX_POINTS)
    noise = checks.number(noise, "make_circles", "noise", minimum=0.0)
    factor = checks.number(
        factor, "make_circles", "factor", minimum=0.0, maximum=1.0, exclusive=True
    )
    source = rng_from(seed, rng, "make_circles")
    n_outer = n // 2
    n_inner = n - n_outer
    points = [_on_circle(i, n_outer, 1.0) for i in range(n_outer)]
    points += [_on_circle(i, n_inner, factor) for i in range(n_inner)]
    return _jittered_and_shuffled(points, [0] * n_outer + [1] * n_inner, noise, source)


def _on_circle(i: int, count: int, radius: float) -> list[float]:
    """The i-th of ``count`` points evenly spaced around the circle of ``radius``."""
    t = 2.0 * math.pi * i / count
    return [radius * math.cos(t), radius * math.sin(t)]
