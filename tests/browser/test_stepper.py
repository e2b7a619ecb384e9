"""The backpropagation stepper of the Backpropagation chapter: stepped through every step with
the keyboard, each step's numbers compared with NumPy run natively on the same inputs, its
code line checked, the gradient check at the end; then the reader's edit of the cell stepped
again. Screenshots (light and dark, 1280 and 390 px wide) go to screenshots/stepper-*.png.
"""

from __future__ import annotations

import json

import numpy as np
from labpage import set_scheme
from test_cells import RUN_TIMEOUT_MS, run_through, wait_state
from waits import settle

WIDTHS = {"wide": 1280, "phone": 390}
STEPS = 1 + 4 + 4 + 2 + 2 + 1 + 2 + 2 + 2 + 4 + 4 + 4 + 4 + 1
LINES = {"Z1": "Z1 = X @ params", "A1": "A1 = sigmoid(Z1)", "Z2": "Z2 = A1 @ params", "P": "return softmax(Z2)",
         "dZ2": "dZ2 = (P - Y) / len(Y)", "dW2": "dW2 = A1.T @ dZ2", "db2": "db2 = dZ2.sum(axis=0)",
         "dA1": "dA1 = dZ2 @ params", "dZ1": "dZ1 = dA1 * sigmoid_derivative(A1)", "dW1": "dW1 = X.T @ dZ1",
         "db1": "db1 = dZ1.sum(axis=0)"}


def native(params, X, Y):
    """The chapter's forward and backward, written again here with NumPy."""
    sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    v = {"X": X}
    v["Z1"] = X @ params["W1"] + params["b1"]
    v["A1"] = sig(v["Z1"])
    v["Z2"] = v["A1"] @ params["W2"] + params["b2"]
    e = np.exp(v["Z2"] - v["Z2"].max(axis=1, keepdims=True))
    v["P"] = e / e.sum(axis=1, keepdims=True)
    v["L"] = -np.mean(np.sum(Y * np.log(v["P"]), axis=1))
    v["dZ2"] = (v["P"] - Y) / len(Y)
    v["dW2"] = v["A1"].T @ v["dZ2"]
    v["db2"] = v["dZ2"].sum(axis=0)
    v["dA1"] = v["dZ2"] @ params["W2"].T
    v["dZ1"] = v["dA1"] * v["A1"] * (1 - v["A1"])
    v["dW1"] = X.T @ v["dZ1"]
    v["db1"] = v["dZ1"].sum(axis=0)
    return v


def expected(v, array, unit):
    if array == "X":
        return v["X"].ravel()
    if array == "L":
        return [v["L"]]
    if array in ("db1", "db2"):
        return [v[array][unit]]
    return v[array][:, unit]


def step_through(page, stepper, v):
    """Home, then the right arrow to the end: every step's numbers and line checked."""
    stepper.focus()
    page.keyboard.press("Home")
    seen = []
    for k in range(STEPS):
        if k:
            page.keyboard.press("ArrowRight")
        data = stepper.evaluate("(s) => ({...s.dataset})")
        assert int(data["step"]) == k
        array, unit = data["array"], (int(data["unit"]) if data["unit"] else None)
        values = np.array(json.loads(data["values"]))
        line = stepper.locator(".stp__line--now")
        if array == "check":
            assert (values < 1e-6).all(), values
            assert "the gradients agree" in stepper.locator(".stp__text").inner_text()
            assert stepper.locator(".stp__check tbody tr").count() == 3 * 4 + 4 + 4 * 2 + 2
            assert line.count() == 0
        else:
            assert np.allclose(values, expected(v, array, unit), atol=1e-12), (k, array, unit, values)
            if array in LINES:
                assert LINES[array] in line.inner_text(), (array, line.inner_text())
            else:
                assert line.count() == 0
        live = stepper.locator("[aria-live]").inner_text()
        assert live.startswith(f"Step {k + 1} of {STEPS}"), live
        seen.append(array)
    page.keyboard.press("ArrowRight")  # the end stays the end
    assert stepper.get_attribute("data-step") == str(STEPS - 1)
    return seen


EDIT = """\
import page
small = {"W1": np.array([[0.5, -0.3, 0.8, 0.1], [-0.6, 0.2, 0.4, -0.9], [0.3, 0.7, -0.2, 0.5]]),
         "b1": np.array([0.1, -0.1, 0.0, 0.2]),
         "W2": np.array([[0.9, -0.4], [-0.5, 0.6], [0.3, 0.3], [-0.7, 0.8]]), "b2": np.array([0.05, -0.05])}
X_two = np.array([[0.3, -0.2, 1.5], [1.1, 0.4, -0.6]])
Y_two = np.array([[0.0, 1.0], [1.0, 0.0]])
page.stepper(forward, backward, small, X_two, Y_two, check=gradient_check)
"""


def test_the_stepper_walks_every_step_with_the_keyboard_as_numpy_computes_it(new_page, screenshot_dir):
    page = new_page(viewport={"width": 1280, "height": 900})
    page.goto("backprop/")
    run_through(page, "page.stepper(")   # every cell's run is the tour's (test_pages.py)
    figure = page.locator(".pycell-fig--stepper")
    assert figure.count() == 1
    stepper = figure.locator(".stp")

    # The page's own numbers: drawn as its cell draws them.
    rng = np.random.default_rng(3)
    params = {"W1": rng.normal(0, 0.8, size=(3, 4)), "b1": np.zeros(4),
              "W2": rng.normal(0, 0.8, size=(4, 2)), "b2": np.zeros(2)}
    X = np.array([[1.0, 0.5, -0.5], [0.2, -1.0, 0.8]])
    Y = np.array([[1.0, 0.0], [0.0, 1.0]])
    seen = step_through(page, stepper, native(params, X, Y))
    assert seen[:2] == ["X", "Z1"] and seen.index("L") < seen.index("dZ2") and seen[-1] == "check"

    # Buttons do what the keys do.
    figure.get_by_role("button", name="First step").click()
    figure.get_by_role("button", name="Next step").click()
    assert stepper.get_attribute("data-step") == "1"
    assert figure.get_by_role("button", name="Previous step").is_enabled()

    # Screenshots: the first step, a backward sum over the batch (dW2), the check.
    marks = {"start": ["Home"], "dW2": ["Home"] + ["ArrowRight"] * seen.index("dW2"), "check": ["End"]}
    for scheme in ("light", "dark"):
        set_scheme(page, scheme)
        for width_name, width in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": 1000})
            for name, keys in marks.items():
                stepper.focus()
                for key in keys:
                    page.keyboard.press(key)
                step = len(keys) - 1 if name != "check" else STEPS - 1
                page.wait_for_function("([s, k]) => s.dataset.step === String(k)", arg=[stepper.element_handle(), step])
                settle(page)
                figure.screenshot(path=str(screenshot_dir / f"stepper-{name}-{width_name}-{scheme}.png"))
            box = stepper.evaluate("(s) => [s.scrollWidth, s.clientWidth]")
            assert box[0] <= box[1] + 1, box
    set_scheme(page, "light")
    page.set_viewport_size({"width": 1280, "height": 900})

    # The reader changes the weights and the inputs, runs the cell again, steps again.
    index = int(page.locator(".pycell", has=figure).get_attribute("data-cell-index"))
    page.evaluate("([i, code]) => window.__cells.setCode(i, code)", [index, EDIT])
    page.locator(f'.pycell[data-cell-index="{index}"]').get_by_role("button", name=f"Run cell {index + 1}").click()
    wait_state(page, index, "done", timeout=RUN_TIMEOUT_MS)
    ns = {}
    exec("\n".join(line for line in EDIT.splitlines() if "page" not in line), {"np": np}, ns)
    step_through(page, page.locator(".pycell-fig--stepper .stp"), native(ns["small"], ns["X_two"], ns["Y_two"]))
