"""Every notebook runs top to bottom in a fresh kernel, draws its plots and checks its exercises.

The notebooks run two at a time (one kernel each) while the tests read their results.
"""

from __future__ import annotations

import importlib.util
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from chainrule.lessons.exercises import NO_ANSWER

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
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


@pytest.fixture(scope="module")
def runs():
    with ThreadPoolExecutor(max_workers=2) as pool:
        paths = {name: NOTEBOOK_DIR / f"{name}.ipynb" for name in LESSONS}
        yield {name: pool.submit(docs_build.execute, path) for name, path in paths.items()}


def outputs(notebook: nbformat.NotebookNode) -> list:
    """Every output of every code cell."""
    return [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]


def test_there_is_one_notebook_per_lesson():
    assert sorted(p.stem for p in NOTEBOOK_DIR.glob("*.ipynb")) == LESSONS


@pytest.mark.parametrize("name", LESSONS)
def test_the_notebook_is_shipped_clean(name):
    notebook = nbformat.read(NOTEBOOK_DIR / f"{name}.ipynb", as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata.kernelspec.name == "python3"
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert all(cell.outputs == [] and cell.execution_count is None for cell in code_cells)
    first = notebook.cells[0]
    assert first.cell_type == "markdown"
    assert "What you will learn" in first.source


@pytest.mark.parametrize("name", LESSONS)
def test_the_notebook_runs_with_plots_and_no_warnings(runs, name):
    notebook = runs[name].result()
    produced = outputs(notebook)
    assert not [o for o in produced if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in produced), "no matplotlib plot"
    warnings = [o.text for o in produced if o.get("name") == "stderr" and "Warning" in o.text]
    assert not warnings


@pytest.mark.parametrize("name", LESSONS)
def test_every_exercise_is_checked_and_has_a_solution(runs, name):
    notebook = runs[name].result()
    cells = notebook.cells
    exercises = [i for i, cell in enumerate(cells) if "check(answer" in cell.source]
    assert len(exercises) >= 2
    for i in exercises:
        assert cells[i].source.startswith("answer = None")
        printed = "".join(o.get("text", "") for o in cells[i].outputs)
        assert printed == NO_ANSWER + "\n", f"cell {i} printed {printed!r}"
        assert cells[i + 1].cell_type == "markdown"
        assert "<summary>Solution</summary>" in cells[i + 1].source


def test_the_step_through_shows_inline_in_the_backpropagation_notebook(runs):
    produced = outputs(runs["02_backpropagation"].result())
    pages = [o for o in produced if o.get("data", {}).get("text/html", "").startswith("<iframe")]
    assert len(pages) == 1 and "width:100%" in pages[0]["data"]["text/html"]


@pytest.mark.parametrize("name", ["01_gradient_descent", "02_backpropagation"])
def test_drawings_show_inline_scaled_to_the_cell_width(runs, name):
    drawings = [o for o in outputs(runs[name].result()) if "image/svg+xml" in o.get("data", {})]
    assert drawings
    for drawing in drawings:  # notebooks show the HTML: the SVG, never wider than the cell
        assert "max-width:100%" in drawing["data"]["text/html"]


def test_the_backpropagation_quiz_shows_inline(runs):
    notebook = runs["02_backpropagation"].result()
    cell = next(c for c in notebook.cells if c.source.startswith("example.quiz("))
    (output,) = cell.outputs
    assert "application/vnd.jupyter.widget-view+json" in output.data
    assert output.data["text/plain"].splitlines()[:2] == ["z1 = ?", "a1 = ?"]
