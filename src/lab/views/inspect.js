// The "Inspect the model" panel: the test-set summary of the model in use and three tabs, the
// confusion matrix, the misclassified test images and the first-layer weights, each drawn by the
// site's figure renderers.

import { el } from "../../ui/dom.js";
import { grouped, percent } from "../../ui/format.js";
import { drawDigits, drawHeatmap } from "../../figures/index.js";
import { modelName, panel, showStats, tabs } from "./panel.js";

const DIGITS = Array.from({ length: 10 }, (_, d) => String(d));

function confusion(r) {
  return drawHeatmap({
    rows: 10, cols: 10, values: r.confusion.flat(), rowLabels: DIGITS, colLabels: DIGITS, integers: true,
    shade: "row", ylabel: "true digit", xlabel: "predicted digit, shade: share of the row", className: "lab-confusion",
  }).node;
}

function mistakes(r) {
  if (!r.mistakes.length) return [el("p", { class: "lab-empty", text: "No test image is misclassified." })];
  const drawn = drawDigits({
    count: r.mistakes.length, height: 28, width: 28, mode: "ink", className: "lab-digits",
    pixels: r.mistakes.flatMap((m) => m.pixels), labels: r.mistakes.map((m) => `${m.label}→${m.predicted}`),
    titles: r.mistakes.map((m) => `true ${m.label}, predicted ${m.predicted} with ${percent(m.p)}`),
  });
  const note = r.mistakes_total > r.mistakes.length
    ? el("p", { class: "lab-note", text: `The first ${r.mistakes.length} of ${grouped(r.mistakes_total)} misclassified test images.` })
    : null;
  return [drawn.node, note];
}

function weights(r) {
  const drawn = drawDigits({
    count: r.weights.length, height: 28, width: 28, mode: "signed", className: "lab-weights",
    pixels: r.weights.flat(), titles: r.weights.map((_, i) => `unit ${i + 1}`),
  });
  const shown = r.units > r.weights.length ? `the first ${r.weights.length} of ${grouped(r.units)} units` : `${r.units} units`;
  const legend = el("p", { class: "lab-note lab-weights__legend" },
    el("span", { class: "lab-swatch lab-swatch--pos" }), " positive ",
    el("span", { class: "lab-swatch lab-swatch--neg" }), ` negative · ${shown}`);
  return [drawn.node, legend];
}

/**
 * @param {import("../controller.js").LabController} lab
 * @returns {{node: HTMLElement, render: (what: string) => void}}
 */
export function inspectView(lab) {
  const model = el("p", { class: "lab-model-name" });
  const summary = el("dl", { class: "lab-stats lab-summary" });
  const t = tabs([["confusion", "Confusion matrix"], ["mistakes", "Misclassified"], ["weights", "First-layer weights"]]);
  const node = panel("inspect", "Inspect the model", model, summary, t.list, ...t.panels);
  let shown;  // the result drawn in the tabs

  function render() {
    const run = lab.currentRun();
    const r = run?.result;
    model.replaceChildren(...(run ? modelName(run) : ["Train a model to see where it goes wrong and what its first layer has learned."]));
    node.classList.toggle("lab-panel--empty", !r);
    summary.dataset.accuracy = r ? String(r.accuracy) : "";
    summary.dataset.run = r ? run.id : "";
    showStats(summary, r ? [
      ["Test accuracy", r.accuracy.toFixed(4), "lab-stat--main"],
      ["Correct", `${grouped(r.correct)} of ${grouped(r.total)}`],
      ["Test loss", r.loss !== null ? r.loss.toFixed(4) : "–"],
      ["Network", `${r.sizes.join("-")} ${r.activation}`],
    ] : []);
    if (shown === r) return;
    shown = r;
    const content = r ? [[confusion(r)], mistakes(r), weights(r)] : null;
    t.panels.forEach((p, i) => p.replaceChildren(...(content ? content[i] : [el("p", { class: "lab-empty", text: "Nothing to show yet." })])));
  }

  return { node, render: (what) => { if (what === "all") render(); } };
}
