"""What the cells draw, read as a reader would: the training charts' names and colours, the
training log that does not wrap, wrong digits marked, confusion misses visible in dark mode,
and long lines that wrap in the editor."""

from __future__ import annotations

import pytest
from test_cells import RUN_TIMEOUT_MS, cell, open_cells, output, run_cell, set_code, wait_ready

TRAIN = """\
x = data.x_train[:2000].astype("float32") / 255
y = data.y_train[:2000]
xv = data.x_test[:400].astype("float32") / 255
yv = data.y_test[:400]
net = mlp.Network([784, 16, 10], activation="relu", seed=0)
trainer = mlp.Trainer(net, "sgd", x, y, xv, yv, batch_size=64, epochs=3, seed=0,
                      eval_name="validation",
                      callbacks=[page.ProgressCallback(interval=0.1, title="Run")])
history = trainer.fit()
"""

LEGEND = """(c) => Object.fromEntries([...c.querySelectorAll('.pycell-fig--chart .u-legend .u-series')]
  .filter((s) => s.querySelector('.u-label')).map((s) => [s.querySelector('.u-label').textContent,
    getComputedStyle(s.querySelector('.u-marker')).borderColor + ' ' +
    getComputedStyle(s.querySelector('.u-marker')).borderStyle]))"""


def test_progress_charts_name_the_validation_set_with_one_colour_per_series(new_page):
    page = new_page(viewport={"width": 390, "height": 900})
    open_cells(page)
    wait_ready(page)
    set_code(page, 5, TRAIN)
    run_cell(page, 5, timeout=RUN_TIMEOUT_MS * 2)
    styles = cell(page, 5).evaluate(LEGEND)
    assert set(styles) == {"batch loss", "train loss (epoch)", "validation loss (epoch)",
                           "train accuracy", "validation accuracy"}, styles
    assert styles["train loss (epoch)"] == styles["train accuracy"]
    assert styles["validation loss (epoch)"] == styles["validation accuracy"]
    assert len({styles["batch loss"], styles["train accuracy"], styles["validation accuracy"]}) == 3
    # The log: one row per epoch, each on one line (it scrolls sideways at 390 px, never wraps).
    lines = cell(page, 5).locator(".pycell-log__line")
    assert lines.count() == 3
    assert "validation acc" in lines.nth(2).inner_text() and "test" not in output(page, 5)
    heights = lines.evaluate_all("(ls) => ls.map((l) => l.getClientRects().length)")
    assert heights == [1, 1, 1]
    box = cell(page, 5).locator(".pycell-log").evaluate("(p) => [p.scrollWidth, p.clientWidth]")
    assert box[0] > box[1], "the log lines are wider than a phone: the box scrolls"


def test_digits_mark_wrong_readings_with_a_cross_and_the_true_label(page):
    open_cells(page)
    wait_ready(page)
    set_code(page, 5, "import numpy as np\npage.digits(np.zeros((4, 784), np.uint8), labels=[1, 2, 3, 4],"
                      " truth=[1, 2, 5, 4])\n")
    run_cell(page, 5)
    wrong = cell(page, 5).locator(".pycell-digits__item--wrong")
    assert wrong.count() == 1
    assert wrong.inner_text().split() == ["\u2717", "3", "true", "5"]
    assert "1 of 4 wrong" in cell(page, 5).locator(".pycell-digits__summary").inner_text()
    label = wrong.locator("canvas").get_attribute("aria-label")
    assert label == "image 3, label 3, wrong: the true label is 5"


def test_confusion_misses_are_visible_in_dark_mode(page):
    open_cells(page)
    wait_ready(page)
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
    set_code(page, 5, "page.heatmap([[400, 1, 0], [2, 380, 0], [0, 0, 390]], shade='row')\n")
    run_cell(page, 5)
    miss = cell(page, 5).locator("td.pycell-heatmap__miss").first
    none = cell(page, 5).locator("td.pycell-heatmap__none").first
    alpha = miss.evaluate("(td) => getComputedStyle(td).backgroundColor")
    # color-mix(... transparent) gives "color(srgb r g b / a)": one miss in 400 still shows.
    assert float(alpha.rstrip(")").split("/")[-1]) >= 0.25, alpha
    assert none.evaluate("(td) => getComputedStyle(td).backgroundColor") == "rgba(0, 0, 0, 0)"


def test_long_lines_wrap_inside_the_editor(new_page):
    page = new_page(viewport={"width": 1280, "height": 800})
    open_cells(page)
    set_code(page, 5, "x = " + " + ".join(["1"] * 120) + "\n")
    editor = cell(page, 5).locator(".cm-scroller")
    width = editor.evaluate("(s) => [s.scrollWidth, s.clientWidth]")
    assert width[0] <= width[1], f"a long line goes past the cell's edge: {width}"
    assert cell(page, 5).locator(".cm-content").evaluate("(c) => getComputedStyle(c).whiteSpace") in ("pre-wrap", "break-spaces")


CHART = "page.chart(x=[1, 2, 3], series={'loss': [3.0, 2.0, 1.5]}, title='Loss')\n"


def test_charts_draw_when_the_browser_reports_a_locale_that_is_not_a_tag(page):
    # WebKitGTK under LANG=C reports navigator.language "C", which Intl rejects; uPlot formats
    # numbers with it as its script loads.
    page.add_init_script("Object.defineProperty(Navigator.prototype, 'language', {get: () => 'C', configurable: true})")
    open_cells(page)
    wait_ready(page)
    assert page.evaluate("navigator.language") == "C"
    set_code(page, 5, CHART)
    run_cell(page, 5)
    assert cell(page, 5).locator(".pycell-fig--chart canvas").count() >= 1
    assert not cell(page, 5).locator(".pycell-fig__error").count()
    assert page.evaluate("navigator.language") == "C", "the browser's own value is back"


@pytest.mark.allow_failed_requests      # the chart script is refused on purpose
def test_a_figure_that_could_not_be_drawn_ends_its_cell_in_error_and_says_why(page):
    page.route("**/uPlot.iife.min.js", lambda route: route.fulfill(status=200, body="/* no uPlot */",
                                                                    content_type="text/javascript"))
    open_cells(page)
    wait_ready(page)
    set_code(page, 5, CHART)
    [result] = page.evaluate("window.__cells.run(5).then((r) => [r])")
    assert result["ok"] is True and result["state"] == "error"
    [reason] = result["figureErrors"]
    assert "uPlot.iife.min.js loaded but defined no uPlot" in reason
    assert cell(page, 5).get_attribute("data-cell-state") == "error"
    assert "could not be drawn" in cell(page, 5).locator(".pycell__status").inner_text()
    assert "defined no uPlot" in cell(page, 5).locator(".pycell-fig__error").inner_text()
