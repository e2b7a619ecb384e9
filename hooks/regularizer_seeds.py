"""Train the Overfitting page's regularisers once per seed and write a JSON report.

    python hooks/regularizer_seeds.py --data build/assets/data/mnist-subset.npz \\
        --seeds 10 --report build/results/regularizer_seeds.json

The set-up is the page's own: the first cell of docs/overfitting.md (its 500 training and 500
validation pictures and its ``experiment`` function) runs as it is, and each regulariser of
REGULARIZERS trains with the options its cell on the page passes, once per seed (the seed of
the initial weights and of the batch order; seed 0 is the run the page shows). The report:
``{"seeds", "n_train", "n_val", "runs": {title: [one record per seed]}}``, each record with the
figures after training (``train_loss``, ``val_loss``, ``val_acc``; early stopping's are those of
the weights it restores), ``epochs`` trained, and the epochs of the lowest validation loss
(``lowest_loss_epoch``) and of the highest validation accuracy (``best_acc_epoch``, the first
if several tie). Run by hooks/regularizers.py with one BLAS thread.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "overfitting.md"
CELL = re.compile(r"^```\{\.python \.cell[^}]*\}\n(.*?)^```$", re.S | re.M)
DATA_ON_PAGE = '"/data/mnist-subset.npz"'

# Title on the page -> the options its cell passes to experiment() (tests/site/test_docs_claims.py
# checks that the page makes these calls). "patience" stands for
# callbacks=[mlp.EarlyStopping(monitor="test_loss", patience=...)].
REGULARIZERS = {
    "no regularisation": {},
    "L2 in the loss": {"l2": 0.003},
    "decoupled weight decay": {"weight_decay": 1.0},
    "dropout 0.5": {"dropout": 0.5},
    "early stopping": {"patience": 3},
}


def setup_cell() -> str:
    """The source of the page's first cell."""
    cells = CELL.findall(PAGE.read_text())
    if not cells or DATA_ON_PAGE not in cells[0]:
        raise SystemExit(f"{PAGE}: the first cell no longer loads {DATA_ON_PAGE}")
    return cells[0]


def run(data: Path, seeds: int) -> dict:
    import mlp
    import mlpsite.page

    sys.modules["page"] = mlpsite.page          # the cell imports it, as in the browser
    namespace = {"__name__": "__main__"}
    quiet = contextlib.redirect_stdout(io.StringIO())
    with quiet:
        exec(compile(setup_cell().replace(DATA_ON_PAGE, repr(str(data))), f"{PAGE.name}[cell 1]",
                     "exec"), namespace)
    experiment, runs = namespace["experiment"], namespace["runs"]
    train, val = (namespace["x_small"], namespace["y_small"]), (namespace["x_val"], namespace["y_val"])
    results = {}
    for title, options in REGULARIZERS.items():
        results[title] = []
        for seed in range(seeds):
            kwargs = dict(options)
            patience = kwargs.pop("patience", None)
            callbacks = [mlp.EarlyStopping(monitor="test_loss", patience=patience)] if patience else []
            with contextlib.redirect_stdout(io.StringIO()):
                experiment(title, callbacks=callbacks, seed=seed, **kwargs)
            net, history = runs[title]
            train_loss, _ = net.evaluate(*train)
            val_loss, val_acc = net.evaluate(*val)
            results[title].append({
                "seed": seed, "train_loss": float(train_loss), "val_loss": float(val_loss),
                "val_acc": float(val_acc), "epochs": len(history),
                "lowest_loss_epoch": min(history, key=lambda r: r["test_loss"])["epoch"],
                "best_acc_epoch": max(history, key=lambda r: r["test_acc"])["epoch"],
            })
    return {"seeds": seeds, "n_train": len(train[0]), "n_val": len(val[0]), "runs": results}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="the subset .npz the site serves")
    parser.add_argument("--seeds", type=int, default=10, help="seeds 0 .. SEEDS-1 (default 10)")
    parser.add_argument("--report", type=Path, required=True, help="where the JSON report goes")
    args = parser.parse_args(argv)
    if args.seeds < 2:
        parser.error(f"--seeds must be at least 2 for a standard deviation; got {args.seeds}")
    if not args.data.is_file():
        parser.error(f"--data: no file {args.data}")
    report = run(args.data, args.seeds)
    partial = args.report.with_name(args.report.name + ".partial")
    partial.write_text(json.dumps(report, indent=1))
    partial.replace(args.report)                 # atomic: a report is whole or absent
    return 0


if __name__ == "__main__":
    sys.exit(main())
