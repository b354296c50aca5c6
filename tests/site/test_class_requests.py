"""The site's class requests (site/chainrule_site.py) in CPython: a variant's sheet, a hand-in,
the dashboard; expectations computed here in plain floats."""

import json

from chainrule.classroom import parse_hand_in
from tests.classroom import plain_answers
from tests.site import load

site = load("chainrule_site")
ADA = {"student": "Ada Okafor", "assignment": "hw2"}


def request(name, /, **arguments):
    return json.loads(site.dispatch(name, json.dumps(arguments)))


def test_the_sheet_marks_with_error_carried_forward_and_names_mistakes():
    given = json.loads(request("variant", **ADA)["json"])["given"]
    expected = plain_answers(given)
    wrong_a2 = expected["a2"] + 0.05
    carried = wrong_a2 - given["target"]  # ∂E/∂a2 from the student's own a2
    answers = {
        "z1": f"{expected['z1']:.4g}",
        "a2": f"{wrong_a2:.4g}",
        "∂E/∂a2": f"{carried:.4g}",
        "new w2": f"{given['w2']:g}",
        "E": "abc",
    }
    marked = request("sheet", answers=answers, **ADA)
    verdicts = marked["verdicts"]
    assert len(verdicts) == marked["total"] == 28
    assert verdicts["z1"]["status"] == "right" and verdicts["a2"]["status"] == "wrong"
    assert verdicts["∂E/∂a2"]["status"] == "right"  # carried forward
    assert verdicts["new w2"]["status"] == "wrong"
    assert verdicts["new w2"]["message"].startswith("not yet: that is the old value")
    assert verdicts["E"]["status"] == "invalid" and verdicts["a1"] == {
        "status": "empty",
        "message": "",
    }
    assert marked["score"] == 2


def test_a_hand_in_from_the_page_is_what_chainrule_grade_reads():
    made = request("hand_in", answers={"z1": "0.1"}, tries={"z1": 2}, hints={}, seconds=75.4, **ADA)
    for text in (made["json"], made["code"]):
        handed = parse_hand_in(text)
        assert (handed.student, handed.assignment, handed.answers) == (
            "Ada Okafor",
            "hw2",
            {"z1": "0.1"},
        )
        assert handed.tries == {"z1": 2} and handed.seconds == 75


def test_the_dashboard_refuses_what_it_cannot_grade_and_grades_the_rest():
    made = request("hand_in", answers={}, tries={"a1": 3}, hints={}, seconds=0, **ADA)
    edited = json.loads(made["json"]) | {"assignment": "hw3"}
    board = request("dashboard", files=[
        {"name": "ada.json", "text": made["json"]},
        {"name": "again.txt", "text": made["code"]},
        {"name": "hw3.json", "text": json.dumps(edited)},
        {"name": "junk.txt", "text": "chainrule1:@@@"},
    ])  # fmt: skip
    assert [s["student"] for s in board["students"]] == ["Ada Okafor"]
    assert board["students"][0]["stuck"] == ["a1"] and board["students"][0]["right"] == 0
    assert board["refused"] == [
        "again.txt: 'Ada Okafor' already handed in ada.json",
        f"hw3.json: forged: seed {json.loads(made['json'])['seed']} is not 'Ada Okafor''s "
        "for 'hw3'",
        "junk.txt: corrupt: the code is damaged",
    ]
    assert board["csv"].splitlines()[1].startswith("Ada Okafor,hw2,")
