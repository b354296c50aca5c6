"""Build the site's lessons and API reference: ``python docs/build.py [--output build/site]``.

``<output>/lessons/`` holds each notebook run top to bottom in a fresh kernel and rendered
with its outputs (nbclient + nbconvert's lab template), its clean ``.ipynb`` to download, and
an index. ``<output>/reference/`` is the API reference of ``autograd`` and ``nn``, generated
from the docstrings by pdoc. The pages load nothing from the network: math is turned into
MathML here, and the quiz widget of lesson 2 is shown as its questions.

Each folder is written whole or not at all: it is built in a staging folder beside it and
renamed into place only once every page is written, so a failed build keeps the old pages.
"""

from __future__ import annotations

import argparse
import html
import importlib
import os
import pkgutil
import re
import shutil
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pdoc
import pdoc.render
from latex2mathml.converter import convert as latex_to_mathml
from nbclient import NotebookClient
from nbclient.exceptions import CellControlSignal, DeadKernelError
from nbconvert import HTMLExporter
from nbconvert.filters.markdown_mistune import markdown2html_mistune

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
NOTEBOOKS = ROOT / "notebooks"
DOCUMENTED_PACKAGES = ("autograd", "nn", "chainrule")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

# Code (fenced blocks, then inline spans) is kept as it is; math is $$display$$ or $inline$.
_CODE = re.compile(r"(```.*?```|`[^`\n]*`)", re.DOTALL)
_DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$", re.DOTALL)
_INLINE_MATH = re.compile(r"(?<![\\$])\$([^$\n]+?)\$")
# Characters Markdown would read inside the MathML's text (emphasis, escapes, code).
_MARKDOWN_SPECIAL = str.maketrans({"*": "&#42;", "_": "&#95;", "\\": "&#92;", "`": "&#96;"})


class BuildError(Exception):
    """A lesson or the reference could not be built; the message says which and why."""


@dataclass(frozen=True)
class Lesson:
    """One rendered notebook: its file stem, its title (the first heading), what the rest of
    its first cell says it teaches (as HTML), and its page."""

    name: str
    title: str
    summary: str
    page: str


def site_nav(to_site_root: str, current: str = "") -> str:
    """The bar on top of every page, with links relative to a page ``to_site_root`` deep."""
    links = [
        ("Playground", "playground.html"),
        ("Worked example", "worked.html"),
        ("Train", "train.html"),
        ("Lessons", "lessons/index.html"),
        ("Reference", "reference/index.html"),
    ]
    items = "".join(
        f'<a href="{to_site_root}{href}"{" aria-current=page" if name == current else ""}>'
        f"{name}</a>"
        for name, href in links
    )
    home = f'<a class="site-name" href="{to_site_root}index.html">chainrule</a>'
    return f'<header class="site-header"><nav class="site-bar">{home}{items}</nav></header>'


def markdown_math_to_mathml(markdown: str) -> str:
    """Replace each ``$$...$$`` and ``$...$`` outside code by MathML that Markdown leaves alone."""

    def mathml(latex: str, display: str) -> str:
        # latex2mathml has no `aligned`; `split` lays out the same right=left column pairs.
        latex = latex.strip().replace("{aligned}", "{split}")
        return latex_to_mathml(latex, display=display).translate(_MARKDOWN_SPECIAL)

    def outside_code(text: str) -> str:
        text = _DISPLAY_MATH.sub(lambda m: "\n\n" + mathml(m[1], "block") + "\n\n", text)
        return _INLINE_MATH.sub(lambda m: mathml(m[1], "inline"), text)

    parts = _CODE.split(markdown)  # odd indices are the code
    return "".join(part if i % 2 else outside_code(part) for i, part in enumerate(parts))


def static_widget(output: nbformat.NotebookNode) -> None:
    """Show a widget output as its text, saying where its answer boxes work."""
    del output.data[WIDGET_VIEW]
    text = output.data.get("text/plain", "")
    output.data["text/html"] = (
        '<p class="lesson-note">These answer boxes work when you run the notebook in Jupyter; '
        f"here are the questions.</p><pre>{html.escape(text)}</pre>"
    )


def execute(path: Path) -> nbformat.NotebookNode:
    """Run the notebook in a fresh python3 kernel, cwd notebooks/, on this checkout's code."""
    notebook: nbformat.NotebookNode = nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]
    python_path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONPATH": python_path}
    client = NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        # The kernel's own log (its TCP-on-localhost warning) says nothing about the lesson;
        # the cells' warnings still reach their outputs.
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
    )
    try:
        client.execute(env=env)
    except (CellControlSignal, DeadKernelError) as error:  # a cell's error, a timeout, a crash
        last_line = str(error).strip().splitlines()[-1]
        raise BuildError(f"{path.name}: a cell failed: {last_line}") from error
    return notebook


def render_lesson(notebook: nbformat.NotebookNode, name: str) -> Lesson:
    """The executed notebook as one self-contained HTML page: images inline, nothing fetched."""
    heading, _, introduction = notebook.cells[0].source.partition("\n")
    title = heading.lstrip("#").strip() or name
    notebook.metadata["title"] = f"{title} · chainrule lessons"
    notebook.metadata.pop("widgets", None)
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = markdown_math_to_mathml(cell.source)
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/markdown" in data:  # explain() and steps_markdown() write math too
                data["text/markdown"] = markdown_math_to_mathml(data["text/markdown"])
            if WIDGET_VIEW in data:  # it needs a live kernel
                static_widget(output)
    exporter = HTMLExporter(  # type: ignore[no-untyped-call]
        extra_template_basedirs=[str(DOCS / "templates")], template_name="lesson"
    )
    page, _ = exporter.from_notebook_node(
        notebook, resources={"site_nav": site_nav("../", "Lessons")}
    )
    return Lesson(name, title, markdown2html_mistune(markdown_math_to_mathml(introduction)), page)


def lessons_index(lessons: list[Lesson]) -> str:
    """The lessons' contents page: each title, linked to its page and its notebook."""
    items = "".join(
        f'<li><a class="lesson-title" href="{lesson.name}.html">{html.escape(lesson.title)}</a>'
        f' · <a href="{lesson.name}.ipynb" download>notebook</a>{lesson.summary}</li>'
        for lesson in lessons
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Lessons · chainrule</title>
<link rel="stylesheet" href="site.css">
</head>
<body class="lesson lessons-index">
{site_nav("../", "Lessons")}
<main>
<h1>Lessons</h1>
<p>Each lesson is a Jupyter notebook, shown here run top to bottom with its outputs. To run
one yourself, download it and open it in Jupyter with chainrule installed
(<code>make notebooks</code> in a checkout does both).</p>
<ol class="lesson-list">{items}</ol>
</main>
</body>
</html>
"""


def build_lessons(out: Path) -> None:
    """Write every lesson page, its notebook, the index and the stylesheet into ``out``."""
    paths = sorted(NOTEBOOKS.glob("*.ipynb"))
    with ThreadPoolExecutor(max_workers=2) as pool:  # one kernel per core
        notebooks = list(pool.map(execute, paths))
    lessons = [render_lesson(nb, path.stem) for nb, path in zip(notebooks, paths)]
    for lesson, path in zip(lessons, paths):
        (out / f"{lesson.name}.html").write_text(lesson.page, encoding="utf-8")
        shutil.copyfile(path, out / path.name)
    (out / "index.html").write_text(lessons_index(lessons), encoding="utf-8")
    shutil.copyfile(DOCS / "site.css", out / "site.css")


def public_modules(package: str) -> list[str]:
    """The package and every module in it whose dotted name has no ``_``-prefixed part.

    pdoc follows ``__all__``, which lists a package's names, not its modules: so each
    module (``chainrule.questions``, ``chainrule.lessons.moons``) is named to it here.
    """
    path = importlib.import_module(package).__path__
    names = [info.name for info in pkgutil.walk_packages(path, prefix=f"{package}.")]
    public = [name for name in names if not any(p.startswith("_") for p in name.split("."))]
    return [package, *sorted(public)]


def build_reference(out: Path) -> None:
    """Write the API reference of ``autograd`` and ``nn`` from their docstrings into ``out``."""
    pdoc.render.configure(
        docformat="google",  # Google sections (Attributes:) and reST markup
        template_directory=DOCS / "pdoc",
        footer_text="chainrule",
        show_source=True,
    )
    pdoc.render.env.globals["site_nav"] = lambda to_site_root: site_nav(to_site_root, "Reference")
    modules = [name for package in DOCUMENTED_PACKAGES for name in public_modules(package)]
    for package in DOCUMENTED_PACKAGES:  # names a package re-exports lazily, resolved for pdoc
        module = importlib.import_module(package)
        for name in getattr(module, "__all__", ()):
            getattr(module, name)
    with warnings.catch_warnings():
        # torch is an optional extra: annotations naming its types stay as written.
        warnings.filterwarnings("ignore", message=".*torch", category=UserWarning)
        # pdoc adds the modules a package's __all__ names by itself; naming them again is fine.
        warnings.filterwarnings("ignore", message=".*has already been added", category=UserWarning)
        try:
            pdoc.pdoc(*modules, output_directory=out)
        except (ImportError, RuntimeError) as error:  # a module that fails to import or parse
            raise BuildError(f"the reference: {error}") from error
    shutil.copyfile(DOCS / "site.css", out / "site.css")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def staged(final: Path) -> Iterator[Path]:
    """A fresh folder beside ``final`` that replaces it only if the block finishes."""
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{final.name}-", dir=final.parent))
    staging.chmod(0o777 & ~_umask())  # mkdtemp's 0700 would hide the pages from a web server
    old = final.with_name(f".{final.name}-old")
    try:
        yield staging
        shutil.rmtree(old, ignore_errors=True)
        if final.exists():
            final.rename(old)
        try:
            staging.rename(final)
        except OSError:
            if old.exists():
                old.rename(final)
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)


def build(output: Path, lessons: bool = True) -> None:
    """Build ``output/lessons`` (unless ``lessons`` is False) and ``output/reference``,
    each one whole or not at all."""
    steps: list[tuple[str, Callable[[Path], None]]] = [
        *([("lessons", build_lessons)] if lessons else []),
        ("reference", build_reference),
    ]
    for folder, step in steps:
        with staged(output / folder) as staging:
            step(staging)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "build" / "site")
    parser.add_argument("--reference-only", action="store_true", help="no lessons (faster)")
    args = parser.parse_args(argv)
    try:
        build(args.output, lessons=not args.reference_only)
    except (BuildError, OSError) as error:
        print(f"docs/build.py: {error}", file=sys.stderr)
        return 1
    print(f"wrote {args.output / 'lessons'} and {args.output / 'reference'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
