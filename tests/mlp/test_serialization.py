import io

import numpy as np
import pytest

import mlp


@pytest.fixture
def trained(small):
    net = mlp.Network([784, 16, 10], activation="tanh", init="xavier", seed=2)
    mlp.train(net, *small, optimizer="adam", learning_rate=0.005, epochs=1)
    return net


def test_round_trip_through_a_path(tmp_path, trained, small):
    path = tmp_path / "weights.bin"
    mlp.save(trained, path)
    assert path.exists() and not (tmp_path / "weights.bin.npz").exists()
    net = mlp.load(path)
    assert net.config == trained.config == {"sizes": [784, 16, 10], "activation": "tanh", "init": "xavier",
                                            "dtype": "float32"}
    for k, v in trained.params.items():
        assert net.params[k].dtype == v.dtype
        np.testing.assert_array_equal(net.params[k], v)
    np.testing.assert_array_equal(net.predict_proba(small.x_test), trained.predict_proba(small.x_test))


def test_round_trip_through_memory(trained, small):
    buffer = io.BytesIO()  # how the browser exports weights
    mlp.save(trained, buffer)
    data = buffer.getvalue()
    with np.load(io.BytesIO(data), allow_pickle=False) as npz:
        assert sorted(npz.files) == ["W1", "W2", "b1", "b2", "config"]
    for source in (data, io.BytesIO(data), memoryview(data)):
        np.testing.assert_array_equal(mlp.load(source).predict(small.x_test), trained.predict(small.x_test))


def test_load_weights_into_a_matching_network(tmp_path, trained):
    path = tmp_path / "w.npz"
    mlp.save(trained, path)
    net = mlp.Network([784, 16, 10], activation="tanh", seed=99, dtype="float64")
    mlp.serialization.load_weights(net, path)
    assert net.params["W1"].dtype == np.float64
    np.testing.assert_allclose(net.params["W1"], trained.params["W1"])


def test_mismatched_network_is_refused(tmp_path, trained):
    path = tmp_path / "w.npz"
    mlp.save(trained, path)
    with pytest.raises(ValueError, match=r"w.npz holds a network with sizes \[784, 16, 10\]; "
                                         r"this network has sizes \[784, 32, 10\]"):
        mlp.serialization.load_weights(mlp.Network([784, 32, 10], activation="tanh"), path)
    with pytest.raises(ValueError, match="activation 'tanh'; this network has activation 'relu'"):
        mlp.serialization.load_weights(mlp.Network([784, 16, 10], activation="relu"), path)


def test_bad_weight_files(tmp_path, trained, subset_file):
    with pytest.raises(FileNotFoundError, match="missing.npz: no such file"):
        mlp.load(tmp_path / "missing.npz")
    with pytest.raises(mlp.DataError, match="subset.npz: not an mlp weights file"):
        mlp.load(subset_file)
    junk = tmp_path / "junk.npz"
    junk.write_bytes(b"\x00" * 100)
    with pytest.raises(mlp.DataError, match="junk.npz: not an mlp weights file .*zip archive"):
        mlp.load(junk)
    with pytest.raises(mlp.DataError, match="<bytes>: not an mlp weights file .*zip archive"):
        mlp.load(b"garbage")
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 100)  # looks like a zip, is not one
    with pytest.raises(mlp.DataError, match="broken.npz: cannot read it as an mlp weights file"):
        mlp.load(broken)
    params = {k: v for k, v in trained.params.items()}
    config = np.array('{"sizes": [784, 16, 10], "activation": "tanh"}')
    odd = tmp_path / "odd.npz"
    np.savez(odd, config=config, **{**params, "W2": np.zeros((16, 9), np.float32)})
    with pytest.raises(mlp.DataError,
                       match=r"odd.npz: W2 should be floats of shape \(16, 10\); found float32 \(16, 9\)"):
        mlp.load(odd)
    np.savez(odd, config=config, W1=params["W1"], b1=params["b1"])
    with pytest.raises(mlp.DataError, match=r"odd.npz: config says sizes \[784, 16, 10\]"):
        mlp.load(odd)
    np.savez(odd, config=np.array('{"sizes": [784, 16, 10], "activation": "gelu"}'), **params)
    with pytest.raises(mlp.DataError, match="odd.npz: unknown activation 'gelu'"):
        mlp.load(odd)
    np.savez(odd, config=np.array("not json"), **params)
    with pytest.raises(mlp.DataError, match="odd.npz: cannot read it as an mlp weights file"):
        mlp.load(odd)
