"""Save and load an MLP as human-readable JSON (never pickle).

The file holds a format name and version, the architecture (``MLP.config``) and
every parameter by name. JSON writes a float as its shortest repr, which reads
back as exactly the same float, so a round trip is bit-for-bit.

Nothing a user saved is lost: ``save`` refuses a model with a non-finite
parameter before it touches the file, writes a temporary file beside it, syncs
it to disk and moves it into place (the file is the old model or the new one,
never half of one), keeps the file's permissions, and removes the temporary
files that saves killed midway left behind. ``load`` reads any bytes without
crashing or building anything large: every problem is a ModelFileError.
"""

from __future__ import annotations

import json
import os
from itertools import pairwise
from pathlib import Path

from autograd import checks
from autograd.files import read_json, write_atomically
from nn.module import MLP

FORMAT = "chainrule.mlp"
VERSION = 1
ARCHITECTURE_KEYS = ("n_inputs", "layer_sizes", "activation", "output_activation")
BUILDING_KEYS = ("fused",)
"""Keys older files saved in the architecture: how the model was built, not what it is.
Read (checked) and set aside: ``load(path, fused=...)`` chooses how to build."""
MAX_NESTING = 3  # document -> architecture -> layer_sizes: the deepest a model file goes
MAX_BYTES = 64 * 2**20  # a model of two million parameters; more is not a saved model


class ModelFileError(ValueError):
    """A model file that is malformed, truncated or does not match its architecture."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path


def save(model: MLP, path: str | os.PathLike[str]) -> Path:
    """Write ``model`` to ``path`` as JSON, atomically; returns the path.

    A parameter that is not finite (nan, inf) is a ValueError naming it, raised
    before the file is touched: ``load`` would refuse such a file. Written by
    ``autograd.files.write_atomically``: ``path`` holds the old file or the whole
    new one, even after a crash, keeps its mode, and what killed saves left
    beside it is removed.
    """
    if not isinstance(model, MLP):
        raise TypeError(
            f"save: expected an MLP, got {checks.shown(model)} ({type(model).__name__})"
        )
    path = checks.file_path(path, "save", "path")
    parameters = {}
    for name, p in model.named_parameters():
        if p.data - p.data != 0.0:  # inf or nan
            raise ValueError(
                f"save: parameter {name} is {p.data!r}, not a finite number; {path} was not written"
            )
        parameters[name] = p.data
    document = {
        "format": FORMAT,
        "version": VERSION,
        "architecture": model.config,
        "parameters": parameters,
    }
    text = json.dumps(document, indent=2, allow_nan=False) + "\n"
    return write_text_atomically(path, text)


def write_text_atomically(path: Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` with ``autograd.files.write_atomically``: ``path``
    holds the old file or the whole new one, keeps its mode, and killed writes' leftovers go."""
    return write_atomically(path, text.encode("utf-8"))


def load(path: str | os.PathLike[str], *, fused: bool = True) -> MLP:
    """The MLP saved at ``path``, built ``fused`` (one node per neuron) or op by op.

    A missing file raises FileNotFoundError; a file that is not this format, is
    truncated, or whose parameters do not match its architecture raises a
    ModelFileError (a ValueError) naming the path and the problem.
    """
    path = checks.file_path(path, "load", "path")
    try:
        document = read_json(path, MAX_BYTES)
    except ValueError as error:
        raise ModelFileError(path, str(error)) from None
    if _nesting(document) > MAX_NESTING:  # checked first: the messages below show values
        raise ModelFileError(path, f"nested more than {MAX_NESTING} levels deep")
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        found = document.get("format") if isinstance(document, dict) else type(document).__name__
        raise ModelFileError(path, f"format is {checks.shown(found)}, expected {FORMAT!r}")
    version = document.get("version")
    if type(version) is not int or version != VERSION:  # 1.0 and true are not the int 1
        raise ModelFileError(
            path,
            f"version is {checks.shown(version)}, this chainrule reads {VERSION}",
        )
    parameters = document.get("parameters")
    model = _model_from(path, document.get("architecture"), parameters, fused)
    _set_parameters(path, model, parameters)
    return model


def _nesting(document: object) -> int:
    """How many levels of lists and objects ``document`` has (a number: 0), walked iteratively."""
    deepest = 0
    stack = [(document, 0)]
    while stack and deepest <= MAX_NESTING:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, depth + 1)
            stack.extend((child, depth + 1) for child in _items(item))
    return deepest


def _items(container: dict[str, object] | list[object]) -> list[object]:
    return list(container.values()) if isinstance(container, dict) else container


def _parameter_count(n_inputs: object, layer_sizes: object) -> int | None:
    """The number of weights and biases declared; None if the sizes are not counts (MLP says)."""
    given = [n_inputs, *layer_sizes] if isinstance(layer_sizes, list) else []
    sizes = [n for n in given if isinstance(n, int) and not isinstance(n, bool) and n >= 1]
    if len(sizes) < 2 or len(sizes) != len(given):
        return None
    return sum((n_in + 1) * n_out for n_in, n_out in pairwise(sizes))


def _model_from(path: Path, architecture: object, parameters: object, fused: bool) -> MLP:
    if not isinstance(architecture, dict) or sorted(
        set(architecture) - set(BUILDING_KEYS)
    ) != sorted(ARCHITECTURE_KEYS):
        raise ModelFileError(
            path,
            f"architecture must have the keys {', '.join(ARCHITECTURE_KEYS)}, "
            f"got {checks.shown(architecture)}",
        )
    if not isinstance(architecture.get("fused", True), bool):  # an older file's
        raise ModelFileError(
            path,
            f"architecture: fused must be true or false, got {checks.shown(architecture['fused'])}",
        )
    if not isinstance(parameters, dict):  # before building: the sizes alone can cost minutes
        raise ModelFileError(
            path, f"parameters must be an object of name: number, got {checks.shown(parameters)}"
        )
    architecture = {key: architecture[key] for key in ARCHITECTURE_KEYS}
    declared = _parameter_count(architecture["n_inputs"], architecture["layer_sizes"])
    if declared is not None and declared != len(parameters):
        # Checked before building: a few bytes can declare billions of parameters.
        raise ModelFileError(
            path,
            f"parameters do not match the architecture: it has {declared} parameters, "
            f"the file {len(parameters)}",
        )
    try:
        # seed=0 only fills the parameters until the saved values replace them.
        return MLP(**architecture, fused=fused, seed=0)
    except (TypeError, ValueError) as error:
        raise ModelFileError(path, f"bad architecture: {error}") from None


def _listed(names: list[str]) -> str:
    """The first three names, each cut to a short marked excerpt."""
    return f"[{', '.join(checks.shown(name) for name in names[:3])}]"


def _set_parameters(path: Path, model: MLP, saved: object) -> None:
    if not isinstance(saved, dict):
        raise ModelFileError(
            path, f"parameters must be an object of name: number, got {checks.shown(saved)}"
        )
    named = model.named_parameters()
    expected = {name for name, _ in named}
    missing = [name for name, _ in named if name not in saved]
    unexpected = [name for name in saved if name not in expected]
    if missing or unexpected:
        raise ModelFileError(
            path,
            f"parameters do not match the architecture: {len(missing)} missing "
            f"{_listed(missing)}, {len(unexpected)} unexpected {_listed(unexpected)}",
        )
    for name, parameter in named:
        value = saved[name]
        try:
            parameter.data = checks.number(value, "load", name)
        except (TypeError, ValueError):  # a bool, str, nan, or an int beyond a float
            raise ModelFileError(
                path, f"parameter {name} is {checks.shown(value)}, not a finite number"
            ) from None
