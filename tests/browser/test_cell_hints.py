"""What a cell says when the reader's code goes wrong, and what it keeps for the reader: the
shapes of a NumPy mismatch, a package the site lacks, stdin, a stopped cell that is not run
again, numbered cells, an undoable Reset and an edit the browser could not save.

On the built site's playground page (docs/playground.md), as in test_cells.py.
"""

from __future__ import annotations

from test_cells import (cell, open_cells, original_code, output, run_cell, set_code, state, wait_output, wait_ready,
                        wait_state)
from waits import settle

# The backward pass of chapter 5 with 128 pictures, 64 hidden units and 10 classes.
BACKPROP = """import numpy as np
rng = np.random.default_rng(0)
X = rng.random((128, 784)); Y = np.eye(10)[rng.integers(0, 10, 128)]
W1 = rng.random((784, 64)) * 0.01; b1 = np.zeros(64)
W2 = rng.random((64, 10)) * 0.01; b2 = np.zeros(10)
A1 = 1 / (1 + np.exp(-(X @ W1 + b1)))
P = np.exp(A1 @ W2); P /= P.sum(axis=1, keepdims=True)
dZ2 = (P - Y) / 128
"""

MISTAKES = [
    ("dA1 = dZ2 @ W2", "(128, 10) @ (64, 10): the inner sizes 10 and 64 differ; did you mean W2.T?"),
    ("dW2 = dZ2 @ A1", "(128, 10) @ (128, 64): the inner sizes 10 and 128 differ; did you mean dZ2.T?"),
    ("Z1 = X @ W1.T", "(128, 784) @ (64, 784): the inner sizes 784 and 64 differ; did you mean W1?"),
    ("db2 = dZ2.sum(axis=1)\nb2 = b2 - 0.1 * db2",
     "(10,) - (128,): sizes are matched from the right, and 10 and 128 differ with neither equal to 1"),
    ("dZ1 = (dZ2 @ W2.T) * (A1 * (1 - A1)).T",
     "(128, 64) * (64, 128): sizes are matched from the right, and 64 and 128 differ with neither "
     "equal to 1; did you mean (A1 * (1 - A1))?"),
]


def run_alone(page, index, code):
    """Runs `code` in cell `index` without the cells above; -> the run's result."""
    set_code(page, index, code)
    return page.evaluate("(i) => window.__cells.run(i, {above: false})", index)


def hint(page, index):
    return cell(page, index).locator(".pycell__hint").inner_text()


def test_five_backprop_shape_mistakes_each_get_their_line_under_the_traceback(page):
    open_cells(page)
    wait_ready(page)
    for mistake, line in MISTAKES:
        assert run_alone(page, 5, BACKPROP + mistake + "\n")["state"] == "error", mistake
        box = cell(page, 5)
        assert "ValueError" in box.locator(".pycell__error").inner_text()
        assert hint(page, 5) == "Hint: " + line
        # One line, under the traceback.
        assert box.locator(".pycell__output > *").evaluate_all(
            "nodes => nodes.map(n => n.className)")[-2:] == ["pycell__error", "pycell__hint"]
    # Other errors get no hint.
    assert run_alone(page, 5, "1 / 0\n")["state"] == "error"
    assert cell(page, 5).locator(".pycell__hint").count() == 0


def test_shape_hint_screenshots_light_and_dark_wide_and_phone(new_page, screenshot_dir):
    page = new_page(viewport={"width": 1280, "height": 900})
    open_cells(page)
    wait_ready(page)
    mistake, line = MISTAKES[4]
    run_alone(page, 5, BACKPROP + mistake + "\n")
    assert hint(page, 5) == "Hint: " + line
    out = screenshot_dir / "cells"
    out.mkdir(exist_ok=True)
    colours = {}
    for scheme in ("light", "dark"):
        if scheme == "dark":
            page.locator("label[title='Switch to dark mode']").click()
            page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
        for size, width in (("wide", 1280), ("phone", 390)):
            page.set_viewport_size({"width": width, "height": 900})
            settle(page)
            cell(page, 5).screenshot(path=str(out / f"shape-hint-{scheme}-{size}.png"))
        colours[scheme] = cell(page, 5).locator(".pycell__hint").evaluate(
            "n => [getComputedStyle(n).color, getComputedStyle(n.previousElementSibling).color]")
    for scheme, (hint_colour, error_colour) in colours.items():
        assert hint_colour != error_colour, scheme  # the hint is not part of the traceback
    assert colours["light"][0] != colours["dark"][0]


def test_a_missing_package_names_what_the_site_has_and_stdin_says_no_keyboard(page):
    open_cells(page)
    wait_ready(page)
    for code in ("import matplotlib.pyplot as plt\n", "import pandas as pd\n"):
        assert run_alone(page, 5, code)["state"] == "error"
        assert "ModuleNotFoundError" in cell(page, 5).locator(".pycell__error").inner_text()
        text = hint(page, 5)
        assert "page.chart" in text and "NumPy, mlp and page" in text, text
    for read in ("readline()", "read()"):
        assert run_alone(page, 5, f"import sys\nanswer = sys.stdin.{read}\n")["state"] == "error"
        error = cell(page, 5).locator(".pycell__error").inner_text()
        assert f"RuntimeError: sys.stdin.{read} cannot read from the keyboard in these cells" in error, error
        assert "Errno" not in error
    assert run_alone(page, 5, "input('your answer? ')\n")["state"] == "error"
    assert "RuntimeError: input() cannot read from the keyboard in these cells" in output(page, 5)
    # The page guard fails the test on any console error ("prompt is not defined" included).


ONE_THREAD = ("Hint: Python here runs in one browser thread, so threads and processes are not available: "
              "do the work in a plain loop, or with NumPy operations on whole arrays (vectorisation).")


def test_threads_and_processes_say_python_runs_in_one_browser_thread(page):
    open_cells(page)
    wait_ready(page)
    attempts = {
        "import multiprocessing as mp\nmp.Pool(2)\n": "ModuleNotFoundError: No module named '_multiprocessing'",
        "import multiprocessing as mp\nmp.Process(target=print).start()\n": "OSError",
        "import threading\nthreading.Thread(target=print, args=(1,)).start()\n": "RuntimeError: can't start new thread",
        "from concurrent.futures import ThreadPoolExecutor\nwith ThreadPoolExecutor(2) as pool:\n"
        "    print(list(pool.map(abs, [-1, 2])))\n": "RuntimeError: can't start new thread",
        "import subprocess\nsubprocess.run(['ls'])\n": "OSError",
    }
    for code, error in attempts.items():
        assert run_alone(page, 5, code)["state"] == "error", code
        assert error in cell(page, 5).locator(".pycell__error").inner_text(), code
        assert hint(page, 5) == ONE_THREAD, code
    # A module of the standard library that Pyodide leaves out is not "another package".
    assert run_alone(page, 5, "import tkinter\n")["state"] == "error"
    text = hint(page, 5)
    assert text.startswith("Hint: tkinter is part of Python's standard library, but not of the browser's Python"), text
    assert "no other package" not in text


WRITE_FILES = """import os
import numpy as np
os.makedirs('out', exist_ok=True)
with open('notes.txt', 'w') as f:
    f.write('written before the Stop')
with open('out/log.txt', 'w') as f:
    f.write('epoch 1')
with open('old.txt', 'w') as f:
    f.write('removed before the Stop')
with open('/tmp/scratch.txt', 'w') as f:
    f.write('outside the working directory')
np.zeros(11_000_000 // 8).tofile('big.bin')
"""

LIST_FILES = """import os
print(sorted(os.listdir('.')), sorted(os.listdir('out')))
print(open('notes.txt').read(), '|', open('out/log.txt').read())
print(os.path.exists('/tmp/scratch.txt'), 'x' in globals())
"""


def test_a_stop_that_restarts_python_keeps_the_files_the_cells_wrote(page):
    open_cells(page)
    wait_ready(page)
    assert not page.evaluate("window.__cells.runtime.canInterrupt")  # Stop replaces the worker here
    assert run_alone(page, 4, WRITE_FILES)["state"] == "done"
    assert run_alone(page, 4, "import os\nos.remove('old.txt')\nx = 1\n")["state"] == "done"
    set_code(page, 5, "open('notes.txt', 'w').write('lost')\nprint('looping', flush=True)\nwhile True:\n    pass\n")
    run_cell(page, 5, "running")
    wait_output(page, 5, "looping")
    cell(page, 5).get_by_role("button", name="Stop cell 6").click()
    wait_state(page, 5, "stopped", timeout=5_000)
    note = output(page, 5)
    assert "the variables of every cell are gone" in note, note
    assert ("The files in the working directory are back as the last cell to finish left them "
            "(notes.txt and out/log.txt); what this cell wrote is lost. Not kept: big.bin (11 MB): "
            "only files up to 10 MB, 20 MB in all, are kept.") in note, note
    assert run_alone(page, 4, LIST_FILES)["state"] == "done"
    assert output(page, 4).splitlines() == [
        "['notes.txt', 'out'] ['log.txt']", "written before the Stop | epoch 1", "False False"]


def test_a_cell_the_reader_stopped_is_skipped_by_run_the_cells_above(page):
    open_cells(page)
    wait_ready(page)
    set_code(page, 1, "print('looping', flush=True)\nwhile True:\n    pass\n")
    run_cell(page, 1, "running")
    wait_output(page, 1, "looping")
    cell(page, 1).get_by_role("button", name="Stop cell 2").click()
    wait_state(page, 1, "stopped", timeout=5_000)
    run_cell(page, 2, ["done", "error"], timeout=90_000)
    assert state(page, 2) == "done"  # cell 3 needs only cell 1, which ran again
    assert state(page, 1) == "stopped" and state(page, 0) == "done"
    text = output(page, 2)
    assert "Ran cell 1 above first" in text
    assert "Skipped cell 2 above: you stopped it, so it is not run again by itself" in text
    assert cell(page, 2).get_by_role("link", name="Go to cell 2").count() == 1
    # Run by the reader, the stopped cell runs (and can be stopped again).
    set_code(page, 1, "print('ran on request')\n")
    run_cell(page, 1)
    assert "ran on request" in output(page, 1)


def test_cells_show_their_numbers_and_reset_can_be_undone(page, site_dir):
    open_cells(page)
    for i in range(page.locator(".pycell").count()):
        number = cell(page, i).locator(".pycell__number")
        assert number.is_visible() and number.inner_text() == f"cell {i + 1}"  # as in File "<cell N>"
    original = original_code(site_dir, 2)
    set_code(page, 2, "print('my edit')")
    page.wait_for_function("Object.keys(localStorage).some(k => k.startsWith('cells:'))")
    cell(page, 2).get_by_role("button", name="Reset cell 3 to the page's code").click()
    assert page.evaluate("window.__cells.getCode(2)") == original
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('cells:'))") == []
    undo = cell(page, 2).get_by_role("button", name="Undo the reset of cell 3: bring your edit back")
    assert undo.is_visible() and undo.inner_text() == "Undo reset"
    undo.click()
    assert page.evaluate("window.__cells.getCode(2)") == "print('my edit')"
    assert cell(page, 2).locator(".pycell__edited").is_visible() and undo.count() == 0
    saved = page.evaluate("Object.entries(localStorage).filter(([k]) => k.startsWith('cells:'))")
    assert len(saved) == 1 and "my edit" in saved[0][1]


FILL_STORAGE = """() => {
  // Fills this origin's localStorage until the browser refuses more; -> the keys written.
  const keys = [];
  for (let size = 1 << 20; size >= 16; size >>= 1) {
    for (;;) {
      const key = `filler:${keys.length}`;
      try { localStorage.setItem(key, "x".repeat(size)); keys.push(key); } catch { break; }
    }
  }
  return keys;
}"""


def test_an_edit_the_full_storage_refused_stays_marked_unsaved_until_a_retry_saves_it(page):
    open_cells(page)
    wait_ready(page)
    fillers = page.evaluate(FILL_STORAGE)
    assert fillers
    badge = cell(page, 5).locator(".pycell__edited")
    set_code(page, 5, "print('an edit with nowhere to go, ' + 'and long enough not to fit')\n")
    page.wait_for_function("document.querySelector('.pycell[data-cell-index=\"5\"] .pycell__edited')"
                           ".textContent.includes('not saved')")
    assert badge.inner_text() == "edited, not saved: it will be lost on reload"
    assert "saved in this browser" not in (badge.get_attribute("title") or "")
    # A Run says Done, and the badge still says the edit is not saved.
    run_cell(page, 5)
    assert "Done" in cell(page, 5).locator(".pycell__status-text").inner_text()
    assert badge.inner_text() == "edited, not saved: it will be lost on reload"
    # Room again: the next Run saves it.
    page.evaluate("(keys) => keys.forEach((k) => localStorage.removeItem(k))", fillers)
    run_cell(page, 5)
    assert badge.inner_text() == "edited" and badge.get_attribute("title") == "Your edit is saved in this browser"
    saved = page.evaluate("Object.entries(localStorage).filter(([k]) => k.startsWith('cells:'))")
    assert len(saved) == 1 and "nowhere to go" in saved[0][1]
    page.reload(wait_until="load")
    page.wait_for_selector(".pycell .cm-editor")
    assert "nowhere to go" in page.evaluate("window.__cells.getCode(5)")


# What Chromium does where the reader blocks the site's data (a setting, some private modes):
# reading either storage throws.
BLOCK_STORAGE = """for (const name of ["localStorage", "sessionStorage"]) {
  Object.defineProperty(window, name, { configurable: true, get() {
    throw new DOMException(`Failed to read the '${name}' property from 'Window': Access is denied for this document.`,
      "SecurityError");
  } });
}"""


def test_with_storage_blocked_nothing_throws_and_the_cells_say_edits_are_not_saved(new_page):
    page = new_page()
    page.add_init_script(BLOCK_STORAGE)
    open_cells(page)
    assert page.evaluate("() => { try { return localStorage && 'readable'; } catch (e) { return e.name; } }") == "SecurityError"
    wait_ready(page)
    set_code(page, 5, "print('an edit with nowhere to go')\n")
    badge = cell(page, 5).locator(".pycell__edited")
    page.wait_for_function("document.querySelector('.pycell[data-cell-index=\"5\"] .pycell__edited')"
                           ".textContent.includes('not saved')")
    assert badge.inner_text() == "edited, not saved: it will be lost on reload"
    run_cell(page, 5)
    assert "an edit with nowhere to go" in output(page, 5)
    # The palette toggle still works (only for this page view), and so does the next page.
    page.locator("label[title='Switch to dark mode']").click()
    page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
    page.goto("exercises/", wait_until="load")
    page.wait_for_selector(".exercise-progress")
    assert page.guard.page_errors == [] and page.guard.console_errors == []


def test_long_output_is_trimmed_at_a_line_boundary(page):
    open_cells(page)
    wait_ready(page)
    assert run_alone(page, 5, "for i in range(100_000):\n    print(i / 3)\n")["state"] == "done"
    text = cell(page, 5).locator(".pycell__text").inner_text()
    head, _, rest = text.partition("\n")
    assert head == "[earlier output dropped]"
    lines = rest.rstrip("\n").split("\n")
    first = round(float(lines[0]) * 3)
    # Whole lines from the first one on (a cut inside "33333.666666666664" would not print back as itself).
    assert lines == [str((first + i) / 3) for i in range(len(lines))]
    assert first + len(lines) == 100_000
