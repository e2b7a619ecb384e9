"""Start-up: the browser loads the standard library and numpy as bytecode compiled from the
pinned files, instead of compiling their sources at every start; only the modules the site
imports are served at start (scripts/assets/trim.py), every other one on demand."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from assets.bytecode import COMPILED_STDLIB
from assets.trim import DEFERRED, MORE, NAMES_FILE, NUMPY_DROP, START, cell_imports

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
  const beforeReady = runtime.detail.resources.map((e) => e.name);  // the worker's, until ready
  let out = "";
  const r = await runtime.run(
    "import json, asyncio\\nprint(json.dumps([json.__spec__.origin, asyncio.__spec__.origin]))",
    { scope: "test-startup", onStdout: (text) => { out += text; } });
  return { ok: r.ok, error: r.error, out, beforeReady };
}"""


def test_worker_imports_the_standard_library_from_its_bytecode(page, server):
    server.clear()
    page.goto("")
    result = page.evaluate(RUN)
    assert result["ok"], result["error"]
    origins = json.loads(result["out"])
    assert origins == ["/lib/python312.zip/json/__init__.pyc", "/lib/python312.zip/asyncio/__init__.pyc"]
    served = server.paths()
    assert f"/assets/pyodide/{START}" in served
    assert f"/assets/pyodide/{COMPILED_STDLIB}" not in served
    assert "/assets/pyodide/python_stdlib.zip" not in served
    # Nothing is fetched on demand at start; numpy.random's archive (trim.DEFERRED) is fetched
    # once Python is ready, before the first run.
    assert [p for p in served if f"/{MORE}/" in p] == [f"/assets/pyodide/{MORE}/numpy.random.zip"]
    assert "pyodide.asm.wasm" in result["beforeReady"] and "numpy.random.zip" not in result["beforeReady"]


def _on_demand(pyodide_dir):
    with zipfile.ZipFile(pyodide_dir / START) as start:
        groups = dict(line.split() for line in start.read(NAMES_FILE).decode().splitlines())
        return set(start.namelist()), groups


def test_every_module_is_served_at_start_or_on_demand_exactly_once(site_dir):
    """Each module of the standard library and of numpy's wheel: in python_start.zip or numpy's
    trimmed wheel, or listed in ondemand.txt and in its group's archive; never both."""
    pyodide_dir = site_dir / "assets" / "pyodide"
    start, groups = _on_demand(pyodide_dir)
    archives = {}
    for path in (pyodide_dir / MORE).glob("*.zip"):
        with zipfile.ZipFile(path) as zf:
            archives[path.stem] = set(zf.namelist())
    assert set(groups.values()) == set(archives), "ondemand.txt and the archives of more/ differ"

    def module(name):
        name = name[:-4].replace("/", ".")
        return name.removesuffix(".__init__")

    with zipfile.ZipFile(pyodide_dir / COMPILED_STDLIB) as full:
        for name in (n for n in full.namelist() if n.endswith(".pyc")):
            in_start, group = name in start, groups.get(module(name))
            assert in_start != (group is not None), f"{name}: at start {in_start}, on demand in {group}"
            if group:
                assert name in archives[group], f"{name} is not in {MORE}/{group}.zip"

    lock = json.loads((pyodide_dir / "pyodide-lock.json").read_text())
    official = json.loads((REPO / "node_modules" / "pyodide" / "pyodide-lock.json").read_text())
    with zipfile.ZipFile(pyodide_dir / official["packages"]["numpy"]["file_name"]) as whl, \
            zipfile.ZipFile(pyodide_dir / lock["packages"]["numpy"]["file_name"]) as trimmed, \
            zipfile.ZipFile(pyodide_dir / "numpy.pyc.zip") as compiled:
        served = set(trimmed.namelist())
        assert not [n for n in served if n.endswith((".py", ".pyi", ".h", ".a")) or "/f2py/" in n]
        for name in whl.namelist():
            deferred = next((g for g in DEFERRED if name.startswith(g.replace(".", "/") + "/")), None)
            if name.endswith(".so") and deferred:
                with zipfile.ZipFile(pyodide_dir / MORE / f"{deferred}.zip") as holder:
                    assert holder.read(name) == whl.read(name), name
                assert name not in served, f"{name}: served at start and in {MORE}/{deferred}.zip"
            elif name.endswith(".so"):
                assert name in served, f"{name}: extension module not in the trimmed wheel"
            if not name.endswith(".py") or NUMPY_DROP.search(name):
                continue
            folder, _, base = name.rpartition("/")
            pyc = compiled.read(f"{folder}/__pycache__/{base[:-3]}.cpython-312.pyc")
            group = groups.get(module(name + "c"))
            assert (name + "c" in served) != (group is not None), name
            if group:
                with zipfile.ZipFile(pyodide_dir / MORE / f"{group}.zip") as holder:
                    held = holder.read(name + "c")
            else:
                held = trimmed.read(name + "c")
            assert held == pyc, f"{name}: bytecode differs from numpy.pyc.zip"
        assert "numpy/__init__.pyc" in served and "numpy/_core/_multiarray_umath" in " ".join(served)


# Every module a cell imports is found at start; one served on demand arrives when imported,
# and one whose archive cannot be fetched is named, with the reason, and imports once it can.
IMPORTS = """async ([names, extra]) => {
  const { runtime } = await import(new URL("assets/site/runtime.js", location.href).href);
  await runtime.ready();
  let out = "";
  const code = [
    "import importlib, importlib.util, json, sys",
    "from mlpsite.ondemand import OnDemandFinder",
    `names, extra = ${JSON.stringify(names)}, ${JSON.stringify(extra)}`,
    "missing = [n for n in names if importlib.util.find_spec(n) is None]",
    "finder = next(f for f in sys.meta_path if isinstance(f, OnDemandFinder))",
    "before = list(finder.imported)",
    "results = {}",
    "for n in extra:",
    "    try:",
    "        results[n] = importlib.import_module(n).__spec__.origin",
    "    except ImportError as error:",
    "        results[n] = 'error: ' + str(error)",
    "print(json.dumps({'missing': missing, 'before': before, 'results': results}))",
  ].join("\\n");
  const r = await runtime.run(code, { scope: "test-startup", onStdout: (text) => { out += text; } });
  return r.ok ? JSON.parse(out) : r.error;
}"""


def test_every_cell_import_is_served_and_other_modules_arrive_on_demand(page, server):
    page.goto("")
    names = cell_imports()
    assert {"numpy", "mlp", "page"} <= set(names)
    server.clear()
    result = page.evaluate(IMPORTS, [names, ["email.mime.text", "numpy.polynomial", "numpy.fft._pocketfft_umath"]])
    assert result["missing"] == [] and result["before"] == [], result
    assert result["results"]["email.mime.text"] == "/lib/python_more/email.zip/email/mime/text.pyc"
    assert result["results"]["numpy.polynomial"].endswith("numpy.polynomial.zip/numpy/polynomial/__init__.pyc")
    assert f"/assets/pyodide/{MORE}/email.zip" in server.paths()
    # numpy.fft's archive holds its extension module: unpacked into site-packages, imported from there.
    assert result["results"]["numpy.fft._pocketfft_umath"].startswith("/lib/python3.12/site-packages/numpy/fft/_pocketfft_umath.")


@pytest.mark.allow_failed_requests
@pytest.mark.allow_console_errors
def test_a_module_whose_archive_cannot_be_fetched_is_named_and_imports_later(page):
    url = f"**/assets/pyodide/{MORE}/xml.zip"
    page.context.route(url, lambda route: route.abort("internetdisconnected"))
    page.goto("")
    message = page.evaluate(IMPORTS, [[], ["xml.dom.minidom"]])["results"]["xml.dom.minidom"]
    assert message.startswith("error: the module 'xml' is served on demand from http"), message
    assert f"{MORE}/xml.zip, which could not be downloaded" in message and "run the code again" in message
    page.context.unroute(url)
    origin = page.evaluate(IMPORTS, [[], ["xml.dom.minidom"]])["results"]["xml.dom.minidom"]
    assert origin.endswith("xml.zip/xml/dom/minidom.pyc"), origin


CHECK_PYC = """async () => {
  const { runtime } = await import(new URL("assets/site/runtime.js", location.href).href);
  await runtime.ready();
  let out = "";
  const code = [
    "import importlib, importlib.util, json, pathlib",
    "found = {}",
    "for name in ('mlp', 'mlpsite'):",
    "    root = pathlib.Path(importlib.import_module(name).__file__).parent",
    "    bad, n = [], 0",
    "    for src in sorted(root.rglob('*.py')):",
    "        pyc = pathlib.Path(importlib.util.cache_from_source(str(src)))",
    "        n += 1",
    "        if not pyc.exists() or pyc.read_bytes()[8:16] != importlib.util.source_hash(src.read_bytes()):",
    "            bad.append(str(src))",
    "    found[name] = [n, bad[:5]]",
    "import numpy",
    "root = pathlib.Path(numpy.__file__).parent",
    "found['numpy'] = [len(list(root.rglob('*.pyc'))), [str(p) for p in root.rglob('*.py')][:5]]",
    "found['numpy_file'] = numpy.__file__",
    "print(json.dumps(found))",
  ].join("\\n");
  const r = await runtime.run(code, { scope: "test-startup", onStdout: (text) => { out += text; } });
  return { ok: r.ok, error: r.error, out };
}"""


def test_bytecode_in_the_worker_matches_the_installed_sources(page):
    """mlp's and mlpsite's modules all have a served .pyc of their exact source; numpy's are
    bytecode without sources."""
    page.goto("")
    result = page.evaluate(CHECK_PYC)
    assert result["ok"], result["error"]
    found = json.loads(result["out"])
    assert found.pop("numpy_file").endswith("site-packages/numpy/__init__.pyc")
    assert found["numpy"][0] > 50 and found["mlp"][0] > 20 and found["mlpsite"][0] > 5, found
    assert {name: bad for name, (_, bad) in found.items() if bad} == {}
