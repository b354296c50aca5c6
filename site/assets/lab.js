// Shared by the labs: settings kept in the URL, one-line messages next to their boxes,
// checked answers, and a small canvas plot. Python computes and checks; this file draws.
import { ask } from "./app.js";
import { Attempts, attemptsKey, progressPanel } from "./progress.js";

export { openVariant, variantArgs } from "./progress.js";

export const $ = (id) => document.getElementById(id);

/** The page's settings from its URL, each with its default: {name: text}. */
export function readSettings(defaults) {
  const query = new URLSearchParams(location.search);
  const given = Object.keys(defaults).some((name) => query.has(name));
  return { given, settings: Object.fromEntries(Object.entries(defaults).map(([name, value]) => [name, query.get(name) ?? value])) };
}

const VARIANT_PARAMETERS = ["student", "assignment", "seed", "task"];

/** Put the settings in the URL (so a teacher can share this state), leaving out the defaults
 * and keeping the variant's parameters. */
export function writeSettings(settings, defaults) {
  const kept = new URLSearchParams(location.search);
  const query = new URLSearchParams([...kept].filter(([name]) => VARIANT_PARAMETERS.includes(name)));
  for (const [name, value] of Object.entries(settings)) if (value !== defaults[name]) query.set(name, value);
  const search = query.toString();
  history.replaceState(null, "", search ? `?${search}` : location.pathname);
}

/**
 * Ask Python; a user's mistake ("α: expected a number, got 'abc'") is shown next to the box
 * it names (`fields` maps the message's name to the box's id), else in `fallback`.
 * Resolves to the answer, or null after showing its error.
 */
export async function askShowingErrors(name, args, fields, fallback) {
  const answer = await ask(name, args);
  for (const id of Object.values(fields)) hideError(id);
  fallback.hidden = true;
  if (!answer.error) return answer;
  const named = answer.error.split(":")[0];
  const box = $(`${fields[named]}-error`);
  const shown = box ?? fallback;
  shown.hidden = false;
  shown.textContent = answer.error;
  return null;
}

export function hideError(id) {
  const box = $(`${id}-error`);
  if (box) box.hidden = true;
}

export function showMessage(id, message) {
  const box = $(`${id}-error`);
  box.hidden = !message;
  box.textContent = message || "";
}

/** Show a verdict {status, right, message} in a role=status element. */
export function showVerdict(element, verdict) {
  element.dataset.status = verdict.right ? "right" : verdict.status ?? "wrong";
  element.textContent = verdict.message;
}

const checked = new Map(); // each checked box's id -> its check, shown again on a reload
const readsAlso = new Map(); // each checked box's id -> the other boxes its check reads
let attempts = null; // the page's Attempts once keepProgress has run
let showScore = () => {};

/** The boxes a checked answer is made of: its own box and the others its check reads. */
const boxesOf = (id) => [id, ...(readsAlso.get(id) ?? [])];

/**
 * Keep every answer checked on this lab in the browser, under `variant` (null: the page's
 * own numbers): after a reload each box (and each other box its answer reads) gets its
 * last text back, checked again, and the score; a panel says what is stored and offers
 * "Forget my answers". Resolves to the texts kept ({id: text}: also what `keepAttempt` kept).
 */
export async function keepProgress(page, variant) {
  attempts = new Attempts(attemptsKey(page, variant));
  const counted = new Set(checked.keys());
  const score = () => `score: ${attempts.right(counted)}/${checked.size} (${attempts.state.attempts.length} attempts kept)`;
  showScore = progressPanel(attempts, score, async () => {
    for (const id of checked.keys()) {
      for (const box of boxesOf(id)) $(box).value = "";
      $(`${id}-feedback`).textContent = "";
      delete $(`${id}-feedback`).dataset.status;
    }
  });
  const kept = attempts.state.answers;
  for (const id of checked.keys()) {
    if (!(id in kept)) continue;
    for (const box of boxesOf(id)) $(box).value = kept[box] ?? "";
    showVerdict($(`${id}-feedback`), await checked.get(id)(kept[id]));
  }
  showScore();
  return { ...kept };
}

/** Keep an attempt that is no checked box (a prediction): its `box` name, the text typed,
 * its status, and the other texts it is made of ({name: text}). */
export function keepAttempt(box, typed, status, others = {}) {
  attempts?.record(box, typed, status, others);
  showScore();
}

/** Wire a Check button and Enter in its box to `check(text)`, which resolves to a verdict;
 * with keepProgress, each attempt is kept, with the text of each box in `others` (the ids
 * of the other boxes the check reads). */
export function checkedBox(id, check, others = []) {
  const box = $(id);
  checked.set(id, check);
  readsAlso.set(id, others);
  const run = async () => {
    const typed = box.value;
    const verdict = await check(typed);
    showVerdict($(`${id}-feedback`), verdict);
    if (typed.trim() || others.some((other) => $(other).value.trim())) {
      keepAttempt(id, typed, verdict.right ? "right" : verdict.status ?? "wrong", Object.fromEntries(others.map((other) => [other, $(other).value])));
    }
  };
  document.querySelector(`[data-check="${id}"]`).addEventListener("click", run);
  box.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      run();
    }
  });
}

/** A canvas with data coordinates: x in [x0, x1], y in [y0, y1], axes and their end values. */
export class Plot {
  constructor(canvas, [x0, x1], [y0, y1], { xLabel = "", yLabel = "" } = {}) {
    Object.assign(this, { canvas, x0, x1, y0: y0, y1: y1 === y0 ? y0 + 1 : y1 });
    this.context = canvas.getContext("2d");
    this.pad = { left: 52, right: 14, top: 14, bottom: 34 };
    const { width, height } = canvas;
    const c = this.context;
    c.clearRect(0, 0, width, height);
    c.font = "16px system-ui, sans-serif";
    c.strokeStyle = "#94a3b8";
    c.lineWidth = 1;
    c.strokeRect(this.pad.left, this.pad.top, width - this.pad.left - this.pad.right, height - this.pad.top - this.pad.bottom);
    c.fillStyle = "#334155";
    const short = (v) => Number(v.toPrecision(3)).toString();
    c.fillText(short(this.y1), 4, this.pad.top + 12);
    c.fillText(short(this.y0), 4, height - this.pad.bottom);
    c.fillText(short(this.x0), this.pad.left, height - 16);
    const right = short(this.x1);
    c.fillText(right, width - this.pad.right - c.measureText(right).width, height - 16);
    c.fillText(xLabel, width / 2 - c.measureText(xLabel).width / 2, height - 4);
    c.fillText(yLabel, this.pad.left + 6, this.pad.top + 16);
    c.save();
    c.beginPath();
    c.rect(this.pad.left, this.pad.top, width - this.pad.left - this.pad.right, height - this.pad.top - this.pad.bottom);
    c.clip();
  }

  x(value) {
    return this.pad.left + ((value - this.x0) / (this.x1 - this.x0)) * (this.canvas.width - this.pad.left - this.pad.right);
  }

  y(value) {
    return this.pad.top + (1 - (value - this.y0) / (this.y1 - this.y0)) * (this.canvas.height - this.pad.top - this.pad.bottom);
  }

  /** The data point under a pointer event, in data coordinates. */
  at(event) {
    const box = this.canvas.getBoundingClientRect();
    const px = ((event.clientX - box.left) * this.canvas.width) / box.width;
    const py = ((event.clientY - box.top) * this.canvas.height) / box.height;
    const w = this.canvas.width - this.pad.left - this.pad.right;
    const h = this.canvas.height - this.pad.top - this.pad.bottom;
    return [this.x0 + ((px - this.pad.left) / w) * (this.x1 - this.x0), this.y1 - ((py - this.pad.top) / h) * (this.y1 - this.y0)];
  }

  line(points, colour, width = 2, dashed = false) {
    const c = this.context;
    c.strokeStyle = colour;
    c.lineWidth = width;
    c.setLineDash(dashed ? [6, 4] : []);
    c.beginPath();
    points.forEach(([x, y], i) => (i ? c.lineTo(this.x(x), this.y(y)) : c.moveTo(this.x(x), this.y(y))));
    c.stroke();
    c.setLineDash([]);
  }

  dot(x, y, colour, radius = 5) {
    const c = this.context;
    c.beginPath();
    c.arc(this.x(x), this.y(y), radius, 0, 2 * Math.PI);
    c.fillStyle = colour;
    c.fill();
    c.strokeStyle = "white";
    c.lineWidth = 1.5;
    c.stroke();
  }

  text(x, y, words, colour = "#334155") {
    this.context.fillStyle = colour;
    this.context.fillText(words, this.x(x) + 6, this.y(y) - 6);
  }

  done() {
    this.context.restore();
  }
}

/** [low, high] around the values, padded by a share of their span. */
export function around(values, share = 0.12) {
  const low = Math.min(...values);
  const high = Math.max(...values);
  const pad = share * (high - low || Math.abs(high) || 1);
  return [low - pad, high + pad];
}

