"""Measure what a reader waits for, in headless Chromium and natively, in one run.

    scripts/bench [--runs 3] [--json FILE] [--site-dir DIR] [--page PATH] [--skip-lab] [--skip-engines]
                  [--only-engines] [--only-first-visit [--before-site DIR [--before-label TEXT]]] [--port N]

1. Builds the site (``mkdocs build`` into build/bench-site) unless ``--site-dir`` names a
   built one, and serves it on 127.0.0.1 with ``Cache-Control: max-age=600`` (what GitHub
   Pages sends), with the browser tests' server and Chromium (scripts/assets/browser.py).
2. Start-up: navigation to ``--page`` (the home page by default, whose cells start Python
   as it loads) until the runtime is ready, split by the ``python:*`` performance marks of
   runtime.js. Cold: a new browser profile, empty cache. Warm: that profile reloaded, once
   the page's service worker holds the site's offline copy (the first load it answers).
   Later: reloaded once more, as every later visit is.
3. Run to first output once ready: through the runtime API, and through a cell's Run button.
4. Training throughput of the workloads of ``mlpsite.bench`` (pysite/mlpsite/bench.py, shipped
   in the site's mlpsite wheel) in the browser's worker (``runtime.call``) and natively
   (``python -m mlpsite.bench``, one BLAS thread, as the worker has one thread), plus PyTorch
   when it is installed; the WebAssembly memory after training; the matrix products' GFLOP/s.
5. The SIMD matrix-product kernel against the pure-NumPy path (both in the browser), where a
   batch's time goes, and the tutorial's full run (60,000 images, 10 epochs).
6. The longest main-thread task while the training lab trains its default configuration
   (PerformanceObserver, "longtask").
7. Start-up and training in Chromium, Firefox and WebKit side by side, each in a new profile
   (scripts/bench_engines.py), unless ``--skip-engines``; an engine that is not installed is
   reported as skipped. ``--only-engines`` measures this alone (How the site runs shows
   docs/assets/bench/engines.json, written by ``scripts/bench --only-engines --json``).
8. ``--only-first-visit``: a reader's first visit to /forward/ over a 10 and a 50 Mbit/s
   line (40 ms latency), served as GitHub Pages serves it, the bytes counted by the server,
   and their later visit (scripts/bench_firstvisit.py); with ``--before-site DIR``, that
   built site is measured beside this one in the same run (its column named
   ``--before-label``, e.g. its commit). How the site runs shows
   docs/assets/bench/firstvisit.json, written by ``scripts/bench --only-first-visit --json``.

Every figure is the median of ``--runs`` runs (epochs, page loads). Prints the tables the
Performance chapter and the How the site runs page show (scripts/assets/bench_tables.py);
``--json`` also writes the figures (docs/assets/bench/latest.json is the file those pages
show).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_browser import CONFIGS, bench_line, browser_measurements, chromium, say
from bench_engines import engines
from bench_firstvisit import measure as measure_first_visits
from bench_firstvisit import settings as first_visit_settings

from assets.atomic import write_atomic
from assets.bench_tables import engine_run, report
from assets.bench_tables import engines as engine_table
from assets.browser import StaticServer
from assets.visit_tables import first_visit_run, first_visits

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "build" / "assets" / "data" / "mnist-subset.npz"
FULL_DATA = ROOT / "build" / "assets" / "data" / "mnist-full.npz"

TARGETS = {
    "train_sps": ("default configuration, browser training", ">=", 20_000, "samples/s"),
    "cold_ready_ms": ("runtime ready after navigation, cold cache", "<=", 3000, "ms"),
    "warm_ready_ms": ("runtime ready after navigation, warm cache", "<=", 1500, "ms"),
    "first_output_ms": ("Run to first output (cell button)", "<=", 300, "ms"),
    "longest_task_ms": ("longest main-thread task while training", "<=", 100, "ms"),
    "torch_ratio": ("native mlp / PyTorch CPU, default configuration", ">=", 1.0, "x"),
}
KERNEL_TARGETS = {  # key: (label, op, goal, unit, value from {"browser": ..., "native": ...})
    "kernel_speedup": ("default configuration, kernel / NumPy path (browser)", ">=", 3, "x",
                       lambda k: k["browser"]["throughput"]["kernel"]["default"]
                       / k["browser"]["throughput"]["numpy"]["default"]),
    "kernel_sps": ("default configuration with the kernel (browser)", ">=", 75_000, "samples/s",
                   lambda k: k["browser"]["throughput"]["kernel"]["default"]),
    "kernel_deep_sps": ("784-128-64-10 ReLU Adam with the kernel (browser)", ">=", 35_000, "samples/s",
                        lambda k: k["browser"]["throughput"]["kernel"]["deep"]),
    "kernel_native_ratio": ("native / browser with the kernel, default", "<=", 4, "x",
                            lambda k: k["native"]["throughput"]["numpy"]["default"]
                            / k["browser"]["throughput"]["kernel"]["default"]),
    "full_run_s": ("tutorial's full run (60,000 x 10 epochs), browser", "<=", 15, "s",
                   lambda k: k["browser"]["full_run"]["seconds"]),
    "full_run_accuracy": ("tutorial's full run, test accuracy, browser", ">=", 0.97, "",
                          lambda k: k["browser"]["full_run"]["test_accuracy"]),
}


# --------------------------------------------------------------------------------------------
# The site and its server


def build_site(site_dir: Path) -> None:
    say(f"building the site into {site_dir.relative_to(ROOT)}")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(site_dir)],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"[bench] mkdocs build failed:\n{proc.stdout}{proc.stderr}")


# --------------------------------------------------------------------------------------------
# Native


ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def run_native(*args) -> dict | list:
    """``python -m mlpsite.bench ARGS...`` with one BLAS thread (set before numpy loads): its result."""
    proc = subprocess.run([sys.executable, "-m", "mlpsite.bench", *map(str, args)], cwd=ROOT,
                          env=dict(os.environ, **ONE_THREAD), capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"mlpsite.bench {args[0]} failed natively:\n"
                           f"{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    return bench_line(proc.stdout, f"mlpsite.bench {args[0]}, natively")


def native(runs: int) -> dict:
    say("native training (mlp, one BLAS thread)")
    out = {"mlp": run_native("training", DATA, runs, *CONFIGS), "torch": None, "torch_skipped": None,
           "matmul": run_native("matmul", DATA, runs)}
    has_torch = subprocess.run([sys.executable, "-c", "import torch"], capture_output=True).returncode == 0
    if has_torch:
        say("native training (PyTorch, one thread)")
        out["torch"] = run_native("torch", DATA, runs, *CONFIGS)
    else:
        out["torch_skipped"] = "torch is not installed"
    say("native: the SIMD kernel's figures (NumPy here) and the tutorial's full run")
    out["kernel"] = run_native("kernel", DATA, FULL_DATA, runs)
    return out


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
    k = {"browser": result["browser"].get("kernel"), "native": result["native"].get("kernel")}
    for key, (label, op, goal, unit, value_of) in KERNEL_TARGETS.items():
        try:
            value = value_of(k)
        except (KeyError, TypeError, ZeroDivisionError):  # a backend or the full run was not measured
            value = None
        met = None if value is None else (value >= goal if op == ">=" else value <= goal)
        out[key] = {"label": label, "goal": f"{op} {goal:,} {unit}".rstrip(), "value": value, "met": met}
    return out


def finish_alone(args, result: dict, t0: float, load_before, report_of) -> int:
    """The end of a step run alone (--only-...): the machine's load and the run's seconds added
    to `result`, `report_of(result)` printed, the JSON written if --json asks."""
    result["machine"]["load_average"] = [round(x, 2) for x in load_before]
    result["machine"]["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    result["seconds"] = round(time.perf_counter() - t0, 1)
    print(report_of(result))
    if args.json:
        write_atomic(args.json, (json.dumps(result, indent=1) + "\n").encode())
        say(f"wrote {args.json}")
    return 0


def only_engines(args, site_dir: Path, result: dict, t0: float, load_before) -> int:
    """Step 7 alone: the engines side by side, with the machine they ran on."""
    server = StaticServer(site_dir, cache_control=args.cache_control, port=args.port).start()
    try:
        with tempfile.TemporaryDirectory(prefix="bench-engines-") as profiles:
            result["engines"] = engines(server.url, args.runs, Path(profiles))
    finally:
        server.stop()
    return finish_alone(args, result, t0, load_before,
                        lambda r: "Engines, side by side\n" + engine_table(r) + "\n\n" + engine_run(r))


FIRST_VISIT = {"page": "forward/", "mbits": [10.0, 50.0], "rtt_ms": 40.0}


def only_first_visit(args, site_dir: Path, result: dict, t0: float, load_before) -> int:
    """Step 8 alone: first and later visits over a throttled line, this site (and the one before)."""
    sites = {"now": site_dir}
    if args.before_site:
        sites = {"before": args.before_site, **sites}
    result["settings"].update(first_visit_settings(FIRST_VISIT["page"], FIRST_VISIT["mbits"],
                                                   FIRST_VISIT["rtt_ms"], args.runs))
    if args.before_site:
        result["settings"]["before_label"] = args.before_label or "before"
    result["sites"] = measure_first_visits(sites, FIRST_VISIT["page"], FIRST_VISIT["mbits"],
                                           FIRST_VISIT["rtt_ms"], args.runs, args.port)
    return finish_alone(args, result, t0, load_before,
                        lambda r: "First visits\n" + first_visits(r) + "\n\n" + first_visit_run(r))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3,
                        help="runs per figure (median), at least 3 (default 3)")
    parser.add_argument("--json", type=Path, help="write the figures to this JSON file")
    parser.add_argument("--site-dir", type=Path, help="an already-built site (default: build it)")
    parser.add_argument("--page", default="", help="page whose load is timed (default: the home page)")
    parser.add_argument("--cache-control", default="max-age=600", help="the server's Cache-Control header")
    parser.add_argument("--skip-lab", action="store_true", help="do not train through the lab page")
    parser.add_argument("--port", type=int, default=0, help="the server's port (default: any free one)")
    parser.add_argument("--skip-engines", action="store_true",
                        help="do not measure Chromium, Firefox and WebKit side by side")
    parser.add_argument("--only-engines", action="store_true",
                        help="measure only Chromium, Firefox and WebKit side by side (step 7); "
                             "docs/assets/bench/engines.json is written so")
    parser.add_argument("--only-first-visit", action="store_true",
                        help="measure only first and later visits over a throttled line (step 8); "
                             "docs/assets/bench/firstvisit.json is written so")
    parser.add_argument("--before-site", type=Path, metavar="DIR",
                        help="with --only-first-visit: a built site of an earlier version, measured "
                             "beside this one in the same run")
    parser.add_argument("--before-label", metavar="TEXT",
                        help="with --before-site: the name its column gets, e.g. its commit")
    args = parser.parse_args(argv)
    if args.before_label and not args.before_site:
        parser.error("--before-label goes with --before-site")
    if args.before_site and not args.only_first_visit:
        parser.error("--before-site goes with --only-first-visit")
    if args.before_site and not (args.before_site / "index.html").is_file():
        parser.error(f"--before-site {args.before_site}: no index.html there (expected a built site)")
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
    if args.only_engines:
        return only_engines(args, site_dir, result, t0, load_before)
    if args.only_first_visit:
        return only_first_visit(args, site_dir, result, t0, load_before)
    result["native"] = native(args.runs)
    server = StaticServer(site_dir, cache_control=args.cache_control, port=args.port).start()
    try:
        result["browser"] = browser_measurements(server.url, args.page, args.runs, args.skip_lab)
        if not args.skip_engines:
            with tempfile.TemporaryDirectory(prefix="bench-engines-") as profiles:
                result["engines"] = engines(server.url, args.runs, Path(profiles))
    finally:
        server.stop()
    result["machine"]["chromium"] = subprocess.run([chromium(), "--version"], capture_output=True,
                                                   text=True).stdout.strip()
    result["machine"]["load_average"] = [round(x, 2) for x in load_before]
    result["machine"]["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    native_rates = {(tuple(r["shape"]), r["dtype"]): r["matmul"] for r in result["native"].pop("matmul")}
    result["matmul"] = [dict(r, native=native_rates.get((tuple(r["shape"]), r["dtype"])))
                        for r in result["browser"].pop("matmul")]
    result["targets"] = targets(result)
    result["seconds"] = round(time.perf_counter() - t0, 1)

    print(report(result))
    print(f"\n{result['date']}, {result['machine']['cpu']} ({result['machine']['cores']} cores), "
          f"load average {result['machine']['load_average'][0]} before, "
          f"{result['machine']['load_average_after'][0]} after; {result['seconds']} s")
    if args.json:
        write_atomic(args.json, (json.dumps(result, indent=1) + "\n").encode())
        say(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
