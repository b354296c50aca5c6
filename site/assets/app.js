// Shared by every page: the Python worker, graph drawing with viz-js, small helpers.
// Python does all the mathematics; this file only moves messages and draws.

const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
const pending = new Map();
let nextId = 0;

worker.onmessage = ({ data: { id, result, failure, progress, phases } }) => {
  if (phases !== undefined) {
    // The worker's phases (worker.js) as this page's marks, timed from its navigation.
    for (const [phase, at] of phases) {
      performance.mark(`python:${phase}`, { startTime: at - performance.timeOrigin });
    }
    return;
  }
  if (progress !== undefined) {
    const banner = document.querySelector(".loading");
    if (banner) banner.textContent = progress;
    return;
  }
  const { resolve, reject } = pending.get(id);
  pending.delete(id);
  if (failure === undefined) resolve(JSON.parse(result));
  else reject(new Error(failure));
};

/** Ask chainrule (in the worker) for `name`; resolves to its result, {error} for a user's mistake. */
export function ask(name, args = {}) {
  return new Promise((resolve, reject) => {
    pending.set(nextId, { resolve, reject });
    worker.postMessage({ id: nextId++, name, args });
  });
}

/** Show a failure of the site itself (not the user's mistake) without a stack trace. */
export function showFailure(element, error) {
  element.hidden = false;
  element.textContent = `Something went wrong inside the page: ${error.message}`;
}

/** Show `message` in the error element, or hide it when there is none. */
export function showError(element, message) {
  element.hidden = !message;
  element.textContent = message || "";
}

/**
 * Mark the page usable: its first view drawn from Python's answer and its controls live.
 * The performance mark "usable" is the page's first-usable time, in milliseconds from the
 * start of its navigation (tests read it; the loading banner goes).
 */
export function markReady() {
  performance.mark("usable");
  document.body.dataset.ready = "true";
  document.querySelector(".loading")?.remove();
}

export function loadingBanner(text = "Loading Python and chainrule… (the first visit takes a few seconds)") {
  const banner = document.createElement("p");
  banner.className = "loading";
  banner.setAttribute("role", "status");
  banner.textContent = text;
  document.querySelector("main").prepend(banner);
}

let viz = null;
async function vizInstance() {
  if (!viz) viz = import("../vendor/viz.js").then((module) => module.instance());
  return viz;
}
// A page with a graph starts the drawer now, while Python starts in the worker.
if (document.querySelector(".graph")) vizInstance();

const MIN_TEXT_PX = 10;
const PT_TO_PX = 4 / 3; // Graphviz measures in points; CSS pixels are 3/4 of a point

/**
 * Draw DOT source into `container` as SVG, fitted to its width but never so small that
 * the smallest text is under MIN_TEXT_PX CSS pixels: a wide graph then pans (the
 * container scrolls) instead. The +/− buttons zoom.
 */
export async function drawGraph(container, dot) {
  const svg = (await vizInstance()).renderSVGElement(dot);
  const [, , width] = svg.getAttribute("viewBox").split(/\s+/).map(Number);
  const sizes = [...svg.querySelectorAll("text")].map((text) => Number(text.getAttribute("font-size")));
  const smallest = Math.min(...sizes.filter((size) => size > 0), 14);
  const naturalWidth = width * PT_TO_PX;
  const minimum = MIN_TEXT_PX / (smallest * PT_TO_PX);
  svg.removeAttribute("height");
  svg.style.height = "auto";
  let zoom = null;
  const fit = () => {
    const available = Math.max(container.clientWidth - 2, 100);
    const scale = zoom ?? Math.min(Math.max(available / naturalWidth, minimum), 1.5);
    const pixels = Math.ceil(naturalWidth * scale); // rounded up: text never a hair under 10 px
    svg.style.width = `${pixels}px`;
    svg.setAttribute("width", `${pixels}px`);
  };
  const canvas = document.createElement("div");
  canvas.className = "graph-canvas";
  canvas.append(svg);
  const tools = document.createElement("div");
  tools.className = "graph-tools";
  for (const [label, factor] of [["−", 1 / 1.25], ["+", 1.25]]) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "small";
    button.textContent = label;
    button.setAttribute("aria-label", factor > 1 ? "Zoom in" : "Zoom out");
    button.addEventListener("click", () => {
      const current = svg.getBoundingClientRect().width / naturalWidth;
      zoom = Math.max(current * factor, minimum);
      fit();
    });
    tools.append(button);
  }
  container.replaceChildren(tools, canvas);
  fit();
  followHighlight(canvas, svg);
  // One observer per container, refitting the drawing it holds now.
  if (!refits.has(container)) new ResizeObserver(() => refits.get(container)()).observe(container);
  refits.set(container, () => zoom === null && fit());
  return svg;
}

const refits = new WeakMap();

const HIGHLIGHT = "#ea580c"; // autograd.show.draw's colour for the node a step processes

const highlighted = (svg) => svg.querySelector(`g.node [stroke="${HIGHLIGHT}"]`);

/** Scroll a graph that pans so that the node being processed is in view (on a phone). */
function followHighlight(canvas, svg) {
  const node = highlighted(svg);
  if (!node) return;
  const box = node.getBoundingClientRect();
  const view = canvas.getBoundingClientRect();
  canvas.scrollLeft += box.left + box.width / 2 - (view.left + view.width / 2);
  canvas.scrollTop += box.top + box.height / 2 - (view.top + view.height / 2);
}

/**
 * Scroll the page, if needed, so that the node being processed in `svg` is on screen,
 * below `above` (the step buttons, which stay on top).
 */
export function bringIntoView(svg, above) {
  const node = highlighted(svg);
  if (!node) return;
  const box = node.getBoundingClientRect();
  const top = above.getBoundingClientRect().height + 8; // the buttons, stuck at the top
  const bottom = window.innerHeight - 8;
  if (box.top < top) window.scrollBy(0, box.top - top);
  else if (box.bottom > bottom) window.scrollBy(0, Math.min(box.bottom - bottom, box.top - top));
}

/**
 * A line chart of `values` on a canvas, y from 0 (or the minimum) to the maximum, captioned
 * with the number of `steps` it covers (by default one between each two values).
 */
export function plotLine(canvas, values, { label = "", steps = values.length - 1, colour = "#2563eb" } = {}) {
  const context = canvas.getContext("2d");
  const { width, height } = canvas;
  canvas.dataset.values = JSON.stringify(values); // the numbers behind the picture, for tests
  const pad = { left: 52, right: 12, top: 12, bottom: 28 };
  context.clearRect(0, 0, width, height);
  context.font = "13px system-ui, sans-serif";
  context.fillStyle = "#334155";
  if (!values.length) {
    canvas.dataset.caption = "no steps yet";
    context.fillText(canvas.dataset.caption, pad.left, height / 2);
    return;
  }
  const high = Math.max(...values);
  const low = Math.min(0, ...values);
  const span = high - low || 1;
  const x = (i) => pad.left + ((width - pad.left - pad.right) * i) / Math.max(values.length - 1, 1);
  const y = (v) => pad.top + (height - pad.top - pad.bottom) * (1 - (v - low) / span);
  context.strokeStyle = "#94a3b8";
  context.beginPath();
  context.moveTo(pad.left, pad.top);
  context.lineTo(pad.left, height - pad.bottom);
  context.lineTo(width - pad.right, height - pad.bottom);
  context.stroke();
  context.fillText(high.toPrecision(3), 4, pad.top + 10);
  context.fillText(low.toPrecision(3), 4, height - pad.bottom);
  canvas.dataset.caption = `${label} ${steps} step${steps === 1 ? "" : "s"}`;
  context.fillText(canvas.dataset.caption, pad.left + 4, height - 8);
  context.strokeStyle = colour;
  context.lineWidth = 2;
  context.beginPath();
  values.forEach((v, i) => (i ? context.lineTo(x(i), y(v)) : context.moveTo(x(i), y(v))));
  context.stroke();
}

/** An element with text, e.g. element("td", "0.5"). */
export function element(tag, text = "", attributes = {}) {
  const node = document.createElement(tag);
  node.textContent = text;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}
