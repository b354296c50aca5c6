// A student's sheet of their variant: every answer box, marked by chainrule (error carried
// forward, mistakes named), kept in this browser's localStorage under the variant, so a reload
// restores the answers and the score; "Hand in" gives a small file and a short text code.
import { ask, element } from "./app.js";

const STORAGE_PREFIX = "chainrule:sheet:v1:";

/** The localStorage key of a variant: its assignment and student, or its seed. */
export function storageKey(variant) {
  return STORAGE_PREFIX + (variant.student ? `${variant.assignment}\n${variant.student}` : `seed:${variant.seed}`);
}

function load(key) {
  try {
    const saved = JSON.parse(localStorage.getItem(key) ?? "null");
    if (saved && typeof saved === "object" && saved.answers) return saved;
  } catch {
    // an unreadable record starts a fresh sheet
  }
  return { answers: {}, verdicts: {}, tries: {}, hints: {}, seconds: 0 };
}

/** Show the sheet of `variant` (the worked page's "variant" answer) in `panel`. */
export async function startSheet(panel, variant, onSolution) {
  const key = storageKey(variant);
  const state = load(key);
  const who = { student: variant.student, assignment: variant.assignment, seed: variant.student ? null : String(variant.seed) };
  const save = () => localStorage.setItem(key, JSON.stringify({ ...state, updated: new Date().toISOString() }));
  const rows = new Map();
  const list = panel.querySelector("[data-sheet-rows]");
  list.replaceChildren(
    ...variant.questions.map(({ quantity, hint }) => {
      const box = element("input", "", { type: "text", inputmode: "decimal", spellcheck: "false", "data-quantity": quantity, "aria-label": `${quantity} = ?` });
      box.value = state.answers[quantity] ?? "";
      const status = element("span", "", { role: "status", class: "feedback" });
      const hintText = element("span", hint, { class: "help" });
      hintText.hidden = !state.hints[quantity];
      const hintButton = element("button", "Hint", { type: "button", class: "small" });
      hintButton.addEventListener("click", () => {
        state.hints[quantity] = (state.hints[quantity] ?? 0) + 1;
        hintText.hidden = false;
        save();
      });
      box.addEventListener("change", () => mark(quantity));
      rows.set(quantity, { box, status });
      const row = element("div", "", { class: "row sheet-row" });
      row.append(element("label", `${quantity} = `), box, hintButton, status, hintText);
      return row;
    }),
  );

  async function mark(changed) {
    if (changed) {
      state.answers[changed] = rows.get(changed).box.value;
      if (state.answers[changed].trim()) state.tries[changed] = (state.tries[changed] ?? 0) + 1;
    }
    const marked = await ask("sheet", { ...who, answers: state.answers });
    if (marked.error) return;
    for (const [quantity, { status, message }] of Object.entries(marked.verdicts)) {
      state.verdicts[quantity] = status;
      const { status: shown } = rows.get(quantity);
      shown.textContent = message;
      shown.dataset.status = status;
    }
    panel.querySelector("[data-sheet-score]").textContent = `score: ${marked.score}/${marked.total}`;
    save();
  }

  setInterval(() => {
    if (document.visibilityState === "visible") {
      state.seconds += 1;
      if (state.seconds % 10 === 0) save();
    }
  }, 1000);

  panel.querySelector("[data-forget]").addEventListener("click", () => {
    localStorage.removeItem(key);
    Object.assign(state, { answers: {}, verdicts: {}, tries: {}, hints: {}, seconds: 0, solution: false });
    for (const { box } of rows.values()) box.value = "";
    mark(null).then(() => localStorage.removeItem(key));
  });
  const handIn = panel.querySelector("[data-hand-in]");
  if (!variant.student) {
    handIn.disabled = true;
    handIn.title = "Open your own link (?student=…&assignment=…) to hand in";
  }
  handIn.addEventListener("click", async () => {
    const file = await ask("hand_in", {
      student: variant.student,
      assignment: variant.assignment,
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
      download: `${variant.assignment}-${variant.student}.json`.replace(/[^\w.-]+/g, "_"),
      "data-hand-in-file": "",
    });
    panel.querySelector("[data-hand-in-link]").replaceChildren(link);
    link.click();
  });
  panel.querySelector("[data-solution]").addEventListener("click", () => {
    state.solution = true;
    save();
    onSolution();
  });
  panel.hidden = false;
  if (state.solution) onSolution();
  await mark(null);
}
