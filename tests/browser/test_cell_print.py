"""A printed page with cells: its text, code, outputs and figures, without the cells' machinery.

On the built site's playground page (docs/playground.md), as in test_cells.py.
"""

from __future__ import annotations

from test_cells import cell, open_cells, run_cell, wait_ready

MACHINERY = {
    "Run": ".pycell__btn--run",
    "Stop": ".pycell__btn--stop",
    "Reset": ".pycell__btn--reset",
    "Copy": ".pycell__btn--copy",
    "Link": ".pycell__btn--link",
    "the Done badge": ".pycell__status",
    "Python's status line": ".pycell-runtime",
    "the notebook link": ".notebook-download",
}
CONTENT = {
    "the code": ".pycell .cm-content",
    "the cell's number": ".pycell__number",
    "the printed output": ".pycell__text",
    "the figure": ".pycell-fig",
}

SHOWN = """(selectors) => Object.fromEntries(Object.entries(selectors).map(([name, css]) => {
  const node = document.querySelector(`.pycell[data-cell-index="1"] ${css}`) || document.querySelector(css);
  const box = node?.getBoundingClientRect();
  return [name, Boolean(node) && getComputedStyle(node).display !== "none" && box.width > 0 && box.height > 0];
}))"""


def test_printing_leaves_out_the_toolbar_and_the_status_and_keeps_code_output_and_figures(page, screenshot_dir):
    open_cells(page)
    wait_ready(page)
    run_cell(page, 1)  # cell 2: prints nothing itself, draws twelve digits; cell 1 above printed
    page.evaluate("window.__cells.run(5, {above: false})")
    assert "Done in" in cell(page, 1).locator(".pycell__status").inner_text()
    on_screen = page.evaluate(SHOWN, {**MACHINERY, **CONTENT})
    assert all(on_screen.values()), on_screen  # everything shows on screen, so the check below can fail

    page.emulate_media(media="print")
    printed = page.evaluate(SHOWN, {**MACHINERY, **CONTENT})
    assert [name for name in MACHINERY if printed[name]] == []
    assert [name for name in CONTENT if not printed[name]] == []
    # Output boxes show all they hold instead of scrolling.
    assert cell(page, 5).locator(".pycell__text").evaluate(
        "pre => [getComputedStyle(pre).maxHeight, getComputedStyle(pre).overflowY]") == ["none", "visible"]
    out = screenshot_dir / "cells"
    out.mkdir(exist_ok=True)
    page.screenshot(path=str(out / "print-playground.png"), full_page=True)
    assert page.pdf(path=str(out / "print-playground.pdf"))[:5] == b"%PDF-"

    page.emulate_media(media="screen")
    assert all(page.evaluate(SHOWN, MACHINERY).values())
