"""A printed lab page: the form's values, the runs, the charts and what the model says about a
drawing, without the buttons and the drawing pad's controls (as the cells print: test_cell_print.py)."""

from __future__ import annotations

from labpage import fill_form, mnist_test_image, open_lab, runs, trace_digit, wait_idle, wait_prediction

MACHINERY = {
    "Train": ".lab-train",
    "Stop": ".lab-stop",
    "the presets": ".lab-presets",
    "Python's status": ".lab-python",
    "Download weights": ".lab-export",
    "Load weights": ".lab-import",
    "Use and Remove": ".lab-run__buttons",
    "Clear": ".lab-clear",
    "the inspect tabs": ".lab-tabs",
    "the charts' pointer hint": ".lab-chart__readout",
}
CONTENT = {
    "the form's fields": ".lab-fields",
    "the epochs field": "[name=epochs]",
    "the run": ".lab-run",
    "its test accuracy": ".lab-run__acc",
    "the charts": ".lab-chart__plot canvas",
    "the drawing": ".lab-pad__canvas",
    "the prediction": ".lab-bars-box",
    "the summary": ".lab-summary",
    "the path of the prediction": ".lab-path .net__svg",
}

SHOWN = """(selectors) => Object.fromEntries(Object.entries(selectors).map(([name, css]) => {
  const node = document.querySelector(`#lab ${css}`);
  const box = node?.getBoundingClientRect();
  return [name, Boolean(node) && getComputedStyle(node).display !== "none"
          && getComputedStyle(node).visibility !== "hidden" && box.width > 0 && box.height > 0];
}))"""


def test_printing_the_lab_keeps_the_values_runs_and_charts_and_leaves_out_its_controls(new_page, screenshot_dir):
    page = new_page(viewport={"width": 1280, "height": 900})
    open_lab(page)
    fill_form(page, epochs=1, hidden=32)
    page.click(".lab-train")
    page.wait_for_selector(".lab-run")
    wait_idle(page)
    assert [r["status"] for r in runs(page)] == ["done"]
    image, _ = mnist_test_image(0)
    trace_digit(page, image)
    wait_prediction(page)
    on_screen = page.evaluate(SHOWN, {**MACHINERY, **CONTENT})
    # Everything shows on screen, so the checks below can fail.
    assert [name for name, shown in on_screen.items() if not shown] == []

    page.emulate_media(media="print")
    printed = page.evaluate(SHOWN, {**MACHINERY, **CONTENT})
    assert [name for name in MACHINERY if printed[name]] == []
    assert [name for name in CONTENT if not printed[name]] == []
    # The diagram of the prediction's path fits the paper's width (on screen it scrolls sideways).
    assert page.evaluate("() => { const svg = document.querySelector('#lab .lab-path .net__svg');"
                         " return svg.getBoundingClientRect().right <= svg.closest('.lab-panel').getBoundingClientRect().right; }")
    # The values the run was trained with print as the form holds them.
    assert page.input_value("[name=epochs]") == "1" and page.input_value("[name=hidden]") == "32"
    out = screenshot_dir / "lab"
    out.mkdir(exist_ok=True)
    page.screenshot(path=str(out / "print-lab.png"), full_page=True)
    assert page.pdf(path=str(out / "print-lab.pdf"))[:5] == b"%PDF-"

    page.emulate_media(media="screen")
    assert all(page.evaluate(SHOWN, {**MACHINERY, **CONTENT}).values())
