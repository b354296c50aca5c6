"""Build the chainrule site into one folder of plain files: ``python site/build.py build/site``.

Run by ``make site`` after ``npm ci``. The folder gets the pages (``site/pages``
wrapped in ``site/layout.html``), their scripts and style, Pyodide's runtime and
viz-js from node_modules, the wheel of this checkout plus the pure-Python wheels
it needs (pinned in WHEELS), the notebooks executed and rendered, and the API
reference from the docstrings (pdoc). Any static host serves it; once loaded it
needs no network.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pkgutil
import re
import shutil
import subprocess
import sys
import tempfile
from html import escape
from pathlib import Path
from string import Template
from typing import Any

SOURCE = Path(__file__).resolve().parent
CHECKOUT = SOURCE.parent
NODE_MODULES = CHECKOUT / "node_modules"
WHEELS = ("graphviz==0.21", "tqdm==4.70.1")
"""chainrule's dependencies in the browser (Pillow is only for GIFs, `dot` is replaced
by viz-js), pinned; pure Python, so one wheel serves every platform."""
PYODIDE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)
NAVIGATION = (
    ("index.html", "Home"),
    ("playground.html", "Playground"),
    ("worked.html", "Worked example"),
    ("train.html", "Train"),
    ("lessons/index.html", "Lessons"),
    ("reference/index.html", "Reference"),
)
SOURCES = ("autograd", "nn", "notebooks", "site", "package-lock.json", "pyproject.toml")
"""What the site is built from: when their digest changes, the site is stale."""
LESSON_HEAD = """<link rel="stylesheet" href="../assets/notebook.css">
<link rel="stylesheet" href="../vendor/katex/katex.min.css">
<script defer src="../vendor/katex/katex.min.js"></script>
<script defer src="../vendor/katex/auto-render.min.js"></script>
<script defer src="../assets/lesson.js"></script>"""
NOTEBOOK_TIMEOUT = 600
"""Seconds one notebook may take to execute (they take a few on an idle machine)."""


def header(path: str) -> str:
    """The site's header and navigation for the page at ``path`` ("lessons/01.html")."""
    root = "../" * path.count("/")
    current = ' aria-current="page"'
    links = "\n".join(
        f'    <a href="{root}{target}"{current if target == path else ""}>{escape(label)}</a>'
        for target, label in NAVIGATION
    )
    return (
        f'<header class="site-header">\n  <a class="brand" href="{root}index.html">chainrule</a>\n'
        f'  <nav aria-label="Site">\n{links}\n  </nav>\n</header>'
    )


def page(title: str, main: str, path: str, head: str = "", scripts: tuple[str, ...] = ()) -> str:
    """A page of the site: the shared layout and navigation around ``main``."""
    root = "../" * path.count("/")
    head += "".join(
        f'\n<script type="module" src="{root}assets/{script}"></script>' for script in scripts
    )
    layout = Template((SOURCE / "layout.html").read_text(encoding="utf-8"))
    return layout.substitute(
        title=escape(title),
        root=root,
        head=head,
        header=header(path),
        main=main,
        page=Path(path).stem,
    )


def build_pages(out: Path) -> None:
    """The hand-written pages: a comment names each page's title and script."""
    for source in sorted((SOURCE / "pages").glob("*.html")):
        text = source.read_text(encoding="utf-8")
        title = re.search(r"<!-- title: (.+?) -->", text)
        script = re.search(r"<!-- script: (.+?) -->", text)
        assert title, f"{source}: the first line must be <!-- title: ... -->"
        scripts = (script.group(1),) if script else ()
        (out / source.name).write_text(
            page(title.group(1), text, source.name, scripts=scripts), encoding="utf-8"
        )


def copy_runtime(out: Path) -> None:
    """Pyodide's runtime, viz-js, the scripts and style, and the worker's Python module."""
    vendor = out / "vendor"
    (vendor / "pyodide").mkdir(parents=True)
    for name in PYODIDE_FILES:
        shutil.copy2(NODE_MODULES / "pyodide" / name, vendor / "pyodide" / name)
    shutil.copy2(NODE_MODULES / "@viz-js" / "viz" / "dist" / "viz.js", vendor / "viz.js")
    katex = NODE_MODULES / "katex" / "dist"
    (vendor / "katex" / "fonts").mkdir(parents=True)
    for name in ("katex.min.js", "katex.min.css", "contrib/auto-render.min.js"):
        shutil.copy2(katex / name, vendor / "katex" / Path(name).name)
    for font in (katex / "fonts").glob("*.woff2"):  # every browser that runs Pyodide reads woff2
        shutil.copy2(font, vendor / "katex" / "fonts" / font.name)
    shutil.copytree(SOURCE / "assets", out / "assets")
    shutil.copy2(SOURCE / "chainrule_site.py", out / "assets" / "chainrule_site.py")
    from pygments.formatters import HtmlFormatter  # the notebooks' code colours

    with (out / "assets" / "notebook.css").open("a", encoding="utf-8") as css:
        css.write(HtmlFormatter().get_style_defs(".highlight") + "\n")


def build_wheels(out: Path) -> None:
    """The wheel of this checkout and the pinned dependencies, and a manifest the worker reads."""
    wheels = out / "wheels"
    pip = [sys.executable, "-m", "pip"]
    with tempfile.TemporaryDirectory() as scratch:
        # Build from a copy without build/ and node_modules/, so the wheel holds the sources only.
        copy = Path(scratch) / "chainrule"
        ignored = shutil.ignore_patterns(
            "build", "node_modules", ".venv", ".git", "*.egg-info", "__pycache__"
        )
        shutil.copytree(CHECKOUT, copy, ignore=ignored)
        subprocess.run(
            [*pip, "wheel", "--quiet", "--no-deps", "--wheel-dir", str(wheels), str(copy)],
            check=True,
        )
    download = [*pip, "download", "--quiet", "--no-deps", "--only-binary", ":all:"]
    subprocess.run([*download, "--dest", str(wheels), *WHEELS], check=True)
    names = sorted(path.name for path in wheels.glob("*.whl"))
    (wheels / "manifest.json").write_text(json.dumps({"wheels": names}, indent=1) + "\n")


def build_lessons(out: Path) -> None:
    """The notebooks, executed here (chainrule's own numbers and plots) and rendered."""
    import nbformat
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter

    lessons = out / "lessons"
    lessons.mkdir()
    exporter = HTMLExporter(template_name="basic")  # type: ignore[no-untyped-call]
    items = []
    for source in sorted((CHECKOUT / "notebooks").glob("*.ipynb")):
        notebook = nbformat.read(source, as_version=4)  # type: ignore[no-untyped-call]
        NotebookClient(
            notebook, timeout=NOTEBOOK_TIMEOUT, resources={"metadata": {"path": str(source.parent)}}
        ).execute()
        _replace_widgets(notebook)
        body, _ = exporter.from_notebook_node(notebook)
        title = _notebook_title(notebook, source.stem)
        name = f"{source.stem}.html"
        path = f"lessons/{name}"
        head = LESSON_HEAD
        html = page(title, f'<article class="notebook">{body}</article>', path, head=head)
        (lessons / name).write_text(html, encoding="utf-8")
        items.append(f'<li><a href="{name}">{escape(title)}</a></li>')
    main = (
        "<h1>Lessons</h1>\n<p class=lead>The notebooks, run with chainrule, with their "
        "outputs. To run them yourself: <code>make notebooks</code> in a clone.</p>\n"
        f'<ul class="lessons">{"".join(items)}</ul>\n'
        '<p>The <a href="../reference/index.html">API reference</a> lists every function '
        "and class of <code>autograd</code> and <code>nn</code> with its docstring.</p>"
    )
    (lessons / "index.html").write_text(page("Lessons", main, "lessons/index.html"))


WIDGET = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = (
    '<p class="note">Here Jupyter shows interactive widgets (the quiz\'s answer boxes). '
    'On this site the <a href="../playground.html?quiz=1">Playground\'s quiz</a> asks the '
    "same kind of questions; in a terminal, <code>chainrule backprop --quiz</code>.</p>"
)


def _replace_widgets(notebook: Any) -> None:
    """Put a note where a cell's output is an ipywidgets view: a static page has no kernel
    to run the widgets, and their bare script would fail."""
    import nbformat

    for cell in notebook.cells:
        if cell.cell_type == "code" and any(WIDGET in o.get("data", {}) for o in cell.outputs):
            note = {"text/html": WIDGET_NOTE}
            cell.outputs = [nbformat.v4.new_output("display_data", data=note)]  # type: ignore[no-untyped-call]


def _notebook_title(notebook: Any, fallback: str) -> str:
    """The first Markdown heading of a notebook."""
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            heading = re.search(r"^#+\s+(.+)$", cell.source, re.MULTILINE)
            if heading:
                return heading.group(1).strip()
    return fallback


def build_reference(out: Path) -> None:
    """The API reference of autograd and nn from their docstrings, by pdoc, under the site's
    header and navigation."""
    reference = out / "reference"
    modules = [
        module.name
        for package in ("autograd", "nn")
        for module in pkgutil.walk_packages([str(CHECKOUT / package)], prefix=f"{package}.")
    ]
    # Every module by name: pdoc lists only the submodules a package's __all__ names.
    pdoc = [sys.executable, "-m", "pdoc", "--no-search", "-o", str(reference)]
    subprocess.run([*pdoc, "autograd", "nn", *modules], check=True, cwd=CHECKOUT)
    for document in reference.rglob("*.html"):
        path = document.relative_to(out).as_posix()
        root = "../" * path.count("/")
        text = document.read_text(encoding="utf-8")
        text = text.replace(
            "</head>",
            f'<link rel="stylesheet" href="{root}assets/site.css">\n'
            f'<link rel="icon" href="{root}assets/favicon.svg" type="image/svg+xml">\n</head>',
            1,
        )
        text = text.replace("<body>", f'<body class="reference">\n{header(path)}', 1)
        document.write_text(text, encoding="utf-8")
    _reference_index(reference, ["autograd", "nn", *modules])


def source_digest() -> str:
    """A SHA-256 over the paths and bytes of every file the site is built from (not what
    running them leaves behind: __pycache__, build/, the notebooks' checkpoints)."""
    digest = hashlib.sha256()
    for name in SOURCES:
        top = CHECKOUT / name
        files = sorted(top.rglob("*")) if top.is_dir() else [top]
        for path in files:
            left_behind = {"__pycache__", "build", ".ipynb_checkpoints"} & set(path.parts)
            if path.is_file() and not left_behind:
                digest.update(path.relative_to(CHECKOUT).as_posix().encode() + b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()


def is_current(out: Path, lessons: bool = True) -> bool:
    """Whether ``out`` holds a site built from exactly these sources (with the lessons)."""
    try:
        info = json.loads((out / "build-info.json").read_text())
    except (OSError, ValueError):
        return False
    return bool(info.get("sources") == source_digest() and info.get("lessons", False) >= lessons)


def _reference_index(reference: Path, modules: list[str]) -> None:
    """The reference's first page in the site's look: every module with its docstring's
    first line (pdoc's own index only shows its logo on a phone)."""
    import importlib

    items = []
    for name in modules:
        doc = (importlib.import_module(name).__doc__ or "").strip().splitlines()
        target = name.replace(".", "/") + ".html"
        summary = escape(doc[0]) if doc else ""
        items.append(f'<li><a href="{target}"><code>{name}</code></a> {summary}</li>')
    main = (
        "<h1>API reference</h1>\n<p class=lead>Every module of chainrule, from its docstrings "
        "(generated by pdoc).</p>\n"
        f'<ul class="modules">{"".join(items)}</ul>'
    )
    (reference / "index.html").write_text(page("API reference", main, "reference/index.html"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="the folder to write (replaced)")
    parser.add_argument("--skip-lessons", action="store_true", help="no notebooks (faster)")
    parser.add_argument("--force", action="store_true", help="rebuild even if up to date")
    args = parser.parse_args(argv)
    if not args.force and is_current(args.out, lessons=not args.skip_lessons):
        print(f"build: {args.out} is up to date")
        return 0
    missing = [name for name in ("pyodide", "@viz-js/viz") if not (NODE_MODULES / name).is_dir()]
    if missing:
        print(f"build: {', '.join(missing)} missing in node_modules: run npm ci", file=sys.stderr)
        return 2
    # Build beside the target and swap it in at the end: a failed build leaves the old site.
    out = args.out.resolve()
    staging = out.with_name(out.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    copy_runtime(staging)
    build_pages(staging)
    build_wheels(staging)
    build_reference(staging)
    if not args.skip_lessons:
        build_lessons(staging)
    info = {"sources": source_digest(), "lessons": not args.skip_lessons}
    (staging / "build-info.json").write_text(json.dumps(info, indent=1) + "\n")
    shutil.rmtree(out, ignore_errors=True)
    staging.rename(out)
    size = sum(path.stat().st_size for path in out.rglob("*") if path.is_file())
    print(f"build: {out} ({size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
