"""The "network" figure's payload (mlpsite.network): shapes, thinning, activations as NumPy's,
and a clear message for each bad argument."""

import numpy as np
import pytest

import mlp
from mlpsite.network import MAX_UNITS, PIXEL_EDGES, network_figure


def test_sizes_alone_give_the_structure_and_no_numbers():
    f = network_figure([784, 64, 10])
    assert f["image"] == {"height": 28, "width": 28} and f["input"] is None and f["predicted"] is None
    assert [len(layer["units"]) for layer in f["layers"]] == [0, MAX_UNITS, 10]
    assert [link["edges"] for link in f["links"]] == [None, None]
    assert f["parameters"] == 50_890 and "50,890 weights and biases" in f["alt"]


def test_a_network_and_an_input_give_numpy_activations_and_the_strongest_weights():
    net = mlp.Network([784, 32, 16, 10], activation="relu", seed=1, dtype="float64")
    x = np.random.default_rng(0).integers(0, 256, 784).astype(np.uint8)
    f = network_figure(net, x)
    a1 = np.maximum(x / 255 @ net.params["W1"] + net.params["b1"], 0)
    a2 = np.maximum(a1 @ net.params["W2"] + net.params["b2"], 0)
    p = net.forward(x[None, :] / 255)[0]
    assert np.allclose(f["layers"][-1]["values"], p) and f["predicted"] == int(np.argmax(p))
    hidden = f["layers"][1]
    assert np.allclose(hidden["values"], a1[hidden["units"]])
    assert sorted(a1, reverse=True)[MAX_UNITS - 1] <= min(hidden["values"]), "the most active units"
    assert np.allclose(f["layers"][2]["values"], a2[f["layers"][2]["units"]])
    first = f["links"][0]
    assert len(first["edges"]) == PIXEL_EDGES * MAX_UNITS
    for i, j, w in first["edges"]:
        assert w == net.params["W1"][i, j]
        assert abs(x[i] / 255 * w) >= np.sort(np.abs(x / 255 * net.params["W1"][:, j]))[-PIXEL_EDGES] - 1e-12
    second = int(np.argsort(p)[-2])
    assert f["alt"].endswith(f"It predicts {f['predicted']} with probability {p.max():.2f}. "
                             f"Next most probable: {second} ({p[second]:.2f}).")


def test_a_parameter_dict_is_drawn_whole():
    rng = np.random.default_rng(2)
    params = {"W1": rng.normal(size=(3, 4)), "b1": np.zeros(4), "W2": rng.normal(size=(4, 2)), "b2": np.zeros(2)}
    f = network_figure(params, [0.1, 0.5, 0.9], activation="tanh")
    assert f["activation"] == "tanh" and f["image"] is None
    assert [len(link["edges"]) for link in f["links"]] == [12, 8]
    z = np.tanh(np.array([0.1, 0.5, 0.9]) @ params["W1"]) @ params["W2"]
    assert np.allclose(f["layers"][-1]["values"], np.exp(z) / np.exp(z).sum())


@pytest.mark.parametrize(("args", "kwargs", "error", "words"), [
    (("784-64-10",), {}, TypeError, "list of layer widths"),
    (([784],), {}, ValueError, "at least two"),
    (([784, 0, 10],), {}, ValueError, "whole numbers >= 1"),
    (([784, 64, 10], np.zeros(784)), {}, ValueError, "needs weights"),
    (({"W1": np.zeros((3, 4))},), {}, ValueError, "no b1"),
    (({"W1": np.zeros((3, 4)), "b1": np.zeros(3)},), {}, ValueError, "do not make a layer"),
    (({"a": 1},), {}, ValueError, "W1, b1"),
    ((mlp.Network([4, 3, 2]), [0.1, 0.2]), {}, ValueError, "one sample of 4"),
    ((mlp.Network([4, 3, 2]),), {"activation": "relu"}, ValueError, "the network's activation is 'sigmoid'"),
    (({"W1": np.zeros((3, 4)), "b1": np.zeros(4)},), {"activation": "swish"}, ValueError, "swish"),
    (([3, 4],), {"title": 3}, TypeError, "title"),
])
def test_bad_arguments_are_named(args, kwargs, error, words):
    with pytest.raises(error, match=words):
        network_figure(*args, **kwargs)
