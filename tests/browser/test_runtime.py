"""The self-hosted runtime: the built site holds Pyodide, numpy and this tree's mlp, and a
browser runs them from the site alone."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from pathlib import Path

import pytest

from assets.bytecode import BYTECODE_PACKAGES, COMPILED_STDLIB
from assets.pyodide import CORE_SHA256
from assets.trim import START
from assets.wheels import WHEELS, bytecode_name
from waits import wait_until

REPO = Path(__file__).resolve().parents[2]
OFFICIAL_LOCK = REPO / "node_modules" / "pyodide" / "pyodide-lock.json"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def source_version(package: Path = REPO / "mlp") -> str:
    text = (package / "__init__.py").read_text()
    return re.search(r'^__version__\s*=\s*["\']([^"\']+)["\']', text, re.M).group(1)


def tree_files(package: Path) -> dict[str, bytes]:
    return {
        f.relative_to(package.parent).as_posix(): f.read_bytes()
        for f in package.rglob("*")
        if f.is_file() and "__pycache__" not in f.parts and f.suffix != ".pyc"
    }


@pytest.fixture(scope="module")
def served_lock(site_dir) -> dict:
    return json.loads((site_dir / "assets" / "pyodide" / "pyodide-lock.json").read_text())


# --------------------------------------------------------------------------------------------
# The files of the built site


def test_site_holds_every_runtime_file_with_the_official_hash(site_dir, served_lock):
    official = json.loads(OFFICIAL_LOCK.read_text())
    pyodide_dir = site_dir / "assets" / "pyodide"
    assert official["info"]["version"] == "0.27.7"
    assert served_lock["info"] == official["info"]

    # Core files, pinned to npm pyodide@0.27.7.
    pins = CORE_SHA256
    assert {"pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip"} <= set(pins)
    for name, expected in pins.items():
        assert sha256(pyodide_dir / name) == expected, name
        assert sha256(pyodide_dir / name) == sha256(REPO / "node_modules" / "pyodide" / name), name

    # Every package of the served lock except our own (mlp, mlpsite) is the official entry, and
    # its file is there; numpy's entry names its trimmed wheel (scripts/assets/trim.py, checked
    # in tests/browser/test_startup.py), and the official wheel it was made from is there too.
    others = {n: e for n, e in served_lock["packages"].items() if n not in OUR_WHEELS}
    assert "numpy" in others
    for name, entry in others.items():
        official_entry = official["packages"][name]
        if name == "numpy":
            assert entry["file_name"] == official_entry["file_name"].replace("-2.0.2-", "-2.0.2-1-")
            assert sha256(pyodide_dir / official_entry["file_name"]) == official_entry["sha256"]
            entry = {**entry, "file_name": official_entry["file_name"], "sha256": official_entry["sha256"]}
        else:
            assert sha256(pyodide_dir / entry["file_name"]) == entry["sha256"], entry["file_name"]
        assert entry == official_entry, f"{name}: lock entry differs from the official one"
        for dep in entry["depends"]:
            assert dep in served_lock["packages"], f"{name} depends on {dep}, which is not served"

    # No stray package files: every wheel or zip served is in the lock, or is bytecode compiled
    # from the pinned python_stdlib.zip, from a served wheel (tests/browser/test_startup.py) or
    # from one of our own wheels, or the trimmed standard library.
    listed = {e["file_name"] for e in served_lock["packages"].values()} | set(pins)
    listed |= {COMPILED_STDLIB, START, official["packages"]["numpy"]["file_name"]}
    listed |= {f"{name}.pyc.zip" for name in BYTECODE_PACKAGES}
    listed |= {bytecode_name(wheel) for wheel in WHEELS}
    for f in pyodide_dir.iterdir():
        if f.suffix in {".whl", ".zip"}:
            assert f.name in listed, f"{f.name} is served but not in the lock"


# Our own wheels: package name -> its directory in the working tree.
OUR_WHEELS = {wheel.name: wheel.project / wheel.name for wheel in WHEELS}


@pytest.mark.parametrize("name", sorted(OUR_WHEELS))
def test_mlp_wheel_in_site_is_the_working_tree(site_dir, served_lock, name):
    entry = served_lock["packages"][name]
    wheel = site_dir / "assets" / "pyodide" / entry["file_name"]
    assert wheel.is_file()
    assert sha256(wheel) == entry["sha256"]
    assert entry["version"] == source_version(OUR_WHEELS[name])
    assert entry["imports"] == [name]
    assert "numpy" in entry["depends"]

    with zipfile.ZipFile(wheel) as zf:
        in_wheel = {n: zf.read(n) for n in zf.namelist() if n.startswith(f"{name}/")}
    in_tree = tree_files(OUR_WHEELS[name])
    assert sorted(in_wheel) == sorted(in_tree), "the wheel and mlp/ hold different files"
    for name, data in in_tree.items():
        assert in_wheel[name] == data, f"{name} in the wheel differs from the working tree"


def test_site_serves_vendor_files_and_mnist(site_dir):
    assets = site_dir / "assets"
    for rel in ("vendor/katex/katex.min.js", "vendor/katex/katex.min.css",
                "vendor/katex/contrib/auto-render.min.js", "vendor/uplot/uPlot.iife.min.js"):
        assert (assets / rel).is_file(), rel
    fonts = list((assets / "vendor" / "katex" / "fonts").glob("*.woff2"))
    assert len(fonts) > 10
    # Every font the KaTeX stylesheet names is served.
    css = (assets / "vendor" / "katex" / "katex.min.css").read_text()
    for font in set(re.findall(r"url\((fonts/[^)]+)\)", css)):
        assert (assets / "vendor" / "katex" / font).is_file(), font
    if (REPO / "js" / "editor.js").exists():
        assert (assets / "vendor" / "editor.js").stat().st_size > 10_000

    import numpy as np

    with np.load(assets / "data" / "mnist-subset.npz") as z:
        assert sorted(z.files) == ["x_test", "x_train", "y_test", "y_train"]
        assert z["x_train"].shape == (10_000, 784) and z["x_train"].dtype == np.uint8
        assert z["x_test"].shape == (2_000, 784) and z["y_test"].dtype == np.uint8
        assert np.bincount(z["y_train"], minlength=10).tolist() == [1000] * 10
        assert np.bincount(z["y_test"], minlength=10).tolist() == [200] * 10
        assert z["x_train"].max() == 255
    assert (assets / "data" / "mnist-subset.npz").stat().st_size < 5_000_000


# --------------------------------------------------------------------------------------------
# The browser

BOOT = """async () => {
  const indexURL = new URL("assets/pyodide/", location.href).href;
  const { loadPyodide } = await import(indexURL + "pyodide.mjs");
  const pyodide = await loadPyodide({ indexURL, lockFileURL: indexURL + "pyodide-lock.json" });
  await pyodide.loadPackage(["mlp"]);
  globalThis.__pyodide = pyodide;
  return pyodide.runPython(`
import json, sys, numpy, mlp
json.dumps({"numpy": numpy.__version__, "mlp": mlp.__version__, "mlp_file": mlp.__file__,
            "python": sys.version.split()[0], "sum": int(numpy.arange(10).sum())})
`);
}"""

# Only the packages the site serves are in its lock: asking for another one fails in Python
# with "no known package" instead of a request for a file that is not there.
NOT_SERVED = """() => globalThis.__pyodide.runPythonAsync(`
import pyodide_js
try:
    await pyodide_js.loadPackage(["scipy"])
    import scipy
    result = "imported"
except Exception as exc:
    result = f"{type(exc).__name__}: {exc}"
result
`)"""


def test_browser_runs_numpy_and_mlp_from_the_site(page, server):
    page.goto("")
    server.clear()
    result = json.loads(page.evaluate(BOOT))
    assert result["numpy"] == "2.0.2"
    assert result["mlp"] == source_version()
    assert result["sum"] == 45
    assert result["python"].startswith("3.12")
    assert "site-packages/mlp" in result["mlp_file"]
    assert "No known package with name 'scipy'" in page.evaluate(NOT_SERVED)

    served = server.paths()
    for name in ("pyodide.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json",
                 "numpy-2.0.2-1-cp312-cp312-pyodide_2024_0_wasm32.whl",
                 f"mlp-{source_version()}-py3-none-any.whl"):
        assert f"/assets/pyodide/{name}" in served, f"{name} was not fetched from the site"
    # The page guard fails the test on any request to another origin.
    assert page.guard.foreign_requests == []


RUN_THROUGH_RUNTIME = """async () => {
  const { runtime } = await import(new URL("assets/site/runtime.js", location.href).href);
  await runtime.ready();
  let out = "";
  const r = await runtime.run("import json, numpy, mlp\\nprint(json.dumps([numpy.__version__, mlp.__version__]))",
                              { scope: "test-runtime", onStdout: (text) => { out += text; } });
  return { ...r, out };
}"""


def test_worker_runtime_loads_numpy_and_mlp_from_the_site(page, server):
    server.clear()  # before the page: its cells may start Python while it loads
    page.goto("")
    result = page.evaluate(RUN_THROUGH_RUNTIME)
    assert result["ok"], result
    assert json.loads(result["out"]) == ["2.0.2", source_version()]
    served = server.paths()
    assert "/assets/pyodide/pyodide.asm.wasm" in served
    assert f"/assets/pyodide/mlp-{source_version()}-py3-none-any.whl" in served


CALL_THROUGH_RUNTIME = r"""async () => {
  const { runtime } = await import(new URL("assets/site/runtime.js", location.href).href);
  const fail = (p) => p.then((v) => ({ resolved: v }), (e) => ({ name: e.name, message: e.message }));
  const out = {};
  const bytes = new Uint8Array([1, 2, 255]);
  const value = await runtime.call("builtins", "dict", { raw: bytes, n: 2, text: "é", none: null },
                                   { transfer: [bytes.buffer] });
  out.value = { isBytes: value.raw instanceof Uint8Array, raw: Array.from(value.raw), n: value.n,
                text: value.text, none: value.none === undefined };
  out.transferred = bytes.byteLength === 0;
  out.valueError = await fail(runtime.call("mlpsite.page", "bars", { values: [1, -2] }));
  out.missing = await fail(runtime.call("mlpsite.page", "no_such_function", {}));
  // Values that are not objects come back as they are (Comlink cannot transfer them).
  out.plain = [await runtime.call("statistics", "median", { data: [1, 5, 3] }).catch((e) => e.name),
               await runtime.call("builtins", "str", { object: 7 }).catch((e) => e.name),
               await runtime.call("builtins", "print", {}).catch((e) => e.name)];
  // A call that never ends and one queued behind it: Stop (no interrupts on this server)
  // replaces the worker; neither promise may hang.
  await runtime.run("import sys, types\nspin = types.ModuleType('spin')\n"
    + "exec('def forever():\\n    while True:\\n        pass', spin.__dict__)\nsys.modules['spin'] = spin",
    { scope: "test-call" });
  const generation = runtime.generation;
  const running = fail(runtime.call("spin", "forever"));
  const queued = fail(runtime.call("spin", "forever"));
  await new Promise((resolve) => setTimeout(resolve, 300));
  out.stop = await runtime.stop();
  out.running = await running;
  out.queued = await queued;
  out.replaced = runtime.generation === generation + 1;
  out.after = await runtime.call("builtins", "dict", { again: true });
  return out;
}"""


def test_runtime_call_passes_bytes_and_errors_and_never_hangs_on_a_restart(page):
    page.goto("")
    out = page.evaluate(CALL_THROUGH_RUNTIME)
    assert out["value"] == {"isBytes": True, "raw": [1, 2, 255], "n": 2, "text": "é", "none": True}
    assert out["transferred"]  # the argument's buffer was handed over, not copied
    assert out["valueError"]["name"] == "ValueError" and "-2" in out["valueError"]["message"]
    assert "Traceback" not in out["valueError"]["message"]
    assert out["missing"]["name"] == "AttributeError" and "no_such_function" in out["missing"]["message"]
    assert out["plain"] == [3, "7", None]  # a number, a string, None (undefined) through call
    assert out["stop"] == {"stopped": True, "namespaceReset": True}
    assert out["running"]["name"] == "Stopped", out["running"]
    assert out["queued"]["name"] == "Cancelled", out["queued"]
    assert out["replaced"]
    assert out["after"] == {"again": True}  # a call after the restart works


@pytest.mark.allow_foreign_requests
@pytest.mark.allow_console_errors
def test_page_guard_blocks_and_records_other_origins_also_from_workers(page):
    page.goto("")
    page.evaluate("""() => new Promise((resolve) => {
      fetch("http://example.invalid/from-page").catch(() => {});
      const src = 'fetch("http://example.invalid/from-worker").catch(() => {}).finally(() => postMessage(1));';
      const w = new Worker(URL.createObjectURL(new Blob([src], { type: "text/javascript" })));
      w.onmessage = () => resolve();
    })""")
    wait_until(page, lambda: len(page.guard.foreign_requests) >= 2, what="the guard to record both requests")
    blocked = " ".join(page.guard.foreign_requests)
    assert "example.invalid/from-page" in blocked
    assert "example.invalid/from-worker" in blocked


@pytest.mark.allow_console_errors
def test_page_guard_records_errors_thrown_in_workers(page):
    page.goto("")
    page.evaluate("""() => {
      const src = 'setTimeout(() => { throw new Error("thrown in a worker") }, 0);';
      new Worker(URL.createObjectURL(new Blob([src], { type: "text/javascript" })));
    }""")
    # The error reaches the guard asynchronously; a loaded machine is slow.
    wait_until(page, lambda: any("thrown in a worker" in e for e in page.guard.page_errors),
               timeout_ms=10_000, what="the worker's error to reach the guard")


def test_isolated_server_makes_pages_cross_origin_isolated(new_page, isolated_server):
    page = new_page(base=isolated_server.url)
    page.goto("")
    assert page.evaluate("() => crossOriginIsolated && typeof SharedArrayBuffer === 'function'")


READY_OR_REASON = """async () => {
  const { runtime } = await import(new URL("assets/site/runtime.js", location.href).href);
  try { await runtime.ready(); return "ready"; } catch (error) { return error.message; }
}"""


# Each file Python needs to start, blocked as a browser extension or a proxy would block it:
# the failure names the file, and Retry, once it is served again, starts Python.
@pytest.mark.allow_failed_requests
@pytest.mark.allow_console_errors
@pytest.mark.parametrize("name", ["pyodide.asm.wasm", "pyodide.asm.js", "python_start.zip",
                                  "pyodide-lock.json", "mlpsite-*.whl"])
def test_a_blocked_runtime_file_is_named_and_retry_works(page, name):
    url = f"**/assets/pyodide/{name}"
    page.context.route(url, lambda route: route.abort("blockedbyclient"))
    page.goto("")
    message = page.evaluate(READY_OR_REASON)
    shown = name.replace("-*.whl", "")  # a wheel: named by its package
    assert shown in message, message
    if name.endswith(".wasm"):
        assert "could not fetch pyodide.asm.wasm" in message, message
    page.context.unroute(url)
    assert page.evaluate("""async () => {
      const { runtime } = await import(new URL("assets/site/runtime.js", location.href).href);
      await runtime.retry();
      return runtime.status;
    }""") == "ready"


# The MNIST subset is fetched once Python is ready: when it cannot be, Python is ready all
# the same, a run says which file is missing and why, and the next run, once it is served, reads it.
RUN_SUBSET = """async () => {
  const { runtime } = await import(new URL("assets/site/runtime.js", location.href).href);
  await runtime.ready();
  let out = "";
  const r = await runtime.run("import os; print(os.path.getsize('/data/mnist-subset.npz'))",
                              { scope: "test-data", onStdout: (text) => { out += text; } });
  return r.ok ? out.trim() : `${r.error.type}: ${r.error.message}`;
}"""


@pytest.mark.allow_failed_requests
@pytest.mark.allow_console_errors
def test_an_unreachable_data_file_fails_the_run_not_the_start_and_arrives_later(page, site_dir):
    url = "**/assets/data/mnist-subset.npz"
    page.context.route(url, lambda route: route.abort("internetdisconnected"))
    page.goto("")
    assert page.evaluate(READY_OR_REASON) == "ready"
    message = page.evaluate(RUN_SUBSET)
    assert message.startswith("DataUnavailable: could not fetch mnist-subset.npz (http"), message
    assert message.endswith("check the connection and run the code again"), message
    page.context.unroute(url)
    assert page.evaluate(RUN_SUBSET) == str((site_dir / "assets" / "data" / "mnist-subset.npz").stat().st_size)


def test_a_browser_without_webassembly_is_told_so_instead_of_a_spinner(page):
    # Safari's Lockdown Mode removes WebAssembly.
    page.add_init_script("delete globalThis.WebAssembly")
    page.goto("playground/")
    page.wait_for_function("window.__cells && window.__cells.runtime.status === 'failed'", timeout=20_000)
    status = page.locator(".pycell-runtime").first.inner_text()
    assert "runs no WebAssembly" in status and "Lockdown Mode" in status, status


# Safari on iPadOS 13 and later calls itself a Mac; with a touch screen it is an iPad.
AS_AN_IPAD = """
    Object.defineProperty(Navigator.prototype, "platform", { get: () => "MacIntel" });
    Object.defineProperty(Navigator.prototype, "maxTouchPoints", { get: () => 5 });
"""
USE_NUMPY = """(async () => {
    await window.__cells.ready();
    window.__cells.setCode(0, "import numpy as np\\nprint('sum', (np.arange(12.0).reshape(3, 4) @ np.ones(4)).sum())");
    const result = await window.__cells.run(0, {above: false});
    return {state: result.state, output: document.querySelector(".pycell__output").textContent,
            wasmGc: window.__cells.runtime.wasmGc};
})()"""


def test_an_ipad_that_says_it_is_a_mac_runs_python_without_webassembly_gc(page):
    # iPadOS 18 validates Pyodide's WebAssembly GC trampoline and then crashes on it
    # (pyodide#5670); Pyodide 0.27.7 leaves it out only where navigator.platform says iPad.
    page.goto("playground/")
    plain = page.evaluate(USE_NUMPY)
    assert plain == {"state": "done", "output": "sum 66.0\n", "wasmGc": True}, plain  # Chromium runs it
    page.add_init_script(AS_AN_IPAD)
    page.goto("playground/")
    assert page.evaluate("navigator.platform + ' ' + navigator.maxTouchPoints") == "MacIntel 5"
    ipad = page.evaluate(USE_NUMPY)
    assert ipad == {"state": "done", "output": "sum 66.0\n", "wasmGc": False}, ipad


# Recursion without end: Python's limit must stop it with a RecursionError before the engine's
# own stack runs out (Safari gives a worker 512 KB of stack). test_engines.py runs it in WebKit.
RECURSION = """(async () => {
    await window.__cells.ready();
    const original = window.__cells.getCode(0);
    window.__cells.setCode(0, "def depth(n):\\n    return depth(n + 1)\\n\\ndepth(0)");
    const deep = await window.__cells.run(0, {above: false});
    const error = document.querySelector(".pycell__output").textContent;
    window.__cells.setCode(0, "import sys\\nprint('after', sys.getrecursionlimit())");
    const after = await window.__cells.run(0, {above: false});
    window.__cells.setCode(0, original);    // the page's own code again: no saved edit stays
    return {deep: deep.state, error, after: after.state, reset: !!deep.namespaceReset,
            output: document.querySelector(".pycell__output").textContent};
})()"""


def recursion_fails_cleanly(result: dict) -> None:
    assert result["deep"] == "error" and not result["reset"], result
    assert "RecursionError: maximum recursion depth exceeded" in result["error"], result
    assert result["after"] == "done" and result["output"].startswith("after "), result


def test_endless_recursion_is_a_recursion_error_and_python_stays_up(page):
    page.goto("playground/")
    recursion_fails_cleanly(page.evaluate(RECURSION))


# An edit is saved 400 ms after its last change (cell.js), and WebKit is then asked to keep the
# site's storage (storage.js keepStorage): what it answered, once it has; then the edit is undone.
KEEP = """(async () => {
    const cells = window.__cells, original = cells.getCode(0);
    cells.setCode(0, original + "\\n# an edit");
    const end = performance.now() + %(wait_ms)d;
    while (performance.now() < end && !("storagePersisted" in document.documentElement.dataset)) {
        await new Promise((r) => setTimeout(r, 50));
    }
    const asked = document.documentElement.dataset.storagePersisted ?? null;
    cells.setCode(0, original);
    await new Promise((r) => setTimeout(r, 800));
    return {asked, can: typeof navigator.storage?.persist === "function", edits: Object.keys(localStorage).filter((k) => k.startsWith("cells:")).length};
})()"""


def test_an_edit_asks_to_keep_the_sites_storage_in_webkit_alone(page):
    # Safari deletes a site's storage after 7 days of use without a visit unless it is
    # persistent; Chromium and Firefox are not asked (Firefox would prompt).
    page.goto("playground/")
    page.evaluate("window.__cells.ready()")
    chromium = page.evaluate(KEEP % {"wait_ms": 1500})
    assert chromium == {"asked": None, "can": True, "edits": 0}, chromium
    page.add_init_script('Object.defineProperty(Navigator.prototype, "vendor", { get: () => "Apple Computer, Inc." })')
    page.goto("playground/")
    page.evaluate("window.__cells.ready()")
    as_webkit = page.evaluate(KEEP % {"wait_ms": 5000})
    assert as_webkit["asked"] in ("true", "false") and as_webkit["edits"] == 0, as_webkit
