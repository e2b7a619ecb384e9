// Registration of the site's service worker (src/offline/sw.js), and the two notes it needs:
// "working offline" while the browser has no network, and "a new version is installed" with
// a Reload button when a newer build's worker is waiting.
//
//   import { registerOffline } from "./offline/register.js";
//   registerOffline();
//
// A built site's pages name their worker in <meta name="site-service-worker" content="../sw.js">
// (hooks/offline.py). Pages without it (`mkdocs serve` makes no worker) register none and
// unregister any worker an earlier built site left on this address, so live reload is never
// served stale, and they ask the server for no sw.js. A page that names one checks that it is
// still there (the browser's update check): a cached page of an earlier build, where
// `mkdocs serve` now runs, finds none and unregisters its worker too.

const NOTE_ID = "offline-note";

/** Show (or, with text null, remove) the note; `action` is {label, run} for one button. */
function note(text, action) {
  let box = document.getElementById(NOTE_ID);
  if (text === null) {
    if (box) box.remove();
    return;
  }
  if (!box) {
    box = document.createElement("div");
    box.id = NOTE_ID;
    box.className = "offline-note";
    box.setAttribute("role", "status"); // announced politely by screen readers
    document.body.append(box);
  }
  box.replaceChildren(document.createTextNode(text));
  if (action) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = action.label;
    button.addEventListener("click", action.run);
    box.append(" ", button);
  }
}

function watchConnection() {
  const update = () => note(navigator.onLine ? null : "Working offline: this site runs from its saved copy.");
  window.addEventListener("online", update);
  window.addEventListener("offline", update);
  update();
}

function offerUpdate(registration) {
  const waiting = registration.waiting;
  if (!waiting || !navigator.serviceWorker.controller) return;
  note("A new version of this site is installed.", {
    label: "Reload",
    run: () => {
      navigator.serviceWorker.addEventListener("controllerchange", () => window.location.reload(), { once: true });
      waiting.postMessage({ type: "SKIP_WAITING" });
    },
  });
}

/**
 * True when there is no worker script at `registration`'s URL: a page of an earlier built
 * site, served from its worker's cache on an address where `mkdocs serve` now runs.
 *
 * The browser's own update check asks for the script (outside this page's requests and its
 * worker's fetch handler, so a working page makes no request that fails or is cut short);
 * only when that check fails while online is the server asked whether the script is gone.
 */
async function missing(registration, url) {
  if (!navigator.onLine) return false; // keep what is installed
  try {
    await registration.update();
    return false;
  } catch {
    try {
      const response = await fetch(url, { method: "HEAD", cache: "no-store" });
      return response.status === 404;
    } catch {
      return false; // offline: keep what is installed
    }
  }
}

const RELOADED_KEY = "offline-reloaded-for-isolation";

/**
 * True the first time this tab asks for `key`, which is then marked (sessionStorage). False
 * where storage is blocked (reading it throws): what cannot be marked is not done, so a
 * reload never loops.
 * @param {string} key
 * @returns {boolean}
 */
function firstTimeInTab(key) {
  try {
    if (sessionStorage.getItem(key)) return false;
    sessionStorage.setItem(key, "1");
    return true;
  } catch {
    return false;
  }
}

/** The page's service worker URL, from its <meta name="site-service-worker">, or null. */
export function workerURL() {
  const meta = document.querySelector('meta[name="site-service-worker"]');
  return meta ? new URL(meta.content, location.href) : null;
}

/**
 * Register the service worker at `url` (default: the page's, workerURL(); scope: its folder).
 * reloadForIsolation() decides whether the page may reload once, right after the first
 * install, to become crossOriginIsolated at once (default: no, the next visit or reload is;
 * coi-serviceworker reloads at once, which would drop what the reader did meanwhile).
 * Resolves to the registration, or null where service workers are unavailable or absent.
 */
export async function registerOffline({ url = workerURL(), reloadForIsolation = () => false } = {}) {
  if (!("serviceWorker" in navigator) || !window.isSecureContext) return null;
  watchConnection();
  const unregisterAll = async () => {
    const registrations = await navigator.serviceWorker.getRegistrations();
    await Promise.all(registrations.map((r) => r.unregister()));
    return null;
  };
  if (!url) return unregisterAll();
  const firstInstall = !navigator.serviceWorker.controller;
  let registration;
  try {
    registration = await navigator.serviceWorker.register(url, { scope: new URL(".", url).href });
  } catch {
    return null; // no script there, or none allowed: no offline copy
  }
  if (!registration) return null; // service workers blocked (a browser setting, test automation)
  offerUpdate(registration);
  registration.addEventListener("updatefound", () => {
    const worker = registration.installing;
    worker?.addEventListener("statechange", () => {
      if (worker.state === "installed") offerUpdate(registration);
    });
  });
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (firstInstall && !window.crossOriginIsolated && reloadForIsolation() && firstTimeInTab(RELOADED_KEY)) {
      window.location.reload();
    }
  }, { once: true });
  // An installed worker is registered again without its script being fetched: check it is there.
  if (!firstInstall && await missing(registration, url)) return unregisterAll();
  return registration;
}
