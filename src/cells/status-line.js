// The one status line of the page's Python, above the first cell: loading (with a clock),
// ready, running, or failed with a Retry button.

import { el } from "../ui/dom.js";
import { pythonStatusText } from "../ui/format.js";
import { runtime } from "../runtime/runtime.js";
import { icon } from "./icons.js";

export class StatusLine {
  constructor() {
    this.text = el("span", { class: "pycell-runtime__text" });
    this.clock = el("span", { class: "pycell-runtime__clock", "aria-hidden": "true" });
    this.retry = el("button", { type: "button", class: "pycell__btn pycell-runtime__retry", hidden: true,
      "aria-label": "Retry loading Python", onclick: () => runtime.retry() }, icon("retry"), el("span", { text: "Retry" }));
    // Announced: loading, ready and failed; not every busy/ready flip of each run.
    this.live = el("span", { class: "pycell__sr", role: "status" });
    this.node = el("div", { class: "pycell-runtime" },
      el("span", { class: "pycell-runtime__dot", "aria-hidden": "true" }), this.text, this.clock, this.retry, this.live);
    this.timer = null;
  }

  /** @param {string} status  runtime.status @param {{message?: string, since?: number}} detail */
  show(status, detail) {
    this.node.dataset.runtimeStatus = status;
    this.retry.hidden = status !== "failed";
    clearInterval(this.timer);
    this.clock.textContent = "";
    const text = pythonStatusText(status, detail);
    this.text.textContent = text;
    if (status !== "busy" && !(status === "ready" && this.live.textContent === text)) {
      this.live.textContent = text;
    }
    if (status === "loading") {
      const since = detail.since ?? performance.now();
      const tick = () => { this.clock.textContent = `${Math.floor((performance.now() - since) / 1000)} s`; };
      tick();
      this.timer = setInterval(tick, 500);
    }
  }

  dispose() {
    clearInterval(this.timer);
  }
}
