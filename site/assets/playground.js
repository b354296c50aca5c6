// The playground: a formula, its graph and gradients, the backward pass step by step, a quiz.
// The URL carries the state: playground.html?f=tanh(w*x%2Bb)&x=0.5&w=-1.2&b=0.3[&quiz=1]
import { ask, drawGraph, element, loadingBanner, markReady, showError, showFailure } from "./app.js";

const $ = (id) => document.getElementById(id);
const form = $("formula-form");
const formulaBox = $("formula");
const errorBox = $("error");
let result = null;
let frameIndex = 0;
const done = new Set(); // quiz keys finished (answered right, or the value shown)
const ordered = new Set(); // frames whose next node the student has picked
let ended = false; // the student typed a quit word
let score = { right: 0, finished: 0 };

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

function rankdir() {
  return window.innerWidth < 640 ? "TB" : "LR";
}

async function compute(event) {
  event?.preventDefault();
  const given = values();
  const answer = await ask("playground", { formula: formulaBox.value, values: given, rankdir: rankdir() });
  if (answer.error) {
    showError(errorBox, answer.error);
    for (const id of ["results", "graph-panel", "steps-panel"]) $(id).hidden = true;
    return;
  }
  showError(errorBox, "");
  result = answer;
  $("graph").replaceChildren();
  done.clear();
  ordered.clear();
  ended = false;
  score = { right: 0, finished: 0 };
  $("rules").textContent = result.rules;
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
  $("explanation").hidden = true;
  $("steps-panel").hidden = false;
  const slider = $("slider");
  slider.max = String(Math.max(result.frames.length - 1, 0));
  $("frames-note").hidden = !result.frames_note;
  $("frames-note").textContent = result.frames_note;
  await showAnswers();
  await showFrame(0);
}

async function showAnswers() {
  // Quizzing, the value, the gradients and the labelled graph are not on the page at all
  // (not only hidden) until the quiz is over.
  const quizOn = quizzing();
  for (const id of ["results", "graph-panel"]) $(id).hidden = quizOn;
  if (quizOn) {
    $("value").textContent = "";
    $("grads").replaceChildren();
    $("graph").replaceChildren();
    return;
  }
  if ($("graph").childElementCount) return; // shown already
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
  await drawGraph($("graph"), result.dot);
}

function quizzing() {
  return $("quiz-mode").checked && !ended && done.size < total();
}

function total() {
  return result.frames.reduce((sum, frame) => sum + frame.questions.length, 0);
}

async function explainLeaf(name) {
  const answer = await ask("explain", { name });
  const box = $("explanation");
  box.hidden = false;
  box.textContent = answer.error ?? answer.text;
}

async function showFrame(index) {
  if (!result.frames.length) return;
  frameIndex = Math.min(Math.max(index, 0), furthest());
  $("slider").value = String(frameIndex);
  $("prev").disabled = frameIndex === 0;
  $("next").disabled = frameIndex === furthest();
  const frame = result.frames[frameIndex];
  const quizOn = quizzing();
  const open = quizOn ? frame.questions.filter((q) => !done.has(q.key)) : [];
  const askOrder = quizOn && frame.order && !ordered.has(frameIndex);
  $("step-title").textContent = askOrder || open.length ? frame.question_title : frame.title;
  const quiz = $("quiz");
  quiz.hidden = !open.length && !askOrder;
  quiz.replaceChildren(...(askOrder ? [orderRow(frame)] : open.map(questionRow)));
  $("rules").hidden = !quizOn;
  const dot = askOrder ? frame.order_dot : open.length ? frame.question_dot : quizOn ? frame.quiz_dot : frame.dot;
  await drawGraph($("step-graph"), dot);
  quiz.querySelector("input, select")?.focus({ preventScroll: true });
}

function furthest() {
  // Quizzing, a step is reached once every step before it is answered.
  const unfinished = (frame, i) =>
    (frame.order && !ordered.has(i)) || frame.questions.some((q) => !done.has(q.key));
  const at = quizzing() ? result.frames.findIndex(unfinished) : -1;
  return at < 0 ? result.frames.length - 1 : at;
}

function orderRow(frame) {
  // Which node does the backward pass take next? Any whose users are all done is right.
  const row = element("div", "", { class: "question" });
  const label = element("label", frame.order.prompt.replace(/ = \?$/, "") + " ");
  const choice = element("select", "", { "data-quantity": "next node", "aria-label": "next node" });
  choice.append(...frame.order.choices.map((name) => element("option", name, { value: name })));
  const button = element("button", "Check", { type: "button" });
  button.addEventListener("click", async () => {
    const verdict = await ask("check_order", { step: frameIndex, name: choice.value });
    const feedback = $("quiz-feedback");
    feedback.textContent = verdict.error ?? verdict.message;
    feedback.dataset.status = verdict.right ? "right" : "wrong";
    if (!verdict.right) return;
    ordered.add(frameIndex);
    await showFrame(frameIndex);
  });
  label.append(choice);
  row.append(label, button);
  return row;
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
  if (verdict.quit) {
    ended = true;
    updateScore();
    showAnswers();
    return showFrame(frameIndex);
  }
  if (!verdict.done) return;
  done.add(key);
  score = { right: verdict.score, finished: verdict.finished };
  updateScore();
  showAnswers();
  const frame = result.frames[frameIndex];
  if (frame.questions.every((q) => done.has(q.key))) await showFrame(frameIndex);
  else box.closest(".question").remove();
}

function updateScore() {
  // The terminal's score: right within the tries, over the questions asked.
  const over = ended || done.size === total();
  const text = over ? `score: ${score.right}/${total()}` : `answered: ${done.size}/${total()}`;
  $("score").textContent = (ended ? "quiz ended; " : "") + text;
}

$("prev").addEventListener("click", () => showFrame(frameIndex - 1));
$("next").addEventListener("click", () => showFrame(frameIndex + 1));
$("slider").addEventListener("input", (event) => showFrame(Number(event.target.value)));
$("quiz-mode").addEventListener("change", () => {
  shareInUrl();
  showAnswers();
  showFrame(frameIndex);
});
document.addEventListener("keydown", (event) => {
  if (event.target.closest("input, select, textarea") || !result) return;
  if (event.key === "ArrowRight") showFrame(frameIndex + 1);
  if (event.key === "ArrowLeft") showFrame(frameIndex - 1);
});
$("share").addEventListener("click", async () => {
  await navigator.clipboard?.writeText(location.href).catch(() => {});
  $("share").textContent = "Link copied";
});
form.addEventListener("submit", compute);

async function start() {
  const params = new URLSearchParams(location.search);
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
