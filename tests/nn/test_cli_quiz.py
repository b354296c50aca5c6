"""`chainrule backprop --quiz`: answers piped in, as classroom scripts and tests give them."""

import io
import json
import subprocess
import sys

import pytest

from chainrule.cli import main
from chainrule.lessons import backprop
from chainrule.questions import Checker
from chainrule.quiz import run_quiz
from tests.nn.test_network_file import NET_222, by_hand_222
from tests.worked_example import lesson_answers


def quiz(monkeypatch, capsys, lines, *options):
    """Run the quiz with ``lines`` on stdin; (status, stdout lines)."""
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(f"{line}\n" for line in lines)))
    status = main(["backprop", "--quiz", *options])
    return status, capsys.readouterr().out.splitlines()


def typed(answers):
    """What a careful student types: 3 significant figures, 4 for an updated parameter
    (new w1 = 0.1496: to 3 figures it is the old w1, 0.150, which the quiz refuses)."""
    return [f"{v:.4g}" if q.startswith("new ") else f"{v:.3g}" for q, v in answers.items()]


def prompts(out):
    return [line[: -len(" = ?")] for line in out if line.endswith(" = ?")]


def test_answered_right(monkeypatch, capsys):
    answers = lesson_answers()
    status, out = quiz(monkeypatch, capsys, typed(answers))
    assert status == 0
    assert prompts(out) == list(answers)
    assert out[-1] == "score: 17/17"
    assert sum(line.startswith("  right: ") for line in out) == 17


def test_accepted_forms(monkeypatch, capsys):
    status, out = quiz(monkeypatch, capsys, ["4.15e-1", "0,602", "q"])
    assert status == 0
    assert out[-5:] == [
        "  right: 0.415",
        "a1 = ?",
        "  right: 0.602",
        "z2 = ?",
        "score: 2/2; stopped after 2 of 17 questions",
    ]


def test_wrong_then_right_gets_the_hint(monkeypatch, capsys):
    answers = lesson_answers()
    lines = typed(answers)
    w2 = list(answers).index("∂E/∂w2")
    lines[w2:w2] = ["0.5"]  # a wrong try before the right one
    status, out = quiz(monkeypatch, capsys, lines)
    assert status == 0
    hint = next(line for line in out if line.startswith("  not 0.5"))
    assert hint == (
        "  not 0.5 (try 1 of 3). Hint: ∂E/∂w2 = ∂E/∂z2 · ∂z2/∂w2: "
        "you found ∂E/∂z2 = 0.09476, and ∂z2/∂w2 = a1"
    )
    assert prompts(out).count("∂E/∂w2") == 2
    assert out[-1] == "score: 17/17 (16 at the first try)"


def test_three_wrong_or_empty_reveal_the_value(monkeypatch, capsys):
    status, out = quiz(monkeypatch, capsys, ["1", "2", "3", "", "abc", "q"])
    assert status == 0
    assert (
        out.count(
            "  not 3; the value is 0.415: z1 = w1·x + b1, with w1 = 0.1500, x = 0.1000, b1 = 0.4000"
        )
        == 1
    )
    assert any(line.startswith("  the value is 0.602: a1 = σ(z1)") for line in out)
    assert (
        "  'abc' is not a number; type a number (or a formula), Enter to see the value, q to quit"
        in out
    )
    assert out[-1] == "score: 0/2; stopped after 2 of 17 questions"


def test_quit_at_once_and_end_of_input(monkeypatch, capsys):
    status, out = quiz(monkeypatch, capsys, ["q"])
    assert status == 0 and out[-2:] == ["z1 = ?", "score: 0/0; stopped after 0 of 17 questions"]
    status, out = quiz(monkeypatch, capsys, [])  # stdin closed: the quiz stops, no traceback
    assert status == 0 and out[-1] == "score: 0/0; stopped after 0 of 17 questions"


def test_tolerance_is_significant_figures_and_local_derivatives(monkeypatch, capsys):
    status, out = quiz(monkeypatch, capsys, ["0.42", "q"], "--tolerance", "2")
    assert out[-3] == "  right: 0.42"
    status, out = quiz(monkeypatch, capsys, ["0.42", "q"])
    assert status == 0
    assert out[-3].startswith("  not 0.42 (try 1 of 3)")
    _, out = quiz(monkeypatch, capsys, [""] * 30, "--local-derivatives")  # Enter: reveal each
    assert prompts(out)[5:8] == ["∂E/∂a2", "∂a2/∂z2", "∂E/∂z2"]
    assert "  the value is 0.204: ∂a2/∂z2 = a2·(1 − a2): the derivative of a2 alone" in out
    assert out[-1] == "score: 0/24"


def test_the_teachers_numbers_change_the_answers(monkeypatch, capsys):
    answers = lesson_answers(x=0.5, t=0.9, lr=0.5)
    lines = typed(answers)
    status, out = quiz(monkeypatch, capsys, lines, "--x", "0.5", "--target", "0.9", "--lr", "0.5")
    assert status == 0 and out[-1] == "score: 17/17"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--steps", "3"], "--quiz asks about one update: leave out --steps and --json"),
        (["--json"], "--quiz asks about one update"),
        (["--tolerance", "0"], "expected a whole number >= 1, got '0'"),
    ],
)
def test_quiz_usage_errors(monkeypatch, capsys, options, message):
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main(["backprop", "--quiz", *options]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.splitlines()) == 1


def test_a_real_pipe_to_the_installed_command():
    answers = lesson_answers()
    text = "".join(f"{v:.3g}\n" for v in list(answers.values())[:5]) + "q\n"
    result = subprocess.run(
        [sys.executable, "-m", "chainrule.cli", "backprop", "--quiz"],
        input=text,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "score: 5/5; stopped after 5 of 17 questions"
    assert result.stderr == ""


def test_a_network_file_quiz(monkeypatch, capsys, tmp_path):
    path = tmp_path / "net.json"
    path.write_text(json.dumps(NET_222), encoding="utf-8")
    forward, _ = by_hand_222(NET_222)
    lines = [f"{value:.3g}" for value in forward.values()]
    status, out = quiz(monkeypatch, capsys, [*lines, "", "q"], "--network", str(path))
    assert status == 0
    assert prompts(out)[: len(forward) + 1] == [*forward, "∂E/∂a2[2]"]
    # 9 forward values, 20 gradients (4 z, 4 a, 12 parameters), 12 updated parameters
    assert out[-1] == "score: 9/10; stopped after 10 of 41 questions"
    assert (
        "  the value is 0.364: ∂E/∂a2[2] = (a2[2] − T2) = −(T2 − a2[2]), as the lecture writes it"
        in out
    )


def test_in_a_terminal_the_answer_goes_on_the_question_line():
    example = backprop.worked_example()
    checker = Checker(example.z1, parameters=[])  # one question: z1
    out = io.StringIO()
    score = run_quiz(checker, io.StringIO("0.415\n"), out, interactive=True)
    assert out.getvalue() == "z1 = ?   right: 0.415\nscore: 1/1\n"
    assert (score.right, score.asked, score.total, score.quit) == (1, 1, 1, False)
