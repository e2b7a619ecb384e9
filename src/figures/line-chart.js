// Figure kind "chart": lines against x (uPlot).
//   {kind: "chart", x (numbers), series: [{name, values (numbers; null/undefined = gap), role?}],
//    title?, xlabel?, ylabel?, logy?, logx?}
// update(next) sets new data when the series are the same, else rebuilds: live training charts.

import { el } from "../ui/dom.js";
import { chartTheme, seriesStyle } from "../ui/theme.js";
import { createPlot } from "./plot.js";
import { frame } from "./common.js";
import { chartSummary } from "./summary.js";

const WHOLE_INCREMENTS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5];

/**
 * uPlot's data: x, then one column per series; a gap is null (Python's None arrives as undefined).
 * @param {{x: number[], series: {values: (number|null|undefined)[]}[]}} figure
 * @returns {(number|null)[][]}
 */
export function columns(figure) {
  return [figure.x, ...figure.series.map((s) => Array.from(s.values, (v) => v ?? null))];
}

/**
 * Which of uPlot's log-axis splits to keep: powers of ten only, every second or third of them
 * when the decades are crowded for a plot `height` CSS pixels tall.
 * @param {number[]} splits
 * @param {number} height
 * @returns {(number|null)[]}
 */
export function logDecades(splits, height) {
  const exps = splits.map((v) => (v > 0 ? Math.log10(v) : NaN));
  const whole = exps.filter((e) => Math.abs(e - Math.round(e)) < 1e-6).length;
  const every = Math.max(1, Math.ceil((whole * 18) / Math.max(height, 1)));
  return splits.map((v, i) => {
    const e = Math.round(exps[i]);
    return Math.abs(exps[i] - e) < 1e-6 && e % every === 0 ? v : null;
  });
}

/**
 * Labels of log-axis ticks: "0.001" .. "10000", else "1e-5" (uPlot's own shows 0.0001 as "0").
 * @param {(number|null)[]} splits
 * @returns {string[]}
 */
export function logTickLabels(splits) {
  return splits.map((v) => {
    if (v == null) return "";
    const e = Math.round(Math.log10(v));
    return e >= -3 && e <= 4 ? String(Number((10 ** e).toPrecision(1))) : `1e${e}`;
  });
}

const decadeFilter = (u, splits) => logDecades(splits, u.bbox.height / (window.devicePixelRatio || 1));
// The x axis: a decade's label is wider than tall, so it needs more room (about 40 px).
const decadeFilterX = (u, splits) => logDecades(splits, (u.bbox.width / (window.devicePixelRatio || 1)) * 18 / 40);

/**
 * @param {{x: number[], series: {name: string, values: any[]}[], title?: string,
 *          xlabel?: string, ylabel?: string, logy?: boolean, logx?: boolean, className?: string}} figure
 * @returns {import("./common.js").Drawn}
 */
export function drawLineChart(figure) {
  // The canvas is an image whose name is the chart in words (summary.js).
  const host = el("div", { class: "pycell-chart", role: "img", "aria-label": chartSummary(figure) });
  const node = frame("chart", figure, host);
  let current = figure;

  const options = () => {
    const fig = current;
    const { text, grid, font } = chartTheme();
    const axis = (label, extra = {}) => ({
      stroke: text, label: label || undefined, labelFont: font, font,
      grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, ...extra,
    });
    // x values that are all whole numbers (epochs, steps) get whole-number ticks.
    const wholeX = !fig.logx && fig.x.every(Number.isInteger);
    const series = [{ label: fig.xlabel || "x" }];
    fig.series.forEach((s, i) => {
      const present = s.values.filter((v) => v != null).length;
      const sparse = present < s.values.length / 2;
      const { color, dash } = seriesStyle(i, s.role);
      series.push({
        label: s.name, stroke: color, width: sparse ? 2 : 1.5, spanGaps: sparse, dash: dash || undefined,
        points: { show: sparse || present < 40, size: 5, fill: color },
      });
    });
    const logAxis = (filter) => ({ filter, values: (u, splits) => logTickLabels(splits),
      grid: { stroke: grid, width: 1, filter }, ticks: { stroke: grid, width: 1, filter } });
    return {
      series,
      scales: { x: fig.logx ? { time: false, distr: 3 } : { time: false }, y: fig.logy ? { distr: 3 } : {} },
      axes: [axis(fig.xlabel, fig.logx ? logAxis(decadeFilterX) : wholeX ? { incrs: WHOLE_INCREMENTS } : {}),
             axis(fig.ylabel, fig.logy ? logAxis(decadeFilter) : {})],
      legend: { live: false },
    };
  };

  const chart = createPlot(host, { options, data: () => columns(current) });
  return {
    node,
    update(next) {
      const sameShape = chart.plot() && next.series.length === current.series.length
        && next.series.every((s, i) => s.name === current.series[i].name) && next.logy === current.logy
        && next.logx === current.logx;
      current = next;
      host.setAttribute("aria-label", chartSummary(next));
      if (sameShape) chart.refresh();
      else chart.redraw();
    },
    destroy: () => chart.destroy(),
    settled: chart.drawn,
  };
}
