// The live charts of the lab's runs: loss (test, train and the smoothed batch loss) and accuracy
// (test and train) against epochs, every run in its own colour on the same axes. Built on the
// site's one uPlot wrapper (figures/plot.js); the runs' data come from the controller.

import { el } from "../../ui/dom.js";
import { chartTheme, palette, SERIES_COLORS } from "../../ui/theme.js";
import { createPlot } from "../../figures/index.js";
import { describeSeries } from "../../figures/summary.js";

const HINT = "Point at the chart to read its values.";

/**
 * Aligns [x, y] point lists onto one sorted x axis, as uPlot wants: [xs, ys1, ys2, ...] with
 * null where a series has no point.
 * @param {[number, number|null][][]} lists
 */
export function align(lists) {
  const xs = [...new Set(lists.flatMap((l) => l.map((p) => p[0])))].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  return [xs, ...lists.map((l) => {
    const ys = new Array(xs.length).fill(null);
    for (const [x, y] of l) ys[index.get(x)] = Number.isFinite(y) ? y : null;
    return ys;
  })];
}

const point = (key) => (run) => run.epochs.map((e) => [e.epoch, e[key]]);
const CHARTS = [
  {
    title: "Loss", yLabel: "cross-entropy", yRange: (u, min, max) => [0, Math.max(0.1, max ?? 1) * 1.05],
    pick: (run) => [
      { label: "test loss", short: "test", points: point("test_loss")(run), style: "test" },
      { label: "train loss", short: "train", points: point("train_loss")(run), style: "train" },
      { label: "batch loss (smoothed)", short: "batch", points: run.batches, style: "batch" },
    ],
  },
  {
    title: "Accuracy", yLabel: "accuracy",
    yRange: (u, min) => [Math.max(0, Math.min(0.8, Math.floor(((min ?? 0.8) - 0.02) * 20) / 20)), 1],
    pick: (run) => [
      { label: "test accuracy", short: "test", points: point("test_acc")(run), style: "test" },
      { label: "train accuracy", short: "train", points: point("train_acc")(run), style: "train" },
    ],
  },
];

// "#rrggbb" -> "rgba(r, g, b, alpha)" (a canvas does not take color-mix()).
function withAlpha(hex, alpha) {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

function seriesOptions(s, color) {
  const batch = s.style === "batch";
  return {
    label: `${s.run.label}: ${s.label}`, stroke: batch ? withAlpha(color, 0.45) : color,
    width: batch ? 1 : 2, dash: s.style === "train" ? [6, 4] : undefined, spanGaps: true,
    points: { show: !batch, size: 5, fill: s.style === "train" ? "transparent" : color },
  };
}

// "epoch 2 · sigmoid · momentum lr 4: test 0.2306, train 0.1785"
function readoutText(u, list) {
  const i = u.cursor.idx;
  if (i === null || i === undefined) return HINT;
  const byRun = new Map();
  list.forEach((s, k) => {
    const y = u.data[k + 1][i];
    if (y === null || y === undefined) return;
    if (!byRun.has(s.run.id)) byRun.set(s.run.id, { run: s.run, parts: [] });
    byRun.get(s.run.id).parts.push(`${s.short} ${y.toFixed(4)}`);
  });
  const x = u.data[0][i];
  const where = Number.isInteger(x) ? `epoch ${x}` : `epoch ${x.toFixed(2)}`;
  const groups = [...byRun.values()].map((g) => `${g.run.label}: ${g.parts.join(", ")}`);
  return groups.length ? `${where} · ${groups.join(" · ")}` : where;
}

/** A run's number, as the legend and the charts show it: "run-3" -> "#3". */
export const runTag = (run) => `#${String(run.id).replace(/^run-/, "")}`;

// The chart in words, its text alternative: "Accuracy: #1 relu · sgd lr 0.05: test accuracy
// rose from 0.84 to 0.92 over 3 epochs; …".
function chartText(spec, list) {
  const parts = list.filter((s) => s.style !== "batch").map((s) => describeSeries(`${runTag(s.run)} ${s.run.label}: ${s.label}`,
    s.points.map((p) => p[0]), s.points.map((p) => p[1]), "epoch"));
  return `${spec.title} chart: ${parts.length ? parts.join("; ") : "no runs yet"}.`;
}

// Each run's number at the end of its test curve, so runs differ in text, not only in colour.
function drawTags(u, list, colors) {
  const dpr = window.devicePixelRatio || 1;
  const ctx = u.ctx;
  ctx.save();
  ctx.font = `700 ${Math.round(11 * dpr)}px sans-serif`;
  ctx.textBaseline = "bottom";
  list.forEach((s, k) => {
    if (s.style !== "test") return;
    const ys = u.data[k + 1];
    let i = ys.length - 1;
    while (i >= 0 && (ys[i] === null || ys[i] === undefined)) i--;
    if (i < 0) return;
    ctx.fillStyle = colors[s.run.color];
    const x = Math.min(u.valToPos(u.data[0][i], "x", true) + 3 * dpr, u.bbox.left + u.bbox.width - 16 * dpr);
    ctx.fillText(runTag(s.run), x, u.valToPos(ys[i], "y", true) - 3 * dpr);
  });
  ctx.restore();
}

// One chart: a <figure class="lab-chart"> whose data-series counts its series.
function runChart(spec, getRuns) {
  const host = el("div", { class: "lab-chart__plot", role: "img", "aria-label": `${spec.title} chart: no runs yet.` });
  const readout = el("figcaption", { class: "lab-chart__readout", text: HINT });
  const node = el("figure", { class: "lab-chart" }, host, readout);
  let list = [];
  const series = () => getRuns().flatMap((run) => spec.pick(run).map((s) => ({ run, ...s })));
  const options = () => {
    const { text, grid, font } = chartTheme();
    const colors = palette(SERIES_COLORS);
    const axis = { stroke: text, font, labelFont: font, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const runs = getRuns();
    return {
      title: spec.title, legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { size: 6 } },
      hooks: { setCursor: [(u) => { readout.textContent = readoutText(u, list); }], draw: [(u) => drawTags(u, list, colors)] },
      scales: { x: { time: false, range: () => [0, Math.max(1, ...runs.map((r) => r.span || 0))] }, y: { range: spec.yRange } },
      axes: [{ ...axis, label: "epoch", labelSize: 20, size: 36 }, { ...axis, label: spec.yLabel, labelSize: 20, size: 50 }],
      series: [{}, ...list.map((s) => seriesOptions(s, colors[s.run.color]))],
    };
  };
  const plot = createPlot(host, {
    options, data: () => align(list.map((s) => s.points)), height: (w) => (w < 420 ? 200 : 240), minWidth: 100,
  });
  let shape = "";
  return {
    node,
    update() {
      list = series();
      host.setAttribute("aria-label", chartText(spec, list));
      const key = list.map((s) => `${s.run.id}/${s.label}/${s.run.color}`).join("|");
      node.dataset.series = String(list.length);
      if (key === shape && plot.plot()) return plot.refresh();
      shape = key;
      plot.redraw();
    },
    destroy: () => plot.destroy(),
  };
}

/**
 * The charts' box, its legend and key. `render()` redraws from the controller's runs; the
 * box's data-updates counts redraws and data-epochs holds the shown run's epochs (tests read them).
 * @param {import("../controller.js").LabController} lab
 */
export function chartsView(lab) {
  const runs = () => lab.runs.map((run) => ({
    ...run,
    // How far along the epoch axis the run goes: all its epochs while it trains, so its curves
    // grow into a fixed frame; where it ended once it is over.
    span: run === lab.training ? run.config.epochs
      : Math.max(run.epochs.at(-1)?.epoch ?? 0, run.batches.at(-1)?.[0] ?? 0),
  }));
  const charts = CHARTS.map((spec) => runChart(spec, runs));
  const box = el("div", { class: "lab-charts" }, charts.map((c) => c.node));
  const legend = el("ul", { class: "lab-legend", "aria-label": "Runs on the charts" });
  const key = el("p", { class: "lab-key" }, [["", "test set"], ["lab-key__line--train", "training set"], ["lab-key__line--batch", "batch loss, smoothed"]]
    .map(([cls, text]) => el("span", { class: "lab-key__item" }, el("span", { class: `lab-key__line ${cls}` }), text)));
  let updates = 0;

  function render(what) {
    if (what === "status" || what === "prediction") return;
    for (const c of charts) c.update();
    box.dataset.updates = String(++updates);
    box.dataset.epochs = String(lab.shownRun()?.epochs.length ?? 0);
    legend.replaceChildren(...lab.runs.filter((r) => r.epochs.length || r.batches.length).map((run) => el("li", {
      class: "lab-legend__item", style: `--lab-run-color: var(--site-series-${run.color + 1})`,
    }, el("span", { class: "lab-run__swatch", "aria-hidden": "true" }), ` ${runTag(run)} ${run.label}`)));
  }

  return { nodes: [box, legend, key], render, destroy: () => charts.forEach((c) => c.destroy()) };
}
