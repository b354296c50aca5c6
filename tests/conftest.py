"""Fixtures shared by the test modules (no test module imports another)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium (/usr/bin/chromium) through playwright, imported only here, when a
    test asks for a browser: a test file that needs none is collected without playwright."""
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        if os.environ.get("CHAINRULE_REQUIRE_BROWSER"):
            pytest.fail("CHAINRULE_REQUIRE_BROWSER is set but chromium is not on the PATH")
        pytest.skip(
            "Chromium is not installed (apt-get install chromium, or `make test`); "
            "set CHAINRULE_REQUIRE_BROWSER=1 to fail instead of skipping"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield launched
        launched.close()
