"""Build the chainrule site into one folder of plain files: ``python site/build.py build/site``.

Run by ``make site`` after ``npm ci``. The folder gets the pages (``site/pages``
wrapped in ``site/layout.html``), their scripts and style, Pyodide's runtime and
viz-js from node_modules, the wheel of this checkout plus the pure-Python wheels
it needs (pinned in WHEELS), the notebooks executed and rendered, and the API
reference from the docstrings (pdoc), and the service worker ``sw.js`` that keeps it all
in the browser (but JupyterLite's ``lite/``, kept as it is used). Any static host serves it;
after one visit it opens from the browser's cache and needs no network.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
from html import escape
from pathlib import Path
from string import Template

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
    ("gradient-descent.html", "Descent lab"),
    ("slopes.html", "Slopes lab"),
    ("who-learns.html", "Who learns?"),
    ("activations.html", "Activations lab"),
    ("lessons/index.html", "Lessons"),
    ("reference/index.html", "Reference"),
)
NOT_PRECACHED = ("lite/", "sw.js", "build-info.json")
"""What the service worker does not download at its install: JupyterLite (large; it keeps
what is used), itself, the build's own record."""
SOURCES = (
    "autograd",
    "nn",
    "chainrule",
    "notebooks",
    "site",
    "package-lock.json",
    "pyproject.toml",
)
"""What the site is built from: when their digest changes, the site is stale."""


def header(root: str, current: str) -> str:
    """The header and navigation of every page, for a page ``root`` below the site's root
    ("../" for lessons/01.html) in the section ``current`` (a NAVIGATION target)."""
    marked = ' aria-current="page"'
    links = "\n".join(
        f'    <a href="{root}{target}"{marked if target == current else ""}>{escape(label)}</a>'
        for target, label in NAVIGATION
    )
    return (
        f'<header class="site-header">\n  <a class="brand" href="{root}index.html">chainrule</a>\n'
        f'  <nav aria-label="Site">\n{links}\n  </nav>\n</header>'
    )


def shared_head(root: str) -> str:
    """What the <head> of every page links, the lessons' and the reference's too: the
    header's style, the icon, the app manifest, and the service worker's registration."""
    return (
        f'<link rel="stylesheet" href="{root}assets/header.css">\n'
        f'<link rel="icon" href="{root}assets/favicon.svg" type="image/svg+xml">\n'
        f'<link rel="manifest" href="{root}manifest.json">\n'
        '<meta name="theme-color" content="#0f172a">\n'
        f'<script src="{root}assets/offline.js"></script>'
    )


def page(
    title: str,
    main: str,
    path: str,
    head: str = "",
    scripts: tuple[str, ...] = (),
    stored_mb: float = 0.0,
) -> str:
    """A page of the site: the shared layout and navigation around ``main``; its footer says
    what the browser keeps (``stored_mb``)."""
    root = "../" * path.count("/")
    head += "".join(
        f'\n<script type="module" src="{root}assets/{script}"></script>' for script in scripts
    )
    layout = Template((SOURCE / "layout.html").read_text(encoding="utf-8"))
    return layout.substitute(
        title=escape(title),
        root=root,
        head=shared_head(root) + head,
        header=header(root, path),
        main=main,
        page=Path(path).stem,
        stored=f"{stored_mb:.0f}",
    )


def build_pages(out: Path) -> None:
    """The hand-written pages: a comment names each page's title and script. Written last,
    when the size of what the service worker keeps is known (the pages add little)."""
    stored_mb = sum(size for _, size in precached(out)) / 1e6
    for source in sorted((SOURCE / "pages").glob("*.html")):
        text = source.read_text(encoding="utf-8")
        title = re.search(r"<!-- title: (.+?) -->", text)
        script = re.search(r"<!-- script: (.+?) -->", text)
        assert title, f"{source}: the first line must be <!-- title: ... -->"
        scripts = (script.group(1),) if script else ()
        (out / source.name).write_text(
            page(title.group(1), text, source.name, scripts=scripts, stored_mb=stored_mb),
            encoding="utf-8",
        )


def copy_runtime(out: Path) -> None:
    """Pyodide's runtime, viz-js, the scripts and style, and the worker's Python module."""
    vendor = out / "vendor"
    (vendor / "pyodide").mkdir(parents=True)
    for name in PYODIDE_FILES:
        shutil.copy2(NODE_MODULES / "pyodide" / name, vendor / "pyodide" / name)
    shutil.copy2(NODE_MODULES / "@viz-js" / "viz" / "dist" / "viz.js", vendor / "viz.js")
    shutil.copytree(SOURCE / "assets", out / "assets")
    shutil.copy2(SOURCE / "chainrule_site.py", out / "assets" / "chainrule_site.py")
    shutil.copy2(SOURCE / "manifest.json", out / "manifest.json")


def precached(out: Path) -> list[tuple[str, int]]:
    """The files the service worker downloads at its install, as (path, size): every file of
    the site but NOT_PRECACHED."""
    files = sorted(path for path in out.rglob("*") if path.is_file())
    names = [(path.relative_to(out).as_posix(), path.stat().st_size) for path in files]
    return [(name, size) for name, size in names if not name.startswith(NOT_PRECACHED)]


def write_service_worker(out: Path) -> None:
    """``sw.js`` at the site's root with this build's list of files to precache and its
    version, a digest of their paths and bytes: the cache's name, new for a new build."""
    names = [name for name, _ in precached(out)]
    digest = hashlib.sha256()
    for name in names:
        digest.update(name.encode() + b"\0" + (out / name).read_bytes())
    build = json.dumps({"version": digest.hexdigest()[:16], "precache": names})
    source = (SOURCE / "sw.js").read_text(encoding="utf-8")
    placeholder = 'const BUILD = { version: "dev", precache: [] };'
    assert placeholder in source, "site/sw.js: the BUILD line to fill in is missing"
    (out / "sw.js").write_text(source.replace(placeholder, f"const BUILD = {build};"))


def build_wheels(out: Path) -> None:
    """The wheel of this checkout and the pinned dependencies, and a manifest the worker reads:
    the wheels' names and ``python``, a digest of the wheels, the worker's module and Pyodide
    (the name of the worker's memory snapshot, so that a new build never restores an old one)."""
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
    python = hashlib.sha256()
    for path in [*(wheels / name for name in names), out / "assets" / "chainrule_site.py"]:
        python.update(path.read_bytes())
    for name in PYODIDE_FILES:
        python.update((out / "vendor" / "pyodide" / name).read_bytes())
    manifest = {"wheels": names, "python": python.hexdigest()[:16]}
    (wheels / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")


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
    build_wheels(staging)
    # The lessons and the reference are docs/build.py's (also `make docs`): one way to make them.
    documents = [sys.executable, str(CHECKOUT / "docs" / "build.py"), "--output", str(staging)]
    if args.skip_lessons:
        documents.append("--reference-only")
    subprocess.run(documents, check=True)
    build_pages(staging)
    write_service_worker(staging)
    info = {"sources": source_digest(), "lessons": not args.skip_lessons}
    (staging / "build-info.json").write_text(json.dumps(info, indent=1) + "\n")
    shutil.rmtree(out, ignore_errors=True)
    staging.rename(out)
    size = sum(path.stat().st_size for path in out.rglob("*") if path.is_file())
    print(f"build: {out} ({size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
