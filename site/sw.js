// The site's service worker: the runtime downloads once, and every page works offline.
// site/build.py fills in BUILD: the files to precache (every file of the build but
// JupyterLite's lite/) and the build's digest, the cache's name. Those files are answered
// from the cache; any other file of the site (lite/) from the network first, kept in the
// same cache for when the network is gone. A new build has a new digest, so a new worker:
// it fills a new cache, takes over and deletes the old ones, never mixing two builds.
// It deletes the worker's Python snapshot (chainrule-python, see assets/worker.js) too;
// that one is named by the build's digest of Python and chainrule, never restored stale.
const BUILD = { version: "dev", precache: [] };
const CACHE = `chainrule-${BUILD.version}`;
const here = (path) => new URL(path, self.registration.scope).href;
const PRECACHED = new Set(BUILD.precache.map(here));

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      // "reload": from the server, never from the browser's HTTP cache (an older build).
      .then((cache) => cache.addAll([...PRECACHED].map((url) => new Request(url, { cache: "reload" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => names.filter((name) => name.startsWith("chainrule-") && name !== CACHE))
      .then((old) => Promise.all(old.map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== "GET" || !url.href.startsWith(self.registration.scope)) return;
  const file = url.origin + url.pathname;
  event.respondWith(PRECACHED.has(file) ? fromCache(request, file) : fromNetwork(request, file));
});

/** A precached file: from the cache (fetched and kept if it is missing). */
async function fromCache(request, file) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(file);
  if (kept) return kept;
  const response = await fetch(file, { cache: "reload" });
  if (response.ok) await cache.put(file, response.clone());
  return response;
}

/** Any other file of the site: from the network, kept (by its path: a page's query is read
 * by its script); offline, the kept copy. */
async function fromNetwork(request, file) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic") await cache.put(file, response.clone());
    return response;
  } catch (offline) {
    const kept = await cache.match(file);
    if (kept) return kept;
    throw offline;
  }
}
