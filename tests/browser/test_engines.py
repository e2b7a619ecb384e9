"""Tours of the site in Firefox and in WebKit (WebKitGTK, the engine of Safari), beside the
Chromium tests. In each engine one tab loads every page, following links with Material's
instant navigation (so Python starts once per tour); presses Stop on a page that is not yet
cross-origin isolated; runs every cell of every page (runAll: each cell's state and
figureErrors, stderr, an undrawn figure); opens a share link by a full load, which the
service worker makes isolated, and presses Stop there. Each also recurses without end, which
must end in a RecursionError (Safari gives a worker 512 KB of stack), and saves an edit, which
asks WebKit alone to keep the site's storage. Each engine's console errors, uncaught errors
and failed requests fail its tour like Chromium's page guard (conftest.py): Firefox's as
WebDriver BiDi reports them, WebKit's through the hook engines/hook.js that the test server
puts in every page (WebKitWebDriver has no log API); the server's own log gives every
answer >= 400.

Each tour starts Python as few times as its checks need (the first visit, the restart after
Stop, the share link's full load, offline); each tour's seconds, step by step, are in
engines.json (they grow several-fold when the machine is shared).
- Firefox: every page and cell, the lab trained for an epoch, offline. It runs the
  relaxed-SIMD kernel, like Chromium, about as fast.
- WebKit as Safari (JSC_useSharedArrayBuffer=true: SharedArrayBuffer once isolated, so Stop
  interrupts and keeps the variables): every page and cell, the lab, offline. Its
  arithmetic runs at about half Chromium's speed (no relaxed SIMD), and Python takes 5 to 7 s
  to start.
- WebKit as WebKitGTK by default (no SharedArrayBuffer even when isolated: Stop restarts
  Python, and the page says so): the same engine again, so the cells of one page only
  (COVERAGE), Stop once isolated (the first visit's Stop is that of the other WebKit tour),
  and a share link made and opened without CompressionStream (as Safari before 16.4: the
  hook removes it), which share.js replaces by fflate.
So every cell runs in each engine (test_coverage_is_whole).
WebKit runs under LANG=C.UTF-8, where WebKitGTK reports navigator.language "C", which is no
language tag (the charts must be drawn all the same).

Drivers: engine_drivers.py. Without an engine its tour is skipped, except under CI. Each tour's
engine, version and figures (seconds of each step) go to build/test-results/engines.json;
a screenshot of one chapter after its cells ran to screenshots/engines/.
"""

from __future__ import annotations

import json
import time

import pytest
from engine_drivers import HOOK, REPO, FirefoxDriver, WebKitDriver, find_firefox, find_webkit
from test_runtime import KEEP, RECURSION, recursion_fails_cleanly
from tour import site_pages

READY_S = 240
INFINITE = "import time\nwhile True:\n    time.sleep(0.01)\n"

# The pages whose cells each tour runs (paths as site_pages gives them; EVERY: all of them, and
# the tour loads every page and presses Stop on a first visit), and the one it photographs
# after they ran. Chromium's seconds for each page's cells are in
# build/test-results/page-cells.json after a run.
EVERY = None
COVERAGE = {
    "firefox": (EVERY, "optimizers/"),
    "webkit-sab": (EVERY, "training/"),
    "webkit-no-sab": (["data/"], "data/"),
}
EVERY_PAGE = {name for name, (pages, _) in COVERAGE.items() if pages is EVERY}
ENGINE = {"firefox": "firefox", "webkit-sab": "webkit", "webkit-no-sab": "webkit"}
LAB = {"firefox", "webkit-sab"}
OFFLINE = {"firefox", "webkit-sab"}
NO_COMPRESSION = "webkit-no-sab"    # its share link is made and opened without CompressionStream


def needs(found):
    path, how = found
    if path is None:
        from conftest import in_ci
        msg = f"engine not found: {how}"
        if in_ci():
            pytest.fail(msg, pytrace=False)
        pytest.skip(msg)
    return path


def until(d, condition: str, seconds: float = READY_S, every_ms: int = 50):
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


# The page is loaded and its cells are built: window.__cells is set (main.js) and drives this
# page's cells, every cell block of the article became a cell.
PAGE_READY = """(document.readyState === "complete" && !!window.__cells
    && [...document.querySelectorAll(".md-content div.highlight.cell")].every((b) => b.closest(".pycell"))
    && window.__cells.list().length === document.querySelectorAll(".pycell").length)"""


def goto(d, url: str) -> None:
    """A full load of `url` (Python starts again), until the page's cells are built."""
    d.goto(url)
    until(d, PAGE_READY, 60)


def follow(d, url: str) -> None:
    """Clicks a link to `url`, as a reader does: Material's instant navigation swaps the
    article and pushes the address, and Python stays up."""
    d.eval(f"""(async () => {{
        document.querySelector("article").dataset.tourOld = "1";
        const link = Object.assign(document.createElement("a"), {{href: {json.dumps(url)}}});
        document.querySelector(".md-content").append(link);
        link.click();
    }})()""")
    until(d, f"location.href === {json.dumps(url)} && !document.querySelector('article[data-tour-old]')"
             f" && {PAGE_READY}", 60)


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
    const cells = window.__cells, i = %(cell)d;
    const original = cells.getCode(i);
    const output = () => document.querySelector(`.pycell[data-cell-index="${i}"] .pycell__output`).textContent;
    cells.setCode(i, "kept = 41");
    const first = await cells.run(i, {above: false});
    cells.setCode(i, %(loop)s);
    const running = cells.run(i, {above: false});
    while (cells.list()[i].state !== "running") await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 300));
    await cells.stop();
    const stopped = await running;
    const note = output();
    cells.setCode(i, "print(kept + 1)");
    const after = await cells.run(i, {above: false});
    const printed = output();
    cells.setCode(i, original);         // the page's own code again: no saved edit stays
    return {first: first.state, stopped: stopped.state, reset: !!stopped.namespaceReset, after: after.state,
            note, output: printed, isolated: crossOriginIsolated, sab: typeof SharedArrayBuffer === "function",
            canInterrupt: cells.runtime.canInterrupt};
})()"""


def stop(d) -> dict:
    """Defines a variable in cell 1, runs an endless loop there, presses Stop, then uses the
    variable; the cell gets its own code back."""
    return d.eval(STOP % {"cell": 0, "loop": json.dumps(INFINITE)})


class Tour:
    """What one engine's tour found: problems (console, uncaught errors, failed requests),
    failures (cells), figures (seconds of each step and what the page said)."""

    def __init__(self, d, server):
        self.d, self.server = d, server
        self.problems, self.failures, self.figures = [], [], {}
        self.start = len(server.requests)
        self.t0 = time.perf_counter()

    def collect(self, where: str) -> None:
        self.problems.extend(f"{where}: {p}" for p in self.d.problems())

    def step(self, name: str, t: float) -> None:
        self.figures[f"{name} (s)"] = round(time.perf_counter() - t, 1)

    def failed_requests(self) -> list[str]:
        # /favicon.ico is not the site's request: its pages name their icon
        # (test_every_page_names_its_icon), but WebKit asks for it, whenever it likes, for the
        # cookie's page (sitemap.xml, which names none: engine_drivers.WebKitDriver.set_cookie).
        return [f"{m} {p}: HTTP {s}" for m, p, s in self.server.requests[self.start:]
                if isinstance(s, int) and s >= 400 and p != "/favicon.ico"]


def take_tour(d, server, site_dir, name: str) -> Tour:
    base = server.url
    cells_of, photographed = COVERAGE[name]
    if cells_of is EVERY:
        cells_of = pages_with_cells(site_dir)
    tour = Tour(d, server)
    sab = name != "webkit-no-sab" if d.engine == "webkit" else True

    # A first visit: not isolated yet (the service worker adds the headers from the next load).
    t = time.perf_counter()
    goto(d, base + "playground/")
    tour.figures["navigator.language"] = d.eval("navigator.language", repeatable=True)
    d.eval("window.__cells.ready()", repeatable=True)
    tour.figures["WebAssembly GC trampoline"] = d.eval("window.__cells.runtime.wasmGc")
    tour.step("first visit until Python is ready", t)
    # Where Python's start-up went: the worker's steps (ms since it booted) and the page's
    # marks (ms since the page's start).
    tour.figures["start-up"] = d.eval("""({worker: window.__cells.runtime.timings.worker,
        marks: Object.fromEntries(performance.getEntriesByType("mark").filter((m) => m.name.startsWith("python:"))
            .map((m) => [m.name, Math.round(m.startTime)]))})""")
    # Python's recursion limit comes before the engine's stack runs out (Safari: 512 KB).
    t = time.perf_counter()
    recursion_fails_cleanly(d.eval(RECURSION))
    tour.step("endless recursion", t)
    # Where storage is deleted after 7 days without a visit (WebKit), an edit asks to keep it.
    # (WebKitGTK has no navigator.storage: nothing to ask there.)
    kept = d.eval(KEEP % {"wait_ms": 5000 if d.engine == "webkit" else 1500})
    tour.figures["storage kept (navigator.storage.persist)"] = kept["asked"] if kept["can"] else "cannot ask"
    assert kept["edits"] == 0, kept
    if d.engine == "webkit" and kept["can"]:
        assert kept["asked"] in ("true", "false"), kept
    else:
        assert kept["asked"] is None, kept
    if name in EVERY_PAGE:   # Stop restarts Python on a page that is not isolated yet
        t = time.perf_counter()
        plain = stop(d)
        tour.step("Stop, not isolated", t)
        assert plain["isolated"] is False and plain["stopped"] == "stopped", plain
        assert plain["reset"] and plain["after"] == "error", plain      # NameError: Python restarted
        assert "Python was restarted" in plain["note"], plain
        tour.collect("/playground/ Stop, not isolated")

    # Every page (or only this tour's share), by links; the cells of this tour's share.
    t = time.perf_counter()
    for path in site_pages(site_dir):
        if path == "lab/" or (name not in EVERY_PAGE and path not in cells_of):
            continue
        follow(d, base + path)
        if path in cells_of:
            d.eval("window.__cells.ready()", repeatable=True)
            tp = time.perf_counter()
            tour.failures += [f"/{path}: {f}" for f in d.eval(CELL_FAILURES)]
            tour.step(f"cells of /{path}", tp)
            if path == photographed:
                shoot(d, name, path)
        tour.collect("/" + path)
    tour.step("every page" if name in EVERY_PAGE else "its pages", t)

    if name in LAB:     # the lab trains one epoch and says how fast
        t = time.perf_counter()
        follow(d, base + "lab/")
        until(d, "!!document.querySelector('#lab[data-ready]')")
        d.eval("""(async () => {
            const f = document.querySelector("[name=epochs]");
            f.value = "1";
            f.dispatchEvent(new Event("input", {bubbles: true}));
            f.dispatchEvent(new Event("change", {bubbles: true}));
            document.querySelector(".lab-train").click();
        })()""")
        until(d, "!!document.querySelector('.lab-run[data-status=done]')", 300)
        tour.figures["lab run"] = d.eval("document.querySelector('.lab-run').innerText.replace(/\\s+/g, ' ')")
        tour.step("lab, one epoch", t)
        tour.collect("/lab/")

    # A share link, opened by a full load (as from elsewhere): the service worker now controls
    # the page and adds the headers that make it isolated; Stop there.
    t = time.perf_counter()
    follow(d, base + "playground/")
    if name == NO_COMPRESSION:      # made and opened as in a browser without the streams
        d.eval("(async () => { sessionStorage.setItem('engine-no-compression', '1');"
               " delete window.CompressionStream; delete window.DecompressionStream; })()")
    original = d.eval("window.__cells.getCode(1)")
    d.eval("window.__cells.setCode(1, 'print(\"from a link\", 6 * 7)')")
    link = d.eval("window.__cells.link(1)")
    d.eval(f"window.__cells.setCode(1, {json.dumps(original)})")
    d.goto("about:blank")           # from the same page only the #part would change
    goto(d, link)
    until(d, "window.__cells.linkOpened()", 30)
    assert "from a link" in d.eval("window.__cells.getCode(1)")
    if name == NO_COMPRESSION:
        assert d.eval("typeof CompressionStream + typeof DecompressionStream") == "undefinedundefined"
        d.eval("(async () => sessionStorage.removeItem('engine-no-compression'))()")
    tour.collect("share link")
    d.eval("window.__cells.ready()", repeatable=True)
    isolated = stop(d)
    d.eval(f"window.__cells.setCode(1, {json.dumps(original)})")
    tour.step("share link, Stop isolated", t)
    assert isolated["isolated"] is True, isolated
    assert isolated["sab"] is sab and isolated["canInterrupt"] is sab, isolated
    assert isolated["stopped"] == "stopped", isolated
    if sab:     # KeyboardInterrupt: the variables stay
        assert not isolated["reset"] and isolated["after"] == "done" and "42" in isolated["output"], isolated
    else:       # no SharedArrayBuffer to interrupt with: restarted, and said so
        assert isolated["reset"] and "Python was restarted" in isolated["note"], isolated
    tour.collect("/playground/ Stop, isolated")

    if name in OFFLINE:
        t = time.perf_counter()
        tour.problems += [f"offline: {p}" for p in offline(d, server)]
        tour.step("offline", t)
    tour.figures["tour (s)"] = round(time.perf_counter() - tour.t0, 1)
    if getattr(d, "retried", 0):
        tour.figures["scripts run again after an unparsed WebDriver result"] = d.retried
    return tour


def shoot(d, name: str, path: str) -> None:
    """A screenshot of the page's first chart or figure, after its cells ran."""
    shots = REPO / "screenshots" / "engines"
    shots.mkdir(parents=True, exist_ok=True)
    d.eval("(async () => { (document.querySelector('.uplot, .pycell-fig') || document.body)"
           ".scrollIntoView({block: 'start'}); await new Promise((r) => setTimeout(r, 300)); })()")
    d.screenshot(shots / f"{name}-{path.strip('/') or 'home'}.png")


def offline(d, server) -> list[str]:
    """The site offline, once its service worker controls the tab: the server stops answering
    and the tab goes offline where the driver can (Firefox); a page loads, Python starts and
    the page's first cell reads the MNIST subset, all from the worker's copy.

    Where the tab cannot go offline (WebKit), the browser still believes it is online, so the
    page's check that its worker's script is still there (register.js `missing`) asks the
    server once, unanswered: the hook sees no such failure (it is no console error), and a
    reader offline has navigator.onLine false, which skips the check.
    """
    assert d.eval("navigator.serviceWorker.controller !== null")
    server.down = True
    offline = d.set_offline(True)
    try:
        goto(d, server.url + "data/")
        assert d.eval("navigator.onLine") is not offline
        d.eval("window.__cells.ready()", repeatable=True)
        result = d.eval("window.__cells.run(0)")      # it loads the MNIST subset
        assert result["state"] == "done", result
        return d.problems()
    finally:
        server.down = False
        if offline:
            d.set_offline(False)


RESULTS = REPO / "build" / "test-results" / "engines.json"


def report(name: str, d, tour: Tour) -> None:
    """Fails on what went wrong; the engine, its version and figures go to RESULTS."""
    print(f"\n[{name}: {d.version}] {json.dumps(tour.figures)}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    data = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    data[name] = {"version": d.version, **tour.figures}
    RESULTS.write_text(json.dumps(data, indent=2) + "\n")
    bad = tour.problems + tour.failures + tour.failed_requests()
    assert not bad, f"{name} {d.version}:\n  " + "\n  ".join(bad)


def pages_with_cells(site_dir) -> set[str]:
    return {p for p in site_pages(site_dir) if p != "lab/"
            and 'class="cell highlight"' in (site_dir / p / "index.html").read_text()}


def test_coverage_is_whole(site_dir):
    """Every page with cells has its cells run in each engine."""
    with_cells = pages_with_cells(site_dir)
    for engine in set(ENGINE.values()):
        covered = set().union(*(with_cells if pages is EVERY else pages
                                for name, (pages, _) in COVERAGE.items() if ENGINE[name] == engine))
        assert with_cells <= covered, f"{engine} runs no cell of {sorted(with_cells - covered)}"
    shares = [pages for pages, _ in COVERAGE.values() if pages is not EVERY]
    assert all(set(pages) <= with_cells for pages in shares), "a share names a page without cells"


def test_every_page_names_its_icon(site_dir):
    """So that no engine asks for /favicon.ico on the site's own pages (the tours' failed
    requests leave that path out, for the cookie's page)."""
    missing = [p for p in site_pages(site_dir) if 'rel="icon"' not in (site_dir / p / "index.html").read_text()]
    assert not missing, f"pages without an icon: {missing}"


@pytest.fixture
def hooked(server):
    server.head_script = HOOK
    yield server
    server.head_script = ""


def test_firefox_tour(server, site_dir):
    d = FirefoxDriver(needs(find_firefox()))
    try:
        tour = take_tour(d, server, site_dir, "firefox")
    finally:
        d.close()
    report("firefox", d, tour)


@pytest.mark.parametrize("shared_array_buffer", [True, False], ids=["sab", "no-sab"])
def test_webkit_tour(hooked, site_dir, shared_array_buffer):
    env = {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}       # navigator.language "C": not a tag
    if shared_array_buffer:
        env["JSC_useSharedArrayBuffer"] = "true"
    name = "webkit-sab" if shared_array_buffer else "webkit-no-sab"
    d = WebKitDriver(needs(find_webkit()), env)
    try:
        d.set_cookie(hooked.url)
        tour = take_tour(d, hooked, site_dir, name)
    finally:
        d.close()
    assert tour.figures["navigator.language"] == "C", "the locale that is not a tag was not tried"
    report(name, d, tour)
