// The playground: a formula, its graph and gradients, the backward pass step by step, a quiz.
// The URL carries the state: playground.html?f=tanh(w*x%2Bb)&x=0.5&w=-1.2&b=0.3[&quiz=1]
import {
  ask, bringIntoView, drawGraph, element, loadingBanner, markReady, showError, showFailure,
} from "./app.js";
import { Attempts, attemptsKey, openVariant, progressPanel } from "./progress.js";

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
let attempts = null; // every answer checked on this formula, kept in localStorage (progress.js)
let showProgress = () => {};
/** A variant's network as a formula: E of the worked example with the student's numbers. */
const NETWORK = "0.5*(T - sigmoid(w2*sigmoid(w1*x + b1) + b2))**2";
const VARIANT_PARAMETERS = ["student", "assignment", "seed", "task"];

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
  $("grads").replaceChildren();
  done.clear();
  ordered.clear();
  ended = false;
  score = { right: 0, finished: 0 };
  $("rules").textContent = result.rules;
  variableBoxes(result.variables, given);
  shareInUrl();
  await replay(`${result.formula}\n${JSON.stringify(Object.entries(given).sort())}`);
  await show();
}

/** Check again, in order, every answer kept for this formula and these values (the quiz's
 * score and carried-forward numbers follow); a new formula starts a new record. */
async function replay(within) {
  if (!attempts) return;
  if (attempts.state.within !== within) {
    attempts.forget();
    attempts.state.within = within;
    showProgress();
    return;
  }
  for (const { box, typed } of attempts.state.attempts) {
    if (box.startsWith("order:")) await applyOrder(Number(box.slice(6)), typed);
    else await applyCheck(box, typed);
  }
  updateScore();
  showProgress();
}

function shareInUrl() {
  const kept = [...new URLSearchParams(location.search)].filter(([name]) => VARIANT_PARAMETERS.includes(name));
  const params = new URLSearchParams([...kept, ["f", result.formula]]);
  for (const { name } of result.variables) params.set(name, values()[name]);
  if ($("quiz-mode").checked) params.set("quiz", "1");
  history.replaceState(null, "", `?${params}`);
}

async function show() {
  $("explanation").hidden = true;
  $("steps-panel").hidden = false;
  $("slider").max = String(Math.max(result.frames.length - 1, 0));
  await showAnswers();
  await showFrame(0);
}

async function showAnswers() {
  // Quizzing, the value and the gradients are not on the page at all (not only hidden)
  // until the quiz is over; the one graph is the step graph, drawn for the quiz.
  const quizOn = quizzing();
  $("results").hidden = quizOn;
  if (quizOn) {
    $("value").textContent = "";
    $("grads").replaceChildren();
    return;
  }
  if ($("grads").childElementCount) return; // shown already
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

/** Show frame ``index``; ``follow``: bring its highlighted node into view (a step asked for). */
async function showFrame(index, follow = false) {
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
  const svg = await drawGraph($("step-graph"), dot);
  if (follow) bringIntoView(svg, $("steps-panel").querySelector(".controls"));
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
    const step = frameIndex;
    const verdict = await applyOrder(step, choice.value);
    keep(`order:${step}`, choice.value, verdict.right ? "right" : "wrong");
    if (verdict.right) await showFrame(frameIndex);
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
  box.value = attempts?.state.answers[key] ?? ""; // the last answer kept, after a reload
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

/** The order question of frame `step` answered `name`: checked, shown, and noted. */
async function applyOrder(step, name) {
  const verdict = await ask("check_order", { step, name });
  const feedback = $("quiz-feedback");
  feedback.textContent = verdict.error ?? verdict.message;
  feedback.dataset.status = verdict.right ? "right" : "wrong";
  if (verdict.right) ordered.add(step);
  return verdict;
}

/** Quiz box `key` answered `typed`: checked by Python's Checker, shown, and scored. */
async function applyCheck(key, typed) {
  const verdict = await ask("check", { key, answer: typed });
  const feedback = $("quiz-feedback");
  feedback.textContent = verdict.error ?? verdict.message;
  feedback.dataset.status = verdict.status ?? "error";
  if (verdict.quit) ended = true;
  if (verdict.done) {
    done.add(key);
    score = { right: verdict.score, finished: verdict.finished };
  }
  return verdict;
}

/** Keep one attempt (progress.js) and show the score it leaves. */
function keep(box, typed, status) {
  if (attempts && typed.trim()) attempts.record(box, typed, status);
  showProgress();
}

async function checkAnswer(key, box) {
  const verdict = await applyCheck(key, box.value);
  keep(key, box.value, verdict.status ?? "invalid");
  if (verdict.quit) {
    updateScore();
    showAnswers();
    return showFrame(frameIndex);
  }
  if (!verdict.done) return;
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

$("prev").addEventListener("click", () => showFrame(frameIndex - 1, true));
$("next").addEventListener("click", () => showFrame(frameIndex + 1, true));
$("slider").addEventListener("input", (event) => showFrame(Number(event.target.value), true));
$("quiz-mode").addEventListener("change", () => {
  shareInUrl();
  showAnswers();
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
  const skipped = ["f", "quiz", ...VARIANT_PARAMETERS];
  const given = Object.fromEntries([...params].filter(([name]) => !skipped.includes(name)));
  variableBoxes(Object.keys(given).map((name) => ({ name, value: given[name] })), given);
  loadingBanner();
  try {
    const chosen = await openVariant(
      (g) => `E of the worked example's network with your numbers (x = ${g.x}, w1 = ${g.w1}, b1 = ${g.b1}, w2 = ${g.w2}, b2 = ${g.b2}, T = ${g.target}), in quiz mode.`,
      errorBox,
    );
    if (chosen && !params.has("f")) {
      formulaBox.value = NETWORK;
      $("quiz-mode").checked = true;
      const { x, w1, b1, w2, b2, target } = chosen.given;
      const numbers = { x, w1, b1, w2, b2, T: target };
      variableBoxes(Object.entries(numbers).map(([name, value]) => ({ name, value: String(value) })), {});
    }
    attempts = new Attempts(attemptsKey("playground", chosen));
    showProgress = progressPanel(attempts, () => (result ? `score: ${score.right}/${total()}` : "score: loading the quiz…"), compute);
    await compute();
  } catch (error) {
    showFailure(errorBox, error);
  }
  markReady();
}

start();
