import numpy as np
import pytest

import mlp


def test_shapes_and_probabilities():
    net = mlp.Network([784, 128, 64, 10], activation="relu", init="he", seed=0)
    assert [layer.params["W"].shape for layer in net.layers] == [(784, 128), (128, 64), (64, 10)]
    assert list(net.params) == ["W1", "b1", "W2", "b2", "W3", "b3"]
    x = np.random.default_rng(0).random((5, 784), dtype=np.float32)
    p = net.forward(x)
    assert p.shape == (5, 10) and p.dtype == np.float32
    np.testing.assert_allclose(p.sum(axis=1), 1, rtol=1e-6)
    assert net.predict(x).shape == (5,)
    np.testing.assert_array_equal(net.predict(x), p.argmax(axis=1))


def test_params_are_the_layers_arrays():
    net = mlp.Network([4, 3, 2])
    net.params["W1"][0, 0] = 7
    assert net.layers[0].params["W"][0, 0] == 7


@pytest.mark.parametrize("activation", sorted(mlp.ACTIVATIONS))
def test_float32_end_to_end(activation):
    net = mlp.Network([20, 8, 6, 3], activation=activation, seed=1, dtype="float32")
    rng = np.random.default_rng(1)
    x = rng.random((10, 20)).astype(np.float32)
    y = mlp.one_hot(rng.integers(0, 3, 10), 3, dtype="float32")
    p = net.forward(x)
    grads = net.backward(p, y)
    assert p.dtype == np.float32
    assert all(g.dtype == np.float32 for g in grads.values())
    assert all(layer.a.dtype == np.float32 for layer in net.layers)


def test_float64_inputs_are_cast_to_the_network_dtype():
    net = mlp.Network([3, 2], dtype="float32")
    assert net.forward(np.ones((1, 3))).dtype == np.float32


def test_same_seed_same_weights_in_both_dtypes():
    a = mlp.Network([30, 20, 10], seed=7, dtype="float32")
    b = mlp.Network([30, 20, 10], seed=7, dtype="float64")
    c = mlp.Network([30, 20, 10], seed=8, dtype="float64")
    for k in a.params:
        np.testing.assert_array_equal(a.params[k], b.params[k].astype(np.float32))
    assert not np.array_equal(b.params["W1"], c.params["W1"])
    assert np.all(b.params["b1"] == 0)


@pytest.mark.parametrize("init, variance", [
    ("normal", lambda n_in, n_out: 1 / n_in),
    ("he", lambda n_in, n_out: 2 / n_in),
    ("xavier", lambda n_in, n_out: 2 / (n_in + n_out)),
])
def test_initialisation_variance(init, variance):
    net = mlp.Network([784, 300, 10], init=init, seed=0, dtype="float64")
    W = net.params["W1"]
    assert abs(W.mean()) < 0.01 * np.sqrt(variance(784, 300))
    assert W.var() == pytest.approx(variance(784, 300), rel=0.02)  # 235,200 draws


def test_evaluate_in_chunks_equals_one_pass():
    net = mlp.Network([6, 5, 3], seed=0, dtype="float64")
    rng = np.random.default_rng(2)
    x = rng.random((103, 6))
    labels = rng.integers(0, 3, 103)
    loss, acc = net.evaluate(x, labels, chunk=10)
    p = net.forward(x)
    assert loss == pytest.approx(mlp.cross_entropy(p, mlp.one_hot(labels, 3, dtype="float64")), rel=1e-12)
    assert acc == mlp.accuracy(labels, p)
    assert net.evaluate(x, mlp.one_hot(labels, 3, dtype="float64"), chunk=7) == pytest.approx((loss, acc))
    np.testing.assert_allclose(net.predict_proba(x, chunk=9), p, rtol=1e-12)


def test_bad_networks():
    with pytest.raises(ValueError,
                       match="unknown activation 'swish'; choose one of: sigmoid, relu, tanh, leaky_relu"):
        mlp.Network([4, 2], activation="swish")
    with pytest.raises(ValueError, match="unknown initialisation 'zeros'; choose one of: normal, he, xavier"):
        mlp.Network([4, 2], init="zeros")
    for sizes in ([784], [], [784, 0, 10], 784, "784,64,10"):
        with pytest.raises(ValueError, match="at least two positive layer widths"):
            mlp.Network(sizes)
    with pytest.raises(ValueError, match="unsupported dtype 'float16'"):
        mlp.Network([4, 2], dtype="float16")
    with pytest.raises(ValueError, match="unknown activation"):
        mlp.activations.get_activation("Sigmoid")


def test_bad_inputs():
    net = mlp.Network([4, 2])
    with pytest.raises(TypeError, match="floating point.*uint8"):
        net.forward(np.zeros((1, 4), np.uint8))
    with pytest.raises(ValueError, match=r"shape \(n, 4\); got \(1, 5\)"):
        net.forward(np.zeros((1, 5)))
    with pytest.raises(ValueError, match="empty"):
        net.evaluate(np.zeros((0, 4)), np.zeros(0, int))
