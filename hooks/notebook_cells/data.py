# Data: the chapter's cells read data/mnist-subset.npz (beside this notebook). It comes
# from the site (SITE, set above) or, without a connection, from the four original MNIST
# IDX files in ./mnist or $MNIST_DIR (train-images-idx3-ubyte[.gz] and the other three).
import os
import urllib.request
from pathlib import Path

import mlp

DATA = Path("data")


def fetch(name):
    """data/<name>: kept if present, else downloaded from the site; None if unreachable."""
    path = DATA / name
    if path.is_file():
        return path
    DATA.mkdir(exist_ok=True)
    try:
        with urllib.request.urlopen(f"{SITE}assets/data/{name}", timeout=60) as response:
            payload = response.read()
    except OSError as error:
        print(f"{SITE}assets/data/{name} could not be read: {error}")
        return None
    part = path.with_name(path.name + ".part")   # written whole, then renamed
    part.write_bytes(payload)
    os.replace(part, path)
    return path


def subset_from_idx(name="mnist-subset.npz"):
    """The site's subset (10,000 + 2,000 class-balanced pictures, seed 0) cut from IDX files."""
    folder = Path(os.environ.get("MNIST_DIR", "mnist"))
    try:
        mnist = mlp.data.load_mnist(folder)
    except FileNotFoundError as error:
        raise FileNotFoundError(
            f"No MNIST data: the site did not answer, and no IDX files were found "
            f"({error}). Open {SITE} once while online, or put the four MNIST IDX "
            f"files in {folder.resolve()} (or set MNIST_DIR), then run this cell "
            "again.") from None
    DATA.mkdir(exist_ok=True)
    part = DATA / (name + ".part")
    mlp.data.save_subset(part, *mlp.data.make_subset(mnist, 10_000, 2_000, seed=0))
    os.replace(part, DATA / name)
    return DATA / name


print("data:", fetch("mnist-subset.npz") or subset_from_idx())
