"""Measure what a reader waits for, in headless Chromium and natively, in one run.

    scripts/bench [--runs 3] [--json FILE] [--site-dir DIR] [--page PATH] [--skip-lab]

1. Builds the site (``mkdocs build`` into build/bench-site) unless ``--site-dir`` names a
   built one, and serves it on 127.0.0.1 with ``Cache-Control: max-age=600`` (what GitHub
   Pages sends).
2. Start-up: navigation to ``--page`` (the home page by default, whose cells start Python
   as it loads) until the runtime is ready, split by the ``python:*`` performance marks of
   runtime.js. Cold: a new browser context, empty cache. Warm: the same context, reloaded.
3. Run to first output once ready: through the runtime API, and through a cell's Run button.
4. Training throughput of scripts/bench_training.py's configurations in the browser's
   worker and natively (one BLAS thread, as the worker has one thread), plus PyTorch when
   it is installed; the WebAssembly memory after training.
5. The longest main-thread task while the training lab trains its default configuration
   (PerformanceObserver, "longtask").
6. The SIMD kernel (scripts/bench_kernel.py): training with it and with the pure-NumPy path
   in the same browser run, where each batch's time goes, and the tutorial's full run.

Every figure is the median of ``--runs`` runs (epochs, page loads). Prints a table; ``--json``
also writes the figures (docs/assets/bench/latest.json is the file the Performance page shows).
"""

from __future__ import annotations

import argparse
import datetime
import functools
import http.server
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRAINING = ROOT / "scripts" / "bench_training.py"
DATA = ROOT / "build" / "assets" / "data" / "mnist-subset.npz"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-quic"]
CONFIGS = ["default", "float64", "deep"]
READY_TIMEOUT_MS = 180_000

# The start-up steps, in order: (mark, what happens between the previous mark and this one).
STEPS = [
    ("worker-start", "page loaded, runtime.js starts the worker"),
    ("boot", "worker script running"),
    ("pyodide-loaded", "Pyodide, numpy and mlp loaded (in parallel)"),
    ("packages-imported", "import numpy, mlp, page"),
    ("data-written", "MNIST subset written to /data"),
    ("ready", "ready reported to the page"),
]

TARGETS = {
    "train_sps": ("default configuration, browser training", ">=", 20_000, "samples/s"),
    "cold_ready_ms": ("runtime ready after navigation, cold cache", "<=", 3000, "ms"),
    "warm_ready_ms": ("runtime ready after navigation, warm cache", "<=", 1500, "ms"),
    "first_output_ms": ("Run to first output (cell button)", "<=", 300, "ms"),
    "longest_task_ms": ("longest main-thread task while training", "<=", 100, "ms"),
    "torch_ratio": ("native mlp / PyTorch CPU, default configuration", ">=", 1.0, "x"),
}


def say(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


# --------------------------------------------------------------------------------------------
# The site and its server


def build_site(site_dir: Path) -> None:
    say(f"building the site into {site_dir.relative_to(ROOT)}")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(site_dir)],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"[bench] mkdocs build failed:\n{proc.stdout}{proc.stderr}")


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files with a cache lifetime; answers If-Modified-Since with 304."""

    cache_control = "max-age=600"
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".wasm": "application/wasm", ".mjs": "text/javascript", ".js": "text/javascript",
                      ".whl": "application/zip", ".npz": "application/octet-stream"}

    def end_headers(self):
        self.send_header("Cache-Control", self.cache_control)
        super().end_headers()

    def log_message(self, *args):
        pass


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a page closed in the middle of a download: nothing to report


def serve(site_dir: Path, cache_control: str):
    handler = functools.partial(type("SiteHandler", (Handler,), {"cache_control": cache_control}),
                                directory=str(site_dir))
    httpd = Server(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_port}/"


# --------------------------------------------------------------------------------------------
# Native


def run_training_script(what: str, runs: int, env=None) -> dict:
    env = dict(os.environ, **(env or {}))
    proc = subprocess.run([sys.executable, str(TRAINING), what, str(DATA), str(runs), *CONFIGS],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("BENCH ")), None)
    if proc.returncode != 0 or line is None:
        raise RuntimeError(f"{TRAINING.name} {what} failed:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    return json.loads(line[len("BENCH "):])


def native(runs: int) -> dict:
    one_thread = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    say("native training (mlp, one BLAS thread)")
    out = {"mlp": run_training_script("mlp", runs, one_thread), "torch": None, "torch_skipped": None,
           "matmul": run_training_script("matmul", runs, one_thread)}
    has_torch = subprocess.run([sys.executable, "-c", "import torch"], capture_output=True).returncode == 0
    if has_torch:
        say("native training (PyTorch, one thread)")
        out["torch"] = run_training_script("torch", runs, one_thread)
    else:
        out["torch_skipped"] = "torch is not installed"
    say("native: the SIMD kernel's figures (NumPy here) and the tutorial's full run")
    out["kernel"] = kernel_native(runs, one_thread)
    return out


# --------------------------------------------------------------------------------------------
# Browser

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
        if (output()?.textContent.includes(`cell ${i}`)) { observer.disconnect(); resolve(performance.now()); }
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

JS_TRAIN = """async ([url, code]) => {
  const { runtime } = await import(url);
  await runtime.ready();
  let out = "";
  const r = await runtime.run(code, { scope: "bench", onStdout: (t) => { out += t; }, onStderr: (t) => { out += t; } });
  return { ok: r.ok, error: r.error ? `${r.error.type}: ${r.error.message}\\n${r.error.traceback}` : null, out };
}"""

JS_OBSERVE_LONG_TASKS = """() => {
  window.__benchLongTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__benchLongTasks.push(e.duration);
  }).observe({ type: "longtask" });
}"""


def find_chromium() -> str:
    for candidate in (os.environ.get("CHROMIUM"), shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).is_file():
            return candidate
    sys.exit("[bench] no Chromium: install one (Debian: apt-get install chromium) or set CHROMIUM=/path")


def launch(playwright, profile: Path):
    """A browser with its own profile directory, so that it has a disk cache as a reader's has
    (the in-memory cache of a fresh Playwright context keeps no entry of 10 MB, pyodide.asm.wasm's size)."""
    return playwright.chromium.launch_persistent_context(
        str(profile), executable_path=find_chromium(), args=CHROMIUM_ARGS, headless=True,
        viewport={"width": 1280, "height": 900})


def wait_ready(page, runtime_url: str) -> dict:
    """Wait for python:ready (the page starts Python itself; if it does not, ask for it)."""
    started = page.evaluate("performance.getEntriesByName('python:worker-start').length > 0")
    if not started:
        page.evaluate("async (url) => { const { runtime } = await import(url); runtime.ready(); }", runtime_url)
    page.wait_for_function("performance.getEntriesByName('python:ready').length > 0", timeout=READY_TIMEOUT_MS)
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


def browser_startup(playwright, base: str, page_path: str, runs: int, profiles: Path) -> tuple[dict, dict, object]:
    """Cold: a new profile (empty disk cache, as a first visit). Warm: that profile, reloaded."""
    runtime_url = base + "javascripts/runtime.js"
    cold, warm = [], []
    keep = None
    for i in range(runs):
        context = launch(playwright, profiles / f"startup-{i}")
        page = context.new_page()
        page.goto(base + page_path)
        cold.append(wait_ready(page, runtime_url))
        page.reload()
        warm.append(wait_ready(page, runtime_url))
        say(f"start-up run {i + 1}/{runs}: cold {cold[-1]['marks']['ready']:.0f} ms, "
            f"warm {warm[-1]['marks']['ready']:.0f} ms")
        if i == runs - 1:
            keep = (context, page)
        else:
            context.close()
    return summarize_startup(cold), summarize_startup(warm), keep


def first_output(page, base: str, runs: int) -> dict:
    runtime_url = base + "javascripts/runtime.js"
    api = page.evaluate(JS_FIRST_OUTPUT_API, [runtime_url, runs])
    cell = page.evaluate(JS_FIRST_OUTPUT_CELL, runs)
    return {"api_ms": median(api), "cell_ms": median(cell) if cell else None, "api_runs": api, "cell_runs": cell}


def browser_training(page, base: str, runs: int) -> tuple[dict, int | None, list]:
    code = TRAINING.read_text().replace('if __name__ == "__main__":', "if False:")
    code += (f"\nprint('BENCH ' + json.dumps({{'results': mlp_throughput('/data/mnist-subset.npz', "
             f"{CONFIGS!r}, {runs}), 'wasm_memory': wasm_memory_bytes(), 'matmul': matmul_rates({runs})}}))\n")
    result = page.evaluate(JS_TRAIN, [base + "javascripts/runtime.js", code])
    line = next((ln for ln in result["out"].splitlines() if ln.startswith("BENCH ")), None)
    if not result["ok"] or line is None:
        raise RuntimeError(f"training in the browser failed:\n{result['error']}\n{result['out'][-2000:]}")
    data = json.loads(line[len("BENCH "):])
    return data["results"], data["wasm_memory"], data["matmul"]


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
                      base + "javascripts/runtime.js")
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
    import tempfile

    from playwright.sync_api import sync_playwright

    with sync_playwright() as p, tempfile.TemporaryDirectory(prefix="bench-profiles-", ignore_cleanup_errors=True) as tmp:
        profiles = Path(tmp)
        say(f"start-up: {runs} cold loads and {runs} warm reloads of /{page_path}")
        cold, warm, (context, page) = browser_startup(p, base, page_path, runs, profiles)
        out = {"cold": cold, "warm": warm}
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


# --------------------------------------------------------------------------------------------
# The SIMD kernel (scripts/bench_kernel.py): both backends in one browser run, NumPy natively

KERNEL = ROOT / "scripts" / "bench_kernel.py"
FULL_DATA = ROOT / "build" / "assets" / "data" / "mnist-full.npz"
KERNEL_TARGETS = {  # key: (label, op, goal, unit, value from the result)
    "kernel_speedup": ("default configuration, kernel / NumPy path (browser)", ">=", 3, "x",
                       lambda k: k["browser"]["throughput"]["kernel"]["default"] / k["browser"]["throughput"]["numpy"]["default"]),
    "kernel_sps": ("default configuration with the kernel (browser)", ">=", 75_000, "samples/s",
                   lambda k: k["browser"]["throughput"]["kernel"]["default"]),
    "kernel_deep_sps": ("784-128-64-10 ReLU Adam with the kernel (browser)", ">=", 35_000, "samples/s",
                        lambda k: k["browser"]["throughput"]["kernel"]["deep"]),
    "kernel_native_ratio": ("native / browser with the kernel, default", "<=", 4, "x",
                            lambda k: k["native"]["throughput"]["numpy"]["default"] / k["browser"]["throughput"]["kernel"]["default"]),
    "full_run_s": ("tutorial's full run (60,000 x 10 epochs), browser", "<=", 15, "s",
                   lambda k: k["browser"]["full_run"]["seconds"]),
    "full_run_accuracy": ("tutorial's full run, test accuracy, browser", ">=", 0.97, "",
                          lambda k: k["browser"]["full_run"]["test_accuracy"]),
}

JS_KERNEL = """async ([url, code]) => {
  const { runtime } = await import(url);
  await runtime.ready();
  await runtime.loadData("mnist-full.npz");
  let out = "";
  const r = await runtime.run(code, { scope: "bench-kernel", onStdout: (t) => { out += t; }, onStderr: (t) => { out += t; } });
  return { ok: r.ok, error: r.error ? `${r.error.type}: ${r.error.message}\\n${r.error.traceback}` : null, out };
}"""


def _bench_line(text: str, what: str) -> dict:
    line = next((ln for ln in text.splitlines() if ln.startswith("BENCH ")), None)
    if line is None:
        raise RuntimeError(f"{KERNEL.name} {what} printed no result:\n{text[-2000:]}")
    return json.loads(line[len("BENCH "):])


def kernel_native(runs: int, env: dict) -> dict:
    proc = subprocess.run([sys.executable, str(KERNEL), str(DATA), str(FULL_DATA), str(runs)], cwd=ROOT,
                          env=dict(os.environ, **env), capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{KERNEL.name} failed natively:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    return _bench_line(proc.stdout, "natively")


def kernel_browser(page, base: str, runs: int) -> dict:
    code = KERNEL.read_text().replace('if __name__ == "__main__":', "if False:")
    code += f"\nprint('BENCH ' + json.dumps(main('/data/mnist-subset.npz', '/data/mnist-full.npz', {runs})))\n"
    result = page.evaluate(JS_KERNEL, [base + "javascripts/runtime.js", code])
    if not result["ok"]:
        raise RuntimeError(f"{KERNEL.name} failed in the browser:\n{result['error']}\n{result['out'][-2000:]}")
    return _bench_line(result["out"], "in the browser")


def kernel_targets(result: dict) -> dict:
    k = {"browser": result["browser"]["kernel"], "native": result["native"]["kernel"]}
    out = {}
    for key, (label, op, goal, unit, value_of) in KERNEL_TARGETS.items():
        try:
            value = value_of(k)
        except (KeyError, TypeError, ZeroDivisionError):  # a backend or the full run was not measured
            value = None
        met = None if value is None else (value >= goal if op == ">=" else value <= goal)
        out[key] = {"label": label, "goal": f"{op} {goal:,} {unit}".rstrip(), "value": value, "met": met}
    return out


def kernel_table(result: dict) -> list[str]:
    b, n = result["browser"]["kernel"], result["native"]["kernel"]
    lines = ["", "The SIMD kernel, training samples/s (median)     NumPy path    kernel   speed-up   native"]
    for name in ("default", "deep"):
        numpy_sps, kernel_sps = b["throughput"].get("numpy", {}).get(name), b["throughput"].get("kernel", {}).get(name)
        speedup = kernel_sps / numpy_sps if numpy_sps and kernel_sps else None
        lines.append(f"  {name:<46}{fmt(numpy_sps):>11}{fmt(kernel_sps):>10}{fmt(speedup, 1):>10}x"
                     f"{fmt(n['throughput']['numpy'][name]):>9}")
    lines += ["", "Where a batch's time goes, ms (browser NumPy path | browser kernel | native)"]
    for name in ("default", "deep"):
        parts = [b["phases"].get("numpy", {}).get(name, {}), b["phases"].get("kernel", {}).get(name, {}),
                 n["phases"]["numpy"][name]]
        for part in parts[2]:
            lines.append(f"  {name:<8}{part:<46}" + "".join(f"{fmt(p.get(part), 2):>9}" for p in parts))
    for where, k in (("browser", b), ("native", n)):
        fr = k["full_run"]
        if fr:
            lines.append(f"Tutorial's full run, {where} ({fr['backend']}): {fr['images']:,} images x {fr['epochs']} epochs "
                         f"in {fmt(fr['seconds'], 1)} s, test accuracy {fmt(fr['test_accuracy'], 4)}")
    return lines


# --------------------------------------------------------------------------------------------
# Report


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import numpy

    return {"cpu": cpu, "cores": os.cpu_count(), "os": platform.platform(terse=True),
            "python": platform.python_version(), "numpy": numpy.__version__}


def targets(result: dict) -> dict:
    b, n = result["browser"], result["native"]
    torch = n["torch"]
    values = {
        "train_sps": b["training"]["default"]["train_sps"],
        "cold_ready_ms": b["cold"]["ready_ms"],
        "warm_ready_ms": b["warm"]["ready_ms"],
        "first_output_ms": b["first_output"]["cell_ms"] or b["first_output"]["api_ms"],
        "longest_task_ms": b["long_tasks"].get("longest_ms"),
        "torch_ratio": n["mlp"]["default"]["train_sps"] / torch["default"]["train_sps"] if torch else None,
    }
    out = {}
    for key, (label, op, goal, unit) in TARGETS.items():
        value = values[key]
        met = None if value is None else (value >= goal if op == ">=" else value <= goal)
        out[key] = {"label": label, "goal": f"{op} {goal:,} {unit}", "value": value, "met": met}
    out.update(kernel_targets(result))
    return out


def fmt(value, digits=0):
    return "–" if value is None else f"{value:,.{digits}f}"


def table(result: dict) -> str:
    b, n = result["browser"], result["native"]
    lines = ["", "Start-up (ms after navigation, median)          cold      warm"]
    for mark, _ in STEPS:
        c, w = b["cold"]["parts"][mark], b["warm"]["parts"][mark]
        lines.append(f"  {c['label']:<45}{fmt(c['ms']):>6}    {fmt(w['ms']):>6}")
    lines.append(f"  {'runtime ready':<45}{fmt(b['cold']['ready_ms']):>6}    {fmt(b['warm']['ready_ms']):>6}")
    lines.append(f"  {'bytes over the network (MB)':<45}{fmt(b['cold']['network_bytes'] / 1e6, 1):>6}"
                 f"    {fmt(b['warm']['network_bytes'] / 1e6, 1):>6}")
    fo = b["first_output"]
    lines += ["", f"Run to first output: {fmt(fo['cell_ms'])} ms (cell button), {fmt(fo['api_ms'])} ms (runtime.run)", ""]
    lines.append("Training, samples/s (median)           browser   +eval    native   +eval  native/browser  torch  mlp/torch")
    for name in CONFIGS:
        bt, nt = b["training"][name], n["mlp"][name]
        tt = (n["torch"] or {}).get(name)
        lines.append(f"  {bt['label']:<37}{fmt(bt['train_sps']):>8}{fmt(bt['with_eval_sps']):>8}"
                     f"{fmt(nt['train_sps']):>10}{fmt(nt['with_eval_sps']):>8}"
                     f"{fmt(nt['train_sps'] / bt['train_sps'], 1):>15}"
                     f"{fmt(tt['train_sps'] if tt else None):>8}"
                     f"{fmt(nt['train_sps'] / tt['train_sps'] if tt else None, 2):>10}")
    lines += ["", "Matrix products, GFLOP/s (browser: @, einsum, mlp.matmul; native @)"]
    for r in result["matmul"]:
        m, k, nn = r["shape"]
        shape = f"({m}x{k})@({k}x{nn})"
        lines.append(f"  {r['name']:<32}{r['dtype']:<9}{shape:<20}{fmt(r['matmul'], 2):>7}{fmt(r['einsum'], 2):>7}"
                     f"{fmt(r['helper'], 2):>7} {r['method']:<7}{fmt(r['native'], 1):>8}")
    lt = b["long_tasks"]
    lines += ["", f"Longest main-thread task while the lab trains: {fmt(lt.get('longest_ms'))} ms "
                  f"({lt.get('count', 0)} long tasks)" if lt.get("source") else
              f"Longest main-thread task: not measured ({lt.get('skipped')})"]
    lines.append(f"WebAssembly memory after training: {fmt((b['wasm_memory'] or 0) / 2**20)} MiB")
    lines += kernel_table(result)
    lines += ["", "Targets"]
    for t in result["targets"].values():
        state = {True: "met", False: "MISSED", None: "not measured"}[t["met"]]
        value = fmt(t["value"], 2 if isinstance(t["value"], float) and t["value"] < 10 else 0)
        lines.append(f"  {t['label']:<52} {t['goal']:<18} {value:>10}  {state}")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median), at least 3 (default 3)")
    parser.add_argument("--json", type=Path, help="write the figures to this JSON file")
    parser.add_argument("--site-dir", type=Path, help="an already-built site (default: build it)")
    parser.add_argument("--page", default="", help="page whose load is timed (default: the home page)")
    parser.add_argument("--cache-control", default="max-age=600", help="the server's Cache-Control header")
    parser.add_argument("--skip-lab", action="store_true", help="do not train through the lab page")
    args = parser.parse_args(argv)
    if args.runs < 3:
        parser.error(f"--runs must be at least 3 (medians of at least 3 runs); got {args.runs}")
    if not DATA.is_file():
        sys.exit(f"[bench] {DATA.relative_to(ROOT)} is missing: run ./scripts/setup first")

    t0 = time.perf_counter()
    load_before = os.getloadavg()
    site_dir = args.site_dir or ROOT / "build" / "bench-site"
    if args.site_dir is None:
        build_site(site_dir)
    elif not (site_dir / "index.html").is_file():
        sys.exit(f"[bench] --site-dir {site_dir} holds no index.html")

    result = {"date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
              "machine": machine(),
              "settings": {"runs": args.runs, "page": "/" + args.page, "cache_control": args.cache_control,
                           "native_threads": 1}}
    result["native"] = native(args.runs)
    httpd, base = serve(site_dir, args.cache_control)
    try:
        result["browser"] = browser_measurements(base, args.page, args.runs, args.skip_lab)
    finally:
        httpd.shutdown()
    result["machine"]["chromium"] = subprocess.run([find_chromium(), "--version"], capture_output=True,
                                                   text=True).stdout.strip()
    result["machine"]["load_average"] = [round(x, 2) for x in load_before]
    result["machine"]["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    native_rates = {(tuple(r["shape"]), r["dtype"]): r["matmul"] for r in result["native"].pop("matmul")}
    result["matmul"] = [dict(r, native=native_rates.get((tuple(r["shape"]), r["dtype"])))
                        for r in result["browser"].pop("matmul")]
    result["targets"] = targets(result)
    result["seconds"] = round(time.perf_counter() - t0, 1)

    print(table(result))
    print(f"\n{result['date']}, {result['machine']['cpu']} ({result['machine']['cores']} cores), "
          f"load average {result['machine']['load_average'][0]} before, "
          f"{result['machine']['load_average_after'][0]} after; {result['seconds']} s")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=1) + "\n")
        say(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
