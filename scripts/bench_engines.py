"""The engines half of scripts/bench: start-up and training in Chromium, Firefox and WebKit,
side by side in one run, each in a new profile against the same served site.

Chromium through Playwright (as bench_browser.py), Firefox and WebKit through the drivers of
the engine tours (tests/browser/engine_drivers.py: puppeteer-core over WebDriver BiDi, and
WebKitGTK's MiniBrowser through WebKitWebDriver). WebKit runs with
JSC_useSharedArrayBuffer=true, as Safari has SharedArrayBuffer once the page is isolated.
In each engine:

1. **First visit** of the page until Python is ready (runtime.js's ``python:*`` marks, ms after
   navigation), then a **later visit** (a full load once the offline copy is stored).
2. **Where start-up goes**: ``WebAssembly.compile`` of pyodide.asm.wasm alone, then Pyodide
   started again in the page's own thread step by step (PROFILE): the interpreter, numpy's
   package, ``import numpy``.
3. **The lab, first**: its default configuration for LAB_EPOCHS epochs through the page
   (loaded anew, Train clicked, until done), in a worker that has run nothing yet; the samples/s the lab
   reports (its trainer's, each epoch's evaluation included).
4. **Training in the worker**: mlpsite.bench.training of the default configuration (gradient
   steps alone, and with each epoch's evaluation, the lab's measure), ``runs`` epochs each.
5. **The lab again**, now that the engine has run the same code for a while.

The lab's speed over the worker's with-evaluation figure is what the page costs; the first
lab run against the second is what the engine's warm-up costs (WebKit compiles WebAssembly
in tiers, and its fastest code comes only after a function has run for a while).
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

from bench_browser import chromium, say

from assets.browser import CHROMIUM_ARGS

# The tours' drivers, one copy for the tests and the bench.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "browser"))
from engine_drivers import FirefoxDriver, WebKitDriver, find_firefox, find_webkit  # noqa: E402

PAGE = "playground/"
LAB_EPOCHS = 3
READY_S = 240

READY = """(async () => {
    const end = performance.now() + %(ms)d;
    while (!(window.__cells && window.__cells.runtime && window.__cells.runtime.status === "ready"
             && performance.getEntriesByName("python:ready").length)) {
        if (window.__cells?.runtime?.status === "failed") throw new Error("Python failed to start");
        if (performance.now() > end) throw new Error("Python was not ready in time");
        await new Promise((r) => setTimeout(r, 20));
    }
    const at = (name) => Math.round(performance.getEntriesByName("python:" + name)[0]?.startTime ?? NaN);
    return {ready: at("ready"), boot: at("boot"), pyodide: at("pyodide-loaded"),
            imported: at("packages-imported"), wasmGc: window.__cells.runtime.wasmGc};
})()"""

OFFLINE_COPY = """(async () => {
    if (navigator.serviceWorker) await navigator.serviceWorker.ready;
    return true;
})()"""

COMPILE = """(async () => {
    const bytes = await (await fetch("%(base)sassets/pyodide/pyodide.asm.wasm")).arrayBuffer();
    const t0 = performance.now();
    await WebAssembly.compile(bytes);
    return Math.round(performance.now() - t0);
})()"""

# Pyodide's start split in its steps, in the page's own thread: the interpreter (the
# WebAssembly module compiled and instantiated, the standard library's archive mounted, Python
# initialised), numpy's package (its wheel unpacked, its extension modules compiled and
# linked), then `import numpy`.
PROFILE = """(async () => {
    const base = "%(base)sassets/pyodide/";
    const { loadPyodide } = await import(base + "pyodide.mjs");
    const t = [performance.now()];
    const py = await loadPyodide({indexURL: base, lockFileURL: base + "pyodide-lock.json",
                                  stdLibURL: base + "python_start.zip"});
    t.push(performance.now());
    await py.loadPackage(["numpy"], {messageCallback: () => {}});
    t.push(performance.now());
    py.runPython("import numpy");
    t.push(performance.now());
    return {interpreter: Math.round(t[1] - t[0]), numpy_package: Math.round(t[2] - t[1]),
            import_numpy: Math.round(t[3] - t[2])};
})()"""

TRAIN = """(async () => {
    const runtime = window.__cells.runtime;
    await runtime.loadData("mnist-subset.npz");
    return await runtime.call("mlpsite.bench", "training",
        {path: "/data/mnist-subset.npz", names: ["default"], runs: %(runs)d}, {scope: "bench"});
})()"""

LAB = """(async () => {
    const end = performance.now() + %(ms)d;
    const wait = async (test) => {
        while (!test()) {
            if (performance.now() > end) throw new Error("the lab did not finish in time");
            await new Promise((r) => setTimeout(r, 20));
        }
    };
    await wait(() => document.querySelector("#lab[data-ready] .lab-train"));
    const before = document.querySelectorAll(".lab-run").length;
    const field = document.querySelector("[name=epochs]");
    field.value = "%(epochs)d";
    field.dispatchEvent(new Event("input", {bubbles: true}));
    field.dispatchEvent(new Event("change", {bubbles: true}));
    const t0 = performance.now();
    document.querySelector(".lab-train").click();
    await wait(() => document.querySelectorAll(".lab-run").length > before
        && document.querySelector(".lab-run:last-of-type")?.dataset.status === "done");
    const wall = (performance.now() - t0) / 1000;
    return {wall_s: wall, speed: document.querySelector(".lab-run:last-of-type .lab-run__speed").textContent};
})()"""


class ChromiumDriver:
    """Chromium through Playwright, with the few calls of engine_drivers' drivers."""

    engine = "chromium"

    def __init__(self, profile: Path):
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        self._context = self._pw.chromium.launch_persistent_context(
            str(profile), executable_path=chromium(), args=CHROMIUM_ARGS, headless=True,
            viewport={"width": 1280, "height": 900})
        self._page = self._context.new_page()
        self.version = self._context.browser.version if self._context.browser else "chromium"

    def goto(self, url: str) -> None:
        self._page.goto(url, wait_until="load")

    def eval(self, js: str):
        return self._page.evaluate(js)

    def close(self) -> None:
        self._context.close()
        self._pw.stop()


def _sps(text: str) -> int:
    """41200 from the lab's "41,200 samples/s · SIMD kernel"."""
    match = re.search(r"([\d,]+) samples/s", text)
    if not match:
        raise ValueError(f"the lab's run shows no samples/s: {text!r}")
    return int(match.group(1).replace(",", ""))


def measure(d, base: str, runs: int) -> dict:
    """The figures of one engine (see the module's docstring)."""
    ms = READY_S * 1000
    d.goto(base + PAGE)
    first = d.eval(READY % {"ms": ms})
    d.eval(OFFLINE_COPY)
    d.goto(base + PAGE)
    later = d.eval(READY % {"ms": ms})
    compile_ms = d.eval(COMPILE % {"base": base})
    profile = d.eval(PROFILE % {"base": base})
    d.goto(base + "lab/")      # a new worker, which has run nothing yet
    lab_first = d.eval(LAB % {"ms": ms, "epochs": LAB_EPOCHS})
    trained = d.eval(TRAIN % {"runs": runs})["default"]
    lab_again = d.eval(LAB % {"ms": ms, "epochs": LAB_EPOCHS})
    return {
        "version": d.version, "first_visit": first, "later_visit": later, "compile_pyodide_ms": compile_ms,
        "startup_profile": profile,
        "train_sps": trained["train_sps"], "with_eval_sps": trained["with_eval_sps"],
        "lab_first_sps": _sps(lab_first["speed"]), "lab_sps": _sps(lab_again["speed"]),
        "lab_wall_s": round(lab_again["wall_s"], 2), "label": trained["label"],
    }


def engines(base: str, runs: int, profiles: Path) -> dict:
    """{engine: figures, or {"skipped": why}} for Chromium, Firefox and WebKit."""
    makers = {
        "chromium": (lambda: ChromiumDriver(profiles / "engines-chromium"), (chromium(), "")),
        "firefox": (lambda path: FirefoxDriver(path), find_firefox()),
        "webkit": (lambda path: WebKitDriver(path, {"JSC_useSharedArrayBuffer": "true"}), find_webkit()),
    }
    out = {}
    for name, (make, (path, how)) in makers.items():
        if path is None:
            out[name] = {"skipped": how}
            say(f"engines: {name} skipped ({how})")
            continue
        say(f"engines: {name}")
        t0 = time.perf_counter()
        d = make() if name == "chromium" else make(path)
        try:
            out[name] = measure(d, base, runs)
        except Exception as error:  # noqa: BLE001 - one engine's failure is reported, the others run
            out[name] = {"skipped": f"failed: {str(error).splitlines()[0]}"}
        finally:
            d.close()
        say(f"engines: {name} done in {time.perf_counter() - t0:.0f} s")
    return out


if __name__ == "__main__":      # a quick look: scripts/bench runs it with the rest
    import json
    import tempfile

    from assets.browser import StaticServer

    root = Path(__file__).resolve().parents[1]
    site = Path(sys.argv[1]) if len(sys.argv) > 1 else root / "build" / "bench-site"
    server = StaticServer(site, cache_control="max-age=600").start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            print(json.dumps(engines(server.url, 3, Path(tmp)), indent=1))
    finally:
        server.stop()
