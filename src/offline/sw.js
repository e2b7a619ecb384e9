// The site's service worker, bundled by esbuild and given its precache list by workbox-build
// (src/offline/build-sw.mjs, run after every `mkdocs build` by hooks/offline.py).
//
// - Precaches every page and the assets that make the site work offline (Pyodide, NumPy, the
//   mlp wheels, the MNIST subset, editor, chart and maths assets); each build's list carries
//   revisions, so a new build installs a new list and old entries are removed.
// - Caches assets/data/mnist-full.npz the first time a page loads it.
// - Adds Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy to the pages and the
//   worker scripts it serves (the coi-serviceworker technique): the pages become
//   crossOriginIsolated on any static host, so Stop can interrupt Python instead of
//   restarting it.
import { clientsClaim } from "workbox-core";
import { ExpirationPlugin } from "workbox-expiration";
import { addPlugins, cleanupOutdatedCaches, matchPrecache, precacheAndRoute } from "workbox-precaching";
import { registerRoute, setCatchHandler, setDefaultHandler } from "workbox-routing";
import { CacheFirst, NetworkOnly } from "workbox-strategies";

/* global __BUILD_ID__ */
const BUILD = __BUILD_ID__; // set by build-sw.mjs: one id per build
const FULL_DATA_CACHE = `mlp-mnist-full-${BUILD}`;

/** A copy of `response` with the headers that make its page cross-origin isolated, and
 *  `status` if given (the "not found" page answers with 404). */
function isolated(response, status = response?.status) {
  if (!response || response.status === 0 || response.type === "opaqueredirect") return response;
  const headers = new Headers(response.headers);
  headers.set("Cross-Origin-Opener-Policy", "same-origin");
  headers.set("Cross-Origin-Embedder-Policy", "require-corp");
  headers.set("Cross-Origin-Resource-Policy", "same-origin");
  const statusText = status === response.status ? response.statusText : "";
  return new Response(response.body, { status, statusText, headers });
}

// Only a document and a worker's script decide whether their global is cross-origin isolated
// (a dedicated worker's policy is read from its own script's response). Everything else, the
// interpreter's WebAssembly and the wheels included, is passed on as the cache answered it:
// a copy would be streamed through this worker's thread chunk by chunk, which made a warm
// start about 0.4 s slower.
const ISOLATED_DESTINATIONS = new Set(["document", "iframe", "worker", "sharedworker"]);

const crossOriginIsolation = {
  handlerWillRespond: async ({ request, response }) =>
    (ISOLATED_DESTINATIONS.has(request.destination) ? isolated(response) : response),
};

addPlugins([crossOriginIsolation]);
precacheAndRoute(self.__WB_MANIFEST, { directoryIndex: "index.html" });
cleanupOutdatedCaches();

registerRoute(
  ({ url }) => url.origin === self.location.origin && url.pathname.endsWith("/assets/data/mnist-full.npz"),
  new CacheFirst({
    cacheName: FULL_DATA_CACHE,
    plugins: [new ExpirationPlugin({ maxEntries: 1 }), crossOriginIsolation],
  }),
);
setDefaultHandler(new NetworkOnly({ plugins: [crossOriginIsolation] }));
// Offline, a page that is not in the copy (a mistyped address) gets the site's own "not found"
// page instead of the browser's error.
setCatchHandler(async ({ request }) => {
  const notFound = request.destination === "document" && await matchPrecache("404.html");
  return notFound ? isolated(notFound, 404) : Response.error();
});

self.addEventListener("activate", (event) => {
  // The full data file of an older build goes with it (precaches: cleanupOutdatedCaches).
  event.waitUntil(caches.keys().then((names) => Promise.all(
    names.filter((n) => n.startsWith("mlp-mnist-full-") && n !== FULL_DATA_CACHE).map((n) => caches.delete(n)),
  )));
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "SKIP_WAITING") self.skipWaiting();
});

// The first install takes control at once (so the first visit can be isolated after one
// reload); a later version waits until the reader reloads (register.js says so).
self.addEventListener("install", () => {
  if (!self.registration.active) self.skipWaiting();
});
clientsClaim();
