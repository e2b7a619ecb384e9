// The training lab's state and logic, with no DOM. Views draw what it holds and call its
// methods; it tells them what changed through `on(listener)`.
//
// Python is reached only through runtime.call("mlpsite.lab", name, kwargs): training runs in
// slices (each one `step`, about SLICE_SECONDS of mlp's Trainer.run(max_seconds=...)). Between
// slices the worker is free, so predictions of a drawn digit slip in, and Stop simply stops
// asking: the model trained so far stays in the worker.
//
// One controller lives as long as the tab: leaving the page and coming back with Material's
// instant navigation finds the runs where they were.

import { FIELDS, pythonConfig, runDetail, runLabel, parameterCount } from "./form-model.js";
import { measuring } from "./describe.js";
import { SERIES_COLORS } from "../ui/theme.js";
import { grouped } from "../ui/format.js";
import { predictor } from "./predictor.js";

const MODULE = "mlpsite.lab";
const SLICE_SECONDS = 0.15;
const SUBSET_PATH = "/data/mnist-subset.npz";
const FULL_FILE = "mnist-full.npz";
const MAX_IMPORT_BYTES = 200e6;

/** A problem the lab shows to the reader as it is. */
export class LabError extends Error {}

const capitalise = (text) => (text ? text[0].toUpperCase() + text.slice(1) : text);

/**
 * Samples per second over the last five seconds, and the time left at the overall pace.
 * @param {[number, number][]} recent  [time in ms, samples so far], oldest first (trimmed here)
 * @param {number} samples  samples so far
 * @param {number} total  samples of the whole run
 * @param {number} now  ms, same clock; started: ms at the first slice
 */
export function pace(recent, samples, total, now, started) {
  recent.push([now, samples]);
  while (recent.length > 2 && now - recent[1][0] > 5000) recent.shift();
  const span = (now - recent[0][0]) / 1000;
  const overall = samples / Math.max(1e-3, (now - started) / 1000);
  const rate = span > 1 ? (samples - recent[0][1]) / span : overall;
  return { rate, eta: (total - samples) / overall };
}

/**
 * The file name a run's weights are downloaded under: "mlp-relu-sgd-lr-0.05.npz".
 * @param {string} label
 */
export function weightsFileName(label) {
  const slug = label.toLowerCase().replace(/[^a-z0-9.]+/g, "-").replace(/^-|-$/g, "");
  return `mlp-${slug.replace(/\.npz$/, "")}.npz`;
}

export class LabController {
  /** @param {any} runtime  the site's runtime (src/runtime/runtime.js) */
  constructor(runtime, { now = () => performance.now() } = {}) {
    this.runtime = runtime;
    this.now = now;
    this.runs = [];            // see newRun()
    this.current = null;       // id of the run whose model the draw and inspect panels use
    this.training = null;      // the run being trained
    this.stopRequested = false;
    this.counter = 0;
    this.choices = null;       // mlpsite.lab.choices(), once Python answered
    this.formValues = null;    // the form's raw values, kept across page changes
    this.statusText = null;    // what the status line says during a step of training
    this.listeners = new Set();
    this.prediction = predictor(this);
    runtime.onReset(() => this.lostModels());
  }

  /** Calls `listener(what)` on each change; what: "all", "progress", "status", "prediction". */
  on(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(what = "all") {
    for (const listener of [...this.listeners]) listener(what);
  }

  setStatus(text) {
    this.statusText = text;
    this.emit("status");
  }

  // -- Python ----------------------------------------------------------------------------------

  /** Calls mlpsite.lab's `name(**kwargs)`; a failure becomes a LabError with a reader's message. */
  async call(name, kwargs = {}, options = undefined) {
    const generation = this.runtime.generation;
    let value;
    try {
      value = await this.runtime.call(MODULE, name, kwargs, options);
    } catch (error) {
      if (this.runtime.generation !== generation) throw restarted();
      // Messages meant for the reader, and the runtime's own (Python stopped or broken), as they are.
      const plain = ["LabError", "ValueError", "Stopped", "Cancelled", "FatalError"].includes(error.name);
      throw new LabError(plain || !error.name || error.name === "Error" ? error.message : `${error.name}: ${error.message}`);
    }
    if (this.runtime.generation !== generation) throw restarted();
    return value;
  }

  /** The form's lists and limits from Python (asked once; asked again after a failure). */
  loadChoices() {
    this.choicesLoading ??= this.call("choices").then((choices) => {
      this.choices = choices;
      this.emit("all");
      return choices;
    }, (error) => {
      this.choicesLoading = null;
      throw error;
    });
    return this.choicesLoading;
  }

  // Python restarted: every model is gone; the curves stay.
  lostModels() {
    for (const run of this.runs) {
      if (!run.hasModel) continue;
      run.hasModel = false;
      run.note = "Its model was lost when Python restarted.";
    }
    this.current = null;
    this.emit("all");
  }

  // -- runs ------------------------------------------------------------------------------------

  currentRun() {
    return this.runs.find((r) => r.id === this.current) || null;
  }

  /** The run the progress panel shows: the one training, else the last. */
  shownRun() {
    return this.training || this.runs.at(-1) || null;
  }

  /** The model that answers a drawing: the one in use, else the one being trained. */
  drawingModel() {
    return this.currentRun() || (this.training?.hasModel ? this.training : null);
  }

  newRunId() {
    this.counter += 1;
    return `run-${this.counter}`;
  }

  uniqueLabel(label) {
    const taken = new Set(this.runs.map((r) => r.label));
    if (!taken.has(label)) return label;
    for (let i = 2; ; i++) if (!taken.has(`${label} (${i})`)) return `${label} (${i})`;
  }

  // Runs keep one of the palette's colours (an index into --site-series-*) for their life.
  nextColor() {
    const used = new Set(this.runs.map((r) => r.color));
    for (let i = 0; i < SERIES_COLORS; i++) if (!used.has(i)) return i;
    return this.counter % SERIES_COLORS;
  }

  newRun(config, extra = {}) {
    const { label, detail, ...rest } = extra;
    const run = {
      id: this.newRunId(),
      label: this.uniqueLabel(label ?? runLabel(config)),
      // Until Python counts the parameters, the form's estimate.
      detail: detail ?? runDetail(config, this.choices,
        parameterCount([this.choices.inputs, ...config.hidden, this.choices.classes])),
      color: this.nextColor(),
      config,
      status: "starting",  // starting | training | stopped | done | diverged | failed | imported
      epochs: [],          // per-epoch records from mlp's Trainer
      batches: [],         // [epoch position, smoothed batch loss]
      progress: null,
      result: null,        // test-set evaluation of the final model
      hasModel: false,
      message: null,
      note: null,
      ...rest,
    };
    this.runs.push(run);
    return run;
  }

  /** Makes a run's model the one drawn for and inspected. */
  use(id) {
    const run = this.runs.find((r) => r.id === id);
    if (!run || !run.hasModel || !run.result) return;
    this.current = id;
    this.emit("all");
    this.prediction.again();
  }

  /** Removes a run (not the one training); the last evaluated run takes its place if it was in use. */
  async remove(id) {
    const i = this.runs.findIndex((r) => r.id === id);
    if (i < 0 || this.training?.id === id) return;
    const [run] = this.runs.splice(i, 1);
    if (this.current === id) this.current = [...this.runs].reverse().find((r) => r.hasModel && r.result)?.id ?? null;
    this.emit("all");
    this.prediction.again();
    if (run.hasModel) await this.call("remove", { run_id: id }).catch((error) => console.warn(error));
  }

  // -- training --------------------------------------------------------------------------------

  /** Trains a new run with a checked configuration (see form-model.js) until done or stopped. */
  async train(config) {
    if (this.training) return;
    const run = this.newRun(config);
    this.training = run;
    this.stopRequested = false;
    this.emit("all");
    try {
      await this.startRun(run);
      while (!(await this.slice(run)));
      if (run.hasModel) {
        this.setStatus("Evaluating on the test set…");
        run.result = await this.call("evaluate", { run_id: run.id });
        this.current = run.id;
      }
    } catch (error) {
      run.status = "failed";
      run.message = error.message;
      if (!(error instanceof LabError)) console.error(error);
    } finally {
      this.training = null;
      this.stopRequested = false;
      this.statusText = null;
      this.emit("all");
      this.prediction.again();
    }
  }

  async startRun(run) {
    this.setStatus("Starting Python…");
    await this.loadChoices();
    let dataPath = SUBSET_PATH;
    if (run.config.data === "full") {
      this.setStatus("Downloading the full MNIST data set…");
      dataPath = await this.runtime.loadData(FULL_FILE).catch((error) => {
        // Offline, the full set is there only if a page downloaded it before (the service
        // worker keeps it then); the subset is always kept.
        if (globalThis.navigator?.onLine === false) {
          throw new LabError("This browser is offline, and the full MNIST data set is kept for offline use only "
            + "once it has been downloaded. Train on the subset, which works offline, or connect and try again.");
        }
        throw new LabError(`could not load the full MNIST data set: ${error.message}`);
      });
    }
    this.setStatus("Preparing the data and the network…");
    const info = await this.call("start", { run_id: run.id, config: pythonConfig(run.config), data_path: dataPath });
    Object.assign(run, { info, hasModel: true, status: "training" });
    run.detail = runDetail(run.config, this.choices, info.parameters);
    run.pace = { recent: [], started: this.now(), total: run.config.epochs * info.train_size };
    this.statusText = null;
  }

  // One slice of training; true once the run is over (done, stopped or diverged).
  async slice(run) {
    if (this.stopRequested) {
      const stopped = await this.call("stop", { run_id: run.id });
      run.kept = stopped.kept ?? null;
      run.status = "stopped";
      return true;
    }
    const r = await this.call("step", { run_id: run.id, max_seconds: SLICE_SECONDS });
    run.batches.push(...r.points);
    run.epochs.push(...r.records);
    run.kept = r.kept ?? null;  // {epoch, text} once a run that keeps its best epoch is over
    const { rate, eta } = pace(run.pace.recent, r.samples, run.pace.total, this.now(), run.pace.started);
    run.progress = {
      epoch: r.epoch, batch: r.batch, epochs: r.epochs, batchesPerEpoch: r.batches_per_epoch,
      samples: r.samples, total: run.pace.total, rate, eta, elapsed: r.elapsed,
    };
    // The next slice is the batch that ends an epoch: it also measures the whole sets.
    this.statusText = r.evaluating && !r.done ? measuring(r.epoch + 1, run.info) : null;
    this.emit("progress");
    if (r.records.length) this.prediction.again();
    if (r.diverged) {
      Object.assign(run, { status: "diverged", hasModel: false, message: `${capitalise(r.diverged)}.` });
      return true;
    }
    if (r.done) run.status = r.stopped ? "stopped" : "done";
    return r.done;
  }

  /** Asks the run in training to stop after the slice in progress. */
  requestStop() {
    if (!this.training) return;
    this.stopRequested = true;
    this.setStatus("Stopping after this slice…");
  }

  // -- weights files ---------------------------------------------------------------------------

  /** The weights of the model in use: {bytes (Uint8Array of an .npz file), name}. */
  async exportWeights() {
    const run = this.currentRun();
    if (!run?.hasModel) throw new LabError("there is no model to save");
    const bytes = await this.call("export", { run_id: run.id });
    return { bytes, name: weightsFileName(run.label), run };
  }

  /**
   * Loads an .npz weights file (a File or Blob with a name) as a new run, which comes into use.
   * @param {{name: string, size: number, arrayBuffer: () => Promise<ArrayBuffer>}} file
   */
  async importWeights(file) {
    if (file.size > MAX_IMPORT_BYTES) {
      const mb = (n) => grouped(Math.round(n / 1e6));
      throw new LabError(`${file.name} is ${mb(file.size)} MB; the lab loads weights files of at most ${mb(MAX_IMPORT_BYTES)} MB.`);
    }
    const id = this.newRunId();  // taken now: a run started meanwhile gets another
    const data = new Uint8Array(await file.arrayBuffer());
    await this.loadChoices();
    const result = await this.call("load", { run_id: id, data, data_path: SUBSET_PATH, name: file.name },
      { transfer: [data.buffer] });
    const config = { hidden: result.sizes.slice(1, -1), activation: result.activation, optimizer: "imported", dtype: result.dtype };
    const run = this.newRun(config, {
      id, label: file.name, status: "imported", hasModel: true, result,
      detail: `${result.sizes.join("-")} · ${result.activation} · ${result.dtype} · loaded from a file`,
    });
    this.current = run.id;
    this.emit("all");
    this.prediction.again();
    return run;
  }

  /** The form's raw values to keep across page changes (only the known fields). */
  keepForm(raw) {
    this.formValues = Object.fromEntries(FIELDS.map((k) => [k, raw[k]]));
  }
}

function restarted() {
  // A Stop elsewhere (a cell on another page) restarted Python: the lab's models are gone.
  return new LabError("Python was restarted (a running cell was stopped), so the lab's models are gone; "
    + "press Train to start again");
}
