// Every page registers the site's service worker (sw.js, at the site's root: it serves the
// whole site), which keeps the site in this browser so that it opens fast and offline.
// Browsers allow one only on https or localhost; elsewhere pages load from the network.
if ("serviceWorker" in navigator) {
  const root = new URL("../", import.meta.url);
  navigator.serviceWorker.register(new URL("sw.js", root), { scope: root.pathname });
}
