"""The `chainrule` command run as a user runs it: a subprocess, with a 10 s limit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

LIMIT_SECONDS = 10
SCRIPT = Path(sys.executable).parent / "chainrule"


def chainrule(*argv: str, cwd: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run `chainrule argv...` in ``cwd``; past LIMIT_SECONDS the test fails (TimeoutExpired)."""
    return subprocess.run(
        [str(SCRIPT), *argv],
        capture_output=True,
        text=True,
        cwd=cwd,
        input=stdin,
        timeout=LIMIT_SECONDS,
    )


def refused(result: subprocess.CompletedProcess[str], *words: str) -> None:
    """The run ended with status 2 and one line on stderr holding ``words``, no traceback."""
    assert result.returncode == 2, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr[-2000:]
    assert len(result.stderr) < 400, len(result.stderr)
    for word in words:
        assert word in result.stderr, (word, result.stderr)
