"""Rosters, keys and regrading hand-ins, through the `chainrule` command."""

import csv
import json

import pytest

from chainrule.cli import main
from tests.classroom import (
    ROSTER,
    hand_in_file,
    plain_answers,
    seed,
    sign_carried_forward,
)


@pytest.fixture
def roster(tmp_path):
    path = tmp_path / "roster.csv"
    rows = ["student,email"] + [f'"{name}",x@example.org' for name in ROSTER]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_forty_names_give_forty_distinct_keys_that_agree_with_plain_floats(
    roster, tmp_path, capsys
):
    keys = tmp_path / "keys"
    argv = ["variants", "--roster", str(roster), "--assignment", "hw2", "--output-dir", str(keys)]
    assert main(argv) == 0
    files = sorted(keys.iterdir())
    assert len(files) == 40
    found = [json.loads(path.read_text(encoding="utf-8")) for path in files]
    assert sorted(key["student"] for key in found) == sorted(ROSTER)
    assert len({tuple(key["given"].values()) for key in found}) == 40
    for key in found:
        assert set(key) == {
            "student",
            "assignment",
            "seed",
            "task",
            "given",
            "answers",
            "wrong_answers",
        }
        assert key["task"] == "descent"
        assert key["assignment"] == "hw2" and key["seed"] == seed(key["student"], "hw2")
        expected = plain_answers(key["given"])
        assert key["answers"].keys() == expected.keys()
        for name, value in expected.items():
            assert abs(key["answers"][name] - value) <= 1e-12 * max(1.0, abs(value)), name
        a2, t, lr, w2 = (
            expected["a2"],
            key["given"]["target"],
            key["given"]["lr"],
            key["given"]["w2"],
        )
        plain = {
            "∂E/∂a2": {"sign": t - a2, "half": 2 * (a2 - t)},
            "new w2": {
                "update-added": w2 + lr * expected["∂E/∂w2"],
                "not-updated": w2,
                "lr-left-out": w2 - expected["∂E/∂w2"],  # dropped where it is right (lr = 1)
            },
        }
        for quantity, numbers in plain.items():
            wrong = key["wrong_answers"][quantity]
            assert "sign" in wrong or quantity != "∂E/∂a2"
            assert wrong == pytest.approx({m: numbers[m] for m in wrong}, rel=1e-12)
            assert len(wrong) >= 2
    capsys.readouterr()
    student = found[7]["student"]
    assert main(["backprop", "--student", student, "--assignment", "hw2", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["answers"] == found[7]["answers"]


@pytest.mark.parametrize(
    "content, line, message",
    [
        (b"Ada\n\n,x@example.org\n", 3, "name is empty"),
        (b"Ada\nBo\nada \n", 3, "'ada' is already on line 1"),
        (b"Ada\n" + b"B" * 10_000_000 + b"\n", 2, "longer than 1000 characters"),
        ("Ada\nBjörn\n".encode("latin-1"), 2, "not UTF-8"),
    ],
)
def test_a_bad_roster_is_one_line_and_touches_nothing(content, line, message, tmp_path, capsys):
    path = tmp_path / "roster.csv"
    path.write_bytes(content)
    keys = tmp_path / "keys"
    keys.mkdir()
    (keys / "old.json").write_text("kept", encoding="utf-8")
    argv = ["variants", "--roster", str(path), "--assignment", "hw2", "--output-dir", str(keys)]
    assert main(argv) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and len(error) < 300
    assert f"{path}, line {line}: " in error and message in error
    assert [p.name for p in keys.iterdir()] == ["old.json"]
    assert (keys / "old.json").read_text(encoding="utf-8") == "kept"


def test_grade_regrades_from_the_seed_and_ignores_claimed_verdicts(tmp_path, capsys):
    old_weight = {"new w2": lambda given, answers: given["w2"]}
    files = [
        hand_in_file(tmp_path, name, carried=sign_carried_forward if i < 11 else None,
                     mistakes=old_weight if 11 <= i < 16 else {},
                     verdicts={"∂E/∂a2": "right", "new w2": "right"}, code=i % 3 == 0)
        for i, name in enumerate(ROSTER[:30])
    ]  # fmt: skip
    marks = tmp_path / "marks.csv"
    assert main(["grade", *map(str, files), "--csv", str(marks)]) == 0
    report = capsys.readouterr().out
    rows = list(csv.DictReader(marks.read_text(encoding="utf-8").splitlines()))
    assert len(rows) == 30
    by_student = {row["student"]: row for row in rows}
    for i, name in enumerate(ROSTER[:30]):
        row = by_student[name]
        asked = int(row["asked"])
        assert asked == 17 + 11  # the quiz's questions and the J(w) table's blanks
        assert int(row["right"]) == asked - (i < 16)  # one mistake carried forward: one mark
        assert row["∂E/∂a2"] == ("wrong" if i < 11 else "right")
        assert row["new w2"] == ("wrong" if 11 <= i < 16 else "right")
        assert row["seconds"] == "600"
    counts = {line[:12].strip(): line[12:].split() for line in report.splitlines()}
    assert counts["∂E/∂a2"] == ["19", "11", "0", "0"]
    assert counts["new w2"] == ["25", "5", "0", "0"]
    assert counts["∂E/∂w1"] == ["30", "0", "0", "0"]
    wrong = report.split("Most common wrong answers:\n")[1].splitlines()
    assert wrong[0].startswith("11/30 for ∂E/∂a2: the sign of (T − a2) (e.g. ")
    assert wrong[1].startswith("5/30 for new w2: the parameter not updated (e.g. ")
    assert wrong[2:] == [str(marks)]


def test_forged_corrupt_and_other_assignment_hand_ins_are_one_line_each(tmp_path, capsys):
    good = hand_in_file(tmp_path, "Ada Okafor")
    forged = tmp_path / "forged.json"
    data = json.loads(hand_in_file(tmp_path, "Bo Lund").read_text(encoding="utf-8"))
    data["seed"] = seed("Ada Okafor", "hw2")
    forged.write_text(json.dumps(data), encoding="utf-8")
    other = hand_in_file(tmp_path, "Chidi Müller", assignment="hw3")
    corrupt = tmp_path / "corrupt.json"
    corrupt.write_bytes(b'{"chainrule": "hand-in", "student": ')
    damaged = tmp_path / "damaged.txt"
    damaged.write_text("chainrule1:eJzLSM3JyQcABiwCFQ", encoding="utf-8")
    argv = ["grade", *map(str, (good, forged, other, corrupt, damaged))]
    assert main(argv) == 2
    captured = capsys.readouterr()
    errors = captured.err.splitlines()
    assert len(errors) == 4
    assert f"{forged}: forged" in errors[0]
    assert f"{other}: for assignment 'hw3', not 'hw2'" in errors[1]
    assert f"{corrupt}: corrupt" in errors[2] and f"{damaged}: corrupt" in errors[3]
    assert "Ada Okafor" in captured.out and "Bo Lund" not in captured.out


def test_a_hand_in_by_seed_alone_is_regraded_from_its_seed(tmp_path, capsys):
    sign = {"∂E/∂a2": lambda given, answers: given["target"] - float(answers["a2"])}
    claimed = {"∂E/∂a2": "right"}
    first = hand_in_file(tmp_path, None, mistakes=sign, verdicts=claimed, by_seed=987654321)
    second = hand_in_file(tmp_path, None, assignment=None, code=True, by_seed=0)
    again = tmp_path / "again.json"
    again.write_bytes(first.read_bytes())
    named = hand_in_file(tmp_path, "Ada Okafor")
    marks = tmp_path / "marks.csv"
    assert main(["grade", str(first), str(again), str(named), "--csv", str(marks)]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and f"{again}: 'seed 987654321' already handed in" in error
    rows = {row["student"]: row for row in csv.DictReader(marks.open(encoding="utf-8"))}
    assert rows.keys() == {"seed 987654321", "Ada Okafor"}
    assert rows["seed 987654321"]["seed"] == "987654321"
    assert rows["seed 987654321"]["∂E/∂a2"] == "wrong"  # the claimed verdict is not read
    assert rows["seed 987654321"]["right"] == "27" and rows["Ada Okafor"]["right"] == "28"
    assert main(["grade", str(second)]) == 0
    assert capsys.readouterr().out.splitlines()[2].split()[:3] == ["seed", "0", "28/28"]
    data = json.loads(first.read_text(encoding="utf-8"))
    for bad, message in [(-1, "not a whole number"), (2**53, "below 2^53"), ("7", "whole")]:
        (tmp_path / "bad.json").write_text(json.dumps({**data, "seed": bad}), encoding="utf-8")
        assert main(["grade", str(tmp_path / "bad.json")]) == 2
        assert message in capsys.readouterr().err


def test_a_divergence_hand_in_is_graded_on_its_task(tmp_path, capsys):
    from chainrule.classroom import HandIn
    from chainrule.variants import variant

    given = variant("Ada Okafor", "hw2", task="divergence").given()
    answers = {name: f"{value:.4g}" for name, value in plain_answers(given).items()}
    handed = HandIn("Ada Okafor", "hw2", seed("Ada Okafor", "hw2"), answers, task="divergence")
    path = tmp_path / "ada.json"
    path.write_text(json.dumps(handed.to_dict()), encoding="utf-8")
    code = tmp_path / "ada-code.txt"
    code.write_text(handed.code(), encoding="utf-8")
    for file in (path, code):
        assert main(["grade", str(file)]) == 0
        assert capsys.readouterr().out.splitlines()[2].split()[:3] == ["Ada", "Okafor", "28/28"]
    as_descent = {k: v for k, v in handed.to_dict().items() if k != "task"}
    path.write_text(json.dumps(as_descent), encoding="utf-8")
    assert main(["grade", str(path)]) == 0  # graded on the descent task's alpha: w_1, w_2,
    # w_3 are wrong; J and dJ/dw at the student's own w_k are right (error carried forward)
    assert capsys.readouterr().out.splitlines()[2].split()[:3] == ["Ada", "Okafor", "25/28"]
