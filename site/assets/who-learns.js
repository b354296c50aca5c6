// Who learns? Train the worked example after a prediction, build a chain of n neurons and
// multiply its f'(z) factors, and measure the three effects. Python computes and checks.
import { ask, element, loadingBanner, markReady, showFailure } from "./app.js";
import {
  $, askShowingErrors, checkedBox, keepProgress, openVariant, readSettings, showMessage, showVerdict, variantArgs, writeSettings,
} from "./lab.js";

const DEFAULTS = { updates: "300", n: "4", activation: "sigmoid", x: "0.5" };
const FIELDS = { updates: "updates", n: "n", x: "x" };
const settings = () => Object.fromEntries(Object.keys(DEFAULTS).map((name) => [name, $(name).value]));
const chosenArgs = variantArgs(); // the variant the URL names: Python trains its network at its lr

async function train() {
  const choice = document.querySelector("input[name=moves]:checked");
  showMessage("moves", choice ? "" : "Choose your prediction first.");
  if (!choice) return;
  writeSettings(settings(), DEFAULTS);
  const answer = await askShowingErrors("who_learns", { ...chosenArgs, prediction: choice.value, updates: $("updates").value }, FIELDS, $("error"));
  if (!answer) return;
  showVerdict($("moves-verdict"), answer.verdict);
  $("moved-summary").textContent = answer.summary;
  $("moved-table").replaceChildren(
    ...Object.entries(answer.texts).map(([name, text]) => {
      const row = element("tr");
      row.append(element("td", name), element("td", text, { "data-moved-of": name }));
      return row;
    }),
  );
  $("moved").hidden = false;
}

async function buildChain() {
  writeSettings(settings(), DEFAULTS);
  for (const id of ["bound", "product"]) $(`${id}-feedback`).textContent = "";
  const answer = await askShowingErrors("chain", { n: $("n").value, activation: $("activation").value, x: $("x").value }, FIELDS, $("chain-error"));
  $("chain-table").replaceChildren(
    ...(answer?.rows ?? []).map((cells) => {
      const row = element("tr");
      row.append(...cells.map((text) => element("td", text)));
      return row;
    }),
  );
}

async function measure(activation) {
  const buttons = document.querySelectorAll("[data-measure]");
  buttons.forEach((button) => (button.disabled = true));
  $("measure-status").textContent = `Training the ${activation} network…`;
  try {
    const answer = await ask("vanishing_effects", { activation });
    const row = element("tr", "", { "data-effects-of": activation });
    const cells = [activation, answer.moved_texts[0], answer.moved_texts.at(-1), answer.updates_text, answer.loss_text];
    row.append(...cells.map((text) => element("td", text)));
    document.querySelector(`[data-effects-of="${activation}"]`)?.remove();
    $("effects").append(row);
    $("measure-status").textContent = `${activation}: measured.`;
  } finally {
    buttons.forEach((button) => (button.disabled = false));
  }
}

async function start() {
  loadingBanner();
  try {
    const { settings: initial } = readSettings(DEFAULTS);
    for (const [name, value] of Object.entries(initial)) $(name).value = value;
    const chosen = await openVariant(
      ({ x, w1, b1, w2, b2, target, lr }) => `your network (x = ${x}, w1 = ${w1}, b1 = ${b1}, w2 = ${w2}, b2 = ${b2}, T = ${target}) trained at lr = ${lr}, and the chain's input x = ${x}.`,
      $("error"),
    );
    if (chosen) {
      $("x").value = String(chosen.given.x);
      $("updates-label").textContent = `Updates (lr = ${chosen.given.lr})`;
    }
    $("train").addEventListener("click", train);
    for (const form of ["train-form", "chain-form"]) $(form).addEventListener("submit", (event) => event.preventDefault());
    for (const id of ["n", "activation", "x"]) $(id).addEventListener("change", buildChain);
    for (const quantity of ["bound", "product"]) {
      checkedBox(quantity, async (answer) => {
        const verdict = await ask("chain_check", { n: $("n").value, activation: $("activation").value, x: $("x").value, quantity, answer });
        return verdict.error ? { status: "invalid", message: verdict.error } : verdict;
      });
    }
    for (const button of document.querySelectorAll("[data-measure]")) {
      button.addEventListener("click", () => measure(button.dataset.measure));
    }
    await buildChain();
    await keepProgress("who-learns", chosen);
  } catch (error) {
    showFailure($("error"), error);
  }
  markReady();
}
start();
