"""The "network" figure (`page.network`): drawn from sizes alone, from a parameter dict and from an
`mlp.Network`, any depth; its probabilities checked against NumPy run natively on the same
weights and input; a keyed figure redrawn in place while a cell trains; readable at 390 px.

Screenshots (light and dark, 1280 and 390 px wide) go to screenshots/network-*.png.
"""

from __future__ import annotations

import json

import numpy as np
from test_cells import RUN_TIMEOUT_MS, cell, open_cells, output, run_cell, run_through, set_code, wait_ready

# Three diagrams in one cell; the numbers they need are printed for the test to rebuild natively.
CELL = """\
import json
import numpy as np
import mlp
rng = np.random.default_rng(5)
params = {"W1": rng.normal(size=(3, 4)), "b1": rng.normal(size=4),
          "W2": rng.normal(size=(4, 2)), "b2": rng.normal(size=2)}
x = np.array([0.2, 0.9, 0.4])
page.network([784, 64, 10], title="sizes")
page.network(params, x, title="small")
deep = mlp.Network([784, 32, 16, 16, 10], activation="relu", seed=2)
picture = (np.arange(784) % 29 * 9 % 256).astype(np.uint8)
page.network(deep, picture, title="deep")
print(json.dumps({k: v.tolist() for k, v in params.items()}))
"""


def native_probabilities(arrays, x, f):
    a = np.asarray(x, dtype=np.float64)[None, :]
    for n, (W, b) in enumerate(arrays, 1):
        a = a @ W + b
        if n < len(arrays):
            a = f(a)
    e = np.exp(a - a.max())
    return (e / e.sum())[0]


def fits_the_phone(locator, width):
    """At 390 px the drawing fits the phone's column: nothing cut off, no sideways scroll."""
    if width == 390:
        box = locator.locator(".net").evaluate("(b) => [b.scrollWidth, b.clientWidth]")
        assert box[0] <= box[1] + 1, box


def shots(figures):
    """{file name: locator} for shoot_each_look: screenshots/network-<name>-<width>-<scheme>.png."""
    return {f"network-{name}-{{width}}-{{scheme}}.png": figure for name, figure in figures.items()}


def test_diagrams_of_any_depth_match_numpy_and_read_at_phone_width(new_page, screenshot_dir, shoot_each_look):
    page = new_page(viewport={"width": 1280, "height": 900})
    open_cells(page)
    wait_ready(page)
    set_code(page, 5, CELL)
    run_cell(page, 5, timeout=RUN_TIMEOUT_MS)
    box = cell(page, 5)
    figures = box.locator(".pycell-fig--network")
    assert figures.count() == 3
    assert box.locator(".pycell-fig__error").count() == 0

    # Sizes alone: the picture input, 12 of 64 hidden units and the rest counted, 10 outputs, no prediction.
    sizes = figures.nth(0)
    assert sizes.get_attribute("data-sizes") == "784-64-10"
    assert sizes.get_attribute("data-predicted") == ""
    assert sizes.locator(".net__picture").count() == 1
    assert sizes.locator("circle.net__unit").count() == 12 + 10
    assert "+52 more" in sizes.locator(".net__more").all_text_contents()
    assert sizes.locator(".net__edge--plain").count() > 0
    label = sizes.locator("svg").get_attribute("aria-label")
    assert label.startswith("A 784-64-10 network: 784 inputs (a 28 by 28 picture), hidden layer 1 of 64 units")
    assert "50,890 weights and biases" in label

    # The reader's parameter dict: every unit and weight drawn, probabilities as NumPy's.
    params = {k: np.array(v) for k, v in json.loads(output(page, 5).strip().splitlines()[-1]).items()}
    small = figures.nth(1)
    sigmoid = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    expected = native_probabilities([(params["W1"], params["b1"]), (params["W2"], params["b2"])],
                                    [0.2, 0.9, 0.4], sigmoid)
    shown = np.array(json.loads(small.get_attribute("data-probabilities")))
    assert np.allclose(shown, expected, atol=1e-12), (shown, expected)
    assert small.get_attribute("data-predicted") == str(int(np.argmax(expected)))
    assert small.locator("circle.net__unit").count() == 3 + 4 + 2
    assert small.locator(".net__edge").count() == 3 * 4 + 4 * 2
    label = small.locator("svg").get_attribute("aria-label")
    assert f"It predicts {int(np.argmax(expected))} with probability {expected.max():.2f}." in label
    assert "Strongest units of hidden layer 1:" in label

    # A deep ReLU network: one column per layer, each wide layer thinned to 12 units.
    deep = figures.nth(2)
    assert deep.get_attribute("data-sizes") == "784-32-16-16-10"
    assert deep.locator(".net__layer").count() == 4
    assert deep.locator("circle.net__unit").count() == 12 * 3 + 10
    assert np.isclose(sum(json.loads(deep.get_attribute("data-probabilities"))), 1)
    assert deep.locator(".net__pixel").count() > 100
    shoot_each_look(page, shots({"sizes": sizes, "small": small, "deep": deep}), screenshot_dir, fits_the_phone)


LIVE = """\
import mlp
x_train, y_train, x_test, y_test = mlp.load_subset("/data/mnist-subset.npz", scaled=True, as_one_hot=True)
x, y = x_train[:600], y_train[:600]
net = mlp.Network([784, 16, 10], activation="relu", seed=0)
probe = x_test[0]

class Diagram(mlp.Callback):
    def on_epoch_end(self, trainer, record):
        page.network(net, probe, title=f"after epoch {record['epoch']}", key="live")

page.network(net, probe, title="before training", key="live")
mlp.Trainer(net, "sgd", x, y, batch_size=32, epochs=3, seed=0, callbacks=[Diagram()]).fit()
print(net.forward(probe[None, :])[0].tolist())
"""

WATCH = """(box) => { window.__netSeen = [];
  new MutationObserver(() => { const f = box.querySelector('.pycell-fig--network');
    if (f && f.dataset.probabilities !== window.__netSeen.at(-1)) window.__netSeen.push(f.dataset.probabilities); })
  .observe(box, {subtree: true, childList: true, attributes: true}); }"""


def test_a_keyed_diagram_is_redrawn_in_place_while_a_cell_trains(page):
    open_cells(page)
    wait_ready(page)
    cell(page, 5).evaluate(WATCH)
    set_code(page, 5, LIVE)
    run_cell(page, 5, timeout=RUN_TIMEOUT_MS * 2)
    figures = cell(page, 5).locator(".pycell-fig--network")
    assert figures.count() == 1, "one keyed figure, redrawn in place"
    assert figures.locator("figcaption").inner_text() == "after epoch 3"
    final = np.array(json.loads(output(page, 5).strip().splitlines()[-1]))
    shown = np.array(json.loads(figures.get_attribute("data-probabilities")))
    assert np.allclose(shown, final, atol=1e-6), (shown, final)
    seen = page.evaluate("window.__netSeen")
    assert len(set(seen)) >= 3, "the diagram changed while the network trained"


def test_the_chapters_draw_their_diagrams(new_page, screenshot_dir, shoot_each_look):
    """Architecture draws the structure from sizes; Forward draws the untrained network on a
    test picture, with the probabilities of the page's own forward pass."""
    page = new_page(viewport={"width": 1280, "height": 900})
    for path, name, predicted in (("architecture/", "architecture", False), ("forward/", "forward", True)):
        page.goto(path)
        run_through(page, "page.network(")   # every cell's run is the tour's (test_pages.py)
        figure = page.locator(".pycell-fig--network")
        assert figure.count() == 1
        assert figure.get_attribute("data-sizes") == "784-64-10"
        assert (figure.get_attribute("data-predicted") != "") == predicted
        if predicted:
            assert figure.locator(".net__pixel").count() > 50, "the test picture is drawn"
            assert np.isclose(sum(json.loads(figure.get_attribute("data-probabilities"))), 1)
        shoot_each_look(page, shots({name: figure}), screenshot_dir, fits_the_phone)
