"""mlp.prediction_path: the numbers match the network's forward pass, computed here independently."""

import json

import numpy as np
import pytest

import mlp


def make_net(sizes, activation="relu", dtype="float64", seed=0):
    """A network with non-zero biases, so that every bias term shows in the sums."""
    net = mlp.Network(sizes, activation=activation, init="he", seed=seed, dtype=dtype)
    rng = np.random.default_rng(seed + 100)
    for layer in net.layers:
        layer.params["b"][:] = rng.normal(0, 0.3, layer.params["b"].shape)
    return net


def pixels(n=784, seed=0):
    return np.random.default_rng(seed).integers(0, 256, n).astype(np.uint8)


def run_layers(layers, activation, a):
    """Plain NumPy forward from ``a`` through ``layers``: every layer's output, logits last."""
    f = mlp.ACTIVATIONS[activation]
    outputs = []
    for i, layer in enumerate(layers):
        z = a @ layer.params["W"] + layer.params["b"]
        a = z if i == len(layers) - 1 else f(z)
        outputs.append(a)
    return outputs


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("activation", sorted(mlp.ACTIVATIONS))
def test_numbers_match_the_forward_pass(activation, dtype):
    net = make_net([784, 24, 12, 10], activation, dtype)
    raw = pixels()
    x = mlp.normalize(raw[None, :], dtype)
    path = mlp.prediction_path(net, raw)
    p = net.forward(x)[0]
    outputs = run_layers(net.layers, activation, x[0].astype(np.float64))
    tol = 1e-12 if dtype == "float64" else 2e-5
    np.testing.assert_array_equal(path.probabilities, p)
    np.testing.assert_allclose(path.logits, outputs[-1], rtol=tol, atol=tol)
    np.testing.assert_allclose(path.probabilities, mlp.softmax(outputs[-1][None, :])[0], rtol=tol, atol=tol)
    assert len(path.layers) == 2
    for layer_path, expected in zip(path.layers, outputs[:-1], strict=True):
        np.testing.assert_allclose(layer_path.activations, expected, rtol=tol, atol=tol)
        assert layer_path.activations.dtype == np.dtype(dtype)
    assert path.predicted == int(p.argmax())
    np.testing.assert_array_equal(path.image, x[0].reshape(28, 28))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_last_hidden_layer_contributions_plus_bias_make_the_winning_logit(dtype):
    net = make_net([784, 32, 10], "sigmoid", dtype)
    path = mlp.prediction_path(net, pixels(seed=3))
    c, last = path.predicted, path.layers[-1]
    W, b = net.layers[-1].params["W"], net.layers[-1].params["b"]
    np.testing.assert_allclose(last.contributions, last.activations * W[:, c], rtol=1e-6)
    tol = 1e-12 if dtype == "float64" else 1e-5
    assert last.contributions.sum(dtype=np.float64) + b[c] == pytest.approx(path.logits[c], abs=tol)
    assert last.rest == pytest.approx(float(b[c]), abs=tol)


def test_units_are_ordered_by_decreasing_contribution():
    path = mlp.prediction_path(make_net([784, 40, 20, 10], "tanh"), pixels(seed=5))
    for layer in path.layers:
        assert sorted(layer.order.tolist()) == list(range(len(layer.activations)))
        ordered = layer.contributions[layer.order]
        assert np.all(np.diff(ordered) <= 0)
        plain = layer.to_dict()
        assert plain["units"] == layer.order.tolist()
        assert plain["contributions"] == ordered.tolist()
        assert plain["activations"] == layer.activations[layer.order].tolist()


@pytest.mark.parametrize("activation", sorted(mlp.ACTIVATIONS))
def test_contributions_are_activation_times_the_gradient_of_the_winning_logit(activation):
    net = make_net([36, 9, 7, 5, 4], activation, "float64", seed=2)
    path = mlp.prediction_path(net, pixels(36, seed=2))
    c, eps = path.predicted, 1e-6
    for k, layer in enumerate(path.layers):
        a = layer.activations
        gradient = np.empty_like(a)
        for j in range(len(a)):  # central differences through the later layers
            up, down = a.copy(), a.copy()
            up[j] += eps
            down[j] -= eps
            z_up = run_layers(net.layers[k + 1:], activation, up)[-1][c]
            z_down = run_layers(net.layers[k + 1:], activation, down)[-1][c]
            gradient[j] = (z_up - z_down) / (2 * eps)
        np.testing.assert_allclose(layer.contributions, a * gradient, rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("activation", ["relu", "leaky_relu"])
def test_piecewise_linear_networks_split_the_logit_exactly(activation):
    """For relu: contributions of any hidden layer + the later biases through the active units = logit."""
    net = make_net([64, 16, 12, 8, 10], activation, "float64", seed=4)
    path = mlp.prediction_path(net, pixels(64, seed=4))
    c, derivative = path.predicted, mlp.activations.DERIVATIVES[activation]
    hidden = [layer.activations for layer in path.layers]
    for k, layer in enumerate(path.layers):
        bias_path = np.zeros_like(hidden[k])
        for i, later in enumerate(net.layers[k + 1:], k + 1):
            bias_path = bias_path @ later.params["W"] + later.params["b"]
            if i < len(net.layers) - 1:
                bias_path = bias_path * derivative(hidden[i])  # the same slopes as this input's
        assert layer.rest == pytest.approx(bias_path[c], abs=1e-10)
        assert layer.contributions.sum() + bias_path[c] == pytest.approx(path.logits[c], abs=1e-10)


def test_weight_images_are_the_strongest_first_layer_units():
    net = make_net([784, 20, 10], "relu", "float32")
    path = mlp.prediction_path(net, pixels(seed=7), top=5)
    first = path.layers[0]
    np.testing.assert_array_equal(path.weight_units, first.order[:5])
    W1 = net.layers[0].params["W"]
    for unit, image in zip(path.weight_units, path.weight_images, strict=True):
        np.testing.assert_array_equal(image, W1[:, unit].reshape(28, 28))
    assert mlp.prediction_path(net, pixels(), top=0).weight_images.shape == (0, 28, 28)
    assert mlp.prediction_path(net, pixels(), top=500).weight_images.shape == (20, 28, 28)


def test_a_training_step_gradients_are_left_alone():
    net = make_net([784, 16, 8, 10], "tanh", "float64")
    x = mlp.normalize(np.stack([pixels(seed=1), pixels(seed=2)]), "float64")
    grads = net.backward(net.forward(x), mlp.one_hot([3, 5], 10, dtype="float64"))
    before = {k: v.copy() for k, v in grads.items()}
    mlp.prediction_path(net, pixels(seed=3))
    for i, layer in enumerate(net.layers, 1):
        for k, v in layer.grads.items():
            np.testing.assert_array_equal(v, before[f"{k}{i}"])


def test_the_input_forms_agree():
    net = make_net([784, 16, 10], "sigmoid", "float32")
    raw = pixels(seed=9)
    expected = mlp.prediction_path(net, raw).logits
    for x in (raw.reshape(28, 28), raw.reshape(1, 784), raw.astype(np.int64), raw.tobytes(),
              mlp.normalize(raw, "float32"), mlp.normalize(raw, "float64").reshape(28, 28)):
        np.testing.assert_allclose(mlp.prediction_path(net, x).logits, expected, rtol=1e-6)


def test_to_dict_is_plain_json():
    net = make_net([784, 12, 6, 10], "relu", "float32")
    path = mlp.prediction_path(net, pixels(seed=11), top=3)
    plain = json.loads(json.dumps(path.to_dict()))
    assert plain["sizes"] == [784, 12, 6, 10] and plain["activation"] == "relu"
    assert plain["input"]["height"] == plain["input"]["width"] == 28
    assert plain["input"]["pixels"] == path.image.ravel().tolist()
    assert [layer["layer"] for layer in plain["layers"]] == [1, 2]
    assert [len(layer["units"]) for layer in plain["layers"]] == [12, 6]
    images = plain["weights"]["images"]
    assert [image["unit"] for image in images] == path.weight_units.tolist()
    assert images[0]["contribution"] == max(plain["layers"][0]["contributions"])
    assert images[0]["scale"] == max(abs(v) for v in images[0]["values"])
    assert plain["logits"] == path.logits.tolist()
    assert plain["probabilities"] == path.probabilities.tolist()
    assert plain["predicted"] == path.predicted


def test_a_network_without_hidden_layers():
    net = make_net([16, 3], "relu", "float64")
    path = mlp.prediction_path(net, pixels(16))
    assert path.layers == [] and path.weight_images.shape == (0, 4, 4)
    np.testing.assert_allclose(path.probabilities, net.forward(pixels(16)[None, :] / 255)[0])
    assert path.to_dict()["weights"]["images"] == []


def test_a_non_square_input_is_one_row():
    path = mlp.prediction_path(make_net([6, 4, 3]), np.linspace(0, 1, 6))
    assert path.image.shape == (1, 6) and path.weight_images.shape[1:] == (1, 6)


@pytest.mark.parametrize("x, message", [
    (np.zeros(783), r"784 pixels.*got shape \(783,\)"),
    (np.zeros((2, 784)), r"got shape \(2, 784\)"),
    (np.zeros((28, 29)), r"got shape \(28, 29\)"),
    (np.full(784, 255.0), r"float pixels must be in \[0, 1\]; got values 255\.\.255; pass raw integer"),
    (np.full(784, -0.5), r"got values -0\.5\.\.-0\.5"),
    (np.full(784, 256), r"integer pixels must be 0\.\.255; got values 256\.\.256"),
    (np.full(784, -1), r"got values -1\.\.-1"),
    (np.r_[np.zeros(10), np.nan, np.zeros(773)], r"holds nan at pixel 10"),
    (np.full(784, "a"), r"dtype <U1"),
    (np.ones(784, dtype=bool), r"dtype bool"),
    (b"\x00" * 100, r"got shape \(100,\)"),
    ([[0, 1], [2]], r"array of 784 pixels"),
])
def test_bad_inputs_are_named(x, message):
    with pytest.raises(ValueError, match=message):
        mlp.prediction_path(make_net([784, 8, 10]), x)


@pytest.mark.parametrize("top, message", [(-1, "got -1"), (1.5, "got 1.5"), (True, "got True")])
def test_bad_top_is_named(top, message):
    with pytest.raises(ValueError, match=f"top must be .*{message}"):
        mlp.prediction_path(make_net([784, 8, 10]), pixels(), top=top)


def test_not_a_network():
    with pytest.raises(TypeError, match="must be an mlp.Network; got dict"):
        mlp.prediction_path({"W1": 1}, pixels())


def test_a_diverged_network_is_named():
    net = make_net([784, 8, 10])
    net.layers[1].params["W"][0, 0] = np.nan
    with pytest.raises(ValueError, match="W2 holds 1 NaN or infinite value"):
        mlp.prediction_path(net, pixels())
