"""What the site's Chromium tests share: where the built site is, its pages, a visit
that blocks every other address, and measurements of what a page shows. Fixtures are
in conftest.py."""

from __future__ import annotations

import http.server
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

CHECKOUT = Path(__file__).resolve().parents[2]
SITE = CHECKOUT / "build" / "site"
SCREENSHOTS = CHECKOUT / "build" / "site-screenshots"
SIZES = {"projector": (1280, 800), "phone": (390, 844)}
LABS = ("gradient-descent.html", "who-learns.html", "slopes.html", "activations.html")
PYTHON_PAGES = ("playground.html", "worked.html", "train.html", *LABS)
STATIC_PAGES = (
    "index.html",
    "lessons/index.html",
    "lessons/02_backpropagation.html",
    "reference/index.html",
    "reference/nn/module.html",
)
READY_MS = 240_000
"""Generous: on a loaded machine (2 cores, many jobs) Pyodide may take a minute to start."""
SHARED = "playground.html?f=tanh(w*x%2Bb)&x=0.5&w=-1.2&b=0.3"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class Visit:
    """A browser context at one size whose pages may reach only the site, with a log of
    console errors, page errors and blocked requests."""

    def __init__(self, browser: Browser, base_url: str, size: tuple[int, int]) -> None:
        self.base_url = base_url
        self.context = browser.new_context(viewport={"width": size[0], "height": size[1]})
        self.problems: list[str] = []
        self.context.route("**/*", self._only_the_site)

    def _only_the_site(self, route) -> None:
        if route.request.url.startswith(self.base_url):
            route.continue_()
        else:
            self.problems.append(f"blocked request to {route.request.url}")
            route.abort()

    def open(self, path: str) -> Page:
        page = self.context.new_page()
        page.on(
            "console",
            lambda message: message.type == "error" and self.problems.append(message.text),
        )
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.goto(self.base_url + path)
        if path.split("?")[0] in PYTHON_PAGES:
            try:
                page.wait_for_selector("body[data-ready]", timeout=READY_MS)
            except PlaywrightTimeout:
                shown = page.locator("main").inner_text()[:300]
                pytest.fail(f"{path} not usable after {READY_MS} ms; it shows {shown!r}")
        else:
            page.wait_for_load_state("load")
        return page

    def close(self) -> None:
        self.context.close()
        assert self.problems == []


def no_sideways_scrolling(page: Page) -> None:
    width, viewport = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    assert width <= viewport, f"the page is {width} px wide in a {viewport} px window"


def smallest_graph_text_px(page: Page) -> float:
    """The smallest font size, in CSS pixels, of any text in a drawn graph."""
    return page.evaluate(
        """() => Math.min(...[...document.querySelectorAll('.graph svg')].flatMap((svg) => {
            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            return [...svg.querySelectorAll('text')].map(
                (text) => Number(text.getAttribute('font-size')) * scale);
        }))"""
    )


def overflowing_graph_text(page: Page) -> list[str]:
    """Every text of a drawn graph wider than its box (a record, a legend cell, an op's
    circle; a caption's loose text, the whole drawing), as "text: N units too wide"."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.graph svg')].flatMap((svg) => {
            const background = svg.querySelector('g.graph > polygon').getBBox();
            const shapes = 'polygon, ellipse';
            return [...svg.querySelectorAll('text')].filter((text) => !text.closest('g.edge'))
                .flatMap((text) => {
                    const before = text.previousElementSibling;
                    const node = text.closest('g.node');
                    const box = before && before.matches(shapes) ? before.getBBox()
                        : node ? node.querySelector(shapes).getBBox() : background;
                    const own = text.getBBox();
                    const over = Math.max(box.x - own.x, own.x + own.width - box.x - box.width);
                    return over > 0.5 ? [`${text.textContent}: ${over.toFixed(1)} units too wide`]
                        : [];
                });
        })"""
    )


def wrapped_derivations(page: Page) -> list[str]:
    """The chain-rule derivations shown with a line broken (their = signs out of line) or
    cut off instead of scrolling inside their box."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.derivation')].filter((pre) => {
            const range = document.createRange();
            range.selectNodeContents(pre);
            const lines = pre.textContent.split('\\n').length;
            const rows = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
            const cut = pre.scrollWidth > pre.clientWidth
                && getComputedStyle(pre).overflowX !== 'auto';
            return rows.size !== lines || cut;
        }).map((pre) => pre.textContent.split('\\n')[0])"""
    )
