"""Seeded data generators: shapes, geometry, determinism, no global random state."""

import math
import random

import pytest

from nn import line_data, make_circles, make_moons, make_xor

GENERATORS = [make_moons, make_xor, make_circles]


def test_line_data_is_z_equals_slope_times_x():
    xs, zs = line_data()
    assert xs == [1.0, 2.0, 3.0, 4.0, 5.0]
    assert zs == [2.0 * x for x in xs]
    xs, zs = line_data(n=200, slope=-0.5, noise=0.1, seed=3)
    residuals = [z - (-0.5 * x) for x, z in zip(xs, zs)]
    assert any(r != 0.0 for r in residuals)
    assert abs(sum(residuals) / len(residuals)) < 0.05
    assert math.sqrt(sum(r * r for r in residuals) / len(residuals)) == pytest.approx(0.1, rel=0.2)


@pytest.mark.parametrize("generate", GENERATORS)
def test_shapes_and_labels(generate):
    X, y = generate(n=51, seed=1)
    assert len(X) == len(y) == 51
    assert all(len(point) == 2 and all(isinstance(c, float) for c in point) for point in X)
    assert set(y) == {0, 1}
    if generate is not make_xor:
        assert y.count(0) == 25
        assert y.count(1) == 26


def test_moons_without_noise_lie_on_their_half_circles():
    X, y = make_moons(n=40, noise=0.0, seed=0)
    for (x1, x2), label in zip(X, y):
        if label == 0:  # (cos t, sin t)
            assert math.hypot(x1, x2) == pytest.approx(1.0, abs=1e-12)
            assert x2 >= -1e-12
        else:  # (1 - cos t, 0.5 - sin t)
            assert math.hypot(x1 - 1.0, x2 - 0.5) == pytest.approx(1.0, abs=1e-12)
            assert x2 <= 0.5 + 1e-12


def test_circles_without_noise_have_radius_one_and_factor():
    X, y = make_circles(n=30, noise=0.0, seed=0, factor=0.3)
    for (x1, x2), label in zip(X, y):
        assert math.hypot(x1, x2) == pytest.approx(1.0 if label == 0 else 0.3, abs=1e-12)


def test_xor_without_noise_is_labelled_by_the_signs():
    X, y = make_xor(n=100, noise=0.0, seed=4)
    assert y == [int((x1 > 0) != (x2 > 0)) for x1, x2 in X]
    assert all(-1.0 <= c <= 1.0 for point in X for c in point)


@pytest.mark.parametrize("generate", [*GENERATORS, line_data])
def test_seeded_and_leaves_the_global_random_state_alone(generate):
    random.seed(99)
    state = random.getstate()
    noisy = {"noise": 0.2}
    assert generate(seed=5, **noisy) == generate(seed=5, **noisy)
    assert generate(seed=5, **noisy) != generate(seed=6, **noisy)
    assert generate(seed=None, rng=random.Random(5), **noisy) == generate(seed=5, **noisy)
    assert random.getstate() == state


@pytest.mark.parametrize("generate", [*GENERATORS, line_data])
@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"n": 0}, ValueError, r"expected n to be an int in \[[12], 1000000\], got 0"),
        ({"n": 2.0}, TypeError, r"expected n to be an int, got 2\.0 \(float\)"),
        ({"noise": -0.1}, ValueError, r"expected noise to be a number >= 0\.0, got -0\.1"),
        ({"noise": math.inf}, ValueError, "expected noise to be a finite number, got inf"),
        ({"noise": "0.1"}, TypeError, "expected noise to be a number, got '0.1' \\(str\\)"),
        ({"rng": random.Random(0)}, ValueError, "give seed= or rng=, not both"),
    ],
)
def test_bad_arguments_are_clear_errors(generate, kwargs, error, message):
    with pytest.raises(error, match=f"^{generate.__name__}: {message}"):
        generate(**kwargs)


def test_bad_rng_slope_and_circle_factor():
    with pytest.raises(TypeError, match=r"^make_moons: expected rng to be a Random, got 5 "):
        make_moons(seed=None, rng=5)
    with pytest.raises(ValueError, match=r"^line_data: expected slope to be a finite number"):
        line_data(slope=math.inf)
    with pytest.raises(
        ValueError, match=r"^make_circles: expected factor .* \(0\.0, 1\.0\), got 1$"
    ):
        make_circles(factor=1)


def test_the_noise_is_the_documented_gaussian_from_the_seeded_generator():
    xs, zs = line_data(n=4, slope=2.0, noise=0.3, seed=8)
    draws = random.Random(8)
    assert zs == [2.0 * x + draws.gauss(0.0, 0.3) for x in xs]  # added, in order
    assert line_data(noise=0.3) == line_data(noise=0.3, seed=0)  # the default seed is 0
    assert line_data(n=1) == ([1.0], [2.0])


def test_xor_points_fill_the_square_and_default_to_100():
    X, y = make_xor(noise=0.0)
    assert len(X) == len(y) == 100
    for axis in (0, 1):
        assert min(p[axis] for p in X) < -0.5 and max(p[axis] for p in X) > 0.5
    assert make_xor(n=1, noise=0.0)[1] in ([0], [1])


def test_circle_points_are_evenly_spaced_and_jittered_by_the_noise():
    X, y = make_circles(n=8, noise=0.0, factor=0.5, seed=0)
    outer = sorted(
        (round(a, 12) + 0.0, round(b, 12) + 0.0) for (a, b), label in zip(X, y) if label == 0
    )
    angles = [2.0 * math.pi * i / 4 for i in range(4)]  # 4 points a quarter turn apart
    assert outer == sorted(
        (round(math.cos(t), 12) + 0.0, round(math.sin(t), 12) + 0.0) for t in angles
    )
    noisy, _ = make_circles(n=8, noise=0.1, seed=0)
    radii = [math.hypot(a, b) for a, b in noisy]
    assert all(r not in (0.5, 1.0) for r in radii)
