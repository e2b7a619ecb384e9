// The training lab: the reader configures a network, trains it on MNIST in the page's Python
// worker, watches it learn, stops it at will, inspects it, draws digits for it, compares runs and
// exports the weights.
//
// Training runs in slices: the page asks lab.py to train k batches (trainer.run(max_batches=k)),
// draws what came back, and asks again, sizing k so that a slice takes about SLICE_MS. Between
// slices the worker is free, so predictions of a drawn digit slip in, and Stop simply stops
// asking: the model trained so far stays in the worker.
//
// State (runs and their models) lives in this module, so leaving the page and coming back with
// Material's instant navigation finds the runs where they were.

import { runtime } from "./runtime.js";
import { el } from "./dom.js";
import { createForm, runLabel, runDetail, formatLr } from "./lab-form.js";
import { createPad, paintDigit } from "./lab-draw.js";
import { createCharts, RUN_COLORS } from "./lab-charts.js";
import { createBars, renderConfusion, renderMistakes, renderWeights } from "./lab-views.js";

const SCOPE = "lab";
const SLICE_MS = 150;            // aimed duration of one training slice
const MAX_SLICE_BATCHES = 2000;
const PREDICT_INTERVAL_MS = 90;  // at most about 10 predictions a second while drawing
const SUBSET_PATH = "/data/mnist-subset.npz";
const FULL_FILE = "mnist-full.npz";
const MAX_IMPORT_BYTES = 200e6;
const CHANCE_LOSS = Math.log(10); // cross-entropy of a uniform guess over 10 classes

const SITE_ROOT = new URL("..", import.meta.url);
const UPLOT_JS = new URL("assets/vendor/uplot/uPlot.iife.min.js", SITE_ROOT).href;
const UPLOT_CSS = new URL("assets/vendor/uplot/uPlot.min.css", SITE_ROOT).href;
const LAB_PY = new URL("lab.py", import.meta.url).href;

// ----------------------------------------------------------------------------------------------
// State shared by every mount of the page

const state = {
  runs: [],             // see newRun()
  current: null,        // id of the run whose model the draw and inspect panels use
  training: null,       // the run being trained
  stopRequested: false,
  counter: 0,
  labLoaded: false,     // lab.py runs in the worker
  labLoading: null,
  formValues: null,     // the form's raw values, kept across page changes
};

let ui = null;          // the mounted page's views; null while the page is not shown

runtime.onReset(() => {
  // Python restarted: lab.py and every model are gone; the curves stay.
  state.labLoaded = false;
  state.labLoading = null;
  for (const run of state.runs) {
    if (run.hasModel) {
      run.hasModel = false;
      run.note = "Its model was lost when Python restarted.";
    }
  }
  state.current = null;  // no model is in use any more
  ui?.renderAll();
});

// ----------------------------------------------------------------------------------------------
// Talking to lab.py

class LabError extends Error {}

function pyString(text) {
  return JSON.stringify(text); // a JSON string literal is a valid Python string literal
}

async function ensureLab() {
  if (state.labLoaded) return;
  if (!state.labLoading) {
    state.labLoading = (async () => {
      const [source] = await Promise.all([
        fetch(LAB_PY).then((r) => {
          if (!r.ok) throw new LabError(`could not load lab.py (HTTP ${r.status})`);
          return r.text();
        }),
        runtime.ready().catch((error) => { throw new LabError(error.message); }),
      ]);
      const r = await runtime.run(source, { scope: SCOPE, filename: "lab.py" });
      if (!r.ok) throw new LabError(`lab.py failed to start: ${r.error.message}`);
      state.labLoaded = true;
    })();
    state.labLoading.catch(() => { state.labLoading = null; });
  }
  await state.labLoading;
}

// Calls lab.py's action `name`; resolves with its value or throws a LabError with its message.
async function call(name, ...args) {
  await ensureLab();
  const generation = runtime.generation;
  let reply = null;
  const code = `await lab_call_async(${pyString(name)}, ${pyString(JSON.stringify(args))})`;
  const r = await runtime.run(code, {
    scope: SCOPE,
    filename: "<lab>",
    onMessage: (m) => { if (m.kind === "lab") reply = m.json; },
    onStderr: (text) => console.warn(text),
  });
  if (runtime.generation !== generation) {
    // A Stop elsewhere (a cell on another page) restarted Python: lab.py and its models are gone.
    throw new LabError("Python was restarted (a running cell was stopped), so the lab's models are gone; "
      + "press Train to start again");
  }
  if (!r.ok) {
    const e = r.error || {};
    throw new LabError(e.type === "Stopped" || e.type === "Cancelled" ? e.message : `${e.type}: ${e.message}`);
  }
  if (reply === null) throw new LabError(`lab.py sent no answer to ${name}`);
  const out = JSON.parse(reply);
  if (!out.ok) throw new LabError(out.error);
  return out.value;
}

// ----------------------------------------------------------------------------------------------
// Runs

function nextColor() {
  const used = new Set(state.runs.map((r) => r.color));
  return RUN_COLORS.find((c) => !used.has(c)) || RUN_COLORS[state.counter % RUN_COLORS.length];
}

function uniqueLabel(label) {
  const taken = new Set(state.runs.map((r) => r.label));
  if (!taken.has(label)) return label;
  for (let i = 2; ; i++) if (!taken.has(`${label} (${i})`)) return `${label} (${i})`;
}

function newRunId() {
  state.counter += 1;
  return `run-${state.counter}`;
}

function newRun(config, extra = {}) {
  return {
    id: extra.id ?? newRunId(),
    label: uniqueLabel(runLabel(config)),
    detail: runDetail(config),
    color: nextColor(),
    config,
    status: "starting",  // starting | training | stopped | done | diverged | failed | imported
    epochs: [],          // per-epoch records from mlp's Trainer
    batches: [],         // [epoch position, smoothed batch loss]
    progress: null,
    result: null,        // test-set evaluation of the final model
    hasModel: false,
    message: null,
    note: null,
    ...extra,
  };
}

function chartRuns() {
  return state.runs.map((run) => ({
    id: run.id, label: run.label, color: run.color, batches: run.batches,
    // How far along the epoch axis the run goes: all its epochs while it trains, so its curves
    // grow into a fixed frame; where it ended once it is over.
    span: run === state.training ? run.config.epochs
      : Math.max(run.epochs.at(-1)?.epoch ?? 0, run.batches.at(-1)?.[0] ?? 0),
    epochs: run.epochs.map((e) => ({
      epoch: e.epoch, train_loss: e.train_loss, test_loss: e.test_loss,
      train_accuracy: e.train_acc, test_accuracy: e.test_acc,
    })),
  }));
}

function currentRun() {
  return state.runs.find((r) => r.id === state.current) || null;
}

// ----------------------------------------------------------------------------------------------
// Training

function fmtInt(n) {
  return Math.round(n).toLocaleString("en");
}

function fmtSeconds(s) {
  if (!Number.isFinite(s)) return "–";
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 90) return `${Math.round(s)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${String(Math.round(s - 60 * m)).padStart(2, "0")} s`;
}

function capitalise(text) {
  return text ? text[0].toUpperCase() + text.slice(1) : text;
}

async function train(config) {
  if (state.training) return;
  const run = newRun(config);
  state.runs.push(run);
  state.training = run;
  state.stopRequested = false;
  ui?.lock(true);
  ui?.renderAll();
  try {
    ui?.status("Starting Python…");
    await ensureLab();
    let dataPath = SUBSET_PATH;
    if (config.data === "full") {
      ui?.status("Downloading the full MNIST data set…");
      dataPath = await runtime.loadData(FULL_FILE).catch((error) => {
        throw new LabError(`could not load the full MNIST data set: ${error.message}`);
      });
    }
    ui?.status("Preparing the data and the network…");
    const info = await call("start", run.id, config, dataPath);
    run.hasModel = true;
    run.info = info;
    run.status = "training";
    const total = config.epochs * info.train_size;
    const t0 = performance.now();
    let batches = 2;         // the first slice measures the speed
    let msPerBatch = null;
    const recent = [];       // [time, samples] over the last seconds, for the speed
    while (true) {
      if (state.stopRequested) {
        await call("stop", run.id);
        run.status = "stopped";
        break;
      }
      // A slice stops at the end of an epoch: the one that ends it also measures the network on
      // the whole training and test sets, which takes a while, so the status says so.
      const left = run.progress ? run.progress.batchesPerEpoch - run.progress.batch : info.batches_per_epoch;
      const slice = Math.min(batches, left);
      if (slice === left && ui) {
        const epoch = (run.progress ? run.progress.epoch : 0) + 1;
        ui.status(`Epoch ${epoch} done: measuring loss and accuracy on ${fmtInt(info.train_size)} training and ${fmtInt(info.test_size)} test images…`);
      }
      const r = await call("step", run.id, slice);
      const now = performance.now();
      run.batches.push(...r.points);
      run.epochs.push(...r.records);
      recent.push([now, r.samples]);
      while (recent.length > 2 && now - recent[1][0] > 5000) recent.shift();
      const span = (now - recent[0][0]) / 1000;
      const rate = span > 1 ? (r.samples - recent[0][1]) / span : r.samples / ((now - t0) / 1000);
      const overall = r.samples / ((now - t0) / 1000);
      run.progress = {
        epoch: r.epoch, batch: r.batch, epochs: r.epochs, batchesPerEpoch: r.batches_per_epoch,
        samples: r.samples, total, rate, eta: (total - r.samples) / overall, elapsed: r.elapsed,
      };
      if (r.records.length) ui?.noteEpoch(run);
      ui?.progress(run);
      ui?.charts();
      if (r.diverged) {
        run.status = "diverged";
        run.hasModel = false;
        run.message = `${capitalise(r.diverged)}.`;
        break;
      }
      if (r.done) {
        run.status = r.stop_reason ? "stopped" : "done";
        break;
      }
      // Size the next slice from batches that included no evaluation (epoch ends are slower).
      if (!r.records.length && r.batches_run > 0) {
        const ms = (r.seconds * 1000) / r.batches_run;
        msPerBatch = msPerBatch === null ? ms : 0.5 * msPerBatch + 0.5 * ms;
      }
      if (msPerBatch !== null) {
        batches = Math.max(1, Math.min(MAX_SLICE_BATCHES, Math.round(SLICE_MS / msPerBatch)));
      }
    }
    if (run.hasModel) {
      ui?.status("Evaluating on the test set…");
      run.result = await call("evaluate", run.id);
      state.current = run.id;
    }
  } catch (error) {
    run.status = "failed";
    run.message = error.message;
    if (!(error instanceof LabError)) console.error(error);
  } finally {
    state.training = null;
    state.stopRequested = false;
    ui?.lock(false);
    ui?.renderAll();
    ui?.predict();
  }
}

function requestStop() {
  if (!state.training) return;
  state.stopRequested = true;
  ui?.status("Stopping after this slice…");
}

async function removeRun(id) {
  const i = state.runs.findIndex((r) => r.id === id);
  if (i < 0 || state.training?.id === id) return;
  const [run] = state.runs.splice(i, 1);
  if (state.current === id) {
    const fallback = [...state.runs].reverse().find((r) => r.hasModel && r.result);
    state.current = fallback ? fallback.id : null;
  }
  ui?.renderAll();
  ui?.predict();
  if (run.hasModel && state.labLoaded) {
    try {
      await call("remove", id);
    } catch (error) {
      console.warn(error);
    }
  }
}

function useRun(id) {
  const run = state.runs.find((r) => r.id === id);
  if (!run || !run.hasModel || !run.result) return;
  state.current = id;
  ui?.renderAll();
  ui?.predict();
}

function slug(text) {
  return text.toLowerCase().replace(/[^a-z0-9.]+/g, "-").replace(/^-|-$/g, "");
}

async function exportRun(run) {
  const { npz } = await call("export", run.id);
  const bytes = Uint8Array.from(atob(npz), (c) => c.charCodeAt(0));
  const blob = new Blob([bytes], { type: "application/octet-stream" });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = `mlp-${slug(run.label).replace(/\.npz$/, "")}.npz`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return a.download;
}

async function importFile(file) {
  if (file.size > MAX_IMPORT_BYTES) {
    throw new LabError(`${file.name} is ${fmtInt(file.size / 1e6)} MB; the lab loads weights files of at most ${fmtInt(MAX_IMPORT_BYTES / 1e6)} MB.`);
  }
  const url = URL.createObjectURL(file);
  let result;
  const id = newRunId();  // taken now: a run started meanwhile gets another
  try {
    result = await call("load_url", id, url, SUBSET_PATH, file.name);
  } finally {
    URL.revokeObjectURL(url);
  }
  const hidden = result.sizes.slice(1, -1);
  const config = {
    hidden, activation: result.activation, optimizer: "imported", lr: NaN, beta: 0, dtype: result.dtype,
  };
  const run = newRun(config, {
    id,
    label: uniqueLabel(`${file.name}`),
    detail: `${result.sizes.join("-")} · ${result.activation} · ${result.dtype} · loaded from a file`,
    status: "imported", hasModel: true, result,
  });
  state.runs.push(run);
  state.current = run.id;
  ui?.renderAll();
  ui?.predict();
  return run;
}

// ----------------------------------------------------------------------------------------------
// The page


function panel(cls, title, ...children) {
  const id = `lab-h-${cls}`;
  return el("section", { class: `lab-panel lab-panel--${cls}`, "aria-labelledby": id }, [
    el("h2", { class: "lab-panel__title", id, text: title }),
    ...children,
  ]);
}

function loadStyle(href) {
  if (document.querySelector(`link[href="${href}"]`)) return Promise.resolve();
  return new Promise((resolve) => {
    const link = el("link", { rel: "stylesheet", href });
    link.onload = resolve;
    link.onerror = resolve; // the charts still work, only less tidy
    document.head.append(link);
  });
}

function loadScript(src) {
  if (globalThis.uPlot) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const s = el("script", { src });
    s.onload = resolve;
    s.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.append(s);
  });
}

function tabs(names) {
  const list = el("div", { class: "lab-tabs", role: "tablist", "aria-label": "Views of the model" });
  const panels = [];
  const buttons = names.map(([key, label], i) => {
    const b = el("button", {
      type: "button", class: "lab-tabs__tab", role: "tab", id: `lab-tab-${key}`,
      "aria-controls": `lab-tabpanel-${key}`, "aria-selected": i === 0 ? "true" : "false",
      tabindex: i === 0 ? "0" : "-1", text: label,
    });
    const p = el("div", {
      class: "lab-tabs__panel", role: "tabpanel", id: `lab-tabpanel-${key}`,
      "aria-labelledby": b.id, tabindex: "0", hidden: i !== 0,
    });
    panels.push(p);
    return b;
  });
  const select = (i) => {
    buttons.forEach((b, j) => {
      b.setAttribute("aria-selected", i === j ? "true" : "false");
      b.tabIndex = i === j ? 0 : -1;
      panels[j].hidden = i !== j;
    });
  };
  buttons.forEach((b, i) => {
    b.addEventListener("click", () => select(i));
    b.addEventListener("keydown", (event) => {
      const d = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      let j = null;
      if (d) j = (i + d + buttons.length) % buttons.length;
      if (event.key === "Home") j = 0;
      if (event.key === "End") j = buttons.length - 1;
      if (j === null) return;
      event.preventDefault();
      select(j);
      buttons[j].focus();
    });
  });
  list.append(...buttons);
  return { list, panels, select };
}

export async function mount(root) {
  root.innerHTML = "";
  root.classList.add("lab");
  const stylesReady = loadStyle(UPLOT_CSS);

  // -- configure
  const configPanel = panel("config", "Configure");
  const saved = state.formValues;  // what the form held when the page was left
  const form = createForm(configPanel, {
    onSubmit: (config) => train(config),
    onChange: (raw) => { state.formValues = raw; },
  });
  if (saved) {
    form.fill(saved);
    form.refresh();
  }
  form.stop.addEventListener("click", requestStop);

  // -- train
  const statusLine = el("p", { class: "lab-status", "aria-live": "polite" });
  const bar = el("div", {
    class: "lab-progress", role: "progressbar", "aria-label": "Training progress",
    "aria-valuemin": "0", "aria-valuemax": "100", "aria-valuenow": "0",
  }, [el("div", { class: "lab-progress__fill" })]);
  const stats = el("dl", { class: "lab-stats" });
  const message = el("div", { class: "lab-message", role: "alert", hidden: true });
  const chartsBox = el("div", { class: "lab-charts" });
  const key = el("p", { class: "lab-key" });
  key.innerHTML = '<span class="lab-key__item"><span class="lab-key__line"></span>test set</span>'
    + '<span class="lab-key__item"><span class="lab-key__line lab-key__line--train"></span>training set</span>'
    + '<span class="lab-key__item"><span class="lab-key__line lab-key__line--batch"></span>batch loss, smoothed</span>';
  const legend = el("ul", { class: "lab-legend", "aria-label": "Runs on the charts" });
  const trainPanel = panel("train", "Train", statusLine, bar, stats, message, chartsBox, legend, key);

  // -- runs
  const runList = el("ul", { class: "lab-runs", "aria-label": "Runs" });
  const exportButton = el("button", { type: "button", class: "md-button lab-export", text: "Download weights (.npz)" });
  const fileInput = el("input", { type: "file", accept: ".npz", class: "lab-file", tabindex: "-1", "aria-hidden": "true" });
  const importButton = el("button", { type: "button", class: "md-button lab-import", text: "Load weights…" });
  const fileMessage = el("p", { class: "lab-file-message", "aria-live": "polite" });
  const runsPanel = panel("runs", "Runs",
    el("p", { class: "lab-note lab-runs__empty", text: "Runs you train appear here, each with its curves on the charts." }),
    runList,
    el("div", { class: "lab-actions" }, [exportButton, importButton, fileInput]),
    fileMessage);

  // -- draw
  const padBox = el("div", { class: "lab-pad" });
  const preview = el("canvas", { class: "lab-digit lab-preview__canvas", width: 28, height: 28, role: "img", "aria-label": "The drawing as the network sees it: 28 by 28 pixels" });
  const clearButton = el("button", { type: "button", class: "md-button lab-clear", text: "Clear" });
  const barsBox = el("div", { class: "lab-bars-box" });
  const drawModel = el("p", { class: "lab-model-name" });
  const drawPanel = panel("draw", "Draw a digit",
    drawModel,
    el("div", { class: "lab-draw" }, [
      el("div", { class: "lab-draw__left" }, [
        padBox,
        el("div", { class: "lab-draw__under" }, [
          el("figure", { class: "lab-preview" }, [el("span", { class: "lab-tile" }, [preview]), el("figcaption", { text: "what the network sees" })]),
          clearButton,
        ]),
      ]),
      barsBox,
    ]));

  // -- inspect
  const inspectModel = el("p", { class: "lab-model-name" });
  const summary = el("dl", { class: "lab-stats lab-summary" });
  const t = tabs([["confusion", "Confusion matrix"], ["mistakes", "Misclassified"], ["weights", "First-layer weights"]]);
  const inspectPanel = panel("inspect", "Inspect the model", inspectModel, summary, t.list, ...t.panels);

  root.append(
    el("div", { class: "lab__top" }, [configPanel, el("div", { class: "lab__main" }, [trainPanel, runsPanel])]),
    el("div", { class: "lab__bottom" }, [drawPanel, inspectPanel]),
  );

  const bars = createBars(barsBox);
  const pad = createPad(padBox, {
    onInk: (pixels) => {
      paintDigit(preview, pixels);
      requestPrediction();
    },
  });
  paintDigit(preview, null);
  clearButton.addEventListener("click", () => pad.clear());

  // -- charts (uPlot is loaded on this page only)
  let charts = null;
  const chartsReady = (async () => {
    await Promise.all([stylesReady, loadScript(UPLOT_JS)]);
    if (ui !== view) return;
    charts = createCharts(globalThis.uPlot, chartsBox);
    updateCharts();
  })();
  chartsReady.catch((error) => {
    chartsBox.append(el("p", { class: "lab-error", text: `The charts could not be drawn: ${error.message}` }));
  });

  // -- predictions of the drawing, one at a time, at most every PREDICT_INTERVAL_MS
  let wanted = false;
  let predicting = false;
  async function requestPrediction() {
    wanted = true;
    if (predicting) return;
    predicting = true;
    while (wanted) {
      wanted = false;
      const run = currentRun();
      const pixels = pad.pixels();
      if (!pixels) {
        bars.update(null);
        continue;
      }
      const model = run && run.hasModel ? run : (state.training?.hasModel ? state.training : null);
      if (!model) {
        bars.update(null, "Train a model first, or load weights: then it will tell which digit this is.");
        continue;
      }
      const t0 = performance.now();
      const version = pad.version();
      try {
        const out = await call("predict", model.id, Array.from(pixels, (v) => Math.round(v * 1e4) / 1e4));
        bars.update(out.probabilities, null, { version, model: model.id });
      } catch (error) {
        bars.update(null, error.message);
      }
      const wait = PREDICT_INTERVAL_MS - (performance.now() - t0);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    predicting = false;
  }

  // -- the charts' legend: one entry per run, named after its configuration
  function renderLegend() {
    legend.replaceChildren(...state.runs.filter((r) => r.epochs.length || r.batches.length).map((run) => el("li", {
      class: "lab-legend__item", style: `--lab-run-color: ${run.color}`,
    }, [el("span", { class: "lab-run__swatch", "aria-hidden": "true" }), ` ${run.label}`])));
  }

  // -- runs list
  function renderRuns() {
    renderLegend();
    // A message about saving or loading one model goes once another model is in use.
    if (fileMessage.dataset.run && fileMessage.dataset.run !== String(state.current)) {
      fileMessage.replaceChildren();
      delete fileMessage.dataset.run;
    }
    runList.innerHTML = "";
    runsPanel.classList.toggle("lab-panel--empty", state.runs.length === 0);
    for (const run of state.runs) {
      const isCurrent = run.id === state.current;
      const acc = run.result ? run.result.accuracy : run.epochs.at(-1)?.test_acc;
      const statusText = {
        starting: "starting", training: "training…", stopped: "stopped", done: "", diverged: "diverged",
        failed: "failed", imported: "loaded",
      }[run.status];
      const item = el("li", {
        class: `lab-run${isCurrent ? " lab-run--current" : ""}`, "data-run": run.id, "data-status": run.status,
        style: `--lab-run-color: ${run.color}`,
      }, [
        el("span", { class: "lab-run__swatch", "aria-hidden": "true" }),
        el("div", { class: "lab-run__text" }, [
          el("span", { class: "lab-run__label", text: run.label }),
          el("span", { class: "lab-run__detail", text: run.detail }),
          run.note ? el("span", { class: "lab-run__note", text: run.note }) : null,
        ]),
        el("span", { class: "lab-run__acc", title: "test accuracy" }, [
          acc !== undefined && acc !== null ? el("strong", { text: acc.toFixed(4) }) : el("strong", { text: "–" }),
          statusText ? el("span", { class: `lab-run__status lab-run__status--${run.status}`, text: statusText }) : null,
        ]),
        el("span", { class: "lab-run__buttons" }, [
          el("button", {
            type: "button", class: "lab-icon-button lab-run__use",
            "aria-pressed": isCurrent ? "true" : "false",
            disabled: !(run.hasModel && run.result),
            title: "Use this model to draw and inspect",
            "aria-label": `Use the model of run ${run.label}`,
            text: isCurrent ? "In use" : "Use",
            onclick: () => useRun(run.id),
          }),
          el("button", {
            type: "button", class: "lab-icon-button lab-run__remove",
            disabled: state.training?.id === run.id,
            title: "Remove this run", "aria-label": `Remove run ${run.label}`,
            text: "✕", onclick: () => removeRun(run.id),
          }),
        ]),
      ]);
      runList.append(item);
    }
    const cur = currentRun();
    exportButton.disabled = !(cur && cur.hasModel) || Boolean(state.training);
    importButton.disabled = Boolean(state.training);
  }

  function stat(dl, pairs) {
    dl.innerHTML = "";
    for (const [name, value, cls] of pairs) {
      dl.append(el("div", { class: `lab-stat ${cls || ""}` }, [el("dt", { text: name }), el("dd", { text: value })]));
    }
  }

  // -- progress of the run in training (or the last one)
  function renderProgress(run) {
    const p = run?.progress;
    const fill = bar.firstChild;
    if (!run) {
      statusLine.textContent = "Choose a configuration and press Train. Python starts in this page the first time (a few seconds).";
      fill.style.width = "0%";
      bar.setAttribute("aria-valuenow", "0");
      stat(stats, []);
      return;
    }
    const fraction = p ? p.samples / p.total : 0;
    fill.style.width = `${(100 * fraction).toFixed(1)}%`;
    bar.setAttribute("aria-valuenow", String(Math.round(100 * fraction)));
    bar.classList.toggle("lab-progress--active", run.status === "training" || run.status === "starting");
    bar.classList.toggle("lab-progress--bad", run.status === "diverged" || run.status === "failed");
    if (!p) {
      stat(stats, []);
      return;
    }
    const epochText = p.batch === 0 ? `${p.epoch} of ${p.epochs}` : `${p.epoch + 1} of ${p.epochs}`;
    const last = run.epochs.at(-1);
    const training = run.status === "training";
    // While training: the last epoch's test accuracy; afterwards: that of the final model.
    const accuracy = !training && run.result ? run.result.accuracy : last?.test_acc;
    const pairs = [
      ["Epoch", training ? epochText : `${run.epochs.length} of ${p.epochs}`],
      ["Samples/s", fmtInt(training ? p.rate : p.samples / p.elapsed)],
      [training ? "Time left" : "Training time", training ? `about ${fmtSeconds(p.eta)}` : fmtSeconds(p.elapsed)],
      ["Test accuracy", accuracy != null ? accuracy.toFixed(4) : "–"],
    ];
    stat(stats, pairs);
    if (run.status === "training") {
      statusLine.textContent = p.batch === 0
        ? `Training ${run.label}: epoch ${p.epoch} of ${p.epochs} done.`
        : `Training ${run.label}: batch ${p.batch} of ${p.batchesPerEpoch} in epoch ${p.epoch + 1}.`;
    }
  }

  function renderMessage(run) {
    message.hidden = true;
    message.className = "lab-message";
    if (!run) return;
    let text = null;
    let kind = "info";
    if (run.status === "diverged") {
      text = run.message;
      kind = "error";
    } else if (run.status === "failed") {
      text = `Training failed: ${run.message}`;
      kind = "error";
    } else if (run.status === "stopped" && run.progress) {
      const p = run.progress;
      text = p.batch
        ? `Stopped in epoch ${p.epoch + 1}, after batch ${p.batch} of ${p.batchesPerEpoch}. The model trained so far is kept: draw a digit or inspect it below.`
        : `Stopped after epoch ${p.epoch}. The model trained so far is kept: draw a digit or inspect it below.`;
    } else if (run.status === "done") {
      const last = run.epochs.at(-1);
      if (last && last.test_loss > 2 * CHANCE_LOSS) {
        text = `The test loss ended at ${last.test_loss.toFixed(2)}, far above the ${CHANCE_LOSS.toFixed(2)} of a uniform guess: the learning rate (${formatLr(run.config.lr)}) is probably too large for ${run.config.activation} with ${run.config.optimizer}.`;
        kind = "warning";
      }
    }
    if (!text) return;
    message.textContent = text;
    message.hidden = false;
    message.classList.add(`lab-message--${kind}`);
  }

  function renderStatus() {
    const run = state.training || state.runs.at(-1);
    if (state.training) return;
    if (!run) {
      renderProgress(null);
      return;
    }
    const r = run.result;
    if (run.status === "done") {
      statusLine.textContent = `Finished ${run.label}: ${run.epochs.length} epoch${run.epochs.length === 1 ? "" : "s"} in ${fmtSeconds(run.progress?.elapsed)} of training.`;
    } else if (run.status === "stopped") {
      statusLine.textContent = `Stopped ${run.label}.`;
    } else if (run.status === "diverged") {
      statusLine.textContent = `${run.label} diverged.`;
    } else if (run.status === "failed") {
      statusLine.textContent = `${run.label} failed.`;
    } else if (run.status === "imported") {
      statusLine.textContent = `Loaded ${run.label}: test accuracy ${r.accuracy.toFixed(4)}.`;
    }
  }

  // -- which model answers the drawing: the one in use, else the one being trained
  function renderDrawModel() {
    const run = currentRun() || (state.training?.hasModel ? state.training : null);
    if (!run) {
      drawModel.replaceChildren("No model yet: train one (or load weights) to see its guesses.");
      return;
    }
    drawModel.replaceChildren(
      el("span", { class: "lab-run__swatch", style: `--lab-run-color: ${run.color}`, "aria-hidden": "true" }),
      ` Model: ${run.label}${run === state.training ? ", in training" : ""}`,
    );
  }

  // -- inspect panel
  let shownResult = null;
  function renderInspect() {
    const run = currentRun();
    const name = run ? [el("span", { class: "lab-run__swatch", style: `--lab-run-color: ${run.color}`, "aria-hidden": "true" }), ` Model: ${run.label}`] : [];
    renderDrawModel();
    inspectModel.replaceChildren(...(run ? name.map((n) => (typeof n === "string" ? n : n.cloneNode())) : ["Train a model to see where it goes wrong and what its first layer has learned."]));
    inspectPanel.classList.toggle("lab-panel--empty", !run?.result);
    const r = run?.result;
    if (!r) {
      stat(summary, []);
      delete summary.dataset.accuracy;
      delete summary.dataset.run;
      for (const p of t.panels) p.replaceChildren(el("p", { class: "lab-empty", text: "Nothing to show yet." }));
      shownResult = null;
      return;
    }
    stat(summary, [
      ["Test accuracy", r.accuracy.toFixed(4), "lab-stat--main"],
      ["Correct", `${fmtInt(r.correct)} of ${fmtInt(r.total)}`],
      ["Test loss", r.loss !== null ? r.loss.toFixed(4) : "–"],
      ["Network", `${r.sizes.join("-")} ${r.activation}`],
    ]);
    summary.dataset.accuracy = String(r.accuracy);
    summary.dataset.run = run.id;
    if (shownResult === r) return;
    shownResult = r;
    renderConfusion(t.panels[0], r.confusion);
    renderMistakes(t.panels[1], r.mistakes, r.mistakes_total);
    renderWeights(t.panels[2], r.weights.map((w) => w.map((v) => v / 1000)), r.units);
  }

  // The charts' data attributes let a test see that they were redrawn and with how many epochs.
  function updateCharts() {
    if (!charts) return;
    charts.update(chartRuns());
    const run = state.training || state.runs.at(-1);
    chartsBox.dataset.epochs = String(run ? run.epochs.length : 0);
  }

  function renderAll() {
    renderRuns();
    updateCharts();
    const run = state.training || state.runs.at(-1);
    renderProgress(run || null);
    renderStatus();
    renderMessage(run);
    renderInspect();
  }

  // -- Python status
  const pyStatus = el("span", { class: "lab-python", "aria-live": "polite" });
  configPanel.querySelector(".lab-panel__title").after(pyStatus);
  const unsubscribe = runtime.onStatus((s, detail) => {
    const text = {
      idle: "Python starts when needed", loading: detail?.message ? `${detail.message}…` : "Loading Python…",
      ready: "Python ready", busy: "Python running", failed: `Python failed: ${detail?.message || "unknown error"}`,
    }[s];
    pyStatus.textContent = text;
    pyStatus.dataset.status = s;
    if (s === "failed" && !pyStatus.querySelector("button")) {
      pyStatus.append(" ", el("button", { type: "button", class: "lab-icon-button", text: "Retry", onclick: () => runtime.retry() }));
    }
  });
  // Start Python and the lab's code while the reader looks at the form. A failure shows in the
  // status above and is reported again, in the lab's words, when Train asks for it.
  ensureLab().catch(() => {});

  // -- buttons
  exportButton.addEventListener("click", async () => {
    const run = currentRun();
    if (!run) return;
    exportButton.disabled = true;
    fileMessage.className = "lab-file-message";
    try {
      const name = await exportRun(run);
      fileMessage.dataset.run = String(run.id);
      fileMessage.replaceChildren(`Saved ${name}. Check it natively: `,
        el("code", { text: `python -m mlp evaluate --load ${name} --data mnist-subset.npz` }));
    } catch (error) {
      fileMessage.textContent = `Could not export: ${error.message}`;
      fileMessage.classList.add("lab-file-message--error");
    } finally {
      renderRuns();
    }
  });
  importButton.addEventListener("click", () => fileInput.click());
  fileInput.addEventListener("change", async () => {
    const file = fileInput.files[0];
    fileInput.value = "";
    if (!file) return;
    fileMessage.className = "lab-file-message";
    fileMessage.textContent = `Loading ${file.name}…`;
    importButton.disabled = true;
    try {
      const run = await importFile(file);
      fileMessage.dataset.run = String(run.id);
      fileMessage.textContent = `Loaded ${file.name}: ${run.result.sizes.join("-")} ${run.result.activation}, test accuracy ${run.result.accuracy.toFixed(4)}.`;
    } catch (error) {
      fileMessage.textContent = `Could not load weights: ${error.message}`;
      fileMessage.classList.add("lab-file-message--error");
    } finally {
      renderRuns();
    }
  });

  const view = {
    root,
    renderAll,
    lock: (on) => form.lock(on),
    status: (text) => { statusLine.textContent = text; },
    progress: (run) => { renderProgress(run); renderRuns(); renderDrawModel(); },
    charts: () => updateCharts(),
    noteEpoch: () => { if (pad.pixels()) requestPrediction(); },
    predict: () => requestPrediction(),
    unmount: () => {
      unsubscribe();
      charts?.destroy();
    },
  };
  ui?.unmount?.();
  ui = view;
  if (state.training) form.lock(true);
  renderAll();
  root.dataset.ready = "true";
  return view;
}

export function unmountIfGone() {
  if (ui && !ui.root.isConnected) {
    ui.unmount();
    ui = null;
  }
}
