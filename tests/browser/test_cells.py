"""Python cells in a real browser, on the built site's playground page (docs/playground.md).

Each test opens its own tab, so Python starts cold in each: the figures printed with -s
(time to ready, time from Run to first output) are cold-start figures.
"""

from __future__ import annotations

import json
import re
import time

import pytest
from waits import settle

PLAYGROUND = "playground/"
READY_TIMEOUT_MS = 90_000
RUN_TIMEOUT_MS = 60_000


def open_cells(page, path=PLAYGROUND):
    page.goto(path, wait_until="load")
    page.wait_for_selector(".pycell .cm-editor", timeout=20_000)
    page.wait_for_function("window.__cells && window.__cells.list().length > 0")


def wait_ready(page):
    page.evaluate("window.__cells.ready()")
    page.wait_for_function("window.__cells.runtime.status === 'ready'", timeout=READY_TIMEOUT_MS)


def cell(page, index):
    return page.locator(f'.pycell[data-cell-index="{index}"]')


def state(page, index):
    return cell(page, index).get_attribute("data-cell-state")


def wait_state(page, index, states, timeout=RUN_TIMEOUT_MS):
    states = [states] if isinstance(states, str) else states
    page.wait_for_function(
        "([i, states]) => states.includes(document.querySelector(`.pycell[data-cell-index=\"${i}\"]`)"
        "?.dataset.cellState)", arg=[index, states], timeout=timeout)


def run_cell(page, index, states="done", timeout=RUN_TIMEOUT_MS):
    """Press the Run button of cell `index` and wait for one of `states`."""
    cell(page, index).get_by_role("button", name=f"Run cell {index + 1}").click()
    wait_state(page, index, states, timeout=timeout)


RUN_THROUGH = """async (needle) => {
  const i = window.__cells.list().findIndex((c) => window.__cells.getCode(c.index).includes(needle));
  if (i < 0) return { index: i };
  const r = await window.__cells.run(i);
  return { index: i, ok: r.ok, state: r.state, error: r.error, blockedBy: r.blockedBy, figureErrors: r.figureErrors };
}"""


def run_through(page, needle):
    """Run the first cell of the page whose code holds `needle`, the cells above it first (not
    the rest of the page), and check that it ended "done"; its index."""
    page.wait_for_function("window.__cells && window.__cells.list().length > 0")
    page.evaluate("window.__cells.ready()")
    result = page.evaluate(RUN_THROUGH, needle)
    assert result["index"] >= 0, f"no cell of {page.url} holds {needle!r}"
    assert result["ok"] and result["state"] == "done", result
    return result["index"]


def output(page, index):
    return cell(page, index).locator(".pycell__output").inner_text()


def wait_output(page, index, text, timeout=RUN_TIMEOUT_MS):
    """Wait until the output of cell `index` holds `text`."""
    page.wait_for_function(
        "([i, text]) => document.querySelector(`.pycell[data-cell-index=\"${i}\"] .pycell__output`)"
        "?.textContent.includes(text)", arg=[index, text], timeout=timeout)


def set_code(page, index, code):
    page.evaluate("([i, code]) => window.__cells.setCode(i, code)", [index, code])


def original_code(site_dir, index):
    """The code of cell `index` as the page ships it (from the built HTML)."""
    html = (site_dir / PLAYGROUND / "index.html").read_text()
    blocks = re.findall(r'<div class="cell[^"]*highlight"[^>]*><pre><span></span><code>(.*?)</code></pre>', html, re.S)
    import html as html_lib

    return html_lib.unescape(re.sub(r"<[^>]+>", "", blocks[index])).rstrip("\n")


# ------------------------------------------------------------------------------------------


def test_cells_replace_marked_blocks_only(page, site_dir):
    open_cells(page)
    html = (site_dir / PLAYGROUND / "index.html").read_text()
    marked = len(re.findall(r'<div class="cell[ "][^>]*highlight', html))
    assert marked == 6
    assert page.locator(".pycell").count() == marked
    assert page.locator(".pycell .cm-editor").count() == marked
    # The expect-error marker reaches the cell.
    assert page.locator('.pycell[data-expect="error"]').count() == 1
    # Each control has an accessible name; the output is not a live region (every streamed line
    # would be read out): the cell's polite status says when a run ends and what it printed.
    first = cell(page, 0)
    for name in ("Run cell 1", "Stop cell 1", "Reset cell 1 to the page's code", "Copy the code of cell 1"):
        assert first.get_by_role("button", name=name).count() == 1, name
    assert first.locator(".pycell__output").get_attribute("aria-live") is None
    assert first.locator(".pycell__status [role=status]").count() == 1
    # One runtime status per page.
    assert page.locator(".pycell-runtime").count() == 1


def test_runtime_loads_in_background_and_reports_timings(page, server):
    server.clear()
    t0 = time.perf_counter()
    open_cells(page)
    wait_ready(page)  # nothing was clicked: loading started with the page
    wall = time.perf_counter() - t0
    timings = page.evaluate("window.__cells.runtime.timings")
    assert page.locator('.pycell-runtime[data-runtime-status="ready"]').count() == 1
    served = server.paths()
    site_wheels = [name for name in served if re.fullmatch(r"/assets/pyodide/mlpsite-[^/]+\.whl", name)]
    for name in ("/assets/pyodide/pyodide.asm.wasm", *site_wheels[:1]):
        assert served.count(name) == 1, f"{name} fetched {served.count(name)} times"
    assert len(site_wheels) == 1, f"the site's Python (mlpsite wheel) fetched as {site_wheels}"

    # Run to first output, on a warm runtime.
    t_click = page.evaluate("performance.now()")
    cell(page, 0).get_by_role("button", name="Run cell 1").click()
    page.wait_for_function("document.querySelector('.pycell[data-cell-index=\"0\"] .pycell__text')")
    first_output = page.evaluate("performance.now()") - t_click
    wait_state(page, 0, "done")
    # The MNIST subset, fetched once Python is ready (it is not needed to start), came once.
    assert server.paths().count("/assets/data/mnist-subset.npz") == 1
    print(f"\ncold start: ready {timings['ready'] / 1000:.2f} s after navigation "
          f"(worker: {json.dumps(timings['worker'])}; test wall {wall:.1f} s); "
          f"Run to first output {first_output:.0f} ms")
    assert "training pictures: (10000, 784)" in output(page, 0)


def test_traceback_without_pyodide_frames(page):
    open_cells(page)
    set_code(page, 0, "def inner(n):\n    return n / 0\n\ndef outer():\n    return inner(1)\n\nouter()\n")
    run_cell(page, 0, "error")
    text = cell(page, 0).locator(".pycell__error").inner_text()
    assert text.startswith("Traceback (most recent call last):")
    assert 'File "<cell 1>", line 7, in <module>' in text
    assert 'File "<cell 1>", line 2, in inner' in text and "return n / 0" in text
    assert text.rstrip().endswith("ZeroDivisionError: division by zero")
    for noise in ("_pyodide", "pyodide/", "<exec>", "cells_runner", "eval_code", "/lib/python3"):
        assert noise not in text, f"{noise!r} in the traceback:\n{text}"
    assert "ZeroDivisionError" in cell(page, 0).locator(".pycell__status").inner_text()

    # An error raised inside a library keeps the library's frames (they are the reader's business).
    set_code(page, 0, "import mlp\nmlp.data.load_subset('/data/no-such-file.npz')\n")
    run_cell(page, 0, "error")
    text = cell(page, 0).locator(".pycell__error").inner_text()
    assert 'File "<cell 1>", line 2' in text and "mlp/data.py" in text
    assert "_pyodide" not in text

    # A cell marked .expect-error runs the cells above first, then shows its error.
    cell(page, 0).get_by_role("button", name="Reset cell 1 to the page's code").click()
    run_cell(page, 4, "error")
    assert [state(page, i) for i in range(4)] == ["done"] * 4
    text = cell(page, 4).locator(".pycell__error").inner_text()
    assert 'File "<cell 5>", line 2' in text and "ValueError: matmul" in text
    assert "(expected)" in cell(page, 4).locator(".pycell__status").inner_text()


def test_exit_ends_the_cell_and_python_goes_on(page):
    open_cells(page)
    set_code(page, 0, "print('before')\nexit()\nprint('after')\n")
    run_cell(page, 0, "error")
    assert "before" in output(page, 0) and "after" not in output(page, 0)
    assert "SystemExit" in cell(page, 0).locator(".pycell__status").inner_text()
    set_code(page, 0, "import sys\nprint('stdin closed:', sys.stdin.closed)\nhelp(len)\n")
    run_cell(page, 0)
    assert "stdin closed: False" in output(page, 0) and "len(obj, /)" in output(page, 0)
    # A KeyboardInterrupt that the code raises itself is its error, not a Stop.
    set_code(page, 0, "raise KeyboardInterrupt('by the code')\n")
    run_cell(page, 0, "error")
    assert "KeyboardInterrupt: by the code" in cell(page, 0).locator(".pycell__error").inner_text()


def test_cells_above_run_first_and_the_cell_says_so(page):
    open_cells(page)
    run_cell(page, 2)
    assert state(page, 0) == "done" and state(page, 1) == "done"
    note = cell(page, 2).locator(".pycell__note").inner_text()
    assert "Ran cells 1 and 2 above first" in note
    # Running it again runs it alone.
    run_cell(page, 2)
    assert cell(page, 2).locator(".pycell__note").count() == 0

    # A failing cell above stops the chain, and the cell offers to run anyway.
    set_code(page, 1, "raise RuntimeError('broken on purpose')")
    run_cell(page, 1, "error")
    set_code(page, 3, "print('cell 4 ran')")
    cell(page, 3).get_by_role("button", name="Run cell 4").click()
    page.wait_for_function("document.querySelector('.pycell[data-cell-index=\"3\"] .pycell__note')")
    assert "cell 2 above raised RuntimeError" in output(page, 3)
    assert state(page, 3) == "idle"
    cell(page, 3).get_by_role("button", name="Run this cell anyway").click()
    wait_state(page, 3, "done")
    assert "cell 4 ran" in output(page, 3)


def start_endless_loop(page, index=5):
    """Opens the playground and leaves cell `index` running `while True: pass`."""
    open_cells(page)
    wait_ready(page)
    set_code(page, index, "print('looping', flush=True)\nwhile True:\n    pass\n")
    run_cell(page, index, "running")
    wait_output(page, index, "looping")


def test_stop_ends_an_endless_loop_and_the_next_run_works(page):
    start_endless_loop(page)
    # A wait for the state, not a time limit: a busy machine slows the restart, not its outcome.
    cell(page, 5).get_by_role("button", name="Stop cell 6").click()
    wait_state(page, 5, "stopped", timeout=10_000)
    text = output(page, 5)
    assert "Python was restarted" in text and "variables" in text
    # Cells that had run are marked as not run any more.
    assert state(page, 0) == "idle"

    set_code(page, 5, "print('alive', 6 * 7)")
    run_cell(page, 5, "done", timeout=READY_TIMEOUT_MS)
    assert "alive 42" in output(page, 5)


@pytest.mark.allow_console_errors  # checked below: only Pyodide's report of its fatal error
def test_a_crash_of_python_itself_is_reported_and_python_restarts(page, page_guard):
    open_cells(page)
    wait_ready(page)
    run_cell(page, 0)
    generation = page.evaluate("window.__cells.runtime.generation")
    # fatal_error is what Pyodide itself calls when its WebAssembly traps or a stack overflows
    # in C code; after it, the interpreter can run nothing more.
    set_code(page, 5, "import pyodide_js\npyodide_js._api.fatal_error('a crash made by the test')\n")
    run_cell(page, 5, "error")
    text = output(page, 5)
    assert "Python stopped working" in text and "a crash made by the test" in text, text
    assert "every variable is gone" in text, text
    page.wait_for_function("window.__cells.runtime.status === 'ready'", timeout=READY_TIMEOUT_MS)
    assert page.evaluate("window.__cells.runtime.generation") == generation + 1
    assert state(page, 0) == "idle"  # its variables went with the old Python

    set_code(page, 5, "print('alive', 6 * 7)")
    run_cell(page, 5)
    assert "alive 42" in output(page, 5)
    unexpected = [e for e in page_guard.console_errors + page_guard.page_errors if "fatal" not in e.lower()
                  and "a crash made by the test" not in e and "pyodide.asm.js" not in e]
    assert not unexpected, unexpected


def test_stop_on_a_waiting_cell_drops_only_that_cell(page):
    open_cells(page)
    wait_ready(page)
    run_cell(page, 0)
    generation = page.evaluate("window.__cells.runtime.generation")
    set_code(page, 5, "import time\nfor i in range(10):\n    print('tick', i, flush=True)\n    time.sleep(0.4)\n")
    run_cell(page, 5, "running")
    cell(page, 1).get_by_role("button", name="Run cell 2").click()
    assert state(page, 1) == "queued"
    cell(page, 1).get_by_role("button", name="Stop cell 2").click()
    wait_state(page, 1, "idle")
    assert state(page, 5) == "running"  # the cell that runs goes on
    wait_state(page, 5, "done")
    assert "tick 3" in output(page, 5)
    assert state(page, 1) == "idle" and state(page, 0) == "done"
    assert cell(page, 1).locator(".pycell__status-text").inner_text() == "Not run"
    assert page.evaluate("window.__cells.runtime.generation") == generation  # Python not restarted


# A loop that Stop interrupts, once `kept` is defined: the cell is "running" as soon as its
# code is sent to Python, so the test waits for the line the loop prints.
KEPT_LOOP = "kept = 'still here'\nprint('looping', flush=True)\nwhile True:\n    pass\n"


def start_kept_loop(page, index=5, code=KEPT_LOOP):
    set_code(page, index, code)
    run_cell(page, index, "running")
    wait_output(page, index, "looping")


def test_stop_with_interrupts_keeps_the_namespace(new_page, isolated_server):
    page = new_page(base=isolated_server.url)
    open_cells(page)
    assert page.evaluate("crossOriginIsolated") is True
    wait_ready(page)
    assert page.evaluate("window.__cells.runtime.canInterrupt") is True
    start_kept_loop(page)
    # The interrupt, not a restart (whose note says so, and whose worker is another): within
    # runtime.js's grace however busy the machine, so the test waits for the state.
    cell(page, 5).get_by_role("button", name="Stop cell 6").click()
    wait_state(page, 5, "stopped", timeout=20_000)
    assert "KeyboardInterrupt" in output(page, 5) and "kept" in output(page, 5)
    assert state(page, 0) == "done"
    set_code(page, 5, "print(kept, data.x_train.shape)")
    run_cell(page, 5)
    assert "still here (10000, 784)" in output(page, 5)
    assert page.evaluate("window.__cells.runtime.generation") == 0  # the worker was not replaced


# Stop the moment each run is sent, before Python reaches its code: the code's lengths vary
# where Python's next check for an interrupt falls.
STOP_AT_START = """async (n) => {
  const rt = window.__cells.runtime;
  const seen = [];
  for (let i = 0; i < n; i++) {
    let stop;
    const result = await rt.run("y = 2\\n".repeat(1 + i % 25), {
      scope: "stop-at-start", onStart: () => { stop = rt.stop({ scope: "stop-at-start" }); } });
    const stopped = await stop;
    seen.push(`${result.ok ? "ok" : result.error.type} ${stopped.namespaceReset ? "reset" : "kept"}`);
  }
  return seen;
}"""


def test_a_stop_as_a_run_starts_or_a_slow_unwind_keeps_python(new_page, isolated_server):
    """A Stop that reaches Python as a run starts, before the reader's code, is a stop like any
    other (not a crash of Python, which would restart it); and once Python has taken the
    interrupt, the code's `finally` blocks may run past the grace without a restart."""
    page = new_page(base=isolated_server.url)
    open_cells(page)
    wait_ready(page)
    seen = page.evaluate(STOP_AT_START, 25)
    assert set(seen) <= {"KeyboardInterrupt kept", "ok kept"}, seen
    assert page.evaluate("window.__cells.runtime.generation") == 0

    # The KeyboardInterrupt is taken at once; the result comes after a `finally` that takes
    # longer than Python is given to take it.
    slow = KEPT_LOOP.replace("while True:\n    pass\n", "try:\n    while True:\n        pass\nfinally:\n"
                             "    import time\n    t = time.perf_counter()\n"
                             "    while time.perf_counter() - t < 3.5:\n        pass\n")
    start_kept_loop(page, code=slow)
    cell(page, 5).get_by_role("button", name="Stop cell 6").click()
    wait_state(page, 5, "stopped", timeout=12_000)
    assert "Variables defined so far are kept" in output(page, 5)
    set_code(page, 5, "print(kept)")
    run_cell(page, 5)
    assert "still here" in output(page, 5)
    assert page.evaluate("window.__cells.runtime.generation") == 0


def test_edit_survives_reload_and_reset_restores(page, site_dir):
    open_cells(page)
    original = original_code(site_dir, 2)
    assert page.evaluate("window.__cells.getCode(2)") == original
    editor = cell(page, 2).locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.type("\nprint('my edit')")
    assert cell(page, 2).locator(".pycell__edited").is_visible()
    # Reload at once: the edit is saved on pagehide even before the debounce fires.
    page.reload(wait_until="load")
    page.wait_for_selector(".pycell .cm-editor")
    code = page.evaluate("window.__cells.getCode(2)")
    assert code.endswith("print('my edit')") and code.startswith(original.split("\n")[0])
    assert cell(page, 2).locator(".pycell__edited").is_visible()
    cell(page, 2).get_by_role("button", name="Reset cell 3 to the page's code").click()
    assert page.evaluate("window.__cells.getCode(2)") == original
    assert not cell(page, 2).locator(".pycell__edited").is_visible()
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('cells:'))") == []
    page.reload(wait_until="load")
    page.wait_for_selector(".pycell .cm-editor")
    assert page.evaluate("window.__cells.getCode(2)") == original


def test_reset_forgets_the_saved_edit_once(page):
    open_cells(page)
    set_code(page, 2, "print('an edit to forget')")
    page.wait_for_function("Object.keys(localStorage).some(k => k.startsWith('cells:'))")
    # Count what Reset does to the storage, the debounced save of its own change included.
    page.evaluate("""() => {
      window.__removed = [];
      const remove = Storage.prototype.removeItem;
      Storage.prototype.removeItem = function (key) { window.__removed.push(key); return remove.call(this, key); };
    }""")
    cell(page, 2).get_by_role("button", name="Reset cell 3 to the page's code").click()
    page.wait_for_timeout(1000)   # past the save delay (400 ms): a second removal would be made by now
    removed = page.evaluate("window.__removed")
    assert len(removed) == 1 and removed[0].startswith("cells:v1:") and removed[0].endswith("#2"), removed
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('cells:'))") == []


def test_the_test_hook_stop_stops_the_running_cell(page):
    start_endless_loop(page)
    page.evaluate("window.__cells.stop()")  # no cell given: whatever runs on the page
    wait_state(page, 5, "stopped", timeout=10_000)
    assert "Stopped after" in output(page, 5)
    assert page.evaluate("window.__cells.stop()") is None  # nothing running: nothing to do, no error


def test_ctrl_enter_and_shift_enter_run_a_cell(page):
    open_cells(page)
    cell(page, 0).locator(".cm-content").click()
    page.keyboard.press("Control+Enter")
    wait_state(page, 0, "done")
    assert "training pictures" in output(page, 0)
    # The key ran the cell and typed nothing.
    assert "\n\n\n" not in page.evaluate("window.__cells.getCode(0)")
    set_code(page, 5, "print('shift enter')")
    cell(page, 5).locator(".cm-content").click()
    page.keyboard.press("Shift+Enter")
    wait_state(page, 5, "done")
    assert "shift enter" in output(page, 5)
    assert page.evaluate("window.__cells.getCode(5)") == "print('shift enter')"


def test_editor_indents_python_and_copy_copies(new_page):
    page = new_page(permissions=["clipboard-read", "clipboard-write"])
    open_cells(page)
    set_code(page, 5, "")
    cell(page, 5).locator(".cm-content").click()
    page.keyboard.type("for i in range(3):")
    page.keyboard.press("Enter")
    page.keyboard.type("if i:")
    page.keyboard.press("Enter")
    page.keyboard.type("print(i)")
    assert page.evaluate("window.__cells.getCode(5)") == "for i in range(3):\n    if i:\n        print(i)"
    cell(page, 5).get_by_role("button", name="Copy the code of cell 6").click()
    page.wait_for_function("document.querySelector('.pycell[data-cell-index=\"5\"] .pycell__btn--copy').textContent === 'Copied'")
    assert page.evaluate("navigator.clipboard.readText()") == page.evaluate("window.__cells.getCode(5)")
    # The editor uses Material's code colours.
    keyword = page.evaluate("""() => {
      const span = [...document.querySelectorAll('.pycell[data-cell-index="5"] .cm-line span')]
        .find(s => s.textContent === 'for');
      return [getComputedStyle(span).color,
              getComputedStyle(document.body).getPropertyValue('--md-code-hl-keyword-color').trim()];
    }""")
    probe = page.evaluate("(c) => { const d = document.createElement('div'); d.style.color = c; document.body.append(d);"
                          " const v = getComputedStyle(d).color; d.remove(); return v; }", keyword[1])
    assert keyword[0] == probe


def test_keyboard_only_reaches_the_controls(page):
    open_cells(page)
    cell(page, 0).locator(".cm-content").click()
    # Escape, then Tab, leaves the editor for the Run button.
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert focused == "Run cell 1"
    page.keyboard.press("Enter")
    wait_state(page, 0, "done")
    # Focus stays on the Run button, which has a visible focus ring.
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Run cell 1"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_instant_navigation_keeps_cells_working(page, server, site_dir):
    # Material navigates instantly only to pages listed in sitemap.xml, whose addresses come
    # from site_url: the site must be served where it was built for (tests/browser/conftest.py).
    assert server.matches_site_url, "the site is not served at its site_url: see the warning above"
    open_cells(page)
    wait_ready(page)
    run_cell(page, 0)
    page.evaluate("window.__notReloaded = true")
    server.clear()

    # A link inside the content: Material swaps the page without reloading it.
    page.locator("article a[href$='data/']").first.click()
    page.wait_for_url(re.compile(r"/data/$"))  # at once: Material pushes the address first
    # Then the new page's content comes in and its cells are set up.
    expected = len(re.findall(r'<div class="cell[^"]*highlight"', (site_dir / "data" / "index.html").read_text()))
    page.wait_for_function("n => window.__cells.list().length === n && document.querySelectorAll('.pycell').length === n"
                           " && document.querySelector('.pycell .cm-editor')", arg=expected)
    assert page.evaluate("window.__notReloaded") is True
    n = page.evaluate("window.__cells.list().length")
    assert page.locator(".pycell").count() == n and n > 0
    assert page.locator(".pycell-runtime").count() == 1
    assert page.evaluate("window.__cells.runtime.status") == "ready"  # no second start

    page.go_back()
    page.wait_for_url(re.compile(r"/playground/$"))
    page.wait_for_function("document.querySelectorAll('.pycell .cm-editor').length === 6")
    assert page.evaluate("window.__notReloaded") is True
    # A fresh namespace for the new visit: running cell 2 runs cell 1 first.
    run_cell(page, 1)
    assert state(page, 0) == "done"
    assert page.locator('.pycell[data-cell-index="1"] canvas').count() == 12
    assert not any("pyodide.asm.wasm" in p for p in server.paths()), "Python was loaded again"


def test_a_link_within_the_page_keeps_its_cells_running_and_their_output(page):
    """Material renders the page again for the first link within it after a full load; the
    cells, their output and the running one carry on."""
    open_cells(page)
    wait_ready(page)
    run_cell(page, 0)
    first_output = output(page, 0)
    generation = page.evaluate("window.__cells.runtime.generation")
    set_code(page, 5, "import time\nfor i in range(3):\n    print('tick', i, flush=True)\n    time.sleep(0.5)\n")
    run_cell(page, 5, "running")
    page.locator(".md-sidebar--secondary a[href$='#charts']").first.click()
    page.wait_for_function("location.hash === '#charts'")
    wait_state(page, 5, "done")  # a second or more: time for Material's rendering, if it happens
    assert "tick 2" in output(page, 5)
    assert state(page, 0) == "done" and output(page, 0) == first_output
    assert page.evaluate("window.__cells.runtime.generation") == generation  # Python kept
    assert page.locator(".pycell").count() == 6 and page.locator(".pycell-runtime").count() == 1
    run_cell(page, 2)  # the namespace is there


def test_stdout_streams_while_the_cell_runs(page):
    open_cells(page)
    wait_ready(page)
    set_code(page, 5, "import time\nfor i in range(8):\n    print('step', i)\n    time.sleep(0.25)\nprint('finished')\n")
    cell(page, 5).get_by_role("button", name="Run cell 6").click()
    page.wait_for_function(
        "() => { const c = document.querySelector('.pycell[data-cell-index=\"5\"]');"
        " const t = c.querySelector('.pycell__text'); return t && t.textContent.includes('step 2'); }",
        timeout=RUN_TIMEOUT_MS)
    assert state(page, 5) == "running"
    partial = output(page, 5)
    assert "step 0" in partial and "finished" not in partial
    status = cell(page, 5).locator(".pycell__status").inner_text()
    assert re.search(r"Running… \d+\.\d s", status), status
    wait_state(page, 5, "done")
    assert output(page, 5).rstrip().endswith("finished")


def test_output_is_batched_not_one_dom_write_per_print(page):
    open_cells(page)
    wait_ready(page)
    page.evaluate("""() => {
      window.__writes = 0;
      const target = document.querySelector('.pycell[data-cell-index="5"] .pycell__output');
      new MutationObserver((records) => { window.__writes += records.length; })
        .observe(target, { childList: true, subtree: true, characterData: true });
    }""")
    set_code(page, 5, "for i in range(5000):\n    print(i)\n")
    run_cell(page, 5)
    text = cell(page, 5).locator(".pycell__text").inner_text()
    assert text.startswith("0\n1\n") and text.rstrip().endswith("4999")
    assert page.evaluate("window.__writes") < 200


def test_carriage_return_and_very_long_output(page):
    open_cells(page)
    wait_ready(page)
    set_code(page, 5, "import sys\nfor i in range(5):\n    print(f'progress {i}', end='\\r', flush=True)\n"
                      "print('progress done')\nprint('x' * 250_000)\nprint('last line')\n")
    run_cell(page, 5)
    text = cell(page, 5).locator(".pycell__text").inner_text()
    assert "progress 4" not in text
    # The long line is cut inside, so the lines around it stay.
    assert text.startswith("progress done\n" + "x" * 1_000 + "[… 248,000 characters cut …]" + "x" * 1_000 + "\n")
    assert text.rstrip().endswith("last line")
    # 200,000 short lines: the earliest are dropped, whole, and the last one shows.
    set_code(page, 5, "for i in range(200_000):\n    print(i)\n")
    run_cell(page, 5)
    text = cell(page, 5).locator(".pycell__text").inner_text()
    assert text.startswith("[earlier output dropped]\n") and text.rstrip().endswith("\n199999")
    first = int(text.split("\n")[1])
    assert text.rstrip().split("\n")[1:] == [str(i) for i in range(first, 200_000)]
    set_code(page, 5, "for i in range(5):\n    print(f'progress {i}', end='\\r')\nprint('progress done')\n")
    run_cell(page, 5)
    assert cell(page, 5).locator(".pycell__text").inner_text().strip() == "progress done"


def test_one_very_long_line_keeps_its_head_and_its_end(page):
    open_cells(page)
    wait_ready(page)
    set_code(page, 5, "print('A' * 300_000 + 'END')\n")
    run_cell(page, 5)
    box = cell(page, 5).locator(".pycell__text")
    text = box.inner_text()
    assert text == "A" * 1_000 + "[… 298,003 characters cut …]" + "A" * 997 + "END\n"
    assert box.locator(".pycell__dropped").all_inner_texts() == ["[… 298,003 characters cut …]"]
    # The end of the line is in view (the output box scrolled to its bottom).
    assert box.evaluate("pre => pre.scrollHeight - pre.scrollTop - pre.clientHeight") < 8
    said = cell(page, 5).locator(".pycell__sr").inner_text()
    assert said.startswith("Cell 6 finished in ") and said.endswith(
        "1 line of output; the last line: " + "A" * 60 + "…" + "A" * 56 + "END"), said
    # A line of 100,000 characters is shown whole.
    set_code(page, 5, "print('B' * 99_997 + 'END')\n")
    run_cell(page, 5)
    assert cell(page, 5).locator(".pycell__text").inner_text() == "B" * 99_997 + "END\n"


def test_figures_render(page):
    open_cells(page)
    wait_ready(page)
    run_cell(page, 3)
    # Cells 1-3 ran first: twelve digits with labels, one chart.
    digits = cell(page, 1).locator("canvas.pycell-digits__image")
    assert digits.count() == 12
    labels = cell(page, 1).locator(".pycell-digits__label").all_inner_texts()
    assert len(labels) == 12 and all(label.isdigit() for label in labels)
    # The canvases hold the pictures (not blank).
    lit = page.evaluate("""() => [...document.querySelectorAll('.pycell[data-cell-index="1"] canvas')].map(c => {
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i] > 128) n++; return n; })""")
    assert all(n > 40 for n in lit), lit
    page.wait_for_selector('.pycell[data-cell-index="2"] .uplot canvas')
    assert cell(page, 2).locator(".pycell-fig--chart").count() == 1
    legend = cell(page, 2).locator(".u-legend").inner_text()
    assert "sigmoid" in legend and "tanh" in legend
    # Bars (one highlighted) and a heatmap from cell 4.
    assert cell(page, 3).locator(".pycell-bars__row").count() == 10
    assert cell(page, 3).locator(".pycell-bars__row--highlight").count() == 1
    assert cell(page, 3).locator(".pycell-heatmap td:not(.pycell-heatmap__corner)").count() == 100


def test_bad_figure_arguments_say_what_is_wrong(page):
    open_cells(page)
    set_code(page, 5, "import page, numpy as np\npage.digits(np.full((2, 784), 300))\n")
    run_cell(page, 5, "error")
    assert "integer images must hold values 0..255; got 300..300" in output(page, 5)
    set_code(page, 5, "import page\npage.chart([1, 2, 3], {'loss': [1.0, 2.0]})\n")
    run_cell(page, 5, "error")
    assert "series 'loss' has 2 values but x has 3" in output(page, 5)


def test_training_callback_draws_live_charts(page):
    open_cells(page)
    wait_ready(page)
    set_code(page, 5, """\
x = data.x_train[:3000].astype("float32") / 255
y = data.y_train[:3000]
xt = data.x_test[:500].astype("float32") / 255
yt = data.y_test[:500]
net = mlp.Network([784, 32, 10], activation="relu", seed=0)
trainer = mlp.Trainer(net, "sgd", x, y, xt, yt, batch_size=32, epochs=3, seed=0,
                      callbacks=[page.ProgressCallback(interval=0.1, title="Test run")])
trainer.fit()
print("final test accuracy", round(trainer.history[-1]["test_acc"], 3))
""")
    cell(page, 5).get_by_role("button", name="Run cell 6").click()
    # While training: a progress line and the loss chart.
    page.wait_for_function(
        "() => { const c = document.querySelector('.pycell[data-cell-index=\"5\"]');"
        " return c.dataset.cellState === 'running' && c.querySelector('.pycell-progress') &&"
        " c.querySelector('.pycell-fig--chart .uplot'); }", timeout=RUN_TIMEOUT_MS)
    assert "epoch" in cell(page, 5).locator(".pycell-progress").inner_text()
    wait_state(page, 5, "done")
    charts = cell(page, 5).locator(".pycell-fig--chart")
    assert charts.count() == 2  # loss, accuracy: updated in place, not repeated
    titles = cell(page, 5).locator(".pycell-fig__title").all_inner_texts()
    assert titles == ["Test run: loss", "Test run: accuracy"]
    assert "Finished 3 epochs" in cell(page, 5).locator(".pycell-progress").inner_text()
    text = output(page, 5)
    assert text.count("epoch ") >= 3 and "final test accuracy" in text


def test_load_data_on_request(page):
    open_cells(page)
    wait_ready(page)
    path = page.evaluate("window.__cells.runtime.loadData('mnist-full.npz')")
    assert path == "/data/mnist-full.npz"
    set_code(page, 5, "import numpy as np\nwith np.load('/data/mnist-full.npz') as z:\n    print(z['x_train'].shape)")
    run_cell(page, 5)
    assert "(60000, 784)" in output(page, 5)
    message = page.evaluate("window.__cells.runtime.loadData('../secret').catch(e => e.message)")
    assert '"../secret" is not a data file name' in message


@pytest.mark.allow_failed_requests
@pytest.mark.allow_console_errors
def test_a_failed_load_shows_the_reason_and_retry_works(page):
    # The worker's requests go through the context's routes.
    wasm = "**/assets/pyodide/pyodide.asm.wasm"
    page.context.route(wasm, lambda route: route.fulfill(status=503, body="unavailable"))
    open_cells(page)
    page.wait_for_function("window.__cells.runtime.status === 'failed'", timeout=READY_TIMEOUT_MS)
    status = page.locator(".pycell-runtime")
    assert "Python could not be loaded" in status.inner_text()
    run_cell(page, 0, "error")
    assert "Python could not start" in output(page, 0)

    page.context.unroute(wasm)
    status.get_by_role("button", name="Retry loading Python").click()
    wait_ready(page)
    run_cell(page, 0)


def test_palette_switch_restyles_editor_and_charts(page):
    open_cells(page)
    wait_ready(page)
    run_cell(page, 2)
    page.wait_for_selector('.pycell[data-cell-index="2"] .uplot canvas')
    bg = "getComputedStyle(document.querySelector('.pycell .cm-editor')).backgroundColor"
    light = page.evaluate(bg)
    page.locator("label[title='Switch to dark mode']").click()   # Material's palette toggle
    page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
    settle(page)
    assert page.evaluate(bg) != light
    assert page.evaluate("document.querySelector('.pycell .cm-editor').classList.contains('cm-editor')")
    assert cell(page, 2).locator(".uplot").count() == 1  # redrawn, not duplicated


SIZES = {"wide": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots_before_and_after_running(new_page, screenshot_dir, full_page_screenshot, scheme):
    """The playground in each palette (as the reader's system sets it), wide and phone-sized,
    before and after its cells run; nothing is wider than the screen."""
    page = new_page(viewport=SIZES["wide"], color_scheme=scheme)
    open_cells(page)
    out = screenshot_dir / "cells"
    out.mkdir(exist_ok=True)

    def shoot(when):
        for size in SIZES:
            page.set_viewport_size(SIZES[size])
            settle(page)  # charts follow their box's new width
            full_page_screenshot(page, out / f"playground-{when}-{scheme}-{size}.jpg")
            # Code and tables scroll inside their boxes.
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{when}, {size}: the page is {overflow} px wider than the screen"

    shoot("before")
    wait_ready(page)
    results = page.evaluate("window.__cells.runAll()")
    assert [r["state"] for r in results] == ["done", "done", "done", "done", "error", "done"]
    page.wait_for_selector(".uplot canvas")
    settle(page)
    shoot("after")
