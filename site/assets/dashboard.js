// The teacher's dashboard: hand-ins dropped here are regraded by chainrule in Pyodide from their
// seeds (claimed verdicts are ignored); marks, per-question counts, the common wrong answers with
// their mistakes, time on task, who is stuck, a heat map and a CSV of the marks.
import { ask, element, loadingBanner, markReady, showError, showFailure } from "./app.js";

const $ = (id) => document.getElementById(id);
let handIns = [];
let latestCsv = "";

function minutes(seconds) {
  if (!seconds) return "";
  return seconds < 60 ? `${Math.round(seconds)} s` : `${Math.round(seconds / 60)} min`;
}

function rows(id, cells) {
  $(id).replaceChildren(
    ...cells.map((values) => {
      const row = element("tr");
      row.append(...values.map((text) => element("td", String(text))));
      return row;
    }),
  );
}

function heatMap(questions, students) {
  const head = element("tr");
  head.append(
    element("th", "student"),
    ...questions.map((q) => {
      const cell = element("th", "", { class: "heat-question", scope: "col" });
      cell.append(element("span", q));
      return cell;
    }),
  );
  const body = students.map(({ student, verdicts }) => {
    const row = element("tr");
    row.append(
      element("th", student),
      ...questions.map((q) => element("td", verdicts[q] === "right" ? "✓" : verdicts[q] === "wrong" ? "✗" : "·", { "data-status": verdicts[q], title: `${student}, ${q}: ${verdicts[q]}` })),
    );
    return row;
  });
  $("heat").replaceChildren(head, ...body);
}

async function grade() {
  const answer = await ask("dashboard", { files: handIns });
  showError($("error"), answer.error);
  if (answer.error) return;
  $("refused").replaceChildren(...answer.refused.map((line) => element("li", line)));
  rows("marks", answer.students.map((s) => [s.student, `${s.right}/${s.asked}`, minutes(s.seconds), s.stuck.join(", ")]));
  rows("counts", answer.questions.map((q) => {
    const c = answer.counts[q];
    return [q, c.right ?? 0, c.wrong ?? 0, c.empty ?? 0, c.invalid ?? 0];
  }));
  for (const row of $("counts").children) row.dataset.question = row.firstChild.textContent;
  $("mistakes").replaceChildren(...answer.mistakes.map(({ line, quantity, mistake, count }) => element("li", line, { "data-quantity": quantity, "data-mistake": mistake ?? "", "data-count": count })));
  heatMap(answer.questions, answer.students);
  latestCsv = answer.csv;
  $("export").disabled = !latestCsv;
  document.body.dataset.graded = String(handIns.length);
}

async function addFiles(files) {
  for (const file of files) handIns.push({ name: file.name, text: await file.text() });
  await grade();
}

async function start() {
  loadingBanner();
  try {
    await ask("presets"); // Python is loaded
  } catch (error) {
    showFailure($("error"), error);
  }
  markReady();
}

$("files").addEventListener("change", (event) => addFiles(event.target.files));
const drop = $("drop");
drop.addEventListener("dragover", (event) => {
  event.preventDefault();
  drop.classList.add("over");
});
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (event) => {
  event.preventDefault();
  drop.classList.remove("over");
  addFiles(event.dataTransfer.files);
});
$("grade").addEventListener("click", () => {
  const codes = $("codes").value.split(/\s+/).filter((code) => code.trim());
  for (const text of codes) handIns.push({ name: `pasted code ${handIns.length + 1}`, text });
  $("codes").value = "";
  return grade();
});
$("clear").addEventListener("click", () => {
  handIns = [];
  return grade();
});
$("export").addEventListener("click", () => {
  const link = element("a", "", { href: URL.createObjectURL(new Blob([latestCsv], { type: "text/csv" })), download: "marks.csv" });
  link.click();
});
start();
