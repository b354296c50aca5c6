// The worked example: change a number and chainrule recomputes the forward pass, every
// gradient as a chain-rule product and the update; "Step" applies the update and plots E.
import {
  ask, bringIntoView, drawGraph, element, loadingBanner, markReady, plotLine, showError, showFailure,
} from "./app.js";
import { startSheet, variantArgs, whose } from "./progress.js";

const $ = (id) => document.getElementById(id);
let presets = null;
let history = [];
let latest = null;
let frameIndex = 0;

function fieldBoxes(preset) {
  for (const lead of document.querySelectorAll(".lead[data-preset]")) lead.hidden = lead.dataset.preset !== preset;
  const boxes = Object.entries(presets[preset]).map(([name, value]) => {
    const label = element("label", `${name} = `);
    const box = element("input", "", { name, type: "text", inputmode: "decimal", spellcheck: "false" });
    box.value = String(value);
    box.addEventListener("change", () => recompute(true));
    label.append(box);
    return label;
  });
  $("fields").replaceChildren(...boxes);
}

/** Each box's number: the exact one behind a rounded number a Step wrote, else as typed. */
function values() {
  return Object.fromEntries(
    [...$("fields").querySelectorAll("input")].map((box) => [
      box.name,
      box.value === box.dataset.shown ? box.dataset.exact : box.value,
    ]),
  );
}

const SHOWN_FIGURES = 6;

/** Put `value` in a box as at most SHOWN_FIGURES significant figures, keeping it exact. */
function fill(box, value) {
  box.value = String(Number(value.toPrecision(SHOWN_FIGURES)));
  box.dataset.shown = box.value;
  box.dataset.exact = String(value);
}

function table(id, rows) {
  $(id).replaceChildren(
    ...rows.map((cells) => {
      const row = element("tr");
      row.append(...cells.map((text) => element("td", text)));
      return row;
    }),
  );
}

// One line of the code: it knows its node (and, backward, the input it adds to).
function codeLine({ text, backward, node, input }) {
  const attributes = { class: backward ? "code-line backward" : "code-line", "data-node": String(node) };
  if (input !== null) attributes["data-input"] = String(input);
  return element("span", `${text}\n`, attributes);
}

async function recompute(restart) {
  const rankdir = window.innerWidth < 640 ? "TB" : null; // a phone: top to bottom
  const answer = await ask("worked", { preset: $("preset").value, values: values(), rankdir });
  showError($("error"), answer.error);
  $("step").disabled = Boolean(answer.error);
  if (answer.error) return;
  latest = answer;
  if (restart) history = [];
  history.push(answer.E);
  table("forward", answer.forward.map(({ name, formula, value }) => [name, formula, value]));
  table("update", answer.updated.map(({ name, old, grad, new_text }) => [name, old, grad, new_text]));
  $("derivations").replaceChildren(
    ...answer.gradients.map(({ name, text }) => element("pre", text, { class: "derivation", "data-gradient": name })),
  );
  $("code").replaceChildren(...answer.code.map(codeLine));
  plotLine($("error-plot"), history, { label: "E," });
  $("error-history").textContent = `E = ${answer.E_text}` + (history.length > 1 ? ` after ${history.length - 1} steps` : "");
  $("slider").max = String(answer.frames.length - 1);
  await showFrame(restart ? 0 : frameIndex);
}

/** The backward pass's frame `index`; `follow`: bring its highlighted node into view. */
async function showFrame(index, follow = false) {
  const { frames } = latest;
  frameIndex = Math.min(Math.max(index, 0), frames.length - 1);
  $("slider").value = String(frameIndex);
  $("prev").disabled = frameIndex === 0;
  $("next").disabled = frameIndex === frames.length - 1;
  $("step-title").textContent = frames[frameIndex].title;
  const svg = await drawGraph($("step-graph"), frames[frameIndex].dot);
  if (follow) bringIntoView(svg, $("steps-panel").querySelector(".controls"));
}

function step() {
  for (const { name, new: value } of latest.updated) {
    fill($("fields").querySelector(`input[name="${name}"]`), value);
  }
  return recompute(false);
}

// ?student=…&assignment=… or ?seed=… opens that student's variant: its numbers in the fields.
async function openVariant() {
  const args = variantArgs();
  if (!args) return null;
  const chosen = await ask("variant", args);
  showError($("error"), chosen.error);
  if (chosen.error) return null;
  $("preset").value = "lesson";
  fieldBoxes("lesson");
  for (const [name, value] of Object.entries(chosen.fields)) {
    $("fields").querySelector(`input[name="${name}"]`).value = String(value);
  }
  const task = chosen.task === "divergence" ? " Its α is above the divergence threshold 1/Σx²: J(w) rises at each step." : "";
  $("variant").textContent = `Your variant (${whose(chosen)}): its own numbers, the same in the notebook and the terminal.${task}`;
  $("variant").hidden = false;
  return chosen;
}

// A variant is an exercise: the computed panels stay hidden until the student asks.
function showSolution(shown) {
  for (const panel of document.querySelectorAll("[data-solution-panel]")) panel.hidden = !shown;
}

async function start() {
  loadingBanner();
  try {
    presets = await ask("presets");
    const preset = new URLSearchParams(location.search).get("preset");
    if (preset in presets) $("preset").value = preset;
    fieldBoxes($("preset").value);
    const chosen = await openVariant();
    await recompute(true);
    if (chosen) {
      showSolution(false);
      await startSheet($("sheet"), chosen, () => showSolution(true));
    }
  } catch (error) {
    showFailure($("error"), error);
  }
  markReady();
}

$("preset").addEventListener("change", () => {
  fieldBoxes($("preset").value);
  recompute(true);
});
$("step").addEventListener("click", step);
$("prev").addEventListener("click", () => showFrame(frameIndex - 1, true));
$("next").addEventListener("click", () => showFrame(frameIndex + 1, true));
$("slider").addEventListener("input", (event) => showFrame(Number(event.target.value), true));
$("reset").addEventListener("click", async () => {
  fieldBoxes($("preset").value);
  await openVariant();
  recompute(true);
});
start();
