// @ts-check
// The Python worker's API: what worker.js exposes (Comlink.expose) and runtime.js and jobs.js
// call (Comlink.wrap), as types both sides are checked against (tsc -p tsconfig.json, run by
// scripts/test). Nothing here runs; the module exports no value.
//
// Through Comlink every method returns a promise, and a callback object passed to the worker
// (hooks, callbacks) is a Comlink.proxy: calling one of its functions from the worker returns
// a promise too (hence their `void | Promise<void>`), which rejects once the page is gone.

/**
 * init's configuration: where Python's files are, and what to do before "ready".
 * @typedef {object} WorkerConfig
 * @property {string} indexURL  Pyodide's folder (ends in "/"): pyodide.mjs, the wheels
 * @property {string} lockFileURL  pyodide-lock.json
 * @property {string} stdLibURL  the standard library modules the site imports, as bytecode
 *   (python_start.zip, scripts/assets/trim.py)
 * @property {string} onDemandURL  the folder of the archives of every other module (more/,
 *   ends in "/"), fetched when code imports one of them (mlpsite.ondemand)
 * @property {string[]} prefetch  archives of more/ that nearly every run imports (numpy.random),
 *   fetched as soon as Python is ready; runs and calls wait for them
 * @property {string[]} bytecode  the __pycache__ archives of mlp and mlpsite, unpacked into
 *   site-packages before the first import (a failed one only costs time)
 * @property {string} dataURL  the data files' folder (assets/data/, ends in "/")
 * @property {string[]} preload  data files fetched once Python is ready, written to
 *   /data/<name>; runs and calls wait for them, and one that cannot be fetched fails the run
 *   with DataUnavailable (the next run fetches it again)
 * @property {SharedArrayBuffer} [interruptBuffer]  one byte: 2 makes Python raise
 *   KeyboardInterrupt (only when the page is crossOriginIsolated)
 * @property {import("./work-files.js").KeptFile[]} [files]  the working directory's files of
 *   the previous worker, written back before "ready"
 * @property {boolean} [iPad]  the page runs on an iPad that calls itself a Mac (iPadOS 13 and
 *   later: navigator.platform "MacIntel", with a touch screen); the worker then says "iPad"
 *   as its platform, so that Pyodide leaves out WebAssembly GC there (see worker.js)
 */

/**
 * The page's hooks, a Comlink.proxy the worker keeps.
 * @typedef {object} WorkerHooks
 * @property {(message: string) => void | Promise<void>} fatal  Pyodide broke for good (a WebAssembly trap, a
 *   stack overflow, memory exhausted inside C code); the run in progress may never settle
 */

/**
 * What init resolves to: the "ready" detail of runtime.onStatus.
 * @typedef {object} ReadyDetail
 * @property {Record<string, number>} timings  milliseconds since the worker's start-up began:
 *   `pyodide` (interpreter and packages loaded), `total`
 * @property {Record<string, number>} marks  the start-up steps in epoch milliseconds: `boot`,
 *   `pyodide-loaded`, `packages-imported` (runtime.js makes them the page's
 *   performance marks python:<step>)
 * @property {ResourceTiming[]} resources  the files the worker fetched
 * @property {boolean} interrupts  whether stop() can raise KeyboardInterrupt
 * @property {boolean} wasmGc  whether Python calls function pointers through Pyodide's
 *   WebAssembly GC trampoline (false: through JavaScript, as on iPhones and iPads)
 */

/**
 * @typedef {object} ResourceTiming
 * @property {string} name  the file's name (the URL's last part)
 * @property {number} start  epoch milliseconds
 * @property {number} end  epoch milliseconds
 * @property {number} transferSize  bytes over the network (0 when the HTTP cache answered)
 */

/**
 * run's callbacks, a Comlink.proxy; the worker awaits the last one it called before it
 * resolves, so all output reaches the page before the result.
 * @typedef {object} RunCallbacks
 * @property {(text: string) => void | Promise<void>} stdout  a line (or the rest, at the end)
 *   of sys.stdout
 * @property {(text: string) => void | Promise<void>} stderr  likewise for sys.stderr
 * @property {(figure: Record<string, any>) => void | Promise<void>} figure  a figure of
 *   mlpsite.page: {kind: "digits" | "chart" | "bars" | "heatmap" | "log" | ..., key?, title?, ...}
 * @property {(msg: Record<string, any>) => void | Promise<void>} message  what page.send sent:
 *   {kind, ...payload} (e.g. training progress)
 */

/**
 * An exception of Python code.
 * @typedef {object} PythonError
 * @property {string} type  its class's name, e.g. "ValueError"; or "Stopped", "Cancelled",
 *   "FatalError", "RuntimeError" when the run could not finish (set by jobs.js, not by Python)
 * @property {string} message  str(exception)
 * @property {string} traceback  formatted without Pyodide's frames; "" when none is shown
 * @property {string} [hint]  one line that says what to do (e.g. a name from an earlier cell)
 */

/**
 * What run resolves to (it never rejects for an error of the code).
 * @typedef {object} RunResult
 * @property {boolean} ok  whether the code ran to its end
 * @property {string} [value]  with ok: the repr of the last expression, when not None
 * @property {PythonError} [error]  without ok: what was raised
 * @property {import("./work-files.js").FileChanges} [files]  the working directory's files
 *   this run changed (their buffers transferred), absent when none did; runtime.js keeps them
 */

/**
 * The worker's methods, as worker.js defines them.
 * @typedef {object} WorkerAPI
 * @property {(config: WorkerConfig, hooks: WorkerHooks) => Promise<ReadyDetail>} init  starts
 *   Python; rejects with the reason it could not start
 * @property {(code: string, scope: string, filename: string, callbacks: RunCallbacks)
 *             => Promise<RunResult>} run
 *   runs cell code in the namespace `scope` (`filename` is shown in tracebacks)
 * @property {(module: string, name: string, kwargs: Record<string, any>) => Promise<any>} call
 *   module.name(**kwargs) as plain data: dicts become objects, None undefined, bytes a
 *   Uint8Array whose buffer is transferred; a Python exception rejects with an Error named
 *   after its type (message only); an Error named "FatalError" means Pyodide itself broke
 * @property {(name: string) => Promise<string>} loadData  fetches assets/data/<name> into
 *   /data/<name> unless it is there; resolves to that path
 * @property {(scope: string) => Promise<void>} drop  forgets the namespace `scope`
 */

/**
 * The page's handle on the worker (Comlink.wrap): the same methods.
 * @typedef {import("comlink").Remote<WorkerAPI>} RemoteWorker
 */

export {};
