// The training lab: mounts it on the page that has <div id="lab">. One controller lives as long
// as the tab; each visit of the page (Material's instant navigation swaps pages without
// reloading) builds the panels again and draws what the controller holds.

import { runtime } from "../runtime/runtime.js";
import { el } from "../ui/dom.js";
import { LabController } from "./controller.js";
import { FormView } from "./views/form.js";
import { progressView } from "./views/progress.js";
import { chartsView } from "./views/charts.js";
import { runsView } from "./views/runs.js";
import { drawView } from "./views/draw.js";
import { inspectView } from "./views/inspect.js";
import { pathView } from "./views/path.js";
import { panel } from "./views/panel.js";

let lab = null;       // the controller, made on the first visit of the lab
let mounted = null;   // {root, destroy} of the page shown

function build(root) {
  const form = new FormView(lab, runtime);
  const progress = progressView(lab);
  const charts = chartsView(lab);
  const runs = runsView(lab);
  const draw = drawView(lab);
  const inspect = inspectView(lab);
  const path = pathView(lab);
  const views = [form, progress, charts, runs, draw, inspect, path];
  const trainPanel = panel("train", "Train", ...progress.nodes, ...charts.nodes);
  root.replaceChildren(
    el("div", { class: "lab__top" }, form.node, el("div", { class: "lab__main" }, trainPanel, runs.node)),
    el("div", { class: "lab__bottom" }, draw.node, inspect.node),
    path.node,
  );
  const render = (what) => { for (const v of views) v.render(what); };
  const off = lab.on(render);
  render("all");
  return () => {
    off();
    form.destroy();
    charts.destroy();
  };
}

/**
 * Mounts the lab on this page's #lab, if it has one; unmounts the last page's lab when it is gone.
 * Sets data-ready on #lab once the form has Python's choices.
 */
export async function mountLab() {
  if (mounted && !mounted.root.isConnected) {
    mounted.destroy();
    mounted = null;
  }
  const root = document.getElementById("lab");
  if (!root || root.dataset.mounted) return;
  root.dataset.mounted = "true";
  root.classList.add("lab");
  lab ??= new LabController(runtime);
  lab.prediction.request(null, 0);  // a new page has an empty pad
  mounted = { root, destroy: build(root) };
  try {
    await lab.loadChoices();
    root.dataset.ready = "true";
  } catch (error) {
    root.append(el("p", { class: "lab-message lab-message--error", role: "alert", text: `The training lab could not start: ${error.message}` }));
  }
}
