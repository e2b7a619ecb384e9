// One renderer per figure kind; the cells (figures from Python's `page` module) and the lab
// draw through here. To add a kind: write src/figures/<kind>.js exporting a draw function
// (figure -> {node, update?, destroy?}), add it to RENDERERS, and a test.

import { el } from "../ui/dom.js";
import { drawDigits } from "./digits.js";
import { drawLineChart } from "./line-chart.js";
import { drawBars } from "./bars.js";
import { drawHeatmap } from "./heatmap.js";
import { drawLog } from "./log.js";
import { drawPrediction } from "./prediction.js";
import { drawNetwork } from "./network.js";
import { drawStepper } from "./stepper.js";

export { drawDigits, paintImage } from "./digits.js";
export { drawLineChart, columns } from "./line-chart.js";
export { drawBars } from "./bars.js";
export { drawHeatmap, shades } from "./heatmap.js";
export { drawLog } from "./log.js";
export { drawPrediction } from "./prediction.js";
export { drawNetwork } from "./network.js";
export { drawStepper } from "./stepper.js";
export { createPlot } from "./plot.js";

/** @type {Record<string, (figure: any) => import("./common.js").Drawn>} */
export const RENDERERS = { digits: drawDigits, chart: drawLineChart, bars: drawBars, heatmap: drawHeatmap,
  log: drawLog, prediction: drawPrediction, network: drawNetwork,
  stepper: drawStepper };

/**
 * Draws a figure by its `kind`; a figure that cannot be drawn becomes a `.pycell-fig__error`
 * paragraph saying why (never an exception). With `container`, the node is appended to it.
 * @param {{kind: string}} figure
 * @param {HTMLElement} [container]
 * @returns {import("./common.js").Drawn}
 */
export function renderFigure(figure, container) {
  let drawn;
  try {
    const draw = RENDERERS[figure.kind];
    if (!draw) throw new Error(`unknown figure kind ${JSON.stringify(figure.kind)}`);
    drawn = draw(figure);
  } catch (error) {
    drawn = { node: el("p", { class: "pycell-fig__error", text: `The figure could not be drawn: ${error.message}` }) };
  }
  container?.append(drawn.node);
  return drawn;
}
