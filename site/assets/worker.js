// The Python side of every page: Pyodide with the chainrule wheel of the checkout,
// answering requests {id, name, args} with chainrule_site.dispatch(name, args).
//
// Starting Python and importing chainrule takes 5–15 s, so the first page to do it keeps a
// memory snapshot of Pyodide with chainrule_site imported (Pyodide's makeMemorySnapshot), in
// the browser's Cache Storage under the build's digest of the wheels, this module and
// Pyodide. Every later page restores it, which takes a second or two. Where there is no
// Cache Storage (plain http to another computer), every page starts Python afresh.
import { loadPyodide } from "../vendor/pyodide/pyodide.mjs";

const here = (path) => new URL(path, import.meta.url).href;
const SNAPSHOTS = "chainrule-python"; // sw.js deletes it with an old build's cache

const progress = (text) => self.postMessage({ progress: text });

/** Timings for the page's performance marks: [phase, milliseconds since the epoch]. */
const phases = [];
const mark = (phase) => phases.push([phase, performance.timeOrigin + performance.now()]);

/** The kept snapshot named `key`, or null (none, or no Cache Storage here). */
async function keptSnapshot(key) {
  if (!self.caches) return null;
  const kept = await (await caches.open(SNAPSHOTS)).match(key);
  return kept ? new Uint8Array(await kept.arrayBuffer()) : null;
}

/** Keep `bytes` as the snapshot `key`, the only one. */
async function keepSnapshot(key, bytes) {
  const cache = await caches.open(SNAPSHOTS);
  for (const old of await cache.keys()) await cache.delete(old);
  await cache.put(key, new Response(bytes));
}

/** Pyodide restored from the snapshot, or null when it cannot be (then it is dropped). */
async function restore(key, indexURL) {
  const snapshot = await keptSnapshot(key);
  if (!snapshot) return null;
  try {
    return await loadPyodide({ indexURL, _loadSnapshot: snapshot });
  } catch (error) {
    console.warn("The kept Python snapshot did not load; starting Python afresh.", error);
    await caches.delete(SNAPSHOTS);
    return null;
  }
}

async function start() {
  mark("worker");
  progress("Downloading Python and chainrule…");
  const manifest = await (await fetch(here("../wheels/manifest.json"))).json();
  // Download the wheels while Pyodide starts.
  const wheels = manifest.wheels.map(async (name) => {
    const response = await fetch(here(`../wheels/${name}`));
    if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
    return response.arrayBuffer();
  });
  const module = fetch(here("chainrule_site.py")).then((response) => response.text());
  const indexURL = here("../vendor/pyodide/");
  const key = here(`../python-${manifest.python}.snapshot`);
  const restored = await restore(key, indexURL);
  const pyodide = restored ?? (await loadPyodide({ indexURL, _makeSnapshot: Boolean(self.caches) }));
  mark(restored ? "python-restored" : "python-started");
  const unpack = async () => {
    for (const wheel of wheels) pyodide.unpackArchive(await wheel, "wheel");
    const sitePackages = pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')");
    pyodide.FS.writeFile(`${sitePackages}/chainrule_site.py`, await module);
  };
  // A restored Python has every module the pages use imported (chainrule_site imports them
  // at its top), but not their files, which only a file read or a later import needs: they
  // are unpacked after the page's first answer.
  if (restored) unpackFiles = unpack;
  else await unpack();
  const dispatch = pyodide.pyimport("chainrule_site").dispatch;
  mark("imported");
  if (!restored && self.caches) {
    // Taken before any request changes chainrule_site's state; stored while the page works.
    try {
      keepSnapshot(key, pyodide.makeMemorySnapshot()).catch((error) => console.warn(error));
      mark("snapshot-taken");
    } catch (error) {
      console.warn("No Python snapshot kept: the next page starts Python afresh.", error);
    }
  }
  self.postMessage({ phases });
  progress("Python is ready.");
  return dispatch;
}

let unpackFiles = null; // set by start() when the files are still to be unpacked
const ready = start();

self.onmessage = async ({ data: { id, name, args } }) => {
  try {
    const dispatch = await ready;
    self.postMessage({ id, result: dispatch(name, JSON.stringify(args)) });
  } catch (error) {
    self.postMessage({ id, failure: String(error && error.message ? error.message : error) });
  }
  const files = unpackFiles;
  unpackFiles = null;
  if (files) await files().catch((error) => console.warn(error));
};
