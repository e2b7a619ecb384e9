// The top of the "Train" panel: the status line, the progress bar, the stats of the run shown
// and the message after it ends. The words come from describe.js.

import { el } from "../../ui/dom.js";
import * as describe from "../describe.js";
import { showStats } from "./panel.js";

/**
 * @param {import("../controller.js").LabController} lab
 * @returns {{nodes: HTMLElement[], render: (what: string) => void}}
 */
export function progressView(lab) {
  // The status line changes with every slice of training; screen readers hear only `live`:
  // a run's start and end, and each epoch's test accuracy.
  const statusLine = el("p", { class: "lab-status" });
  const live = el("p", { class: "site-sr", role: "status" });
  let heard = "";
  const fill = el("div", { class: "lab-progress__fill" });
  const bar = el("div", {
    class: "lab-progress", role: "progressbar", "aria-label": "Training progress",
    "aria-valuemin": "0", "aria-valuemax": "100", "aria-valuenow": "0",
  }, fill);
  const stats = el("dl", { class: "lab-stats" });
  const message = el("div", { class: "lab-message", role: "alert", hidden: true });

  function showBar(run) {
    const p = run?.progress;
    const fraction = p ? p.samples / p.total : 0;
    fill.style.width = `${(100 * fraction).toFixed(1)}%`;
    bar.setAttribute("aria-valuenow", String(Math.round(100 * fraction)));
    bar.classList.toggle("lab-progress--active", run?.status === "training" || run?.status === "starting");
    bar.classList.toggle("lab-progress--bad", run?.status === "diverged" || run?.status === "failed");
  }

  function showMessage(run) {
    const m = describe.message(run);
    message.hidden = !m;
    message.className = m ? `lab-message lab-message--${m.kind}` : "lab-message";
    message.textContent = m ? m.text : "";
  }

  function announce(run) {
    const last = run?.epochs.at(-1);
    const key = run ? `${run.id}/${run.status}/${run.epochs.length}` : "";
    if (key === heard) return;
    heard = key;
    if (!run || run.status === "starting") return;
    const epoch = run.status === "training" && last && Number.isFinite(last.test_acc)
      ? `Epoch ${last.epoch} done: test accuracy ${last.test_acc.toFixed(4)}.` : "";
    live.textContent = run.status === "training" ? epoch || `Training ${run.label}.` : describe.statusLine(run);
  }

  function render(what) {
    if (what === "prediction") return;
    const run = lab.shownRun();
    statusLine.textContent = lab.statusText ?? describe.statusLine(run);
    announce(run);
    if (what === "status") return;
    showBar(run);
    showStats(stats, describe.stats(run));
    if (what === "all") showMessage(run);
  }

  return { nodes: [statusLine, live, bar, stats, message], render };
}
