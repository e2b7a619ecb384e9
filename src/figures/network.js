// Figure kind "network": a diagram of a network (payload: pysite/mlpsite/network.py documents
// every field). Layers are columns of units, left to right, each named with its width and
// activation; a square input layer (784 = 28 x 28) is drawn as the picture. Weights are lines
// whose thickness and opacity grow with |w| and whose colour is the sign; Python has already
// thinned them to the strongest few per unit. Given an input, units are lit by their activation
// and the outputs show their probabilities.
// The SVG is drawn in CSS pixels at the width the figure gets (a ResizeObserver redraws it), so
// its text keeps its size on a phone instead of shrinking with a view box. Its text alternative
// is the payload's `alt`; the numbers are on the node as data attributes for tools and tests.
// Hand-written SVG: the layout is a few columns of circles and lines, which no charting library
// of the site (uPlot) draws.

import { el } from "../ui/dom.js";
import { grouped, percent } from "../ui/format.js";
import { frame } from "./common.js";

const NS = "http://www.w3.org/2000/svg";
const DEFAULT_WIDTH = 640;
const MIN_WIDTH = 300;
const MAX_WIDTH = 760;  // wider, the columns only drift apart
const ROW = 26;        // vertical room of one unit
const TOP = 42;        // room for the weight shapes above the columns
const BOTTOM = 50;     // room for the layer names below

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attrs)) if (value !== null && value !== undefined) node.setAttribute(name, String(value));
  for (const child of children.flat(Infinity)) if (child) node.append(child);
  return node;
}

const round = (v) => Math.round(v * 10) / 10;

/**
 * Where each drawn unit sits: columns spread over `width`, units centred vertically.
 * Pure (tests/js/network.test.mjs).
 * @param {{sizes: number[], image: {height: number, width: number}|null, layers: {size: number, units: number[]}[]}} figure
 * @param {number} width
 * @returns {{width: number, height: number, picture: {x: number, y: number, size: number}|null,
 *   columns: {x: number, units: Map<number, number>, more: number, moreY: number}[], radius: number, right: number}}
 */
export function layout(figure, width) {
  const n = figure.sizes.length;
  const right = 88;     // the output labels and probabilities
  const left = figure.image ? 8 : 26;
  const rows = Math.max(4, ...figure.layers.map((l) => l.units.length + (l.units.length < l.size ? 1 : 0)));
  const height = TOP + rows * ROW + BOTTOM;
  const available = width - left - right;
  const picSize = figure.image ? Math.min(120, Math.max(56, (0.6 * available) / (n - 0.5))) : 0;
  const start = figure.image ? left + picSize : left;
  const gap = (width - right - start) / Math.max(1, n - 1);
  const columns = figure.layers.map((layer, i) => {
    const x = figure.image && i === 0 ? left + picSize / 2 : start + gap * i;
    const count = layer.units.length + (layer.units.length < layer.size ? 1 : 0);
    const y0 = TOP + ((rows - count) * ROW) / 2 + ROW / 2;
    const units = new Map(layer.units.map((u, k) => [u, y0 + k * ROW]));
    return { x, units, more: layer.size - layer.units.length, moreY: y0 + layer.units.length * ROW };
  });
  const picture = figure.image ? { x: left, y: TOP + (rows * ROW - picSize) / 2, size: picSize } : null;
  return { width, height, picture, columns, radius: 8, right, gap };
}

function layerName(figure, i) {
  const size = figure.sizes[i];
  if (i === 0) return [`${size} inputs`, figure.image ? `${figure.image.height}×${figure.image.width} picture` : ""];
  if (i === figure.sizes.length - 1) return [`${size} outputs`, "softmax"];
  return [`${size} hidden`, figure.activation ?? ""];
}

function pictureNode(figure, pic) {
  const { width } = figure.image;
  const cell = pic.size / width;
  const children = [svg("rect", { class: "net__picture", x: round(pic.x), y: round(pic.y), width: round(pic.size), height: round(pic.size) })];
  if (figure.input) {
    figure.input.forEach((v, p) => {
      if (v <= 0.02) return;
      children.push(svg("rect", {
        class: "net__pixel", x: round(pic.x + (p % width) * cell), y: round(pic.y + Math.floor(p / width) * cell),
        width: round(cell + 0.2), height: round(cell + 0.2), "fill-opacity": v.toFixed(2),
      }));
    });
  } else {
    for (let k = 7; k < width; k += 7) {
      children.push(svg("path", { class: "net__grid", d: `M${round(pic.x + k * cell)} ${round(pic.y)}v${round(pic.size)}M${round(pic.x)} ${round(pic.y + k * cell)}h${round(pic.size)}` }));
    }
  }
  return svg("g", { class: "net__input" }, children);
}

function pixelPoint(figure, pic, index) {
  const { width } = figure.image;
  const cell = pic.size / width;
  return [pic.x + ((index % width) + 0.5) * cell, pic.y + (Math.floor(index / width) + 0.5) * cell];
}

/**
 * The links of a diagram drawn from sizes alone ([i, j, null]: no strength): every pair of drawn
 * units, or from a picture input, from a few pixels spread over it.
 */
function structure(figure, layer) {
  const to = figure.layers[layer].units;
  let from = figure.layers[layer - 1].units;
  if (layer === 1 && figure.image) {
    const { height, width } = figure.image;
    from = [0.2, 0.5, 0.8].flatMap((r) => [0.3, 0.7].map((c) => Math.floor(r * height) * width + Math.floor(c * width)));
  }
  return to.flatMap((j) => from.map((i) => [i, j, null]));
}

function edgesNode(figure, geo) {
  const groups = figure.links.map((link) => {
    const from = geo.columns[link.layer - 1];
    const to = geo.columns[link.layer];
    const edges = link.edges ?? structure(figure, link.layer);
    const scale = Math.max(...edges.map((e) => Math.abs(e[2] ?? 0)), 1e-12);
    const lines = edges.map(([i, j, w]) => {
      const [x1, y1] = geo.picture && link.layer === 1 ? pixelPoint(figure, geo.picture, i) : [from.x + geo.radius, from.units.get(i)];
      const y2 = to.units.get(j);
      if (y1 === undefined || y2 === undefined) return null;
      const s = w === null ? 0.3 : Math.abs(w) / scale;
      return svg("line", {
        class: `net__edge net__edge--${w === null ? "plain" : w < 0 ? "negative" : "positive"}`, x1: round(x1), y1: round(y1), x2: round(to.x - geo.radius), y2: round(y2),
        "stroke-width": (0.5 + 2.5 * s).toFixed(2), "stroke-opacity": (0.15 + 0.7 * s).toFixed(2),
      });
    });
    const mid = (from.x + to.x) / 2;
    return svg("g", { class: "net__link" }, lines,
      svg("text", { class: `net__shape${geo.gap < 84 ? " net__shape--narrow" : ""}`, x: round(mid), y: 14, "text-anchor": "middle" },
        svg("tspan", { x: round(mid), dy: 0 }, `W${link.layer}`), svg("tspan", { x: round(mid), dy: 13 }, `(${link.shape.join(", ")})`)));
  });
  return svg("g", {}, groups);
}

function unitsNode(figure, geo) {
  const last = figure.layers.length - 1;
  return svg("g", {}, figure.layers.map((layer, i) => {
    const column = geo.columns[i];
    if (i === 0 && geo.picture) return null;
    const top = layer.values ? Math.max(...layer.values.map(Math.abs), 1e-12) : 1;
    const nodes = layer.units.map((u, k) => {
      const y = column.units.get(u);
      const v = layer.values?.[k];
      const lit = v === undefined ? 0 : Math.min(1, Math.abs(v) / (i === last ? 1 : top));
      const circle = svg("circle", {
        class: `net__unit${v !== undefined && v < 0 ? " net__unit--negative" : ""}`, cx: round(column.x), cy: round(y), r: geo.radius,
        "data-unit": u, "data-layer": i,
      }, svg("title", {}, v === undefined ? `unit ${u}` : `unit ${u}: ${i === last ? "probability" : "activation"} ${v.toFixed(3)}`));
      const fill = v === undefined ? null : svg("circle", {
        class: "net__lit", cx: round(column.x), cy: round(y), r: geo.radius - 1.5, "fill-opacity": (0.05 + 0.95 * lit).toFixed(2),
      });
      const labels = [];
      if (i === last) {
        labels.push(svg("text", { class: "net__label", x: round(column.x + geo.radius + 5), y: round(y + 4) }, String(u)));
        if (v !== undefined) {
          const barX = column.x + geo.radius + 18;
          labels.push(svg("rect", { class: `net__prob${u === figure.predicted ? " net__prob--top" : ""}`, x: round(barX), y: round(y - 5), width: round(Math.max(1, 18 * v)), height: 10 }));
          labels.push(svg("text", { class: `net__label${u === figure.predicted ? " net__label--top" : ""}`, x: round(barX + 21), y: round(y + 4) }, percent(v)));
        }
      } else if (layer.units.length < layer.size || i === 0) {
        labels.push(svg("text", { class: "net__index", x: round(column.x - geo.radius - 3), y: round(y + 3.5), "text-anchor": "end" }, String(u)));
      }
      return [circle, fill, ...labels];
    });
    const more = column.more > 0 ? svg("text", { class: "net__more", x: round(column.x), y: round(column.moreY + 4), "text-anchor": "middle" }, geo.gap < 84 ? `+${column.more}` : `+${column.more} more`) : null;
    return svg("g", { class: "net__layer" }, nodes, more);
  }));
}

function namesNode(figure, geo) {
  const narrow = geo.gap < 84;  // "32 hidden" would touch its neighbours: the number on a line of its own
  return svg("g", {}, figure.sizes.map((_, i) => {
    const [first, second] = layerName(figure, i);
    const x = round(geo.columns[i].x);
    const y = geo.height - BOTTOM + (narrow ? 8 : 16);
    const lines = narrow ? [...first.split(" "), second] : [first, second];
    return svg("text", { class: "net__name", x, y, "text-anchor": "middle" },
      lines.filter(Boolean).map((line, k) => svg("tspan", { class: k > 1 || (k === 1 && !narrow) ? "net__name-sub" : null, x, dy: k ? 13 : 0 }, line)));
  }));
}

function draw(figure, width) {
  const geo = layout(figure, Math.max(MIN_WIDTH, width));
  return svg("svg", {
    class: "net__svg", width: geo.width, height: geo.height, viewBox: `0 0 ${geo.width} ${geo.height}`,
    role: "img", "aria-label": figure.alt,
  }, edgesNode(figure, geo), geo.picture ? pictureNode(figure, geo.picture) : null, unitsNode(figure, geo), namesNode(figure, geo));
}

function legend(figure) {
  const wide = figure.layers.some((l, i) => l.units.length < l.size && !(i === 0 && figure.image));
  const parts = [];
  if (figure.predicted !== null && figure.predicted !== undefined) {
    const p = figure.layers.at(-1).values[figure.predicted];
    parts.push(el("strong", { text: `Predicts ${figure.predicted} (${percent(p)}). ` }));
    parts.push("Shade: a unit's activation. ");
  }
  if (figure.links.length && figure.links[0].edges) {
    const every = figure.links.every((l) => l.edges.length === l.shape[0] * l.shape[1]);
    parts.push("Lines: weights, thicker for larger |w|, ",
      el("span", { class: "net__key net__key--positive", text: "positive" }), " or ",
      el("span", { class: "net__key net__key--negative", text: "negative" }),
      every ? "; every weight is drawn. " : figure.predicted !== null && figure.predicted !== undefined
        ? "; into each unit, only the few that move it most for this input are drawn. "
        : "; only the strongest few into each unit are drawn. ");
  } else if (figure.links.length) {
    parts.push("Lines: every unit feeds every unit of the next layer. ");
  }
  if (wide) {
    const which = figure.predicted !== null && figure.predicted !== undefined ? "their most active units"
      : figure.links[0]?.edges ? "the units with the largest incoming weights" : "their first units";
    parts.push(`Wide layers show ${which}. `);
  }
  parts.push(`${grouped(figure.parameters)} weights and biases in all.`);
  return el("p", { class: "net__legend" }, parts);
}

function describe(node, figure) {
  node.dataset.sizes = figure.sizes.join("-");
  node.dataset.predicted = figure.predicted ?? "";
  node.dataset.probabilities = figure.layers.at(-1).values ? JSON.stringify(figure.layers.at(-1).values) : "";
}

/**
 * @param {any} figure  a "network" payload (see pysite/mlpsite/network.py)
 * @returns {import("./common.js").Drawn}
 */
export function drawNetwork(figure) {
  let current = figure;
  const box = el("div", { class: "net" });
  const text = el("div", {});
  const node = frame("network", figure, box, text);
  let width = 0;
  const render = () => {
    box.replaceChildren(draw(current, Math.min(MAX_WIDTH, width || DEFAULT_WIDTH)));
    text.replaceChildren(legend(current));
    describe(node, current);
  };
  render();
  const observer = typeof ResizeObserver === "function" ? new ResizeObserver(([entry]) => {
    const next = Math.floor(entry.contentRect.width);
    if (next > 0 && Math.abs(next - width) >= 4) { width = next; render(); }
  }) : null;
  observer?.observe(box);
  return {
    node,
    update(next) {
      current = next;
      const title = node.querySelector(":scope > .pycell-fig__title");
      if (title && next.title) title.textContent = next.title;
      render();
    },
    destroy() { observer?.disconnect(); },
  };
}
