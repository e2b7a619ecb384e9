"""What the Python tests of mlp, of the site and of the build (tests/mlp, tests/site,
tests/build) import besides their fixtures (tests/conftest.py): the repository's root, the
command line run in a fresh interpreter, and a small Trainer."""

import subprocess
import sys
from pathlib import Path

import mlp

REPO = Path(__file__).resolve().parent.parent


def run_cli(*args, env=None, cwd=REPO):
    """Run ``python -m mlp ARGS`` in a fresh interpreter; returns the CompletedProcess."""
    return subprocess.run([sys.executable, "-m", "mlp", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=300)


def make_trainer(small, **kw):
    """A Trainer of a 784-16-10 network on `small` (the fixture): 2 epochs of batches of 64 with
    momentum, unless `kw` says otherwise (any Trainer option, and `dtype` and `optimizer`)."""
    options = dict(batch_size=64, epochs=2, seed=0)
    options.update(kw)
    net = mlp.Network([784, 16, 10], seed=0, dtype=options.pop("dtype", "float32"))
    optimizer = options.pop("optimizer", mlp.Momentum(4, 0.9))
    return mlp.Trainer(net, optimizer, *small, **options)
