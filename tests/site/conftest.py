"""Fixtures of the site's tests: the built site, served on 127.0.0.1, and a visit to it
(the browser itself is tests/conftest.py's)."""

from __future__ import annotations

import functools
import http.server
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.site import load
from tests.site.pages import CHECKOUT, SITE, SIZES, QuietHandler, Visit


@pytest.fixture(scope="module")
def site() -> Path:
    """build/site, built first (``make site``) when it is missing or older than its sources."""
    if not load("build").is_current(SITE):
        subprocess.run(["make", "site"], cwd=CHECKOUT, check=True)
    return SITE


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def visit(browser, base_url: str) -> Iterator[Visit]:
    opened = Visit(browser, base_url, SIZES["projector"])
    yield opened
    opened.close()
