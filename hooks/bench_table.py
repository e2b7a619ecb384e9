"""MkDocs hook: the Performance page's figures, rendered from scripts/bench's JSON.

``scripts/bench --json docs/assets/bench/latest.json`` writes the measurements; this hook
replaces placeholders ``{{ bench.<field> }}`` in any page with them, and
``{{ bench.before.<field> }}`` with those of docs/assets/bench/before.json (the same
measurements before the speed-ups). No figure is typed by hand. A placeholder naming an
unknown field, or a missing or unreadable file, stops the build with a message.

Fields: ``machine`` (date, processor, load, browser: one sentence), ``startup``,
``training``, ``pytorch``, ``targets``, ``matmul``, ``comparison`` (before.json and latest.json side by
side) (Markdown tables), ``first_output_ms``,
``longest_task_ms``, ``long_task_count``, ``lab_train_s`` (the lab's default run, click to
done), ``wasm_memory_mib``, ``cold_ready_s``, ``warm_ready_s``, ``seconds``,
``einsum_min_dim`` (the threshold of mlp.ops.matmul's rule, read from mlp itself).
"""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parent.parent
FILES = {"latest": ROOT / "docs" / "assets" / "bench" / "latest.json",
         "before": ROOT / "docs" / "assets" / "bench" / "before.json"}
PLACEHOLDER = re.compile(r"\{\{\s*bench\.(?:(before)\.)?([a-z_]+)\s*\}\}")


def _num(value, digits=0):
    return "–" if value is None else f"{value:,.{digits}f}"


def _seconds(ms):
    return "–" if ms is None else f"{ms / 1000:.2f} s"


def machine(r):
    m = r["machine"]
    date = datetime.datetime.fromisoformat(r["date"]).strftime("%d %B %Y, %H:%M %Z").lstrip("0")
    load = m.get("load_average", [None])[0]
    return (f"Measured on {date} by `scripts/bench` ({r['seconds']:.0f} s), on a {m['cpu']} with "
            f"{m['cores']} cores (load average {load} when it started, {m.get('load_average_after', [None])[0]} "
            f"when it ended: the machine was shared), {m['chromium']} headless, Python {m['python']} "
            f"with NumPy {m['numpy']} natively. Each figure is the median of {r['settings']['runs']} runs.")


def startup(r):
    cold, warm = r["browser"]["cold"], r["browser"]["warm"]
    rows = ["| Step (ms) | cold cache | warm cache |", "|---|--:|--:|"]
    for mark, part in cold["parts"].items():
        rows.append(f"| {part['label']} | {_num(part['ms'])} | {_num(warm['parts'][mark]['ms'])} |")
    rows.append(f"| **runtime ready, after navigation** | **{_num(cold['ready_ms'])}** | **{_num(warm['ready_ms'])}** |")
    rows.append(f"| bytes over the network | {_num(cold['network_bytes'] / 1e6, 1)} MB "
                f"| {_num(warm['network_bytes'] / 1e6, 1)} MB |")
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
    out = ["| Product (m×k)·(k×n) | dtype | `@` | `einsum` | `mlp.matmul` (uses) | native `@` |",
           "|---|---|--:|--:|--:|--:|"]
    for row in rows:
        m, k, n = row["shape"]
        out.append(f"| {row['name']}: ({m}×{k})·({k}×{n}) | {row['dtype']} | {_num(row['matmul'], 1)} "
                   f"| {_num(row['einsum'], 1)} | {_num(row['helper'], 1)} ({row['method']}) "
                   f"| {_num(row.get('native'), 0)} |")
    return "\n".join(out)


def targets(r):
    rows = ["| Target | goal | measured | verdict |", "|---|---|--:|---|"]
    for t in r["targets"].values():
        value = t["value"]
        shown = "–" if value is None else _num(value, 2 if t["goal"].endswith(" x") else 0)
        verdict = {True: "met", False: "**missed**", None: "not measured"}[t["met"]]
        rows.append(f"| {t['label']} | {t['goal']} | {shown} | {verdict} |")
    return "\n".join(rows)


def comparison(before, after):
    """Before and after the speed-ups, side by side."""
    rows = ["| Measure | before | after | change |", "|---|--:|--:|--:|"]
    for label, get, unit, better in [
        ("runtime ready, cold cache", lambda r: r["browser"]["cold"]["ready_ms"], "ms", "lower"),
        ("runtime ready, warm cache", lambda r: r["browser"]["warm"]["ready_ms"], "ms", "lower"),
        *[(f"training, {name}: browser", (lambda name: lambda r: r["browser"]["training"][name]["train_sps"])(name),
           "samples/s", "higher") for name in after["browser"]["training"]],
    ]:
        b, a = get(before), get(after)
        ratio = (b / a if better == "lower" else a / b) if a and b else None
        rows.append(f"| {label} ({unit}) | {_num(b)} | {_num(a)} | {_num(ratio, 1)}× {'faster' if better == 'lower' else 'more'} |")
    rows.append(f"| load average when the run started | {before['machine'].get('load_average', ['–'])[0]} "
                f"| {after['machine'].get('load_average', ['–'])[0]} | |")
    return "\n".join(rows)


FIELDS = {
    "machine": machine,
    "startup": startup,
    "training": training,
    "pytorch": pytorch,
    "matmul": matmul,
    "targets": targets,
    "first_output_ms": lambda r: _num(r["browser"]["first_output"]["cell_ms"] or r["browser"]["first_output"]["api_ms"]),
    "longest_task_ms": lambda r: _num(r["browser"]["long_tasks"].get("longest_ms")),
    "long_task_count": lambda r: _num(r["browser"]["long_tasks"].get("count")),
    "lab_train_s": lambda r: _num(r["browser"]["long_tasks"].get("train_wall_s"), 1),
    "wasm_memory_mib": lambda r: _num((r["browser"]["wasm_memory"] or 0) / 2**20),
    "cold_ready_s": lambda r: _seconds(r["browser"]["cold"]["ready_ms"]),
    "warm_ready_s": lambda r: _seconds(r["browser"]["warm"]["ready_ms"]),
    "seconds": lambda r: f"{r['seconds']:.0f}",
    "einsum_min_dim": lambda r: str(_einsum_min_dim()),
    "comparison": None,  # before.json against latest.json, see comparison()
}


def _einsum_min_dim():
    from mlp.ops import EINSUM_MIN_DIM  # the rule's threshold, from the code itself

    return EINSUM_MIN_DIM


def _load(name):
    path = FILES[name]
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        raise PluginError(f"{path.relative_to(ROOT)} is missing: write it with "
                          f"scripts/bench --json {path.relative_to(ROOT)}") from None
    except ValueError as e:
        raise PluginError(f"{path.relative_to(ROOT)} is not valid JSON ({e}): write it again with scripts/bench") from None


def on_page_markdown(markdown, page, config, files):
    if "{{" not in markdown or "bench." not in markdown:
        return markdown
    loaded = {}

    def replace(match):
        which, field = match.group(1) or "latest", match.group(2)
        if field not in FIELDS:
            raise PluginError(f"{page.file.src_uri}: unknown placeholder bench.{field}; "
                              f"known fields: {', '.join(FIELDS)}")
        needed = ["before", "latest"] if field == "comparison" else [which]
        for name in needed:
            if name not in loaded:
                loaded[name] = _load(name)
        try:
            if field == "comparison":
                return comparison(loaded["before"], loaded["latest"])
            return FIELDS[field](loaded[which])
        except (KeyError, TypeError, ValueError) as e:
            raise PluginError(f"{FILES[which].relative_to(ROOT)} lacks what bench.{field} needs ({e!r}): "
                              f"write it again with the current scripts/bench") from None

    return PLACEHOLDER.sub(replace, markdown)
