"""Measure the site's figures of issue 10: ``python -m tests.site.measure`` (after ``make site``).

Prints the size of build/site; how long the three Python pages (a shared playground link,
the worked example, train) each take to be usable in headless Chromium from 127.0.0.1,
opened one after the other in a fresh browser (cold: the first downloads the runtime while
the service worker stores the site) and again once the service worker holds the site
(warm: the target is under WARM_TARGET_S each); how long a new formula's graph takes
(timed inside the page); and a training step of the 2-16-16-1 MLP on 100 points in the
worker (the page's round trip), beside the same request in CPython in this process.
And how long the home page and each lab take to be usable (cold cache).
"""

from __future__ import annotations

import functools
import http.server
import os
import statistics
import threading
import time

from playwright.sync_api import Browser, BrowserContext, sync_playwright

from tests.site import load
from tests.site.pages import LABS, SHARED, SITE, QuietHandler

RUNS = 3
WARM_TARGET_S = 3.0
PAGES = (SHARED, "worked.html", "train.html")
MARKS = "performance.getEntriesByType('mark').map((m) => [m.name, m.startTime])"
NEW_FORMULA = """() => new Promise((resolve) => {
    const graph = document.getElementById('step-graph');
    const started = performance.now();
    new MutationObserver((_, observer) => {
        if (!graph.querySelector('svg')) return;
        observer.disconnect();
        resolve(performance.now() - started);
    }).observe(graph, {childList: true, subtree: true});
    graph.replaceChildren();
    document.getElementById('formula').value = 'sigmoid(a*b + c) * d - exp(a)';
    document.getElementById('formula-form').requestSubmit();
})"""


def cpython_step_ms(steps: int = 20) -> float:
    """Milliseconds per step of the Train page's own request (chainrule_site.train_steps,
    nn.fit without cycle collection) on the same model and data, in CPython."""
    site = load("chainrule_site")
    site.train_start("moons", "relu", "score", "16, 16", "0.1")
    started = time.perf_counter()
    site.train_steps(steps)
    return 1000 * (time.perf_counter() - started) / steps


def usable_after(context: BrowserContext, url: str) -> float:
    """Seconds from opening ``url`` in a new tab of ``context`` until its page is usable: the
    page's own performance mark "usable" (set by markReady in assets/app.js), from the start
    of its navigation. Prints the worker's phases (marks "python:…") on the way."""
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("body[data-ready]", timeout=300_000)
    marks = page.evaluate(MARKS)
    page.close()
    phases = ", ".join(f"{name} {ms / 1000:.2f}" for name, ms in marks)
    print(f"  {url.rsplit('/', 1)[-1].split('?')[0]}: {phases}")
    return dict(marks)["usable"] / 1000


def cold_usable(browser: Browser, url: str, python: bool = True) -> float:
    """Seconds from opening ``url`` in a fresh context (cold cache) to usable: Python ready,
    or for a page without Python its load event."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    started = time.perf_counter()
    page.goto(url)
    if python:
        page.wait_for_selector("body[data-ready]", timeout=300_000)
    else:
        page.wait_for_load_state("load")
    seconds = time.perf_counter() - started
    context.close()
    return seconds


def main() -> None:
    size = sum(path.stat().st_size for path in SITE.rglob("*") if path.is_file())
    print(f"site: {size / 1e6:.1f} MB in {sum(1 for _ in SITE.rglob('*'))} files")
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    handler = functools.partial(QuietHandler, directory=str(SITE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    cold: list[list[float]] = []
    warm: list[list[float]] = []
    graph, step, cpython = [], [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        for _ in range(RUNS):
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            cold.append([usable_after(context, base + path) for path in PAGES])
            page = context.new_page()
            page.goto(base + "index.html")
            page.evaluate("navigator.serviceWorker.ready")
            page.wait_for_function("navigator.serviceWorker.controller !== null")
            page.close()
            warm.append([usable_after(context, base + path) for path in PAGES])
            page = context.new_page()
            page.goto(base + SHARED)
            page.wait_for_selector("body[data-ready]", timeout=300_000)
            graph.append(page.evaluate(NEW_FORMULA))
            page.goto(base + "train.html")
            page.wait_for_selector("body[data-ready]", timeout=300_000)
            page.get_by_role("button", name="20 steps").click()
            page.wait_for_function("document.getElementById('step-count').textContent === '20'")
            step.append(float(page.evaluate("document.body.dataset.stepMs")))
            cpython.append(cpython_step_ms())
            context.close()
        labs = {path: [cold_usable(browser, base + path) for _ in range(RUNS)] for path in LABS}
        home = [cold_usable(browser, base + "index.html", python=False) for _ in range(RUNS)]
        browser.close()
    server.shutdown()

    def show(name: str, values: list[float], unit: str) -> None:
        shown = ", ".join(f"{v:.2f}" for v in values)
        print(f"{name}: median {statistics.median(values):.2f} {unit} ({shown})")

    for name, runs in (("cold", cold), ("warm", warm)):
        for index, path in enumerate(PAGES):
            show(f"{name}: {path.split('?')[0]} usable", [run[index] for run in runs], "s")
    slowest = max(max(run) for run in warm)
    verdict = "within" if slowest < WARM_TARGET_S else "OVER"
    print(f"warm pages: slowest {slowest:.2f} s, {verdict} the {WARM_TARGET_S:g} s target")
    show("new formula's graph", graph, "ms")
    show("training step in the browser", step, "ms")
    show("same step in CPython here", cpython, "ms")
    show("home page loaded (cold)", home, "s")
    for path, times in labs.items():
        show(f"{path} usable (cold)", times, "s")
    ratios = [s / c for s, c in zip(step, cpython)]
    print(f"browser / CPython: {statistics.median(ratios):.2f}x")


if __name__ == "__main__":
    main()
