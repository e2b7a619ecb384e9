// The "Draw a digit" panel: the pad, what the network sees (28x28), and the class
// probabilities of the model in use as bars.

import { el } from "../../ui/dom.js";
import { percent } from "../../ui/format.js";
import { drawBars, paintImage } from "../../figures/index.js";
import { SIDE } from "../mnist.js";
import { Pad } from "./pad.js";
import { modelName, panel } from "./panel.js";

const DIGITS = Array.from({ length: 10 }, (_, d) => String(d));
const EMPTY = Array(10).fill(NaN);  // bars without a value: empty, "–"

/**
 * @param {import("../controller.js").LabController} lab
 * @returns {{node: HTMLElement, render: (what: string) => void}}
 */
export function drawView(lab) {
  const padBox = el("div", { class: "lab-pad" });
  const preview = el("canvas", {
    class: "lab-digit lab-preview__canvas", width: SIDE, height: SIDE, role: "img",
    "aria-label": "The drawing as the network sees it: 28 by 28 pixels",
  });
  const pad = new Pad(padBox, {
    onInk: (pixels, version) => {
      paintImage(preview, pixels, { width: SIDE, height: SIDE, mode: "ink", max: 1 });
      lab.prediction.request(pixels, version);
    },
  });
  paintImage(preview, null, { width: SIDE, height: SIDE, mode: "ink", max: 1 });
  const head = el("p", { class: "lab-bars__head", "aria-live": "polite" });
  const bars = drawBars({ values: EMPTY, labels: DIGITS, format: "percent", className: "lab-bars" });
  bars.node.setAttribute("aria-label", "Class probabilities");
  const model = el("p", { class: "lab-model-name" });
  const node = panel("draw", "Draw a digit", model,
    el("div", { class: "lab-draw" },
      el("div", { class: "lab-draw__left" }, padBox,
        el("div", { class: "lab-draw__under" },
          el("figure", { class: "lab-preview" }, el("span", { class: "lab-tile" }, preview),
            el("figcaption", { text: "what the network sees" })),
          el("button", { type: "button", class: "md-button lab-clear", text: "Clear", onclick: () => pad.clear() }))),
      el("div", { class: "lab-bars-box" }, head, bars.node)));

  function showPrediction(latest) {
    const probs = latest?.probabilities ?? null;
    const best = probs ? probs.indexOf(Math.max(...probs)) : -1;
    bars.update({ values: probs ?? EMPTY, labels: DIGITS, format: "percent", highlight: best >= 0 ? best : null });
    head.dataset.prediction = best >= 0 ? String(best) : "";
    head.dataset.version = probs ? String(latest.version) : "";
    head.dataset.model = latest?.model ?? "";
    bars.node.dataset.probabilities = probs ? JSON.stringify(probs) : "";
    if (best >= 0) {
      head.replaceChildren("Prediction ", el("strong", { class: "lab-bars__best", text: String(best) }),
        ` with ${percent(probs[best])}`);
    } else {
      head.textContent = latest?.message || "Draw a digit to see what the model thinks.";
    }
  }

  function showModel() {
    const run = lab.drawingModel();
    if (run) model.replaceChildren(...modelName(run, run === lab.training));
    else model.replaceChildren("No model yet: train one (or load weights) to see its guesses.");
  }

  showPrediction(null);
  return {
    node,
    render(what) {
      if (what === "prediction") showPrediction(lab.prediction.latest);
      else if (what !== "status") showModel();
    },
  };
}
