// The site's Python: one Pyodide in a module Web Worker, driven by runtime.js.
//
// Messages in:  init {indexURL, lockFileURL, stdLibURL, bytecode, dataURL, preload, modules, interruptBuffer?}
//               run {id, code, scope, filename} · loadData {id, name} · drop {scope}
// Messages out: status {status: "loading" | "ready" | "failed", detail}
//                 (the "ready" detail has `marks`: name -> epoch milliseconds of each start-up step,
//                 and `resources`: how long each file took and whether it came from the cache)
//               stdout / stderr {id, text} · figure {id, figure} · message {id, message}
//               result {id, ok, value?, error?, fatal?} · data {id, ok, path?, error?}
//               fatal (Pyodide broke with no run in progress: start a new worker)

let pyodide = null;
let runner = null;
let booted = null;          // promise of the finished start-up
let current = null;         // id of the run whose output is being produced
let running = false;        // a run is in progress
let broken = null;          // the error that broke Pyodide for good, once it happens
let queue = Promise.resolve();
let config = null;

const post = (message) => self.postMessage(message);
const status = (state, detail = {}) => post({ type: "status", status: state, detail });

self.onmessage = (event) => {
  const msg = event.data;
  switch (msg.type) {
    case "init":
      config = msg;
      booted = boot(msg);
      booted.catch(() => {}); // reported as a status message
      break;
    case "run":
      queue = queue.then(() => run(msg));
      break;
    case "loadData":
      loadData(msg);
      break;
    case "drop":
      queue = queue.then(() => runner?.drop(msg.scope));
      break;
    default:
      console.warn("py-worker: unknown message", msg.type);
  }
};

async function fetchOk(url, what) {
  let response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(`could not fetch ${what} (${url}): ${error.message}`);
  }
  if (!response.ok) throw new Error(`could not fetch ${what} (${url}): HTTP ${response.status}`);
  return response;
}

// Python dicts from page.py arrive as PyProxies; the page gets plain objects.
function plain(value) {
  if (value && typeof value.toJs === "function") {
    return value.toJs({ dict_converter: Object.fromEntries, create_pyproxies: false });
  }
  return value;
}

const bridge = {
  post_stream(name, text) {
    post({ type: name === "stderr" ? "stderr" : "stdout", id: current, text });
  },
  post_figure(figure) {
    post({ type: "figure", id: current, figure: plain(figure) });
  },
  post_message(message) {
    post({ type: "message", id: current, message: plain(message) });
  },
};

// Some start-up failures (a WebAssembly file that cannot be fetched or compiled) do not
// reject loadPyodide: Emscripten reports them and aborts in a promise nobody awaits.
let stopWatching = () => {};
function startupFailure(cfg) {
  return new Promise((_, reject) => {
    const warn = console.warn;
    const onRejection = (event) => {
      event.preventDefault();
      reject(event.reason instanceof Error ? event.reason : new Error(String(event.reason)));
    };
    const seen = [];
    console.warn = (...args) => {
      warn.apply(console, args);
      seen.push(args.map(String).join(" "));
      if (/instantiation failed|HTTP status code is not ok|Aborted\(/.test(seen.at(-1))) {
        // The reason follows in the next warning: collect it, then fail.
        setTimeout(() => reject(new Error(
          `could not load ${cfg.indexURL}pyodide.asm.wasm: ${seen.join(" ")}`)), 50);
      }
    };
    self.addEventListener("unhandledrejection", onRejection);
    stopWatching = () => {
      console.warn = warn;
      self.removeEventListener("unhandledrejection", onRejection);
    };
  });
}

async function boot(cfg) {
  const t0 = performance.now();
  const timings = {};
  const since = () => Math.round(performance.now() - t0);
  // Start-up steps in epoch milliseconds, comparable across threads (runtime.js turns them
  // into performance marks of the page).
  const marks = {};
  const mark = (name) => { marks[name] = performance.timeOrigin + performance.now(); };
  mark("boot");
  try {
    status("loading", { message: "Loading Python" });
    // Everything that does not need Python is fetched while Pyodide starts.
    const modules = Promise.all(Object.entries(cfg.modules).map(async ([name, url]) => {
      const text = await (await fetchOk(url, `${name}.py`)).text();
      return [name, text];
    }));
    const data = Promise.all(cfg.preload.map(async (name) => {
      const bytes = new Uint8Array(await (await fetchOk(cfg.dataURL + name, name)).arrayBuffer());
      timings[`data ${name}`] = since();
      return [name, bytes];
    }));
    // Compiled __pycache__ of packages: an optimisation, so a failure only costs time.
    const bytecode = Promise.all(cfg.bytecode.map((url) => fetchOk(url, "bytecode")
      .then((r) => r.arrayBuffer())
      .catch((error) => { console.warn(`py-worker: ${error.message}; compiling instead`); return null; })));
    // Unhandled until awaited below: keep the rejection from being reported twice.
    modules.catch(() => {});
    data.catch(() => {});

    const { loadPyodide } = await import(cfg.indexURL + "pyodide.mjs");
    // `packages` starts the numpy and mlp downloads as soon as the lock file is read,
    // while the WebAssembly module is still being compiled.
    pyodide = await Promise.race([loadPyodide({
      indexURL: cfg.indexURL,
      lockFileURL: cfg.lockFileURL,
      stdLibURL: cfg.stdLibURL,
      packages: cfg.packages,
      stdout: (line) => bridge.post_stream("stdout", line + "\n"),
      stderr: (line) => bridge.post_stream("stderr", line + "\n"),
    }), startupFailure(cfg)]);
    stopWatching();
    timings.pyodide = since();
    mark("pyodide-loaded"); // the interpreter, with numpy and mlp installed
    // Pyodide calls `on_fatal` (an internal hook of its API object in 0.27) when it breaks for
    // good: a WebAssembly trap, a stack overflow or memory exhausted inside C code. The run in
    // progress may then never settle, so its failure is reported from here.
    if (pyodide._api) pyodide._api.on_fatal = onFatal;
    const missing = cfg.packages.filter((name) => !(name in pyodide.loadedPackages));
    if (missing.length) {
      // Their download failed (the reason is in the console): say which.
      throw new Error(`could not load the package${missing.length > 1 ? "s" : ""} ${missing.join(", ")} `
        + `from ${cfg.indexURL}`);
    }

    const purelib = pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')");
    for (const [name, text] of await modules) pyodide.FS.writeFile(`${purelib}/${name}.py`, text);
    pyodide.registerJsModule("_cells_js", bridge);
    runner = pyodide.pyimport("_cells_runner");
    runner.install();
    for (const buffer of await bytecode) {
      if (buffer) pyodide.unpackArchive(buffer, "zip", { extractDir: purelib });
    }
    pyodide.runPython("import numpy, mlp, page"); // the first cell's imports, done ahead
    mark("packages-imported");

    pyodide.FS.mkdirTree("/data");
    for (const [name, bytes] of await data) pyodide.FS.writeFile(`/data/${name}`, bytes);
    mark("data-written");
    if (cfg.interruptBuffer) pyodide.setInterruptBuffer(new Uint8Array(cfg.interruptBuffer));
    timings.total = since();
    status("ready", { timings, marks, resources: resourceTimings(), interrupts: Boolean(cfg.interruptBuffer) });
  } catch (error) {
    stopWatching();
    status("failed", { message: error && error.message ? error.message : String(error) });
    throw error;
  }
}

// The files this worker fetched: start and end in epoch milliseconds, bytes over the network
// (0 when the HTTP cache answered).
function resourceTimings() {
  return performance.getEntriesByType("resource").map((e) => ({
    name: e.name.split("/").pop(),
    start: performance.timeOrigin + e.startTime,
    end: performance.timeOrigin + e.responseEnd,
    transferSize: e.transferSize,
  }));
}

function fatalResult(error) {
  const message = error && error.message ? error.message : String(error);
  return {
    ok: false, fatal: true,
    error: { type: "FatalError", traceback: "",
             message: `Python stopped working: ${message}. It is being restarted, so every variable is gone.` },
  };
}

function onFatal(error) {
  if (broken) return;
  broken = error;
  if (running) {
    running = false;
    post({ type: "result", id: current, ...fatalResult(error) });
  } else {
    post({ type: "fatal" });
  }
}

// Once Pyodide is broken, its pending calls fail in their own ways until runtime.js ends this
// worker: consequences of the error already reported, not new ones.
for (const type of ["error", "unhandledrejection"]) {
  self.addEventListener(type, (event) => {
    if (!broken) return;
    event.preventDefault();
    console.warn("py-worker: after the fatal error:", event.message ?? event.reason?.message ?? event.reason);
  });
}

async function run({ id, code, scope, filename }) {
  if (broken) return;  // reported already; runtime.js replaces this worker
  current = id;
  running = true;
  let result;
  try {
    await booted;
    result = JSON.parse(await runner.run(code, scope, filename));
  } catch (error) {
    // Not a Python exception (those come back as results): Pyodide itself broke.
    result = fatalResult(broken || error);
  }
  if (!running) return;  // onFatal reported this run
  running = false;
  post({ type: "result", id, ...result });
}

async function loadData({ id, name }) {
  try {
    await booted;
    const path = `/data/${name}`;
    const exists = pyodide.FS.analyzePath(path).exists;
    if (!exists) {
      const bytes = new Uint8Array(await (await fetchOk(config.dataURL + name, name)).arrayBuffer());
      pyodide.FS.writeFile(path, bytes);
    }
    post({ type: "data", id, ok: true, path });
  } catch (error) {
    post({ type: "data", id, ok: false, error: error && error.message ? error.message : String(error) });
  }
}
