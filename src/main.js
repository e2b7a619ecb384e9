// The site's one script, on every page: maths, Python cells, and the training lab (its code is
// loaded only on the page that has <div id="lab">). Bundled by scripts/build_frontend.mjs into
// assets/site/main.js.

import { startMath } from "./math.js";
import { startCells } from "./cells/index.js";
import { registerOffline } from "./offline/register.js";
import { startA11y } from "./ui/a11y.js";
import { startExercises } from "./exercises/index.js";
import { runtime } from "./runtime/runtime.js";

let lab = null;   // the lab's module, once a page needed it

function labPage() {
  const root = document.getElementById("lab");
  if (!lab && !root) return;
  lab ??= import("./lab/index.js");
  lab.then((module) => module.mountLab()).catch((error) => {
    lab = null;
    if (root) {
      root.textContent = `The training lab could not start: ${error.message}`;
      root.classList.add("lab-failed");
    }
    console.error(error);
  });
}

// The cells first: they start Python, which loads while the formulas are typeset.
startCells();
startMath();
startA11y();
// The service worker's first install downloads the whole site (about 25 MB), so it waits for
// the page's load and for Python, where this page starts it, to be up: it never competes with
// the start-up. `window.__offline` is the registration once this page's step is over (null:
// none), for whoever needs to know it is (the tests).
globalThis.__offline = afterStartUp().then(() => registerOffline());
startExercises();
if (globalThis.document$?.subscribe) globalThis.document$.subscribe(labPage);
else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", labPage);
else labPage();

function afterStartUp() {
  const loaded = document.readyState === "complete" ? Promise.resolve()
    : new Promise((resolve) => addEventListener("load", resolve, { once: true }));
  return loaded.then(() => new Promise((resolve) => {
    const off = runtime.onStatus((status) => {
      if (status === "loading") return;   // "idle" (no Python on this page), "ready", "failed"
      queueMicrotask(() => off());
      resolve();
    });
  }));
}
