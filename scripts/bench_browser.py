"""The browser half of scripts/bench: start-up, first output, training, the SIMD kernel and the
lab's long tasks, measured in headless Chromium (with the browser tests' Chromium settings)
against a served site; scripts/bench.py runs it and reports the figures. Training and the
kernel run the workloads of ``mlpsite.bench`` (shipped in the site's mlpsite wheel) in the
page's worker, through ``runtime.call``."""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from assets.browser import CHROMIUM_ARGS, find_chromium

CONFIGS = ["default", "float64", "deep"]  # of mlpsite.bench.CONFIGS, in the order of the tables
READY_TIMEOUT_MS = 180_000
RUNTIME = "assets/site/runtime.js"  # the runtime module, relative to the site root

# The start-up steps, in order: (mark, what happens between the previous mark and this one).
STEPS = [
    ("worker-start", "page loaded, runtime.js starts the worker"),
    ("boot", "worker script running"),
    ("pyodide-loaded", "Pyodide, numpy and mlp loaded (in parallel)"),
    ("packages-imported", "import numpy, mlp, page"),
    ("ready", "ready reported to the page"),
]


def say(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def bench_line(text: str, what: str):
    """The value of the line ``BENCH <json>`` that ``python -m mlpsite.bench`` prints."""
    line = next((ln for ln in text.splitlines() if ln.startswith("BENCH ")), None)
    if line is None:
        raise RuntimeError(f"{what} printed no result:\n{text[-2000:]}")
    return json.loads(line[len("BENCH "):])

JS_MARKS = """() => {
  const marks = {};
  for (const m of performance.getEntriesByType("mark")) {
    if (m.name.startsWith("python:") && !(m.name.slice(7) in marks)) marks[m.name.slice(7)] = m.startTime;
  }
  const bytes = (entries) => entries.reduce((sum, e) => sum + (e.transferSize || 0), 0);
  return { marks, pageBytes: bytes(performance.getEntriesByType("resource"))
                            + bytes(performance.getEntriesByType("navigation")) };
}"""

JS_RUNTIME_DETAIL = """async (url) => {
  const { runtime } = await import(url);
  await runtime.ready();
  const resources = (runtime.detail.resources || []).map((r) => ({
    name: r.name, start: r.start - performance.timeOrigin, end: r.end - performance.timeOrigin,
    transferSize: r.transferSize }));
  return { resources };
}"""

JS_FIRST_OUTPUT_API = """async ([url, runs]) => {
  const { runtime } = await import(url);
  await runtime.ready();
  const times = [];
  for (let i = 0; i < runs; i++) {
    let first = null;
    const t0 = performance.now();
    const r = await runtime.run(`print("ready", ${i})`, { scope: "bench",
      onStdout: () => { first ??= performance.now() - t0; } });
    if (!r.ok) throw new Error(r.error.message);
    times.push(first);
  }
  return times;
}"""

JS_FIRST_OUTPUT_CELL = """async (runs) => {
  if (!window.__cells || !window.__cells.list().length) return null;
  const times = [];
  const original = window.__cells.getCode(0);
  for (let i = 0; i < runs; i++) {
    window.__cells.setCode(0, `print("cell ${i}")`);
    const output = () => document.querySelector('.pycell[data-cell-index="0"] .pycell__output');
    const seen = new Promise((resolve) => {
      const observer = new MutationObserver(() => {
        if (output()?.textContent.includes(`cell ${i}`)) {
          observer.disconnect();
          resolve(performance.now());
        }
      });
      observer.observe(document.querySelector('.pycell[data-cell-index="0"]'),
                       { childList: true, subtree: true, characterData: true });
    });
    const t0 = performance.now();
    document.querySelector('.pycell[data-cell-index="0"] .pycell__btn--run').click();
    times.push((await seen) - t0);
    while (window.__cells.list()[0].state === "running" || window.__cells.list()[0].state === "queued") {
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  window.__cells.setCode(0, original);
  return times;
}"""

# mlpsite.bench.<name>(**kwargs) in the page's worker, after loading the data files named.
JS_BENCH_CALL = """async ([url, name, kwargs, files]) => {
  const { runtime } = await import(url);
  await runtime.ready();
  for (const file of files) await runtime.loadData(file);
  try {
    return { ok: true, value: await runtime.call("mlpsite.bench", name, kwargs, { scope: "bench" }) };
  } catch (error) {
    return { ok: false, error: `${error.name}: ${error.message}` };
  }
}"""

JS_OBSERVE_LONG_TASKS = """() => {
  window.__benchLongTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__benchLongTasks.push(e.duration);
  }).observe({ type: "longtask" });
}"""


def chromium() -> str:
    path, how = find_chromium()
    if path is None:
        sys.exit(f"[bench] no Chromium ({how}): install one (Debian: apt-get install chromium) "
                 "or set CHROMIUM=/path")
    return path


def launch(playwright, profile: Path):
    """A browser with its own profile directory, so that it has a disk cache as a reader's has
    (the in-memory cache of a fresh Playwright context keeps no entry of 10 MB, pyodide.asm.wasm's size)."""
    return playwright.chromium.launch_persistent_context(
        str(profile), executable_path=chromium(), args=CHROMIUM_ARGS, headless=True,
        viewport={"width": 1280, "height": 900})


def wait_ready(page, runtime_url: str) -> dict:
    """Wait for python:ready (the page starts Python itself; if it does not, ask for it)."""
    started = page.evaluate("performance.getEntriesByName('python:worker-start').length > 0")
    if not started:
        page.evaluate("async (url) => { const { runtime } = await import(url); runtime.ready(); }",
                      runtime_url)
    page.wait_for_function("performance.getEntriesByName('python:ready').length > 0",
                           timeout=READY_TIMEOUT_MS)
    info = page.evaluate(JS_MARKS)
    info.update(page.evaluate(JS_RUNTIME_DETAIL, runtime_url))
    info["started_by_page"] = started
    return info


def summarize_startup(loads: list[dict]) -> dict:
    parts = {}
    previous = None
    for mark, label in STEPS:
        spans = [ld["marks"][mark] - (ld["marks"][previous] if previous else 0) for ld in loads
                 if mark in ld["marks"] and (previous is None or previous in ld["marks"])]
        parts[mark] = {"label": label, "ms": median(spans)}
        previous = mark
    network = [sum(r["transferSize"] for r in ld["resources"]) + ld["pageBytes"] for ld in loads]
    return {"ready_ms": median([ld["marks"].get("ready") for ld in loads]), "parts": parts,
            "network_bytes": median(network), "runs": [ld["marks"] for ld in loads],
            "started_by_page": all(ld["started_by_page"] for ld in loads)}


# Resolves once the page's service worker (if it names one) holds the site's offline copy.
JS_OFFLINE_COPY = """async (ms) => {
  if (!document.querySelector('meta[name="site-service-worker"]') || !navigator.serviceWorker) return false;
  const timeout = new Promise((done) => setTimeout(() => done(false), ms));
  return Promise.race([navigator.serviceWorker.ready.then(() => true), timeout]);
}"""


def browser_startup(playwright, base: str, page_path: str, runs: int,
                    profiles: Path) -> tuple[dict, dict, dict, object]:
    """Cold: a new profile (empty disk cache, as a first visit). Warm: that profile reloaded,
    once the site's offline copy is stored (the service worker answers this load for the first
    time). Later: reloaded once more, as every later visit is."""
    runtime_url = base + RUNTIME
    cold, warm, later = [], [], []
    keep = None
    for i in range(runs):
        context = launch(playwright, profiles / f"startup-{i}")
        page = context.new_page()
        page.goto(base + page_path)
        cold.append(wait_ready(page, runtime_url))
        page.evaluate(JS_OFFLINE_COPY, READY_TIMEOUT_MS)
        for loads in (warm, later):
            page.reload()
            loads.append(wait_ready(page, runtime_url))
        say(f"start-up run {i + 1}/{runs}: cold {cold[-1]['marks']['ready']:.0f} ms, "
            f"warm {warm[-1]['marks']['ready']:.0f} ms, later {later[-1]['marks']['ready']:.0f} ms")
        if i == runs - 1:
            keep = (context, page)
        else:
            context.close()
    return summarize_startup(cold), summarize_startup(warm), summarize_startup(later), keep


def first_output(page, base: str, runs: int) -> dict:
    runtime_url = base + RUNTIME
    api = page.evaluate(JS_FIRST_OUTPUT_API, [runtime_url, runs])
    cell = page.evaluate(JS_FIRST_OUTPUT_CELL, runs)
    return {"api_ms": median(api), "cell_ms": median(cell) if cell else None,
            "api_runs": api, "cell_runs": cell}


def bench_call(page, base: str, name: str, files=(), **kwargs):
    """``mlpsite.bench.<name>(**kwargs)`` in the browser's worker: its value."""
    result = page.evaluate(JS_BENCH_CALL, [base + RUNTIME, name, kwargs, list(files)])
    if not result["ok"]:
        raise RuntimeError(f"mlpsite.bench.{name} failed in the browser: {result['error']}")
    return result["value"]


def browser_training(page, base: str, runs: int) -> tuple[dict, int | None, list]:
    """Training throughput, the WebAssembly memory after training and the matrix products' rates."""
    results = bench_call(page, base, "training", path="/data/mnist-subset.npz", names=CONFIGS, runs=runs)
    memory = bench_call(page, base, "wasm_memory_bytes")
    return results, memory, bench_call(page, base, "matmul_rates", runs=runs)


def kernel_browser(page, base: str, runs: int) -> dict:
    """Both matrix-product backends, where a batch's time goes, and the tutorial's full run."""
    return bench_call(page, base, "kernel", files=["mnist-full.npz"], subset="/data/mnist-subset.npz",
                      full="/data/mnist-full.npz", runs=runs)


LAB_IDLE = ("() => document.querySelector('.lab-run') && !document.querySelector("
            "'.lab-run[data-status=training], .lab-run[data-status=starting]')")


def lab_long_tasks(playwright, base: str, profile: Path) -> dict:
    """Train the lab's default configuration through its UI; the main thread's long tasks meanwhile.

    Python is made ready first, so that the figure covers training only. The lab's page is
    read through its DOM (.lab-train, .lab-run[data-status]), as its own tests read it."""
    context = launch(playwright, profile)
    page = context.new_page()
    try:
        page.goto(base + "lab/")
        if page.locator("#lab").count() == 0:
            return {"source": None, "skipped": "no training lab on lab/"}
        page.wait_for_selector("#lab[data-ready] button.lab-train", timeout=60_000)
        page.evaluate("async (url) => { const { runtime } = await import(url); await runtime.ready(); }",
                      base + RUNTIME)
        page.evaluate(JS_OBSERVE_LONG_TASKS)
        t0 = time.perf_counter()
        page.click("#lab button.lab-train")
        page.wait_for_selector(".lab-run", timeout=60_000)
        page.wait_for_function(LAB_IDLE, timeout=600_000, polling=200)
        wall = time.perf_counter() - t0
        status = page.get_attribute(".lab-run", "data-status")
        tasks = page.evaluate("window.__benchLongTasks")
        return {"source": "lab", "status": status, "train_wall_s": wall,
                "longest_ms": max(tasks, default=0.0), "count": len(tasks),
                "over_100ms": sum(1 for t in tasks if t > 100)}
    except Exception as e:  # noqa: BLE001 - the lab's page is measured, not tested, here
        say(f"training through the lab failed: {e}")
        return {"source": None, "skipped": f"training through the lab failed: {str(e).splitlines()[0]}"}
    finally:
        context.close()


def browser_measurements(base: str, page_path: str, runs: int, skip_lab: bool) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p, \
            tempfile.TemporaryDirectory(prefix="bench-profiles-", ignore_cleanup_errors=True) as tmp:
        profiles = Path(tmp)
        say(f"start-up: {runs} cold loads of /{page_path}, each reloaded twice")
        cold, warm, later, (context, page) = browser_startup(p, base, page_path, runs, profiles)
        out = {"cold": cold, "warm": warm, "later": later}
        try:
            say("Run to first output")
            out["first_output"] = first_output(page, base, max(runs, 5))
            say("training in the browser")
            out["training"], out["wasm_memory"], out["matmul"] = browser_training(page, base, runs)
            say("the SIMD kernel against the NumPy path, and the tutorial's full run")
            out["kernel"] = kernel_browser(page, base, runs)
        finally:
            context.close()
        if skip_lab:
            out["long_tasks"] = {"source": None, "skipped": "--skip-lab"}
        else:
            say("training lab: long tasks while it trains")
            out["long_tasks"] = lab_long_tasks(p, base, profiles / "lab")
    return out
