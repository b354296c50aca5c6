"""The layers, read from the source: every import (at the top, inside functions, under
TYPE_CHECKING) points down, and no modules import each other in a circle."""

from __future__ import annotations

import ast
import math
import re
import subprocess
import sys
import venv
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("autograd", "nn", "chainrule")
# layer -> the layers it may import (besides the standard library and itself)
MAY_IMPORT = {
    "engine": set(),
    "show": {"engine"},
    "nn": {"engine"},
    "teach": {"engine", "show", "nn"},
}
# third-party packages a layer may import (lazily, where a drawing or a bar is made)
THIRD_PARTY = {
    "engine": set(),
    "show": {"graphviz", "PIL", "typing_extensions"},
    "nn": {"tqdm", "torch", "typing_extensions"},
    "teach": {
        "graphviz",
        "PIL",
        "tqdm",
        "typing_extensions",
        "sklearn",
        "matplotlib",
        "ipywidgets",
        "fpdf",  # the worksheets' PDF (the class extra)
        "segno",  # their QR codes
    },
}


def layer_of(module: str) -> str | None:
    """The layer a module of this project belongs to; None for any other module."""
    top = module.split(".")[0]
    if top == "autograd":
        return "show" if module.startswith("autograd.show") else "engine"
    return {"nn": "nn", "chainrule": "teach"}.get(top)


def modules() -> dict[str, Path]:
    """Every module of the packages, by dotted name."""
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def imports(path: Path, known: set[str]) -> set[str]:
    """What a file imports, anywhere in it: ``from a import b`` is module a.b when that is a
    module of the project, else a; relative imports are resolved (none are expected)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}: relative import"
            base = node.module or ""
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.add(sub if sub in known else base)
    return found


def import_graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports(path, set(known)) for name, path in known.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found = []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start] & graph.keys())))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph[child] & graph.keys()))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return found


def test_the_circle_finder_finds_a_circle_and_a_self_loop_is_none():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert circles({"a": {"a"}, "b": {"a"}}) == []


def test_no_modules_import_each_other_in_a_circle():
    assert circles(import_graph()) == []


def test_every_import_points_down_a_layer_or_to_the_standard_library():
    wrong = []
    for module, imported in import_graph().items():
        layer = layer_of(module)
        for target in sorted(imported):
            target_layer = layer_of(target)
            top = target.split(".")[0]
            if target_layer is not None:
                allowed = target_layer == layer or target_layer in MAY_IMPORT[layer]
            else:
                allowed = top in sys.stdlib_module_names or top in THIRD_PARTY[layer]
            if not allowed:
                wrong.append(f"{module} ({layer}) imports {target}")
    assert wrong == []


def test_the_import_reader_sees_function_level_and_type_checking_imports(tmp_path):
    source = tmp_path / "m.py"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from autograd.show.names import node_names\n"
        "def f():\n    import nn.module\n    from autograd import ops\n"
    )
    found = imports(source, {"autograd.ops", "autograd.show.names", "nn.module"})
    assert found == {"typing", "autograd.show.names", "nn.module", "autograd.ops"}


def test_the_engine_works_where_chainrule_was_installed_without_its_dependencies(tmp_path):
    """``pip install --no-deps``: no graphviz, Pillow or tqdm, yet Value and backward work."""
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(wheels), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    (wheel,) = wheels.glob("chainrule-*.whl")
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    script = (
        "import sys\n"
        "from autograd import Value\n"
        "import nn\n"
        "x = Value(0.5, label='x')\n"
        "y = (x * x + x).tanh()\n"
        "y.backward()\n"
        "missing = [m for m in ('graphviz', 'PIL', 'tqdm') if m in sys.modules]\n"
        "print(y.data, x.grad, missing)\n"
    )
    run = subprocess.run(
        [python, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    y, grad, missing = run.stdout.split(maxsplit=2)
    t = math.tanh(0.75)
    assert float(y) == pytest.approx(t)
    assert float(grad) == pytest.approx((1 - t * t) * (2 * 0.5 + 1))
    assert missing.strip() == "[]"


def test_no_test_module_imports_another():
    """Shared fixtures live in tests/conftest.py and shared helpers in modules not named
    test_*: so each test file is collected with only what it imports itself."""
    test_files = sorted((ROOT / "tests").rglob("test_*.py"))
    test_modules = {".".join(p.relative_to(ROOT).with_suffix("").parts) for p in test_files}
    wrong = [
        f"{path.relative_to(ROOT)} imports {target}"
        for path in test_files
        for target in sorted(imports(path, test_modules) & test_modules)
    ]
    assert test_files and wrong == []


def label_guesses(path: Path) -> list[str]:
    """The string constants of a module that, as regular expressions, take a weight's and a
    bias's label for parameters ("w1", "b2[1]") but not an input's ("x1"): a guess from labels."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        try:
            with warnings.catch_warnings():  # most constants are not patterns: stay quiet
                warnings.simplefilter("ignore")
                pattern = re.compile(node.value)
        except (re.error, RecursionError):
            continue
        if all(pattern.fullmatch(label) for label in ("w1", "b2[1]")) and not pattern.fullmatch(
            "x1"
        ):
            found.append(node.value)
    return found


def test_parameters_are_guessed_from_labels_in_one_place_of_the_teaching_layer_only(tmp_path):
    """The engine and the drawing layer take parameters as given (``parameters=``); only
    ``chainrule.formulas`` guesses them, for a formula typed in the Playground."""
    guessing = {name for name, path in modules().items() if label_guesses(path)}
    assert guessing == {"chainrule.formulas"}
    sample = tmp_path / "sample.py"  # the finder finds the guess draw.py held before
    sample.write_text('GUESS = r"(?:.*\\.)?[wb]\\d*(?:\\[\\d+(?:,\\d+)?\\])?"\nX = "x1"\n')
    assert label_guesses(sample) == [r"(?:.*\.)?[wb]\d*(?:\[\d+(?:,\d+)?\])?"]
