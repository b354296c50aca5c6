"""The six lesson notebooks by name, and docs/build.py (the site's builder, which runs a
notebook as the site does), shared by tests/test_notebooks.py and tests/test_docs.py."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LESSONS = [
    "01_gradient_descent",
    "02_backpropagation",
    "03_vanishing_gradient",
    "04_activation_functions",
    "05_moons",
    "06_digits",
]


def load_build_module():
    """docs/build.py, the site's builder: its ``execute`` runs a notebook as the site does."""
    spec = importlib.util.spec_from_file_location("docs_build", ROOT / "docs" / "build.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


docs_build = load_build_module()
