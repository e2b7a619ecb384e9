// Entry of the training lab: mounts it on the page that has <div id="lab">. The lab's modules,
// uPlot and Python load only there. Material's instant navigation swaps pages without reloading,
// so mounting runs on every page change (document$), not once.

let app = null;

async function mountLab() {
  const root = document.getElementById("lab");
  if (app) (await app).unmountIfGone();
  if (!root || root.dataset.mounted) return;
  root.dataset.mounted = "true";
  app = app || import("./lab-app.js");
  try {
    await (await app).mount(root);
  } catch (error) {
    root.dataset.mounted = "";
    root.textContent = `The training lab could not start: ${error.message}`;
    root.classList.add("lab-failed");
    throw error;
  }
}

if (globalThis.document$) {
  globalThis.document$.subscribe(() => { mountLab(); });
} else if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", () => { mountLab(); });
} else {
  mountLab();
}
