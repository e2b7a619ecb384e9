"""The "prediction" figure: the lab's "Inside the prediction" panel for the reader's drawing, and
`page.prediction` in the training chapter. The panel's numbers are checked against
`Network.forward` run natively on the same weights and the same pixels.

Screenshots (light and dark, 1280 and 390 px wide) go to screenshots/prediction-*.png.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from labpage import MNIST, TRAIN_TIMEOUT_MS, mnist_test_image, open_lab, runs, trace_digit

import mlp

SIZES = [784, 48, 24, 10]  # two hidden layers: the panel draws one strip each


@pytest.fixture(scope="module")
def weights(tmp_path_factory):
    """A small two-hidden-layer network trained natively on 5,000 MNIST pictures, saved by mlp.save."""
    x = mlp.normalize(mlp.data.read_idx(MNIST / "train-images-idx3-ubyte")[:6000].reshape(-1, 784))
    y = mlp.one_hot(mlp.data.read_idx(MNIST / "train-labels-idx1-ubyte")[:6000])
    network = mlp.Network(SIZES, activation="relu", seed=3)
    mlp.Trainer(network, mlp.make_optimizer("adam", 0.002), x[:5000], y[:5000], x[5000:], y[5000:],
                batch_size=64, epochs=2, seed=0).fit()
    path = tmp_path_factory.mktemp("weights") / "deep.npz"
    mlp.save(network, path)
    return path


def test_the_lab_panel_follows_the_drawing_and_matches_forward(new_page, weights, screenshot_dir, shoot_each_look):
    page = new_page(accept_downloads=True)
    open_lab(page)
    assert "Draw a digit" in page.inner_text(".lab-panel--path")
    page.set_input_files(".lab-file", str(weights))
    page.wait_for_function("document.querySelector('.lab-file-message').textContent.startsWith('Loaded')",
                           timeout=TRAIN_TIMEOUT_MS)
    model = runs(page)[-1]["id"]

    image, label = mnist_test_image(0)
    trace_digit(page, image)
    page.wait_for_function(
        "() => { const b = document.querySelector('.lab-path');"
        " return b.dataset.version && b.dataset.version === document.querySelector('.lab-pad').dataset.version; }",
        timeout=30_000)
    body = page.locator(".lab-path")
    assert body.get_attribute("data-model") == model
    figure = page.locator(".lab-path .pycell-fig--prediction")
    logits = np.array(json.loads(figure.get_attribute("data-logits")))
    probabilities = np.array(json.loads(figure.get_attribute("data-probabilities")))
    predicted = int(figure.get_attribute("data-predicted"))

    # The pixels the network saw, as the panel draws them (0..1, from the pad's 784 bytes).
    pixels = page.evaluate("""() => { const c = document.querySelector('.lab-path .pycell-prediction__input');
        return Array.from(c.getContext('2d').getImageData(0, 0, 28, 28).data.filter((_, i) => i % 4 === 3)); }""")
    assert np.count_nonzero(pixels) > 40, "the drawing reached the panel"
    network = mlp.load(weights)
    x = mlp.normalize(np.array(pixels, dtype=np.uint8).reshape(1, 784))
    native = network.forward(x)[0]
    assert np.allclose(probabilities, native, atol=1e-5), (probabilities, native)
    assert np.isclose(probabilities.sum(), 1, atol=1e-5)
    z = x  # the logits, layer by layer from the saved weights
    for layer in network.layers:
        a = np.maximum(z, 0)
        z = (a if layer is not network.layers[0] else x) @ layer.params["W"] + layer.params["b"]
    assert np.allclose(logits, np.ravel(z), atol=1e-4), (logits, z)
    assert predicted == int(np.argmax(native)) == label
    # The diagram beside it: the same network, lit by the same drawing, the same probabilities.
    diagram = page.locator(".lab-path .pycell-fig--network")
    assert diagram.get_attribute("data-sizes") == "-".join(map(str, SIZES))
    assert np.allclose(json.loads(diagram.get_attribute("data-probabilities")), native, atol=1e-5)
    assert diagram.get_attribute("data-predicted") == str(label)
    # The bars of the draw panel show the same answer.
    assert np.allclose(json.loads(page.get_attribute(".lab-bars", "data-probabilities")), probabilities)

    # One strip per hidden layer, the winner marked by text, the text alternative shown.
    assert page.locator(".lab-path .pycell-prediction__stage--layer").count() == len(SIZES) - 2
    assert figure.get_attribute("data-layers") == str(len(SIZES) - 2)
    assert page.locator(".lab-path .pycell-bars__row--highlight").count() == 2
    assert f"{label} ★" in page.locator(".lab-path .pycell-bars__row--highlight").first.inner_text()
    assert page.inner_text(".lab-path .pycell-prediction__alt").startswith(f"The 784-48-24-10 network predicts {label}")
    # Numbers on focus: the first unit of the first strip, reached with the keyboard.
    unit = page.locator(".lab-path .pycell-prediction__unit").first
    unit.focus()
    assert page.inner_text(".lab-path .pycell-prediction__readout >> nth=0").startswith(f"unit {unit.get_attribute('data-unit')}: activation")

    shoot_each_look(page, {"prediction-lab-{width}-{scheme}.png": page.locator(".lab-panel--path")}, screenshot_dir)
    page.click(".lab-clear")  # an empty pad empties the panel
    page.wait_for_selector(".lab-panel--path .lab-empty")


def test_the_chapter_cell_draws_the_path_of_a_mistake(new_page, screenshot_dir, shoot_each_look):
    page = new_page()
    page.goto("training/")
    page.wait_for_function("window.__cells && window.__cells.list().length > 0")
    page.evaluate("window.__cells.ready()")
    results = page.evaluate("window.__cells.runAll()")
    failed = [r for r in results if not r["ok"] and not r["expectError"]]
    assert not failed, failed
    cell = page.locator(".pycell", has=page.locator(".pycell-fig--prediction"))
    assert cell.count() == 1
    assert page.locator(".pycell-fig__error").count() == 0
    assert "same probabilities as net.forward: True" in cell.locator(".pycell__output").inner_text()
    figure = cell.locator(".pycell-fig--prediction")
    assert figure.locator(".pycell-prediction__stage--layer").count() == 1
    shoot_each_look(page, {"prediction-chapter-{width}-{scheme}.png": figure}, screenshot_dir)
