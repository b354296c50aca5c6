"""The site's Python half (site/chainrule_site.py) in CPython: what each page request returns.

Expected numbers come from closed forms, the course's published results and plain-float
code written here, never from the module under test.
"""

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from autograd.show.frames import MAX_FRAMES
from nn import MLP, fit, make_moons
from tests.leaks import leaks
from tests.site import load
from tests.worked_example import lesson_answers

site = load("chainrule_site")


def request(request_name: str, /, **arguments: object) -> dict:
    """One page request, through the worker's entry point (JSON in, JSON out)."""
    return json.loads(site.dispatch(request_name, json.dumps(arguments)))


def test_formula_variables_in_order_of_first_use_without_function_names():
    assert site.formula_variables("tanh(w*x + b) + x") == ["w", "x", "b"]
    assert site.formula_variables("relu(relu)") == ["relu"]  # a variable may not shadow it...
    assert site.formula_variables("x +") == []  # ...and a syntax error is parse_expression's
    with pytest.raises(ValueError, match="variable name 'relu'"):
        site.playground("relu(relu)", {"relu": "1"})


def test_playground_gradients_are_the_closed_forms():
    x, w, b = 0.5, -1.2, 0.3
    answer = request(
        "playground", formula="tanh(w*x + b)", values={"x": "0.5", "w": "-1.2", "b": "0.3"}
    )
    t = math.tanh(w * x + b)
    assert answer["value"] == pytest.approx(t, rel=1e-15)
    assert answer["grads"] == pytest.approx(
        {"w": (1 - t * t) * x, "x": (1 - t * t) * w, "b": 1 - t * t}
    )
    assert answer["grad_texts"]["w"] == f"{(1 - t * t) * x:.4f}"
    assert [v["name"] for v in answer["variables"]] == ["w", "x", "b"]
    assert answer["root"] == "f" and answer["notes"] == []
    # The step-through: the forward frame, then one frame per op (tanh, +, *).
    assert [frame["title"][:11] for frame in answer["frames"]] == [
        "Step 0 of 3",
        "Step 1 of 3",
        "Step 2 of 3",
        "Step 3 of 3",
    ]


def test_a_variable_without_a_value_starts_at_one_and_values_read_like_answers():
    answer = request("playground", formula="x * y", values={"x": "0,5"})
    assert answer["grads"] == {"x": 1.0, "y": 0.5}


@pytest.mark.parametrize(
    ("formula", "values", "message"),
    [
        ("x.__class__", {}, "attribute access is not allowed"),
        ("log(x)", {"x": "-1"}, "log"),
        ("x / y", {"x": "1", "y": "0"}, "division"),
        ("x +", {}, "not a valid expression"),
        ("x * 2", {"x": "abc"}, "x: expected a number, got 'abc'"),
        ("x * 2", {"x": "nan"}, "x: expected a number, got 'nan'"),
        ("__import__('os')", {}, "not allowed"),
    ],
)
def test_a_bad_formula_or_value_is_a_message_naming_it(formula, values, message):
    answer = request("playground", formula=formula, values=values)
    assert message in answer["error"].lower() or message in answer["error"]
    assert "parse_expression" not in answer["error"]  # what the user typed, not our function


def test_a_value_for_a_name_the_formula_does_not_use_is_left_out_with_a_note():
    answer = request("playground", formula="x * y", values={"x": "2", "y": "3", "q": "3"})
    assert answer["grads"] == {"x": 3.0, "y": 2.0}
    assert answer["notes"] == ["q = 3 is left out: the formula has no q."]


def test_the_longest_formula_the_playground_takes_steps_through():
    terms = site.MAX_OPERATIONS // 2  # x*x + x*x + ...: two operations a term
    answer = request("playground", formula=" + ".join(["x*x"] * terms), values={"x": "1"})
    assert answer["grads"] == {"x": 2.0 * terms}
    assert 1 < len(answer["frames"]) <= MAX_FRAMES
    assert answer["notes"] == []


def test_quiz_asks_each_gradient_at_the_step_that_completes_it():
    x, w, b = 0.5, -1.2, 0.3
    answer = request(
        "playground", formula="tanh(w*x + b)", values={"x": "0.5", "w": "-1.2", "b": "0.3"}
    )
    asked = [[q["quantity"] for q in frame["questions"]] for frame in answer["frames"]]
    assert asked == [[], [], ["∂f/∂b"], ["∂f/∂w", "∂f/∂x"]]  # tanh, then +, then *
    slope = 1 - math.tanh(w * x + b) ** 2
    right = request("check", key="∂f/∂b", answer=f"{slope:.3g}")
    assert right["status"] == "right" and right["done"] and right["tries"] == 0
    wrong = request("check", key="∂f/∂w", answer="1")
    assert wrong["status"] == "wrong" and not wrong["done"]
    assert "Hint: ∂f/∂w = " in wrong["message"]
    request("check", key="∂f/∂w", answer="2")
    typo = request("check", key="∂f/∂w", answer="two")  # not a number: costs no try
    assert typo["status"] == "invalid" and not typo["done"] and typo["tries"] == 2
    third = request("check", key="∂f/∂w", answer="3")
    assert third["revealed"] and third["done"] and f"{slope * x:.3g}" in third["message"]
    assert (third["score"], third["finished"]) == (1, 2)  # the same score as the terminal
    assert request("check", key="∂f/∂q", answer="1")["error"].startswith("check: no open question")


def test_an_empty_answer_reveals_the_value():
    request("playground", formula="3 * x", values={"x": "2"})
    verdict = request("check", key="∂f/∂x", answer="")
    assert verdict["status"] == "empty" and verdict["revealed"]
    assert verdict["message"] == "∂f/∂x: the value is 3: ∂f/∂x = 3"


def test_a_twice_used_variable_is_asked_once_for_the_sum_over_its_uses():
    answer = request("playground", formula="x * x", values={"x": "3"})
    assert answer["frames"][1]["questions"][0]["quantity"] == "∂f/∂x"
    assert request("check", key="∂f/∂x", answer="6")["right"]  # d(x²)/dx = 2x


def test_explain_writes_every_path_of_the_chain_rule():
    request("playground", formula="x*x + x", values={"x": "3"})
    text = request("explain", name="x")["text"]
    assert text.splitlines()[0].count(" + ") == 2  # three paths: x, x and x itself
    assert text.endswith("= 7.0000")  # d(x*x + x)/dx = 2x + 1 at x = 3
    assert "no variable 'q'" in request("explain", name="q")["error"]


def test_worked_example_gives_the_courses_published_update():
    answer = request("worked", preset="lesson", values={})
    assert {u["name"]: u["new_text"] for u in answer["updated"]} == {
        "w2": "0.4272",
        "b2": "0.6121",
        "w1": "0.1496",
        "b1": "0.3959",
    }
    derivation = next(g["text"] for g in answer["gradients"] if g["name"] == "w2")
    assert "(a2 − T) · a2·(1 − a2) · a1" in derivation


def test_worked_example_as_code_runs_to_its_gradients_and_each_line_knows_its_node():
    answer = request("worked", preset="lesson", values={})
    lines = answer["code"]
    texts = [line["text"] for line in lines]
    assert "dE_dz2 = dE_da2 * a2 * (1.0 - a2)" in texts
    backward = [line["backward"] for line in lines]
    assert backward == sorted(backward) and backward[-1]  # forward lines, then backward
    steps = [line["input"] for line in lines if line["backward"]]
    assert steps[0] is None and None not in steps[1:]  # dE_dE = 1.0, then each edge's step
    assert all(isinstance(line["node"], int) for line in lines)
    namespace = {"math": math, "w1": 0.15, "b1": 0.4, "w2": 0.45, "b2": 0.65}
    exec("\n".join(texts), namespace)  # the page's own code: generated, no user text
    grads = {g["name"]: g["grad"] for g in answer["gradients"]}
    for name in ("w1", "b1", "w2", "b2"):
        assert namespace[f"dE_d{name}"] == pytest.approx(grads[name], rel=1e-12)


def test_worked_network_preset_is_the_plain_float_2_2_2_network():
    def sigma(z):
        return 1 / (1 + math.exp(-z))

    i1, i2, t1, t2 = 0.05, 0.10, 0.01, 0.99
    w = [0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.55]
    b1, b2, lr = 0.35, 0.60, 0.5  # each neuron's own bias, starting at its layer's number
    h1, h2 = sigma(w[0] * i1 + w[1] * i2 + b1), sigma(w[2] * i1 + w[3] * i2 + b1)
    o1, o2 = sigma(w[4] * h1 + w[5] * h2 + b2), sigma(w[6] * h1 + w[7] * h2 + b2)
    error = 0.5 * ((t1 - o1) ** 2 + (t2 - o2) ** 2)
    delta1 = (o1 - t1) * o1 * (1 - o1)
    delta2 = (o2 - t2) * o2 * (1 - o2)
    grad_h1 = (delta1 * w[4] + delta2 * w[6]) * h1 * (1 - h1)
    answer = request("worked", preset="network", values={})
    assert answer["E"] == pytest.approx(error, rel=1e-12)
    assert error == pytest.approx(0.298371109, abs=1e-9)  # the published figure
    grads = {g["name"]: g["grad"] for g in answer["gradients"]}
    assert grads["w2[1,1]"] == pytest.approx(delta1 * h1, rel=1e-12)
    assert grads["w1[1,1]"] == pytest.approx(grad_h1 * i1, rel=1e-12)
    assert grads["b1[1]"] == pytest.approx(grad_h1, rel=1e-12)  # its own, not a shared sum
    new = {u["name"]: u["new"] for u in answer["updated"]}
    assert new["w2[1,1]"] == pytest.approx(w[4] - lr * delta1 * h1, rel=1e-12)


def test_the_2_2_2_preset_is_the_network_file_the_command_reads(tmp_path):
    """The page's gradients and updates are ``chainrule backprop --network <file> --json``'s."""
    preset = site.presets()["network"]
    shipped = json.loads(site.EXAMPLE_NETWORK.read_text(encoding="utf-8"))
    numbers = [*shipped["inputs"]]
    for layer in shipped["layers"]:
        for row, bias in zip(layer["weights"], layer["biases"]):
            numbers += [*row, bias]
    assert list(preset.values()) == [*numbers, *shipped["targets"], shipped["lr"]]
    run = subprocess.run(
        [
            str(Path(sys.executable).with_name("chainrule")),
            "backprop",
            "--network",
            str(site.EXAMPLE_NETWORK),
            "--json",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        check=True,
    )
    record = json.loads(run.stdout)
    page = request("worked", preset="network", values={})
    grads = {g["name"]: g["grad"] for g in page["gradients"]}
    new = {u["name"]: u["new"] for u in page["updated"]}
    for number, (layer, updated) in enumerate(
        zip(record["gradients"]["layers"], record["updated"]["layers"]), 1
    ):
        for j, (row, bias) in enumerate(zip(layer["weights"], layer["biases"]), 1):
            assert grads[f"b{number}[{j}]"] == pytest.approx(bias, rel=1e-12, abs=1e-12)
            assert new[f"b{number}[{j}]"] == pytest.approx(updated["biases"][j - 1], rel=1e-12)
            for i, grad in enumerate(row, 1):
                assert grads[f"w{number}[{j},{i}]"] == pytest.approx(grad, rel=1e-12, abs=1e-12)
        assert len(grads) == 12 and page["E"] == pytest.approx(record["E"], rel=1e-12)


def test_worked_rejects_a_bad_number_or_rate():
    assert request("worked", preset="lesson", values={"x": "one"})["error"] == (
        "x: expected a number, got 'one'"
    )
    assert (
        "lr: expected a positive number"
        in request("worked", preset="lesson", values={"lr": "-1"})["error"]
    )


def test_training_steps_are_nn_fit_steps_and_the_loss_falls():
    request(
        "train_start", dataset="moons", activation="relu", output="score", sizes="16, 16", lr="0.1"
    )
    first = request("train_steps", count=12)
    second = request("train_steps", count=8)
    X, labels = make_moons(100, seed=0)
    model = MLP(2, [16, 16, 1], activation="relu", seed=0)
    history = fit(
        model, X, [2 * y - 1 for y in labels], loss="max_margin", lr=0.1, epochs=20, progress=False
    )
    assert first["loss"] + second["loss"] == pytest.approx(history.loss, rel=1e-12)
    assert second["step"] == 20 and second["loss"][-1] < first["loss"][0]
    assert second["norms"] == pytest.approx(model.grad_norms(), rel=1e-12)
    grid = request("train_grid", resolution=5)
    assert len(grid["scores"]) == 5 and all(len(row) == 5 for row in grid["scores"])
    assert grid["scores"][0][0] == pytest.approx(model([grid["low"], grid["low"]]).data, rel=1e-12)


def test_training_with_softmax_outputs_uses_cross_entropy_on_class_labels():
    answer = request(
        "train_start", dataset="xor", activation="tanh", output="softmax", sizes="4", lr="0.5"
    )
    assert answer["layers"] == 2 and set(answer["labels"]) == {0, 1}
    losses = request("train_steps", count=5)["loss"]
    assert losses[0] == pytest.approx(math.log(2), abs=0.5) and losses[-1] < losses[0]


def test_the_step_activation_trains_with_a_note_that_it_cannot_learn():
    request(
        "train_start", dataset="circles", activation="step", output="score", sizes="3", lr="0.1"
    )
    assert "derivative is 0 everywhere" in " ".join(request("train_steps", count=1)["notes"])


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"sizes": "16, x"}, "layer sizes: expected 1 to 6 whole numbers"),
        ({"sizes": "65"}, "a layer size"),
        ({"sizes": ""}, "layer sizes"),
        ({"lr": "fast"}, "learning rate: expected a number, got 'fast'"),
        ({"lr": "0"}, "lr"),
        ({"activation": "softmax"}, "softmax is for the output layer"),
        ({"activation": "swish"}, "activation to be one of 'sigmoid'"),
        ({"dataset": "spirals"}, "dataset"),
    ],
)
def test_training_settings_are_checked_with_a_message(settings, message):
    chosen = {
        "dataset": "moons",
        "activation": "relu",
        "output": "score",
        "sizes": "4",
        "lr": "0.1",
    }
    assert message in request("train_start", **{**chosen, **settings})["error"]


def test_the_site_checks_as_the_terminal_does_carry_forward_mistakes_formulas_quit():
    answer = request(
        "playground", formula="tanh(w*x + b)", values={"x": "0.5", "w": "-1.2", "b": "0.3"}
    )
    assert answer["rules"].startswith("An answer is right when it matches the true value")
    t = math.tanh(-1.2 * 0.5 + 0.3)
    assert request("check", key="∂f/∂b", answer="(1 - f**2)")["right"]  # a formula
    formula = request("check", key="∂f/∂w", answer="(1 - f**2)")  # the ×x forgotten: named
    assert formula["status"] == "wrong" and "∂(w·x)/∂w = x, so multiply by x" in formula["message"]
    assert request("check", key="∂f/∂x", answer=f"{(1 - t * t) * -1.2:.3g}")["right"]
    assert request("check", key="∂f/∂w", answer="quit")["quit"]


def test_the_order_question_takes_any_node_whose_users_are_done():
    answer = request("playground", formula="x*y + exp(x)", values={"x": "0.5", "y": "2"})
    first = answer["frames"][1]
    assert first["order"]["choices"] == sorted(first["order"]["choices"])
    assert request("check_order", step=1, name="f")["right"]  # the root comes first
    later = request("check_order", step=1, name="x·y")
    assert not later["right"] and "still waits for a node that uses it" in later["message"]
    second = request("check_order", step=2, name="exp(x)")  # either term of the sum may go next
    assert second["right"] and "(this page takes" in second["message"]
    assert request("check_order", step=2, name="f")["message"].startswith("not f: it is done")


def test_a_perfect_student_scores_full_marks_on_the_site():
    """The worked example typed into the Playground: every gradient asked, answered as a
    careful student works it by hand (plain floats here), scores full marks."""
    values = {"x": "0.1", "w1": "0.15", "b1": "0.4", "w2": "0.45", "b2": "0.65", "T": "0.25"}
    formula = "0.5*(T - sigmoid(w2*sigmoid(w1*x + b1) + b2))**2"
    answer = request("playground", formula=formula, values=values)
    asked = [q["quantity"] for frame in answer["frames"] for q in frame["questions"]]
    by_hand = lesson_answers()
    a1 = 1 / (1 + math.exp(-(0.15 * 0.1 + 0.4)))
    a2 = 1 / (1 + math.exp(-(0.45 * a1 + 0.65)))
    by_hand.update({"∂E/∂x": by_hand["∂E/∂z1"] * 0.15, "∂E/∂T": 0.25 - a2})
    assert sorted(asked) == sorted(f"∂f/∂{n}" for n in ("x", "w1", "b1", "w2", "b2", "T"))
    for quantity in asked:
        verdict = request("check", key=quantity, answer=f"{by_hand['∂E/∂' + quantity[4:]]:.3g}")
        assert verdict["right"], verdict
    assert (verdict["score"], verdict["finished"]) == (6, 6)


def test_a_quiz_drawing_is_valid_dot_with_no_pending_gradient_in_its_labels():
    x, w, b = 0.5, -1.2, 0.3
    slope = 1 - math.tanh(w * x + b) ** 2
    answer = request(
        "playground", formula="tanh(w*x + b)", values={"x": "0.5", "w": "-1.2", "b": "0.3"}
    )
    step_of = {"∂f/∂b": 2, "∂f/∂w": 3, "∂f/∂x": 3}
    value = {"∂f/∂b": slope, "∂f/∂w": slope * x, "∂f/∂x": slope * w}
    for index, frame in enumerate(answer["frames"]):
        asking = {q: v for q, v in value.items() if step_of[q] >= index}
        for key in ("question_dot", "order_dot", "question_title"):
            if key in frame:
                assert leaks(frame[key], asking) == [], (index, key)
        for key in ("question_dot", "order_dot", "quiz_dot"):
            if key in frame:
                drawn = subprocess.run(
                    ["dot", "-Tsvg"], input=frame[key], text=True, capture_output=True
                )
                assert drawn.returncode == 0, drawn.stderr
    assert "label=0.9151" in answer["frames"][2]["dot"]  # outside the quiz: the edge's number
    assert 'label="?"' in answer["frames"][2]["question_dot"]


def test_a_step_title_is_shown_once_by_the_page_not_again_inside_its_drawing():
    playground = request("playground", formula="x*y + x", values={"x": "2", "y": "3"})
    worked = request("worked", preset="lesson", values={})
    frames = playground["frames"] + worked["frames"]
    assert frames[0]["title"] == "Step 0 of 2: forward pass done, ∂f/∂f = 1"  # x*y, then + x
    assert worked["frames"][0]["title"].startswith("Step 0 of ")
    for frame in frames:
        for key in ("dot", "quiz_dot", "question_dot", "order_dot"):
            if key in frame:  # the drawing's caption keeps its colour key, not the title
                assert "Step " not in frame[key] and "input" in frame[key], key
