// Compile Pyodide's standard library to bytecode, with Pyodide's own Python.
//
//   node scripts/compile_stdlib.mjs SRC_ZIP DEST_ZIP
//
// npm's python_stdlib.zip holds .py sources only, so every start of Python in the browser
// compiled each module it imported (several hundred) before running it. DEST_ZIP holds the
// same modules as .pyc files (unchecked hash-based, without the sources: zipimport loads
// them as they are) and every other file unchanged. The Python that compiles them is the
// npm pyodide package itself, so the bytecode matches the interpreter the site serves.

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const [src, dest] = process.argv.slice(2);
if (!src || !dest) {
  console.error("usage: node scripts/compile_stdlib.mjs SRC_ZIP DEST_ZIP");
  process.exit(2);
}
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const indexURL = path.join(root, "node_modules", "pyodide") + path.sep;
const { loadPyodide } = await import(path.join(indexURL, "pyodide.mjs"));

const pyodide = await loadPyodide({ indexURL });
pyodide.FS.writeFile("/tmp/in.zip", fs.readFileSync(src));
const count = pyodide.runPython(`
import importlib._bootstrap_external as external
import importlib.util
import zipfile

count = 0
with zipfile.ZipFile("/tmp/in.zip") as zin, zipfile.ZipFile("/tmp/out.zip", "w") as zout:
    for info in zin.infolist():
        data = zin.read(info)
        if info.filename.endswith(".py"):
            # The path the module has in the browser (Pyodide mounts the zip there).
            code = compile(data, "/lib/python312.zip/" + info.filename, "exec", dont_inherit=True)
            pyc = external._code_to_hash_pyc(code, importlib.util.source_hash(data), checked=False)
            info = zipfile.ZipInfo(info.filename + "c", date_time=info.date_time)
            data = bytes(pyc)
            count += 1
        info.compress_type = zipfile.ZIP_DEFLATED
        zout.writestr(info, data)
count
`);
fs.writeFileSync(dest, pyodide.FS.readFile("/tmp/out.zip"));
console.log(`compiled ${count} modules: ${path.basename(src)} -> ${path.basename(dest)}`);
