"""The package as a user installs it: `python -m build`, a fresh virtualenv outside the
checkout, `pip install` of the wheel, then `chainrule backprop` from an empty folder and
the engine's and nn's tests against the installed code (not the checkout's).

The virtualenv gets the wheel's own dependencies from the package index, like any user's
`pip install`, plus the few test tools that tests/autograd and tests/nn import, at the
versions the wheel's `test` extra asks for.
"""

from __future__ import annotations

import email.parser
import math
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from packaging.requirements import Requirement

# pytest-xdist: the wheel is built and installed once, on one worker.
pytestmark = pytest.mark.xdist_group("wheel")

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("autograd", "nn", "chainrule")
# scikit-learn: the micrograd demo test makes its moons, and it brings numpy
TEST_TOOLS = ("pytest", "hypothesis", "playwright", "micrograd", "scikit-learn")
# tests/nn/test_torch.py needs the optional torch extra; the main suite runs it (CI installs torch).
NOT_RUN_HERE = ("tests/nn/test_torch.py",)


@dataclass(frozen=True)
class Installed:
    wheel: Path
    sdist: Path
    python: Path
    env: dict[str, str]


def run(
    command: list[str | Path], cwd: Path, env: dict[str, str], timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run a command to completion; a non-zero status fails with its output."""
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    output = f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    assert result.returncode == 0, f"{command} exited {result.returncode}:\n{output}"
    return result


def tool_requirements(wheel: Path) -> list[str]:
    """The `test` extra's requirements (name and version) for TEST_TOOLS, read from the wheel."""
    with zipfile.ZipFile(wheel) as archive:
        (metadata,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        headers = email.parser.Parser().parsestr(archive.read(metadata).decode("utf-8"))
    tools = {}
    for line in headers.get_all("Requires-Dist", []):
        requirement = Requirement(line)
        marker = requirement.marker
        if requirement.name in TEST_TOOLS and marker and marker.evaluate({"extra": "test"}):
            tools[requirement.name] = f"{requirement.name}{requirement.specifier}"
    assert sorted(tools) == sorted(TEST_TOOLS)
    return list(tools.values())


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """Build the sdist and the wheel (from the sdist), and install the wheel in a new venv."""
    base = tmp_path_factory.mktemp("wheel")
    # Nothing from the checkout or its virtualenv may leak into the new environment.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    run([sys.executable, "-m", "build", "--outdir", base / "dist", ROOT], base, env)
    (wheel,) = (base / "dist").glob("chainrule-*.whl")
    (sdist,) = (base / "dist").glob("chainrule-*.tar.gz")
    run([sys.executable, "-m", "venv", base / "venv"], base, env)
    python = base / "venv" / "bin" / "python"
    # a loaded machine can take minutes to resolve and unpack scikit-learn, numpy and playwright
    install = [python, "-m", "pip", "install", "--quiet", wheel, *tool_requirements(wheel)]
    run(install, base, env, timeout=900)
    env["PATH"] = f"{python.parent}{os.pathsep}{env.get('PATH', '')}"
    return Installed(wheel, sdist, python, env)


def package_files() -> set[str]:
    """Every file of the packages in the checkout, as a path inside the wheel."""
    return {
        path.relative_to(ROOT).as_posix()
        for package in PACKAGES
        for path in (ROOT / package).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def test_the_wheel_holds_every_file_of_the_packages_and_the_license(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as archive:
        names = set(archive.namelist())
    shipped = {name for name in names if name.split("/")[0] in PACKAGES}
    assert "chainrule/stepthrough.html" in shipped
    assert shipped == package_files()  # package data and py.typed markers included
    assert any(re.fullmatch(r"chainrule-[^/]+\.dist-info/licenses/LICENSE", n) for n in names)
    with tarfile.open(installed.sdist) as archive:
        in_sdist = {Path(*Path(name).parts[1:]).as_posix() for name in archive.getnames()}
    assert {"LICENSE", "CHANGELOG.md", "README.md", "tests/test_wheel.py"} <= in_sdist


def worked_example_update(lr: float = 0.4) -> dict[str, float]:
    """The lesson's SGD update by hand: x → σ(w1·x + b1) → σ(w2·a1 + b2), E = ½(T − a2)²."""
    x, w1, b1, w2, b2, target = 0.1, 0.15, 0.4, 0.45, 0.65, 0.25
    a1 = 1 / (1 + math.exp(-(w1 * x + b1)))
    a2 = 1 / (1 + math.exp(-(w2 * a1 + b2)))
    dz2 = (a2 - target) * a2 * (1 - a2)
    dz1 = dz2 * w2 * a1 * (1 - a1)
    return {
        "w2": w2 - lr * dz2 * a1,
        "b2": b2 - lr * dz2,
        "w1": w1 - lr * dz1 * x,
        "b1": b1 - lr * dz1,
    }


def test_chainrule_backprop_runs_from_an_empty_folder(installed: Installed, tmp_path: Path) -> None:
    result = run(["chainrule", "backprop"], tmp_path, installed.env)
    # stderr: only progress lines ("drawing ...: k of n"), shown for work over a second
    assert re.fullmatch(r"(([\r\n][^\r\n]*: \d+ of \d+)+\n)*", result.stderr), result.stderr
    update = result.stdout[result.stdout.index("Gradient descent") :]
    for name, new in worked_example_update().items():
        row = next(line.split() for line in update.splitlines() if line.startswith(name + " "))
        assert row[-1] == f"{new:.4f}", row
    folder = tmp_path / "build" / "backprop"
    magic = {".png": b"\x89PNG\r\n\x1a\n", ".gif": b"GIF89a", ".html": b"<!DOCTYPE HTML>"}
    written = {path.name: path for path in folder.iterdir()}
    assert {"forward.png", "backward.png", "backprop.gif", "backprop.html"} <= set(written)
    for path in written.values():
        assert str(path.relative_to(tmp_path)) in result.stdout  # each file's path is printed
        start = path.read_bytes()[:16].lstrip()
        assert start.upper().startswith(magic[path.suffix].upper()), (path, start)


def test_the_engine_and_nn_tests_pass_against_the_installed_wheel(
    installed: Installed, tmp_path: Path
) -> None:
    shutil.copytree(
        ROOT / "tests", tmp_path / "tests", ignore=shutil.ignore_patterns("__pycache__")
    )
    # One process imports autograd and nn, says where from, then runs the tests on them.
    runner = (
        "import sys, autograd, nn, pytest\n"
        "print('imported', autograd.__file__, nn.__file__)\n"
        "sys.exit(pytest.main(sys.argv[1:]))\n"
    )
    ignored = [f"--ignore={path}" for path in NOT_RUN_HERE]
    command: list[str | Path] = [installed.python, "-c", runner, "-q", "-p", "no:cacheprovider"]
    command += ["-rs", *ignored, "tests/autograd", "tests/nn"]
    result = run(command, tmp_path, installed.env, timeout=600)
    imported = result.stdout.splitlines()[0].split()[1:]
    site_packages = installed.python.parent.parent / "lib"
    for path in imported:
        assert Path(path).is_relative_to(site_packages), imported
    summary = result.stdout.strip().splitlines()[-1]
    nothing_skipped = re.fullmatch(r"\d+ passed(, \d+ warnings?)? in [\d.]+s.*", summary)
    assert nothing_skipped, result.stdout[-2000:]
