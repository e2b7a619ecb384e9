"""Bad data and weights files, and networks too large for memory, refused by the library itself."""

import pytest
from bad_files import empty_test_set, huge_w1_bytes, idx_overflow, weights_bytes
from test_data import fake_mnist

import mlp


def test_idx_dimensions_that_overflow_name_the_file(tmp_path):
    path = idx_overflow(tmp_path / "mnist") / "train-images-idx3-ubyte"
    with pytest.raises(mlp.DataError, match=rf"^{path}: truncated: shape \(2147483648, 2147483648, 4\) needs "
                                            r"18446744073709551632 bytes, file has 16$"):
        mlp.data.read_idx(path)


def test_a_text_file_is_not_an_npz_file(tmp_path):
    path = tmp_path / "X.npz"
    path.write_text("not numbers\n")
    with pytest.raises(mlp.DataError, match="X.npz: cannot read it as a .npz file: it is not an .npz file"):
        mlp.load_subset(path)


def test_an_empty_test_set(tmp_path, subset_file):
    path = empty_test_set(tmp_path / "e.npz", mlp.load_subset(subset_file))
    with pytest.raises(mlp.DataError, match="e.npz: the test set is empty; it needs at least one image"):
        mlp.load_dataset(path)
    fake_mnist(tmp_path, n_test=0)  # the same in IDX files
    with pytest.raises(mlp.DataError, match=f"{tmp_path}: the test set is empty; it needs at least one"):
        mlp.load_dataset(tmp_path)


def test_weights_files_checked_before_use(monkeypatch):
    monkeypatch.setenv("MLP_MEMORY_LIMIT", str(2**34))
    net = mlp.Network([784, 8, 10])
    for data, message in [
        (weights_bytes(net, config={"activation": ["sigmoid"]}),
         r"the config's activation must be a name \(a string\); got \['sigmoid'\]"),
        (weights_bytes(net, config={"sizes": [784, "8", 10]}),
         "sizes must be a list of at least two positive"),
        (weights_bytes(net, config={"dtype": 32}), "the config's dtype must be a name"),
        (huge_w1_bytes(net), r"W1 should be floats of shape \(784, 8\); found float64 \(100000, 100000\)"),
        (weights_bytes(net, config={"sizes": [784, 100000, 100000, 10]}),
         "its 784-100000-100000-10 network needs about 150.2 GB of memory; at most 16.0 GB is available"),
    ]:
        with pytest.raises(mlp.DataError, match=message):
            mlp.load(data)


def test_nan_weights_same_rule_for_files_and_networks():
    import numpy as np
    net = mlp.Network([784, 8, 10])
    net.params["W2"][0, 0] = np.inf
    with pytest.raises(mlp.DataError, match="<bytes>: W2 holds 1 NaN or infinite value; a usable network"):
        mlp.load(weights_bytes(net))
    with pytest.raises(ValueError, match="the network: W2 holds 1 NaN or infinite value; a usable network"):
        mlp.checks.check_weights(net)


def test_networks_too_large_for_memory(monkeypatch):
    monkeypatch.setenv("MLP_MEMORY_LIMIT", str(2**30))
    with pytest.raises(mlp.MemoryLimitError, match=r"a 784-99999999999-10 network \(float32\) needs about "
                                                   r"867.7 TB of memory; at most 1.0 GB is available"):
        mlp.Network([784, 99999999999, 10])
    assert mlp.tools.resources.training_memory([784, 64, 10]) < 50 * 2**20  # mostly one evaluation pass of 4096 images
    mlp.tools.resources.check_memory(mlp.tools.resources.training_memory([784, 64, 10]), "training")
    monkeypatch.setenv("MLP_MEMORY_LIMIT", "lots")
    with pytest.raises(ValueError, match="MLP_MEMORY_LIMIT must be a number of bytes; got 'lots'"):
        mlp.Network([784, 10])


def test_output_paths(tmp_path):
    assert mlp.tools.files.check_output_path(tmp_path / "new.npz") == tmp_path / "new.npz"
    for path, message in [("", "the path is empty"),
                          (tmp_path / "no" / "w.npz", "directory .*no does not exist"),
                          (tmp_path, "is a directory"), ("/dev/null", "not a regular file"),
                          ("/proc/w.npz", "cannot write in directory /proc")]:
        with pytest.raises(ValueError, match=message):
            mlp.tools.files.check_output_path(path)
