// Compile Python sources to bytecode, with Pyodide's own Python.
//
//   node scripts/compile_stdlib.mjs SRC_ZIP DEST_ZIP          the standard library
//   node scripts/compile_stdlib.mjs --wheel WHEEL DEST_ZIP    a package's __pycache__
//
// npm's python_stdlib.zip holds .py sources only, and so do the wheels, so every start of
// Python in the browser compiled each module it imported (several hundred) before running
// it. For the standard library, DEST_ZIP holds the same modules as .pyc files (unchecked
// hash-based, without the sources: zipimport loads them as they are) and every other file
// unchanged. For a wheel, DEST_ZIP holds only <package>/__pycache__/<module>.cpython-312.pyc
// files, to unpack into site-packages next to the installed sources; they are checked
// hash-based, so a .pyc that does not match its source is ignored (recompiled), never run.
// The Python that compiles is the npm pyodide package itself, so the bytecode matches the
// interpreter the site serves.

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const args = process.argv.slice(2);
const wheel = args[0] === "--wheel";
const [src, dest] = wheel ? args.slice(1) : args;
if (!src || !dest) {
  console.error("usage: node scripts/compile_stdlib.mjs [--wheel] SRC_ZIP DEST_ZIP");
  process.exit(2);
}
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const indexURL = path.join(root, "node_modules", "pyodide") + path.sep;
const { loadPyodide } = await import(path.join(indexURL, "pyodide.mjs"));

const pyodide = await loadPyodide({ indexURL });
pyodide.FS.writeFile("/tmp/in.zip", fs.readFileSync(src));
pyodide.globals.set("wheel", wheel);
const count = pyodide.runPython(`
import importlib._bootstrap_external as external
import importlib.util
import sysconfig
import zipfile

# Where the modules live in the browser: Pyodide mounts the standard library's zip at
# /lib/python312.zip and installs wheels into site-packages.
prefix = sysconfig.get_path("purelib") + "/" if wheel else "/lib/python312.zip/"
count = 0
with zipfile.ZipFile("/tmp/in.zip") as zin, zipfile.ZipFile("/tmp/out.zip", "w") as zout:
    for info in zin.infolist():
        data = zin.read(info)
        if info.filename.endswith(".py"):
            code = compile(data, prefix + info.filename, "exec", dont_inherit=True)
            pyc = external._code_to_hash_pyc(code, importlib.util.source_hash(data), checked=wheel)
            name = importlib.util.cache_from_source(info.filename) if wheel else info.filename + "c"
            info, data = zipfile.ZipInfo(name, date_time=info.date_time), bytes(pyc)
            count += 1
        elif wheel:
            continue  # the wheel itself brings everything else
        info.compress_type = zipfile.ZIP_DEFLATED
        zout.writestr(info, data)
count
`);
fs.writeFileSync(dest, pyodide.FS.readFile("/tmp/out.zip"));
console.log(`compiled ${count} modules: ${path.basename(src)} -> ${path.basename(dest)}`);
