// Figure kind "heatmap": a table of numbers shaded by value (a confusion matrix, weights).
//   {kind: "heatmap", rows, cols, values (rows*cols, row-major), rowLabels, colLabels,
//    integers?, title?, xlabel?, ylabel?, shade?: "all" | "row"}
// shade "all" scales every cell between the smallest and largest value; "row" shades by the
// share of the row's total, the diagonal (hits) apart from the rest (misses, stretched x5 to
// stay visible): a confusion matrix.

import { fitTextColor } from "../ui/contrast.js";
import { el } from "../ui/dom.js";
import { onThemeChange } from "../ui/theme.js";
import { formatNumber } from "../ui/format.js";
import { frame, summaryNode } from "./common.js";
import { heatmapSummary } from "./summary.js";

/**
 * The shade of each cell in [0, 1] and whether it is on the diagonal.
 * @param {{rows: number, cols: number, values: number[], shade?: "all"|"row"}} figure
 * @returns {{share: number, diagonal: boolean}[]}
 */
export function shades(figure) {
  const { rows, cols, values } = figure;
  const out = [];
  if (figure.shade === "row") {
    for (let r = 0; r < rows; r++) {
      const row = values.slice(r * cols, (r + 1) * cols);
      const total = row.reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0) || 1;
      row.forEach((v, c) => {
        const share = v / total;
        out.push({ share: r === c ? share : Math.min(1, share * 5), diagonal: r === c });
      });
    }
    return out;
  }
  const finite = values.filter(Number.isFinite);
  const lo = Math.min(...finite, 0);
  const span = Math.max(...finite) - lo || 1;
  return values.map((v, i) => ({ share: (v - lo) / span, diagonal: Math.floor(i / cols) === i % cols }));
}

/**
 * @param {{rows: number, cols: number, values: number[], rowLabels: string[], colLabels: string[],
 *          integers?: boolean, title?: string, xlabel?: string, ylabel?: string,
 *          shade?: "all"|"row", className?: string}} figure
 * @returns {import("./common.js").Drawn}
 */
export function drawHeatmap(figure) {
  const { rows, cols, values, rowLabels, colLabels, integers, xlabel, ylabel } = figure;
  const shading = shades(figure);
  const byRow = figure.shade === "row";
  const showNumbers = rows <= 24 && cols <= 24;
  const table = el("table", { class: "pycell-heatmap" + (showNumbers ? "" : " pycell-heatmap--dense")
    + (byRow ? " pycell-heatmap--rows" : "") });
  const head = el("tr", {}, el("td", { class: "pycell-heatmap__corner" }),
    colLabels.map((label) => el("th", { scope: "col", text: label })));
  const body = el("tbody");
  for (let r = 0; r < rows; r++) {
    const tr = el("tr", {}, el("th", { scope: "row", text: rowLabels[r] }));
    for (let c = 0; c < cols; c++) {
      const v = values[r * cols + c];
      const { share, diagonal } = shading[r * cols + c];
      const classes = [];
      // Right (the diagonal) and wrong differ in weight and outline too, not only in colour.
      if (byRow) classes.push(diagonal ? "pycell-heatmap__hit" : v ? "pycell-heatmap__miss" : "pycell-heatmap__none");
      if (share > 0.55) classes.push("pycell-heatmap__strong");
      const text = byRow && !v ? "" : formatNumber(v, integers);
      tr.append(el("td", {
        style: `--pycell-share: ${Math.round(share * 100)}%`,
        class: classes.join(" ") || undefined,
        title: `${rowLabels[r]}, ${colLabels[c]}: ${formatNumber(v, integers)}`,
        text: showNumbers ? text : "",
      }));
    }
    body.append(tr);
  }
  table.append(el("thead", {}, head), body);
  const axes = [ylabel && `rows: ${ylabel}`, xlabel && `columns: ${xlabel}`].filter(Boolean).join(" · ");
  const node = frame("heatmap", figure, summaryNode(heatmapSummary(figure)),
    axes ? el("p", { class: "pycell-fig__axes", text: axes }) : null,
    el("div", { class: "pycell-heatmap__scroll" }, table));
  if (showNumbers) fitOnPaint(table);
  return { node };
}

// The numbers' colour follows each cell's painted shade (src/ui/contrast.js): set when the
// table is first laid out or resized, and on every palette switch for the tables on the page.
let watchingTheme = false;
const TRANSITION_MS = 300;  // Material's colour transitions (250 ms) are over by then

function fitOnPaint(table) {
  if (typeof ResizeObserver === "undefined") return;  // not in a browser (node --test)
  new ResizeObserver(() => fitTextColor(table.querySelectorAll("td"))).observe(table);
  if (watchingTheme) return;
  watchingTheme = true;
  onThemeChange(() => {
    const cells = () => document.querySelectorAll("table.pycell-heatmap:not(.pycell-heatmap--dense) td");
    fitTextColor(cells());
    setTimeout(() => fitTextColor(cells()), TRANSITION_MS);
  });
}
