// Every page registers the site's service worker (sw.js, at the site's root: it serves the
// whole site), which keeps the site in this browser so that it opens fast and offline.
// Browsers allow one on https and localhost only; elsewhere pages load from the network.
if ("serviceWorker" in navigator && window.isSecureContext && location.protocol !== "file:") {
  const root = new URL("../", document.currentScript.src);
  navigator.serviceWorker.register(new URL("sw.js", root), { scope: root.pathname });
}
