"""Variants: 1,000 seeds checked against every guarantee, with plain floats computed here."""

import hashlib
import itertools
import json
import math

import pytest

from autograd import Value
from chainrule.cli import main
from chainrule.lessons.backprop import worked_example
from chainrule.questions import answer_key
from chainrule.variants import seed_of, variant
from tests.classroom import NETWORK_GIVENS, XS, plain_answers
from tests.worked_example import sigmoid


def same_to_three_figures(typed, expected):
    """The quiz's rule, written out: within half a unit of the 3rd significant figure of
    ``expected``, or ``expected`` rounded to 3 figures (for 0: within 0.0005)."""
    if expected == 0:
        return abs(typed) <= 0.0005
    exponent = math.floor(math.log10(abs(expected)))
    half = 0.5 * 10 ** (exponent - 2)
    return abs(typed - expected) <= half * (1 + 1e-9) or typed == round(expected, 2 - exponent)


def catalogued_mistakes(given):
    """Each question's catalogued wrong answers (``chainrule.mistakes``, through
    ``answer_key``) on a graph of the variant's numbers built here from Values."""
    leaf = {name: Value(given[name], label=name) for name in ("x", "w1", "b1", "w2", "b2")}
    z1 = leaf["w1"] * leaf["x"] + leaf["b1"]
    z1.label = "z1"
    a1 = z1.sigmoid()
    a1.label = "a1"
    z2 = leaf["w2"] * a1 + leaf["b2"]
    z2.label = "z2"
    a2 = z2.sigmoid()
    a2.label = "a2"
    error = 0.5 * (Value(given["target"], label="T") - a2) ** 2
    error.label = "E"
    parameters = [leaf[name] for name in ("w1", "b1", "w2", "b2")]
    key = answer_key(error, lr=given["lr"], parameters=parameters, local_derivatives=True)
    return {entry.quantity: entry.mistakes for entry in key}


def plain_error(given, w1, b1, w2, b2):
    a1 = sigmoid(w1 * given["x"] + b1)
    return 0.5 * (given["target"] - sigmoid(w2 * a1 + b2)) ** 2


def assert_workable(chosen, seed):
    """Every guarantee of a variant, checked in plain floats."""
    given = chosen.given()
    assert set(given) == {*NETWORK_GIVENS, "k", "w0", "alpha"}
    for name, value in given.items():
        assert abs(value * 100 - round(value * 100)) < 1e-9, (seed, name, value)
    expected = plain_answers(given)
    answers = chosen.answers()
    assert answers.keys() == expected.keys()
    for name, value in expected.items():
        assert answers[name] == pytest.approx(value, rel=1e-12, abs=1e-15), (seed, name)
    assert abs(expected["z1"]) <= 2 and abs(expected["z2"]) <= 2, seed
    new = {p: expected[f"new {p}"] for p in ("w1", "b1", "w2", "b2")}
    assert plain_error(given, **new) < expected["E"], seed
    for p in new:
        assert not same_to_three_figures(given[p], new[p]), (seed, p)
    for name, mistakes in catalogued_mistakes(given).items():
        for mistake, wrong in mistakes.items():
            assert not same_to_three_figures(wrong, expected[name]), (seed, name, mistake)
            assert not same_to_three_figures(expected[name], wrong), (seed, name, mistake)
    assert given["alpha"] < 1 / sum(xi * xi for xi in XS), seed
    ws = [given["w0"], expected["w_1"], expected["w_2"], expected["w_3"]]
    costs = [expected[f"J(w_{k})"] for k in range(4)]
    assert costs == sorted(costs, reverse=True) and len(set(costs)) == 4, seed
    for earlier, later in itertools.pairwise(ws):
        assert not same_to_three_figures(earlier, later), seed


def test_a_thousand_seeds_keep_every_guarantee_on_both_tasks():
    for seed in range(1000):
        chosen = variant(seed=seed)
        assert_workable(chosen, seed)
        assert_diverges(variant(seed=seed, task="divergence"), chosen.given(), seed)


def assert_diverges(chosen, descent_given, seed):
    """The divergence task's guarantees in plain floats; its network, k and w0 are the
    descent variant's (``descent_given``, whose guarantees are checked with it)."""
    given = chosen.given()
    assert chosen.task == "divergence"
    assert given == {**descent_given, "alpha": given["alpha"]}, seed
    alpha, k = given["alpha"], given["k"]
    threshold = 1 / sum(xi * xi for xi in XS)
    assert abs(alpha * 100 - round(alpha * 100)) < 1e-9 and alpha > threshold, seed
    w, ws, costs = given["w0"], [], []
    for _ in range(4):
        ws.append(w)
        costs.append(sum((k * xi - w * xi) ** 2 for xi in XS))
        w -= alpha * -2 * sum(xi * (k * xi - w * xi) for xi in XS)
    answers = chosen.answers()
    for step in range(4):
        assert answers[f"J(w_{step})"] == pytest.approx(costs[step], rel=1e-12), seed
    assert [answers[f"w_{step}"] for step in (1, 2, 3)] == pytest.approx(ws[1:], rel=1e-12)
    assert costs == sorted(costs) and len(set(costs)) == 4, seed  # J rises at each step
    assert abs(ws[3] - k) > abs(ws[0] - k), seed  # away from the minimum w = k
    for earlier, later in itertools.pairwise(ws):
        assert not same_to_three_figures(earlier, later), seed


def test_a_task_is_descent_or_divergence():
    with pytest.raises(ValueError, match="variant: task must be one of descent, divergence, "
                       "got 'diverge'"):  # fmt: skip
        variant(seed=1, task="diverge")
    key = variant("Ada Okafor", "hw2", task="divergence").key()
    assert key["task"] == "divergence" and variant(seed=1).key()["task"] == "descent"


def test_the_seed_of_a_student_is_sha256_of_assignment_and_name():
    digest = hashlib.sha256(b"hw2\nAda Okafor").digest()
    assert seed_of("Ada Okafor", "hw2") == int.from_bytes(digest[:6], "big")
    assert seed_of("  Ada Okafor ", "hw2") == seed_of("Ada Okafor", "hw2")
    assert seed_of("Ada Okafor", "hw3") != seed_of("Ada Okafor", "hw2")
    chosen = variant("Ada Okafor", "hw2")
    assert chosen.seed == seed_of("Ada Okafor", "hw2")
    assert chosen.given() == variant(seed=chosen.seed).given()


@pytest.mark.parametrize(
    "arguments",
    [
        {"seed": -1},
        {"seed": 2**53},
        {"seed": 1.5},
        {"student": "Ada"},
        {"student": "", "assignment": "hw2"},
        {"student": "Ada", "assignment": "hw2", "seed": 3},
    ],
)
def test_a_variant_needs_names_or_a_seed(arguments):
    with pytest.raises((ValueError, TypeError), match=r"variant|seed_of"):
        variant(**arguments)


def test_the_command_and_the_notebook_print_the_same_bytes(capsys):
    for seed in (0, 1, 2**53 - 1):
        assert main(["backprop", "--seed", str(seed), "--json"]) == 0
        printed = capsys.readouterr().out
        example = worked_example(seed=seed)
        assert printed == example.variant.json() + "\n"
        record = json.loads(printed)
        assert record["answers"] == pytest.approx(plain_answers(record["given"]), rel=1e-12)
        assert record["forward"]["E"] == example.E.data
        assert record["updated"]["lr"] == record["given"]["lr"] == example.lr


def test_the_notebook_api_takes_a_student(capsys):
    example = worked_example(student="Ada Okafor", assignment="hw2")
    given = example.variant.given()
    assert (example.x.data, example.w2.data, example.target.data) == (
        given["x"],
        given["w2"],
        given["target"],
    )
    assert example.quiz().questions[-1].expected == pytest.approx(
        plain_answers(given)["new w1"], rel=1e-12
    )
    with pytest.raises(ValueError, match="numbers or a variant"):
        worked_example(0.3, seed=1)


def test_the_command_gives_a_students_answers(capsys):
    argv = ["backprop", "--student", "Ada Okafor", "--assignment", "hw2", "--json"]
    assert main(argv) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["student"] == "Ada Okafor" and record["seed"] == seed_of("Ada Okafor", "hw2")
    assert record["answers"] == variant("Ada Okafor", "hw2").answers()


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--seed", "3", "--w1", "0.2"], "--w1 cannot be used with a variant"),
        (["--seed", "3", "--lr", "0.2"], "--lr cannot be used with a variant"),
        (["--student", "Ada"], "--student needs --assignment"),
        (["--assignment", "hw2"], "--assignment needs --student"),
        (["--seed", "3", "--student", "A", "--assignment", "B"], "not both"),
    ],
)
def test_the_command_refuses_a_variant_with_other_numbers(argv, message, capsys):
    assert main(["backprop", *argv, "--json"]) == 2
    error = capsys.readouterr().err
    assert message in error and len(error.strip().splitlines()) == 1


def test_a_bad_seed_is_a_usage_error(capsys):
    assert main(["backprop", "--seed", "-4", "--json"]) == 2
    assert "--seed: expected a whole number in [0, 2^53)" in capsys.readouterr().err


def test_the_command_takes_the_divergence_task(tmp_path, capsys):
    assert main(["backprop", "--seed", "5", "--task", "divergence", "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["task"] == "divergence"
    assert record["given"]["alpha"] > 1 / sum(xi * xi for xi in XS)
    assert main(["backprop", "--task", "divergence"]) == 2
    assert "--task needs --student and --assignment, or --seed" in capsys.readouterr().err
    assert main(["backprop", "--seed", "5", "--task", "diverge"]) == 2
    assert "invalid choice: 'diverge'" in capsys.readouterr().err
    roster = tmp_path / "roster.csv"
    roster.write_text("Ada Okafor\n", encoding="utf-8")
    keys = tmp_path / "keys"
    argv = ["--roster", str(roster), "--assignment", "hw2", "--task", "divergence"]
    assert main(["variants", *argv, "--output-dir", str(keys)]) == 0
    (key_file,) = keys.iterdir()
    key = json.loads(key_file.read_text(encoding="utf-8"))
    notebook = worked_example(student="Ada Okafor", assignment="hw2", task="divergence")
    assert key["task"] == "divergence" and key["given"] == notebook.variant.given()
    assert key["given"]["alpha"] > 1 / sum(xi * xi for xi in XS)
