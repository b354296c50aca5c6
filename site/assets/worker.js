// The Python side of every page: Pyodide with the chainrule wheel of the checkout,
// answering requests {id, name, args} with chainrule_site.dispatch(name, args).
import { loadPyodide } from "../vendor/pyodide/pyodide.mjs";

const here = (path) => new URL(path, import.meta.url).href;

const progress = (text) => self.postMessage({ progress: text });

async function start() {
  progress("Downloading Python and chainrule…");
  const manifest = await (await fetch(here("../wheels/manifest.json"))).json();
  // Download the wheels while Pyodide starts.
  const wheels = manifest.wheels.map(async (name) => {
    const response = await fetch(here(`../wheels/${name}`));
    if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
    return response.arrayBuffer();
  });
  const module = fetch(here("chainrule_site.py")).then((response) => response.text());
  const pyodide = await loadPyodide({ indexURL: here("../vendor/pyodide/") });
  progress("Unpacking chainrule…");
  for (const wheel of wheels) pyodide.unpackArchive(await wheel, "wheel");
  const sitePackages = pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')");
  pyodide.FS.writeFile(`${sitePackages}/chainrule_site.py`, await module);
  const dispatch = pyodide.pyimport("chainrule_site").dispatch;
  progress("Python is ready.");
  return dispatch;
}

const ready = start();

self.onmessage = async ({ data: { id, name, args } }) => {
  try {
    const dispatch = await ready;
    self.postMessage({ id, result: dispatch(name, JSON.stringify(args)) });
  } catch (error) {
    self.postMessage({ id, failure: String(error && error.message ? error.message : error) });
  }
};
