"""save/load: JSON round trip bit for bit, atomic writes, clear errors for bad files."""

import json
import os

import pytest

from nn import MLP, ModelFileError, Neuron, load, save


def trained_model() -> MLP:
    model = MLP(2, [3, 2], activation="leaky_relu", output_activation="softmax", seed=6)
    for p in model.parameters():  # values with full 53-bit mantissas
        p.data = p.data / 3.0 + 1e-17
    return model


def test_round_trip_is_bit_for_bit(tmp_path):
    model = trained_model()
    path = save(model, tmp_path / "model.json")
    loaded = load(path)
    assert loaded.config == model.config
    assert [name for name, _ in loaded.named_parameters()] == [
        name for name, _ in model.named_parameters()
    ]
    assert [p.data.hex() for p in loaded.parameters()] == [p.data.hex() for p in model.parameters()]
    x = [0.25, -1.5]
    assert [v.data.hex() for v in loaded(x)] == [v.data.hex() for v in model(x)]


@pytest.mark.parametrize("fused", [True, False])
def test_fused_is_a_building_choice_not_saved_and_an_old_file_carrying_it_loads(tmp_path, fused):
    model = trained_model()
    path = save(model, tmp_path / "model.json")
    document = json.loads(path.read_text())
    assert "fused" not in document["architecture"]
    document["architecture"]["fused"] = not fused  # as files before the op table held it
    path.write_text(json.dumps(document))
    loaded = load(path, fused=fused)
    assert loaded.fused is fused and all(layer.fused is fused for layer in loaded.layers)
    x = [0.25, -1.5]
    edges = {len(out.inputs) for out in loaded.layers[0](x)}
    assert edges == ({2 + 1} if fused else {1})  # leaky_relu(w·x+b) to w and b, or leaky_relu(z)
    assert [p.data.hex() for p in loaded.parameters()] == [p.data.hex() for p in model.parameters()]


def test_the_file_is_readable_json(tmp_path):
    path = save(trained_model(), str(tmp_path / "model.json"))
    text = path.read_text()
    document = json.loads(text)
    assert document["format"] == "chainrule.mlp"
    assert document["version"] == 1
    assert document["architecture"]["layer_sizes"] == [3, 2]
    assert "layers.0.neurons.0.w.0" in document["parameters"]
    assert text.count("\n") > 20  # indented, one item a line


def test_save_is_atomic(tmp_path, monkeypatch):
    path = tmp_path / "model.json"
    save(MLP(2, [1], seed=0), path)
    before = path.read_bytes()

    def failing_replace(source, destination):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        save(MLP(2, [4, 1], seed=1), path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["model.json"]  # the temporary file is gone too
    monkeypatch.undo()
    save(MLP(2, [4, 1], seed=1), path)
    assert load(path).config["layer_sizes"] == [4, 1]
    assert os.listdir(tmp_path) == ["model.json"]


def edit(document: dict, change) -> dict:
    change(document)
    return document


BAD_DOCUMENTS = [
    (lambda d: d.update(format="other"), "format is 'other', expected 'chainrule.mlp'"),
    (lambda d: d.pop("format"), "format is None"),
    (lambda d: d.update(version=2), "version is 2, this chainrule reads 1"),
    (lambda d: d["architecture"].pop("activation"), "architecture must have the keys"),
    (
        lambda d: d["architecture"].update(activation="gelu"),
        "bad architecture: MLP: expected activation to be one of",
    ),
    (
        lambda d: d["architecture"].update(layer_sizes=[3, 0]),
        "bad architecture: MLP: expected each layer size",
    ),
    (lambda d: d["architecture"].update(fused="yes"), "fused must be true or false"),
    (
        lambda d: d["architecture"].update(layer_sizes=[4, 2]),
        "do not match the architecture: it has 22 parameters, the file 17",
    ),
    (lambda d: d["parameters"].pop("layers.1.neurons.1.b"), "it has 17 parameters, the file 16"),
    (lambda d: d["parameters"].update(extra=1.0), "it has 17 parameters, the file 18"),
    (
        lambda d: d["parameters"].update(extra=d["parameters"].pop("layers.1.neurons.1.b")),
        r"1 missing \['layers.1.neurons.1.b'\], 1 unexpected \['extra'\]",
    ),
    (lambda d: d["parameters"].update({"layers.0.neurons.0.b": "0.5"}), "is '0.5', not a finite"),
    (lambda d: d["parameters"].update({"layers.0.neurons.0.b": None}), "is None, not a finite"),
    (lambda d: d["parameters"].update({"layers.0.neurons.0.b": True}), "is True, not a finite"),
    (lambda d: d.update(parameters=[1.0, 2.0]), "parameters must be an object"),
]


@pytest.mark.parametrize(("change", "message"), BAD_DOCUMENTS)
def test_a_mismatched_file_is_a_clear_error(tmp_path, change, message):
    path = save(trained_model(), tmp_path / "model.json")
    path.write_text(json.dumps(edit(json.loads(path.read_text()), change)))
    with pytest.raises(ModelFileError, match=message) as error:
        load(path)
    assert str(path) in str(error.value)
    assert isinstance(error.value, ValueError)
    assert error.value.path == path


def test_truncated_and_garbage_files_are_clear_errors(tmp_path):
    path = save(trained_model(), tmp_path / "model.json")
    path.write_text(path.read_text()[:200])
    with pytest.raises(ModelFileError, match="not valid JSON, perhaps truncated"):
        load(path)
    path.write_bytes(b"\x80\x81\xff binary")
    with pytest.raises(ModelFileError, match="not a text file"):
        load(path)
    path.write_text("[1, 2]")
    with pytest.raises(ModelFileError, match="format is 'list'"):
        load(path)
    path.write_text('{"format": "chainrule.mlp", "version": 1, "architecture": null}')
    with pytest.raises(ModelFileError, match="architecture must have the keys"):
        load(path)
    with pytest.raises(FileNotFoundError):
        load(tmp_path / "missing.json")


def test_nan_in_a_file_is_rejected(tmp_path):
    path = tmp_path / "model.json"
    document = json.loads(save(trained_model(), path).read_text())
    document["parameters"]["layers.0.neurons.0.b"] = float("nan")
    path.write_text(json.dumps(document))  # Python's json writes and reads NaN
    with pytest.raises(
        ModelFileError, match=r"layers\.0\.neurons\.0\.b is nan, not a finite number"
    ):
        load(path)


def test_only_an_mlp_can_be_saved(tmp_path):
    with pytest.raises(TypeError, match="save: expected an MLP, got Neuron"):
        save(Neuron(1, seed=0), tmp_path / "neuron.json")
