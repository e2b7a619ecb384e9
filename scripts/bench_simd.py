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


def _fmt(value, digits=0):
    return "-" if value is None else f"{value:,.{digits}f}"


def kernel_table(result: dict) -> str:
    b, n = result["browser"].get("kernel"), result["native"].get("kernel")
    if not b or not n:
        return "The SIMD kernel: not measured"
    lines = ["The SIMD kernel, training samples/s (median)     NumPy path    kernel   speed-up   native"]
    for name in ("default", "deep"):
        numpy_sps = b["throughput"].get("numpy", {}).get(name)
        kernel_sps = b["throughput"].get("kernel", {}).get(name)
        speedup = kernel_sps / numpy_sps if numpy_sps and kernel_sps else None
        lines.append(f"  {name:<46}{_fmt(numpy_sps):>11}{_fmt(kernel_sps):>10}{_fmt(speedup, 1):>10}x"
                     f"{_fmt(n['throughput']['numpy'][name]):>9}")
    lines += ["", "Where a batch's time goes, ms (browser NumPy path | browser kernel | native)"]
    for name in ("default", "deep"):
        parts = [b["phases"].get("numpy", {}).get(name, {}), b["phases"].get("kernel", {}).get(name, {}),
                 n["phases"]["numpy"][name]]
        for part in parts[2]:
            lines.append(f"  {name:<8}{part:<46}" + "".join(f"{_fmt(p.get(part), 2):>9}" for p in parts))
    for where, k in (("browser", b), ("native", n)):
        fr = k["full_run"]
        if fr:
            lines.append(f"Tutorial's full run, {where} ({fr['backend']}): {fr['images']:,} images x "
                         f"{fr['epochs']} epochs in {_fmt(fr['seconds'], 1)} s, "
                         f"test accuracy {_fmt(fr['test_accuracy'], 4)}")
    return "\n".join(lines)
