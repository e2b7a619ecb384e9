"""Exercise progress on the exercises page: passes remembered in this browser, shown on the
page and in the navigation, kept when a later run fails, forgotten by a reset; the checks
cell folded away but still run first."""

from __future__ import annotations

import re

from test_cells import RUN_TIMEOUT_MS, cell, output, run_cell, set_code, wait_ready

EXERCISES = "exercises/"
TANH = """\
def my_tanh(z):
    e = np.exp(-2 * np.abs(z))
    return np.sign(z) * (1 - e) / (1 + e)

def my_tanh_derivative(a):
    return 1 - a * a
"""
NAV = ".md-sidebar--primary .exercise-nav-mark"


def open_exercises(page):
    # The first cell (the checks) is folded: wait for the first exercise's editor instead.
    page.goto(EXERCISES, wait_until="load")
    page.wait_for_selector('.pycell[data-cell-index="1"] .cm-editor', timeout=20_000)
    page.wait_for_function("window.__cells && window.__cells.list().length > 0")


def item(page, title):
    return page.locator(f'.exercise-progress__item[data-exercise="{title}"]')


def test_checks_cell_is_folded_and_still_runs_first(page):
    open_exercises(page)
    fold = cell(page, 0).locator("details.pycell__fold")
    assert fold.count() == 1 and fold.get_attribute("open") is None
    assert fold.locator("summary").inner_text().startswith("Show the code (")
    assert not cell(page, 0).locator(".cm-editor").is_visible()
    assert page.locator(".exercise-progress__summary").inner_text() == \
        "0 of 4 exercises done (remembered in this browser)."
    wait_ready(page)
    run_cell(page, 2, timeout=RUN_TIMEOUT_MS * 2)  # tanh's check: the checks cell runs first
    assert cell(page, 0).get_attribute("data-cell-state") == "done"
    assert "checks ready" in output(page, 0)


def test_a_pass_is_remembered_shown_in_the_nav_and_forgotten_by_a_reset(new_page):
    page = new_page(viewport={"width": 1280, "height": 900})
    open_exercises(page)
    wait_ready(page)
    set_code(page, 1, TANH)
    run_cell(page, 2, timeout=RUN_TIMEOUT_MS * 2)
    assert "PASS  tanh" in output(page, 2)
    assert item(page, "tanh").get_attribute("class").endswith("--done")
    assert item(page, "tanh").locator(".exercise-progress__status").inner_text() == "done"
    assert page.locator(NAV).inner_text().strip() == "1/4"

    # A failing version later: the pass stays, the latest result is shown too.
    set_code(page, 1, "def my_tanh(z):\n    raise NotImplementedError\n\ndef my_tanh_derivative(a):\n    return a\n")
    run_cell(page, 1)  # an edited cell that already ran is not re-run as a cell above
    run_cell(page, 2)
    assert "FAIL  tanh" in output(page, 2)
    assert item(page, "tanh").locator(".exercise-progress__status").inner_text() == "done; the latest run failed"

    # A solution's own PASS (folded under the exercise) is not the reader's.
    page.evaluate("window.__cells.run(3, {above: false})")
    page.wait_for_function("document.querySelector('.pycell[data-cell-index=\"3\"]').dataset.cellState === 'done'")
    assert "PASS" in cell(page, 3).locator(".pycell__output").text_content()  # folded away
    assert page.locator(".exercise-progress__summary").inner_text().startswith("1 of 4")

    # Kept in this browser: a new visit still shows it.
    page.reload()
    page.wait_for_selector(".exercise-progress__item")
    assert item(page, "tanh").locator(".exercise-progress__status").inner_text() == "done; the latest run failed"
    assert page.locator(NAV).inner_text().strip() == "1/4"

    # Every check passing puts a check mark beside the chapter in the navigation, on every page.
    wait_ready(page)
    set_code(page, 1, "for t in ['tanh', 'leaky ReLU', 'Adam without its bias correction', 'networks of any depth']:\n"
                      "    report(t, [])\n")
    run_cell(page, 1, timeout=RUN_TIMEOUT_MS * 2)
    assert page.locator(".exercise-progress__summary").inner_text().startswith("All 4 exercises done")
    assert page.locator(NAV).inner_text().strip() == "\u2713"
    page.locator(".md-sidebar--primary .md-nav__link[href$='playground/']").first.click()
    page.wait_for_url(re.compile(r"/playground/(#.*)?$"))  # Material may add a heading's anchor
    page.wait_for_selector(NAV)
    assert page.locator(NAV).inner_text().strip() == "\u2713"

    # Forgetting: back on the exercises page, the reset clears the list and the mark.
    page.go_back()
    page.wait_for_selector(".exercise-progress__reset")
    page.get_by_role("button", name="Forget my progress").click()
    assert page.locator(".exercise-progress__summary").inner_text().startswith("0 of 4")
    assert page.locator(NAV).count() == 0
    assert page.evaluate("JSON.parse(localStorage.getItem('exercises:v1')).results") == {}
