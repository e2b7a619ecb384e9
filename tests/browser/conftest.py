"""Browser-test fixtures: one built site, one static server and one Chromium per session.

Fixtures
    site_dir           Path of the built site (`mkdocs build --strict` once per session into a
                       temporary directory, or $SITE_DIR if it names an already-built site)
    server             the static file server (StaticServer: .url, .origin, .requests, .clear())
    base_url           "http://127.0.0.1:<port>/", the site root
    isolated_server    a second server of the same site that sends COOP/COEP headers, so that
                       pages are crossOriginIsolated (SharedArrayBuffer, Pyodide interrupts)
    browser            Playwright Chromium ($CHROMIUM, else chromium on PATH, else Playwright's)
    new_page(...)      makes a guarded page in a fresh context; keyword arguments go to
                       browser.new_context (viewport, color_scheme, ...; service workers are
                       blocked unless service_workers="allow"); base=server.url of
                       another server (e.g. isolated_server.url)
    page               new_page() with the defaults: 1280x800, light scheme, base_url set, so
                       page.goto("lab/") works
    page_guard         the PageGuard of `page`: .console_errors, .page_errors, .failed_requests,
                       .foreign_requests, .requests (every URL requested), .console (all messages)
    screenshot_dir     screenshots/ at the repository root (ignored by git)
    full_page_screenshot(page, path)
                       a full-page screenshot with every line of every editor drawn
    tour               the whole site visited once in one tab, every page's cells run and
                       audited with axe-core (tour.py), shared by test_pages and test_a11y

Every guarded page blocks requests to any origin but its server's, and the test fails at
teardown if the page logged a console error, threw an uncaught error (also in workers), had a
request fail or answered >= 400, or asked for another origin. Opt out per test with
@pytest.mark.allow_console_errors, allow_failed_requests or allow_foreign_requests.

Without Chromium the browser tests are skipped, except under CI (CI=true), where they fail.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from assets.browser import CHROMIUM_ARGS, StaticServer, find_chromium

REPO = Path(__file__).resolve().parents[2]
DEFAULT_TIMEOUT_MS = 30_000


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


# --------------------------------------------------------------------------------------------
# The site and its server


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory) -> Path:
    """The built site: $SITE_DIR if set, else built once with `mkdocs build --strict`."""
    given = os.environ.get("SITE_DIR")
    if given:
        path = Path(given).resolve()
        if not (path / "index.html").is_file():
            pytest.fail(f"SITE_DIR={given} holds no index.html: build the site first "
                        f"(`mkdocs build --strict -d {given}`) or unset SITE_DIR")
        return path
    path = tmp_path_factory.mktemp("site")
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(path)],
        cwd=REPO, capture_output=True, text=True,
        env=dict(os.environ, NO_MKDOCS_2_WARNING="1", SITE_URL=f"http://127.0.0.1:{TEST_PORT}/"),
    )
    if proc.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{proc.stdout}\n{proc.stderr}", pytrace=False)
    return path


# Material's instant navigation only follows links whose address, port included, is listed in
# sitemap.xml, so the site is served at the address it was built for (SITE_URL in mkdocs.yml).
# scripts/test and site_dir build for this port.
TEST_PORT = int(os.environ.get("MLP_TEST_PORT", "47613"))


def built_port(site: Path) -> int:
    """The port of the site URL the site was built for, read from its sitemap (0: any port)."""
    sitemap = site / "sitemap.xml"
    match = re.search(r"<loc>([^<]+)</loc>", sitemap.read_text()) if sitemap.is_file() else None
    if not match:
        return 0
    url = urlsplit(match.group(1))
    return (url.port or 0) if url.hostname in ("127.0.0.1", "localhost") else 0


@pytest.fixture(scope="session")
def server(site_dir):
    """The site served at the address it was built for. Where that port is busy, or under
    MLP_TEST_BESIDE=1 (a second test run beside the first, as scripts/test runs the other
    engines' tours), on a free port whose server puts its own address in sitemap.xml.

    `server.matches_site_url` says whether Material's instant navigation works: not for a site
    built for an address other than 127.0.0.1 or localhost, which navigates by full loads.
    """
    port = built_port(site_dir)
    srv = None
    if port and os.environ.get("MLP_TEST_BESIDE") != "1":
        try:
            srv = StaticServer(site_dir, port=port).start()
        except OSError as exc:
            warnings.warn(f"port {port}, the one the site was built for, is busy ({exc}); serving "
                          f"on a free port with the sitemap moved to it. Set MLP_TEST_PORT to a "
                          f"free port for the build and the tests.", stacklevel=2)
    if srv is None:
        srv = StaticServer(site_dir, sitemap_on_own_port=port != 0).start()
    srv.matches_site_url = port != 0
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def base_url(server) -> str:
    return server.url


@pytest.fixture(scope="session")
def isolated_server(site_dir):
    srv = StaticServer(site_dir, isolated=True).start()
    yield srv
    srv.stop()


# --------------------------------------------------------------------------------------------
# The browser


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path, how = find_chromium()
    if path is None:
        msg = (f"Chromium not found ({how}). Set CHROMIUM=/path/to/chromium, or install it "
               f"(`sudo apt-get install chromium`), or run ./scripts/test, which looks for it.")
        if in_ci():
            pytest.fail(msg, pytrace=False)
        pytest.skip(msg)
    return path


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


# --------------------------------------------------------------------------------------------
# Guarded pages


@dataclass
class PageGuard:
    """What a page did that a test should know about."""

    origin: str
    requests: list = field(default_factory=list)          # every URL requested
    console: list = field(default_factory=list)           # (type, text) of every console message
    console_errors: list = field(default_factory=list)
    page_errors: list = field(default_factory=list)
    failed_requests: list = field(default_factory=list)
    foreign_requests: list = field(default_factory=list)

    def is_own(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme in {"data", "blob", "about"}:
            return True
        return f"{parts.scheme}://{parts.netloc}" == self.origin

    def attach(self, context, page) -> None:
        def route(r):
            url = r.request.url
            if self.is_own(url):
                r.continue_()
            else:
                self.foreign_requests.append(f"{r.request.method} {url}")
                r.abort("blockedbyclient")

        context.route("**/*", route)
        page.on("request", lambda req: self.requests.append(req.url))
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.page_errors.append(str(exc)))
        page.on("requestfailed", self._on_failed)
        page.on("response", self._on_response)
        page.on("websocket", lambda ws: None if self.is_own(ws.url)
                else self.foreign_requests.append(f"WebSocket {ws.url}"))

    def _on_console(self, msg) -> None:
        self.console.append((msg.type, msg.text))
        if msg.type == "error":
            loc = msg.location or {}
            where = f" ({loc.get('url')}:{loc.get('lineNumber')})" if loc.get("url") else ""
            self.console_errors.append(msg.text + where)

    def _on_failed(self, req) -> None:
        # ERR_ABORTED: the page itself cancelled the request (navigation, a terminated worker).
        if self.is_own(req.url) and "ERR_ABORTED" not in (req.failure or ""):
            self.failed_requests.append(f"{req.method} {req.url}: {req.failure}")

    def _on_response(self, resp) -> None:
        if resp.status >= 400:
            self.failed_requests.append(f"{resp.request.method} {resp.url}: HTTP {resp.status}")

    def problems(self, node) -> list[str]:
        out = []
        if not node.get_closest_marker("allow_console_errors"):
            out += [f"console error: {e}" for e in self.console_errors]
            out += [f"uncaught error: {e}" for e in self.page_errors]
        if not node.get_closest_marker("allow_failed_requests"):
            out += [f"failed request: {e}" for e in self.failed_requests]
        if not node.get_closest_marker("allow_foreign_requests"):
            out += [f"request to another origin (blocked): {e}" for e in self.foreign_requests]
        return out


def guarded_page(browser, base: str, **context_kwargs):
    """A page in a new context with a PageGuard (page.guard): (context, page)."""
    context_kwargs.setdefault("viewport", {"width": 1280, "height": 800})
    # The site's service worker (src/offline/sw.js) would fetch the whole site beside what
    # a test counts; tests of it pass service_workers="allow".
    context_kwargs.setdefault("service_workers", "block")
    context = browser.new_context(base_url=base, **context_kwargs)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    guard = PageGuard(origin=base.rstrip("/"))
    guard.attach(context, page)
    page.guard = guard
    return context, page


@pytest.fixture
def new_page(browser, base_url, request):
    """Factory: new_page(base=None, **context_kwargs) -> a guarded Page in its own context."""
    made = []

    def make(base: str | None = None, **context_kwargs):
        context, page = guarded_page(browser, base or base_url, **context_kwargs)
        made.append((context, page.guard))
        return page

    yield make

    for context, _ in made:
        try:
            context.close()
        except Exception:  # noqa: BLE001 - the browser may already be gone
            pass
    problems = [p for _, guard in made for p in guard.problems(request.node)]
    if not problems:
        return
    text = "the page reported:\n  " + "\n  ".join(problems)
    call = getattr(request.node, "rep_call", None)
    if call is not None and call.failed:
        # The test failed already; add what the page did to its report instead of a second error.
        request.node.add_report_section("teardown", "page guard", text)
    else:
        pytest.fail(text, pytrace=False)


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def page_guard(page) -> PageGuard:
    return page.guard


@pytest.fixture(scope="session")
def page_guard_class():
    """PageGuard itself, for fixtures that build a longer-lived guarded page of their own."""
    return PageGuard


@pytest.fixture(scope="session")
def tour(browser, server, site_dir, screenshot_dir):
    """The site visited once in one tab, every page's cells run (tour.py): a Tour with each
    page's results, the accessibility audits and the tab's PageGuard."""
    from tour import take_tour

    context, page = guarded_page(browser, server.url)
    try:
        yield take_tour(page, server, site_dir, screenshot_dir, screenshot_full_page)
    finally:
        context.close()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    path = REPO / "screenshots"
    path.mkdir(exist_ok=True)
    return path


MAX_SHOT_HEIGHT = 16_000  # px; Chromium's screenshots fail beyond about 16,384


def screenshot_full_page(page, path) -> None:
    """A full-page screenshot with everything drawn.

    CodeMirror draws only the lines near the viewport, so a plain ``full_page=True`` shot shows
    long cells with blank stretches. The viewport is grown to the page's height for the shot
    (so every line is in view) and put back afterwards.
    """
    size = page.viewport_size
    height = page.evaluate("document.documentElement.scrollHeight")
    tall = min(max(height, size["height"]), MAX_SHOT_HEIGHT)
    page.set_viewport_size({"width": size["width"], "height": tall})
    # Two frames: one for the resize, one for the editors to draw their new lines.
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    try:
        jpeg = {"quality": 80} if Path(path).suffix in {".jpg", ".jpeg"} else {}  # type from the name
        page.screenshot(path=str(path), full_page=True, **jpeg)
    finally:
        page.set_viewport_size(size)


LOOK_WIDTHS = {"wide": 1280, "phone": 390}


def screenshot_each_look(page, shots, screenshot_dir, check=None, height=900) -> None:
    """Screenshots of elements in each look: the light and dark palettes, wide and phone width.

    `shots` maps a file name with ``{width}`` and ``{scheme}`` in it ("network-deep-{width}-{scheme}.png")
    to the locator of the element to shoot; every element is shot in each look, so the palette
    and the viewport change once per look. ``check(locator, width)``, if given, runs after each
    shot. The page is left light and 1280 px wide.
    """
    from labpage import set_scheme
    from waits import settle

    for scheme in ("light", "dark"):
        set_scheme(page, scheme)
        for width_name, width in LOOK_WIDTHS.items():
            page.set_viewport_size({"width": width, "height": height})
            settle(page)
            for name, locator in shots.items():
                locator.screenshot(path=str(screenshot_dir / name.format(width=width_name, scheme=scheme)))
                if check:
                    check(locator, width)
    set_scheme(page, "light")
    page.set_viewport_size({"width": 1280, "height": height})


@pytest.fixture(scope="session")
def shoot_each_look():
    """:func:`screenshot_each_look`: ``shoot_each_look(page, {name: locator}, screenshot_dir)``."""
    return screenshot_each_look


@pytest.fixture(scope="session")
def full_page_screenshot():
    """:func:`screenshot_full_page`: ``full_page_screenshot(page, path)``."""
    return screenshot_full_page
