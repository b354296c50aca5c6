"""The built site (``make site`` -> build/site) in real headless Chromium, served on 127.0.0.1.

Every request to another address is blocked and recorded, so a page that needs the network
fails. Python runs in the page's Web Worker (Pyodide with this checkout's wheel); the
numbers it shows are compared with chainrule in this process and with closed forms.
Screenshots of every page at 1280x800 and 390x844 go to build/site-screenshots/.
"""

import functools
import http.server
import itertools
import json
import math
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from autograd import parse_expression, topological_order
from nn import MLP, fit, make_moons
from tests.leaks import SCAN_DOM, leaks
from tests.site import load

CHECKOUT = Path(__file__).resolve().parents[2]
SITE = CHECKOUT / "build" / "site"
SCREENSHOTS = CHECKOUT / "build" / "site-screenshots"
SIZES = {"projector": (1280, 800), "phone": (390, 844)}
PYTHON_PAGES = ("playground.html", "worked.html", "train.html")
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


@pytest.fixture(scope="module")
def site() -> Path:
    """build/site, built first (``make site``) when it is missing or older than its sources."""
    if not load("build").is_current(SITE):
        subprocess.run(["make", "site"], cwd=CHECKOUT, check=True)
    return SITE


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        if os.environ.get("CHAINRULE_REQUIRE_BROWSER"):
            pytest.fail("CHAINRULE_REQUIRE_BROWSER is set but chromium is not on the PATH")
        pytest.skip("Chromium is not installed (apt-get install chromium, or `make test`)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield launched
        launched.close()


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


@pytest.fixture
def visit(browser: Browser, base_url: str) -> Iterator[Visit]:
    opened = Visit(browser, base_url, SIZES["projector"])
    yield opened
    opened.close()


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


@pytest.mark.parametrize("size", list(SIZES))
def test_every_page_opens_readable_with_no_network_and_no_errors(browser, base_url, size):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    visit = Visit(browser, base_url, SIZES[size])
    for path in (SHARED, "worked.html", "train.html", *STATIC_PAGES):
        page = visit.open(path)
        assert page.locator("header.site-header nav a").count() == 6  # one navigation
        assert page.locator(".error:visible").count() == 0
        no_sideways_scrolling(page)
        if path == SHARED:
            page.wait_for_selector("#step-graph svg")
            assert smallest_graph_text_px(page) >= 10
            assert overflowing_graph_text(page) == []
        if path == "worked.html":
            page.wait_for_selector(".derivation")
            assert wrapped_derivations(page) == []
        name = path.split("?")[0].replace("/", "_").removesuffix(".html")
        page.screenshot(path=str(SCREENSHOTS / f"{name}_{size}.png"), full_page=True)
        page.close()
    visit.close()


def test_a_shared_link_opens_computed_with_the_python_engines_gradients(visit):
    page = visit.open(SHARED)
    shown = {
        element.get_attribute("data-grad-of"): float(element.get_attribute("data-value"))
        for element in page.locator("[data-grad-of]").all()
    }
    x, w, b = 0.5, -1.2, 0.3
    root = parse_expression("tanh(w*x+b)", {"x": x, "w": w, "b": b})
    root.backward()
    engine = {node.label: node.grad for node in topological_order(root) if not node.inputs}
    assert shown == pytest.approx(engine, rel=1e-12)
    slope = 1 - math.tanh(w * x + b) ** 2
    assert shown == pytest.approx({"w": slope * x, "x": slope * w, "b": slope}, rel=1e-12)
    assert page.locator("[data-grad-of='w']").inner_text() == f"{slope * x:.4f}"
    page.locator("#explanation").wait_for(state="hidden")
    page.locator("tr", has_text="explain").first.get_by_role("button").click()
    page.wait_for_function(  # the worker answers asynchronously
        "end => document.getElementById('explanation').textContent.endsWith(end)",
        arg=f"= {slope * x:.4f}",
    )


def test_stepping_through_the_backward_pass(visit):
    page = visit.open(SHARED)
    title = page.locator("#step-title")
    assert title.inner_text().startswith("Step 0 of 3")
    for k in (1, 2, 3):
        page.get_by_role("button", name="Next step").click()
        page.wait_for_function(
            f"document.getElementById('step-title').textContent.startsWith('Step {k} of 3')"
        )
    assert page.get_by_role("button", name="Next step").is_disabled()
    x, w, b = 0.5, -1.2, 0.3
    slope = 1 - math.tanh(w * x + b) ** 2
    page.wait_for_function(  # the last frame's drawing: every gradient known
        "texts => texts.every(t => document.querySelector('#step-graph svg').textContent"
        ".includes(t))",
        arg=[f"grad {slope * x:.4f}", f"grad {slope * w:.4f}", f"grad {slope:.4f}"],
    )
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("document.getElementById('step-title').textContent.startsWith('Step 2')")


def test_quiz_one_step_right_and_one_wrong_with_a_hint(visit):
    page = visit.open(SHARED + "&quiz=1")
    feedback = page.locator("#quiz-feedback[role=status]")
    x, w, b = 0.5, -1.2, 0.3
    slope = 1 - math.tanh(w * x + b) ** 2
    for node in ("f", "w·x + b"):  # step 2, back through +, completes ∂f/∂b
        page.get_by_role("button", name="Next step").click()
        pick_next_node(page, node)
    box = page.locator("[data-quantity='∂f/∂b']")
    box.fill(f"{slope:.3g}")
    box.press("Enter")
    page.wait_for_function("document.getElementById('quiz-feedback').dataset.status === 'right'")
    assert "right" in feedback.inner_text()
    page.get_by_role("button", name="Next step").click()  # step 3, back through *
    pick_next_node(page, "w·x")
    box = page.locator("[data-quantity='∂f/∂w']")
    box.fill("123")
    box.press("Enter")
    page.wait_for_function("document.getElementById('quiz-feedback').dataset.status === 'wrong'")
    text = feedback.inner_text()
    assert "not 123" in text and "Hint: ∂f/∂w =" in text
    assert page.locator("[data-quantity]").count() == 2  # the wrong box stays open
    page.locator("[data-quantity='∂f/∂x']").fill(f"{slope * w:.3g}")
    page.locator("[data-quantity='∂f/∂x']").press("Enter")
    page.wait_for_function("document.getElementById('quiz-feedback').dataset.status === 'right'")
    box.fill(f"{slope * x:.4f}")
    box.press("Enter")
    # the terminal's rule: right within 3 tries scores; then the answers show again
    page.wait_for_function("document.getElementById('score').textContent === 'score: 3/3'")
    page.locator("#results").wait_for(state="visible")


def pick_next_node(page, node):
    """The order question: pick the next node of the backward pass; a wrong pick is told."""
    choice = page.locator("select[data-quantity='next node']")
    wrong = "w·x" if node != "w·x" else "f"
    choice.select_option(wrong)
    page.get_by_role("button", name="Check").click()
    page.wait_for_function("document.getElementById('quiz-feedback').dataset.status === 'wrong'")
    assert page.locator("#quiz-feedback").inner_text().startswith(f"not {wrong}: it ")
    choice.select_option(node)
    page.get_by_role("button", name="Check").click()
    page.wait_for_function("document.getElementById('quiz-feedback').dataset.status === 'right'")


def test_quiz_mode_shows_no_pending_answer_anywhere(visit):
    """At every question of the playground quiz, no text, drawing (edges and unnamed nodes
    included), table, attribute or box of the page shows a pending gradient to 3 figures."""
    page = visit.open(SHARED + "&quiz=1")
    x, w, b = 0.5, -1.2, 0.3
    slope = 1 - math.tanh(w * x + b) ** 2
    pending = {"∂f/∂b": slope, "∂f/∂w": slope * x, "∂f/∂x": slope * w}
    assert page.locator("#results").is_hidden() and page.locator("#graph-panel").is_hidden()
    assert page.locator("#rules").inner_text().startswith("An answer is right when")
    for step, node in ((1, "f"), (2, "w·x + b"), (3, "w·x")):
        page.get_by_role("button", name="Next step").click()
        page.wait_for_function(
            f"document.getElementById('step-title').textContent.startsWith('Step {step}')"
        )
        page.wait_for_selector("select[data-quantity='next node']")
        assert leaks(page.evaluate(SCAN_DOM), pending) == [], f"step {step}, order question"
        pick_next_node(page, node)
        if step > 1:  # steps 2 and 3 complete gradients
            page.wait_for_selector("#quiz input[data-quantity]")
        for quantity in [q for q in pending if page.locator(f"[data-quantity='{q}']").count()]:
            page.wait_for_selector("#step-graph svg")
            assert leaks(page.evaluate(SCAN_DOM), pending) == [], f"step {step}, {quantity}"
            box = page.locator(f"[data-quantity='{quantity}']")
            box.fill(f"{pending.pop(quantity):.3g}")
            box.press("Enter")
            page.wait_for_function(
                "document.getElementById('quiz-feedback').dataset.status === 'right'"
            )
    assert pending == {}
    page.wait_for_function("document.getElementById('score').textContent === 'score: 3/3'")


def test_a_bad_formula_or_value_is_a_clear_message(visit):
    page = visit.open(SHARED)
    formula = page.locator("#formula")
    for text, message in [
        ("x.__class__", "attribute access is not allowed"),
        ("log(x - 2)", "log: needs a positive input"),
        ("w * (x", "not a valid expression"),
    ]:
        formula.fill(text)
        formula.press("Enter")
        page.wait_for_function(
            "m => document.getElementById('error').textContent.includes(m)", arg=message
        )
        assert page.locator("#results").is_hidden()
    formula.fill("w * x")
    formula.press("Enter")
    page.locator("#results").wait_for()
    page.locator("input[name='x']").fill("half")
    page.locator("input[name='x']").press("Enter")
    page.wait_for_function(
        "document.getElementById('error').textContent === \"x: expected a number, got 'half'\""
    )


def test_worked_example_steps_and_the_2_2_2_preset(visit):
    page = visit.open("worked.html")
    update = page.locator("#update").inner_text()
    for published in ("0.4272", "0.6121", "0.1496", "0.3959"):  # the course's results
        assert published in update
    for _ in range(3):
        before = page.locator("#error-history").inner_text()
        page.get_by_role("button", name="Step").click()
        page.wait_for_function(
            "b => document.getElementById('error-history').textContent !== b", arg=before
        )
    history = json.loads(page.locator("#error-plot").get_attribute("data-values"))
    assert len(history) == 4 and all(a > b for a, b in itertools.pairwise(history))
    page.locator("#preset").select_option("network")
    page.wait_for_function(
        "document.getElementById('error-history').textContent.includes('0.2984')"
    )
    assert page.locator("[data-gradient]").count() == 10  # w1..w8, b1, b2


def test_training_20_steps_lowers_the_loss_as_nn_fit_does(visit):
    page = visit.open("train.html")
    page.get_by_role("button", name="20 steps").click()
    page.wait_for_function("document.getElementById('step-count').textContent === '20'")
    losses = json.loads(page.locator("#loss-plot").get_attribute("data-values"))
    assert len(losses) == 20 and losses[-1] < losses[0]
    X, labels = make_moons(100, seed=0)
    model = MLP(2, [16, 16, 1], activation="relu", seed=0)
    targets = [2 * label - 1 for label in labels]
    history = fit(model, X, targets, loss="max_margin", lr=0.1, epochs=20, progress=False)
    assert losses == pytest.approx(history.loss, rel=1e-9)
    assert page.locator("[data-norm-of]").count() == 3
