"""Everything the README shows is run, so a reader who copies it gets what it says.

How the README is read:
- a ```python block is a snippet: it runs on its own, with the checkout's interpreter,
  in an empty folder;
- a ```sh block holds commands, one a line, run in that order by bash in an empty folder,
  with `.venv/bin/` resolved to the checkout's virtualenv (which is also first on PATH,
  so `chainrule` and `python` are its own);
- a block right after a paragraph that is just "prints" is the exact output of the
  block before it;
- a block whose info string names a file (```python first.py, ```json net.json) is also
  written to that file in every folder before anything runs, so commands can use it.
Inline code that names a `chainrule …` command must be the start of a command that a
block shows (and so runs). `make` commands are not run here (see NOT_RUN), but every
`make` target named must exist in the Makefile.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from chainrule.network import EXAMPLE_NETWORK

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
VENV_BIN = Path(sys.executable).parent
SHELL = {"sh", "bash", "shell", "console"}
# `make` lines are not run here: the targets install software and run this very suite.
# CI runs `make test`; `make demo` runs `chainrule backprop`, which this file runs.
NOT_RUN = {"make"}
RUN = {"chainrule", "python", "python3", "source", "printf"}  # printf: answers piped to a quiz
FENCE = re.compile(r"^```(\S*)[ \t]*(\S*)[ \t]*$")
VENV_PATH = re.compile(r"(?<![\w./])\.venv/bin/")


@dataclass(frozen=True)
class Block:
    line: int  # where its opening fence is, 1-based
    lang: str
    filename: str
    text: str
    prose_before: str  # the Markdown between the previous block and this one


def parse(markdown: str) -> tuple[list[Block], str]:
    """The fenced blocks of a Markdown text in order, and all the prose outside them."""
    found: list[Block] = []
    lines = markdown.splitlines()
    prose: list[str] = []
    all_prose: list[str] = []
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if not opening:
            prose.append(lines[index])
            index += 1
            continue
        end = next(i for i in range(index + 1, len(lines)) if lines[i].strip() == "```")
        body = "\n".join(lines[index + 1 : end]) + "\n"
        lang, filename = opening.groups()
        found.append(Block(index + 1, lang, filename, body, "\n".join(prose)))
        all_prose += prose
        prose = []
        index = end + 1
    return found, "\n".join(all_prose + prose)


BLOCKS, PROSE = parse(README.read_text(encoding="utf-8"))
FILES = {block.filename: block.text for block in BLOCKS if block.filename}
PYTHON_BLOCKS = [block for block in BLOCKS if block.lang == "python"]
SHELL_BLOCKS = [block for block in BLOCKS if block.lang in SHELL]


def expected_output(block: Block) -> str | None:
    """The output the README shows for ``block``, or None if it shows none."""
    following = BLOCKS.index(block) + 1
    if following < len(BLOCKS) and BLOCKS[following].prose_before.strip() == "prints":
        return BLOCKS[following].text
    return None


def command_lines(block: Block) -> list[str]:
    """The lines of a shell block that hold a command (not blank, not only a comment)."""
    return [line for line in block.text.splitlines() if shlex.split(line, comments=True)]


def program(line: str) -> str:
    """The program a command line runs, `.venv/bin/` stripped: `chainrule`, `make`, ..."""
    return VENV_PATH.sub("", shlex.split(line, comments=True)[0])


def run_in_empty_folder(command: list[str], folder: Path) -> subprocess.CompletedProcess[str]:
    """Run ``command`` in ``folder`` with the README's named files written; it must exit 0."""
    for name, text in FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    env = {**os.environ, "MPLBACKEND": "Agg", "PATH": f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(
        command,
        cwd=folder,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"exit {result.returncode}:\n{result.stdout}\n{result.stderr}"
    return result


def check_output(block: Block, stdout: str) -> None:
    expected = expected_output(block)
    if expected is not None:
        assert stdout == expected, f"README line {block.line} shows other output"


@pytest.mark.parametrize("block", PYTHON_BLOCKS, ids=lambda block: f"line {block.line}")
def test_python_snippet_runs_and_prints_what_the_readme_shows(block: Block, tmp_path: Path) -> None:
    script = tmp_path / (block.filename or "snippet.py")
    script.write_text(block.text, encoding="utf-8")
    result = run_in_empty_folder([sys.executable, str(script)], tmp_path)
    check_output(block, result.stdout)


def test_every_shell_command_is_run_here_or_by_ci() -> None:
    for block in SHELL_BLOCKS:
        unknown = [line for line in command_lines(block) if program(line) not in RUN | NOT_RUN]
        assert not unknown, f"README line {block.line}: say in this test how to run {unknown}"


RUNNABLE_SHELL_BLOCKS = [
    block for block in SHELL_BLOCKS if any(program(line) in RUN for line in command_lines(block))
]


@pytest.mark.parametrize("block", RUNNABLE_SHELL_BLOCKS, ids=lambda block: f"line {block.line}")
def test_shell_commands_run_and_print_what_the_readme_shows(block: Block, tmp_path: Path) -> None:
    script = [
        VENV_PATH.sub(f"{VENV_BIN}/", line) for line in command_lines(block) if program(line) in RUN
    ]
    result = run_in_empty_folder(
        ["bash", "-e", "-o", "pipefail", "-c", "\n".join(script)], tmp_path
    )
    check_output(block, result.stdout)


def test_the_readme_shows_runnable_blocks_and_their_output() -> None:
    assert PYTHON_BLOCKS and RUNNABLE_SHELL_BLOCKS
    shown = [block for block in [*PYTHON_BLOCKS, *SHELL_BLOCKS] if expected_output(block)]
    assert len(shown) >= 3  # first.py's run, the graph command, the step-through snippet


def test_every_chainrule_command_in_the_prose_is_run_by_a_block() -> None:
    shown = [
        " ".join(shlex.split(VENV_PATH.sub("", line), comments=True))
        for block in SHELL_BLOCKS
        for line in command_lines(block)
    ]
    named = re.findall(r"`((?:\.venv/bin/)?chainrule [^`]+)`", PROSE)
    assert named
    for command in named:
        words = " ".join(shlex.split(VENV_PATH.sub("", command)))
        assert any(line == words or line.startswith(words + " ") for line in shown), command


def test_every_make_target_named_exists() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([\w.-]+):", makefile, flags=re.MULTILINE))
    in_prose = re.findall(r"`make ([\w-]+)`", PROSE)
    in_blocks = [
        shlex.split(line, comments=True)[1]
        for block in SHELL_BLOCKS
        for line in command_lines(block)
        if program(line) == "make"
    ]
    named = {*in_prose, *in_blocks}
    assert named and named <= targets, named - targets


def test_first_py_writes_graph_png_and_nothing_else(tmp_path: Path) -> None:
    (block,) = [block for block in PYTHON_BLOCKS if block.filename == "first.py"]
    (tmp_path / "first.py").write_text(block.text, encoding="utf-8")
    run_in_empty_folder([sys.executable, "first.py"], tmp_path)
    written = {path.name for path in tmp_path.iterdir()} - set(FILES)  # FILES: put there first
    assert written == {"graph.png"}  # no DOT file "graph" beside it
    assert (tmp_path / "graph.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_the_readmes_net_json_is_the_shipped_2_2_2_network_file() -> None:
    """The network file the site's 2-2-2 preset reads, byte for byte: one set of numbers."""
    assert FILES["net.json"] == EXAMPLE_NETWORK.read_text(encoding="utf-8")
