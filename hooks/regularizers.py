"""MkDocs hook: the Overfitting page's regularisers compared over several seeds, by the build.

on_config         runs hooks/regularizer_seeds.py on the site's subset (one BLAS thread) and keeps
                  its report in build/results/regularizer_seeds.json, reused while its key (a hash
                  of the mlp/ sources, the script, the page's first cell and the data file) is
                  unchanged.
on_page_markdown  replaces ``{{ regularizers.<field> }}`` with figures from that report; an unknown
                  field stops the build with a message that lists the valid ones.

Fields (all over the seeds; "std" is the sample standard deviation, ddof=1):
``table``               one row per regulariser: validation accuracy, its change from no
                        regularisation on the same seed (in points), validation loss and gap
                        (validation minus training loss), each as mean ± std
``seeds``, ``n_val``    how many seeds; how many validation pictures
``se_points``           the standard error of a validation accuracy p measured on n_val pictures,
                        sqrt(p (1 - p) / n_val), in points, with p the mean without regularisation
``lowest_loss_epochs``, ``best_acc_epochs``  without regularisation, the range over the seeds of
                        the epoch of lowest validation loss and of highest validation accuracy
``early_cost``          early stopping's mean loss of validation accuracy, in points
"""

from __future__ import annotations

import importlib.util
import json
import logging
import math
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

from assets.stamps import Stamp, inputs_key

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "hooks" / "regularizer_seeds.py"
DATA = ROOT / "build" / "assets" / "data" / "mnist-subset.npz"   # made by hooks/site_hooks.py
RESULTS = ROOT / "build" / "results"
SEEDS = 10
TIMEOUT = 600
PLACEHOLDER = re.compile(r"\{\{\s*regularizers\.(?P<field>\w+)\s*\}\}")
NONE = "no regularisation"

log = logging.getLogger("mkdocs.hooks.regularizers")
report: dict = {}


def _setup_cell() -> str:
    """The page's first cell, as the script reads it (part of the key)."""
    spec = importlib.util.spec_from_file_location("regularizer_seeds", SCRIPT)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    return script.setup_cell()


def _key() -> str:
    return inputs_key(ROOT / "mlp", SCRIPT, DATA, _setup_cell(), f"seeds={SEEDS}",
                      f"python={sys.version_info[:2]}")


def on_config(config):
    RESULTS.mkdir(parents=True, exist_ok=True)
    path, stamp = RESULTS / "regularizer_seeds.json", Stamp(RESULTS / "regularizer_seeds.key")
    key = _key()
    if not (path.exists() and stamp.fresh(key)):
        log.info("regularizers: training the Overfitting page's regularisers over %d seeds", SEEDS)
        env = dict(os.environ, PYTHONPATH=str(ROOT), OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
        command = [sys.executable, str(SCRIPT), "--data", str(DATA), "--seeds", str(SEEDS),
                   "--report", str(path)]
        try:
            proc = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                                  timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            raise PluginError(f"regularizers: {SCRIPT.name} did not finish within {TIMEOUT} s") from None
        if proc.returncode != 0:
            tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-15:])
            raise PluginError(f"regularizers: {SCRIPT.name} failed with exit status "
                              f"{proc.returncode}:\n{tail}")
        stamp.write(key)
    try:
        report.clear()
        report.update(json.loads(path.read_text()))
    except (OSError, ValueError) as exc:
        raise PluginError(f"regularizers: {path} is not a usable report ({exc})") from None
    return config


def _mean_std(values, scale=1.0, digits=3, sign=""):
    """'0.858 ± 0.007', kept on one line (no-break spaces), with a true minus sign."""
    mean = f"{scale * statistics.mean(values):{sign}.{digits}f}".replace("-", "\u2212")
    return f"{mean}\u00a0±\u00a0{scale * statistics.stdev(values):.{digits}f}"


def _table(runs):
    base = [r["val_acc"] for r in runs[NONE]]
    rows = ["| regulariser | validation accuracy | change (points) | validation loss | gap |",
            "|---|---:|---:|---:|---:|"]
    for title, records in runs.items():
        acc = [r["val_acc"] for r in records]
        change = _mean_std([a - b for a, b in zip(acc, base)], 100, 1, "+") if title != NONE else "0"
        rows.append(f"| {title} | {_mean_std(acc)} | {change} | "
                    f"{_mean_std([r['val_loss'] for r in records])} | "
                    f"{_mean_std([r['val_loss'] - r['train_loss'] for r in records])} |")
    return "\n".join(rows)


def _range(values):
    low, high = min(values), max(values)
    return str(low) if low == high else f"{low} to {high}"


def fields(data) -> dict[str, str]:
    """Every placeholder field, as the text that replaces it."""
    runs, n_val = data["runs"], data["n_val"]
    p = statistics.mean(r["val_acc"] for r in runs[NONE])
    early = [e["val_acc"] - n["val_acc"] for e, n in zip(runs["early stopping"], runs[NONE])]
    return {
        "table": _table(runs),
        "seeds": str(data["seeds"]),
        "n_val": str(n_val),
        "se_points": f"{100 * math.sqrt(p * (1 - p) / n_val):.1f}",
        "lowest_loss_epochs": _range([r["lowest_loss_epoch"] for r in runs[NONE]]),
        "best_acc_epochs": _range([r["best_acc_epoch"] for r in runs[NONE]]),
        "early_cost": f"{-100 * statistics.mean(early):.1f}",
    }


def on_page_markdown(markdown, page, config, files):
    if "regularizers." not in markdown:
        return markdown
    values = fields(report)

    def substitute(match):
        if match["field"] not in values:
            raise PluginError(f"{page.file.src_uri}: unknown field {match['field']!r} in {match[0]!r}; "
                              f"known: {', '.join(values)}")
        return values[match["field"]]

    return PLACEHOLDER.sub(substitute, markdown)
