// The "Runs" panel: one row per run (colour, name, details, test accuracy, status, Use and
// Remove), and the weights files: Download weights (.npz) and Load weights….

import { el } from "../../ui/dom.js";
import { grouped } from "../../ui/format.js";
import { label } from "../form-model.js";
import { panel, runColor, swatch } from "./panel.js";

const STATUS_TEXT = {
  starting: "starting", training: "training…", stopped: "stopped", done: "", diverged: "diverged",
  failed: "failed", imported: "loaded",
};

// "41,200 samples/s · SIMD kernel": the training speed, to compare runs and backends.
function speed(run) {
  const p = run.progress;
  if (!p || !p.elapsed) return null;
  const backend = run.config.backend ? ` · ${label(run.config.backend)}` : "";
  return `${grouped(Math.round(p.samples / p.elapsed))} samples/s${backend}`;
}

function runRow(lab, run) {
  const rate = speed(run);
  const isCurrent = run.id === lab.current;
  const acc = run.result ? run.result.accuracy : run.epochs.at(-1)?.test_acc;
  const status = STATUS_TEXT[run.status];
  return el("li", {
    class: `lab-run${isCurrent ? " lab-run--current" : ""}`, "data-run": run.id, "data-status": run.status, style: runColor(run),
    "data-first-loss": run.epochs[0] ? String(run.epochs[0].train_loss) : "",  // for tests: same link, same curve
  },
  swatch(),
  el("div", { class: "lab-run__text" },
    el("span", { class: "lab-run__label", text: run.label }),
    el("span", { class: "lab-run__detail", text: run.detail }),
    rate ? el("span", { class: "lab-run__speed", text: rate }) : null,
    run.note ? el("span", { class: "lab-run__note", text: run.note }) : null),
  el("span", { class: "lab-run__acc", title: "test accuracy" },
    el("strong", { text: acc !== undefined && acc !== null ? acc.toFixed(4) : "–" }),
    status ? el("span", { class: `lab-run__status lab-run__status--${run.status}`, text: status }) : null),
  el("span", { class: "lab-run__buttons" },
    el("button", {
      type: "button", class: "lab-icon-button lab-run__use", "aria-pressed": String(isCurrent),
      disabled: !(run.hasModel && run.result), title: "Use this model to draw and inspect",
      "aria-label": `Use the model of run ${run.label}`, text: isCurrent ? "In use" : "Use", onclick: () => lab.use(run.id),
    }),
    el("button", {
      type: "button", class: "lab-icon-button lab-run__remove", disabled: lab.training?.id === run.id,
      title: "Remove this run", "aria-label": `Remove run ${run.label}`, text: "✕", onclick: () => lab.remove(run.id),
    })));
}

// Hands a file's bytes to the browser as a download.
function download(bytes, name) {
  const url = URL.createObjectURL(new Blob([bytes], { type: "application/octet-stream" }));
  const a = el("a", { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * @param {import("../controller.js").LabController} lab
 * @returns {{node: HTMLElement, render: (what: string) => void}}
 */
export function runsView(lab) {
  const list = el("ul", { class: "lab-runs", "aria-label": "Runs" });
  const exportButton = el("button", { type: "button", class: "md-button lab-export", text: "Download weights (.npz)" });
  const fileInput = el("input", { type: "file", accept: ".npz", class: "lab-file", tabindex: "-1", "aria-hidden": "true" });
  const importButton = el("button", { type: "button", class: "md-button lab-import", text: "Load weights…", onclick: () => fileInput.click() });
  const fileMessage = el("p", { class: "lab-file-message", "aria-live": "polite" });
  const node = panel("runs", "Runs",
    el("p", { class: "lab-note lab-runs__empty", text: "Runs you train appear here, each with its curves on the charts." }),
    list, el("div", { class: "lab-actions" }, exportButton, importButton, fileInput), fileMessage);

  // A note about saving or loading one model; it goes once another model is in use.
  const note = (run, error, ...content) => {
    fileMessage.className = `lab-file-message${error ? " lab-file-message--error" : ""}`;
    fileMessage.dataset.run = run ? run.id : "";
    fileMessage.replaceChildren(...content);
  };

  exportButton.addEventListener("click", async () => {
    exportButton.disabled = true;
    try {
      const { bytes, name, run } = await lab.exportWeights();
      download(bytes, name);
      note(run, false, `Saved ${name}. Check it natively: `,
        el("code", { text: `python -m mlp evaluate --load ${name} --data mnist-subset.npz` }));
    } catch (error) {
      note(null, true, `Could not export: ${error.message}`);
    }
    render();
  });

  fileInput.addEventListener("change", async () => {
    const file = fileInput.files[0];
    fileInput.value = "";
    if (!file) return;
    note(null, false, `Loading ${file.name}…`);
    importButton.disabled = true;
    try {
      const run = await lab.importWeights(file);
      const r = run.result;
      note(run, false, `Loaded ${file.name}: ${r.sizes.join("-")} ${r.activation}, test accuracy ${r.accuracy.toFixed(4)}.`);
    } catch (error) {
      note(null, true, `Could not load weights: ${error.message}`);
    }
    render();
  });

  function render(what = "all") {
    if (what === "status" || what === "prediction") return;
    if (fileMessage.dataset.run && fileMessage.dataset.run !== String(lab.current)) note(null, false);
    list.replaceChildren(...lab.runs.map((run) => runRow(lab, run)));
    node.classList.toggle("lab-panel--empty", lab.runs.length === 0);
    exportButton.disabled = !lab.currentRun()?.hasModel || Boolean(lab.training);
    importButton.disabled = Boolean(lab.training);
  }

  return { node, render };
}
