// The gradient-descent lab: predict what a run will do, step it, and be checked. Python
// (chainrule_site.descent) runs gradient_descent.descend; this page draws and keeps state.
import { ask, loadingBanner, markReady, showFailure } from "./app.js";
import {
  $, Plot, around, askShowingErrors, checkedBox, keepAttempt, keepProgress, openVariant, readSettings, showMessage, showVerdict, writeSettings,
} from "./lab.js";

const DEFAULTS = { w0: "0.2", alpha: "0.4", steps: "10", xs: "0.1, 0.2, 0.3, 0.4, 0.5", zs: "0.2, 0.4, 0.6, 0.8, 1" };
const FIELDS = { w0: "w0", "α": "alpha", steps: "steps", "x values": "xs", "z values": "zs" };
const SLIDERS = { w0: "w0-slider", alpha: "alpha-slider" };
let run = null; // the latest descent: rows, curve, points, regime, words
let shown = -1; // the last step on show; -1 before the run starts
let prediction = null; // Python's verdict on the committed prediction

const settings = () => Object.fromEntries(Object.keys(DEFAULTS).map((name) => [name, $(name).value]));
const last = () => run.rows.length - 1;

async function compute() {
  writeSettings(settings(), DEFAULTS);
  run = await askShowingErrors("descent", settings(), FIELDS, $("error"));
  $("commit").disabled = !run;
  draw();
}

/** A setting changed: this is a new run, so a new prediction comes first. */
async function changed() {
  shown = -1;
  prediction = null;
  $("predict").disabled = false;
  $("step").disabled = $("run").disabled = true;
  $("results").hidden = true;
  $("verdict").textContent = "";
  $("progress").textContent = "Commit a prediction to run.";
  await compute();
}

/** The run a prediction is for, as text: its w0, α and data. */
const runName = () => {
  const { w0, alpha, xs, zs } = settings();
  return JSON.stringify({ w0, alpha, xs, zs });
};

/** Commit the prediction chosen (kept as an attempt unless `restoring` a kept one). */
async function commit(restoring = false) {
  const choice = document.querySelector("input[name=regime]:checked");
  showMessage("predict", choice ? "" : "Choose what you expect to happen first.");
  if (!choice || !run) return;
  const { w0, alpha, xs, zs } = settings();
  const answer = await askShowingErrors("descent_predict", { w0, alpha, xs, zs, regime: choice.value, w1: $("w1-guess").value }, FIELDS, $("error"));
  if (!answer) return;
  const w1 = answer.w1;
  if (w1.status === "empty") return showMessage("w1-guess", "w1: type the w1 you expect first.");
  if (w1.status === "invalid") return showMessage("w1-guess", `w1: ${w1.message}`);
  showMessage("w1-guess", "");
  prediction = answer;
  if (!restoring) {
    const status = answer.regime.right && w1.right ? "right" : "wrong";
    keepAttempt("prediction", $("w1-guess").value, status, { "predicted-regime": choice.value, "predicted-for": runName() });
  }
  $("predict").disabled = true;
  $("step").disabled = $("run").disabled = false;
  shown = 0;
  $("progress").textContent = "Prediction committed. Step through the run.";
  draw();
  $("step").focus();
}

function advance(to) {
  shown = Math.min(to, last());
  draw();
  if (shown === last()) finish();
}

function finish() {
  $("step").disabled = $("run").disabled = true;
  $("results").hidden = false;
  $("regime").textContent = run.words;
  $("regime").dataset.regime = run.regime;
  if (prediction) {
    const right = prediction.regime.right && prediction.w1.right;
    showVerdict($("verdict"), {
      right,
      status: right ? "right" : "wrong",
      message: `Your prediction. What happens: ${prediction.regime.message}. w1: ${prediction.w1.message}.`,
    });
  }
  $("progress").textContent = "Change w0, α or the data for another run.";
}

function drawTable() {
  $("table").replaceChildren(
    ...run.rows.slice(0, shown + 1).map(({ k, w, texts }) => {
      const row = document.createElement("tr");
      row.dataset.w = String(w);
      for (const text of [String(k), ...texts]) row.append(Object.assign(document.createElement("td"), { textContent: text }));
      return row;
    }),
  );
}

function drawData(points = run?.points ?? [], ranges = null) {
  const [xRange, yRange] = ranges ?? dataRanges(points);
  const plot = new Plot($("data-plot"), xRange, yRange, { xLabel: "x", yLabel: "z" });
  if (run && shown >= 0) {
    const w = run.rows[shown].w;
    plot.line([[xRange[0], w * xRange[0]], [xRange[1], w * xRange[1]]], "#ea580c");
  }
  for (const [x, z] of points) plot.dot(x, z, "#1e3a8a", 6);
  plot.done();
  const line = run && shown >= 0 ? `The line z = w${shown}·x with w${shown} = ${run.rows[shown].texts[0]}.` : "The line appears when the run starts.";
  $("line-caption").textContent = line;
}

const dataRanges = (points) => [around([0, ...points.map((p) => p[0])], 0.15), around([0, ...points.map((p) => p[1])], 0.15)];

function drawCost() {
  const canvas = $("cost-plot");
  if (!run || shown < 0) {
    new Plot(canvas, [0, 1], [0, 1], { xLabel: "w", yLabel: "J(w)" }).done();
    return;
  }
  const ws = run.curve.map((p) => p[0]);
  const plot = new Plot(canvas, [Math.min(...ws), Math.max(...ws)], [0, Math.max(...run.curve.map((p) => p[1]))], { xLabel: "w", yLabel: "J(w)" });
  plot.line(run.curve, "#2563eb");
  const path = run.rows.slice(0, shown + 1).map(({ w, J }) => [w, J]);
  plot.line(path, "#94a3b8", 1, true);
  const { w, J, gradient } = run.rows[shown];
  const reach = 0.12 * (plot.x1 - plot.x0);
  plot.line([[w - reach, J - gradient * reach], [w + reach, J + gradient * reach]], "#16a34a", 3);
  path.forEach(([pw, pJ], k) => plot.dot(pw, pJ, k === shown ? "#ea580c" : "#64748b", k === shown ? 6 : 4));
  plot.done();
}

function draw() {
  drawData();
  drawCost();
  if (run) drawTable();
  canvasNumbers();
}

/** The numbers behind the pictures, for tests and screen readers' neighbours. */
function canvasNumbers() {
  $("data-plot").dataset.points = JSON.stringify(run?.points ?? []);
  $("cost-plot").dataset.shown = String(shown);
}

/** Drag a data point: the line, J and α* follow when it is dropped. */
function dragging() {
  const canvas = $("data-plot");
  let index = -1;
  let ranges = null;
  let points = [];
  canvas.addEventListener("pointerdown", (event) => {
    if (!run) return;
    points = run.points.map((p) => [...p]);
    ranges = dataRanges(points);
    const plot = new Plot(canvas, ...ranges);
    const [x, z] = plot.at(event);
    const distance = ([px, pz]) => Math.hypot(plot.x(px) - plot.x(x), plot.y(pz) - plot.y(z));
    const nearest = points.reduce((best, p, i) => (distance(p) < distance(points[best]) ? i : best), 0);
    index = distance(points[nearest]) < 24 ? nearest : -1;
    drawData(points, ranges);
    if (index >= 0) canvas.setPointerCapture(event.pointerId);
  });
  canvas.addEventListener("pointermove", (event) => {
    if (index < 0) return;
    points[index] = new Plot(canvas, ...ranges).at(event).map((v) => Math.round(v * 100) / 100);
    drawData(points, ranges);
  });
  canvas.addEventListener("pointerup", () => {
    if (index < 0) return;
    index = -1;
    $("xs").value = points.map((p) => p[0]).join(", ");
    $("zs").value = points.map((p) => p[1]).join(", ");
    changed();
  });
}

/** What a variant sets on this lab, in words. */
function variantWords({ k, w0, alpha }) {
  return `the data z = ${k}·x, w0 = ${w0} and α = ${alpha}, the same as on your worksheet and in the notebook.`;
}

async function start() {
  loadingBanner();
  try {
    const { given, settings: initial } = readSettings(DEFAULTS);
    for (const [name, value] of Object.entries(initial)) $(name).value = value;
    const chosen = await openVariant(variantWords, $("error"));
    if (chosen) {
      const { k, w0, alpha } = chosen.given;
      const xs = $("xs").value.split(",").map(Number);
      Object.assign(initial, { w0: String(w0), alpha: String(alpha), zs: xs.map((x) => Number((k * x).toPrecision(12))).join(", ") });
      for (const name of ["w0", "alpha", "zs"]) $(name).value = initial[name];
      for (const [name, value] of [["w0", w0], ["alpha", alpha]]) {
        // a variant's number past its slider's end (a divergence α above 2.5) widens it
        const slider = $(SLIDERS[name]);
        slider.min = String(Math.min(Number(slider.min), value));
        slider.max = String(Math.max(Number(slider.max), value));
      }
    }
    for (const [name, slider] of Object.entries(SLIDERS)) {
      $(slider).value = $(name).value;
      $(slider).addEventListener("input", () => ($(name).value = $(slider).value));
      $(slider).addEventListener("change", changed);
      $(name).addEventListener("change", () => {
        $(slider).value = $(name).value;
        changed();
      });
    }
    for (const name of ["steps", "xs", "zs"]) $(name).addEventListener("change", changed);
    $("settings").addEventListener("submit", (event) => event.preventDefault());
    $("commit").addEventListener("click", () => commit());
    $("step").addEventListener("click", () => advance(shown + 1));
    $("run").addEventListener("click", () => advance(Infinity));
    for (const which of ["divergence", "overshoot"]) {
      checkedBox(which, async (answer) => {
        const verdict = await ask("descent_threshold", { which, answer, xs: $("xs").value, zs: $("zs").value });
        return verdict.error ? { status: "invalid", message: verdict.error } : verdict;
      });
    }
    dragging();
    const kept = await keepProgress("gradient-descent", chosen);
    await changed();
    if (kept["predicted-for"] === runName()) {
      const choice = [...document.querySelectorAll("input[name=regime]")].find((radio) => radio.value === kept["predicted-regime"]);
      if (choice) {
        choice.checked = true;
        $("w1-guess").value = kept.prediction ?? "";
        await commit(true);
      }
    }
    if (given && !chosen && run) advance(Infinity); // a shared run opens computed
  } catch (error) {
    showFailure($("error"), error);
  }
  markReady();
}
start();
