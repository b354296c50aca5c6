"""Tests of the static site: its Python half in CPython, the built pages in real Chromium."""

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

SITE_SOURCES = Path(__file__).resolve().parents[2] / "site"


def load(name: str) -> ModuleType:
    """A module of site/ by file name: the folder is not a package (``site`` is the stdlib's)."""
    qualified = f"chainrule_site_sources.{name}"
    if qualified not in sys.modules:
        spec = importlib.util.spec_from_file_location(qualified, SITE_SOURCES / f"{name}.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[qualified] = module
        spec.loader.exec_module(module)
    return sys.modules[qualified]
