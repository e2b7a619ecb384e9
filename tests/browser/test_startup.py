"""Start-up: the browser loads the standard library and numpy as bytecode compiled from the
pinned files, instead of compiling their sources at every start."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from assets.bytecode import BYTECODE_PACKAGES, COMPILED_STDLIB

REPO = Path(__file__).resolve().parents[2]
PY312_MAGIC = (3531).to_bytes(2, "little") + b"\r\n"  # the .pyc magic number of CPython 3.12


def test_compiled_stdlib_has_bytecode_for_every_module_and_every_other_file_unchanged(site_dir):
    pyodide_dir = site_dir / "assets" / "pyodide"
    with zipfile.ZipFile(pyodide_dir / "python_stdlib.zip") as src, \
            zipfile.ZipFile(pyodide_dir / COMPILED_STDLIB) as compiled:
        sources = {i.filename for i in src.infolist()}
        names = {i.filename for i in compiled.infolist()}
        modules = {n for n in sources if n.endswith(".py")}
        assert len(modules) > 400
        assert names == (sources - modules) | {n + "c" for n in modules}
        for name in sources - modules:
            assert compiled.read(name) == src.read(name), name
        for name in sorted(modules)[::25]:
            pyc = compiled.read(name + "c")
            assert pyc[:4] == PY312_MAGIC, name
            assert int.from_bytes(pyc[4:8], "little") == 0b01, f"{name}: not an unchecked hash-based .pyc"


RUN = """async () => {
  const { runtime } = await import(new URL("assets/site/runtime.js", location.href).href);
  await runtime.ready();
  let out = "";
  const r = await runtime.run(
    "import json, asyncio\\nprint(json.dumps([json.__spec__.origin, asyncio.__spec__.origin]))",
    { scope: "test-startup", onStdout: (text) => { out += text; } });
  return { ok: r.ok, error: r.error, out };
}"""


def test_worker_imports_the_standard_library_from_its_bytecode(page, server):
    server.clear()
    page.goto("")
    result = page.evaluate(RUN)
    assert result["ok"], result["error"]
    origins = json.loads(result["out"])
    assert origins == ["/lib/python312.zip/json/__init__.pyc", "/lib/python312.zip/asyncio/__init__.pyc"]
    served = server.paths()
    assert f"/assets/pyodide/{COMPILED_STDLIB}" in served
    assert "/assets/pyodide/python_stdlib.zip" not in served


def test_numpy_bytecode_holds_a_pyc_for_every_module_of_the_served_wheel(site_dir):
    pyodide_dir = site_dir / "assets" / "pyodide"
    lock = json.loads((pyodide_dir / "pyodide-lock.json").read_text())
    assert BYTECODE_PACKAGES == ("numpy",)
    with zipfile.ZipFile(pyodide_dir / lock["packages"]["numpy"]["file_name"]) as wheel, \
            zipfile.ZipFile(pyodide_dir / "numpy.pyc.zip") as compiled:
        modules = [n for n in wheel.namelist() if n.endswith(".py")]
        expected = {f"{Path(m).parent.as_posix()}/__pycache__/{Path(m).stem}.cpython-312.pyc"
                    for m in modules}
        assert set(compiled.namelist()) == expected
        pyc = compiled.read("numpy/__pycache__/__init__.cpython-312.pyc")
        assert pyc[:4] == PY312_MAGIC
        assert int.from_bytes(pyc[4:8], "little") == 0b11, \
            "numpy's .pyc files must be checked against their sources"


CHECK_PYC = """async () => {
  const { runtime } = await import(new URL("assets/site/runtime.js", location.href).href);
  await runtime.ready();
  let out = "";
  const code = [
    "import importlib, importlib.util, json, pathlib",
    "found = {}",
    "for name in ('numpy', 'mlp', 'mlpsite'):",
    "    root = pathlib.Path(importlib.import_module(name).__file__).parent",
    "    bad, n = [], 0",
    "    for src in sorted(root.rglob('*.py')):",
    "        pyc = pathlib.Path(importlib.util.cache_from_source(str(src)))",
    "        n += 1",
    "        if not pyc.exists() or pyc.read_bytes()[8:16] != importlib.util.source_hash(src.read_bytes()):",
    "            bad.append(str(src))",
    "    found[name] = [n, bad[:5]]",
    "print(json.dumps(found))",
  ].join("\\n");
  const r = await runtime.run(code, { scope: "test-startup", onStdout: (text) => { out += text; } });
  return { ok: r.ok, error: r.error, out };
}"""


def test_bytecode_in_the_worker_matches_the_installed_sources(page):
    """numpy's, mlp's and mlpsite's modules all have a served .pyc of their exact source."""
    page.goto("")
    result = page.evaluate(CHECK_PYC)
    assert result["ok"], result["error"]
    found = json.loads(result["out"])
    assert found["numpy"][0] > 100 and found["mlp"][0] > 20 and found["mlpsite"][0] > 5, found
    assert {name: bad for name, (_, bad) in found.items() if bad} == {}
