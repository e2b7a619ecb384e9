"""Start-up: the browser loads the standard library as bytecode compiled from the pinned zip."""

from __future__ import annotations

import importlib.util
import json
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PY312_MAGIC = (3531).to_bytes(2, "little") + b"\r\n"  # the .pyc magic number of CPython 3.12


def build_assets():
    spec = importlib.util.spec_from_file_location("build_assets_for_startup", REPO / "scripts" / "build_assets.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_compiled_stdlib_has_bytecode_for_every_module_and_every_other_file_unchanged(site_dir):
    pyodide_dir = site_dir / "assets" / "pyodide"
    with zipfile.ZipFile(pyodide_dir / "python_stdlib.zip") as src, \
            zipfile.ZipFile(pyodide_dir / build_assets().COMPILED_STDLIB) as compiled:
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
  const { runtime } = await import(new URL("javascripts/runtime.js", location.href).href);
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
    assert f"/assets/pyodide/{build_assets().COMPILED_STDLIB}" in served
    assert "/assets/pyodide/python_stdlib.zip" not in served
