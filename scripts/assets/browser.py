"""A built site served on 127.0.0.1, and the Chromium that loads it: for the browser tests
(tests/browser/conftest.py) and scripts/bench, which measure the same site the same way."""

from __future__ import annotations

import http.server
import io
import os
import re
import shutil
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

# What every headless Chromium here is started with (root needs --no-sandbox; the rest keep it
# from reaching the network on its own).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
]

MIME_TYPES = {
    ".wasm": "application/wasm",
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".json": "application/json",
    ".map": "application/json",
    ".css": "text/css",
    ".html": "text/html",
    ".svg": "image/svg+xml",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
    ".whl": "application/zip",
    ".zip": "application/zip",
    ".npz": "application/octet-stream",
    ".gz": "application/gzip",
}


class QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A tab closed or a worker ended in the middle of a download: nothing went wrong.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@dataclass
class StaticServer:
    """A threaded HTTP server of one directory on 127.0.0.1, on `port` or a free one.

    It answers If-Modified-Since with 304 (the standard library's handler does), so with a
    `cache_control` lifetime such as "max-age=600" (what GitHub Pages sends) a browser caches
    as it would on the real host.
    """

    root: Path
    isolated: bool = False           # send COOP/COEP headers: pages are crossOriginIsolated
    port: int = 0                    # 0: any free port
    cache_control: str = "no-cache"
    matches_site_url: bool = False   # served at the address in the site's sitemap.xml
    requests: list = field(default_factory=list)  # (method, path, status), in order
    # A script put first in the <head> of every HTML page asked for with the cookie
    # "head-script=1": the tests' console hook for engines whose driver has no log API.
    head_script: str = ""
    # While true, every connection is closed unanswered, as by a host that is gone (the tests
    # of offline use in engines whose driver cannot take the tab offline).
    down: bool = False
    # Serve sitemap.xml with its addresses on this server's port. Material's instant navigation
    # follows only links the sitemap lists, port included (it takes the page's protocol and
    # host, not its port), so a second server of one build needs it (two test runs at once).
    sitemap_on_own_port: bool = False

    def start(self) -> StaticServer:
        outer = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES}

            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=str(outer.root), **kwargs)

            def end_headers(self):
                self.send_header("Cache-Control", outer.cache_control)
                if outer.isolated:
                    self.send_header("Cross-Origin-Opener-Policy", "same-origin")
                    self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
                super().end_headers()

            def send_head(self):
                if outer.sitemap_on_own_port and self.path.split("?")[0] == "/sitemap.xml":
                    return self.body(re.sub(rb"http://(127\.0\.0\.1|localhost):\d+/", outer.url.encode(),
                                            (outer.root / "sitemap.xml").read_bytes()), "application/xml")
                cookie = self.headers.get("Cookie") or ""
                if not outer.head_script or "head-script=1" not in cookie:
                    return super().send_head()
                path = Path(self.translate_path(self.path))
                if path.is_dir():
                    path = path / "index.html"
                asked = self.path.split("?")[0]
                if path.suffix != ".html" or not path.is_file() or not asked.endswith(("/", ".html")):
                    return super().send_head()
                script = b"<head><script>" + outer.head_script.encode() + b"</script>"
                return self.body(path.read_bytes().replace(b"<head>", script, 1), "text/html; charset=utf-8")

            def body(self, data: bytes, content_type: str):
                """Answers 200 with `data`, made here rather than read from a file."""
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                return io.BytesIO(data)

            def handle_one_request(self):
                if outer.down:
                    self.close_connection = True
                    return
                super().handle_one_request()

            def log_request(self, code="-", size="-"):
                outer.requests.append((self.command, self.path, int(code) if str(code).isdigit() else code))

            def log_message(self, *args):
                pass

        self.httpd = QuietServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}/"

    @property
    def origin(self) -> str:
        return self.url.rstrip("/")

    def paths(self) -> list[str]:
        """The paths requested so far (query strings removed)."""
        return [p.split("?", 1)[0] for _, p, _ in self.requests]

    def clear(self) -> None:
        self.requests.clear()


def find_chromium() -> tuple[str | None, str]:
    """(path, how it was found) or (None, what was tried).

    In order: $CHROMIUM; chromium or chromium-browser on PATH; Playwright's own Chromium.
    """
    env = os.environ.get("CHROMIUM")
    if env:
        if Path(env).is_file() and os.access(env, os.X_OK):
            return env, "$CHROMIUM"
        return None, f"CHROMIUM={env} is not an executable file"
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found, f"{name} on PATH"
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            bundled = p.chromium.executable_path
        if bundled and Path(bundled).is_file():
            return bundled, "Playwright's own Chromium"
    except Exception:  # noqa: BLE001 - any failure means: not available
        pass
    return None, "no $CHROMIUM, no chromium or chromium-browser on PATH, no Playwright Chromium"
