"""`chainrule backprop` with the teacher's numbers, a network file, --steps and --json."""

import io
import json
import math
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from chainrule.cli import main
from tests.worked_example import NET_222, by_hand_222, lesson_answers


def run_json(capsys, *options):
    assert main(["backprop", "--json", *options]) == 0
    captured = capsys.readouterr()
    # stderr holds nothing but progress lines ("\rdrawing ...: k of n"), shown for work
    # that takes over a second; stdout is the JSON alone
    assert re.fullmatch(r"((\r[^\r\n]*: \d+ of \d+)+\n)*", captured.err), captured.err
    return json.loads(captured.out)


def test_json_of_the_worked_example(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    record = run_json(capsys)
    answers = lesson_answers()
    assert set(record) == {"forward", "E", "gradients", "updated", "answers"}
    for name, value in answers.items():  # every quantity the quiz asks, as it names them
        assert record["answers"][name] == pytest.approx(value, rel=1e-12), name
    assert record["forward"] == pytest.approx(
        {name: answers[name] for name in ("z1", "a1", "z2", "a2", "E")}, rel=1e-12
    )
    assert record["E"] == pytest.approx(answers["E"], rel=1e-12)
    layers = record["gradients"]["layers"]
    for layer, w, b in [(layers[0], "∂E/∂w1", "∂E/∂b1"), (layers[1], "∂E/∂w2", "∂E/∂b2")]:
        assert layer["weights"] == [[pytest.approx(answers[w], rel=1e-12)]]
        assert layer["biases"] == [pytest.approx(answers[b], rel=1e-12)]
    updated = record["updated"]
    assert updated["inputs"] == [0.1] and updated["targets"] == [0.25] and updated["lr"] == 0.4
    assert updated["layers"][1]["weights"] == [[pytest.approx(answers["new w2"], rel=1e-12)]]
    assert updated["layers"][0]["biases"] == [pytest.approx(answers["new b1"], rel=1e-12)]
    assert not list(tmp_path.iterdir())  # --json alone writes no pictures
    key = record["answers"]
    assert {q: key[q] for q in answers} == pytest.approx(answers, rel=1e-12)


def quiz_prompts(monkeypatch, capsys, *options):
    """Every question the terminal quiz asks (Enter at each shows the value)."""
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n" * 100))
    assert main(["backprop", "--quiz", *options]) == 0
    out = capsys.readouterr().out.splitlines()
    return [line[: -len(" = ?")] for line in out if line.endswith(" = ?")]


@pytest.mark.parametrize("options", [[], ["--activation", "tanh", "--x", "0.5"]])
def test_json_answers_cover_every_quiz_question(capsys, monkeypatch, options):
    asked = quiz_prompts(monkeypatch, capsys, *options)
    asked_locals = quiz_prompts(monkeypatch, capsys, "--local-derivatives", *options)
    key = run_json(capsys, *options)["answers"]
    assert len(asked) == 17 and len(asked_locals) == 24  # the 24 quantities
    assert set(key) == set(asked) | set(asked_locals)
    assert key["∂a2/∂z2"] == pytest.approx(
        1 - key["a2"] ** 2 if options else key["a2"] * (1 - key["a2"]), rel=1e-12
    )


def test_json_with_output_dir_writes_the_pictures_it_names(capsys, tmp_path):
    record = run_json(capsys, "--output-dir", str(tmp_path), "--steps", "2", "--format", "svg")
    written = sorted(path.name for path in tmp_path.iterdir())
    assert written == ["E.svg", "backprop.gif", "backprop.html", "backward.svg", "forward.svg"]
    assert sorted(Path(path).name for path in record["files"]) == written


def test_json_of_a_222_network_matches_plain_floats(capsys, tmp_path):
    path = tmp_path / "net.json"
    path.write_text(json.dumps(NET_222), encoding="utf-8")
    record = run_json(capsys, "--network", str(path))
    forward, grads = by_hand_222(NET_222)
    assert record["forward"] == pytest.approx(forward, rel=1e-12)
    for got, expected in zip(record["gradients"]["layers"], grads):
        assert got["weights"] == [pytest.approx(row, rel=1e-12) for row in expected["weights"]]
        assert got["biases"] == pytest.approx(expected["biases"], rel=1e-12)
    lr = NET_222["lr"]
    for got, layer, grad in zip(record["updated"]["layers"], NET_222["layers"], grads):
        expected = [
            [w - lr * g for w, g in zip(row, grow)]
            for row, grow in zip(layer["weights"], grad["weights"])
        ]
        assert got["weights"] == [pytest.approx(row, rel=1e-12) for row in expected]
        assert got["activation"] == layer["activation"]


def test_updated_chains_like_steps(capsys, tmp_path):
    path = tmp_path / "net.json"
    path.write_text(json.dumps(NET_222), encoding="utf-8")
    two_steps = run_json(capsys, "--network", str(path), "--steps", "2")
    path.write_text(json.dumps(run_json(capsys, "--network", str(path))["updated"]), "utf-8")
    once_more = run_json(capsys, "--network", str(path))
    assert once_more["updated"] == two_steps["updated"]
    history = two_steps["E_history"]
    assert len(history) == 3 and history[0] == two_steps["E"] and history[1] == once_more["E"]
    assert history[0] > history[1] > history[2]
    # --lr overrides the file's lr
    faster = run_json(capsys, "--network", str(path), "--lr", "1.0")
    assert faster["updated"]["lr"] == 1.0


def test_teachers_numbers_and_steps_print_e_and_plot_it(capsys, tmp_path):
    options = ["--x", "0.5", "--target", "0.9", "--w1", "-0.3", "--activation", "tanh"]
    assert main(["backprop", *options, "--steps", "5", "--output-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "given: x = 0.5, T = 0.9, w1 = -0.3, b1 = 0.4, w2 = 0.45, b2 = 0.65" in out
    assert "a1     tanh(z1)" in out
    history = []  # the same run in plain floats, tanh neurons
    w1, b1, w2, b2 = -0.3, 0.4, 0.45, 0.65
    for _ in range(6):
        a1 = math.tanh(w1 * 0.5 + b1)
        a2 = math.tanh(w2 * a1 + b2)
        history.append(0.5 * (0.9 - a2) ** 2)
        d2 = (a2 - 0.9) * (1 - a2**2)
        d1 = d2 * w2 * (1 - a1**2)
        w1, b1, w2, b2 = w1 - 0.4 * d1 * 0.5, b1 - 0.4 * d1, w2 - 0.4 * d2 * a1, b2 - 0.4 * d2
    table = out[out.index("Training: 5 updates with lr = 0.4") :]
    rows = [line.split() for line in table.splitlines()[4:10]]
    assert [int(k) for k, _ in rows] == list(range(6))
    assert [float(e) for _, e in rows] == pytest.approx(history, rel=1e-3)
    plot = ET.parse(tmp_path / "E.svg").getroot()
    assert plot.tag.endswith("svg")
    ns = "{http://www.w3.org/2000/svg}"
    points = plot.find(f"{ns}polyline").get("points").split()
    assert len(points) == 6
    ys = [float(point.split(",")[1]) for point in points]
    assert ys == sorted(ys)  # E falls, so the line goes down the picture
    assert f"{tmp_path / 'E.svg'}" in out


def test_network_file_pictures(capsys, tmp_path):
    path = tmp_path / "net.json"
    path.write_text(json.dumps(NET_222), encoding="utf-8")
    folder = tmp_path / "out"
    assert (
        main(["backprop", "--network", str(path), "--output-dir", str(folder), "--format", "svg"])
        == 0
    )
    out = capsys.readouterr().out
    assert "Backpropagation, the network in" in out
    assert (
        "∂E/∂w1[1,1] = ∂E/∂a2[1] · ∂a2[1]/∂z2[1] · ∂z2[1]/∂a1[1] · ∂a1[1]/∂z1[1] · ∂z1[1]/∂w1[1,1]"
        in out
    )
    drawing = (folder / "backward.svg").read_text(encoding="utf-8")
    assert "w2[1,2]" in drawing and "layer 2, neuron 1" in drawing and "w·x+b" in drawing
    assert "w2[1,2]" in (folder / "backprop.html").read_text(encoding="utf-8")


def layer0(**changes):
    return {**NET_222, "layers": [{**NET_222["layers"][0], **changes}, NET_222["layers"][1]]}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not valid JSON: Expecting property name enclosed in double quotes"),
        (json.dumps({**NET_222, "targets": [1.0]}), "expected targets to have 2 numbers"),
        (
            json.dumps(layer0(weights=[[0.1, -0.2, 0.3], [0.4, 0.3]])),
            "expected layers[0].weights[0] to have 2 numbers (one per input of the layer), got 3",
        ),
        (json.dumps(layer0(activation="swish")), "expected layers[0].activation to be one of"),
        (
            json.dumps({**NET_222, "inputs": "1, 2"}),
            'expected inputs to be a non-empty list, got "1, 2"',
        ),
        (json.dumps({**NET_222, "lr": -1}), "expected lr to be a number > 0, got -1.0"),
        (
            '{"inputs": [Infinity], "layers": [], "targets": []}',
            "expected inputs[0] to be a finite number, got Infinity",
        ),
    ],
)
def test_bad_network_file_is_one_line_exit_2(capsys, tmp_path, text, message):
    path = tmp_path / "net.json"
    path.write_text(text, encoding="utf-8")
    folder = tmp_path / "out"
    assert main(["backprop", "--network", str(path), "--output-dir", str(folder)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"chainrule backprop: error: {path}")
    assert message in captured.err and len(captured.err.splitlines()) == 1
    assert not folder.exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--x", "abc"], "argument --x: expected a finite number, got 'abc'"),
        (["--w2", "nan"], "argument --w2: expected a finite number, got 'nan'"),
        (["--steps", "0"], "argument --steps: expected a whole number from 1 to 10000, got '0'"),
        (["--steps", "2.5"], "--steps: expected a whole number from 1 to 10000, got '2.5'"),
        (["--activation", "swish"], "argument --activation: invalid choice: 'swish'"),
        (["--network", "missing.json"], "cannot read network file 'missing.json'"),
        (["--network", "net.json", "--x", "1"], "--x cannot be used with --network"),
        (["--tolerance", "2"], "--local-derivatives and --tolerance are for --quiz"),
    ],
)
def test_bad_options_are_one_line_exit_2(capsys, tmp_path, monkeypatch, options, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "net.json").write_text(json.dumps(NET_222), encoding="utf-8")
    assert main(["backprop", *options]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.splitlines()) == 1 and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["net.json"]
