// The site's Python runtime: one Pyodide per tab, in a Web Worker (py-worker.js).
// Pages never touch Pyodide: they use this module. It survives Material's instant
// navigation (an ES module runs once per tab), so Python loads once per visit.
//
//   import { runtime } from "./runtime.js";
//   runtime.status                  "idle" | "loading" | "ready" | "busy" | "failed"
//   runtime.onStatus(fn)            fn(status, detail) now and on every change; returns unsubscribe
//   runtime.onReset(fn)             fn({reason}) when Python restarts and every namespace is lost
//   await runtime.ready()           starts loading if needed; rejects if loading failed
//   await runtime.run(code, {scope, filename, onStart, onStdout, onStderr, onFigure, onMessage})
//        -> {ok: true, value?} | {ok: false, error: {type, message, traceback}, stopped?, cancelled?}
//   await runtime.stop({scope?})    stops the running code and cancels queued runs (only those of
//        `scope` if given) -> {stopped, namespaceReset}
//   await runtime.loadData(name)    fetches assets/data/<name> into /data/<name>; returns the path
//   runtime.resetScope(scope)       forgets a namespace
//   runtime.retry()                 after "failed": start again
//
// Runs are queued and executed one at a time, in order. `scope` names a namespace
// (cells of one page share one; the training lab uses "lab"). Output callbacks are
// called as the code runs; stdout and stderr arrive in line-sized pieces.

const SITE_ROOT = new URL("..", import.meta.url);          // javascripts/ -> the site root
const PYODIDE_URL = new URL("assets/pyodide/", SITE_ROOT).href;
const DATA_URL = new URL("assets/data/", SITE_ROOT).href;
const PRELOAD = ["mnist-subset.npz"];
const PACKAGES = ["numpy", "mlp"];
const LOAD_TIMEOUT_MS = 180_000;   // then "failed", with a Retry; the status shows the seconds meanwhile
const INTERRUPT_GRACE_MS = 1500;   // a KeyboardInterrupt gets this long before the worker is replaced

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

class Runtime {
  constructor() {
    this.status = "idle";
    this.detail = {};
    this.timings = {};
    this.generation = 0;            // increases when the worker is replaced
    this.canInterrupt = globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer === "function";
    this._listeners = new Set();
    this._resetListeners = new Set();
    this._worker = null;
    this._ready = null;
    this._queue = [];
    this._active = null;
    this._lastJob = null;
    this._nextId = 1;
    this._data = new Map();
    this._interrupt = null;
    this._timer = null;
  }

  onStatus(fn) {
    this._listeners.add(fn);
    fn(this.status, this.detail);
    return () => this._listeners.delete(fn);
  }

  onReset(fn) {
    this._resetListeners.add(fn);
    return () => this._resetListeners.delete(fn);
  }

  ready() {
    if (!this._ready) this._start();
    return this._ready.promise;
  }

  retry() {
    if (this.status === "failed") this._restart("retry");
    return this.ready();
  }

  run(code, options = {}) {
    if (typeof code !== "string") throw new TypeError(`runtime.run: code must be a string, got ${typeof code}`);
    const job = {
      id: this._nextId++,
      code,
      scope: options.scope ?? "default",
      filename: options.filename ?? "<input>",
      handlers: options,
    };
    const done = new Promise((resolve) => { job.resolve = resolve; });
    job.done = done;
    this._queue.push(job);
    this.ready().then(() => this._pump(), () => this._failQueued());
    return done;
  }

  async stop({ scope } = {}) {
    const mine = (job) => scope === undefined || job.scope === scope;
    for (const job of this._queue.filter(mine)) {
      this._finish(job, { ok: false, cancelled: true,
        error: { type: "Cancelled", message: "Stopped before it started.", traceback: "" } });
    }
    this._queue = this._queue.filter((job) => !mine(job));
    const job = this._active;
    if (!job || !mine(job)) return { stopped: false, namespaceReset: false };
    if (this._interrupt) {
      this._interrupt[0] = 2; // SIGINT: Python raises KeyboardInterrupt at its next check
      const stopped = await Promise.race([job.done.then(() => true), sleep(INTERRUPT_GRACE_MS).then(() => false)]);
      if (stopped) return { stopped: true, namespaceReset: false };
    }
    this._restart("stop");
    return { stopped: true, namespaceReset: true };
  }

  async loadData(name) {
    if (typeof name !== "string" || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
      throw new Error(`runtime.loadData: ${JSON.stringify(name)} is not a data file name `
        + `(letters, digits, ".", "_" and "-", e.g. "mnist-full.npz")`);
    }
    await this.ready();
    const id = this._nextId++;
    return new Promise((resolve, reject) => {
      this._data.set(id, { resolve, reject });
      this._worker.postMessage({ type: "loadData", id, name });
    });
  }

  resetScope(scope) {
    if (this._worker && this.status !== "failed") this._worker.postMessage({ type: "drop", scope });
  }

  // ---- internals -------------------------------------------------------------------------

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

    let worker;
    try {
      worker = new Worker(new URL("py-worker.js", import.meta.url), { type: "module", name: "python" });
    } catch (error) {
      this._fail(`the browser could not start a worker: ${error.message}`);
      return;
    }
    this._worker = worker;
    performance.mark("python:worker-start");
    worker.onmessage = (event) => { if (this._worker === worker) this._onMessage(event.data); };
    worker.onerror = (event) => {
      if (this._worker !== worker) return;
      event.preventDefault();
      const reason = event.message || "the Python worker could not be loaded";
      if (this.status === "loading") this._fail(reason);
      else console.error("Python worker:", reason);
    };

    let buffer;
    if (this.canInterrupt) {
      buffer = new SharedArrayBuffer(1);
      this._interrupt = new Uint8Array(buffer);
    } else {
      this._interrupt = null;
    }
    worker.postMessage({
      type: "init",
      indexURL: PYODIDE_URL,
      lockFileURL: PYODIDE_URL + "pyodide-lock.json",
      // The standard library as bytecode (scripts/compile_stdlib.mjs): nothing to compile at start-up.
      stdLibURL: PYODIDE_URL + "python_stdlib.pyc.zip",
      bytecode: [PYODIDE_URL + "numpy.pyc.zip"],   // numpy's __pycache__, likewise
      dataURL: DATA_URL,
      preload: PRELOAD,
      packages: PACKAGES,
      modules: {
        page: new URL("page.py", import.meta.url).href,
        _cells_runner: new URL("cells_runner.py", import.meta.url).href,
      },
      interruptBuffer: buffer,
    });
    clearTimeout(this._timer);
    this._timer = setTimeout(() => {
      if (this._worker === worker && this.status === "loading") {
        this._fail(`Python did not finish loading within ${LOAD_TIMEOUT_MS / 1000} s`);
      }
    }, LOAD_TIMEOUT_MS);
  }

  _fail(message) {
    clearTimeout(this._timer);
    this._worker?.terminate();
    this._worker = null;
    this._setStatus("failed", { message });
    this._ready.reject(new Error(`Python could not start: ${message}`));
    this._failQueued();
  }

  _failQueued() {
    const message = `Python could not start: ${this.detail.message || "unknown reason"}`;
    for (const job of this._queue.splice(0)) {
      this._finish(job, { ok: false, error: { type: "RuntimeError", message, traceback: "" } });
    }
  }

  _restart(reason) {
    clearTimeout(this._timer);
    this._worker?.terminate();
    this._worker = null;
    const active = this._active;
    this._active = null;
    if (active) {
      this._finish(active, { ok: false, stopped: true, namespaceReset: true,
        error: { type: "Stopped", message: "Stopped: Python was restarted, so every variable is gone.",
                 traceback: "" } });
    }
    for (const [, pending] of this._data) pending.reject(new Error("Python was restarted while loading data"));
    this._data.clear();
    this.generation += 1;
    this._ready = null;
    for (const fn of [...this._resetListeners]) {
      try { fn({ reason }); } catch (error) { console.error(error); }
    }
    this.ready().then(() => this._pump(), () => this._failQueued());
  }

  _pump() {
    if (this._active || this.status === "loading" || this.status === "failed" || !this._worker) return;
    const job = this._queue.shift();
    if (!job) {
      if (this.status !== "ready") this._setStatus("ready", this.detail);
      return;
    }
    this._active = job;
    this._lastJob = job;
    if (this._interrupt) this._interrupt[0] = 0;
    this._setStatus("busy", { scope: job.scope });
    this._call(job, "onStart");
    this._worker.postMessage({ type: "run", id: job.id, code: job.code, scope: job.scope, filename: job.filename });
  }

  _call(job, name, ...args) {
    const fn = job?.handlers[name];
    if (!fn) return;
    try { fn(...args); } catch (error) { console.error(error); }
  }

  _finish(job, result) {
    job.resolve(result);
  }

  _jobFor(id) {
    if (this._active?.id === id) return this._active;
    if (this._lastJob?.id === id) return this._lastJob; // late output, e.g. an asyncio task
    return null;
  }

  _onMessage(msg) {
    switch (msg.type) {
      case "status":
        if (msg.status === "ready") {
          clearTimeout(this._timer);
          this.timings = { ...this.timings, ready: Math.round(performance.now()), worker: msg.detail.timings };
          // The worker's start-up steps as marks of this page (python:boot, python:pyodide-loaded,
          // python:packages-imported, python:data-written), then python:ready.
          for (const [name, epochMs] of Object.entries(msg.detail.marks ?? {})) {
            performance.mark(`python:${name}`, { startTime: epochMs - performance.timeOrigin });
          }
          performance.mark("python:ready");
          this._setStatus("ready", msg.detail);
          this._ready.resolve();
        } else if (msg.status === "failed") {
          this._fail(msg.detail.message);
        } else {
          this._setStatus(msg.status, { ...msg.detail, since: this.detail.since });
        }
        break;
      case "stdout":
        this._call(this._jobFor(msg.id), "onStdout", msg.text);
        break;
      case "stderr":
        this._call(this._jobFor(msg.id), "onStderr", msg.text);
        break;
      case "figure":
        this._call(this._jobFor(msg.id), "onFigure", msg.figure);
        break;
      case "message":
        this._call(this._jobFor(msg.id), "onMessage", msg.message);
        break;
      case "result": {
        const job = this._active;
        if (!job || job.id !== msg.id) break;
        this._active = null;
        const { type, id, fatal, ...result } = msg;
        this._finish(job, result);
        if (fatal) {
          this._restart("fatal");
        } else {
          this._pump();
        }
        break;
      }
      case "fatal":
        this._restart("fatal");
        break;
      case "data": {
        const pending = this._data.get(msg.id);
        if (!pending) break;
        this._data.delete(msg.id);
        if (msg.ok) pending.resolve(msg.path);
        else pending.reject(new Error(msg.error));
        break;
      }
      default:
        console.warn("runtime: unknown message from the worker", msg.type);
    }
  }
}

export const runtime = new Runtime();
