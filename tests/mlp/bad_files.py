"""Writers of the damaged and unsuitable files the error tests need (each test writes its own)."""

import io
import json
import struct
import zipfile

import numpy as np

import mlp


def weights_bytes(network, config=None, arrays=None):
    """An .npz file as mlp.save writes it, with ``config`` and arrays replaced where given."""
    buffer = io.BytesIO()
    mlp.save(network, buffer)
    if config is None and arrays is None:
        return buffer.getvalue()
    with np.load(io.BytesIO(buffer.getvalue())) as npz:
        content = {k: npz[k] for k in npz.files}
    if config is not None:
        content["config"] = np.array(json.dumps({**json.loads(str(content["config"])), **config}))
    content.update(arrays or {})
    out = io.BytesIO()
    np.savez(out, **content)
    return out.getvalue()


def huge_w1_bytes(network, rows=100_000, cols=100_000):
    """Weights whose W1 header declares a ``rows x cols`` float64 array, with almost no data."""
    good = weights_bytes(network)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "W1.npy":
                header = io.BytesIO()
                np.lib.format.write_array_header_1_0(
                    header, {"descr": "<f8", "fortran_order": False, "shape": (rows, cols)})
                data = header.getvalue() + b"\0" * 1024
            dst.writestr(item, data)
    return out.getvalue()


def write_weights(path, network, **changes):
    path.write_bytes(weights_bytes(network, **changes))
    return path


def idx_overflow(directory):
    """A directory of MNIST files whose training images declare 2^31 x 2^31 x 4 pixels."""
    directory.mkdir(exist_ok=True)
    header = b"\0\0\x08\x03" + struct.pack(">3I", 2**31, 2**31, 4)
    (directory / "train-images-idx3-ubyte").write_bytes(header)  # 2^64 pixels: int64 products wrap to 0
    for name, dims in (("train-labels-idx1-ubyte", 1), ("t10k-images-idx3-ubyte", 3),
                       ("t10k-labels-idx1-ubyte", 1)):
        (directory / name).write_bytes(bytes([0, 0, 8, dims]) + b"\0" * 4 * dims)
    return directory


def empty_test_set(path, data):
    """A subset file whose test set has no images."""
    np.savez_compressed(path, x_train=data.x_train, y_train=data.y_train,
                        x_test=np.zeros((0, 784), np.uint8), y_test=np.zeros(0, np.uint8))
    return path
