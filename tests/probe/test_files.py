"""Class 4 and 8 of the second hostile probe: stray files beside a target never break a save,
and a file a user hands in is read in bounded work, refusing what it must in one line."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nn
from autograd.files import read_json, write_atomically
from nn.io import ModelFileError
from tests.probe.cli import chainrule, refused

NAME_TEXT = st.characters(blacklist_categories=("Cs",), blacklist_characters="/\0")
STRAY_MIDDLES = st.one_of(
    st.text(NAME_TEXT, min_size=1, max_size=12),
    st.integers(min_value=0, max_value=10**30).map(str),
    st.builds(lambda n, t: f"{n}.{t}", st.integers(0, 10**12), st.text(NAME_TEXT, max_size=14)),
)
"""What comes between ``.m.json.`` and ``.tmp`` in a stray name: "²", "999999.abc", "1.x"."""


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(middle=STRAY_MIDDLES, folder=st.booleans())
def test_a_stray_file_or_folder_beside_the_target_never_breaks_a_save(tmp_path, middle, folder):
    target = tmp_path / "m.json"
    stray = tmp_path / f".m.json.{middle}.tmp"
    if not stray.exists():
        stray.mkdir() if folder else stray.write_text("not mine")
    model = nn.MLP(2, [1], seed=0)
    assert nn.io.save(model, target) == target
    assert nn.io.load(target).config == model.config
    # Not provably one of ours (a live or unparseable pid, not a regular file): left alone.
    if folder or middle.count(".") != 1:
        assert stray.exists()


def test_only_a_killed_write_s_own_temporary_file_is_removed(tmp_path):
    target = tmp_path / "m.json"
    dead = _dead_pid()
    ours = tmp_path / f".m.json.{dead}.0123456789ab.tmp"
    ours.write_text("half a model")
    live = tmp_path / f".m.json.{os.getppid()}.0123456789ab.tmp"
    live.write_text("being written")
    folder = tmp_path / f".m.json.{dead}.ba9876543210.tmp"
    folder.mkdir()
    not_ascii = tmp_path / f".m.json.{dead}²{''}.0123456789ab.tmp"
    not_ascii.write_text("x")
    write_atomically(target, b"{}")
    assert not ours.exists()
    assert live.exists() and folder.is_dir() and not_ascii.exists()


@pytest.mark.parametrize("stray", [".out.svg.².abc.tmp", ".out.svg.999999.abc.tmp"])
@pytest.mark.parametrize("as_folder", [False, True])
def test_chainrule_graph_writes_beside_a_stray(tmp_path, stray, as_folder):
    (tmp_path / stray).mkdir() if as_folder else (tmp_path / stray).write_text("x")
    result = chainrule("graph", "x * 2", "x=1", "-o", "out.svg", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out.svg").read_text().startswith("<?xml")


# -- reading a user's JSON: bounded, and every problem one line --------------------------------


def _depth(n: int) -> str:
    return "[" * n + "]" * n


@settings(max_examples=40, deadline=None)
@given(depth=st.integers(min_value=2_000, max_value=200_000))
def test_json_nested_any_depth_is_refused_in_one_line(depth, tmp_path_factory):
    path = tmp_path_factory.mktemp("deep") / "deep.json"
    path.write_text(_depth(depth))
    with pytest.raises(ValueError, match="nested too deeply"):
        read_json(path, 10**6)


@settings(max_examples=60, deadline=None)
@given(
    key=st.text(min_size=1, max_size=30),
    first=st.integers() | st.floats(allow_nan=False, allow_infinity=False),
    second=st.integers() | st.text(max_size=5),
    depth=st.integers(0, 3),
)
def test_a_key_given_twice_at_any_depth_is_refused(key, first, second, depth, tmp_path_factory):
    inner = "{" + json.dumps(key) + ": " + json.dumps(first) + ", " + json.dumps(key) + ": "
    inner += json.dumps(second) + "}"
    text = "[" * depth + inner + "]" * depth
    path = tmp_path_factory.mktemp("twice") / "f.json"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    with pytest.raises(ValueError, match="given twice"):
        read_json(path, 10**6)


@settings(max_examples=60, deadline=None)
@given(digits=st.integers(min_value=310, max_value=20_000), negative=st.booleans())
def test_an_int_too_long_for_a_float_is_named_by_its_field(digits, negative, tmp_path_factory):
    number = ("-" if negative else "") + "7" * digits
    folder = tmp_path_factory.mktemp("huge")
    network = {
        "inputs": [0.5],
        "layers": [{"weights": [[0.1]], "biases": [0.2], "activation": "sigmoid"}],
        "targets": [0.25],
    }
    text = json.dumps(network).replace("0.2]", number + "]")
    (folder / "net.json").write_text(text)
    from chainrule.network import NetworkFileError, load_network

    with pytest.raises(NetworkFileError) as error:
        load_network(folder / "net.json")
    message = str(error.value)
    assert "layers[0].biases[0]" in message and f"an int of {digits} digits" in message
    assert len(message) < 300


def test_the_cli_refuses_hostile_network_files_in_one_line(tmp_path):
    (tmp_path / "deep.json").write_text(_depth(100_000))
    big = '{"inputs": [1' + "0" * 400 + '], "layers": [], "targets": []}'
    (tmp_path / "big.json").write_text(big)
    twice = '{"inputs": [1], "layers": [{"weights": [[1]], "biases": [1], "activation": "relu"}],'
    (tmp_path / "twice.json").write_text(twice + '"targets": [1], "lr": 0.5, "lr": 0.1}')
    for name, words in [
        ("deep.json", ["deep.json", "nested too deeply"]),
        ("/dev/zero", ["/dev/zero", "larger than"]),
        ("big.json", ["big.json", "inputs[0]", "an int of 401 digits"]),
        ("twice.json", ["twice.json", "'lr' is given twice"]),
    ]:
        refused(chainrule("backprop", "--network", name, cwd=tmp_path), *words)


# -- model files: refuse by counting first, and what is not version 1 -------------------------


def _model_document(**changes: object) -> dict[str, object]:
    model = nn.MLP(2, [2, 1], seed=1)
    document = {
        "format": "chainrule.mlp",
        "version": 1,
        "architecture": model.config,
        "parameters": {name: p.data for name, p in model.named_parameters()},
    }
    document.update(changes)
    return document


@pytest.mark.parametrize("version", [1.0, True, "1", [1], None, 2, 0])
def test_a_model_file_not_of_version_int_1_is_refused(tmp_path, version):
    path = tmp_path / "m.json"
    path.write_text(json.dumps(_model_document(version=version)))
    with pytest.raises(ModelFileError, match="version is"):
        nn.io.load(path)


@pytest.mark.parametrize("parameters", [None, [], "x", 5, {"a": 1.0}])
def test_a_model_file_of_many_layers_is_refused_before_building(tmp_path, parameters):
    """450,000 one-unit layers in 1.35 MB: refused from the counts, long before 10 s."""
    architecture = {
        "n_inputs": 1,
        "layer_sizes": [1] * 450_000,
        "activation": "relu",
        "output_activation": "linear",
        "fused": True,
    }
    path = tmp_path / "m.json"
    path.write_text(json.dumps(_model_document(architecture=architecture, parameters=parameters)))
    program = (
        f"import nn\ntry: nn.io.load({str(path)!r})\nexcept ValueError as e: print('refused', e)"
    )
    result = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        timeout=10,
    )
    assert result.stdout.startswith("refused ") and "parameters" in result.stdout, result


@pytest.mark.parametrize("duplicate", ["lr", "format", "activation"])
def test_a_model_file_with_a_key_twice_is_refused(tmp_path, duplicate):
    text = json.dumps(_model_document())
    if duplicate == "activation":  # inside the architecture
        text = text.replace('"activation": "relu"', '"activation": "relu", "activation": "tanh"')
        assert "tanh" in text
    elif duplicate == "format":
        text = text.replace('"version": 1', '"version": 1, "format": "chainrule.mlp"')
    else:
        text = text.replace('"version": 1', '"version": 1, "lr": 0.1, "lr": 0.2')
    (tmp_path / "m.json").write_text(text)
    with pytest.raises(ModelFileError, match="given twice"):
        nn.io.load(tmp_path / "m.json")


@pytest.mark.parametrize("value", ["no", "yes", 0, 1, None, 1.0, "True"])
def test_flags_are_true_or_false_only(value):
    from autograd import Value

    y = Value(2.0) * Value(3.0)
    with pytest.raises(TypeError, match="backward: expected leaves_only to be True or False"):
        y.backward(leaves_only=value)
    for build in (
        lambda: nn.MLP(2, [1], fused=value),
        lambda: nn.Layer(2, 1, fused=value),
        lambda: nn.Neuron(2, fused=value),
    ):
        with pytest.raises(TypeError, match="fused to be True or False"):
            build()
