// Which module files does the site's Python import? Asked of npm Pyodide's own Python in Node.
//
//   node scripts/trace_imports.mjs STDLIB_ZIP IMPORTS_JSON OUT_JSON WHEEL_OR_PYC_ZIP...
//
// Starts Pyodide with STDLIB_ZIP (the compiled standard library), installs the wheels and
// unpacks the __pycache__ archives (*.pyc.zip) into site-packages as the worker does, then
// does what the worker does before "ready" (import numpy, mlp, mlpsite.page, mlpsite.runner,
// mlpsite.ondemand), runs a cell through mlpsite.runner (an error included, so that traceback
// formatting is traced), imports every module of mlpsite, trains, predicts with and exports a
// small model through mlpsite.lab as the lab page does (on a made-up data file of the site's
// format), and imports every module named in IMPORTS_JSON (the modules the site's cells
// import; one that fails is reported, not fatal). OUT_JSON gets
// {"files": [every imported module's file], "failed": {module: error}}.

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const [stdlib, importsJson, outJson, ...packages] = process.argv.slice(2);
if (!stdlib || !outJson) {
  console.error("usage: node scripts/trace_imports.mjs STDLIB_ZIP IMPORTS_JSON OUT_JSON WHEEL_OR_PYC_ZIP...");
  process.exit(2);
}
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const indexURL = path.join(root, "node_modules", "pyodide") + path.sep;
const { loadPyodide } = await import(path.join(indexURL, "pyodide.mjs"));

const pyodide = await loadPyodide({ indexURL, stdLibURL: path.resolve(stdlib) });
const wheels = packages.filter((p) => p.endsWith(".whl")).map((p) => path.resolve(p));
await pyodide.loadPackage(wheels, { messageCallback: () => {} });
const purelib = pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')");
for (const zip of packages.filter((p) => p.endsWith(".pyc.zip"))) {
  pyodide.unpackArchive(new Uint8Array(fs.readFileSync(zip)), "zip", { extractDir: purelib });
}
pyodide.registerJsModule("_cells_js", {
  post_stream() {}, post_figure() {}, post_message() {},
});
pyodide.globals.set("cell_imports", JSON.parse(fs.readFileSync(importsJson, "utf8")));
const result = await pyodide.runPythonAsync(`
import sys, importlib, json
import numpy, mlp, mlpsite.page, mlpsite.runner, mlpsite.ondemand
sys.modules["page"] = mlpsite.page
mlpsite.runner.install()
await mlpsite.runner.run("import numpy as np\\nprint(np.arange(3))\\nnp.zeros(2) + np.ones(3)", "trace", "<cell 1>")
import pkgutil, numpy as np
for info in pkgutil.iter_modules(mlpsite.__path__):
    importlib.import_module("mlpsite." + info.name)
import mlpsite.lab as lab
rng = np.random.default_rng(0)
np.savez_compressed("/home/pyodide/trace.npz", x_train=rng.integers(0, 256, (64, 784), dtype=np.uint8),
                    y_train=np.arange(64, dtype=np.uint8) % 10,
                    x_test=rng.integers(0, 256, (16, 784), dtype=np.uint8), y_test=np.arange(16, dtype=np.uint8) % 10)
failed = {}
try:
    for backend in lab.choices()["backends"]:
        lab.start(backend, {"hidden": [8], "epochs": 1, "batch_size": 16, "backend": backend,
                            "keep_best": True}, "/home/pyodide/trace.npz")
        while not lab.step(backend, max_seconds=1).get("done"):
            pass
        lab.evaluate(backend)
        lab.predict(backend, bytes(784))
        lab.load(backend + "-copy", lab.export(backend), "/home/pyodide/trace.npz")
except Exception as error:
    failed["mlpsite.lab (a training run)"] = f"{type(error).__name__}: {error}"
for name in cell_imports:
    try:
        importlib.import_module(name)
    except Exception as error:
        failed[name] = f"{type(error).__name__}: {error}"
files = sorted({f for m in list(sys.modules.values()) if (f := getattr(m, "__file__", None))})
json.dumps({"files": files, "failed": failed})
`);
fs.writeFileSync(outJson, result);
const { files, failed } = JSON.parse(result);
console.log(`traced ${files.length} module files; ${Object.keys(failed).length} imports failed`);
