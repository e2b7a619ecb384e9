// The "Inside the prediction" panel: the drawing's path through the model in use (the
// "prediction" figure of src/figures/prediction.js), redrawn live with each prediction the
// predictor brings while the reader draws, under the diagram of the network lit by the drawing.

import { el } from "../../ui/dom.js";
import { drawNetwork, drawPrediction } from "../../figures/index.js";
import { panel } from "./panel.js";

const EMPTY = "Draw a digit with a trained model in use to see how the network reaches its answer.";

/**
 * @param {import("../controller.js").LabController} lab
 * @returns {{node: HTMLElement, render: (what: string) => void}}
 */
export function pathView(lab) {
  const body = el("div", { class: "lab-path" });
  const node = panel("path", "Inside the prediction",
    el("p", { class: "lab-note", text: "From the drawing to the answer: which hidden units push the winning digit, what the strongest first-layer units look for, then the logits and the softmax." }),
    body);
  let drawn = null;
  let diagram = null;

  function show(latest) {
    const figure = latest?.figure ?? null;
    node.classList.toggle("lab-panel--empty", !figure);
    body.dataset.version = figure ? String(latest.version) : "";
    body.dataset.model = figure ? latest.model : "";
    if (!figure) {
      diagram?.destroy();
      drawn = diagram = null;
      body.replaceChildren(el("p", { class: "lab-empty", text: latest?.message || EMPTY }));
    } else if (drawn) {
      drawn.update(figure);
      if (latest.network) diagram?.update(latest.network);
    } else {
      drawn = drawPrediction({ ...figure, className: "lab-path__figure" });
      diagram = latest.network ? drawNetwork({ ...latest.network, className: "lab-path__network" }) : null;
      body.replaceChildren(...[diagram?.node, drawn.node].filter(Boolean));
    }
  }

  show(lab.prediction.latest);
  return { node, render: (what) => { if (what === "prediction" || what === "all") show(lab.prediction.latest); } };
}
