"""The labs' Python half (site/chainrule_site.py's lab requests) in CPython.

Every expected number is computed here with plain floats or a closed form, never
by the code under test; the lesson code (gradient_descent.descend) is compared too.
"""

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chainrule.lessons import gradient_descent
from nn import MLP, fit, make_moons
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


# --- who learns ------------------------------------------------------------------


def sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


LESSON = {"x": 0.1, "w1": 0.15, "b1": 0.4, "w2": 0.45, "b2": 0.65, "target": 0.25, "lr": 0.4}
VARIANT = {"seed": "987654321"}
"""A variant as a lab's URL names it (``?seed=987654321``)."""


def plain_worked_example(updates: int, given: dict = LESSON) -> dict[str, float]:
    """How far each parameter of the network moves in ``updates`` steps, trained in plain
    floats with the hand-derived gradients (the lecture's numbers, or a variant's)."""
    x, target, lr = given["x"], given["target"], given["lr"]
    w1, b1, w2, b2 = (given[name] for name in ("w1", "b1", "w2", "b2"))
    for _ in range(updates):
        a1 = sigmoid(w1 * x + b1)
        a2 = sigmoid(w2 * a1 + b2)
        delta2 = (a2 - target) * a2 * (1 - a2)
        delta1 = delta2 * w2 * a1 * (1 - a1)
        w1, b1, w2, b2 = (
            w1 - lr * delta1 * x,
            b1 - lr * delta1,
            w2 - lr * delta2 * a1,
            b2 - lr * delta2,
        )
    trained = {"w1": w1, "b1": b1, "w2": w2, "b2": b2}
    return {name: value - given[name] for name, value in trained.items()}


def test_w1_moves_about_1750_times_less_than_w2_in_300_updates():
    moved = {name: abs(d) for name, d in plain_worked_example(300).items()}
    answer = request("who_learns", prediction="1,000 times less or more", updates="300")
    assert answer["moved"] == pytest.approx(moved, rel=1e-9)
    assert f"{moved['w1']:.3g}" == "0.000504" and f"{moved['w2']:.3g}" == "0.884"
    assert "w1 moved 0.000504 and w2 0.884" in answer["summary"]
    assert 1700 < moved["w2"] / moved["w1"] < 1800 and answer["verdict"]["right"]
    wrong = request("who_learns", prediction="about 10 times less", updates="300")["verdict"]
    assert wrong == {"right": False, "message": "not about 10 times less: 1,000 times less or more"}


def test_who_learns_asks_for_a_prediction_and_a_whole_number_of_updates():
    assert "prediction" in request("who_learns", prediction="", updates="300")["error"]
    assert request("who_learns", prediction="about as far as w2", updates="2.5") == {
        "error": "updates: expected a whole number, got 2.5"
    }


def plain_chain(n: int, activation: str, x: float) -> float:
    """∂an/∂x of a1 = f(x), a2 = f(a1), ...: the product of the f'(z) factors."""
    derivative = {
        "sigmoid": lambda z: sigmoid(z) * (1 - sigmoid(z)),
        "tanh": lambda z: 1 - math.tanh(z) ** 2,
        "relu": lambda z: float(z > 0),
    }[activation]
    function = {"sigmoid": sigmoid, "tanh": math.tanh, "relu": lambda z: max(z, 0.0)}[activation]
    product, a = 1.0, x
    for _ in range(n):
        product *= derivative(a)
        a = function(a)
    return product


@pytest.mark.parametrize("n", range(2, 11))
@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_a_chains_bound_and_product_are_checked(n, activation):
    product = plain_chain(n, activation, 0.5)
    bound = (0.25 if activation == "sigmoid" else 1.0) ** n
    ask = {"n": str(n), "activation": activation, "x": "0.5"}
    assert request("chain_check", **ask, quantity="bound", answer=f"{bound:.3g}")["right"]
    assert not request("chain_check", **ask, quantity="bound", answer=f"{2 * bound:.3g}")["right"]
    right = request("chain_check", **ask, quantity="product", answer=f"{product:.3g}")
    assert right["right"] and "backward() gives" in right["message"]
    wrong = request("chain_check", **ask, quantity="product", answer=f"{1.5 * product:.3g}")
    assert wrong["status"] == "wrong" and "backward" not in wrong["message"]
    assert product <= bound * (1 + 1e-12)
    rows = request("chain", **ask)["rows"]
    assert len(rows) == n and rows[0][1] == "0.5000"


def test_the_three_effects_sigmoid_layers_far_from_the_output_barely_move():
    sigmoid_run = request("vanishing_effects", activation="sigmoid")
    relu_run = request("vanishing_effects", activation="relu")
    assert sigmoid_run["moved"][0] < 1e-2 * sigmoid_run["moved"][-1]
    assert relu_run["moved"][0] > 0.1 * relu_run["moved"][-1]
    assert sigmoid_run["updates"] is None and relu_run["updates"] is not None


def test_the_train_pages_vanishing_suggestion_shows_vanishing_at_its_defaults():
    """seed 0, 10 steps, six hidden layers of 6 with the softmax output: sigmoid's output
    layer's gradient norm is >= 100 times its first layer's, ReLU's <= 10 times."""
    ratios = {}
    for activation in ("sigmoid", "relu"):
        request(
            "train_start",
            dataset="moons",
            activation=activation,
            output="softmax",
            sizes="6,6,6,6,6,6",
            lr="0.1",
        )
        norms = request("train_steps", count=10)["norms"]
        X, labels = make_moons(100, seed=0)
        model = MLP(2, [6] * 6 + [2], activation=activation, seed=0)
        fit(model, X, labels, loss="cross_entropy", lr=0.1, epochs=10, progress=False)
        assert norms == pytest.approx(model.grad_norms(), rel=1e-9)
        ratios[activation] = norms[-1] / norms[0]
    assert ratios["sigmoid"] >= 100 and ratios["relu"] <= 10


# --- slopes by nudging -------------------------------------------------------------


def plain_error(w1=0.15, b1=0.4, w2=0.45, b2=0.65, given: dict = LESSON) -> float:
    a2 = sigmoid(w2 * sigmoid(w1 * given["x"] + b1) + b2)
    return 0.5 * (given["target"] - a2) ** 2


def plain_gradients(given: dict = LESSON) -> dict[str, float]:
    """The network's gradients by the hand-derived chain rule (the lecture's, or a variant's)."""
    x, w2, t = given["x"], given["w2"], given["target"]
    a1 = sigmoid(given["w1"] * x + given["b1"])
    a2 = sigmoid(w2 * a1 + given["b2"])
    delta2 = (a2 - t) * a2 * (1 - a2)
    delta1 = delta2 * w2 * a1 * (1 - a1)
    return {"w1": delta1 * x, "b1": delta1, "w2": delta2 * a1, "b2": delta2}


def test_nudging_w1_changes_e_by_about_1e_6_shown_to_10_figures():
    rows = request("slopes", parameter="w1", h="0.001")["rows"]
    shown = {name: float(e) for name, _, e in rows}
    assert shown["p"] == pytest.approx(plain_error(), rel=1e-9)
    change = plain_error(w1=0.151) - plain_error()
    assert f"{change:.3g}" == "1.02e-06"
    assert shown["p + h"] - shown["p"] == pytest.approx(change, rel=1e-3)
    assert f"{shown['p']:.4g}" == f"{shown['p + h']:.4g}"  # 4 figures show nothing


@pytest.mark.parametrize("parameter", ["w1", "b1", "w2", "b2"])
def test_a_slope_is_right_within_one_percent_of_backprop(parameter):
    gradient = plain_gradients()[parameter]
    for factor, right in ((1.009, True), (0.991, True), (1.02, False), (0.97, False)):
        answer = request(
            "slope_check", parameter=parameter, h="0.001", answer=repr(gradient * factor)
        )
        assert answer["right"] is right, (factor, answer)


def test_both_w1_and_w2_found_tells_how_much_slower_w1_learns():
    gradients = plain_gradients()
    ratio = gradients["w2"] / gradients["w1"]  # 55.9
    answer = request(
        "slope_check", parameter="w2", h="0.001", answer=repr(gradients["w2"]), known=["w1"]
    )
    assert f"w1 learns about {ratio:.0f} times slower" in answer["message"] and round(ratio) == 56
    alone = request("slope_check", parameter="w2", h="0.001", answer=repr(gradients["w2"]))
    assert "slower" not in alone["message"]


def test_the_slope_of_j_at_w0_and_bad_nudges():
    slope = -2 * sum(x * (z - 0.2 * x) for x, z in zip(XS, ZS))  # -1.98
    assert request("slope_check", parameter="w", h="0.001", answer="-1.98", w0="0.2")["right"]
    assert not request("slope_check", parameter="w", h="0.001", answer="1.98", w0="0.2")["right"]
    rows = request("slopes", parameter="w", h="0.01", w0="0.2")["rows"]
    assert (float(rows[2][2]) - float(rows[1][2])) / 0.01 == pytest.approx(slope, rel=1e-2)
    for h, message in (
        ("0", "h: expected a nudge"),
        ("abc", "h: expected a number, got 'abc'"),
        ("1e400", "h: expected a number, got '1e400'"),
    ):
        assert request("slopes", parameter="w1", h=h)["error"].startswith(message)


def test_a_variants_slopes_are_on_its_network_and_on_z_equal_k_x():
    given = request("variant", **VARIANT)["given"]
    ours, lessons = plain_gradients(given), plain_gradients()
    for parameter, gradient in ours.items():
        assert abs(gradient - lessons[parameter]) > 0.05 * abs(gradient)  # a different network
        for answer, right in ((gradient * 1.005, True), (lessons[parameter], False)):
            verdict = request(
                "slope_check", parameter=parameter, h="0.001", answer=repr(answer), **VARIANT
            )
            assert verdict["right"] is right, (parameter, answer, verdict)
    numbers = {name: given[name] for name in ("w1", "b1", "w2", "b2")}
    rows = request("slopes", parameter="b2", h="0.001", **VARIANT)["rows"]
    assert float(rows[1][2]) == pytest.approx(plain_error(**numbers, given=given), rel=1e-9)
    k, w0 = given["k"], given["w0"]
    slope = -2 * sum(x * (k * x - w0 * x) for x in XS)  # dJ/dw at w0 on z = k x
    lesson_slope = -2 * sum(x * (z - w0 * x) for x, z in zip(XS, ZS))
    assert abs(slope - lesson_slope) > 0.05 * abs(slope)
    at_w0 = {"parameter": "w", "h": "0.001", "w0": repr(w0), **VARIANT}
    assert request("slope_check", answer=repr(slope), **at_w0)["right"]
    assert not request("slope_check", answer=repr(lesson_slope), **at_w0)["right"]
    rows = request("slopes", **at_w0)["rows"]
    assert float(rows[1][2]) == pytest.approx(sum((k * x - w0 * x) ** 2 for x in XS), rel=1e-9)


def test_who_learns_trains_a_variants_network_at_its_lr():
    given = request("variant", **VARIANT)["given"]
    moved = {name: abs(d) for name, d in plain_worked_example(300, given).items()}
    answer = request("who_learns", prediction="further than w2", updates="300", **VARIANT)
    assert answer["moved"] == pytest.approx(moved, rel=1e-9)
    lessons = {name: abs(d) for name, d in plain_worked_example(300).items()}
    assert moved["w2"] != pytest.approx(lessons["w2"], rel=1e-3)
    assert answer["ratio"] == pytest.approx(moved["w2"] / moved["w1"], rel=1e-9)


# --- activations ---------------------------------------------------------------------


def test_the_cutoffs_where_the_derivatives_fall_below_one_hundredth():
    s = (1 + math.sqrt(1 - 4 * 0.01)) / 2  # σ(1 − σ) = 0.01, the larger root
    sigmoid_cutoff = math.log(s / (1 - s))
    tanh_cutoff = math.atanh(math.sqrt(1 - 0.01))  # 1 − tanh² = 0.01
    assert f"{sigmoid_cutoff:.4g}" == "4.585" and f"{tanh_cutoff:.4g}" == "2.993"
    assert request("cutoff_check", name="sigmoid", answer=f"{sigmoid_cutoff:.3g}")["right"]
    assert request("cutoff_check", name="tanh", answer="2.993")["right"]
    assert not request("cutoff_check", name="tanh", answer="4.585")["right"]
    shown = request("derivative_at", name="sigmoid", z="4.6")["text"]
    assert float(shown) == pytest.approx(sigmoid(4.6) * (1 - sigmoid(4.6)), rel=1e-3)
    assert request("derivative_at", name="tanh", z="abc") == {
        "error": "z: expected a number, got 'abc'"
    }


def test_two_linear_neurons_collapse_into_one():
    w1, b1, w2, b2 = 0.5, 1.0, -2.0, 0.25
    answer = request("collapse_check", weight=repr(w2 * w1), bias=repr(w2 * b1 + b2))
    assert answer["weight"]["right"] and answer["bias"]["right"]
    wrong = request("collapse_check", weight=repr(w1 * w2), bias=repr(b1 + b2))
    assert wrong["weight"]["right"] and not wrong["bias"]["right"]


def test_softmax_by_hand_on_the_students_scores():
    scores = [2.0, 1.0, 0.1]
    total = sum(math.exp(s) for s in scores)
    typed = [f"{math.exp(s) / total:.3g}" for s in scores]
    verdicts = request("softmax_check", scores="2, 1, 0.1", answers=typed)["verdicts"]
    assert [v["right"] for v in verdicts] == [True, True, True]
    partial = request("softmax_check", scores="2, 1, 0.1", answers=[typed[0], "0.5", ""])
    assert [v["status"] for v in partial["verdicts"]] == ["right", "wrong", "empty"]
    assert partial["verdicts"][2]["message"] == "no answer yet"  # the value is not given away
    assert "scores: expected 2 to 5" in request("softmax_check", scores="1", answers=[])["error"]


def test_the_binary_steps_gradient_is_zero():
    assert request("step_check", answer="0")["right"]
    wrong = request("step_check", answer="-0.5")
    assert wrong["status"] == "wrong" and wrong["message"].endswith("∂E/∂w = 0")


def test_dead_units_are_the_ones_whose_largest_pre_activation_is_not_positive():
    largest = [float(z) for z in request("dead_table")["largest"]]
    dead = sum(z <= 0 for z in largest)
    assert dead == 5
    assert request("dead_check", activation="relu", answer=str(dead))["right"]
    assert not request("dead_check", activation="relu", answer="0")["right"]
    assert request("dead_check", activation="leaky_relu", answer="0")["right"]


def test_the_sparsity_meter_counts_active_hidden_relu_outputs():
    X, _ = make_moons(100, seed=0)
    model = MLP(2, [16, 16, 1], activation="relu", seed=0)
    outputs = []
    for point in X:
        hidden = model.layers[0](point)
        outputs += [v.data for v in hidden] + [v.data for v in model.layers[1](hidden)]
    active = sum(v > 0 for v in outputs) / len(outputs)
    fresh = request("sparsity", steps=0)
    assert fresh["active"] == pytest.approx(active, rel=1e-12) and fresh["steps"] == 0
    assert request("sparsity", steps=10)["steps"] == 10
    assert request("sparsity_check", answer=f"{active:.1g}")["right"]
