"""`python docs/build.py`: the lessons run and rendered with their outputs, and the API
reference, built once into a temporary folder and read as files and in headless Chromium."""

from __future__ import annotations

import html
import math
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from autograd import Value, draw_graph
from chainrule.lessons.gradient_descent import XS
from chainrule.questions import check_answer
from nn import MLP, fit
from tests.notebook_lessons import LESSONS, docs_build

# pytest-xdist: the lessons are built once, on one worker.
pytestmark = pytest.mark.xdist_group("docs")

ROOT = Path(__file__).resolve().parents[1]
NAV = [
    "chainrule",
    "Home",
    "Playground",
    "Worked example",
    "Train",
    "Descent lab",
    "Slopes lab",
    "Who learns?",
    "Activations lab",
    "Lessons",
    "Reference",
]  # the site's header: its name, then the navigation


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    done = subprocess.run(
        [sys.executable, str(ROOT / "docs" / "build.py"), "--output", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == "", done.stderr  # no warning, not even the kernel's
    # what the site build (site/build.py) puts beside the lessons: the header's style, icons
    shutil.copytree(ROOT / "site" / "assets", out / "assets")
    return out


def text_of(page: str) -> str:
    """The page's text: tags dropped, entities read."""
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def expected_prints() -> dict[str, list[str]]:
    """A printed line of each lesson, with its numbers worked out here from their formulas."""
    s = sum(x * x for x in XS)  # the cost's curvature: lr* = 1/S
    a1 = sigmoid(0.15 * 0.1 + 0.4)
    a2 = sigmoid(0.45 * a1 + 0.65)
    error = 0.5 * (0.25 - a2) ** 2
    params = (2 * 16 + 16) + (16 * 16 + 16) + (16 * 1 + 1)  # the 2-16-16-1 MLP
    return {
        "01_gradient_descent": [f"critical learning rate lr* = 1/S = {1 / s:.4f}"],
        "02_backpropagation": [f"a1 = {a1:.4f}, a2 = {a2:.4f}, E = {error:.4f}"],
        "03_vanishing_gradient": [f"its bound, (1/4)^8:         {0.25**8:.3e}"],
        "04_activation_functions": ["E = 1.0, dE/dw = 0.0, dE/db = 0.0"],  # the step: flat
        "05_moons": [f"{params} parameters"],
        # scikit-learn's 1,797 digits, 360 of them held out for the test
        "06_digits": [f"{1797 - 360} training images, 360 test images"],
    }


def test_the_build_writes_a_page_and_the_notebook_of_each_lesson_and_an_index(site):
    lessons = site / "lessons"
    assert sorted(p.name for p in lessons.iterdir()) == sorted(
        [f"{n}.html" for n in LESSONS]
        + [f"{n}.ipynb" for n in LESSONS]
        + ["index.html", "site.css"]
    )
    index = (lessons / "index.html").read_text()
    for name in LESSONS:
        assert f'href="{name}.html"' in index and f'href="{name}.ipynb"' in index
        title = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", 4).cells[0].source
        assert html.escape(title.splitlines()[0].lstrip("# ")) in index
    assert index.count("What you will learn") == len(LESSONS)  # each lesson's aims, as HTML
    assert "<li>" in index and "**" not in index and "$" not in index
    assert not [p for p in site.iterdir() if p.name.startswith(".")], "staging left behind"
    umask = os.umask(0)
    os.umask(umask)
    for folder in ["lessons", "reference"]:  # as readable as any folder made here
        assert stat.S_IMODE((site / folder).stat().st_mode) == 0o777 & ~umask


@pytest.mark.parametrize("name", LESSONS)
def test_each_lesson_page_shows_its_outputs_and_math_and_loads_nothing_from_outside(site, name):
    page = (site / "lessons" / f"{name}.html").read_text()
    assert "data:image/png;base64," in page, "no matplotlib figure"
    text = text_of(page)
    for line in expected_prints()[name]:
        assert line in text
    assert 'data-mime-type="application/vnd.jupyter.stderr"' not in page  # no error, no warning
    assert "<math" in page and "\\frac" not in text and "\\sigma" not in text and "w_1" not in text
    assert "\\partial" not in text and "\\leftarrow" not in text  # lesson 2's, over two lines
    assert not re.search(r"\d+%\|", text)  # no progress bar frozen at its start (lesson 6's)
    for formula in re.findall(r"<math.*?</math>", page, re.DOTALL):  # every command understood
        assert not re.search(r"\\[A-Za-z]|&", text_of(formula)), formula
    assert not re.search(r"""<(script|link|img)[^>]*(src|href)=["']?(https?:)?//""", page)
    # math is MathML and widgets are text (lesson 2's step-through page is an iframe's srcdoc,
    # escaped here: tested in Chromium below); the one script registers the site's worker
    assert re.findall(r"<script[^>]*>", page) == ['<script src="../assets/offline.js">']
    for label in NAV:
        assert f">{label}</a>" in page


def test_the_backpropagation_quiz_widget_is_shown_as_its_questions(site):
    text = text_of((site / "lessons" / "02_backpropagation.html").read_text())
    assert "z1 = ?\na1 = ?" in text
    assert "These answer boxes work when you run the notebook in Jupyter" in text


@pytest.mark.parametrize(
    ("page", "anchor", "documented"),
    [
        ("autograd/value.html", "Value.backward", Value.backward),
        ("autograd/show/draw.html", "draw_graph", draw_graph),
        ("chainrule/questions.html", "check_answer", check_answer),
        ("nn/module.html", "MLP", MLP),
        ("nn/train.html", "fit", fit),
        ("autograd.html", "Value.backward", Value.backward),
        ("nn.html", "fit", fit),
    ],
)
def test_the_reference_documents_the_public_api_from_its_docstrings(site, page, anchor, documented):
    first_sentence = " ".join(documented.__doc__.split(".")[0].replace("``", "").split())
    written = (site / "reference" / page).read_text()
    assert f'id="{anchor}"' in written
    assert first_sentence in " ".join(text_of(written).split())
    for label in NAV:
        assert f">{label}</a>" in written


def test_a_failed_build_keeps_the_old_pages_and_leaves_no_staging(tmp_path):
    final = tmp_path / "lessons"
    final.mkdir()
    (final / "index.html").write_text("the old page")
    with pytest.raises(RuntimeError), docs_build.staged(final) as staging:
        (staging / "index.html").write_text("half a page")
        raise RuntimeError("a notebook failed")
    assert (final / "index.html").read_text() == "the old page"
    assert [p.name for p in tmp_path.iterdir()] == ["lessons"]
    with docs_build.staged(final) as staging:
        (staging / "index.html").write_text("the new page")
    assert (final / "index.html").read_text() == "the new page"
    assert [p.name for p in tmp_path.iterdir()] == ["lessons"]


def test_a_failing_notebook_is_one_clear_line_and_the_old_pages_stay(tmp_path, monkeypatch, capsys):
    broken = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 / 0")])
    broken.metadata.kernelspec = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    nbformat.write(broken, notebooks / "06_broken.ipynb")
    monkeypatch.setattr(docs_build, "NOTEBOOKS", notebooks)
    old_page = tmp_path / "site" / "lessons" / "index.html"
    old_page.parent.mkdir(parents=True)
    old_page.write_text("the old index")

    assert docs_build.main(["--output", str(tmp_path / "site")]) == 1
    (message,) = capsys.readouterr().err.splitlines()
    assert re.fullmatch(
        r"docs/build.py: 06_broken\.ipynb: a cell failed: .*ZeroDivisionError.*", message
    )
    assert old_page.read_text() == "the old index"
    assert [p.name for p in (tmp_path / "site").iterdir()] == ["lessons"]


def test_math_outside_code_becomes_mathml_that_markdown_leaves_alone():
    markdown = "Keep `$x_1$` and\n```\n$a*b$\n```\nbut $w_1 * x$ and $$\\frac{a}{b}$$ turn."
    converted = docs_build.markdown_math_to_mathml(markdown)
    assert "`$x_1$`" in converted and "```\n$a*b$\n```" in converted
    math_parts = re.findall(r"<math.*?</math>", converted, re.DOTALL)
    assert len(math_parts) == 2 and 'display="block"' in math_parts[1]
    assert not any(c in part for part in math_parts for c in "*_\\`")
    assert "<mfrac>" in math_parts[1]
    aligned = docs_build.markdown_math_to_mathml(
        "$$\\begin{aligned} a &= b \\\\ &= c \\end{aligned}$$"
    )
    assert aligned.count("<mtr>") == 2 and "&" not in aligned.replace("&#", "")
    split = docs_build.markdown_math_to_mathml("so $p \\leftarrow p -\n\\partial E$.\n\n$a$ $")
    assert split.count("<math") == 2 and "\\partial" not in split  # one line break: one formula
    assert split.endswith(" $")  # a paragraph break ends a formula: the lone $ stays text


def test_a_progress_bar_is_left_off_a_lesson_page_and_answer_boxes_stay():
    state = {
        "bar": {"model_name": "HBoxModel", "state": {"children": ["IPY_MODEL_p", "IPY_MODEL_t"]}},
        "p": {"model_name": "FloatProgressModel", "state": {}},
        "t": {"model_name": "HTMLModel", "state": {}},
        "quiz": {"model_name": "VBoxModel", "state": {"children": ["IPY_MODEL_t"]}},
    }

    def output(model: str) -> dict:
        return {"data": {docs_build.WIDGET_VIEW: {"model_id": model}}}

    assert docs_build.is_progress_bar(output("bar"), state)
    assert not docs_build.is_progress_bar(output("quiz"), state)


PAGES = [
    *[f"lessons/{name}.html" for name in LESSONS],
    "lessons/index.html",
    "reference/index.html",
    "reference/autograd.html",
    "reference/autograd/value.html",
    "reference/nn/module.html",
]


@pytest.mark.parametrize("viewport", [(390, 844), (1280, 800)])
def test_no_page_scrolls_sideways_and_none_asks_the_network(site, browser, viewport):
    width, height = viewport
    page = browser.new_page(viewport={"width": width, "height": height})
    outside, errors = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    def block_outside(route):
        outside.append(route.request.url)
        route.abort()

    page.route(re.compile(r"^(?!file:).*"), block_outside)
    for name in PAGES:
        page.goto((site / name).as_uri())
        scroll, client = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert scroll <= client, f"{name} scrolls sideways at {width} px: {scroll} > {client}"
        bar_links = page.locator("header.site-header a")
        assert bar_links.all_inner_texts() == NAV
        assert all(box["width"] > 0 for box in map(lambda a: a.bounding_box(), bar_links.all()))
    assert outside == [] and errors == []
    page.close()


def test_on_a_phone_wide_code_scrolls_inside_its_cell_and_math_is_drawn(site, browser):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto((site / "lessons" / "02_backpropagation.html").as_uri())
    editors = page.evaluate(
        """[...document.querySelectorAll('.jp-InputArea-editor')].map(e =>
            [e.scrollWidth > e.clientWidth, getComputedStyle(e).overflowX])"""
    )
    wide = [overflow for is_wide, overflow in editors if is_wide]
    assert wide and set(wide) == {"auto"}
    # The computation graphs, an image or inline SVG (draw_graph's notebook display), keep
    # their drawn size (9 pt labels: 12 CSS px) in a box that scrolls.
    graphs = page.evaluate(
        """[...document.querySelectorAll('.jp-RenderedSVG img, .jp-RenderedHTML svg')]
            .filter(g => g.tagName === 'IMG' || g.querySelector('g.graph'))
            .map(g => [g.getBoundingClientRect().width,
                       g.naturalWidth || parseFloat(g.getAttribute('width')) * 4 / 3,
                       getComputedStyle(g.parentElement).overflowX])"""
    )
    assert len(graphs) >= 2  # before and after backward()
    assert all(abs(shown - drawn) < 1 and drawn > 390 for shown, drawn, _ in graphs)
    assert {overflow for *_, overflow in graphs} == {"auto"}
    widths = page.evaluate(
        "[...document.querySelectorAll('math')].map(m => m.getBoundingClientRect().width)"
    )
    assert widths and min(widths) > 0
    stepthrough = page.frame_locator("iframe")  # lesson 2's step-through, run in the page
    assert stepthrough.locator("#position").inner_text().startswith("Step 0 of ")
    stepthrough.locator("#next").click()
    assert stepthrough.locator("#position").inner_text().startswith("Step 1 of ")
    font_px = page.evaluate("parseFloat(getComputedStyle(document.querySelector('p')).fontSize)")
    assert font_px >= 14
    page.close()


def test_the_reference_lists_every_module_and_its_search_works_offline(site, browser):
    index = (site / "reference" / "index.html").read_text()
    modules = ["autograd.value", "chainrule.questions", "nn.module", "nn.train"]
    for module in [*modules, "chainrule.lessons.moons"]:
        assert f'href="{module.replace(".", "/")}.html"' in index
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto((site / "reference" / "index.html").as_uri())
    page.fill("input[type=search]", "check_answer")
    hit = page.locator('main.pdoc a[href$="chainrule/questions.html#check_answer"]').first
    hit.wait_for(timeout=10_000)
    page.close()
