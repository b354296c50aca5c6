// Train: an MLP learns moons, circles or XOR in the worker (nn.fit, one full-batch step per
// request) while this page draws the loss, the decision boundary and each layer's gradient.
import { ask, element, loadingBanner, markReady, plotLine, showError, showFailure } from "./app.js";

const $ = (id) => document.getElementById(id);
const GRID_EVERY = 5; // steps between redraws of the decision boundary (it costs ~10 steps)
let data = null;
let losses = [];
let running = false;
let busy = false;

/** Stop the training loop and wait for the step in flight. */
async function pause() {
  running = false;
  while (busy) await new Promise((resolve) => setTimeout(resolve, 20));
}

let restarting = Promise.resolve();

/** A new network with the fields' settings, after any restart still under way (fields changed
 * quickly each ask for one: they run in turn, never two at once). */
function restart() {
  restarting = restarting.then(startNetwork, startNetwork);
  return restarting;
}

async function startNetwork() {
  await pause();
  const settings = {
    dataset: $("dataset").value,
    activation: $("activation").value,
    output: $("output").value,
    sizes: $("sizes").value,
    lr: $("lr").value,
  };
  const answer = await ask("train_start", settings);
  showError($("error"), answer.error);
  data = answer.error ? null : answer;
  losses = [];
  $("step-count").textContent = "0";
  $("loss").textContent = $("accuracy").textContent = "–";
  $("norms").replaceChildren();
  $("norm-ratio").textContent = "";
  $("notes").hidden = true;
  plotLine($("loss-plot"), losses, { label: "loss,", steps: 0 });
  for (const id of ["run", "step10", "step20"]) $(id).disabled = !data;
  $("run").textContent = "Train";
  if (!data) return;
  // The points now, the boundary (a 40×40 grid of scores, a few seconds) filling in after:
  // the page is usable meanwhile, and a step asked for waits in the worker's queue behind it.
  drawPoints($("boundary").getContext("2d"), data, true);
  performance.mark("train:points");
  drawBoundary().catch((error) => showFailure($("error"), error));
}

async function steps(count) {
  busy = true;
  try {
    const started = performance.now();
    const answer = await ask("train_steps", { count });
    document.body.dataset.stepMs = String((performance.now() - started) / count);
    if (answer.error) {
      showError($("error"), answer.error);
      running = false;
      return;
    }
    losses.push(...answer.loss);
    $("step-count").textContent = String(answer.step);
    $("loss").textContent = answer.loss_text;
    $("loss").dataset.value = String(answer.loss.at(-1));
    $("accuracy").textContent = answer.accuracy.length ? `${Math.round(100 * answer.accuracy.at(-1))}%` : "–";
    plotLine($("loss-plot"), losses, { label: "loss,", steps: answer.step });
    drawNorms(answer.norms, answer.norm_texts);
    $("norm-ratio").textContent = answer.ratio_text;
    $("notes").hidden = !answer.notes.length;
    $("notes").textContent = answer.notes.join(" ");
    if (answer.step % GRID_EVERY === 0 || !running) await drawBoundary();
  } finally {
    busy = false;
  }
}

function drawNorms(norms, texts) {
  const largest = Math.max(...norms, 1e-300);
  $("norms").replaceChildren(
    ...norms.flatMap((norm, i) => {
      const bar = element("div", "", { class: "bar" });
      bar.style.width = `${(100 * norm) / largest}%`;
      const track = element("div");
      track.append(bar);
      const name = i === norms.length - 1 ? "output layer" : `hidden layer ${i + 1}`;
      return [element("span", name), track, element("span", texts[i], { "data-norm-of": String(i) })];
    }),
  );
}

async function drawBoundary() {
  const shown = data; // the network asked about; a restart may replace it meanwhile
  const grid = await ask("train_grid", { resolution: 40 });
  if (shown !== data) return;
  const canvas = $("boundary");
  const context = canvas.getContext("2d");
  const { width, height } = canvas;
  const cells = grid.scores.length;
  const size = width / (cells - 1); // grid points are cell centres; edges are rounded, never overlap
  const edge = (k) => Math.min(Math.max(Math.round((k - 0.5) * size), 0), width);
  context.clearRect(0, 0, width, height);
  grid.scores.forEach((row, i) =>
    row.forEach((score, j) => {
      const strength = 0.15 + 0.45 * Math.tanh(Math.abs(score));
      context.fillStyle = score > 0 ? `rgba(37, 99, 235, ${strength})` : `rgba(234, 88, 12, ${strength})`;
      const [left, right] = [edge(j), edge(j + 1)];
      const [bottom, top] = [height - edge(i), height - edge(i + 1)];
      context.fillRect(left, top, right - left, bottom - top);
    }),
  );
  drawPoints(context, shown);
  performance.mark("train:boundary");
}

/** The data set's points on the boundary's canvas (over the grid; on a blank canvas when
 * `clear`), in the square `low`…`high` of both axes that train_start gives, as the grid's. */
function drawPoints(context, shown, clear = false) {
  const { width, height } = context.canvas;
  const toX = (x) => ((x - shown.low) / (shown.high - shown.low)) * width;
  const toY = (y) => height - ((y - shown.low) / (shown.high - shown.low)) * height;
  if (clear) context.clearRect(0, 0, width, height);
  shown.points.forEach(([x, y], i) => {
    context.beginPath();
    context.arc(toX(x), toY(y), 5, 0, 2 * Math.PI);
    context.fillStyle = shown.labels[i] ? "#1e3a8a" : "#9a3412";
    context.strokeStyle = "white";
    context.fill();
    context.stroke();
  });
}

async function loop() {
  while (running) await steps(1);
  $("run").textContent = "Train";
}

$("run").addEventListener("click", () => {
  running = !running;
  $("run").textContent = running ? "Pause" : "Train";
  if (running) loop();
});
for (const count of [10, 20]) {
  $(`step${count}`).addEventListener("click", async () => {
    await pause();
    await steps(count);
  });
}
$("restart").addEventListener("click", restart);
for (const id of ["dataset", "activation", "output", "sizes", "lr"]) $(id).addEventListener("change", restart);

/** Settings from the URL (train.html?activation=sigmoid&sizes=6,6,6&output=softmax). */
function readSettings() {
  const query = new URLSearchParams(location.search);
  for (const id of ["dataset", "activation", "output", "sizes", "lr"]) if (query.has(id)) $(id).value = query.get(id);
}

async function start() {
  loadingBanner();
  readSettings();
  try {
    await restart();
  } catch (error) {
    showFailure($("error"), error);
  }
  markReady();
}
start();
