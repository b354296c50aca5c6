"""Class 5 of the second hostile probe: the public API given a wrong type fails at once with a
TypeError or ValueError naming the function, never deep inside (AttributeError, IndexError)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nn
from autograd import (
    Value,
    backward_steps,
    dense_layer,
    dense_layer_batch,
    draw_dot,
    draw_graph,
    explain,
    gradcheck,
    gradient_step,
    node_names,
    parse_expression,
    steps_markdown,
    steps_table,
    topological_order,
    weighted_sum,
    weighted_sums,
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
        "weighted_sum": (weighted_sum, [[w], [x], Value(0.3, label="b")], {}),
        "weighted_sums": (weighted_sums, [[[w], [w]], [x], [Value(0.3), Value(0.1)]], {}),
        "dense_layer": (dense_layer, [[[w]], [x], [Value(0.3)], "tanh"], {}),
        "dense_layer_batch": (dense_layer_batch, [[[w]], [[x], [0.2]], [Value(0.3)], "tanh"], {}),
        "gradient_step": (gradient_step, [0.2, 0.5, 0.4], {}),
        "draw_dot": (draw_dot, [y], {}),
        "Value": (Value, [0.5, "x"], {}),
        "leaky_relu": (x.leaky_relu, [0.01], {}),
        "make_circles": (nn.make_circles, [10], {}),
        "make_xor": (nn.make_xor, [10], {}),
        "max_margin_loss": (nn.max_margin_loss, [[Value(0.1)], [1.0]], {}),
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
    "weighted_sums": ("weighted_sum",),  # the node's op, as each sum names itself
    "dense_layer_batch": ("dense_layer",),
    "draw_dot": ("draw_graph",),  # an alias
    "leaky_relu": ("leaky_relu",),
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


# -- a property test: any wrong value, any argument, names the function and the value ------

RENDERING = {"draw_graph", "draw_dot", "frames", "write_frames", "write_gif", "step_through"}
RENDERING |= {"write_html", "quiz", "save", "load", "fit"}  # slow with an accepted value
WRONG_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=6),
    st.binary(max_size=3),
    st.lists(st.one_of(st.none(), st.floats(), st.text(max_size=2)), max_size=3),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    st.sampled_from([object(), Value, print, range(3), {1.5}]),
)


@pytest.fixture(scope="module")
def valid_calls(tmp_path_factory):
    return _valid(str(tmp_path_factory.mktemp("calls")))


def _names_the_value(value: object, message: str, depth: int = 2) -> bool:
    """The message shows the value, or an item of it (or of an item) that was refused: by its
    repr, maybe cut, or a list by its length."""
    if repr(value)[:20] in message:
        return True
    if isinstance(value, str) and repr(unicodedata.normalize("NFKC", value))[:20] in message:
        return True  # a name shown as the parser reads it (NFKC: 'µ' is 'μ')
    if depth == 0 or not isinstance(value, (list, tuple, set, dict, bytes, str, range)):
        return False
    words = re.findall(r"\w+", message.split(": ", 1)[-1])
    empty = not value and ({"none", "empty"} & set(words) or "[]" in message)
    if str(len(value)) in words or empty:
        return True  # a list of the wrong length, named by its length
    if isinstance(value, dict) and all(
        unicodedata.normalize("NFKC", str(key)) in words for key in value
    ):
        return True  # a formula's variables, named by their (NFKC) names
    return any(_names_the_value(item, message, depth - 1) for item in value)


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_wrong_value_names_the_function_and_the_value(valid_calls, tmp_path, data):
    name = data.draw(st.sampled_from(NAMES))
    function, arguments, keywords = valid_calls[name]
    if not arguments:
        return
    last = 0 if name in RENDERING else len(arguments) - 1
    position = data.draw(st.integers(0, last))
    wrong = data.draw(WRONG_VALUES)
    call = list(arguments)
    call[position] = wrong
    named = (name.lower(), *(word.lower() for word in ALSO_NAMED.get(name, ())))
    try:
        function(*call, **keywords)
    except OverflowError as error:  # a number too large for the arithmetic: named by its op
        assert _names_the_value(wrong, str(error)), str(error)
    except (TypeError, ValueError) as error:
        message = str(error)
        if name == "gradcheck" and (position == 0 or "positional argument" in message):
            return  # what the user's f says of its arguments, or gradcheck of what it returned
        assert any(word in message.lower() for word in named), message
        assert _names_the_value(wrong, message), message
        assert "\n" not in message and len(message) < 400, message
    except OSError as error:  # a path that does not exist: named by the error itself
        assert repr(str(Path(str(wrong)))) in str(error), str(error)
