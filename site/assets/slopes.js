// Slope by nudging: E at p and p ± h to 10 figures; the student's ΔE/h is checked against
// backward() within 1%. On J(w) the tangent is drawn once the slope is right.
import { ask, element, loadingBanner, markReady, showFailure } from "./app.js";
import { $, Plot, around, askShowingErrors, checkedBox, keepProgress, openVariant, readSettings, variantArgs, writeSettings } from "./lab.js";

const DEFAULTS = { parameter: "w1", h: "0.001", w0: "0.2" };
const FIELDS = { h: "h", w0: "w0" };
const known = new Set(); // parameters whose slope the student has found
let latest = null;
let slope = null; // backward()'s slope, once the student's is right

const settings = () => Object.fromEntries(Object.keys(DEFAULTS).map((name) => [name, $(name).value]));
const chosenArgs = variantArgs(); // the variant the URL names: Python takes E's network and J's k from it

async function nudge() {
  writeSettings(settings(), DEFAULTS);
  const onJ = $("parameter").value === "w";
  $("w0-field").hidden = !onJ;
  $("about").hidden = onJ;
  $("about-J").hidden = !onJ;
  $("value-name").textContent = onJ ? "J(p)" : "E";
  $("slope-label").textContent = onJ ? "ΔJ / h =" : "ΔE / h =";
  $("slope-feedback").textContent = "";
  slope = null;
  latest = await askShowingErrors("slopes", { ...settings(), ...chosenArgs }, FIELDS, $("error"));
  $("nudges").replaceChildren(
    ...(latest?.rows ?? []).map((cells) => {
      const row = element("tr");
      row.append(...cells.map((text) => element("td", text)));
      return row;
    }),
  );
  $("cost-panel").hidden = !(onJ && latest);
  drawCost();
}

function drawCost() {
  if (!latest?.curve) return;
  const ws = latest.curve.map((p) => p[0]);
  const plot = new Plot($("cost-plot"), [Math.min(...ws), Math.max(...ws)], around(latest.curve.map((p) => p[1]), 0.05), { xLabel: "w", yLabel: "J(w)" });
  plot.line(latest.curve, "#2563eb");
  const [, [w, J]] = latest.values;
  if (slope !== null) plot.line([[w - 0.5, J - 0.5 * slope], [w + 0.5, J + 0.5 * slope]], "#16a34a", 3);
  latest.values.forEach(([x, y], i) => plot.dot(x, y, i === 1 ? "#ea580c" : "#64748b", i === 1 ? 6 : 4));
  plot.done();
}

async function check(answer) {
  const parameter = $("parameter").value;
  const verdict = await ask("slope_check", { ...settings(), ...chosenArgs, answer, known: [...known] });
  if (verdict.error) return { status: "invalid", message: verdict.error };
  if (verdict.right) {
    known.add(parameter);
    slope = verdict.slope;
    drawCost();
  }
  return verdict;
}

async function start() {
  loadingBanner();
  try {
    const { settings: initial } = readSettings(DEFAULTS);
    for (const [name, value] of Object.entries(initial)) $(name).value = value;
    const chosen = await openVariant(({ k, w0 }) => `J(w) = Σ(z − w·x)² on z = ${k}·x from w0 = ${w0}, and E on your network, as on your worksheet.`, $("error"));
    if (chosen) {
      const { x, w1, b1, w2, b2, target, k } = chosen.given;
      $("w0").value = String(chosen.given.w0);
      $("about").textContent = `Your network: x = ${x}, w1 = ${w1}, b1 = ${b1}, w2 = ${w2}, b2 = ${b2}, T = ${target}, E = ½(T − a2)².`;
      $("about-J").textContent = `J(w) = Σ(z − w·x)² on your data z = ${k}·x, x = 0.1 … 0.5.`;
    }
    for (const id of Object.keys(DEFAULTS)) $(id).addEventListener("change", nudge);
    $("slopes-form").addEventListener("submit", (event) => event.preventDefault());
    checkedBox("slope", check);
    await nudge();
    await keepProgress("slopes", chosen);
  } catch (error) {
    showFailure($("error"), error);
  }
  markReady();
}
start();
