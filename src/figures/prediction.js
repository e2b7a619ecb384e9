// Figure kind "prediction": one input's path through a network, from the pixels to the softmax
// (payload: pysite/mlpsite/prediction.py documents every field). Stages, left to right: the
// input as the network sees it, one strip per hidden layer (the units that push the winning
// class most and least: activation as a shaded cell, contribution as a signed bar, numbers on
// hover or focus), the logits and the probabilities; below, the weight images of the
// strongest first-layer units. The figure's `alt` sentence, shown under it, is its text
// alternative; the numbers are also on the node as data attributes (data-predicted,
// data-logits, data-probabilities) for tools and tests.
// update(next) redraws in place: the lab's live panel.

import { el } from "../ui/dom.js";
import { formatNumber, percent } from "../ui/format.js";
import { frame } from "./common.js";
import { drawBars } from "./bars.js";
import { drawDigits, paintImage } from "./digits.js";

export const HEAD = 8;  // units shown first in a strip: those that push the winning class most
export const TAIL = 4;  // and last: those that hold it back most

/**
 * Which positions of a strip of `n` units (ordered by contribution, decreasing) to show:
 * the first `head` and the last `tail`, with the number left out between them.
 * @param {number} n
 * @param {number} [head]
 * @param {number} [tail]
 * @returns {{first: number[], last: number[], hidden: number}}
 */
export function pickUnits(n, head = HEAD, tail = TAIL) {
  const range = (a, b) => Array.from({ length: Math.max(0, b - a) }, (_, i) => a + i);
  if (n <= head + tail) return { first: range(0, n), last: [], hidden: 0 };
  return { first: range(0, head), last: range(n - tail, n), hidden: n - head - tail };
}

/**
 * A signed number with its sign always written: "+0.25", "-1.3", "0".
 * @param {number} v
 * @returns {string}
 */
export function signed(v) {
  return (v > 0 ? "+" : "") + formatNumber(v);
}

function stage(name, title, ...children) {
  return el("section", { class: `pycell-prediction__stage pycell-prediction__stage--${name}` },
    el("p", { class: "pycell-prediction__head", text: title }), ...children);
}

function inputStage(input) {
  const canvas = el("canvas", {
    class: "pycell-prediction__input", role: "img",
    "aria-label": `The input as the network sees it: ${input.height} by ${input.width} pixels`,
  });
  paintImage(canvas, input.pixels, { width: input.width, height: input.height, mode: "ink", max: 1 });
  return stage("input", "Input", canvas);
}

function unitCell(layer, position, scale, readout, winner) {
  const a = layer.activations[position];
  const c = layer.contributions[position];
  const text = `unit ${layer.units[position]}: activation ${formatNumber(a)}, contribution to ${winner} ${signed(c)}`;
  const share = Math.min(1, Math.abs(c) / scale.contribution);
  const bar = el("span", {
    class: `pycell-prediction__bar pycell-prediction__bar--${c < 0 ? "negative" : "positive"}`,
    style: `height: ${(50 * share).toFixed(1)}%`,
  });
  const show = () => { readout.textContent = text; };
  return el("li", {
    class: "pycell-prediction__unit", tabindex: "0", title: text, "aria-label": text,
    "data-unit": layer.units[position], onfocus: show, onmouseenter: show,
  },
  el("span", {
    class: "pycell-prediction__activation", "aria-hidden": "true",
    style: `opacity: ${(0.08 + 0.92 * Math.min(1, Math.max(0, a) / scale.activation)).toFixed(3)}`,
  }),
  el("span", { class: "pycell-prediction__track", "aria-hidden": "true" }, bar),
  el("span", { class: "pycell-prediction__unit-label", "aria-hidden": "true", text: String(layer.units[position]) }));
}

function layerStage(layer, winner) {
  const n = layer.units.length;
  const { first, last, hidden } = pickUnits(n);
  const shown = [...first, ...last];
  const scale = {
    activation: Math.max(...shown.map((p) => layer.activations[p]), 0) || 1,
    contribution: Math.max(...shown.map((p) => Math.abs(layer.contributions[p])), 0) || 1,
  };
  const readout = el("p", { class: "pycell-prediction__readout", text: "Hover over or focus a unit for its numbers." });
  const cell = (p) => unitCell(layer, p, scale, readout, winner);
  const gap = hidden ? el("li", { class: "pycell-prediction__gap", text: `… ${hidden} more` }) : null;
  const strip = el("ul", {
    class: "pycell-prediction__strip",
    "aria-label": `Hidden layer ${layer.layer}: ${shown.length} of ${n} units, ordered by contribution to ${winner}`,
  }, first.map(cell), gap, last.map(cell));
  return stage("layer", `Hidden layer ${layer.layer}`, strip,
    el("p", { class: "pycell-prediction__note", text: `shade: activation · bar: contribution to ${winner} (up pushes, down holds back) · rest ${signed(layer.rest)}` }),
    readout);
}

function classBars(figure, values, extra) {
  const labels = figure.classes.map((c, i) => (i === figure.predicted ? `${c} ★` : c));
  const drawn = drawBars({ values, labels, highlight: figure.predicted, className: "pycell-prediction__bars", ...extra });
  return drawn.node;
}

function weightsRow(weights) {
  if (!weights?.images?.length) return null;
  const { images, height, width } = weights;
  const digits = drawDigits({
    count: images.length, height, width, mode: "signed", className: "pycell-prediction__weights",
    pixels: images.flatMap((w) => w.values), labels: images.map((w) => `unit ${w.unit}`),
    titles: images.map((w) => `unit ${w.unit}: activation ${formatNumber(w.activation)}, contribution ${signed(w.contribution)}, weights from -${formatNumber(w.scale)} to +${formatNumber(w.scale)}`),
  });
  return stage("weights", "What the strongest first-layer units look for (incoming weights)", digits.node,
    el("p", { class: "pycell-prediction__note" },
      el("span", { class: "pycell-prediction__swatch pycell-prediction__swatch--positive" }), " positive weight ",
      el("span", { class: "pycell-prediction__swatch pycell-prediction__swatch--negative" }), " negative weight, each image on its own scale"));
}

function content(figure) {
  const c = figure.predicted;
  const label = figure.classes[c];
  return [
    el("p", { class: "pycell-prediction__verdict" }, "Predicted ",
      el("strong", { text: label }), ` with probability ${percent(figure.probabilities[c])} (★ marks it below)`),
    el("div", { class: "pycell-prediction__flow" },
      inputStage(figure.input),
      figure.layers.map((layer) => layerStage(layer, label)),
      stage("logits", "Logits", classBars(figure, figure.logits, { signed: true })),
      stage("probabilities", "Softmax", classBars(figure, figure.probabilities, { format: "percent" }))),
    weightsRow(figure.weights),
    el("p", { class: "pycell-prediction__alt", text: figure.alt }),
  ];
}

function describe(node, figure) {
  node.dataset.predicted = String(figure.predicted);
  node.dataset.logits = JSON.stringify(figure.logits);
  node.dataset.probabilities = JSON.stringify(figure.probabilities);
  node.dataset.layers = String(figure.layers.length);
}

/**
 * @param {any} figure  a "prediction" payload (see pysite/mlpsite/prediction.py)
 * @returns {import("./common.js").Drawn}
 */
export function drawPrediction(figure) {
  const body = el("div", { class: "pycell-prediction" }, content(figure));
  const node = frame("prediction", figure, body);
  describe(node, figure);
  return {
    node,
    update(next) {
      body.replaceChildren(...content(next));
      describe(node, next);
    },
  };
}
