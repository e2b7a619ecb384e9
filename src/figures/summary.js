// Text alternatives of figures: one or two plain sentences that say what a chart, a confusion
// matrix, a bar list or a grid of digits shows, for readers who cannot see it (screen readers
// read them as the figure's description). Pure functions: tests/js/figures.test.mjs.

import { formatNumber, percent } from "../ui/format.js";

const finite = (v) => typeof v === "number" && Number.isFinite(v);

/** A number in a sentence: "3", "0.84", "0.921", "1,234", "1.2e-5" (3 significant digits). */
function show(v) {
  const abs = Math.abs(v);
  if (Number.isInteger(v) && abs < 1e6) return v.toLocaleString("en-US");
  if (abs !== 0 && (abs < 0.001 || abs >= 1e6)) return v.toExponential(1);
  return Number(v.toPrecision(Math.max(3, Math.floor(Math.log10(abs || 1)) + 1))).toLocaleString("en-US", { maximumFractionDigits: 3 });
}

/**
 * Where `x` runs, in words: "over 3 epochs" (whole x from 1, a plural-able label), else
 * "from epoch 0.5 to 3" or "from x 1 to 50".
 * @param {number[]} xs  the x values with a value
 * @param {string} [xlabel]
 */
function span(xs, xlabel) {
  const label = xlabel || "x";
  const first = xs[0];
  const last = xs.at(-1);
  if (xs.length === 1) return `at ${label} ${show(first)}`;
  if (first === 1 && Number.isInteger(last) && /^[a-z ]+$/i.test(label)) {
    return `over ${last} ${label}${last === 1 || label.endsWith("s") ? "" : "s"}`;
  }
  return `from ${label} ${show(first)} to ${show(last)}`;
}

/**
 * One series in words: "test accuracy rose from 0.84 to 0.92 over 3 epochs", with its lowest
 * or highest value when that is not an end ("…, lowest 0.31 at epoch 7"); "train loss: no
 * values yet" when it has none.
 * @param {string} name
 * @param {number[]} x
 * @param {(number|null|undefined)[]} values  null or undefined: a gap
 * @param {string} [xlabel]
 * @returns {string}
 */
export function describeSeries(name, x, values, xlabel) {
  const xs = [];
  const ys = [];
  values.forEach((v, i) => { if (finite(v) && finite(x[i])) { xs.push(x[i]); ys.push(v); } });
  if (!ys.length) return `${name}: no values yet`;
  const first = ys[0];
  const last = ys.at(-1);
  if (ys.length === 1) return `${name} was ${show(first)} ${span(xs, xlabel)}`;
  const verb = last > first ? "rose" : last < first ? "fell" : "ended where it began,";
  let text = `${name} ${verb} from ${show(first)} to ${show(last)} ${span(xs, xlabel)}`;
  const lo = Math.min(...ys);
  const hi = Math.max(...ys);
  const extreme = last < first ? [lo, "lowest"] : [hi, "highest"];
  if (extreme[0] !== last && extreme[0] !== first) {
    text += `, ${extreme[1]} ${show(extreme[0])} at ${xlabel || "x"} ${show(xs[ys.indexOf(extreme[0])])}`;
  }
  return text;
}

/**
 * A line chart: "Line chart "Loss": train loss fell from 2.3 to 0.4 over 10 epochs; …".
 * @param {{x: number[], series: {name: string, values: any[]}[], title?: string, xlabel?: string,
 *          ylabel?: string, logy?: boolean, logx?: boolean}} figure
 */
export function chartSummary(figure) {
  const scales = [figure.logx && "x", figure.logy && "y"].filter(Boolean);
  const head = `Line chart${figure.title ? ` "${figure.title}"` : ""}`
    + (scales.length ? ` (logarithmic ${scales.join(" and ")} axis)` : "");
  const parts = figure.series.map((s) => describeSeries(s.name, figure.x, Array.from(s.values), figure.xlabel));
  return `${head}: ${parts.join("; ")}.`;
}

/**
 * A heatmap. A confusion matrix (shade "row") says how many predictions are right and the most
 * frequent confusions: "Confusion matrix, rows true digit, columns predicted digit: 1,842 of
 * 2,000 on the diagonal (92%). Most frequent mistakes: 4 taken for 9 (23 times), …".
 * Otherwise the size and the range of the values.
 * @param {{rows: number, cols: number, values: number[], rowLabels: string[], colLabels: string[],
 *          title?: string, xlabel?: string, ylabel?: string, shade?: "all"|"row", integers?: boolean}} figure
 */
export function heatmapSummary(figure) {
  const { rows, cols, values, rowLabels, colLabels } = figure;
  const axes = [figure.ylabel && `rows: ${figure.ylabel}`, figure.xlabel && `columns: ${figure.xlabel}`]
    .filter(Boolean).join(", ");
  const head = (kind) => [kind, figure.title && `"${figure.title}"`].filter(Boolean).join(" ")
    + (axes ? ` (${axes})` : "");
  if (figure.shade === "row") {
    let total = 0;
    let hits = 0;
    const misses = [];
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const v = values[r * cols + c];
        if (!finite(v)) continue;
        total += v;
        if (r === c) hits += v;
        else if (v > 0) misses.push({ r, c, v });
      }
    }
    misses.sort((a, b) => b.v - a.v);
    const n = (v) => formatNumber(v, true);
    let text = `${head("Confusion matrix")}: ${n(hits)} of ${n(total)} are right, on the diagonal`
      + ` (${percent(total ? hits / total : NaN)}); the diagonal cells are bold and outlined.`;
    if (misses.length) {
      text += " Most frequent mistakes: " + misses.slice(0, 3)
        .map((m) => `${rowLabels[m.r]} taken for ${colLabels[m.c]} (${n(m.v)} ${m.v === 1 ? "time" : "times"})`)
        .join(", ") + ".";
    } else {
      text += " No mistakes.";
    }
    return text;
  }
  const ok = values.filter(finite);
  const range = ok.length ? `, values from ${show(Math.min(...ok))} to ${show(Math.max(...ok))}` : "";
  return `${head("Heatmap")}: ${rows} rows by ${cols} columns${range}.`;
}

/**
 * Bars: "Bars "Class probabilities": highest 7 with 92%, then 1 with 4%."
 * @param {{values: number[], labels: string[], title?: string, format?: "number"|"percent", integers?: boolean}} figure
 */
export function barsSummary(figure) {
  const fmt = (v) => (figure.format === "percent" ? percent(v) : formatNumber(v, figure.integers));
  const order = figure.values.map((v, i) => [v, i]).filter(([v]) => finite(v)).sort((a, b) => b[0] - a[0]);
  const head = `Bars${figure.title ? ` "${figure.title}"` : ""}`;
  if (!order.length) return `${head}: no values yet.`;
  const top = order.slice(0, 2).map(([v, i]) => `${figure.labels[i]} with ${fmt(v)}`);
  return `${head}, ${figure.values.length} values: highest ${top.join(", then ")}.`;
}

/**
 * A grid of images: "12 images of 28 by 28 pixels, labelled 5, 0, 4, …".
 * @param {{count: number, width: number, height: number, labels?: string[], title?: string}} figure
 */
export function digitsSummary(figure) {
  const { count, width, height, labels } = figure;
  const what = `${count} ${count === 1 ? "image" : "images"} of ${width} by ${height} pixels`;
  const head = figure.title ? `"${figure.title}": ${what}` : what[0].toUpperCase() + what.slice(1);
  if (!labels?.length) return `${head}.`;
  const shown = labels.slice(0, 20).join(", ");
  return `${head}, labelled ${shown}${labels.length > 20 ? `, and ${labels.length - 20} more` : ""}.`;
}
