"""Save and load an MLP as human-readable JSON (never pickle).

The file holds a format name and version, the architecture (``MLP.config``) and
every parameter by name. JSON writes a float as its shortest repr, which reads
back as exactly the same float, so a round trip is bit-for-bit.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import tempfile
from pathlib import Path

from nn.module import MLP

FORMAT = "chainrule.mlp"
VERSION = 1
ARCHITECTURE_KEYS = ("n_inputs", "layer_sizes", "activation", "output_activation", "fused")


class ModelFileError(ValueError):
    """A model file that is malformed, truncated or does not match its architecture."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path


def save(model: MLP, path: str | os.PathLike[str]) -> Path:
    """Write ``model`` to ``path`` as JSON, atomically; returns the path.

    Written to a temporary file in the same folder and moved into place with
    ``os.replace``, so ``path`` holds either the old file or the whole new one.
    """
    if not isinstance(model, MLP):
        raise TypeError(f"save: expected an MLP, got {type(model).__name__}")
    path = Path(path)
    document = {
        "format": FORMAT,
        "version": VERSION,
        "architecture": model.config,
        "parameters": {name: p.data for name, p in model.named_parameters()},
    }
    return write_text_atomically(path, json.dumps(document, indent=2) + "\n")


def write_text_atomically(path: Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file in the same folder moved
    into place with ``os.replace``: ``path`` holds the old file or the whole new one."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    return path


def load(path: str | os.PathLike[str]) -> MLP:
    """The MLP saved at ``path``.

    A missing file raises FileNotFoundError; a file that is not this format, is
    truncated, or whose parameters do not match its architecture raises a
    ModelFileError (a ValueError) naming the path and the problem.
    """
    path = Path(path)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ModelFileError(path, "not a text file, so not a saved model") from None
    except json.JSONDecodeError as error:
        raise ModelFileError(path, f"not valid JSON, perhaps truncated ({error})") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        found = document.get("format") if isinstance(document, dict) else type(document).__name__
        raise ModelFileError(path, f"format is {found!r}, expected {FORMAT!r}")
    if document.get("version") != VERSION:
        raise ModelFileError(
            path, f"version is {document.get('version')!r}, this chainrule reads {VERSION}"
        )
    model = _model_from(path, document.get("architecture"))
    _set_parameters(path, model, document.get("parameters"))
    return model


def _model_from(path: Path, architecture: object) -> MLP:
    if not isinstance(architecture, dict) or sorted(architecture) != sorted(ARCHITECTURE_KEYS):
        raise ModelFileError(
            path,
            f"architecture must have the keys {', '.join(ARCHITECTURE_KEYS)}, got {architecture!r}",
        )
    if not isinstance(architecture["fused"], bool):
        raise ModelFileError(
            path, f"architecture: fused must be true or false, got {architecture['fused']!r}"
        )
    try:
        # seed=0 only fills the parameters until the saved values replace them.
        return MLP(**architecture, seed=0)
    except (TypeError, ValueError) as error:
        raise ModelFileError(path, f"bad architecture: {error}") from None


def _set_parameters(path: Path, model: MLP, saved: object) -> None:
    if not isinstance(saved, dict):
        raise ModelFileError(path, f"parameters must be an object of name: number, got {saved!r}")
    named = model.named_parameters()
    expected = {name for name, _ in named}
    missing = [name for name, _ in named if name not in saved]
    unexpected = [name for name in saved if name not in expected]
    if missing or unexpected:
        raise ModelFileError(
            path,
            f"parameters do not match the architecture: {len(missing)} missing "
            f"{missing[:3]}, {len(unexpected)} unexpected {unexpected[:3]}",
        )
    for name, parameter in named:
        value = saved[name]
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not math.isfinite(value)
        ):
            raise ModelFileError(path, f"parameter {name} is {value!r}, not a finite number")
        parameter.data = float(value)
