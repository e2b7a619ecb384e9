// @ts-check
// The work runtime.js queues: a run of code (never rejects: it resolves to a result object the
// cells show) and a call of a named Python function (resolves to its value or rejects). Each
// job ends exactly once, whichever way: settled by the worker, failed, cancelled before it
// started, stopped by a restart, or ended by a fatal error of Pyodide.

import * as Comlink from "comlink";

/** @typedef {import("./worker-api.js").RemoteWorker} RemoteWorker */
/** @typedef {import("./worker-api.js").PythonError} PythonError */
/** @typedef {import("./worker-api.js").RunResult} RunResult */

/** The error of work that was running when Python was restarted. @returns {PythonError} */
export function stoppedError() {
  return { type: "Stopped", message: "Stopped: Python was restarted, so every variable is gone.", traceback: "" };
}

/** @param {string} message @returns {PythonError} */
function fatalError(message) {
  return { type: "FatalError", traceback: "",
    message: `Python stopped working: ${message}. It is being restarted, so every variable is gone.` };
}

function errorObject({ type, message }) {
  const error = new Error(message);
  error.name = type;
  return error;
}

export class Job {
  constructor(scope) {
    this.scope = scope;
    this.ended = false;
    this.promise = new Promise((resolve, reject) => { this._resolve = resolve; this._reject = reject; });
    this.done = new Promise((resolve) => { this._done = resolve; });
  }

  _end(ok, value) {
    if (this.ended) return;
    this.ended = true;
    if (ok) this._resolve(value);
    else this._reject(value);
    this._done();
  }

  /** Dropped from the queue before it started. */
  cancel() { this._fail({ type: "Cancelled", message: "Stopped before it started.", traceback: "" }, { cancelled: true }); }

  /** Python could not start. @param {string} message */
  failStart(message) { this._fail({ type: "RuntimeError", message, traceback: "" }); }

  /** Python was restarted while it ran. @param {PythonError} error */
  stopped(error) { this._fail(error, { stopped: true, namespaceReset: true }); }

  /** Pyodide broke for good while it ran. @param {string} message */
  fatal(message) { this._fail(fatalError(message)); }

  /**
   * Ends the job with `error`: RunJob and CallJob each do it their own way.
   * @param {PythonError} error
   * @param {{cancelled?: boolean, stopped?: boolean, namespaceReset?: boolean}} [extra]
   */
  _fail(error, extra) { throw new Error(`${this.constructor.name} cannot end with ${error.type}`, { cause: extra }); }
}

export class RunJob extends Job {
  constructor(code, options) {
    super(options.scope ?? "default");
    this.code = code;
    this.filename = options.filename ?? "<input>";
    this.handlers = options;
  }

  _handle(name, ...args) {
    const fn = this.handlers[name];
    if (!fn) return;
    try { fn(...args); } catch (error) { console.error(error); }
  }

  /** @param {RemoteWorker} remote @returns {Promise<RunResult>} */
  start(remote) {
    this._handle("onStart");
    const callbacks = Comlink.proxy({
      stdout: (text) => this._handle("onStdout", text),
      stderr: (text) => this._handle("onStderr", text),
      figure: (figure) => this._handle("onFigure", figure),
      message: (msg) => this._handle("onMessage", msg),
    });
    return remote.run(this.code, this.scope, this.filename, callbacks);
  }

  /** @param {RunResult} result */
  settle(result) { this._end(true, result); }

  /**
   * The worker's run failed outside Python's code: false, so the caller treats it as fatal.
   * @param {Error} _error
   */
  failed(_error) { return false; }

  _fail(error, extra = {}) { this._end(true, { ok: false, ...extra, error }); }
}

export class CallJob extends Job {
  constructor(module, name, kwargs, transfer, scope) {
    super(scope);
    this.module = module;
    this.name = name;
    this.kwargs = kwargs;
    this.transfer = transfer;
  }

  /** @param {RemoteWorker} remote @returns {Promise<any>} */
  start(remote) {
    return remote.call(this.module, this.name, Comlink.transfer(this.kwargs, this.transfer));
  }

  settle(value) { this._end(true, value); }

  /**
   * A Python exception (named by its type) rejects the call; true unless Pyodide broke.
   * @param {Error} error
   */
  failed(error) {
    if (error?.name === "FatalError") return false;
    this._end(false, error);
    return true;
  }

  _fail(error) { this._end(false, errorObject(error)); }
}
