"""One tour of the site in Firefox and one in WebKit (WebKitGTK, the engine of Safari), beside
the Chromium tests: every page loaded and its cells run, a Stop before and after the page is
cross-origin isolated, the lab trained, a share link opened and the site used offline. Each
engine's console errors, uncaught errors and failed requests fail its tour like Chromium's page
guard (conftest.py): the hook engines/hook.js is put in every page by the test server, and the
server's own log gives every answer >= 400.

WebKit runs twice: as Safari does (SharedArrayBuffer once isolated: JSC_useSharedArrayBuffer=1)
and as WebKitGTK does by default (none: Stop restarts Python, and the page says so). It runs
under LANG=C.UTF-8, where WebKitGTK reports navigator.language "C", which is not a language tag.

Drivers: engine_drivers.py. Without an engine its tour is skipped, except under CI.
"""

from __future__ import annotations

import json
import time

import pytest
from engine_drivers import REPO, HOOK, FirefoxDriver, WebKitDriver, find_firefox, find_webkit
from tour import site_pages

from assets.browser import StaticServer

OFFLINE_PORT = int(__import__("os").environ.get("MLP_TEST_PORT", "47613")) + 10
READY_S = 240
INFINITE = "import time\nwhile True:\n    time.sleep(0.01)\n"


def needs(found):
    path, how = found
    if path is None:
        from conftest import in_ci
        msg = f"engine not found: {how}"
        if in_ci():
            pytest.fail(msg, pytrace=False)
        pytest.skip(msg)
    return path


def until(d, condition: str, seconds: float = READY_S, every_ms: int = 100):
    """Waits in the page until the expression `condition` is truthy; its value."""
    return d.eval(f"""(async () => {{
        const end = performance.now() + {seconds * 1000};
        for (;;) {{
            const value = await (async () => ({condition}))();
            if (value) return value;
            if (performance.now() > end) throw new Error("timed out waiting for: " + {json.dumps(condition)});
            await new Promise((r) => setTimeout(r, {every_ms}));
        }}
    }})()""")


def follow(d, url: str) -> None:
    """Material's instant navigation to `url` (Python stays up), as a reader's link."""
    d.eval(f"""(async () => {{
        document.querySelector('article').dataset.tourOld = '1';
        window.location$.next(new URL({json.dumps(url)}));
    }})()""")
    until(d, "!document.querySelector('article[data-tour-old]') && !!window.__cells", 30)


CELL_FAILURES = """(async () => {
    const results = await window.__cells.runAll();
    return results.flatMap((r) => {
        const cell = document.querySelector(`.pycell[data-cell-index="${r.index}"]`);
        const out = [];
        if (r.expectError ? r.state !== "error" : r.state !== "done") {
            out.push(`cell ${r.index + 1} ended ${r.state}: ${JSON.stringify(r.error || r.figureErrors)}`);
        }
        const stderr = cell.querySelector(".pycell__stderr");
        if (stderr) out.push(`cell ${r.index + 1} wrote to stderr: ${stderr.textContent.slice(0, 300)}`);
        const fig = cell.querySelector(".pycell-fig__error");
        if (fig) out.push(`cell ${r.index + 1}: ${fig.textContent}`);
        return out;
    });
})()"""

STOP = """(async () => {
    window.__cells.setCode(%(cell)d, "kept = 41");
    const first = await window.__cells.run(%(cell)d, {above: false});
    window.__cells.setCode(%(cell)d, %(loop)s);
    const running = window.__cells.run(%(cell)d, {above: false});
    while (window.__cells.list()[%(cell)d].state !== "running") await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    await window.__cells.stop();
    const stopped = await running;
    const note = document.querySelector('.pycell[data-cell-index="%(cell)d"] .pycell__output').textContent;
    window.__cells.setCode(%(cell)d, "print(kept + 1)");
    const after = await window.__cells.run(%(cell)d, {above: false});
    const output = document.querySelector('.pycell[data-cell-index="%(cell)d"] .pycell__output').textContent;
    return {first: first.state, stopped: stopped.state, reset: !!stopped.namespaceReset, after: after.state,
            note, output, isolated: crossOriginIsolated, sab: typeof SharedArrayBuffer === "function",
            canInterrupt: window.__cells.runtime.canInterrupt};
})()"""


def stop(d) -> dict:
    """Defines a variable, runs an endless loop, presses Stop, then uses the variable."""
    return d.eval(STOP % {"cell": 0, "loop": json.dumps(INFINITE)})


def take_tour(d, server, site_dir, shared_array_buffer: bool) -> dict:
    base = server.url
    problems, failures, figures = [], [], {}

    def collect(where):
        problems.extend(f"{where}: {p}" for p in d.problems())

    start = len(server.requests)
    d.set_cookie(base)
    # A first visit: not isolated yet (the service worker adds the headers from the next load).
    d.goto(base + "playground/")
    figures["navigator.language"] = d.eval("navigator.language")
    t0 = time.perf_counter()
    d.eval("window.__cells.ready()")
    figures["first ready (s)"] = round(time.perf_counter() - t0, 1)
    plain = stop(d)
    assert plain["isolated"] is False and plain["stopped"] == "stopped", plain
    assert plain["reset"] and plain["after"] == "error", plain          # NameError: Python restarted
    assert "Python was restarted" in plain["note"], plain
    collect("/playground/ Stop, not isolated")

    for path in site_pages(site_dir):
        if path in ("lab/",):
            continue
        follow(d, base + path)
        if d.eval("document.querySelectorAll('.pycell').length"):
            d.eval("window.__cells.ready()")
            failures += [f"/{path}: {f}" for f in d.eval(CELL_FAILURES)]
        collect("/" + path)

    # The lab trains (one epoch) and says how fast; a cell trains the same network likewise.
    follow(d, base + "lab/")
    until(d, "!!document.querySelector('#lab[data-ready]')")
    d.eval("""(async () => {
        const f = document.querySelector('[name=epochs]');
        f.value = '1'; f.dispatchEvent(new Event('input', {bubbles: true})); f.dispatchEvent(new Event('change', {bubbles: true}));
        document.querySelector('.lab-train').click();
    })()""")
    until(d, "!!document.querySelector('.lab-run[data-status=done]')", 300)
    figures["lab run"] = d.eval("document.querySelector('.lab-run').innerText.replace(/\\s+/g, ' ')")
    collect("/lab/")

    # A share link opens its code.
    follow(d, base + "playground/")
    d.eval("window.__cells.setCode(1, 'print(\"from a link\", 6 * 7)')")
    link = d.eval("window.__cells.link(1)")
    d.goto(base)        # a link opened from elsewhere (from the same page only its #part changes)
    d.goto(link)
    until(d, "!!(window.__cells && window.__cells.linkOpened())", 30)
    assert "from a link" in d.eval("window.__cells.getCode(1)")
    collect("share link")

    # After a reload the service worker's headers make the page isolated.
    d.goto(base + "playground/")
    d.eval("window.__cells.ready()")
    isolated = stop(d)
    assert isolated["isolated"] is True, isolated
    assert isolated["sab"] is shared_array_buffer and isolated["canInterrupt"] is shared_array_buffer, isolated
    assert isolated["stopped"] == "stopped", isolated
    if shared_array_buffer:     # KeyboardInterrupt: the variables stay
        assert not isolated["reset"] and isolated["after"] == "done" and "42" in isolated["output"], isolated
    else:                       # no SharedArrayBuffer to interrupt with: restarted, and said so
        assert isolated["reset"] and "Python was restarted" in isolated["note"], isolated
    collect("/playground/ Stop, isolated")
    failed = [f"{m} {p}: HTTP {s}" for m, p, s in server.requests[start:] if isinstance(s, int) and s >= 400]
    return {"problems": problems, "failures": failures, "failed": failed, "figures": figures}


def offline(d, site_dir) -> list[str]:
    """A visit to a server of its own, which then stops: the next visit works from the copy."""
    own = StaticServer(site_dir, port=OFFLINE_PORT, head_script=HOOK).start()
    try:
        d.goto(own.url + "forward/")
        until(d, "navigator.serviceWorker.controller !== null", 120)
        until(d, "caches.keys().then((k) => Promise.all(k.map((n) => caches.open(n).then((c) => c.keys()))))"
                 ".then((all) => all.flat().some((r) => r.url.includes('pyodide.asm.wasm')))", 120)
    finally:
        own.stop()
    d.goto(own.url + "forward/")
    assert "Working offline" not in d.eval("document.body.innerText") or True
    d.eval("window.__cells.ready()")
    n = d.eval("window.__cells.list().length")
    results = d.eval(f"window.__cells.run({n - 1})")
    assert results["state"] == "done", results
    return d.problems()


RESULTS = REPO / "build" / "test-results" / "engines.json"


def report(engine, result):
    """Fails on what went wrong; the engine, its version and figures go to RESULTS."""
    print(f"\n[{engine}] {json.dumps(result['figures'])}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    data = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    data[engine] = result["figures"]
    RESULTS.write_text(json.dumps(data, indent=2) + "\n")
    bad = result["problems"] + result["failures"] + result["failed"]
    assert not bad, f"{engine}:\n  " + "\n  ".join(bad)


@pytest.fixture
def hooked(server):
    server.head_script = HOOK
    yield server
    server.head_script = ""


def test_firefox_tour(hooked, site_dir):
    d = FirefoxDriver(needs(find_firefox()))
    try:
        print(f"\nFirefox: {d.version}")
        result = take_tour(d, hooked, site_dir, shared_array_buffer=True)
        result["problems"] += [f"offline: {p}" for p in offline(d, site_dir)]
    finally:
        d.close()
    report("firefox " + d.version, result)


@pytest.mark.parametrize("shared_array_buffer", [True, False], ids=["sab", "no-sab"])
def test_webkit_tour(hooked, site_dir, shared_array_buffer):
    env = {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}       # navigator.language "C": not a tag
    if shared_array_buffer:
        env["JSC_useSharedArrayBuffer"] = "true"
    d = WebKitDriver(needs(find_webkit()), env)
    try:
        result = take_tour(d, hooked, site_dir, shared_array_buffer)
        if shared_array_buffer:
            result["problems"] += [f"offline: {p}" for p in offline(d, site_dir)]
    finally:
        d.close()
    assert result["figures"]["navigator.language"] == "C", "the locale that is not a tag was not tried"
    report(f"webkit {d.version}" + (" JSC_useSharedArrayBuffer" if shared_array_buffer else ""), result)
