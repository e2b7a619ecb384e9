"""The SIMD kernel's part of scripts/bench: both matrix-product backends in one browser run.

scripts/bench_kernel.py trains the default and the deep configuration with the pure-NumPy path
and with the kernel, times where each batch's time goes, and runs the tutorial's full run
(60,000 images, 10 epochs). It runs natively (NumPy's BLAS) and in the browser, through the
runtime's ``run``; this module runs it in both places, checks the issue's targets and prints
its table.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KERNEL = ROOT / "scripts" / "bench_kernel.py"
SUBSET = ROOT / "build" / "assets" / "data" / "mnist-subset.npz"
FULL_DATA = ROOT / "build" / "assets" / "data" / "mnist-full.npz"
TARGETS = {  # key: (label, op, goal, unit, value from {"browser": ..., "native": ...})
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

JS_KERNEL = """async ([url, code]) => {
  const { runtime } = await import(url);
  await runtime.ready();
  await runtime.loadData("mnist-full.npz");
  let out = "";
  const r = await runtime.run(code, { scope: "bench-kernel", onStdout: (t) => { out += t; },
                                      onStderr: (t) => { out += t; } });
  const error = r.error ? `${r.error.type}: ${r.error.message}\\n${r.error.traceback}` : null;
  return { ok: r.ok, error, out };
}"""


def _bench_line(text: str, what: str) -> dict:
    line = next((ln for ln in text.splitlines() if ln.startswith("BENCH ")), None)
    if line is None:
        raise RuntimeError(f"{KERNEL.name} {what} printed no result:\n{text[-2000:]}")
    return json.loads(line[len("BENCH "):])


def kernel_native(runs: int, env: dict) -> dict:
    proc = subprocess.run([sys.executable, str(KERNEL), str(SUBSET), str(FULL_DATA), str(runs)], cwd=ROOT,
                          env=dict(os.environ, **env), capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{KERNEL.name} failed natively:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    return _bench_line(proc.stdout, "natively")


def kernel_browser(page, runtime_url: str, runs: int) -> dict:
    code = KERNEL.read_text().replace('if __name__ == "__main__":', "if False:")
    call = f"main('/data/mnist-subset.npz', '/data/mnist-full.npz', {runs})"
    code += f"\nprint('BENCH ' + json.dumps({call}))\n"
    result = page.evaluate(JS_KERNEL, [runtime_url, code])
    if not result["ok"]:
        raise RuntimeError(f"{KERNEL.name} failed in the browser:\n{result['error']}\n"
                           f"{result['out'][-2000:]}")
    return _bench_line(result["out"], "in the browser")


def kernel_targets(result: dict) -> dict:
    k = {"browser": result["browser"].get("kernel"), "native": result["native"].get("kernel")}
    out = {}
    for key, (label, op, goal, unit, value_of) in TARGETS.items():
        try:
            value = value_of(k)
        except (KeyError, TypeError, ZeroDivisionError):  # a backend or the full run was not measured
            value = None
        met = None if value is None else (value >= goal if op == ">=" else value <= goal)
        out[key] = {"label": label, "goal": f"{op} {goal:,} {unit}".rstrip(), "value": value, "met": met}
    return out
