// Python cells: fenced Python blocks marked as cells become editors with Run, Stop,
// Reset and Copy; their code runs in the site's Python worker (runtime.js).
//
// For page writers
// ----------------
// Mark a block with the `cell` class (pymdownx.superfences attribute syntax):
//
//     ```{.python .cell}
//     import numpy as np
//     print(np.arange(3))
//     ```
//
// Plain ```python blocks stay plain. A second marker, `.expect-error`, labels a cell
// that raises on purpose (to show an error message): it is never run automatically
// as a "cell above", and the test of every page expects its error.
//
// The cells of one page share one namespace, like a notebook. Running a cell first
// runs the cells above it that have not run yet (and says so in the cell). Output:
// stdout and stderr stream in; the value of a last expression is shown; an exception
// shows its traceback. Figures come from the `page` module (docs/javascripts/page.py):
//
//     import page
//     page.digits(images, labels=None, title=None)           # (n, 784) or (n, 28, 28)
//     page.chart(x, {"name": values, ...}, title=None, xlabel=None, ylabel=None, logy=False)
//     page.bars(values, labels=None, title=None, highlight=None)
//     page.heatmap(matrix, row_labels=None, col_labels=None, title=None, xlabel=None, ylabel=None)
//     page.send(kind, **payload)                             # a "cells:message" DOM event
//     mlp.Trainer(..., callbacks=[page.ProgressCallback()])  # live loss and accuracy charts
//
// The data file is at /data/mnist-subset.npz in Python's file system.
//
// For tests: every cell is `div.pycell[data-cell-index][data-cell-state]` with state
// idle | queued | running | done | error | stopped; `window.__cells` has
// ready(), list(), run(i), runAll(), getCode(i), setCode(i, code) and stop().

import { runtime } from "./runtime.js";

const SITE_ROOT = new URL("..", import.meta.url);
const EDITOR_URL = new URL("assets/vendor/editor.js", SITE_ROOT).href;
const UPLOT_JS = new URL("assets/vendor/uplot/uPlot.iife.min.js", SITE_ROOT).href;
const UPLOT_CSS = new URL("assets/vendor/uplot/uPlot.min.css", SITE_ROOT).href;
const STORE_PREFIX = "cells:v1:";
const SAVE_DELAY_MS = 400;
const FLUSH_MS = 200;            // output reaches the DOM at most 5 times a second
const MAX_TEXT = 200_000;        // characters kept per output block
const IS_MAC = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
const RUN_KEYS = IS_MAC ? "⌘+Enter" : "Ctrl+Enter";

const ICONS = {
  run: "M8 5.14v14l11-7z",
  stop: "M18 18H6V6h12z",
  reset: "M13 3a9 9 0 0 0-9 9H1l3.89 3.89.07.14L9 12H6a7 7 0 0 1 7-7 7 7 0 0 1 7 7 7 7 0 0 1-7 7c-1.93 0-3.68-.79-4.94-2.06l-1.42 1.42A8.9 8.9 0 0 0 13 21a9 9 0 0 0 9-9 9 9 0 0 0-9-9",
  copy: "M19 21H8V7h11m0-2H8a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h11a2 2 0 0 0 2-2V7a2 2 0 0 0-2-2m-3-4H4a2 2 0 0 0-2 2v14h2V3h12z",
  check: "M21 7 9 19l-5.5-5.5 1.41-1.41L9 16.17 19.59 5.59z",
  alert: "M11 15h2v2h-2zm0-8h2v6h-2zm1-5C6.47 2 2 6.5 2 12a10 10 0 0 0 10 10 10 10 0 0 0 10-10A10 10 0 0 0 12 2m0 18a8 8 0 0 1-8-8 8 8 0 0 1 8-8 8 8 0 0 1 8 8 8 8 0 0 1-8 8",
  retry: "M17.65 6.35A7.96 7.96 0 0 0 12 4a8 8 0 0 0-8 8 8 8 0 0 0 8 8c3.73 0 6.84-2.55 7.73-6h-2.08A5.99 5.99 0 0 1 12 18a6 6 0 0 1-6-6 6 6 0 0 1 6-6c1.66 0 3.14.69 4.22 1.78L13 11h7V4z",
};

// ---- small DOM helpers ---------------------------------------------------------------------

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children) if (child != null) node.append(child);
  return node;
}

function icon(name) {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("class", "pycell__icon");
  const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
  path.setAttribute("d", ICONS[name]);
  svg.append(path);
  return svg;
}

function seconds(ms) {
  if (ms < 1000) return `${Math.max(1, Math.round(ms))} ms`;
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

function cssVar(name, fallback) {
  const value = getComputedStyle(document.body).getPropertyValue(name).trim();
  return value || fallback;
}

function enable(button, on) {
  button.setAttribute("aria-disabled", on ? "false" : "true");
}

function plural(n, word) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

// ---- saved edits ---------------------------------------------------------------------------

function pagePath() {
  return location.pathname.replace(/index\.html$/, "");
}

function fingerprint(text) {
  // FNV-1a: tells whether the page's own code changed since an edit was saved.
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36) + ":" + text.length;
}

const store = {
  key: (path, index) => `${STORE_PREFIX}${path}#${index}`,
  load(path, index) {
    try {
      const raw = localStorage.getItem(this.key(path, index));
      return raw ? JSON.parse(raw) : null;
    } catch {
      return null;
    }
  },
  save(path, index, code, original) {
    const key = this.key(path, index);
    if (code === original) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify({ code, original: fingerprint(original), saved: Date.now() }));
  },
  clear(path, index) {
    try { localStorage.removeItem(this.key(path, index)); } catch { /* storage unavailable */ }
  },
};

// ---- lazily loaded libraries ---------------------------------------------------------------

let editorModule = null;
function loadEditor() {
  editorModule ??= import(EDITOR_URL);
  return editorModule;
}

let uplotReady = null;
function loadUplot() {
  uplotReady ??= new Promise((resolve, reject) => {
    if (globalThis.uPlot) return resolve(globalThis.uPlot);
    document.head.append(el("link", { rel: "stylesheet", href: UPLOT_CSS }));
    const script = el("script", { src: UPLOT_JS });
    script.onload = () => resolve(globalThis.uPlot);
    script.onerror = () => { uplotReady = null; reject(new Error(`could not load ${UPLOT_JS}`)); };
    document.head.append(script);
  });
  return uplotReady;
}

// Charts are drawn on canvases with concrete colours: redraw them when the palette changes.
const themed = new Set();
new MutationObserver(() => { for (const redraw of themed) redraw(); })
  .observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });

// ---- figures -------------------------------------------------------------------------------

function caption(title) {
  return title ? el("figcaption", { class: "pycell-fig__title", text: title }) : null;
}

function drawDigits(figure) {
  const { count, height, width, labels, title } = figure;
  const pixels = figure.pixels instanceof Uint8Array ? figure.pixels : new Uint8Array(figure.pixels);
  const grid = el("div", { class: "pycell-digits" });
  for (let i = 0; i < count; i++) {
    const canvas = el("canvas", {
      width, height, class: "pycell-digits__image", role: "img",
      "aria-label": labels ? `image ${i + 1}, label ${labels[i]}` : `image ${i + 1}`,
    });
    const ctx = canvas.getContext("2d");
    const image = ctx.createImageData(width, height);
    const offset = i * width * height;
    for (let p = 0; p < width * height; p++) {
      const v = pixels[offset + p];
      image.data[4 * p] = image.data[4 * p + 1] = image.data[4 * p + 2] = v;
      image.data[4 * p + 3] = 255;
    }
    ctx.putImageData(image, 0, 0);
    const scale = Math.max(1, Math.round(56 / Math.max(width, height)));
    canvas.style.width = `${width * scale}px`;
    canvas.style.height = `${height * scale}px`;
    grid.append(el("div", { class: "pycell-digits__item" }, canvas,
      labels ? el("span", { class: "pycell-digits__label", text: labels[i] }) : null));
  }
  const node = el("figure", { class: "pycell-fig pycell-fig--digits" }, caption(title), grid);
  return { node };
}

function formatNumber(value, integers) {
  if (integers) return Math.round(value).toLocaleString("en-US");
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 0.001 || abs >= 1e5)) return value.toExponential(2);
  return value.toFixed(abs < 1 ? 3 : 2).replace(/\.?0+$/, (m) => (m.startsWith(".") ? "" : m));
}

function drawBars(figure) {
  const { values, labels, highlight, integers, title } = figure;
  const max = Math.max(...values, 0) || 1;
  const list = el("div", { class: "pycell-bars", role: "list" });
  values.forEach((value, i) => {
    const row = el("div", {
      class: "pycell-bars__row" + (i === highlight ? " pycell-bars__row--highlight" : ""),
      role: "listitem",
    },
    el("span", { class: "pycell-bars__label", text: labels[i] }),
    el("span", { class: "pycell-bars__track", "aria-hidden": "true" },
      el("span", { class: "pycell-bars__bar", style: `width: ${(100 * value) / max}%` })),
    el("span", { class: "pycell-bars__value", text: formatNumber(value, integers) }));
    list.append(row);
  });
  return { node: el("figure", { class: "pycell-fig pycell-fig--bars" }, caption(title), list) };
}

function drawHeatmap(figure) {
  const { rows, cols, values, rowLabels, colLabels, integers, title, xlabel, ylabel } = figure;
  const finite = values.filter(Number.isFinite);
  const lo = Math.min(...finite, 0);
  const hi = Math.max(...finite);
  const span = hi - lo || 1;
  const showNumbers = rows <= 24 && cols <= 24;
  const table = el("table", { class: "pycell-heatmap" + (showNumbers ? "" : " pycell-heatmap--dense") });
  const head = el("tr", {}, el("td", { class: "pycell-heatmap__corner" }));
  for (const label of colLabels) head.append(el("th", { scope: "col", text: label }));
  const body = el("tbody");
  for (let r = 0; r < rows; r++) {
    const tr = el("tr", {}, el("th", { scope: "row", text: rowLabels[r] }));
    for (let c = 0; c < cols; c++) {
      const v = values[r * cols + c];
      const share = (v - lo) / span;
      const td = el("td", {
        style: `--pycell-share: ${Math.round(share * 100)}%`,
        // Where the text turns to the light-on-dark colour depends on the palette (site.css).
        class: share > 0.7 ? "pycell-heatmap__strong pycell-heatmap__stronger"
          : share > 0.55 ? "pycell-heatmap__strong" : undefined,
        title: `${rowLabels[r]}, ${colLabels[c]}: ${formatNumber(v, integers)}`,
        text: showNumbers ? formatNumber(v, integers) : "",
      });
      tr.append(td);
    }
    body.append(tr);
  }
  table.append(el("thead", {}, head), body);
  const axes = [ylabel && `rows: ${ylabel}`, xlabel && `columns: ${xlabel}`].filter(Boolean).join(" · ");
  const node = el("figure", { class: "pycell-fig pycell-fig--heatmap" }, caption(title),
    axes ? el("p", { class: "pycell-fig__axes", text: axes }) : null,
    el("div", { class: "pycell-heatmap__scroll" }, table));
  return { node };
}

function chartColors(n) {
  const colors = [];
  for (let i = 0; i < n; i++) colors.push(cssVar(`--pycell-series-${(i % 6) + 1}`, "#3f51b5"));
  return colors;
}

// uPlot's data: x, then one column per series; a gap is null (Python's None arrives as undefined).
function columns(figure) {
  return [figure.x, ...figure.series.map((s) => Array.from(s.values, (v) => v ?? null))];
}

const WHOLE_INCREMENTS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5];

// A log axis: ticks, grid lines and labels at powers of ten only (uPlot's default number
// format shows 0.0001 as "0"), at every second or third of them when the decades are crowded.
function logDecades(u, splits) {
  const exps = splits.map((v) => (v > 0 ? Math.log10(v) : NaN));
  const whole = exps.filter((e) => Math.abs(e - Math.round(e)) < 1e-6).length;
  const height = u.bbox.height / (window.devicePixelRatio || 1);
  const every = Math.max(1, Math.ceil((whole * 18) / Math.max(height, 1)));
  return splits.map((v, i) => {
    const e = Math.round(exps[i]);
    return Math.abs(exps[i] - e) < 1e-6 && e % every === 0 ? v : null;
  });
}

function logTickLabels(u, splits) {
  return splits.map((v) => {
    if (v == null) return "";
    const e = Math.round(Math.log10(v));
    return e >= -3 && e <= 4 ? String(Number((10 ** e).toPrecision(1))) : `1e${e}`;
  });
}

function drawChart(figure) {
  const host = el("div", { class: "pycell-chart", role: "img",
    "aria-label": `Line chart${figure.title ? ": " + figure.title : ""}; series ${figure.series.map((s) => s.name).join(", ")}` });
  const node = el("figure", { class: "pycell-fig pycell-fig--chart" }, caption(figure.title), host);
  let plot = null;
  let current = figure;
  let failed = false;

  const build = (uPlot) => {
    plot?.destroy();
    const fig = current;
    const colors = chartColors(fig.series.length);
    const text = cssVar("--md-default-fg-color--light", "#666");
    const grid = cssVar("--md-default-fg-color--lightest", "#ddd");
    const font = `11px ${getComputedStyle(document.body).fontFamily || "sans-serif"}`;
    const axis = (label, extra = {}) => ({
      stroke: text, label: label || undefined, labelFont: font, font,
      grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, ...extra,
    });
    // x values that are all whole numbers (epochs, steps) get whole-number ticks.
    const wholeX = fig.x.every(Number.isInteger);
    const series = [{ label: fig.xlabel || "x" }];
    fig.series.forEach((s, i) => {
      const present = s.values.filter((v) => v != null).length;
      const sparse = present < s.values.length / 2;
      series.push({
        label: s.name, stroke: colors[i], width: sparse ? 2 : 1.5, spanGaps: sparse,
        points: { show: sparse || present < 40, size: 5, fill: colors[i] },
      });
    });
    const width = Math.max(240, host.clientWidth || node.clientWidth || 600);
    plot = new uPlot({
      width, height: width < 500 ? 200 : 260,
      series,
      scales: { x: { time: false }, y: fig.logy ? { distr: 3 } : {} },
      axes: [axis(fig.xlabel, wholeX ? { incrs: WHOLE_INCREMENTS } : {}),
             axis(fig.ylabel, fig.logy ? { filter: logDecades, values: logTickLabels,
               grid: { stroke: grid, width: 1, filter: logDecades },
               ticks: { stroke: grid, width: 1, filter: logDecades } } : {})],
      legend: { live: false },
    }, columns(fig), host);
  };

  const draw = () => loadUplot().then(build).catch((error) => {
    if (failed) return;
    failed = true;
    host.replaceChildren(el("p", { class: "pycell-fig__error", text: `The chart could not be drawn: ${error.message}` }));
  });
  draw();
  const resize = new ResizeObserver(() => {
    if (!plot) return;
    const width = Math.max(240, host.clientWidth);
    if (Math.abs(width - plot.width) > 1) plot.setSize({ width, height: width < 500 ? 200 : 260 });
  });
  resize.observe(host);
  themed.add(draw);
  return {
    node,
    update(next) {
      const sameShape = plot && next.series.length === current.series.length
        && next.series.every((s, i) => s.name === current.series[i].name) && next.logy === current.logy;
      current = next;
      if (sameShape) plot.setData(columns(next));
      else draw();
    },
    destroy() {
      themed.delete(draw);
      resize.disconnect();
      plot?.destroy();
    },
  };
}

const DRAW = { digits: drawDigits, chart: drawChart, bars: drawBars, heatmap: drawHeatmap };

// ---- a cell's output -----------------------------------------------------------------------

class Output {
  constructor(node) {
    this.node = node;
    this.figures = new Map();    // key -> drawn figure
    this.drawn = [];
    this.pending = [];           // [kind, text] not yet in the DOM
    this.timer = null;
    this.lastFlush = 0;
    this.block = null;           // the current text block: {pre, segments}
    this.progress = null;
  }

  clear() {
    clearTimeout(this.timer);
    this.timer = null;
    this.pending = [];
    for (const f of this.drawn) f.destroy?.();
    this.drawn = [];
    this.figures.clear();
    this.block = null;
    this.progress = null;
    this.node.replaceChildren();
    this.node.hidden = true;
  }

  _show(child) {
    this.node.hidden = false;
    this.node.append(child);
  }

  text(kind, text) {
    this.pending.push([kind, text]);
    if (this.timer) return;
    const wait = Math.max(0, this.lastFlush + FLUSH_MS - performance.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  flush() {
    clearTimeout(this.timer);
    this.timer = null;
    if (!this.pending.length) return;
    this.lastFlush = performance.now();
    if (!this.block) {
      const pre = el("pre", { class: "pycell__text" });
      this.block = { pre, segments: [], shown: [] };
      this._show(pre);
    }
    const { segments, pre } = this.block;
    let rewrite = false;
    for (const [kind, raw] of this.pending.splice(0)) {
      const parts = raw.replace(/\r\n/g, "\n").split("\r");
      parts.forEach((part, i) => {
        if (i > 0) {
          carriageReturn(segments);
          rewrite = true;
        }
        if (!part) return;
        const last = segments[segments.length - 1];
        if (last && last.kind === kind) last.text += part;
        else segments.push({ kind, text: part });
      });
    }
    rewrite = trim(segments) || rewrite;
    const atBottom = pre.scrollHeight - pre.scrollTop - pre.clientHeight < 8;
    const node = (kind, text) => (kind === "stdout" ? document.createTextNode(text)
      : el("span", { class: kind === "stderr" ? "pycell__stderr" : "pycell__dropped", text }));
    // Usually text only grows: append what is new, so a screen reader hears only that.
    const shown = this.block.shown;  // characters of each segment already in the DOM
    if (rewrite) {
      pre.replaceChildren(...segments.map((seg) => node(seg.kind, seg.text)));
      this.block.shown = segments.map((seg) => seg.text.length);
    } else {
      const added = [];
      segments.forEach((seg, i) => {
        const have = shown[i] ?? 0;
        if (seg.text.length > have) added.push(node(seg.kind, seg.text.slice(have)));
        shown[i] = seg.text.length;
      });
      pre.append(...added);
    }
    if (atBottom) pre.scrollTop = pre.scrollHeight;
  }

  figure(figure) {
    this.flush();
    const existing = figure.key ? this.figures.get(figure.key) : null;
    if (existing?.update) {
      existing.update(figure);
      return;
    }
    const draw = DRAW[figure.kind];
    let drawn;
    try {
      if (!draw) throw new Error(`unknown figure kind ${JSON.stringify(figure.kind)}`);
      drawn = draw(figure);
    } catch (error) {
      drawn = { node: el("p", { class: "pycell-fig__error", text: `The figure could not be drawn: ${error.message}` }) };
    }
    const group = figure.key?.includes("#") ? figure.key.slice(0, figure.key.indexOf("#")) : null;
    const sibling = !existing && group ? this.lastOfGroup(group) : null;
    if (existing) existing.node.replaceWith(drawn.node);
    else if (sibling) sibling.node.after(drawn.node);
    else {
      this.block = null; // text after a new figure starts a new block below it
      this._show(drawn.node);
    }
    drawn.group = group;
    if (existing) existing.destroy?.();
    if (figure.key) this.figures.set(figure.key, drawn);
    this.drawn.push(drawn);
  }

  lastOfGroup(group) {
    // Figures keyed "name#part" stay together: a new part goes after the last one shown.
    let last = null;
    for (const f of this.drawn) if (f.group === group && f.node.isConnected) last = f;
    return last;
  }

  showProgress(message) {
    if (!this.progress) {
      const bar = el("progress", { max: 1, value: 0 });
      const label = el("span", { class: "pycell-progress__text" });
      this.progress = { node: el("div", { class: "pycell-progress" }, bar, label), bar, label };
      this.flush();
      this.block = null;
      this._show(this.progress.node);
    }
    const { bar, label } = this.progress;
    if (message.done) {
      bar.value = 1;
      label.textContent = message.stop_reason && message.stop_reason !== "finished"
        ? `Stopped after epoch ${message.epoch}: ${message.stop_reason}` : `Finished ${plural(message.epoch, "epoch")}`;
      return;
    }
    const total = message.epochs * message.batches;
    bar.value = total ? ((message.epoch - 1) * message.batches + message.batch) / total : 0;
    label.textContent = `epoch ${message.epoch}/${message.epochs} · batch ${message.batch}/${message.batches}`
      + ` · loss ${Number(message.loss).toFixed(4)}`;
  }

  note(text, { kind = "info", action = null } = {}) {
    const node = el("p", { class: `pycell__note pycell__note--${kind}` }, text);
    if (action) node.append(" ", action);
    this.node.hidden = false;
    this.node.append(node);
    return node;
  }

  value(text) {
    this.flush();
    this.block = null;
    this._show(el("pre", { class: "pycell__value", "aria-label": "Value of the last line", text }));
  }

  error(text) {
    this.flush();
    this.block = null;
    this._show(el("pre", { class: "pycell__error", text }));
  }
}

function carriageReturn(segments) {
  // "\r": what follows overwrites the current line, as in a terminal.
  for (let i = segments.length - 1; i >= 0; i--) {
    const cut = segments[i].text.lastIndexOf("\n");
    if (cut >= 0) {
      segments[i].text = segments[i].text.slice(0, cut + 1);
      segments.length = i + 1;
      return;
    }
  }
  segments.length = 0;
}

function trim(segments) {
  // Keeps the last MAX_TEXT characters; true if anything was dropped.
  let total = segments.reduce((n, s) => n + (s.kind === "note" ? 0 : s.text.length), 0);
  if (total <= MAX_TEXT) return false;
  if (segments[0]?.kind === "note") segments.shift();
  while (total > MAX_TEXT && segments.length) {
    const extra = total - MAX_TEXT;
    const first = segments[0];
    if (first.text.length <= extra) {
      total -= first.text.length;
      segments.shift();
    } else {
      first.text = first.text.slice(extra);
      total -= extra;
    }
  }
  segments.unshift({ kind: "note", text: "[earlier output dropped]\n" });
  return true;
}

// ---- one cell ------------------------------------------------------------------------------

class Cell {
  constructor(page, block, index) {
    this.page = page;
    this.index = index;
    this.number = index + 1;
    this.expectError = block.classList.contains("expect-error");
    const codeNode = block.querySelector("code") || block;
    this.original = codeNode.textContent.replace(/\n$/, "");
    this.code = this.original;
    this.editor = null;
    this.state = "idle";
    this.generation = -1;         // runtime.generation of the last successful run
    this.saveTimer = null;
    this.startedAt = 0;
    this.tick = null;

    const saved = store.load(page.path, index);
    this.staleEdit = false;
    if (saved && typeof saved.code === "string" && saved.code !== this.original) {
      this.code = saved.code;
      this.staleEdit = saved.original !== fingerprint(this.original);
    }

    const label = `cell ${this.number}`;
    this.runButton = this.button("run", "Run", `Run ${label}`, `Run (${RUN_KEYS} or Shift+Enter in the code)`,
      () => page.run(this));
    this.stopButton = this.button("stop", "Stop", `Stop ${label}`, "Stop the running code", () => page.stop(this));
    this.resetButton = this.button("reset", "Reset", `Reset ${label} to the page's code`,
      "Restore the original code", () => this.reset());
    this.copyButton = this.button("copy", "Copy", `Copy the code of ${label}`, "Copy the code", () => this.copy());
    enable(this.stopButton, false);
    this.edited = el("span", { class: "pycell__edited", text: "edited", title: "Your edit is saved in this browser" });
    this.statusText = el("span", { class: "pycell__status-text", "aria-hidden": "true" });
    this.statusIcon = el("span", { class: "pycell__status-icon", "aria-hidden": "true" });
    this.live = el("span", { class: "pycell__sr", role: "status" });
    this.codeHost = el("div", { class: "pycell__code" });
    this.outputNode = el("div", { class: "pycell__output", "aria-live": "polite", "aria-label": `Output of ${label}`, hidden: true });
    this.output = new Output(this.outputNode);
    this.root = el("div", {
      class: "pycell", role: "group", "aria-label": `Python ${label}`,
      "data-cell-index": index, "data-cell-state": "idle", "data-expect": this.expectError ? "error" : null,
    },
    this.codeHost,
    el("div", { class: "pycell__bar" },
      el("div", { class: "pycell__buttons" }, this.runButton, this.stopButton, this.resetButton, this.copyButton),
      el("div", { class: "pycell__status" }, this.edited, this.statusIcon, this.statusText, this.live)),
    this.outputNode);

    block.replaceWith(this.root);
    // Until the editor arrives, the highlighted block stays visible (read-only).
    this.staticBlock = block;
    if (this.code !== this.original) {
      this.staticBlock = el("div", { class: "highlight" }, el("pre", {}, el("code", { text: this.code })));
    }
    this.codeHost.append(this.staticBlock);
    this.updateEdited();
    if (this.expectError) this.setStatus("", "This cell raises an error on purpose");
    else this.setStatus("", "");
    if (this.staleEdit) {
      this.staleNote = this.output.note("The page's code for this cell has changed since you edited it. "
        + "Your edit is shown; Reset shows the new code.", { kind: "warning" });
    }
  }

  button(name, text, ariaLabel, title, onclick) {
    // aria-disabled, not disabled: a focused button keeps the focus while it is unavailable.
    const button = el("button", {
      type: "button", class: `pycell__btn pycell__btn--${name}`, "aria-label": ariaLabel, title,
      "aria-disabled": "false",
      onclick: () => { if (button.getAttribute("aria-disabled") !== "true") onclick(); },
    }, icon(name), el("span", { class: "pycell__btn-text", text }));
    return button;
  }

  async attachEditor() {
    try {
      const { createEditor } = await loadEditor();
      if (this.disposed) return;
      const host = el("div", { class: "pycell__editor" });
      this.editor = createEditor({
        parent: host,
        doc: this.code,
        label: `Python code of cell ${this.number}. ${RUN_KEYS} or Shift+Enter runs it; Escape then Tab leaves the editor.`,
        onChange: (code) => this.changed(code),
        onRun: () => this.page.run(this),
      });
      this.staticBlock.replaceWith(host);
      this.staticBlock = null;
    } catch (error) {
      this.setStatus("", `The editor could not be loaded (${error.message}); the code runs as shown.`);
    }
  }

  getCode() {
    return this.editor ? this.editor.getCode() : this.code;
  }

  setCode(code) {
    if (this.editor) this.editor.setCode(code);
    else this.changed(code);
  }

  changed(code) {
    this.code = code;
    this.updateEdited();
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.save(), SAVE_DELAY_MS);
  }

  save() {
    clearTimeout(this.saveTimer);
    this.saveTimer = null;
    try {
      store.save(this.page.path, this.index, this.getCode(), this.original);
    } catch (error) {
      this.setStatus("", `Your edit could not be saved in this browser: ${error.message}`);
    }
  }

  updateEdited() {
    const edited = this.code !== this.original;
    this.edited.hidden = !edited;
    enable(this.resetButton, edited);
    this.root?.classList.toggle("pycell--edited", edited);
  }

  reset() {
    clearTimeout(this.saveTimer);
    this.saveTimer = null;
    store.clear(this.page.path, this.index);
    if (this.editor) this.editor.setCode(this.original);
    this.code = this.original;
    if (this.staticBlock && !this.editor) {
      this.staticBlock.querySelector("code").textContent = this.original;
    }
    store.clear(this.page.path, this.index);
    this.updateEdited();
    this.staleNote?.remove();  // the page's code is what shows now
    this.staleNote = null;
    this.announce(`Cell ${this.number} reset to the page's code`);
    this.editor?.focus();
  }

  async copy() {
    const code = this.getCode();
    let ok = false;
    try {
      await navigator.clipboard.writeText(code);
      ok = true;
    } catch {
      const area = el("textarea", { class: "pycell__sr", "aria-hidden": "true" });
      area.value = code;
      document.body.append(area);
      area.select();
      try { ok = document.execCommand("copy"); } catch { ok = false; }
      area.remove();
    }
    const label = this.copyButton.querySelector(".pycell__btn-text");
    label.textContent = ok ? "Copied" : "Copy failed";
    this.announce(ok ? "Code copied" : "The browser did not allow copying");
    clearTimeout(this.copyTimer);
    this.copyTimer = setTimeout(() => { label.textContent = "Copy"; }, 1500);
  }

  announce(text) {
    this.live.textContent = text;
  }

  setStatus(iconName, text) {
    this.statusIcon.replaceChildren(...(iconName ? [icon(iconName)] : []));
    this.statusText.textContent = text;
  }

  setState(state) {
    const was = this.state;
    this.state = state;
    this.root.dataset.cellState = state;
    const busy = state === "queued" || state === "running";
    enable(this.stopButton, busy);
    enable(this.runButton, !busy);
    clearInterval(this.tick);
    this.tick = null;
    if (state === "queued") {
      this.setStatus("", runtime.status === "loading" || runtime.status === "idle"
        ? "Waiting for Python to load…" : "Queued");
    } else if (state === "running") {
      this.startedAt = performance.now();
      const update = () => this.setStatus("", `Running… ${((performance.now() - this.startedAt) / 1000).toFixed(1)} s`);
      update();
      this.tick = setInterval(update, 100);
      this.announce(`Cell ${this.number} running`);
    } else if (state === "idle" && was === "queued") {
      this.setStatus("", "Not run");
    }
  }

  markStale() {
    // Python restarted: what this cell defined is gone; its output stays, dimmed.
    if (this.state === "done" || this.state === "error") {
      this.setState("idle");
      this.root.classList.add("pycell--stale");
      this.setStatus("", "Not run since Python restarted");
    }
  }

  begin() {
    this.output.clear();
    this.root.classList.remove("pycell--stale");
    this.firstOutputAt = null;
  }

  dispose() {
    this.disposed = true;
    if (this.saveTimer) this.save();
    clearInterval(this.tick);
    this.output.clear();
    this.editor?.destroy();
  }
}

// ---- the cells of one page -----------------------------------------------------------------

class PageCells {
  constructor(blocks) {
    this.path = pagePath();
    this.scope = `page:${this.path}`;
    this.cells = [];
    this.tail = Promise.resolve();
    this.token = 0;                // increases on Stop: queued work of older tokens is dropped
    this.running = null;
    runtime.resetScope(this.scope);
    blocks.forEach((block, i) => this.cells.push(new Cell(this, block, i)));
    this.pill = this.makePill();
    this.cells[0].root.before(this.pill.node);
    this.unsubscribe = [
      runtime.onStatus((status, detail) => this.showStatus(status, detail)),
      runtime.onReset(({ reason }) => this.onReset(reason)),
    ];
    for (const cell of this.cells) cell.attachEditor();
  }

  makePill() {
    const dot = el("span", { class: "pycell-runtime__dot", "aria-hidden": "true" });
    const text = el("span", { class: "pycell-runtime__text" });
    const clock = el("span", { class: "pycell-runtime__clock", "aria-hidden": "true" });
    const retry = el("button", { type: "button", class: "pycell__btn pycell-runtime__retry", hidden: true,
      "aria-label": "Retry loading Python", onclick: () => runtime.retry() }, icon("retry"), el("span", { text: "Retry" }));
    // Announced: loading, ready and failed; not every busy/ready flip of each run.
    const live = el("span", { class: "pycell__sr", role: "status" });
    const node = el("div", { class: "pycell-runtime" }, dot, text, clock, retry, live);
    return { node, text, clock, retry, live, timer: null };
  }

  showStatus(status, detail) {
    const pill = this.pill;
    pill.node.dataset.runtimeStatus = status;
    pill.retry.hidden = status !== "failed";
    clearInterval(pill.timer);
    pill.clock.textContent = "";
    const messages = {
      idle: "Python starts when you run a cell",
      loading: `${detail.message || "Loading Python"}…`,
      ready: "Python is ready: the cells run in your browser",
      busy: "Python is running",
      failed: `Python could not be loaded: ${detail.message || "unknown reason"}`,
    };
    pill.text.textContent = messages[status] ?? status;
    if (status !== "busy" && !(status === "ready" && pill.live.textContent === messages.ready)) {
      pill.live.textContent = messages[status] ?? status;
    }
    if (status === "loading") {
      const since = detail.since ?? performance.now();
      const tick = () => { pill.clock.textContent = `${Math.floor((performance.now() - since) / 1000)} s`; };
      tick();
      pill.timer = setInterval(tick, 500);
    }
    for (const cell of this.cells) {
      if (cell.state === "queued") cell.setState("queued"); // refreshes "Waiting for Python…"
    }
  }

  onReset(reason) {
    for (const cell of this.cells) cell.markStale();
  }

  // Run `cell`, first running the cells above it that have not run since Python started.
  run(cell, { above = true } = {}) {
    if (cell.state === "queued" || cell.state === "running") return cell.pendingRun;
    const token = this.token;
    const needed = above ? this.cells.slice(0, cell.index).filter((c) => this.needsRun(c)) : [];
    // The cells this Run queues: Stop on any of them while it waits drops them all.
    const chain = { cells: [...needed, cell], cancelled: false };
    for (const c of chain.cells) {
      c.chain = chain;
      if (c.state !== "queued" && c.state !== "running") c.setState("queued");
    }
    cell.pendingRun = this.tail = this.tail.then(() => this.runChain(cell, needed, token, chain));
    return cell.pendingRun;
  }

  needsRun(cell) {
    return !cell.expectError && !(cell.state === "done" && cell.generation === runtime.generation)
      && cell.state !== "queued" && cell.state !== "running";
  }

  async runChain(cell, needed, token, chain) {
    const ran = [];
    const dropped = () => token !== this.token || chain.cancelled;
    for (const c of needed) {
      if (dropped()) return this.cancelled([...needed, cell]);
      if (c.state === "done" && c.generation === runtime.generation) continue;
      const result = await this.runOne(c, token);
      if (dropped()) return this.cancelled([...needed, cell]);
      if (!result.ok) {
        for (const rest of [...needed.slice(needed.indexOf(c) + 1), cell]) {
          if (rest.state === "queued") rest.setState("idle");
        }
        cell.begin();
        const anyway = el("button", { type: "button", class: "pycell__link",
          onclick: () => this.run(cell, { above: false }), text: "Run this cell anyway" });
        const jump = el("a", { href: "#", class: "pycell__link", text: `Go to cell ${c.number}`,
          onclick: (event) => { event.preventDefault(); c.root.scrollIntoView({ block: "center" }); (c.editor || c.runButton).focus(); } });
        cell.output.note(`Not run: cell ${c.number} above raised ${result.error?.type || "an error"}. `, { kind: "warning" })
          .append(jump, " · ", anyway);
        cell.setStatus("alert", `Cell ${c.number} above failed`);
        cell.announce(`Cell ${cell.number} not run: cell ${c.number} above failed`);
        return { ok: false, state: cell.state, blockedBy: c.index };
      }
      ran.push(c.number);
    }
    if (dropped()) return this.cancelled([cell]);
    const result = await this.runOne(cell, token, ran);
    return result;
  }

  cancelled(cells) {
    for (const c of cells) if (c.state === "queued") c.setState("idle");
    return { ok: false, cancelled: true };
  }

  async runOne(cell, token, ranFirst = []) {
    cell.begin();
    if (ranFirst.length) {
      const list = ranFirst.length === 1 ? `cell ${ranFirst[0]}`
        : ranFirst.length === 2 ? `cells ${ranFirst[0]} and ${ranFirst[1]}`
          : `cells ${ranFirst[0]}–${ranFirst[ranFirst.length - 1]}`;
      cell.output.note(`Ran ${list} above first, since this cell may need ${ranFirst.length === 1 ? "it" : "them"}.`);
    }
    const clickedAt = performance.now();
    this.running = cell;
    const onFirst = () => { cell.firstOutputAt ??= performance.now() - clickedAt; };
    const result = await runtime.run(cell.getCode(), {
      scope: this.scope,
      filename: `<cell ${cell.number}>`,
      onStart: () => cell.setState("running"),
      onStdout: (text) => { onFirst(); cell.output.text("stdout", text); },
      onStderr: (text) => { onFirst(); cell.output.text("stderr", text); },
      onFigure: (figure) => { onFirst(); cell.output.figure(figure); },
      onMessage: (message) => {
        if (message.kind === "progress") cell.output.showProgress(message);
        document.dispatchEvent(new CustomEvent("cells:message", { detail: { cell: cell.index, message } }));
      },
    });
    this.running = null;
    cell.output.flush();
    // A KeyboardInterrupt counts as a stop only when Stop asked for it (see finish).
    const stopping = this.stopping;
    this.stopping = null;
    const elapsed = cell.state === "running" ? performance.now() - cell.startedAt : 0;
    this.finish(cell, result, elapsed, stopping);
    return { ...result, state: cell.state, ms: Math.round(elapsed), firstOutputMs: cell.firstOutputAt };
  }

  finish(cell, result, elapsed, stopping = null) {
    const took = seconds(elapsed);
    if (result.ok) {
      if (result.value !== undefined) cell.output.value(result.value);
      cell.generation = runtime.generation;
      cell.setState("done");
      cell.setStatus("check", `Done in ${took}`);
      cell.announce(`Cell ${cell.number} finished in ${took}`);
      return;
    }
    const error = result.error || { type: "Error", message: "unknown error", traceback: "" };
    if (result.cancelled) {
      cell.setState("idle");
      cell.setStatus("", "Not run");
      return;
    }
    if (result.stopped || (error.type === "KeyboardInterrupt" && stopping === cell)) {
      cell.setState("stopped");
      if (result.namespaceReset) {
        cell.output.note(`Stopped after ${took}. To stop it, Python was restarted: the variables of `
          + "every cell are gone. The next Run runs the cells above again first.", { kind: "warning" });
      } else {
        cell.output.note(`Stopped after ${took} (KeyboardInterrupt). Variables defined so far are kept.`,
          { kind: "warning" });
      }
      cell.setStatus("", `Stopped after ${took}`);
      cell.announce(`Cell ${cell.number} stopped`);
      return;
    }
    cell.setState("error");
    if (error.type === "RuntimeError" && /Python could not start/.test(error.message)) {
      const retry = el("button", { type: "button", class: "pycell__link", text: "Retry",
        onclick: () => { runtime.retry(); this.run(cell); } });
      cell.output.note(error.message + " ", { kind: "error", action: retry });
    } else {
      cell.output.error(error.traceback || `${error.type}: ${error.message}`);
      if (cell.expectError) cell.output.note("This error is expected: the cell shows what goes wrong.");
    }
    cell.setStatus("alert", cell.expectError ? `${error.type} (expected)` : error.type);
    cell.announce(`Cell ${cell.number} raised ${error.type}: ${error.message}`);
  }

  async stop(cell) {
    const chain = cell.state === "queued" ? cell.chain : null;
    if (chain && !chain.cells.includes(this.running)) {
      // A Run still waiting its turn: only it is dropped; what runs now goes on.
      chain.cancelled = true;
      this.cancelled(chain.cells);
      return;
    }
    this.token += 1;
    for (const c of this.cells) if (c.state === "queued" && c !== this.running) c.setState("idle");
    this.stopping = this.running;
    if (this.running) await runtime.stop({ scope: this.scope });
  }

  // Material rendered this same page again (it does so for the first link within the page
  // after a full load): the live cells, with their code, output and running state, take the
  // places of the fresh copies.
  adopt(blocks) {
    blocks.forEach((block, i) => block.replaceWith(this.cells[i].root));
    this.cells[0].root.before(this.pill.node);
  }

  dispose() {
    this.token += 1;
    for (const off of this.unsubscribe) off();
    clearInterval(this.pill.timer);
    const busy = this.running;
    for (const cell of this.cells) cell.dispose();
    if (busy) runtime.stop({ scope: this.scope });
    runtime.resetScope(this.scope);
  }
}

// ---- wiring --------------------------------------------------------------------------------

let current = null;

function setup() {
  const content = document.querySelector(".md-content") || document.body;
  const blocks = [...content.querySelectorAll("div.highlight.cell")].filter((b) => !b.closest(".pycell"));
  if (current && current.path === pagePath() && current.cells.length === blocks.length
      && !current.cells[0].root.isConnected) {
    current.adopt(blocks);
    return;
  }
  if (current) {
    current.dispose();
    current = null;
  }
  if (!blocks.length) return;
  // Start Python first, so that it loads while the editors are built; the status shows
  // progress or failure.
  runtime.ready().catch(() => {});
  current = new PageCells(blocks);
}

function saveAll() {
  for (const cell of current?.cells ?? []) if (cell.saveTimer) cell.save();
}
addEventListener("pagehide", saveAll);
document.addEventListener("visibilitychange", () => { if (document.visibilityState === "hidden") saveAll(); });

if (window.document$?.subscribe) window.document$.subscribe(setup);
else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
else setup();

// For tests and tools: drive the cells of the current page.
window.__cells = {
  runtime,
  ready: () => runtime.ready(),
  list: () => (current?.cells ?? []).map((c) => ({
    index: c.index, state: c.state, expectError: c.expectError, edited: c.code !== c.original,
  })),
  getCode: (i) => current.cells[i].getCode(),
  setCode: (i, code) => current.cells[i].setCode(code),
  run: (i, options) => current.run(current.cells[i], options),
  async runAll() {
    const results = [];
    for (const cell of current?.cells ?? []) {
      const r = await current.run(cell, { above: false });
      results.push({ index: cell.index, state: cell.state, ok: r.ok, expectError: cell.expectError,
        error: r.error, ms: r.ms, firstOutputMs: r.firstOutputMs });
    }
    return results;
  },
  stop: () => current?.stop(),
};
