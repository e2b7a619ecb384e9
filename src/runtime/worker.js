// @ts-check
// The site's Python: one Pyodide in a module Web Worker, driven by runtime.js through Comlink.
// It exposes (Comlink.expose) the API that worker-api.js types and documents: init(config,
// hooks), run(code, scope, filename, callbacks), call(module, name, kwargs), loadData(name)
// and drop(scope).
// config.preload: data files fetched into /data/ once ready, config.prefetch: archives of
// modules served on demand, likewise; runs and calls wait for them (preload() below).

import * as Comlink from "comlink";
import { startupFailure } from "./startup-failure.js";
import { WorkFiles } from "./work-files.js";

/** @typedef {import("./worker-api.js").WorkerAPI} WorkerAPI */
/** @typedef {import("./worker-api.js").WorkerConfig} WorkerConfig */
/** @typedef {import("./worker-api.js").WorkerHooks} WorkerHooks */
/** @typedef {import("./worker-api.js").RunCallbacks} RunCallbacks */
/** @typedef {import("./worker-api.js").ReadyDetail} ReadyDetail */
/** An error of the worker; `fromPython`: an exception of the code called, not of Pyodide. */
/** @typedef {Error & {fromPython?: boolean}} WorkerError */

const PACKAGES = ["numpy", "mlp", "mlpsite"];

let pyodide = null;
let runner = null;
let booted = null;          // promise of the finished start-up
/** @type {WorkerHooks | null} */
let hooks = null;           // the page's {fatal}
/** @type {RunCallbacks | null} */
let output = null;          // callbacks of the run producing output (late output included)
let pendingOutput = Promise.resolve();   // the last callback sent: awaited before a result
let broken = null;          // the error that broke Pyodide for good, once it happens
/** @type {Promise<unknown>} */
let queue = Promise.resolve();
/** @type {WorkerConfig | null} */
let config = null;
let workFiles = null;       // the working directory's files, reported after each run
let interrupts = null;      // the page's interrupt buffer (a Uint8Array on a SharedArrayBuffer)

const message = (error) => (error && error.message ? error.message : String(error));

const networkFetch = self.fetch.bind(self);

// Pyodide runs every step of async Python (each cell: top-level await is allowed) on a
// stack of its own when the engine has JavaScript Promise Integration (JSPI), so that
// pyodide.ffi.run_sync can suspend it. Nothing here uses run_sync. When Stop has to end this
// worker while Python runs on such a stack, Firefox reports the stack's promise as rejected
// with `undefined` ("uncaught exception: undefined" in the page's console); without JSPI the
// same code runs on the worker's own stack and ending it is silent, as in every engine.
// Pyodide 0.27 checks for JSPI as it loads ("Suspending" in WebAssembly, or the older
// "Suspender"), so hiding both here makes every engine run Python the same way.
for (const name of ["Suspending", "Suspender"]) {
  if (typeof WebAssembly === "object" && name in WebAssembly) delete WebAssembly[name];
}

// While Python starts, Pyodide fetches its own files (pyodide.asm.wasm, the standard library,
// the lock, the wheels); a request that fails outright only says "Failed to fetch". This fetch
// names the file, as fetchOk does for ours.
async function namingFetch(input, init) {
  try {
    return await networkFetch(input, init);
  } catch (error) {
    const url = String(input?.url ?? input);
    throw new TypeError(`could not fetch ${url.split("/").pop()} (${url}): ${error.message}`, { cause: error });
  }
}

async function fetchOk(url, what) {
  let response;
  try {
    response = await networkFetch(url);
  } catch (error) {
    throw new Error(`could not fetch ${what} (${url}): ${error.message}`, { cause: error });
  }
  if (!response.ok) throw new Error(`could not fetch ${what} (${url}): HTTP ${response.status}`);
  return response;
}

// Python dicts from mlpsite.page arrive as PyProxies; the page gets plain objects.
function plain(value) {
  if (value && typeof value.toJs === "function") {
    return value.toJs({ dict_converter: Object.fromEntries, create_pyproxies: false });
  }
  return value;
}

function send(kind, payload) {
  if (!output) return;
  try {
    const sent = Promise.resolve(output[kind](payload));
    sent.catch(() => {}); // the page went away: nothing to show it in
    pendingOutput = sent;
  } catch {
    // output after its run's callbacks were released (a later run started): dropped
  }
}

// The module `_cells_js` that mlpsite.runner and mlpsite.page write to.
const bridge = {
  post_stream(name, text) { send(name === "stderr" ? "stderr" : "stdout", text); },
  post_figure(figure) { send("figure", plain(figure)); },
  post_message(msg) { send("message", plain(msg)); },
  // Interrupts on only while the reader's code runs (mlpsite.runner.interruptible): Python
  // takes one at its next check, and anywhere else it would break the run's own machinery.
  // Off, the buffer keeps a Stop's request until they are on again.
  interrupts(on) { if (interrupts) pyodide.setInterruptBuffer(on ? interrupts : undefined); },
};

/** @param {WorkerConfig} cfg @returns {Promise<ReadyDetail>} */
async function boot(cfg) {
  const t0 = performance.now();
  /** @type {Record<string, number>} */
  const timings = {};
  const since = () => Math.round(performance.now() - t0);
  // Start-up steps in epoch milliseconds, comparable across threads (runtime.js turns them
  // into performance marks of the page).
  /** @type {Record<string, number>} */
  const marks = {};
  const mark = (name) => { marks[name] = performance.timeOrigin + performance.now(); };
  mark("boot");
  const failure = startupFailure(cfg.indexURL);
  self.fetch = namingFetch;
  try {
    // Compiled __pycache__ of packages: an optimisation, so a failure only costs time.
    const bytecode = Promise.all(cfg.bytecode.map((url) => fetchOk(url, "bytecode")
      .then((r) => r.arrayBuffer())
      .catch((error) => { console.warn(`worker: ${error.message}; compiling instead`); return null; })));
    // Pyodide 0.27.7 casts function pointers with a WebAssembly GC trampoline where the engine
    // validates it, which iOS and iPadOS 18 do and then crash on (WebKit's bug, fixed in
    // Safari 26: pyodide#5428, #5670). It leaves the trampoline out when navigator.platform
    // says iPhone, iPad or iPod, but an iPad says "MacIntel" (CPython's later fix, gh-135388,
    // also looks for a touch screen, which a worker cannot see). The page can: on such an
    // iPad this worker says "iPad" too, and Python calls through JavaScript instead.
    if (cfg.iPad) Object.defineProperty(self.navigator, "platform", { value: "iPad", configurable: true });
    const { loadPyodide } = await import(/* @vite-ignore */ cfg.indexURL + "pyodide.mjs");
    // `packages` starts the numpy, mlp and mlpsite downloads as soon as the lock file is read,
    // while the WebAssembly module is still being compiled.
    pyodide = await Promise.race([loadPyodide({
      indexURL: cfg.indexURL,
      lockFileURL: cfg.lockFileURL,
      stdLibURL: cfg.stdLibURL,
      packages: PACKAGES,
      stdout: (line) => bridge.post_stream("stdout", line + "\n"),
      stderr: (line) => bridge.post_stream("stderr", line + "\n"),
    }), failure.promise]);
    failure.stop();
    timings.pyodide = since();
    mark("pyodide-loaded"); // the interpreter, with numpy, mlp and mlpsite installed
    // Pyodide calls `on_fatal` (an internal hook of its API object in 0.27) when it breaks for
    // good: a WebAssembly trap, a stack overflow or memory exhausted inside C code. The run in
    // progress may then never settle, so the page is told from here.
    if (pyodide._api) pyodide._api.on_fatal = onFatal;
    const missing = PACKAGES.filter((name) => !(name in pyodide.loadedPackages));
    if (missing.length) {
      // Their download failed (the reason is in the console): say which.
      throw new Error(`could not load the package${missing.length > 1 ? "s" : ""} ${missing.join(", ")} `
        + `from ${cfg.indexURL}`);
    }

    pyodide.registerJsModule("_cells_js", bridge);
    const purelib = pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')");
    for (const buffer of await bytecode) {
      if (buffer) pyodide.unpackArchive(buffer, "zip", { extractDir: purelib });
    }
    // Any module not served at start is fetched when first imported.
    pyodide.runPython(`import mlpsite.ondemand; mlpsite.ondemand.install(${JSON.stringify(cfg.onDemandURL)})`);
    // Cells write `import page`: it is mlpsite.page. The first cell's imports are done ahead.
    pyodide.runPython("import sys, numpy, mlp, mlpsite.page, mlpsite.runner\n"
      + "sys.modules['page'] = mlpsite.page\nmlpsite.runner.install()");
    runner = pyodide.pyimport("mlpsite.runner");
    mark("packages-imported");

    pyodide.FS.mkdirTree("/data");
    if (cfg.interruptBuffer) interrupts = new Uint8Array(cfg.interruptBuffer);
    timings.total = since();
    self.fetch = networkFetch;
    return { timings, marks, resources: resourceTimings(), interrupts: Boolean(cfg.interruptBuffer),
      wasmGc: Boolean(pyodide._module?._PyEM_CountArgsPtr) };
  } catch (error) {
    failure.stop();
    self.fetch = networkFetch;
    throw new Error(message(error), { cause: error });
  }
}

// The files this worker fetched: start and end in epoch milliseconds, bytes over the network
// (0 when the HTTP cache answered).
function resourceTimings() {
  const entries = /** @type {PerformanceResourceTiming[]} */ (performance.getEntriesByType("resource"));
  return entries.map((e) => ({
    name: e.name.split("/").pop(),
    start: performance.timeOrigin + e.startTime,
    end: performance.timeOrigin + e.responseEnd,
    transferSize: e.transferSize,
  }));
}

function onFatal(error) {
  if (broken) return;
  broken = error;
  Promise.resolve(hooks?.fatal(message(error))).catch(() => {});
}

// Once Pyodide is broken, its pending calls fail in their own ways until runtime.js ends this
// worker: consequences of the error already reported, not new ones.
for (const type of ["error", "unhandledrejection"]) {
  self.addEventListener(type, (event) => {
    if (!broken) return;
    event.preventDefault();
    const { message: text, reason } = /** @type {ErrorEvent & PromiseRejectionEvent} */ (event);
    console.warn("worker: after the fatal error:", text ?? reason?.message ?? reason);
  });
}

/**
 * One piece of Python at a time, in the order asked.
 * @template T
 * @param {() => Promise<T>} task
 * @returns {Promise<T>}
 */
function serial(task) {
  const result = queue.then(task);
  queue = result.catch(() => {});
  return result;
}

// The buffers of the Uint8Arrays in a value: they are handed over, not copied.
function buffers(value, found = []) {
  if (value instanceof Uint8Array) found.push(value.buffer);
  else if (Array.isArray(value)) for (const v of value) buffers(v, found);
  else if (value && typeof value === "object") for (const v of Object.values(value)) buffers(v, found);
  return found;
}

// The data files every page's code may read (cfg.preload: the MNIST subset) are fetched once
// Python is ready, not before: a first visit downloads what Python needs first, and the reader
// reads before pressing Run. Every run and call waits for them; when one cannot be fetched,
// that run fails with a message naming the file (Python itself is fine), and the next run
// fetches it again. Resolves to null, or to that message.
// cfg.prefetch: archives of modules served on demand that nearly every run imports
// (numpy.random), fetched at the same time into the folder mlpsite.ondemand reads them from; if
// one cannot be, the import fetches it and names it if that fails too.
let preloaded = null;
function preload() {
  preloaded ??= Promise.all([...config.prefetch.map(async (name) => {
    try {
      const bytes = new Uint8Array(await (await fetchOk(`${config.onDemandURL}${name}.zip`, name)).arrayBuffer());
      pyodide.FS.mkdirTree(ON_DEMAND_DIR);
      pyodide.FS.writeFile(`${ON_DEMAND_DIR}/${name}.zip`, bytes);
    } catch (error) {
      console.warn(`worker: ${message(error)}; it is fetched when imported`);
    }
  }), ...config.preload.map(async (name) => {
    const path = `/data/${name}`;
    if (pyodide.FS.analyzePath(path).exists) return;
    const bytes = new Uint8Array(await (await fetchOk(config.dataURL + name, name)).arrayBuffer());
    pyodide.FS.writeFile(path, bytes);
  })]).then(() => null, (error) => {
    preloaded = null;
    return `${message(error)}; check the connection and run the code again`;
  });
  return preloaded;
}
const DATA_ERROR = "DataUnavailable";
const ON_DEMAND_DIR = "/lib/python_more"; // mlpsite.ondemand.ARCHIVE_DIR

/**
 * Runs `task` once Python is up. An error that is not a Python exception of the code (those
 * are marked `fromPython`) means Pyodide itself broke: it is named FatalError for the page.
 * @template T
 * @param {() => Promise<T>} task
 * @returns {Promise<T>}
 */
async function python(task) {
  await booted;
  try {
    if (broken) throw new Error(`Python stopped working: ${message(broken)}`);
    return await task();
  } catch (error) {
    /** @type {WorkerError} */
    const reported = error instanceof Error ? error : new Error(message(error));
    if (!reported.fromPython) reported.name = "FatalError";
    throw reported;
  }
}

/** @type {WorkerAPI} */
const api = {
  init(cfg, pageHooks) {
    config = cfg;
    hooks = pageHooks;
    booted = boot(cfg).then((detail) => {
      workFiles = new WorkFiles(pyodide.FS);
      workFiles.restore(cfg.files ?? []);
      preload(); // (a failure is reported by the first run)
      return detail;
    });
    return booted;
  },

  run(code, scope, filename, callbacks) {
    return serial(() => python(async () => {
      output?.[Comlink.releaseProxy]?.();
      output = callbacks;
      const missing = await preload();
      if (missing) return { ok: false, error: { type: DATA_ERROR, message: missing, traceback: "" } };
      const result = JSON.parse(await runner.run(code, scope, filename));
      await pendingOutput.catch(() => {}); // the page has all the output before the result
      const files = workFiles.changes();
      if (!files) return result;
      return Comlink.transfer({ ...result, files }, files.changed.map((file) => file.bytes.buffer));
    }));
  },

  call(module, name, kwargs) {
    return serial(() => python(async () => {
      const missing = await preload();
      if (missing) throw Object.assign(new Error(missing), { name: DATA_ERROR, fromPython: true });
      const proxy = await runner.call(module, name, kwargs ?? {});
      const answer = plain(proxy);
      proxy.destroy();
      await pendingOutput.catch(() => {});
      if (!answer.ok) {
        /** @type {WorkerError} */
        const error = new Error(answer.error.message);
        error.name = answer.error.type;
        error.fromPython = true;
        throw error;
      }
      const value = answer.value;
      // Comlink.transfer keys a WeakMap by the value: a number, string or undefined is returned as is.
      return value !== null && typeof value === "object" ? Comlink.transfer(value, buffers(value)) : value;
    }));
  },

  async loadData(name) {
    await booted;
    const path = `/data/${name}`;
    if (!pyodide.FS.analyzePath(path).exists) {
      const bytes = new Uint8Array(await (await fetchOk(config.dataURL + name, name)).arrayBuffer());
      pyodide.FS.writeFile(path, bytes);
    }
    return path;
  },

  drop(scope) {
    return serial(async () => { await booted; runner?.drop(scope); });
  },
};

Comlink.expose(api);
