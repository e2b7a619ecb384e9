// Live charts of the lab's runs, drawn with uPlot: loss (test, train and the smoothed batch loss)
// and accuracy (test and train) against epochs, every run in its own colour on the same axes.

// Ten colours that stay distinct on the light and the dark palette.
export const RUN_COLORS = [
  "#4c8bf5", "#f28e2b", "#3fae72", "#e15759", "#b07aa1",
  "#17b1c4", "#d4b21f", "#ff8fa3", "#a47d5f", "#8f8f99",
];

function cssVar(name, fallback) {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

function theme() {
  return {
    text: cssVar("--md-default-fg-color--light", "#666"),
    grid: cssVar("--md-default-fg-color--lightest", "#ddd"),
  };
}

// Aligns [x, y] point lists onto one sorted x axis, as uPlot wants: [xs, ys1, ys2, ...] with
// null where a series has no point.
export function align(lists) {
  const xs = [...new Set(lists.flatMap((l) => l.map((p) => p[0])))].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const out = [xs];
  for (const l of lists) {
    const ys = new Array(xs.length).fill(null);
    for (const [x, y] of l) ys[index.get(x)] = Number.isFinite(y) ? y : null;
    out.push(ys);
  }
  return out;
}

function withAlpha(hex, alpha) {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

// One chart. `pick(run)` returns the series of a run: [{label, points, style}].
function makeChart(uPlot, root, { title, yLabel, pick, yRange }) {
  const box = document.createElement("div");
  box.className = "lab-chart__plot";
  const readout = document.createElement("figcaption");
  readout.className = "lab-chart__readout";
  root.append(box, readout);
  const HINT = "Point at the chart to read its values.";
  readout.textContent = HINT;
  let plot = null;
  let shape = "";
  let runs = [];

  let lastWidth = 400;
  function width() {
    // Tiny or 0 while the page is being laid out (a palette switch, an instant page change):
    // keep the last width; the resize observer corrects it once the layout settles.
    const w = box.clientWidth;
    if (w >= 100) lastWidth = Math.floor(w);
    return lastWidth;
  }

  function height() {
    return width() < 420 ? 200 : 240;
  }

  function series() {
    return runs.flatMap((run) => pick(run).map((s) => ({ run, ...s })));
  }

  function build(list) {
    plot?.destroy();
    box.innerHTML = "";
    const t = theme();
    const axis = {
      stroke: t.text,
      grid: { stroke: t.grid, width: 1 },
      ticks: { stroke: t.grid, width: 1 },
      font: "12px var(--md-text-font-family, sans-serif)",
      labelFont: "12px var(--md-text-font-family, sans-serif)",
    };
    const opts = {
      width: width(),
      height: height(),
      title,
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { size: 6 } },
      hooks: { setCursor: [(u) => showValues(u, list)] },
      scales: {
        x: { time: false, range: () => [0, Math.max(1, ...runs.map((r) => r.span || 0))] },
        y: { range: yRange },
      },
      axes: [
        { ...axis, label: "epoch", labelSize: 20, size: 36 },
        { ...axis, label: yLabel, labelSize: 20, size: 50 },
      ],
      series: [
        {},
        ...list.map((s) => {
          const color = s.style === "batch" ? withAlpha(s.run.color, 0.45) : s.run.color;
          return {
            label: `${s.run.label}: ${s.label}`,
            stroke: color,
            width: s.style === "batch" ? 1 : 2,
            dash: s.style === "train" ? [6, 4] : undefined,
            spanGaps: true,
            points: { show: s.style !== "batch", size: 5, fill: s.style === "train" ? "transparent" : color },
          };
        }),
      ],
    };
    plot = new uPlot(opts, align(list.map((s) => s.points)), box);
    root.dataset.series = String(list.length);
  }

  // The values under the cursor, grouped by run: "epoch 2 · sigmoid · momentum lr 4: test 0.2306, train 0.1785".
  function showValues(u, list) {
    const i = u.cursor.idx;
    if (i === null || i === undefined) {
      readout.textContent = HINT;
      return;
    }
    const x = u.data[0][i];
    const byRun = new Map();
    list.forEach((s, k) => {
      const y = u.data[k + 1][i];
      if (y === null || y === undefined) return;
      if (!byRun.has(s.run.id)) byRun.set(s.run.id, { run: s.run, parts: [] });
      byRun.get(s.run.id).parts.push(`${s.short} ${y.toFixed(4)}`);
    });
    const position = Number.isInteger(x) ? `epoch ${x}` : `epoch ${x.toFixed(2)}`;
    const groups = [...byRun.values()].map((g) => `${g.run.label}: ${g.parts.join(", ")}`);
    readout.textContent = groups.length ? `${position} · ${groups.join(" · ")}` : position;
  }

  function update(newRuns) {
    runs = newRuns;
    const list = series();
    const key = list.map((s) => `${s.run.id}/${s.label}/${s.run.color}`).join("|");
    if (!plot || key !== shape) {
      shape = key;
      build(list);
    } else {
      plot.setData(align(list.map((s) => s.points)));
    }
  }

  function resize() {
    if (plot && (plot.width !== width() || plot.height !== height())) {
      plot.setSize({ width: width(), height: height() });
    }
  }

  function rebuild() {
    // After the palette switch has been laid out, so sizes and colours are the new ones.
    requestAnimationFrame(() => {
      shape = "";
      update(runs);
    });
  }

  return { update, resize, rebuild, box, plot: () => plot };
}

// Both charts; update(runs) redraws them. A run is {id, label, color, span (epochs the x axis
// must show), epochs: [{epoch, train_loss, train_accuracy, test_loss, test_accuracy}],
// batches: [[epoch position, loss]]}.
export function createCharts(uPlot, root) {
  const lossBox = document.createElement("figure");
  lossBox.className = "lab-chart";
  const accBox = document.createElement("figure");
  accBox.className = "lab-chart";
  root.append(lossBox, accBox);

  const point = (key) => (run) => run.epochs.map((e) => [e.epoch, e[key]]);
  const loss = makeChart(uPlot, lossBox, {
    title: "Loss",
    yLabel: "cross-entropy",
    yRange: (u, min, max) => [0, Math.max(0.1, max ?? 1) * 1.05],
    pick: (run) => [
      { label: "test loss", short: "test", points: point("test_loss")(run), style: "test" },
      { label: "train loss", short: "train", points: point("train_loss")(run), style: "train" },
      { label: "batch loss (smoothed)", short: "batch", points: run.batches, style: "batch" },
    ],
  });
  const acc = makeChart(uPlot, accBox, {
    title: "Accuracy",
    yLabel: "accuracy",
    yRange: (u, min, max) => [Math.max(0, Math.min(0.8, Math.floor(((min ?? 0.8) - 0.02) * 20) / 20)), 1],
    pick: (run) => [
      { label: "test accuracy", short: "test", points: point("test_accuracy")(run), style: "test" },
      { label: "train accuracy", short: "train", points: point("train_accuracy")(run), style: "train" },
    ],
  });

  let updates = 0;
  const observer = new ResizeObserver(() => {
    loss.resize();
    acc.resize();
  });
  observer.observe(root);
  observer.observe(loss.box);
  observer.observe(acc.box);
  // Material switches palettes by changing this attribute; the axes take their colours from it.
  const themeWatch = new MutationObserver(() => {
    loss.rebuild();
    acc.rebuild();
  });
  themeWatch.observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });

  return {
    update(runs) {
      loss.update(runs);
      acc.update(runs);
      root.dataset.updates = String(++updates);
    },
    destroy() {
      observer.disconnect();
      themeWatch.disconnect();
    },
  };
}
