// The worked example: change a number and chainrule recomputes the forward pass, every
// gradient as a chain-rule product and the update; "Step" applies the update and plots E.
import { ask, element, loadingBanner, markReady, plotLine, showError, showFailure } from "./app.js";
import { startSheet } from "./progress.js";

const $ = (id) => document.getElementById(id);
let presets = null;
let history = [];
let latest = null;

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

function values() {
  return Object.fromEntries([...$("fields").querySelectorAll("input")].map((box) => [box.name, box.value]));
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

async function recompute(restart) {
  const answer = await ask("worked", { preset: $("preset").value, values: values() });
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
  plotLine($("error-plot"), history, { label: "E," });
  $("error-history").textContent = `E = ${answer.E_text}` + (history.length > 1 ? ` after ${history.length - 1} steps` : "");
}

function step() {
  for (const { name, new: value } of latest.updated) {
    $("fields").querySelector(`input[name="${name}"]`).value = String(value);
  }
  return recompute(false);
}

// ?student=…&assignment=… or ?seed=… opens that student's variant: its numbers in the fields.
async function openVariant() {
  const query = new URLSearchParams(location.search);
  if (!query.has("seed") && !query.has("student")) return null;
  const args = query.has("seed")
    ? { seed: query.get("seed"), assignment: query.get("assignment") }
    : { student: query.get("student"), assignment: query.get("assignment") ?? "" };
  const chosen = await ask("variant", args);
  showError($("error"), chosen.error);
  if (chosen.error) return null;
  $("preset").value = "lesson";
  fieldBoxes("lesson");
  for (const [name, value] of Object.entries(chosen.fields)) {
    $("fields").querySelector(`input[name="${name}"]`).value = String(value);
  }
  const whose = chosen.student ? `${chosen.student}, ${chosen.assignment}` : `seed ${chosen.seed}`;
  $("variant").textContent = `Your variant (${whose}): its own numbers, the same in the notebook and the terminal.`;
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
$("reset").addEventListener("click", async () => {
  fieldBoxes($("preset").value);
  await openVariant();
  recompute(true);
});
start();
