"""Classes 3 and 5 of the second hostile probe in the site's Python (run here in CPython): the
Playground refuses at once, before parsing, what the browser cannot do quickly; every entry
point answers a wrong type with an error message, never an AttributeError; the hidden-layers
box never shows Python's int() messages."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.site import load

site = load("chainrule_site")


def _must_not_parse(*_: object, **__: object) -> None:
    raise AssertionError("parsed before the size was checked")


@settings(max_examples=60, deadline=None)
@given(
    terms=st.integers(site.MAX_OPERATIONS + 2, 3000),
    shape=st.sampled_from(["sum", "product", "parens", "calls", "unary"]),
)
def test_a_formula_too_large_for_the_browser_is_refused_before_parsing(terms, shape):
    formula = {
        "sum": " + ".join(f"x{i}" for i in range(terms)),
        "product": "*".join(["x"] * terms),
        "parens": "(" * terms + "x" + ")" * terms,
        "calls": "tanh(" * terms + "x" + ")" * terms,
        "unary": "-" * terms + "x",
    }[shape]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(site, "formula_variables", _must_not_parse)
        patch.setattr(site, "parse_expression", _must_not_parse)
        answer = json.loads(
            site.dispatch("playground", json.dumps({"formula": formula, "values": {}}))
        )
    assert answer["error"].startswith("playground: the formula has"), answer


@settings(max_examples=20, deadline=None)
@given(count=st.integers(site.MAX_VARIABLES + 1, 60))
def test_too_many_variables_are_refused_before_the_graph_is_built(count):
    formula = "+".join(f"v{i}" for i in range(count))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(site, "parse_expression", _must_not_parse)
        answer = json.loads(
            site.dispatch("playground", json.dumps({"formula": formula, "values": {}}))
        )
    assert answer["error"] == (
        f"playground: the formula has {count} variables; the Playground takes up to "
        f"{site.MAX_VARIABLES}"
    )


def test_the_largest_formula_taken_still_works():
    formula = " + ".join(f"x{i % site.MAX_VARIABLES}" for i in range(site.MAX_OPERATIONS // 2))
    answer = json.loads(site.dispatch("playground", json.dumps({"formula": formula, "values": {}})))
    assert "error" not in answer
    assert answer["value"] == pytest.approx(site.MAX_OPERATIONS // 2)


WRONG = [None, 5, 1.5, "x", [], [1], {"a": 1}, True]
REQUESTS = {
    "playground": {"formula": "x * y", "values": {"x": "2"}, "rankdir": "LR"},
    "check": {"key": "∂f/∂x", "answer": "1"},
    "explain": {"name": "x"},
    "worked": {"preset": "lesson", "values": {}},
    "train_start": {
        "dataset": "moons",
        "activation": "relu",
        "output": "score",
        "sizes": "4",
        "lr": "0.1",
        "points": 20,
        "seed": 0,
    },
    "train_steps": {"count": 1},
    "train_grid": {"resolution": 5},
}


@pytest.mark.parametrize("request_name", list(REQUESTS))
def test_every_entry_point_answers_a_wrong_type_with_a_message(request_name):
    valid = REQUESTS[request_name]
    for field in valid:
        for wrong in WRONG:
            site.dispatch("playground", json.dumps(REQUESTS["playground"]))
            site.dispatch("train_start", json.dumps(REQUESTS["train_start"]))
            answer = json.loads(site.dispatch(request_name, json.dumps({**valid, field: wrong})))
            if "error" in answer:
                assert len(answer["error"]) < 300, answer


def test_an_unknown_request_is_an_error_message():
    assert "no request named" in json.loads(site.dispatch("nope", "{}"))["error"]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_the_hidden_layers_box_never_shows_python_s_messages(text):
    try:
        sizes = site.layer_sizes(text)
    except ValueError as error:
        assert str(error).startswith("layer sizes: "), error
        assert "invalid literal" not in str(error) and len(str(error)) < 200
    else:
        assert all(1 <= size <= site.MAX_UNITS for size in sizes)
        assert 1 <= len(sizes) <= site.MAX_LAYERS


@pytest.mark.parametrize("text", ["²", "1²", "٣", "16, ²", "1" * 5000])
def test_the_hidden_layers_box_examples(text):
    with pytest.raises(ValueError, match="layer sizes: expected 1 to"):
        site.layer_sizes(text)
