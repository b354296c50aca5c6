"""Class 5 of the second hostile probe: the public API given a wrong type fails at once with a
TypeError or ValueError naming the function, never deep inside (AttributeError, IndexError)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import nn
from autograd import (
    Value,
    backward_steps,
    draw_graph,
    explain,
    gradcheck,
    node_names,
    parse_expression,
    steps_markdown,
    steps_table,
    topological_order,
)
from autograd.show.frames import frames, write_frames, write_gif
from chainrule.questions import check_answer, graph_questions
from chainrule.quiz import quiz
from chainrule.stepthrough import step_through, write_html

WRONG = [None, 5, 1.5, "x", b"x", [], [None], {"a": 1}, object(), True, -1, Value]


def _valid(tmp: str) -> dict[str, tuple[Callable[..., Any], list[Any], dict[str, Any]]]:
    """Each public function with arguments it accepts; one at a time is replaced."""
    x, w = Value(0.5, label="x"), Value(-1.2, label="w")
    y = (w * x).tanh()
    y.label = "y"
    model = nn.MLP(2, [2, 1], seed=0)
    saved = nn.save(model, f"{tmp}/m.json")
    return {
        "topological_order": (topological_order, [y], {}),
        "backward_steps": (backward_steps, [y], {}),
        "steps_table": (steps_table, [backward_steps(y)], {}),
        "steps_markdown": (steps_markdown, [backward_steps(y)], {}),
        "node_names": (node_names, [y], {}),
        "explain": (explain, [y, x], {}),
        "draw_graph": (draw_graph, [y], {}),
        "gradcheck": (gradcheck, [lambda a: a * 2, [1.0]], {}),
        "parse_expression": (parse_expression, ["x * 2", {"x": 1.0}], {}),
        "MLP": (nn.MLP, [2, [2, 1]], {}),
        "Layer": (nn.Layer, [2, 2], {}),
        "Neuron": (nn.Neuron, [2], {}),
        "SGD": (nn.SGD, [model.parameters(), 0.1], {}),
        "mse": (nn.mse, [[Value(0.1)], [0.2]], {}),
        "squared_error": (nn.squared_error, [[Value(0.1)], [0.2]], {}),
        "cross_entropy": (nn.cross_entropy, [[Value(0.1), Value(0.3)], 0], {}),
        "softmax": (nn.softmax, [[Value(0.1), Value(0.3)]], {}),
        "save": (nn.save, [model, f"{tmp}/n.json"], {}),
        "load": (nn.load, [saved], {}),
        "get_activation": (nn.get_activation, ["relu"], {}),
        "make_moons": (nn.make_moons, [10], {}),
        "map": (model.map, [[[0.1, 0.2]]], {}),
        "fit": (nn.fit, [model, [[0.1, 0.2]], [0.5]], {"progress": False, "epochs": 1}),
        "graph_questions": (graph_questions, [y], {}),
        "check_answer": (check_answer, ["0.5", 0.5], {}),
        "quiz": (quiz, [y], {}),
        "frames": (frames, [y], {}),
        "write_frames": (write_frames, [y, f"{tmp}/frames"], {}),
        "write_gif": (write_gif, [y, f"{tmp}/a.gif"], {}),
        "step_through": (step_through, [y], {}),
        "write_html": (write_html, [y, f"{tmp}/a.html"], {}),
    }


NAMES = list(_valid("/tmp").keys())  # names only: the Values are made anew per test
ALSO_NAMED = {
    "map": ("MLP",),  # MLP.map
    "fit": ("MLP", "mse"),  # a sample the model or the loss refuses, named by them
    "gradcheck": ("Value:", "required positional argument"),  # what f itself says
}


@pytest.mark.parametrize("name", NAMES)
def test_each_public_function_names_itself_for_every_wrong_argument(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a wrong path such as "x" is written here, if anywhere
    function, arguments, keywords = _valid(str(tmp_path))[name]
    named = (name.lower(), *(word.lower() for word in ALSO_NAMED.get(name, ())))
    function(*arguments, **keywords)  # the valid call works
    deep = []
    for position in range(len(arguments)):
        for wrong in WRONG:
            call = list(arguments)
            call[position] = wrong
            try:
                function(*call, **keywords)
            except (TypeError, ValueError) as error:
                if not any(word in str(error).lower() for word in named):
                    deep.append(f"arg {position} = {wrong!r}: {type(error).__name__}: {error}")
            except OSError as error:  # a path that does not exist: named by the error itself
                if repr(str(wrong)) not in str(error):
                    deep.append(f"arg {position} = {wrong!r}: {type(error).__name__}: {error}")
            except Exception as error:  # exactly what this test looks for
                deep.append(f"arg {position} = {wrong!r}: {type(error).__name__}: {error}")
    assert not deep, "\n".join(deep)


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda: topological_order(None), "topological_order: expected root to be a Value"),
        (lambda: explain(1.0, Value(1.0)), "explain: expected root to be a Value"),
        (
            lambda: draw_graph(Value(1.0) * 2, clusters=[Value(1.0)]),
            "draw_graph: expected clusters",
        ),
        (lambda: nn.fit(nn.MLP(2, [1]), [[1, 2]], [1], optimizer="sgd"), "fit: expected optimizer"),
        (lambda: nn.save(nn.MLP(2, [1]), ""), "save: expected path to name a file"),
        (lambda: nn.load(5), "load: expected path"),
        (lambda: nn.MLP(2, [1]).map(5), "MLP.map: expected batch"),
    ],
)
def test_the_probe_s_examples(call, words):
    with pytest.raises((TypeError, ValueError), match=words.replace("(", r"\(")):
        call()


@pytest.mark.parametrize("figures", [0, 16, 17, 101, 10**9])
def test_a_page_never_checks_to_more_figures_than_a_float_holds(figures):
    with pytest.raises(ValueError, match="step_through: expected significant_figures"):
        step_through(Value(2.0, label="x") * 3, significant_figures=figures)
