// A student's sheet of their variant: every answer box, marked by chainrule (error carried
// forward, mistakes named), kept in this browser's localStorage under the variant, so a reload
// restores the answers and the score; "Hand in" gives a small file and a short text code.
import { ask, element } from "./app.js";

const STORAGE_PREFIX = "chainrule:sheet:v1:";
const ATTEMPTS_PREFIX = "chainrule:attempts:v1:";

/** A variant's name in storage: its assignment and student, or its seed (and its task). */
function variantName(variant) {
  const task = variant.task && variant.task !== "descent" ? `\ntask:${variant.task}` : "";
  return (variant.student ? `${variant.assignment}\n${variant.student}` : `seed:${variant.seed}`) + task;
}

/** The localStorage key of a variant's sheet on the worked page. */
export function storageKey(variant) {
  return STORAGE_PREFIX + variantName(variant);
}

/** The localStorage key of the attempts on `page` (a lab, the Playground) under `variant`
 * (null: the page's own numbers), `within` naming what they were made on (a formula). */
export function attemptsKey(page, variant, within = "") {
  return `${ATTEMPTS_PREFIX}${page}:${variant ? variantName(variant) : "default"}${within ? `\n${within}` : ""}`;
}

function load(key) {
  try {
    const saved = JSON.parse(localStorage.getItem(key) ?? "null");
    if (saved && typeof saved === "object" && saved.answers) return { attempts: [], ...saved };
  } catch {
    // an unreadable record starts a fresh sheet
  }
  return { answers: {}, verdicts: {}, tries: {}, hints: {}, seconds: 0, attempts: [] };
}

/**
 * Every attempt on a page, kept in localStorage under `key`: each one's box, the number
 * typed, the verdict, the hints used so far and the time, and for each box the last
 * answer and verdict (the score is the boxes whose last verdict is right).
 */
export class Attempts {
  constructor(key) {
    this.key = key;
    this.state = load(key);
  }

  /** Keep an attempt at `box`; `others` holds the texts of the other boxes its answer
   * reads ({id: text}: B beside W), kept with it and restored with it. */
  record(box, typed, status, others = {}) {
    const { state } = this;
    Object.assign(state.answers, others);
    state.answers[box] = typed;
    state.verdicts[box] = status;
    state.tries[box] = (state.tries[box] ?? 0) + 1;
    const attempt = { box, typed, verdict: status, hints: state.hints[box] ?? 0, time: new Date().toISOString() };
    state.attempts.push(Object.keys(others).length ? { ...attempt, others } : attempt);
    this.save();
  }

  hint(box) {
    this.state.hints[box] = (this.state.hints[box] ?? 0) + 1;
    this.save();
  }

  /** How many boxes' last verdict is right (of `boxes` only, if given). */
  right(boxes = null) {
    return Object.entries(this.state.verdicts).filter(([box, status]) => status === "right" && (!boxes || boxes.has(box))).length;
  }

  save() {
    localStorage.setItem(this.key, JSON.stringify({ ...this.state, updated: new Date().toISOString() }));
  }

  forget() {
    localStorage.removeItem(this.key);
    this.state = load(this.key);
  }
}

/** Count the seconds the page is on screen into `attempts`, saving every 10. */
function countSeconds(attempts) {
  setInterval(() => {
    if (document.visibilityState !== "visible") return;
    attempts.state.seconds += 1;
    if (attempts.state.seconds % 10 === 0) attempts.save();
  }, 1000);
}

/**
 * The panel that says what is stored and offers "Forget my answers", put after the line
 * naming the variant (else the page's first lead paragraph); `score()` gives its score line, `onForget` runs after forgetting.
 */
export function progressPanel(attempts, score, onForget) {
  const panel = element("section", "", { class: "panel", "data-progress": "" });
  const line = element("p", "", { role: "status", "data-progress-score": "" });
  const forget = element("button", "Forget my answers", { type: "button", class: "secondary", "data-forget": "" });
  panel.append(
    element("p", "Your answers are kept in this browser only (localStorage), under this page and variant: each number you type, its verdict, the hints you use and the time, so a reload restores them and the score. Nothing is sent anywhere.", { class: "help", "data-storage-note": "" }),
    line,
    forget,
  );
  const show = () => (line.textContent = score());
  forget.addEventListener("click", async () => {
    attempts.forget();
    await onForget();
    show();
  });
  const above = document.querySelector("main [data-variant]:not([hidden])") ?? document.querySelector("main .lead:not([hidden])");
  (above ?? document.querySelector("main h1")).after(panel);
  countSeconds(attempts);
  show();
  return show;
}

/** The variant a page's URL names (`?student=…&assignment=…` or `?seed=…`, `&task=…`):
 * the arguments of Python's `variant`, or null. */
export function variantArgs() {
  const query = new URLSearchParams(location.search);
  if (!query.has("seed") && !query.has("student")) return null;
  const args = query.has("seed")
    ? { seed: query.get("seed"), assignment: query.get("assignment") }
    : { student: query.get("student"), assignment: query.get("assignment") ?? "" };
  return { ...args, task: query.get("task") };
}

/** Whose variant it is, in words: "Ada Okafor, hw2" or "seed 42". */
export function whose(variant) {
  return variant.student ? `${variant.student}, ${variant.assignment}` : `seed ${variant.seed}`;
}

/** A page's line saying whose variant it shows, after its first lead paragraph. */
export function variantLine(variant, what) {
  const line = element("p", `Your variant (${whose(variant)}): ${what}`, { class: "lead", "data-variant": "" });
  (document.querySelector("main .lead") ?? document.querySelector("main h1")).after(line);
  return line;
}

/** Show the sheet of `variant` (the worked page's "variant" answer) in `panel`. */
export async function startSheet(panel, variant, onSolution) {
  const attempts = new Attempts(storageKey(variant));
  const who = { student: variant.student, assignment: variant.assignment, seed: variant.student ? null : String(variant.seed), task: variant.task };
  const rows = new Map();
  const list = panel.querySelector("[data-sheet-rows]");
  list.replaceChildren(
    ...variant.questions.map(({ quantity, hint }) => {
      const box = element("input", "", { type: "text", inputmode: "decimal", spellcheck: "false", "data-quantity": quantity, "aria-label": `${quantity} = ?` });
      box.value = attempts.state.answers[quantity] ?? "";
      const status = element("span", "", { role: "status", class: "feedback" });
      const hintText = element("span", hint, { class: "help" });
      hintText.hidden = !attempts.state.hints[quantity];
      const hintButton = element("button", "Hint", { type: "button", class: "small" });
      hintButton.addEventListener("click", () => {
        attempts.hint(quantity);
        hintText.hidden = false;
      });
      box.addEventListener("change", () => mark(quantity));
      rows.set(quantity, { box, status, hintText });
      const row = element("div", "", { class: "row sheet-row" });
      row.append(element("label", `${quantity} = `), box, hintButton, status, hintText);
      return row;
    }),
  );

  async function mark(changed) {
    const { state } = attempts;
    const typed = changed ? rows.get(changed).box.value : "";
    if (changed) state.answers[changed] = typed;
    const marked = await ask("sheet", { ...who, answers: state.answers });
    if (marked.error) return;
    for (const [quantity, { status, message }] of Object.entries(marked.verdicts)) {
      state.verdicts[quantity] = status;
      const { status: shown } = rows.get(quantity);
      shown.textContent = message;
      shown.dataset.status = status;
    }
    panel.querySelector("[data-sheet-score]").textContent = `score: ${marked.score}/${marked.total}`;
    if (typed.trim()) attempts.record(changed, typed, marked.verdicts[changed].status);
    else attempts.save();
  }

  countSeconds(attempts);
  panel.querySelector("[data-forget]").addEventListener("click", async () => {
    attempts.forget();
    for (const { box, hintText } of rows.values()) {
      box.value = "";
      hintText.hidden = true;
    }
    await mark(null);
    attempts.forget();
  });
  const handIn = panel.querySelector("[data-hand-in]");
  handIn.addEventListener("click", async () => {
    const { state } = attempts;
    const file = await ask("hand_in", {
      ...who,
      answers: state.answers,
      tries: state.tries,
      hints: state.hints,
      seconds: state.seconds,
    });
    if (file.error) return;
    const code = panel.querySelector("[data-hand-in-code]");
    code.value = file.code;
    code.hidden = false;
    const link = element("a", "Download your hand-in file", {
      href: URL.createObjectURL(new Blob([file.json], { type: "application/json" })),
      download: `${variant.assignment ?? "chainrule"}-${variant.student ?? `seed-${variant.seed}`}.json`.replace(/[^\w.-]+/g, "_"),
      "data-hand-in-file": "",
    });
    panel.querySelector("[data-hand-in-link]").replaceChildren(link);
    link.click();
  });
  panel.querySelector("[data-solution]").addEventListener("click", () => {
    attempts.state.solution = true;
    attempts.save();
    onSolution();
  });
  panel.hidden = false;
  if (attempts.state.solution) onSolution();
  await mark(null);
}

/**
 * The variant the page's URL names (`?student=…&assignment=…` or `?seed=…`), with a line
 * saying whose it is and `what` it sets; null without one, or after showing its error in
 * `fallback`.
 */
export async function openVariant(what, fallback) {
  const args = variantArgs();
  if (!args) return null;
  const chosen = await ask("variant", args);
  if (chosen.error) {
    fallback.hidden = false;
    fallback.textContent = chosen.error;
    return null;
  }
  variantLine(chosen, what(chosen.given));
  return chosen;
}
