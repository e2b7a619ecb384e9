// Figure kind "stepper": backpropagation through a small network, one step at a time (payload:
// pysite/mlpsite/stepper.py; every number comes from Python, this file only draws). Three parts:
// the network (SVG: the current node and the weights involved highlighted, each node's latest
// value or gradient written beside it), the step's text, and the reader's code with the line
// that computes the step marked. The stepper is one focusable group: the arrow keys, Home and
// End move through the steps as the buttons do, and a polite live region says each step.
// The current step's numbers are on the node (data-step, data-array, data-unit, data-values,
// data-line) for tests.

import { el } from "../ui/dom.js";
import { frame } from "./common.js";

const NS = "http://www.w3.org/2000/svg";
const ROW = 62;
const R = 15;

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attrs)) if (value !== null && value !== undefined) node.setAttribute(name, String(value));
  for (const child of children.flat(Infinity)) if (child) node.append(child);
  return node;
}

const NAMES = ["x", "h", "o"];
const none = (v) => v === null || v === undefined;  // Python's None arrives as undefined
const PHASES = { forward: "Forward", backward: "Backward", check: "Check" };

/**
 * A node's mark ("dz 0.012|-0.034": a name, then one value per sample) as one line per sample,
 * the values padded to one width so that they line up under each other in the monospace font:
 * side by side, the marks of neighbouring columns touch at phone width. Pure.
 */
export function markLines(mark) {
  const space = mark.lastIndexOf(" ");
  const name = space < 0 ? "" : mark.slice(0, space + 1);
  const values = mark.slice(name.length).split("|");
  const wide = Math.max(...values.map((v) => v.length));
  return values.map((v, i) => (i ? " ".repeat(name.length) : name) + v.padStart(wide, " "));
}

/** Positions of the nodes: three columns, each centred vertically. Pure. */
export function nodePositions(sizes, width) {
  const rows = Math.max(...sizes);
  const xs = [0.16, 0.5, 0.84].map((f) => Math.round(f * width));
  return sizes.map((n, layer) => Array.from({ length: n }, (_, k) => [xs[layer], 30 + ((rows - n) * ROW) / 2 + k * ROW]));
}

function diagram(figure, index, width) {
  const pos = nodePositions(figure.sizes, width);
  const step = figure.steps[index];
  const active = new Set(step.edges.map((e) => e.join(":")));
  const marks = new Map();
  for (const s of figure.steps.slice(0, index + 1)) for (const [layer, unit, text] of s.marks) marks.set(`${layer}:${unit}`, text);
  const lines = [];
  for (const layer of [1, 2]) {
    pos[layer - 1].forEach(([x1, y1], i) => pos[layer].forEach(([x2, y2], j) => {
      lines.push(svg("line", { class: `stp__edge${active.has(`${layer}:${i}:${j}`) ? " stp__edge--on" : ""}`, x1: x1 + R, y1, x2: x2 - R, y2 }));
    }));
  }
  const nodes = pos.flatMap((column, layer) => column.map(([x, y], k) => {
    const now = step.layer === layer && (step.unit === k || (none(step.unit) && step.array === "X"));
    const mark = marks.get(`${layer}:${k}`);
    return svg("g", { class: `stp__node${now ? " stp__node--now" : ""}` },
      svg("circle", { cx: x, cy: y, r: R }),
      svg("text", { x, y: y + 4, "text-anchor": "middle", class: "stp__node-name" }, `${NAMES[layer]}${k}`),
      mark ? svg("text", { x, y: y + R + 12, "text-anchor": "middle", class: "stp__mark" },
        markLines(mark).map((line, i) => svg("tspan", { x, dy: i ? 11 : 0 }, line))) : null);
  }));
  const height = 30 + Math.max(...figure.sizes) * ROW;
  const lossStep = figure.steps.findIndex((s) => s.array === "L");
  const loss = index >= lossStep ? svg("text", { x: pos[2][0][0], y: height - 8, "text-anchor": "middle", class: `stp__loss${step.array === "L" ? " stp__loss--now" : ""}` },
    `L = ${figure.steps[lossStep].values[0].toFixed(4)}`) : null;
  return svg("svg", { class: "stp__svg", width, height, viewBox: `0 0 ${width} ${height}`, "aria-hidden": "true" }, lines, nodes, loss);
}

function checkTable(check) {
  const rows = check.entries.map((e) => el("tr", {}, el("td", { text: e.name }),
    el("td", { text: e.backprop.toExponential(4) }), el("td", { text: e.numerical.toExponential(4) })));
  const errors = Object.entries(check.errors).map(([n, v]) => `${n} ${v.toExponential(1)}`).join(" · ");
  return el("div", { class: "stp__check" },
    el("p", { text: `Relative error per array: ${errors}` }),
    el("div", { class: "stp__table", tabindex: "0", role: "region", "aria-label": "Every parameter's gradient, by backprop and by central difference" }, el("table", {},
      el("thead", {}, el("tr", {}, el("th", { text: "entry" }), el("th", { text: "backprop" }), el("th", { text: "central difference" }))),
      el("tbody", {}, rows))));
}

/**
 * @param {any} figure  a "stepper" payload (see pysite/mlpsite/stepper.py)
 * @returns {import("./common.js").Drawn}
 */
export function drawStepper(figure) {
  let current = figure;
  let index = 0;
  let width = 460;
  const picture = el("div", { class: "stp__picture" });
  const title = el("p", { class: "stp__title" });
  const text = el("p", { class: "stp__text" });
  const extra = el("div", {});
  const live = el("p", { class: "site-sr", "aria-live": "polite" });
  const code = el("pre", { class: "stp__code", tabindex: "0", "aria-label": "The code of forward and backward; the marked line computes the step" });
  const counter = el("span", { class: "stp__counter" });
  const go = (i) => { index = Math.max(0, Math.min(current.steps.length - 1, i)); render(true); };
  const button = (label, name, move) => el("button", { type: "button", class: "md-button stp__button", "aria-label": name, onclick: () => go(move()) }, label);
  const buttons = [button("First", "First step", () => 0), button("◀ Back", "Previous step", () => index - 1),
    button("Next ▶", "Next step", () => index + 1), button("Last", "Last step", () => current.steps.length - 1)];
  const root = el("div", {
    class: "stp", tabindex: "0", role: "group",
    "aria-label": "Backpropagation stepper. Right or down arrow: next step; left or up arrow: previous step; Home and End: first and last step.",
    onkeydown: (event) => {
      const moves = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };
      if (event.key in moves) go(index + moves[event.key]);
      else if (event.key === "Home") go(0);
      else if (event.key === "End") go(current.steps.length - 1);
      else return;
      event.preventDefault();
    },
  },
  el("div", { class: "stp__controls" }, buttons, counter),
  el("div", { class: "stp__body" }, picture, el("div", { class: "stp__say" }, title, text, extra)),
  code, live);
  const node = frame("stepper", figure, root, el("p", { class: "site-sr", text: figure.alt }));

  function render(announce) {
    const step = current.steps[index];
    picture.replaceChildren(diagram(current, index, width));
    const heading = `Step ${index + 1} of ${current.steps.length}, ${PHASES[step.phase]}: ${step.title}`;
    counter.textContent = `Step ${index + 1} of ${current.steps.length}`;
    title.textContent = `${PHASES[step.phase]}: ${step.title}`;
    title.dataset.phase = step.phase;
    text.textContent = step.text;
    extra.replaceChildren(step.phase === "check" ? checkTable(current.check) : "");
    code.replaceChildren(...current.code.map((line, i) => el("span", {
      class: `stp__line${i === step.line ? " stp__line--now" : ""}`, "aria-current": i === step.line ? "true" : null,
    }, line || " ")));
    const line = none(step.line) ? "" : ` Line: ${current.code[step.line].trim()}`;
    if (announce) live.textContent = `${heading}. ${step.text}${line}`;
    buttons[0].disabled = buttons[1].disabled = index === 0;
    buttons[2].disabled = buttons[3].disabled = index === current.steps.length - 1;
    Object.assign(root.dataset, { step: String(index), array: step.array, unit: step.unit ?? "", values: JSON.stringify(step.values), line: step.line ?? "" });
  }
  render(false);
  const observer = typeof ResizeObserver === "function" ? new ResizeObserver(([entry]) => {
    const next = Math.max(300, Math.min(520, Math.floor(entry.contentRect.width)));
    if (Math.abs(next - width) >= 4) { width = next; render(false); }
  }) : null;
  observer?.observe(picture);
  return {
    node,
    update(next) { current = next; index = Math.min(index, next.steps.length - 1); render(false); },
    destroy() { observer?.disconnect(); },
  };
}
