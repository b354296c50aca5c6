"""The labs' Python half (site/chainrule_site.py's lab requests) in CPython.

Every expected number is computed here with plain floats or a closed form, never
by the code under test; the lesson code (gradient_descent.descend) is compared too.
"""

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nn.lessons import gradient_descent
from tests.site import load

site = load("chainrule_site")
XS = [0.1, 0.2, 0.3, 0.4, 0.5]
ZS = [2 * x for x in XS]
S = sum(x * x for x in XS)  # 0.55
DATA = {"xs": "0.1, 0.2, 0.3, 0.4, 0.5", "zs": "0.2, 0.4, 0.6, 0.8, 1"}


def request(request_name: str, /, **arguments: object) -> dict:
    return json.loads(site.dispatch(request_name, json.dumps(arguments)))


def plain_descent(w0: float, alpha: float, steps: int) -> list[float]:
    """w_{k+1} = w_k + 2 α Σ x (z − w_k x), in plain floats."""
    ws = [w0]
    for _ in range(steps):
        ws.append(ws[-1] + 2 * alpha * sum(x * (z - ws[-1] * x) for x, z in zip(XS, ZS)))
    return ws


def closed_form_regime(alpha: float) -> str:
    factor = 1 - 2 * alpha * S
    if factor > 0.9:
        return "crawls"
    if factor >= 0:
        return "converges smoothly"
    if factor > -1:
        return "zig-zags but converges"
    return "diverges" if factor < -1 else "bounces forever"


@pytest.mark.parametrize(
    ("alpha", "regime", "said"),
    [
        (2.0, "diverges", "Diverged by step 10"),
        (1.5, "zig-zags but converges", "Zig-zags but converges"),
        (0.02, "crawls", "Crawls"),
        (0.4, "converges smoothly", "Converges smoothly"),
    ],
)
def test_the_lectures_runs_their_weights_and_regimes(alpha, regime, said):
    answer = request("descent", w0="0.2", alpha=str(alpha), steps="10", **DATA)
    shown = [row["w"] for row in answer["rows"]]
    assert shown == pytest.approx(plain_descent(0.2, alpha, 10), rel=1e-12, abs=1e-12)
    closed = [2 + (1 - 2 * alpha * S) ** k * (0.2 - 2) for k in range(11)]
    assert shown == pytest.approx(closed, rel=1e-12, abs=1e-12)
    lesson = [step.w for step in gradient_descent.descend(XS, ZS, 0.2, alpha, 10)]
    assert shown == pytest.approx(lesson, rel=1e-12, abs=1e-12)
    assert answer["regime"] == regime and answer["words"].startswith(said)
    assert f"w10 = {float(f'{closed[10]:.4g}'):g}" in answer["words"]


def test_the_issues_numbers_w10():
    assert "w10 = -9.145" in request("descent", alpha="2.0", **DATA)["words"]
    assert "w10 = 0.559" in request("descent", alpha="0.02", **DATA)["words"]


@given(st.floats(min_value=1e-3, max_value=5.0))
def test_the_regime_is_the_closed_forms_for_every_alpha(alpha):
    answer = request("descent", alpha=repr(alpha), steps="3", **DATA)
    assert answer["regime"] == closed_form_regime(alpha)


def test_a_diverging_run_stops_before_floats_overflow():
    answer = request("descent", alpha="100", steps="50", xs="10, 10", zs="1, 1")
    assert answer["regime"] == "diverges"
    assert all(math.isfinite(row["J"]) for row in answer["rows"])
    assert len(answer["rows"]) < 51 and "too large for a float" in answer["words"]


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("alpha", "", "α: expected a number, got ''"),
        ("alpha", "abc", "α: expected a number, got 'abc'"),
        ("alpha", "1e400", "α: expected a number, got '1e400'"),
        ("alpha", "-0.5", "α: expected a positive number, got -0.5"),
        ("w0", "1e400", "w0: expected a number, got '1e400'"),
        ("steps", "0", "steps: expected a number from 1 to 50, got 0"),
        ("xs", "0, 0, 0, 0, 0", "x values: expected at least one x that is not 0"),
        ("zs", "1, 2", "z values: expected 5 numbers, one per x, got 2"),
    ],
)
def test_bad_settings_are_one_line_messages_naming_the_box(field, text, message):
    answer = request("descent", **{**DATA, field: text})
    assert answer == {"error": message}


def test_a_prediction_is_checked_against_the_run():
    w1 = plain_descent(0.2, 0.4, 1)[1]  # 0.992
    right = request(
        "descent_predict",
        w0="0.2",
        alpha="0.4",
        regime="converges smoothly",
        w1=f"{w1:.3g}",
        **DATA,
    )
    assert right["regime"]["right"] and right["w1"]["status"] == "right"
    wrong = request(
        "descent_predict", w0="0.2", alpha="2.0", regime="zig-zags but converges", w1="0.5", **DATA
    )
    assert wrong["regime"] == {"right": False, "message": "not zig-zags but converges: it diverges"}
    assert wrong["w1"]["status"] == "wrong"


@pytest.mark.parametrize(
    ("which", "answer", "status"),
    [
        ("divergence", f"{1 / S:.2g}", "right"),  # 1.8
        ("divergence", "1.2", "wrong"),
        ("overshoot", f"{1 / (2 * S):.2g}", "right"),  # 0.91
        ("overshoot", "1.8", "wrong"),
        ("overshoot", "half", "invalid"),
    ],
)
def test_the_thresholds_found_by_experiment_are_one_over_s_and_half_that(which, answer, status):
    assert request("descent_threshold", which=which, answer=answer, **DATA)["status"] == status


def test_moving_a_data_point_moves_the_threshold():
    moved = {"xs": "0.1, 0.2, 0.3, 0.4, 1.0", "zs": DATA["zs"]}
    critical = 1 / (0.01 + 0.04 + 0.09 + 0.16 + 1.0)
    verdict = request("descent_threshold", which="divergence", answer=f"{critical:.2g}", **moved)
    assert verdict["status"] == "right"
    assert (
        request("descent_threshold", which="divergence", answer="1.8", **moved)["status"] == "wrong"
    )
