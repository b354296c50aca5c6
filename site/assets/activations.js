// The activations lab: one checked task per activation. Python (chainrule) computes and
// checks every answer; this page only moves text.
import { ask, element, loadingBanner, markReady, showFailure } from "./app.js";
import { $, checkedBox, keepProgress, openVariant, readSettings, showMessage, showVerdict, writeSettings } from "./lab.js";

const DEFAULTS = { scores: "2, 1, 0.1" };

/** Ask Python; a user's mistake becomes an "invalid" verdict with its message. */
async function checked(name, args) {
  const answer = await ask(name, args);
  return answer.error ? { status: "invalid", right: false, message: answer.error } : answer;
}

async function probe() {
  const [sigmoid, tanh] = await Promise.all(["sigmoid", "tanh"].map((name) => ask("derivative_at", { name, z: $("probe-z").value })));
  showMessage("probe-z", sigmoid.error);
  $("probe-result").textContent = sigmoid.error ? "" : `σ′ = ${sigmoid.text}, tanh′ = ${tanh.text}`;
}

function probabilityBoxes() {
  writeSettings({ scores: $("scores").value }, DEFAULTS);
  const count = $("scores").value.split(",").filter((part) => part.trim()).length;
  $("softmax-feedback").textContent = "";
  $("probabilities").replaceChildren(
    ...Array.from({ length: Math.min(Math.max(count, 0), 5) }, (_, i) => {
      const question = element("div", "", { class: "question" });
      const label = element("label", `p${i + 1} = softmax(scores)${i + 1} =`, { for: `p${i + 1}` });
      const box = element("input", "", { id: `p${i + 1}`, type: "text", inputmode: "decimal", spellcheck: "false", "data-quantity": `p${i + 1}` });
      const feedback = element("span", "", { class: "feedback", id: `p${i + 1}-feedback`, role: "status" });
      question.append(label, box, feedback);
      return question;
    }),
  );
}

async function checkSoftmax() {
  const boxes = [...$("probabilities").querySelectorAll("input")];
  const answer = await ask("softmax_check", { scores: $("scores").value, answers: boxes.map((box) => box.value) });
  showMessage("scores", answer.error);
  if (answer.error) return;
  answer.verdicts.forEach((verdict, i) => showVerdict($(`p${i + 1}-feedback`), verdict));
  const right = answer.verdicts.every((verdict) => verdict.right);
  showVerdict($("softmax-feedback"), { right, status: right ? "right" : "wrong", message: right ? "All right: they sum to 1." : "Not all right yet." });
}

async function meter(steps) {
  const answer = await ask("sparsity", { steps });
  $("meter").value = answer.active;
  $("meter-text").textContent = answer.active_text;
  $("meter-steps").textContent = String(answer.steps);
}

async function start() {
  loadingBanner();
  try {
    $("scores").value = readSettings(DEFAULTS).settings.scores;
    $("probe-z").value = "0";
    $("probe").addEventListener("click", probe);
    $("probe-z").addEventListener("keydown", (event) => event.key === "Enter" && probe());
    for (const name of ["sigmoid", "tanh"]) checkedBox(`${name}-cutoff`, (answer) => checked("cutoff_check", { name, answer }));
    checkedBox("active", async (answer) => {
      const verdict = await checked("sparsity_check", { answer });
      if (verdict.status === "right" || verdict.status === "wrong") {
        $("meter-panel").hidden = false;
        await meter(0);
      }
      return verdict;
    });
    $("train10").addEventListener("click", () => meter(10));
    checkedBox("collapse-w", async () => {
      const answer = await checked("collapse_check", { weight: $("collapse-w").value, bias: $("collapse-b").value });
      if (answer.status === "invalid") return answer;
      const right = answer.weight.right && answer.bias.right;
      return { right, status: right ? "right" : "wrong", message: `W: ${answer.weight.message}. B: ${answer.bias.message}.` };
    }, ["collapse-b"]);
    $("collapse-b").addEventListener("keydown", (event) => event.key === "Enter" && document.querySelector("[data-check=collapse-w]").click());
    $("scores").addEventListener("change", probabilityBoxes);
    $("softmax-check").addEventListener("click", checkSoftmax);
    checkedBox("step-grad", (answer) => checked("step_check", { answer }));
    for (const [id, activation] of [["dead-relu", "relu"], ["dead-leaky", "leaky_relu"]]) {
      checkedBox(id, (answer) => checked("dead_check", { activation, answer }));
    }
    const table = await ask("dead_table");
    $("dead-table").replaceChildren(
      ...table.largest.map((z, i) => {
        const row = element("tr");
        row.append(element("td", String(i + 1)), element("td", z));
        return row;
      }),
    );
    probabilityBoxes();
    const chosen = await openVariant(() => "these tasks have the same numbers for everyone; your answers are kept under your variant.", $("error"));
    await keepProgress("activations", chosen);
  } catch (error) {
    showFailure($("error"), error);
  }
  markReady();
}
start();
