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
  const statusLine = el("p", { class: "lab-status", "aria-live": "polite" });
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

  function render(what) {
    if (what === "prediction") return;
    const run = lab.shownRun();
    statusLine.textContent = lab.statusText ?? describe.statusLine(run);
    if (what === "status") return;
    showBar(run);
    showStats(stats, describe.stats(run));
    if (what === "all") showMessage(run);
  }

  return { nodes: [statusLine, bar, stats, message], render };
}
