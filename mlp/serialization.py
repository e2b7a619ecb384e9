"""Saving and loading a network's weights and configuration (``.npz``).

The file holds one array per parameter (``W1``, ``b1``, ...) and ``config``,
a JSON string with the sizes, activation, initialisation and dtype. It is
written with ``np.savez`` and read with ``allow_pickle=False``: no code in a
weights file is ever run.
"""

import itertools
import json
import os
import zipfile
import zlib

import numpy as np

from . import __version__
from .data import DataError
from .tools.files import atomic_write, file_name, is_zip, npz_source
from .network import Network, parameter_count
from .checks import check_finite
from .tools.resources import MemoryLimitError, check_memory



def save(network, file):
    """Write ``network``'s parameters and config to ``file``.

    ``file`` is a path (written exactly there) or a binary file object such
    as ``io.BytesIO`` (how the browser exports weights). A path is written
    atomically (:func:`mlp.tools.files.atomic_write`): if writing fails, an existing
    file there is left as it was.

    Raises
    ------
    OSError
        If the file cannot be written (the old file, if any, stays intact).
    """
    config = json.dumps({**network.config, "version": __version__})
    arrays = {**network.params, "config": np.array(config)}
    if isinstance(file, (str, os.PathLike)):
        with atomic_write(file) as f:
            np.savez(f, **arrays)
    else:
        np.savez(file, **arrays)


MAX_CONFIG_BYTES = 1 << 20  # a config is a few hundred bytes of JSON


def _headers(npz):
    """``{key: (shape, dtype)}`` of every array in an open ``.npz``, read from the headers alone.

    Nothing is allocated: a small file that declares a 100000 x 100000 array is
    refused before any reading (see :func:`_read`).
    """
    out = {}
    for key in npz.files:
        with npz.zip.open(f"{key}.npy") as f:
            version = np.lib.format.read_magic(f)
            read = np.lib.format.read_array_header_1_0 if version == (1, 0) else \
                np.lib.format.read_array_header_2_0
            shape, _, dtype = read(f)
        out[key] = (tuple(shape), np.dtype(dtype))
    return out


def _config(name, text):
    """The checked config of a weights file: sizes (ints >= 1), activation, init and dtype (names)."""
    config = json.loads(text)
    if not isinstance(config, dict):
        raise DataError(f"{name}: the config is not a JSON object")
    sizes = config.get("sizes")
    if not (isinstance(sizes, list) and len(sizes) >= 2
            and all(isinstance(s, int) and not isinstance(s, bool) and s >= 1 for s in sizes)):
        raise DataError(f"{name}: the config's sizes must be a list of at least two positive integers; "
                        f"got {sizes!r}")
    config = {"sizes": sizes, "activation": config.get("activation"),
              "init": config.get("init", "normal"), "dtype": config.get("dtype", "float32")}
    for key in ("activation", "init", "dtype"):
        if not isinstance(config[key], str):
            raise DataError(f"{name}: the config's {key} must be a name (a string); got {config[key]!r}")
    return config


def _read(file):
    """``(config, arrays)`` from a weights file, path, bytes or file object.

    Checked before any array is read: the config (sizes, names), the memory the
    declared network needs, and every array's shape and dtype from its header.
    Then the weights must be finite.
    """
    name, source = npz_source(file)
    if not is_zip(source):
        raise DataError(f"{name}: not an mlp weights file (an .npz file is a zip archive, "
                        f"and this one does not start like one)")
    try:
        with np.load(source, allow_pickle=False) as npz:
            if "config" not in npz.files:
                raise DataError(f"{name}: not an mlp weights file (no 'config' entry)")
            headers = _headers(npz)
            shape, dtype = headers.pop("config")
            if shape != () or dtype.kind != "U" or dtype.itemsize > MAX_CONFIG_BYTES:
                raise DataError(f"{name}: not an mlp weights file (its 'config' is {dtype} {shape}, "
                                f"not a string)")
            config = _config(name, str(npz["config"]))
            sizes = config["sizes"]
            check_memory(parameter_count(sizes) * 2 * 8, f"{name}: its {'-'.join(map(str, sizes))} network")
            expected = {}
            for i, (n_in, n_out) in enumerate(itertools.pairwise(sizes), 1):
                expected[f"W{i}"], expected[f"b{i}"] = (n_in, n_out), (n_out,)
            if set(headers) != set(expected):
                raise DataError(f"{name}: config says sizes {sizes}, which needs arrays {sorted(expected)}; "
                                f"file has {sorted(headers)}")
            for k, shape in expected.items():
                found, dtype = headers[k]
                if found != shape or not np.issubdtype(dtype, np.floating):
                    raise DataError(f"{name}: {k} should be floats of shape {shape}; found {dtype} {found}")
            arrays = {k: npz[k] for k in expected}
    except DataError:
        raise
    except MemoryLimitError as e:
        raise DataError(str(e)) from None
    except (OSError, ValueError, EOFError, KeyError, TypeError, zipfile.BadZipFile, zlib.error) as e:
        if isinstance(e, OSError) and e.errno is not None:  # permission denied and the like: as they are
            raise
        raise DataError(f"{name}: cannot read it as an mlp weights file ({type(e).__name__}: {e})") from None
    try:
        check_finite(arrays, name)
    except ValueError as e:
        raise DataError(str(e)) from None
    return config, arrays


def load(file):
    """Rebuild the network saved in ``file`` (path, bytes or binary file object)."""
    config, arrays = _read(file)
    try:
        network = Network(**config)
    except ValueError as e:
        raise DataError(f"{file_name(file)}: {e}") from None
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
            raise ValueError(f"{file_name(file)} holds a network with {key} {config[key]!r}; "
                             f"this network has {key} {getattr(network, key)!r}")
    for k, param in network.params.items():
        param[...] = arrays[k]  # cast to the network's dtype
    return network
