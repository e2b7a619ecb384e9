// @ts-check
// The site's Python runtime: one Pyodide per tab, in a Web Worker (worker.js, driven through
// Comlink). Pages never touch Pyodide: they use this module. It survives Material's instant
// navigation (an ES module runs once per tab), so Python loads once per visit.
//
//   import { runtime } from "./runtime.js";
//   runtime.status                  "idle" | "loading" | "ready" | "busy" | "failed"
//   runtime.onStatus(fn)            fn(status, detail) now and on every change; returns unsubscribe
//   runtime.onReset(fn)             fn({reason}) when Python restarts and every namespace is lost
//   await runtime.ready()           starts loading if needed; rejects if loading failed
//   await runtime.run(code, {scope, filename, onStart, onStdout, onStderr, onFigure, onMessage})
//        -> {ok: true, value?} | {ok: false, error: {type, message, traceback}, stopped?, cancelled?}
//   await runtime.call(module, name, kwargs, {transfer, scope})  -> the function's value
//   await runtime.stop({scope?})    stops the running code and cancels queued work (only that of
//        `scope` if given) -> {stopped, namespaceReset}
//   await runtime.loadData(name)    fetches assets/data/<name> into /data/<name>; returns the path
//   runtime.resetScope(scope)       forgets a namespace
//   runtime.retry()                 after "failed": start again
//   runtime.keptFiles               {paths, notKept: {count, first}}: the working directory's
//        files a restart puts back, as the last run left them (work-files.js)
//
// Runs and calls are queued and executed one at a time, in order. The worker's own API, which
// this module calls, is typed in worker-api.js. ARCHITECTURE.md has the rest.

import * as Comlink from "comlink";
import { siteURL } from "../ui/urls.js";
import { RunJob, CallJob, stoppedError } from "./jobs.js";
import { KeptFiles } from "./work-files.js";

/** @typedef {import("./worker-api.js").RemoteWorker} RemoteWorker */
/** @typedef {import("./worker-api.js").WorkerConfig} WorkerConfig */
/** @typedef {import("./worker-api.js").ReadyDetail} ReadyDetail */

const PYODIDE_URL = siteURL("assets/pyodide/");
const DATA_URL = siteURL("assets/data/");
const PRELOAD = ["mnist-subset.npz"];
const LOAD_TIMEOUT_MS = 180_000;   // then "failed", with a Retry; the status shows the seconds meanwhile
// Python gets INTERRUPT_GRACE_MS to take a KeyboardInterrupt: it checks for one many times a
// second while it runs Python code, but a busy machine can leave the worker's thread waiting for
// the processor, and a restart loses every variable, so the wait is not cut close...
const INTERRUPT_GRACE_MS = 3000;
// ...and, once taken, this long more for its result; then the worker is replaced. Only code
// that swallows the KeyboardInterrupt, or whose `finally` runs this long, waits it out; a
// worker starved of the processor unwinds in less, and keeps its variables.
const UNWIND_GRACE_MS = 10_000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

class Runtime {
  constructor() {
    /** @type {"idle"|"loading"|"ready"|"busy"|"failed"} */
    this.status = "idle";
    this.detail = {};
    this.timings = {};
    this.wasmGc = null;             // the ready worker's ReadyDetail.wasmGc
    this.generation = 0;            // increases when the worker is replaced
    this.canInterrupt = globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer === "function";
    this._listeners = new Set();
    this._resetListeners = new Set();
    /** @type {Worker | null} */
    this._worker = null;
    /** @type {RemoteWorker | null} */
    this._remote = null;
    this._lost = null;              // rejects when the current worker is replaced
    /** @type {{promise: Promise<void>, resolve: () => void, reject: (error: Error) => void} | null} */
    this._ready = null;
    /** @type {(RunJob | CallJob)[]} */
    this._queue = [];
    /** @type {RunJob | CallJob | null} */
    this._active = null;
    this._interrupt = null;
    this._timer = null;
    this._kept = new KeptFiles();   // the working directory's files, for the next worker
  }

  /** The files a restart of Python puts back: {paths, notKept: {count, first: [{path, size}]}}. */
  get keptFiles() {
    return this._kept.summary();
  }

  /**
   * @param {(status: string, detail: object) => void} fn  called now and on every change
   * @returns {() => void} unsubscribe
   */
  onStatus(fn) {
    this._listeners.add(fn);
    fn(this.status, this.detail);
    return () => this._listeners.delete(fn);
  }

  /**
   * @param {(info: {reason: "stop"|"retry"|"fatal"}) => void} fn  the worker was replaced
   * @returns {() => void} unsubscribe
   */
  onReset(fn) {
    this._resetListeners.add(fn);
    return () => this._resetListeners.delete(fn);
  }

  /** @returns {Promise<void>} starts Python if needed; rejects if it could not start */
  ready() {
    if (!this._ready) this._start();
    return this._ready.promise;
  }

  /** After "failed": start again. @returns {Promise<void>} */
  retry() {
    if (this.status === "failed") this._restart("retry");
    return this.ready();
  }

  /**
   * Runs Python code in the namespace of `options.scope`. Never rejects.
   * @param {string} code
   * @param {{scope?: string, filename?: string, onStart?: Function, onStdout?: Function,
   *          onStderr?: Function, onFigure?: Function, onMessage?: Function}} [options]
   * @returns {Promise<{ok: boolean, value?: string, error?: {type: string, message: string,
   *          traceback: string}, stopped?: boolean, cancelled?: boolean, namespaceReset?: boolean}>}
   */
  run(code, options = {}) {
    if (typeof code !== "string") throw new TypeError(`runtime.run: code must be a string, got ${typeof code}`);
    return this._enqueue(new RunJob(code, options));
  }

  /**
   * Calls `module.name(**kwargs)` in Python (e.g. "mlpsite.lab") and resolves to its value as
   * plain data (dicts become objects; bytes a Uint8Array). Uint8Array/ArrayBuffer arguments
   * arrive as bytes; the buffers in `transfer` are handed over, not copied. Rejects with an
   * Error whose name is the Python exception's type, or "Stopped"/"Cancelled"/"FatalError"/
   * "RuntimeError" (Python could not start) when the call could not finish.
   * @param {string} module
   * @param {string} name
   * @param {Record<string, any>} [kwargs]
   * @param {{transfer?: Transferable[], scope?: string}} [options]
   * @returns {Promise<any>}
   */
  call(module, name, kwargs = {}, { transfer = [], scope = "call" } = {}) {
    if (typeof module !== "string" || typeof name !== "string") {
      throw new TypeError(`runtime.call: module and name must be strings, got ${typeof module} and ${typeof name}`);
    }
    return this._enqueue(new CallJob(module, name, kwargs, transfer, scope));
  }

  /**
   * Stops the running code and cancels queued work (of `scope` only, if given).
   * @param {{scope?: string}} [options]
   * @returns {Promise<{stopped: boolean, namespaceReset: boolean}>}
   */
  async stop({ scope } = {}) {
    const mine = (job) => scope === undefined || job.scope === scope;
    for (const job of this._queue.filter(mine)) job.cancel();
    this._queue = this._queue.filter((job) => !mine(job));
    const job = this._active;
    if (!job || !mine(job)) return { stopped: false, namespaceReset: false };
    if (this._interrupt && await this._interrupted(job)) return { stopped: true, namespaceReset: false };
    if (this._active !== job) return { stopped: true, namespaceReset: false };  // it ended meanwhile
    this._restart("stop");
    return { stopped: true, namespaceReset: true };
  }

  // Asks Python to raise KeyboardInterrupt in `job`'s code; true once the job has ended.
  // Python clears the buffer when it takes the interrupt, so a busy page or machine, or the
  // code's own `finally` blocks, can delay the result past INTERRUPT_GRACE_MS without the
  // worker (and every variable) being replaced; code that does not check for interrupts
  // (a long call into C), or swallows them, is.
  async _interrupted(job) {
    this._interrupt[0] = 2; // SIGINT: Python raises KeyboardInterrupt at its next check
    const ended = job.done.then(() => true);
    if (await Promise.race([ended, sleep(INTERRUPT_GRACE_MS).then(() => false)])) return true;
    if (this._interrupt[0] !== 0) return false;  // not taken
    return Promise.race([ended, sleep(UNWIND_GRACE_MS).then(() => false)]);
  }

  /**
   * Fetches assets/data/<name> into Python's /data/<name>.
   * @param {string} name  e.g. "mnist-full.npz"
   * @returns {Promise<string>} the path in Python's file system
   */
  async loadData(name) {
    if (typeof name !== "string" || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
      throw new Error(`runtime.loadData: ${JSON.stringify(name)} is not a data file name `
        + `(letters, digits, ".", "_" and "-", e.g. "mnist-full.npz")`);
    }
    await this.ready();
    return this._guard(this._remote.loadData(name), "Python was restarted while loading data");
  }

  /** Forgets the namespace `scope`. @param {string} scope */
  resetScope(scope) {
    if (this._remote && this.status !== "failed") this._remote.drop(scope).catch(() => {});
  }

  // ---- internals -------------------------------------------------------------------------

  _enqueue(job) {
    this._queue.push(job);
    this.ready().then(() => this._pump(), () => this._failQueued());
    return job.promise;
  }

  // `promise`, or a rejection with `message` once this worker is replaced.
  _guard(promise, message) {
    const lost = this._lost;
    return Promise.race([promise, lost.promise.then(() => { throw new Error(message); })]);
  }

  _setStatus(status, detail = {}) {
    this.status = status;
    this.detail = detail;
    for (const fn of [...this._listeners]) {
      try { fn(status, detail); } catch (error) { console.error(error); }
    }
  }

  _start() {
    let resolve, reject;
    const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
    promise.catch(() => {}); // failures are reported through the status
    this._ready = { promise, resolve, reject };
    this.timings = { start: Math.round(performance.now()) };
    this._setStatus("loading", { message: "Loading Python", since: performance.now() });

    if (typeof WebAssembly !== "object") {
      // Safari's Lockdown Mode (and some locked-down browsers) turn WebAssembly off.
      this._fail("this browser runs no WebAssembly, which Python needs here. Safari's Lockdown Mode "
        + "turns it off: exclude this site from it (Safari: the page's settings), or use another browser");
      return;
    }
    let worker;
    try {
      worker = new Worker(new URL("worker.js", import.meta.url), { type: "module", name: "python" });
    } catch (error) {
      this._fail(`the browser could not start a worker: ${error.message}`);
      return;
    }
    this._worker = worker;
    let lostResolve;
    this._lost = { promise: new Promise((res) => { lostResolve = res; }) };
    this._lost.resolve = lostResolve;
    performance.mark("python:worker-start");
    worker.addEventListener("error", (event) => {
      if (this._worker !== worker) return;
      event.preventDefault();
      const reason = event.message || "the Python worker could not be loaded";
      if (this.status === "loading") this._fail(reason);
      else console.error("Python worker:", reason);
    });
    this._remote = Comlink.wrap(worker);

    let buffer;
    if (this.canInterrupt) {
      buffer = new SharedArrayBuffer(1);
      this._interrupt = new Uint8Array(buffer);
    } else {
      this._interrupt = null;
    }
    /** @type {WorkerConfig} */
    const config = {
      indexURL: PYODIDE_URL,
      lockFileURL: PYODIDE_URL + "pyodide-lock.json",
      // The standard library modules the site imports, as bytecode (scripts/assets/trim.py);
      // every other module is fetched from more/ when code imports it (mlpsite.ondemand).
      stdLibURL: PYODIDE_URL + "python_start.zip",
      onDemandURL: PYODIDE_URL + "more/",
      // numpy.random, served after start (trim.py DEFERRED), fetched as soon as Python is ready.
      prefetch: ["numpy.random"],
      // The __pycache__ of mlp and mlpsite (checked against their sources); numpy's wheel
      // holds bytecode in place of its sources.
      bytecode: ["mlp", "mlpsite"].map((name) => `${PYODIDE_URL}${name}.pyc.zip`),
      dataURL: DATA_URL,
      preload: PRELOAD,
      interruptBuffer: buffer,
      files: this._kept.list(),
      iPad: navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1,
    };
    const hooks = Comlink.proxy({ fatal: (message) => { if (this._worker === worker) this._onFatal(message); } });
    this._guard(this._remote.init(config, hooks), "replaced").then(
      (detail) => { if (this._worker === worker) this._onReady(detail); },
      (error) => { if (this._worker === worker) this._fail(error.message); });
    clearTimeout(this._timer);
    this._timer = setTimeout(() => {
      if (this._worker === worker && this.status === "loading") {
        this._fail(`Python did not finish loading within ${LOAD_TIMEOUT_MS / 1000} s`);
      }
    }, LOAD_TIMEOUT_MS);
  }

  /** @param {ReadyDetail} detail */
  _onReady(detail) {
    clearTimeout(this._timer);
    this.timings = { ...this.timings, ready: Math.round(performance.now()), worker: detail.timings };
    this.wasmGc = detail.wasmGc;
    // The worker's start-up steps as marks of this page (python:boot, python:pyodide-loaded,
    // python:packages-imported), then python:ready.
    for (const [name, epochMs] of Object.entries(detail.marks ?? {})) {
      performance.mark(`python:${name}`, { startTime: epochMs - performance.timeOrigin });
    }
    performance.mark("python:ready");
    this._setStatus("ready", detail);
    this._ready.resolve();
  }

  _fail(message) {
    clearTimeout(this._timer);
    this._dropWorker();
    this._setStatus("failed", { message });
    this._ready.reject(new Error(`Python could not start: ${message}`));
    this._failQueued();
  }

  _failQueued() {
    const message = `Python could not start: ${this.detail.message || "unknown reason"}`;
    for (const job of this._queue.splice(0)) job.failStart(message);
  }

  _dropWorker() {
    this._worker?.terminate();
    this._worker = null;
    this._remote?.[Comlink.releaseProxy]?.();
    this._remote = null;
    this._lost?.resolve();  // every pending call of that worker rejects
  }

  _onFatal(message) {
    const job = this._active;
    this._active = null;
    job?.fatal(message);
    this._restart("fatal");
  }

  _restart(reason) {
    clearTimeout(this._timer);
    this._dropWorker();
    const active = this._active;
    this._active = null;
    active?.stopped(stoppedError());
    this.generation += 1;
    this._ready = null;
    for (const fn of [...this._resetListeners]) {
      try { fn({ reason }); } catch (error) { console.error(error); }
    }
    this.ready().then(() => this._pump(), () => this._failQueued());
  }

  _pump() {
    if (this._active || this.status === "loading" || this.status === "failed" || !this._remote) return;
    const job = this._queue.shift();
    if (!job) {
      if (this.status !== "ready") this._setStatus("ready", this.detail);
      return;
    }
    this._active = job;
    if (this._interrupt) this._interrupt[0] = 0;
    this._setStatus("busy", { scope: job.scope });
    const remote = this._remote;
    this._guard(job.start(remote), "replaced").then(
      (result) => {
        if (this._active !== job) return;  // already ended by Stop or a fatal error
        this._active = null;
        if (job instanceof RunJob && result.files) {
          this._kept.apply(result.files);
          delete result.files;
        }
        job.settle(result);
        this._pump();
      },
      (error) => {
        if (this._active !== job) return;
        if (job.failed(error)) {
          this._active = null;
          this._pump();
        } else {
          this._onFatal(error.message);  // not an error of Python code: Pyodide itself broke
        }
      });
  }
}

export const runtime = new Runtime();
