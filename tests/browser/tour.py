"""One tour of the whole site in one tab, shared by the tests that need every page: test_pages.py
(each page loads cleanly, every cell runs; screenshots of every page light and wide, dark and
phone-sized, and after its cells ran) and test_a11y.py (axe-core on every page, light and
dark, before and after its cells ran, and on the lab after it trained).

The tab follows links with Material's instant navigation, so Python starts once and each page's
cells run once (each page has its own namespace). A page that fails is recorded as failed and
the tour goes on with the next one. Per-page timings go to build/test-results/page-cells.json.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from labpage import fill_form, wait_idle

REPO = Path(__file__).resolve().parents[2]
TIMINGS = REPO / "build" / "test-results" / "page-cells.json"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SCHEMES = {"light": ("default", "indigo", "deep-orange"), "dark": ("slate", "indigo", "deep-orange")}
SIZES = {"wide": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
# The looks each page is shot in as it arrives: each palette once and each width once (the
# shots of cells, figures and the lab in every look are their tests' own; axe-core audits
# every page in both palettes).
LOOKS = [("light", "wide"), ("dark", "phone")]
PYTHON_TIMEOUT_MS = 240_000    # Python's start on a loaded machine
CELLS_TIMEOUT_MS = 240_000     # every cell of one page
# axe-core's WCAG 2.1 A/AA rules that look at colours: text contrast, and links told from
# the text around them by colour alone.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
SHOT = "jpg"    # the tour's page shots: JPEG encodes a 13,000-px page in half PNG's time
_axe = Axe()


@dataclass
class PageRun:
    """One page of the tour: its cells' results (window.__cells.runAll()) and what went wrong."""

    path: str
    results: list = field(default_factory=list)
    seconds: float = 0.0            # from Run all to the last cell's end
    failures: list = field(default_factory=list)
    solutions: list = field(default_factory=list)   # the exercises' folded solutions' output
    outputs: list = field(default_factory=list)     # every cell's output text, in page order


@dataclass
class Tour:
    pages: dict = field(default_factory=dict)       # path -> PageRun
    audits: dict = field(default_factory=dict)      # "where [scheme] rule" -> element targets
    audited: list = field(default_factory=list)     # "where [scheme]" of every audit made
    loads: dict = field(default_factory=dict)       # path -> what was wrong as it loaded
    started: float = field(default_factory=time.time)
    guard: object = None                            # the tab's PageGuard


def site_pages(site_dir: Path) -> list[str]:
    """URL paths of every page of the built site ("" for the home page)."""
    pages = []
    for index in sorted(site_dir.rglob("index.html")):
        rel = index.parent.relative_to(site_dir).as_posix()
        if rel.startswith("assets") or rel.startswith("search"):
            continue
        pages.append("" if rel == "." else rel + "/")
    return pages


STILL = """() => new Promise((done) => {
    if (!document.getElementById("tour-still")) {
        const style = document.createElement("style");
        style.id = "tour-still";
        style.textContent = "*, *::before, *::after { transition: none !important; }";
        document.head.append(style);
    }
    requestAnimationFrame(() => requestAnimationFrame(done));
})"""


def set_scheme(page, scheme: str) -> None:
    """Switch Material's palette the way its toggle does (attributes on <body>)."""
    name, primary, accent = SCHEMES[scheme]
    page.evaluate("""([name, primary, accent]) => {
        document.body.setAttribute("data-md-color-scheme", name);
        document.body.setAttribute("data-md-color-primary", primary);
        document.body.setAttribute("data-md-color-accent", accent);
    }""", [name, primary, accent])
    # Charts and heatmap numbers take the palette's colours in an observer of that switch, which
    # has run when evaluate returns. Colour transitions (Material's and ours, up to 250 ms) would
    # still be under way when colours are measured, so the tour's tab has none (STILL), and two
    # frames later every colour is the new palette's.
    page.evaluate(STILL)


AXE_RUN = """async ([context, options]) => {
    const results = await axe.run(context || document, options);
    return results.violations.filter((v) => ["serious", "critical"].includes(v.impact))
        .map((v) => ({id: v.id, targets: v.nodes.map((n) => n.target.join(" "))}));
}"""


def serious_violations(page, within: list[str] | None = None, rules: list[str] | None = None) -> list[dict]:
    """axe-core's serious or critical WCAG 2.1 A/AA violations on the page, or only within the
    elements the CSS selectors `within` find, of every rule or of the axe-core rule ids
    `rules`: [{id, targets}].

    axe-core (from axe-playwright-python) is put into the page once; it stays through Material's
    instant navigation, so the tour's audits do not load it again.
    """
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_axe.axe_script)
    context = {"include": [[selector] for selector in within]} if within else None
    only = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": TAGS}
    options = {"runOnly": only, "resultTypes": ["violations"]}
    return page.evaluate(AXE_RUN, [context, options])


def audit(page, where: str, tour: Tour, within: list[str] | None = None) -> None:
    """Adds the serious or critical WCAG 2.1 A/AA violations on `page` (or `within` the
    elements those selectors find), in both palettes: every rule in the light one, and in
    the dark one the rules whose outcome depends on colour (COLOUR_RULES). The others read
    the document's structure, names and roles, which a palette does not change, and they
    take a quarter of an audit's time (color-contrast takes the rest)."""
    for scheme in SCHEMES:
        set_scheme(page, scheme)
        tour.audited.append(f"{where} [{scheme}]")
        rules = None if scheme == "light" else COLOUR_RULES
        for v in serious_violations(page, within, rules):
            tour.audits[f"{where} [{scheme}] {v['id']}"] = v["targets"]
    set_scheme(page, "light")


def report(found: dict) -> str:
    by_rule = Counter()
    for key, targets in found.items():
        by_rule[key.rsplit(" ", 1)[1]] += len(targets)
    lines = [f"{sum(by_rule.values())} serious or critical violations (WCAG 2.1 A/AA)"]
    lines += [f"  {rule}: {n}" for rule, n in by_rule.most_common()]
    for key, targets in sorted(found.items()):
        lines.append(f"    {key}: {len(targets)}, e.g. {', '.join(targets[:3])}")
    return "\n".join(lines)


def settle(page, expression: str, timeout: float) -> object:
    """Awaits the promise `expression` makes in the page, at most `timeout` ms; its value.

    (page.evaluate would wait for ever on a promise that never settles.)
    """
    page.evaluate(f"""() => {{
        window.__tourSettled = undefined;
        Promise.resolve().then(() => {expression}).then(
            (value) => {{ window.__tourSettled = {{ok: true, value}}; }},
            (error) => {{ window.__tourSettled = {{ok: false, error: String(error)}}; }});
    }}""")
    page.wait_for_function("window.__tourSettled !== undefined", timeout=timeout)
    done = page.evaluate("window.__tourSettled")
    assert done["ok"], f"{expression} failed: {done['error']}"
    return done["value"]


def follow(page, url: str, instant: bool) -> None:
    """Opens `url` like a reader following a link: Material's instant navigation keeps the tab,
    so Python stays up (a full load when the site is not served at its built address)."""
    if not instant:
        page.goto(url, wait_until="load")
        return
    page.evaluate("document.querySelector('article').dataset.tourOld = '1'")
    page.evaluate("(url) => window.location$.next(new URL(url))", url)
    page.wait_for_function("!document.querySelector('article[data-tour-old]')", timeout=30_000)


def cell_failures(page, results: list) -> list[str]:
    """What went wrong in the page's cells: a wrong end state, stderr, an undrawn figure."""
    failures = []
    for r in results:
        cell = page.locator(f'.pycell[data-cell-index="{r["index"]}"]')
        output = cell.locator(".pycell__output").inner_text()
        if r["expectError"]:
            if r["state"] != "error":
                failures.append(f"cell {r['index'] + 1} should raise but ended {r['state']}")
        elif r["state"] != "done":
            failures.append(f"cell {r['index'] + 1} ended {r['state']}: {r.get('error')}\n{output[-1500:]}")
        stderr = cell.locator(".pycell__stderr")
        if stderr.count():
            failures.append(f"cell {r['index'] + 1} wrote to stderr: {stderr.first.inner_text()[:500]}")
        if cell.locator(".pycell-fig__error").count():
            failures.append(f"cell {r['index'] + 1}: a figure was not drawn: "
                            f"{cell.locator('.pycell-fig__error').first.inner_text()}")
    # uPlot's stylesheet positions a chart's layers; without it (once lost to an instant
    # navigation) the plot is pushed down and the legend drawn over the axes.
    unstyled = page.evaluate("[...document.querySelectorAll('.uplot .u-over')]"
                             ".filter((e) => getComputedStyle(e).position !== 'absolute').length")
    if unstyled:
        failures.append(f"{unstyled} chart(s) drawn without uPlot's stylesheet")
    return failures


def record_timing(path: str, run: PageRun) -> None:
    TIMINGS.parent.mkdir(parents=True, exist_ok=True)
    data = json.loads(TIMINGS.read_text()) if TIMINGS.exists() else {}
    data["/" + path] = {"seconds": round(run.seconds, 2),
                        "cells": [round(c["ms"] / 1000, 2) for c in run.results]}
    TIMINGS.write_text(json.dumps(data, indent=2) + "\n")


def check_and_shoot(page, path: str, tour: Tour, shots: Path, full_page_screenshot) -> None:
    """A page as it arrives: its placeholders replaced and every formula typeset by KaTeX; full-page
    screenshots light and wide, dark and phone-sized (LOOKS; screenshots/pages/)."""
    problems = tour.loads.setdefault(path, [])
    if "{{" in page.inner_text("article"):
        problems.append("a placeholder was not replaced")
    if page.locator(".arithmatex").count():
        try:
            page.wait_for_function("[...document.querySelectorAll('.arithmatex')]"
                                   ".every(e => e.dataset.typeset || e.classList.contains('math-error'))",
                                   timeout=10_000)
        except Exception:  # noqa: BLE001 - a Playwright timeout: recorded
            problems.append("its maths was not typeset")
        unread = page.locator(".arithmatex.math-error").all_inner_texts()
        if unread:
            problems.append(f"formulas KaTeX could not read: {unread}")
    name = path.strip("/") or "home"
    for scheme, size in LOOKS:
        set_scheme(page, scheme)
        page.set_viewport_size(SIZES[size])
        full_page_screenshot(page, shots / f"{name}-{scheme}-{size}.{SHOT}")
    set_scheme(page, "light")
    page.set_viewport_size(SIZES["wide"])


def visit(page, path: str, tour: Tour, shots: Path, full_page_screenshot) -> None:
    where = "/" + path
    check_and_shoot(page, path, tour, shots, full_page_screenshot)
    has_cells = page.evaluate("() => document.querySelectorAll('.pycell').length > 0")
    if has_cells:
        settle(page, "window.__cells.ready()", PYTHON_TIMEOUT_MS)
    audit(page, where, tour)
    if not has_cells:
        return
    run = tour.pages[path] = PageRun(path)
    t0 = time.perf_counter()
    run.results = settle(page, "window.__cells.runAll()", CELLS_TIMEOUT_MS)
    run.seconds = time.perf_counter() - t0
    record_timing(path, run)
    run.failures = cell_failures(page, run.results)
    run.outputs = page.evaluate("[...document.querySelectorAll('.pycell .pycell__output')]"
                                ".map((e) => e.textContent)")
    if path == "exercises/":
        solutions = page.locator("details .pycell")
        run.solutions = [solutions.nth(i).locator(".pycell__output").text_content()  # folded away
                         for i in range(solutions.count())]
    full_page_screenshot(page, shots / f"{path.strip('/') or 'home'}-run-light-wide.{SHOT}")
    # What running changed: the cells (output, figures, status) and the page's Python status.
    audit(page, where + " after its cells ran", tour, within=[".pycell", ".pycell-runtime", ".exercise-progress"])


def take_tour(page, server, site_dir: Path, screenshot_dir: Path, full_page_screenshot) -> Tour:
    """Visits every page of the site in `page` (a guarded page), then trains in the lab."""
    tour = Tour(guard=page.guard)
    shots = screenshot_dir / "pages"
    shots.mkdir(exist_ok=True)
    page.goto("./", wait_until="load")
    root = page.url
    for path in site_pages(site_dir):
        if path == "lab/":
            continue
        try:
            follow(page, root + path, server.matches_site_url)
            visit(page, path, tour, shots, full_page_screenshot)
        except Exception as error:  # noqa: BLE001 - recorded for that page; the tour goes on
            tour.pages.setdefault(path, PageRun(path)).failures.append(f"the tour failed here: {error}")
            page.goto(root + path, wait_until="load")

    follow(page, root + "lab/", server.matches_site_url)
    page.wait_for_selector("#lab[data-ready]", timeout=PYTHON_TIMEOUT_MS)
    check_and_shoot(page, "lab/", tour, shots, full_page_screenshot)
    audit(page, "/lab/", tour)
    fill_form(page, epochs=1)
    page.click(".lab-train")
    page.wait_for_selector(".lab-run[data-status=training], .lab-run[data-status=done]", timeout=30_000)
    wait_idle(page)
    audit(page, "/lab/ after training", tour)
    return tour
