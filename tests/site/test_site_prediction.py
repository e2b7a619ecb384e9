"""mlpsite.prediction: the "prediction" figure's payload is plain data computed by mlp."""

import json

import numpy as np
import pytest
from mlpsite.prediction import TOP, prediction_figure, summary

import mlp

FIELDS = {"kind", "key", "title", "sizes", "activation", "predicted", "classes", "logits",
          "probabilities", "input", "layers", "weights", "alt"}


@pytest.fixture(scope="module")
def net():
    return mlp.Network([784, 20, 12, 10], activation="relu", init="he", seed=3, dtype="float32")


@pytest.fixture(scope="module")
def raw():
    return np.random.default_rng(3).integers(0, 256, 784).astype(np.uint8)


def test_payload_fields_match_the_forward_pass(net, raw):
    figure = prediction_figure(net, raw, "A drawn digit", key="inside")
    assert json.loads(json.dumps(figure)) == figure  # plain values only
    assert set(figure) == FIELDS
    assert figure["kind"] == "prediction" and figure["key"] == "inside" and figure["title"] == "A drawn digit"
    x = mlp.normalize(raw[None, :])
    p = net.forward(x)[0]
    assert figure["probabilities"] == p.tolist()
    assert figure["logits"] == net.layers[-1].a[0].tolist()
    assert figure["predicted"] == int(p.argmax())
    assert figure["classes"] == [str(i) for i in range(10)]
    assert figure["input"] == {"height": 28, "width": 28, "pixels": x[0].tolist()}
    assert figure["sizes"] == [784, 20, 12, 10] and figure["activation"] == "relu"


def test_strips_hold_every_unit_strongest_first(net, raw):
    figure = prediction_figure(net, raw)
    net.forward(mlp.normalize(raw[None, :]))
    assert [strip["layer"] for strip in figure["layers"]] == [1, 2]
    for strip, layer in zip(figure["layers"], net.layers[:-1], strict=True):
        a = layer.a[0]
        assert sorted(strip["units"]) == list(range(len(a)))
        assert strip["activations"] == a[strip["units"]].tolist()
        assert strip["contributions"] == sorted(strip["contributions"], reverse=True)
    last = figure["layers"][-1]
    c, W, b = figure["predicted"], net.layers[-1].params["W"], net.layers[-1].params["b"]
    np.testing.assert_allclose(last["contributions"], np.array(last["activations"]) * W[last["units"], c],
                               rtol=1e-6)
    assert sum(last["contributions"]) + b[c] == pytest.approx(figure["logits"][c], abs=1e-5)


def test_weight_images_are_the_first_strip_strongest_units(net, raw):
    weights = prediction_figure(net, raw)["weights"]
    first = prediction_figure(net, raw)["layers"][0]
    assert weights["height"] == weights["width"] == 28
    assert [image["unit"] for image in weights["images"]] == first["units"][:TOP]
    W1 = net.layers[0].params["W"]
    for image in weights["images"]:
        assert image["values"] == W1[:, image["unit"]].tolist()
        assert image["scale"] == float(np.abs(W1[:, image["unit"]]).max())
    assert len(prediction_figure(net, raw, top=2)["weights"]["images"]) == 2


def test_alt_text_and_summary_say_the_prediction(net, raw):
    figure = prediction_figure(net, raw, "mine")
    c = figure["predicted"]
    assert figure["alt"].startswith(f"The 784-20-12-10 network predicts {c} with probability "
                                    f"{figure['probabilities'][c]:.2f}")
    assert f"unit {figure['layers'][-1]['units'][0]} " in figure["alt"]
    assert summary(figure) == f"[prediction: {c} (p={figure['probabilities'][c]:.2f}), 784-20-12-10, 'mine']"


def test_a_deeper_float64_network_gets_one_strip_per_hidden_layer(raw):
    deep = mlp.Network([784, 16, 16, 16, 10], activation="tanh", seed=1, dtype="float64")
    figure = prediction_figure(deep, raw.reshape(28, 28))
    assert [len(strip["units"]) for strip in figure["layers"]] == [16, 16, 16]
    assert figure["probabilities"] == deep.forward(mlp.normalize(raw[None, :], "float64"))[0].tolist()


@pytest.mark.parametrize("kwargs, error, message", [
    ({"title": 3}, TypeError, "title must be a string or None; got int"),
    ({"key": ["k"]}, TypeError, "key must be a string or None; got list"),
    ({"top": -2}, ValueError, "top must be 0 or more weight images; got -2"),
])
def test_bad_arguments_are_named(net, raw, kwargs, error, message):
    with pytest.raises(error, match=message):
        prediction_figure(net, raw, **kwargs)


def test_bad_input_is_named(net):
    with pytest.raises(ValueError, match=r"float pixels must be in \[0, 1\]; got values 0\.\.255"):
        prediction_figure(net, np.linspace(0, 255, 784))


def test_page_prediction_prints_its_summary_natively(net, raw, capsys):
    from mlpsite import page

    page.prediction(net, raw, "mine", key="k")
    assert capsys.readouterr().out.strip() == summary(prediction_figure(net, raw, "mine"))
    with pytest.raises(TypeError, match="title must be a string"):
        page.prediction(net, raw, 3)
