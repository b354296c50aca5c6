// The playground: a formula, its graph and gradients, the backward pass step by step, a quiz.
// The URL carries the state: playground.html?f=tanh(w*x%2Bb)&x=0.5&w=-1.2&b=0.3[&quiz=1]
import {
  ask, bringIntoView, drawGraph, element, loadingBanner, markReady, showError, showFailure,
} from "./app.js";

const $ = (id) => document.getElementById(id);
const form = $("formula-form");
const formulaBox = $("formula");
const errorBox = $("error");
let result = null;
let frameIndex = 0;
const done = new Map(); // quiz key -> true when answered right the first time it was checked right

function values() {
  const entries = [...$("variables").querySelectorAll("input")].map((box) => [box.name, box.value]);
  return Object.fromEntries(entries);
}

function variableBoxes(variables, given) {
  const area = $("variables");
  area.replaceChildren();
  for (const { name, value } of variables) {
    const label = element("label", `${name} = `);
    const box = element("input", "", { name, type: "text", inputmode: "decimal", spellcheck: "false" });
    box.value = given[name] ?? String(value);
    box.addEventListener("change", compute);
    label.append(box);
    area.append(label);
  }
}

/** Top to bottom on a phone; elsewhere the direction that fits the screen (Python's choice). */
function rankdir() {
  return window.innerWidth < 640 ? "TB" : null;
}

async function compute(event) {
  event?.preventDefault();
  const given = values();
  const answer = await ask("playground", { formula: formulaBox.value, values: given, rankdir: rankdir() });
  if (answer.error) {
    showError(errorBox, answer.error);
    for (const id of ["results", "steps-panel", "notes"]) $(id).hidden = true;
    return;
  }
  showError(errorBox, "");
  $("notes").hidden = !answer.notes.length;
  $("notes").textContent = answer.notes.join(" ");
  result = answer;
  done.clear();
  variableBoxes(result.variables, given);
  shareInUrl();
  await show();
}

function shareInUrl() {
  const params = new URLSearchParams({ f: result.formula });
  for (const { name } of result.variables) params.set(name, values()[name]);
  if ($("quiz-mode").checked) params.set("quiz", "1");
  history.replaceState(null, "", `?${params}`);
}

async function show() {
  $("value").textContent = result.value_text;
  $("grad-heading").textContent = `∂${result.root}/∂variable`;
  const rows = result.variables.map(({ name, value }) => {
    const row = element("tr");
    const grad = element("output", result.grad_texts[name], {
      "data-grad-of": name,
      "data-value": String(result.grads[name]),
    });
    const explainButton = element("button", "explain", { type: "button", class: "small" });
    explainButton.addEventListener("click", () => explainLeaf(name));
    const cells = [element("td", name), element("td", String(value)), element("td"), element("td")];
    cells[2].append(grad);
    cells[3].append(explainButton);
    row.append(...cells);
    return row;
  });
  $("grads").replaceChildren(...rows);
  $("explanation").hidden = true;
  for (const id of ["results", "steps-panel"]) $(id).hidden = false;
  $("slider").max = String(Math.max(result.frames.length - 1, 0));
  await showFrame(0);
}

async function explainLeaf(name) {
  const answer = await ask("explain", { name });
  const box = $("explanation");
  box.hidden = false;
  box.textContent = answer.error ?? answer.text;
}

/** Show frame ``index``; ``follow``: bring its highlighted node into view (a step asked for). */
async function showFrame(index, follow = false) {
  if (!result.frames.length) return;
  frameIndex = Math.min(Math.max(index, 0), result.frames.length - 1);
  $("slider").value = String(frameIndex);
  $("prev").disabled = frameIndex === 0;
  $("next").disabled = frameIndex === result.frames.length - 1;
  const frame = result.frames[frameIndex];
  $("step-title").textContent = frame.title;
  const open = $("quiz-mode").checked ? frame.questions.filter((q) => !done.has(q.key)) : [];
  const quiz = $("quiz");
  quiz.hidden = !open.length;
  quiz.replaceChildren(...open.map(questionRow));
  const svg = await drawGraph($("step-graph"), open.length ? frame.question_dot : frame.dot);
  if (follow) bringIntoView(svg, $("steps-panel").querySelector(".controls"));
  open[0] && quiz.querySelector("input").focus({ preventScroll: true });
}

function questionRow({ key, quantity, prompt }) {
  const row = element("div", "", { class: "question" });
  const label = element("label", prompt);
  const box = element("input", "", {
    type: "text",
    inputmode: "decimal",
    "data-quantity": quantity,
    "aria-label": quantity,
  });
  const button = element("button", "Check", { type: "button" });
  const submit = () => checkAnswer(key, box);
  box.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      submit();
    }
  });
  button.addEventListener("click", submit);
  label.append(box);
  row.append(label, button);
  return row;
}

async function checkAnswer(key, box) {
  const verdict = await ask("check", { key, answer: box.value });
  const feedback = $("quiz-feedback");
  feedback.textContent = verdict.error ?? verdict.message;
  feedback.dataset.status = verdict.status ?? "error";
  if (!verdict.done) return;
  done.set(key, verdict.right && verdict.tries === 0);
  updateScore();
  const frame = result.frames[frameIndex];
  if (frame.questions.every((q) => done.has(q.key))) await showFrame(frameIndex);
  else box.closest(".question").remove();
}

function updateScore() {
  const total = result.frames.reduce((sum, frame) => sum + frame.questions.length, 0);
  const right = [...done.values()].filter(Boolean).length;
  const finished = done.size === total;
  $("score").textContent = `${finished ? "score" : "answered"}: ${finished ? right : done.size}/${total}`;
}

$("prev").addEventListener("click", () => showFrame(frameIndex - 1, true));
$("next").addEventListener("click", () => showFrame(frameIndex + 1, true));
$("slider").addEventListener("input", (event) => showFrame(Number(event.target.value), true));
$("quiz-mode").addEventListener("change", () => {
  shareInUrl();
  showFrame(frameIndex);
});
document.addEventListener("keydown", (event) => {
  if (event.target.closest("input, select, textarea") || !result) return;
  if (event.key === "ArrowRight") showFrame(frameIndex + 1, true);
  if (event.key === "ArrowLeft") showFrame(frameIndex - 1, true);
});
$("share").addEventListener("click", async () => {
  await navigator.clipboard?.writeText(location.href).catch(() => {});
  $("share").textContent = "Link copied";
});
form.addEventListener("submit", compute);

async function start() {
  // A shared link's formula and numbers, else the page's own example.
  const params = new URLSearchParams(location.search.slice(1) || formulaBox.dataset.values);
  if (params.has("f")) formulaBox.value = params.get("f");
  $("quiz-mode").checked = params.get("quiz") === "1";
  const given = Object.fromEntries([...params].filter(([name]) => !["f", "quiz"].includes(name)));
  variableBoxes(Object.keys(given).map((name) => ({ name, value: given[name] })), given);
  loadingBanner();
  try {
    await compute();
  } catch (error) {
    showFailure(errorBox, error);
  }
  markReady();
}

start();
