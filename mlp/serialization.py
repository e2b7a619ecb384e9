"""Saving and loading a network's weights and configuration (``.npz``).

The file holds one array per parameter (``W1``, ``b1``, ...) and ``config``,
a JSON string with the sizes, activation, initialisation and dtype. It is
written with ``np.savez`` and read with ``allow_pickle=False``: no code in a
weights file is ever run.
"""

import io
import json
import os
import zipfile
import zlib
from pathlib import Path

import numpy as np

from . import __version__
from .data import DataError
from .network import Network


def _name(file):
    return str(file) if isinstance(file, (str, os.PathLike)) else f"<{type(file).__name__}>"


def save(network, file):
    """Write ``network``'s parameters and config to ``file``.

    ``file`` is a path (written exactly there) or a binary file object such
    as ``io.BytesIO`` (how the browser exports weights).
    """
    config = json.dumps({**network.config, "version": __version__})
    arrays = {**network.params, "config": np.array(config)}
    if isinstance(file, (str, os.PathLike)):
        with open(file, "wb") as f:
            np.savez(f, **arrays)
    else:
        np.savez(file, **arrays)


def _is_zip(source):
    """Whether a path or seekable binary file starts with the zip signature, as ``.npz`` does."""
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as f:
            return f.read(4) == b"PK\x03\x04"
    start = source.tell()
    head = source.read(4)
    source.seek(start)
    return head == b"PK\x03\x04"


def _read(file):
    """``(config, arrays)`` from a weights file, path, bytes or file object."""
    name = _name(file)
    source = io.BytesIO(file) if isinstance(file, (bytes, bytearray, memoryview)) else file
    if isinstance(source, (str, os.PathLike)) and not Path(source).is_file():
        raise FileNotFoundError(f"{name}: no such file")
    if not _is_zip(source):
        raise DataError(f"{name}: not an mlp weights file (an .npz file is a zip archive, "
                        f"and this one does not start like one)")
    try:
        with np.load(source, allow_pickle=False) as npz:
            if "config" not in npz.files:
                raise DataError(f"{name}: not an mlp weights file (no 'config' entry)")
            arrays = {k: npz[k] for k in npz.files}
        config = json.loads(str(arrays.pop("config")))
        sizes = [int(s) for s in config["sizes"]]
        config = {"sizes": sizes, "activation": config["activation"],
                  "init": config.get("init", "normal"), "dtype": config.get("dtype", "float32")}
    except DataError:
        raise
    except (OSError, ValueError, EOFError, KeyError, TypeError, zipfile.BadZipFile, zlib.error) as e:
        raise DataError(f"{name}: cannot read it as an mlp weights file ({type(e).__name__}: {e})") from None
    expected = {}
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]), 1):
        expected[f"W{i}"], expected[f"b{i}"] = (n_in, n_out), (n_out,)
    if set(arrays) != set(expected):
        raise DataError(f"{name}: config says sizes {sizes}, which needs arrays {sorted(expected)}; "
                        f"file has {sorted(arrays)}")
    for k, shape in expected.items():
        a = arrays[k]
        if a.shape != shape or not np.issubdtype(a.dtype, np.floating):
            raise DataError(f"{name}: {k} should be floats of shape {shape}; found {a.dtype} {a.shape}")
    return config, arrays


def load(file):
    """Rebuild the network saved in ``file`` (path, bytes or binary file object)."""
    config, arrays = _read(file)
    try:
        network = Network(**config)
    except ValueError as e:
        raise DataError(f"{_name(file)}: {e}") from None
    for k, param in network.params.items():
        param[...] = arrays[k]
    return network


def load_weights(network, file):
    """Copy the weights saved in ``file`` into an existing ``network``, in place.

    Raises
    ------
    ValueError
        If the file's layer sizes or activation differ from the network's.
    """
    config, arrays = _read(file)
    for key in ("sizes", "activation"):
        if config[key] != getattr(network, key):
            raise ValueError(f"{_name(file)} holds a network with {key} {config[key]!r}; "
                             f"this network has {key} {getattr(network, key)!r}")
    for k, param in network.params.items():
        param[...] = arrays[k]  # cast to the network's dtype
    return network
