"""The benchmark's figures as Markdown tables and sentences, from scripts/bench's JSON.

One rendering for both readers of the figures: the Performance page (hooks/bench_table.py fills
its ``{{ bench.<field> }}`` placeholders from FIELDS) and the terminal (scripts/bench prints
report()). Each function takes the whole result dict and raises KeyError/TypeError/ValueError
when it lacks what the function needs.
"""

from __future__ import annotations

import datetime
import functools
import statistics

from . import visit_tables


def _num(value, digits=0):
    return "–" if value is None else f"{value:,.{digits}f}"


def _seconds(ms):
    return "–" if ms is None else f"{ms / 1000:.2f} s"


def machine(r):
    m = r["machine"]
    date = datetime.datetime.fromisoformat(r["date"]).strftime("%d %B %Y, %H:%M %Z").lstrip("0")
    load = m.get("load_average", [None])[0]
    return (f"Measured on {date} by `scripts/bench` ({r['seconds']:.0f} s), on {m['cpu']} with "
            f"{m['cores']} cores (load average {load} when it started, "
            f"{m.get('load_average_after', [None])[0]} "
            f"when it ended: the machine was shared), {m['chromium']} headless, Python {m['python']} "
            f"with NumPy {m['numpy']} natively. Each figure is the median of {r['settings']['runs']} runs.")


def startup(r):
    # "later" (a second reload) is missing from files written before it was measured.
    loads = [(r["browser"]["cold"], "cold cache"), (r["browser"]["warm"], "warm cache")]
    if "later" in r["browser"]:
        loads.append((r["browser"]["later"], "later visits"))
    rows = ["| Step (ms) | " + " | ".join(name for _, name in loads) + " |",
            "|---|" + "--:|" * len(loads)]
    for mark, part in loads[0][0]["parts"].items():
        rows.append(f"| {part['label']} | " + " | ".join(_num(load["parts"][mark]["ms"]) for load, _ in loads)
                    + " |")
    rows.append("| **runtime ready, after navigation** | "
                + " | ".join(f"**{_num(load['ready_ms'])}**" for load, _ in loads) + " |")
    rows.append("| bytes over the network | "
                + " | ".join(f"{_num(load['network_bytes'] / 1e6, 1)} MB" for load, _ in loads) + " |")
    return "\n".join(rows)


def training(r):
    b, n = r["browser"]["training"], r["native"]
    rows = ["| Configuration | browser | browser, with evaluation | native | native, with evaluation "
            "| native / browser |",
            "|---|--:|--:|--:|--:|--:|"]
    for name, bt in b.items():
        nt = n["mlp"][name]
        rows.append(f"| {bt['label']} | {_num(bt['train_sps'])} | {_num(bt['with_eval_sps'])} "
                    f"| {_num(nt['train_sps'])} | {_num(nt['with_eval_sps'])} "
                    f"| {_num(nt['train_sps'] / bt['train_sps'], 1)}× |")
    return "\n".join(rows)


def pytorch(r):
    """Native mlp against the same training as a PyTorch loop, when torch was installed."""
    n = r["native"]
    torch = n.get("torch")
    if not torch:
        return f"*(not measured in this run: {n.get('torch_skipped') or 'torch is not installed'})*"
    rows = ["| Configuration | mlp, native | PyTorch | mlp / PyTorch |", "|---|--:|--:|--:|"]
    for name, nt in n["mlp"].items():
        tt = torch.get(name)
        rows.append(f"| {nt['label']} | {_num(nt['train_sps'])} | {_num(tt['train_sps']) if tt else '–'} "
                    f"| {_num(nt['train_sps'] / tt['train_sps'], 2) + '×' if tt else '–'} |")
    return "\n".join(rows)


def matmul(r):
    rows = r.get("matmul")
    if not rows:
        return "*(not measured in this run)*"
    # mlp.ops.matmul's own column is the SIMD kernel in the browser; the NumPy path's pick (the
    # einsum rule) is the column before it.
    out = ["| Product (m×k)·(k×n) | dtype | `@` | `einsum` | NumPy path picks "
           "| `mlp.ops.matmul` (the kernel) | native `@` |",
           "|---|---|--:|--:|---|--:|--:|"]
    for row in rows:
        m, k, n = row["shape"]
        pick = "`einsum`" if row["method"] == "einsum" else "`@`"
        out.append(f"| {row['name']}: ({m}×{k})·({k}×{n}) | {row['dtype']} | {_num(row['matmul'], 1)} "
                   f"| {_num(row['einsum'], 1)} | {pick} | {_num(row['helper'], 1)} "
                   f"| {_num(row.get('native'), 0)} |")
    return "\n".join(out)


def _target_digits(goal: str, value: float) -> int:
    if goal.endswith(" x"):
        return 2            # a ratio
    if goal.endswith(" s"):
        return 1            # seconds
    return 4 if value < 1 else 0   # an accuracy, else a count (ms, samples/s)


def targets(r):
    rows = ["| Target | goal | measured | verdict |", "|---|---|--:|---|"]
    for t in r["targets"].values():
        value = t["value"]
        shown = "–" if value is None else _num(value, _target_digits(t["goal"], value))
        verdict = {True: "met", False: "**missed**", None: "not measured"}[t["met"]]
        rows.append(f"| {t['label']} | {t['goal']} | {shown} | {verdict} |")
    return "\n".join(rows)


def kernel(r):
    """The SIMD kernel against the pure-NumPy path in the browser: samples/s, where a batch's
    time goes, and the tutorial's full run (``mlpsite.bench.kernel`` measures them)."""
    b, n = r["browser"].get("kernel"), r["native"].get("kernel")
    if not b or not n:
        return "*(the SIMD kernel was not measured in this run)*"
    rows = ["| Configuration | browser, NumPy path | browser, kernel | kernel / NumPy path | native |",
            "|---|--:|--:|--:|--:|"]
    for name in ("default", "deep"):
        numpy_sps = b["throughput"].get("numpy", {}).get(name)
        kernel_sps = b["throughput"].get("kernel", {}).get(name)
        speedup = kernel_sps / numpy_sps if numpy_sps and kernel_sps else None
        rows.append(f"| {name} | {_num(numpy_sps)} | {_num(kernel_sps)} | {_num(speedup, 1)}× "
                    f"| {_num(n['throughput']['numpy'][name])} |")
    rows += ["", "| Where a batch's time goes (ms) | browser, NumPy path | browser, kernel | native |",
             "|---|--:|--:|--:|"]
    for name in ("default", "deep"):
        parts = [b["phases"].get("numpy", {}).get(name, {}), b["phases"].get("kernel", {}).get(name, {}),
                 n["phases"]["numpy"][name]]
        rows += [f"| {name}: {part} | " + " | ".join(_num(p.get(part), 2) for p in parts) + " |"
                 for part in parts[2]]
    runs = [f"{where} ({fr['backend']}): {fr['images']:,} images × {fr['epochs']} epochs in "
            f"{_num(fr['seconds'], 1)} s, test accuracy {_num(fr['test_accuracy'], 4)}"
            for where, fr in (("in the browser", b["full_run"]), ("natively", n["full_run"])) if fr]
    if runs:
        rows += ["", "The tutorial's full run, " + "; ".join(runs) + "."]
    return "\n".join(rows)


ENGINE_ROWS = [  # (label, figure of one engine's dict from scripts/bench_engines.py, digits)
    ("Python ready, first visit (ms after navigation)", lambda e: e["first_visit"]["ready"], 0),
    ("of which the worker loads Pyodide, numpy and mlp (ms)",
     lambda e: e["first_visit"]["pyodide"] - e["first_visit"]["boot"], 0),
    ("compiling pyodide.asm.wasm alone (ms)", lambda e: e["compile_pyodide_ms"], 0),
    ("Pyodide step by step: the interpreter (ms)", lambda e: e["startup_profile"]["interpreter"], 0),
    ("numpy's package, its extension modules compiled (ms)",
     lambda e: e["startup_profile"]["numpy_package"], 0),
    ("import numpy (ms)", lambda e: e["startup_profile"]["import_numpy"], 0),
    ("Python ready, later visit (ms after navigation)", lambda e: e["later_visit"]["ready"], 0),
    ("training, gradient steps (samples/s)", lambda e: e["train_sps"], 0),
    ("training with each epoch's evaluation (samples/s)", lambda e: e["with_eval_sps"], 0),
    ("the lab, first run in a new worker (samples/s)", lambda e: e["lab_first_sps"], 0),
    ("the lab, after that training (samples/s)", lambda e: e["lab_sps"], 0),
    ("worker with evaluation / lab after it", lambda e: e["with_eval_sps"] / e["lab_sps"], 2),
]


def engines(r):
    """Start-up and training in each engine, side by side (scripts/bench_engines.py)."""
    found = {name: e for name, e in r["engines"].items() if "skipped" not in e}
    if not found:
        raise ValueError("no engine was measured")
    names = {"chromium": "Chromium", "firefox": "Firefox", "webkit": "WebKit"}
    rows = ["| | " + " | ".join(f"{names.get(n, n)} ({e['version']})" for n, e in found.items()) + " |",
            "|---|" + "--:|" * len(found)]
    for label, value_of, digits in ENGINE_ROWS:
        rows.append(f"| {label} | " + " | ".join(_num(value_of(e), digits) for e in found.values()) + " |")
    skipped = [f"{names.get(n, n)}: {e['skipped']}" for n, e in r["engines"].items() if "skipped" in e]
    return "\n".join(rows) + (f"\n\nNot measured: {'; '.join(skipped)}." if skipped else "")


def engine_run(r):
    """When, where and how the engines were measured (scripts/bench --only-engines)."""
    m = r["machine"]
    date = datetime.datetime.fromisoformat(r["date"]).strftime("%d %B %Y, %H:%M %Z").lstrip("0")
    return (f"Measured on {date} by `scripts/bench --only-engines` ({r['seconds']:.0f} s), on "
            f"{m['cpu']} with {m['cores']} cores (load average {m['load_average'][0]} when it started, "
            f"{m['load_average_after'][0]} when it ended: the machine was shared). Each start-up "
            f"figure is one page load; each training figure the median of {r['settings']['runs']} epochs.")


def _engine(r, name, value_of, digits=0):
    """One engine's figure, "–" where that engine was not measured."""
    e = r["engines"].get(name, {})
    return "–" if "skipped" in e or not e else _num(value_of(e), digits)


def _train_sps(r, name):
    return r["browser"]["training"][name]["train_sps"]


def comparison(before, after):
    """Before and after the speed-ups, side by side."""
    rows = ["| Measure | before | after | change |", "|---|--:|--:|--:|"]
    for label, get, unit, better in [
        ("runtime ready, cold cache", lambda r: r["browser"]["cold"]["ready_ms"], "ms", "lower"),
        ("runtime ready, warm cache", lambda r: r["browser"]["warm"]["ready_ms"], "ms", "lower"),
        ("runtime ready, later visits", lambda r: r["browser"].get("later", {}).get("ready_ms"),
         "ms", "lower"),
        *[(f"training, {name}: browser", functools.partial(_train_sps, name=name), "samples/s", "higher")
          for name in after["browser"]["training"]],
    ]:
        b, a = get(before), get(after)
        ratio = (b / a if better == "lower" else a / b) if a and b else None
        if ratio is None:
            change = "–"
        elif ratio >= 1:
            change = f"{_num(ratio, 2)}× {'faster' if better == 'lower' else 'more'}"
        else:
            change = f"{_num(1 / ratio, 2)}× {'slower' if better == 'lower' else 'less'}"
        rows.append(f"| {label} ({unit}) | {_num(b)} | {_num(a)} | {change} |")
    rows.append(f"| load average when the run started | {before['machine'].get('load_average', ['–'])[0]} "
                f"| {after['machine'].get('load_average', ['–'])[0]} | |")
    return "\n".join(rows)


FIELDS = {
    "machine": machine,
    "startup": startup,
    "training": training,
    "pytorch": pytorch,
    "matmul": matmul,
    "kernel": kernel,
    "targets": targets,
    "engines": engines,
    "first_output_ms": lambda r: _num(r["browser"]["first_output"]["cell_ms"]
                                      or r["browser"]["first_output"]["api_ms"]),
    "longest_task_ms": lambda r: _num(r["browser"]["long_tasks"].get("longest_ms")),
    "long_task_count": lambda r: _num(r["browser"]["long_tasks"].get("count")),
    "lab_train_s": lambda r: _num(r["browser"]["long_tasks"].get("train_wall_s"), 1),
    "wasm_memory_mib": lambda r: _num((r["browser"]["wasm_memory"] or 0) / 2**20),
    "cold_ready_s": lambda r: _seconds(r["browser"]["cold"]["ready_ms"]),
    "warm_ready_s": lambda r: _seconds(r["browser"]["warm"]["ready_ms"]),
    "later_ready_s": lambda r: _seconds(r["browser"]["later"]["ready_ms"]),
    "seconds": lambda r: f"{r['seconds']:.0f}",
    "einsum_min_dim": lambda r: str(_einsum_min_dim()),
    "native_over_browser": lambda r: _num(_native_over_browser(r), 1),
    "subset_epoch_s": lambda r: _num(_subset_epoch_s(r), 2),
    "default_label": lambda r: _label(r, "default"),
    "deep_label": lambda r: _label(r, "deep"),
    "einsum_speedup": lambda r: _range([x["einsum"] / x["matmul"] for x in r["matmul"]
                                        if x["method"] == "einsum"]),
    "einsum_slowdown": lambda r: _range([x["matmul"] / x["einsum"] for x in r["matmul"]
                                         if x["einsum"] < x["matmul"]]),
    "einsum_slower_on": lambda r: _slower_on(r),
    "deep_products_pct_numpy": lambda r: _share(r, "numpy", "deep", "matrix products"),
    "deep_products_pct_kernel": lambda r: _share(r, "kernel", "deep", "matrix products"),
    "deep_optimiser_pct_kernel": lambda r: _share(r, "kernel", "deep", "optimiser"),
    "cold_range_ms": lambda r: _range([max(run.values()) for run in r["browser"]["cold"]["runs"]],
                                      digits=0, unit=" ms", sep=" to "),
    "engine_run": engine_run,
    "webkit_compile_ms": lambda r: _engine(r, "webkit", lambda e: e["compile_pyodide_ms"]),
    "chromium_compile_ms": lambda r: _engine(r, "chromium", lambda e: e["compile_pyodide_ms"]),
    "firefox_compile_ms": lambda r: _engine(r, "firefox", lambda e: e["compile_pyodide_ms"]),
    "webkit_numpy_package_ms": lambda r: _engine(r, "webkit",
                                                 lambda e: e["startup_profile"]["numpy_package"]),
    "webkit_interpreter_ms": lambda r: _engine(r, "webkit", lambda e: e["startup_profile"]["interpreter"]),
    "webkit_import_numpy_ms": lambda r: _engine(r, "webkit", lambda e: e["startup_profile"]["import_numpy"]),
    "webkit_worker_load_ms": lambda r: _engine(
        r, "webkit", lambda e: e["first_visit"]["pyodide"] - e["first_visit"]["boot"]),
    "webkit_ready_ms": lambda r: _engine(r, "webkit", lambda e: e["first_visit"]["ready"]),
    "webkit_later_ready_ms": lambda r: _engine(r, "webkit", lambda e: e["later_visit"]["ready"]),
    "webkit_lab_first_sps": lambda r: _engine(r, "webkit", lambda e: e["lab_first_sps"]),
    "webkit_lab_sps": lambda r: _engine(r, "webkit", lambda e: e["lab_sps"]),
    "webkit_lab_warmup": lambda r: _engine(r, "webkit", lambda e: e["lab_sps"] / e["lab_first_sps"], 1),
    "lab_over_worker": lambda r: _range([e["with_eval_sps"] / e["lab_sps"] for e in r["engines"].values()
                                         if "skipped" not in e], digits=2),
    "comparison": None,  # before.json against latest.json, see comparison()
}


FIELDS.update(visit_tables.FIELDS)   # {{ bench.firstvisit.<field> }}: docs/assets/bench/firstvisit.json


def _label(r, name) -> str:
    """A benchmarked network's description, e.g. "784-64-10 sigmoid, momentum, float32"."""
    return r["browser"]["training"][name]["label"]


def _range(values, digits=1, unit="×", sep="× to ") -> str:
    """"1.5× to 2.4×": the smallest and largest of some figures (one figure if they round alike)."""
    low, high = _num(min(values), digits), _num(max(values), digits)
    return f"{low}{unit}" if low == high else f"{low}{sep}{high}{unit}"


def _slower_on(r) -> str:
    """The products (by name, each once) on which einsum is slower than `@` in every dtype measured."""
    names = list(dict.fromkeys(x["name"] for x in r["matmul"]))
    slower = [n for n in names if all(x["einsum"] < x["matmul"] for x in r["matmul"] if x["name"] == n)]
    return " and ".join(f"*{n}*" for n in slower) if slower else "none of them"


def _share(r, backend, network, part) -> str:
    """A phase's share of one browser batch, in percent, e.g. "53 %"."""
    phases = r["browser"]["kernel"]["phases"][backend][network]
    return f"{100 * phases[part] / phases['batch']:.0f} %"


def _native_over_browser(r) -> float:
    """How many times faster native NumPy trains the default network than the browser does
    (samples per second, gradient steps alone)."""
    return r["native"]["mlp"]["default"]["train_sps"] / r["browser"]["training"]["default"]["train_sps"]


def _subset_epoch_s(r) -> float:
    """Seconds of one epoch over the 10,000-picture subset in the browser, the evaluation of
    the training and test sets after it included (median of the runs)."""
    return statistics.median(r["browser"]["training"]["default"]["with_eval_epoch_s"])


def _einsum_min_dim():
    from mlp.ops import EINSUM_MIN_DIM  # the rule's threshold, from the code itself

    return EINSUM_MIN_DIM


def report(r) -> str:
    """The whole result for a terminal: every table and figure, in the Performance page's order."""
    b = r["browser"]
    lt = b["long_tasks"]
    lab = (f"Longest main-thread task while the lab trains: {FIELDS['longest_task_ms'](r)} ms "
           f"({FIELDS['long_task_count'](r)} long tasks; training took {FIELDS['lab_train_s'](r)} s)"
           if lt.get("source") else f"Longest main-thread task: not measured ({lt.get('skipped')})")
    return "\n\n".join([
        "Targets\n" + targets(r),
        "Start-up (ms after navigation, median)\n" + startup(r),
        f"Run to first output: {FIELDS['first_output_ms'](r)} ms",
        "Training, samples/s (median)\n" + training(r),
        "Native mlp and PyTorch\n" + pytorch(r),
        "Matrix products, GFLOP/s\n" + matmul(r),
        "The SIMD kernel, samples/s (median)\n" + kernel(r),
        lab + f"\nWebAssembly memory after training: {FIELDS['wasm_memory_mib'](r)} MiB",
        *(["Engines, side by side\n" + engines(r)] if r.get("engines") else []),
        machine(r),
    ])
