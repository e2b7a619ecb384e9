"""A reader's first visit over a real line, and their later visits, for one or more built sites.

    scripts/bench_firstvisit.py --site NAME=DIR [--site NAME=DIR ...] [--page forward/]
                                [--mbits 10,50] [--rtt 40] [--runs 3] [--json FILE]

Each site is served as GitHub Pages serves it: gzip for the types it compresses (COMPRESSIBLE:
HTML, CSS, JavaScript, JSON, SVG, WebAssembly; not zip files, wheels or .npz), and
``Cache-Control: max-age=600``. Headless Chromium, with a new profile for every load, is
throttled through CDP's ``Network.emulateNetworkConditions`` (which also throttles the
worker's requests) to each speed in --mbits, with --rtt ms of latency, and opens --page until
the runtime's ``python:ready`` mark. The server counts the bytes it sent (headers and body) for
every request it received before the worker was ready (READY_EPOCH): CDP's events of the page
do not see the worker's requests. Later visit: the fastest line's profile, once its service
worker holds the offline copy, reloaded twice without throttling; the second reload's ready
time.

The sites are measured in turn within each run, so that their figures are comparable (the
machine is shared: compare ratios of one run). Every figure is the median of --runs runs.
"""

from __future__ import annotations

import argparse
import datetime
import email.utils
import gzip
import http.server
import json
import mimetypes
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench_browser import JS_OFFLINE_COPY, READY_TIMEOUT_MS, RUNTIME, launch, say, wait_ready

from assets.atomic import write_atomic
from assets.browser import MIME_TYPES, QuietServer

# The types GitHub Pages sends gzipped (when the browser accepts gzip).
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/manifest+json",
                "image/svg+xml", "application/xml", "application/wasm")
GZIP_LEVEL = 6


class HostServer:
    """One built site on 127.0.0.1, served as GitHub Pages serves it; logs what it sends."""

    def __init__(self, root: Path, port: int = 0, gzipped: dict | None = None):
        self.root = root.resolve()
        self.port = port
        self.log: list[tuple[float, str, int]] = []   # (epoch s the request arrived, path, bytes sent)
        self._gzipped: dict[Path, bytes] = {} if gzipped is None else gzipped   # shared between servers
        self._lock = threading.Lock()

    def start(self) -> HostServer:
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802 - the standard library's name
                arrived = time.time()
                path = self.path.split("?", 1)[0].split("#", 1)[0]
                file = (outer.root / path.lstrip("/")).resolve()
                if file.is_dir():
                    file = file / "index.html"
                status = 200
                if outer.root not in file.parents or not file.is_file():
                    status, file = 404, outer.root / "404.html"
                mtime = email.utils.formatdate(file.stat().st_mtime, usegmt=True)
                if status == 200 and self.headers.get("If-Modified-Since") == mtime:
                    self._send(arrived, path, 304, [("Last-Modified", mtime)], b"")
                    return
                kind = MIME_TYPES.get(file.suffix) or mimetypes.guess_type(file.name)[0] \
                    or "application/octet-stream"
                body = file.read_bytes()
                headers = [("Content-Type", kind), ("Last-Modified", mtime)]
                if kind.startswith(COMPRESSIBLE) and "gzip" in self.headers.get("Accept-Encoding", ""):
                    body = outer.gzipped(file, body)
                    headers.append(("Content-Encoding", "gzip"))
                self._send(arrived, path, status, headers, body)

            def _send(self, arrived, path, status, headers, body):
                head = [f"HTTP/1.1 {status} {self.responses[status][0]}",
                        *(f"{k}: {v}" for k, v in headers),
                        f"Content-Length: {len(body)}", "Cache-Control: max-age=600",
                        f"Date: {email.utils.formatdate(usegmt=True)}", "", ""]
                data = "\r\n".join(head).encode() + body
                self.wfile.write(data)
                with outer._lock:
                    outer.log.append((arrived, path, len(data)))

            def log_message(self, *args):
                pass

        self.httpd = QuietServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def compress_all(self) -> None:
        """gzip every compressible file now, so that no load waits for the compression."""
        for file in self.root.rglob("*"):
            kind = MIME_TYPES.get(file.suffix) or mimetypes.guess_type(file.name)[0] or ""
            if file.is_file() and kind.startswith(COMPRESSIBLE):
                self.gzipped(file, file.read_bytes())

    def gzipped(self, file: Path, body: bytes) -> bytes:
        with self._lock:
            if file not in self._gzipped:
                self._gzipped[file] = gzip.compress(body, GZIP_LEVEL, mtime=0)
            return self._gzipped[file]

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}/"

    def sent_before(self, epoch_ms: float) -> tuple[int, dict[str, int]]:
        with self._lock:
            entries = [(p, n) for t, p, n in self.log if t * 1000 <= epoch_ms]
        files: dict[str, int] = {}
        for p, n in entries:
            files[p] = files.get(p, 0) + n
        return sum(n for _, n in entries), files


# The page's python:ready mark, and the worker's own moment of readiness (its last step,
# python:packages-imported, an epoch in the worker's clock): the worker fetches the data and
# numpy.random (runtime.js PRELOAD, prefetch) from that moment, so its requests can reach the
# server a little before the page's mark; they are not what Python waited for.
READY_EPOCH = """() => {
  const m = performance.getEntriesByName('python:ready')[0];
  const w = performance.getEntriesByName('python:packages-imported')[0] ?? m;
  return { epoch: performance.timeOrigin + w.startTime, ms: m.startTime };
}"""


def first_visit(playwright, server: HostServer, page_path: str, mbits: float, rtt: float,
                profile: Path, later: bool) -> dict:
    context = launch(playwright, profile)
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        rate = mbits * 1e6 / 8
        cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": rtt,
                                                      "downloadThroughput": rate, "uploadThroughput": rate})
        with server._lock:
            server.log.clear()
        page.goto(server.url + page_path, timeout=READY_TIMEOUT_MS)
        wait_ready(page, server.url + RUNTIME)
        ready = page.evaluate(READY_EPOCH)
        sent, files = server.sent_before(ready["epoch"])
        out = {"ready_ms": ready["ms"], "bytes": sent, "files": files}
        if later:
            cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 0,
                                                          "downloadThroughput": -1, "uploadThroughput": -1})
            page.evaluate(JS_OFFLINE_COPY, READY_TIMEOUT_MS)
            for _ in range(2):
                page.reload()
                info = wait_ready(page, server.url + RUNTIME)
            out["later_ms"] = info["marks"]["ready"]
        return out
    finally:
        context.close()


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def measure(sites: dict[str, Path], page_path: str, speeds: list[float], rtt: float, runs: int,
            port: int = 0) -> dict:
    """Every site is served in turn on `port` (0: any free port), one load at a time."""
    from playwright.sync_api import sync_playwright

    gzipped = {}
    for path in sites.values():
        HostServer(path, gzipped=gzipped).compress_all()
    raw = {name: {str(s): [] for s in speeds} for name in sites}
    with sync_playwright() as p, tempfile.TemporaryDirectory(prefix="bench-first-",
                                                             ignore_cleanup_errors=True) as tmp:
        for run in range(runs):
            for speed in speeds:
                for name, path in sites.items():
                    profile = Path(tmp) / f"{name}-{speed}-{run}"
                    server = HostServer(path, port, gzipped).start()
                    try:
                        r = first_visit(p, server, page_path, speed, rtt, profile, later=speed == max(speeds))
                    finally:
                        server.stop()
                    raw[name][str(speed)].append(r)
                    say(f"run {run + 1}/{runs}, {speed:g} Mbit/s, {name}: ready {r['ready_ms']:.0f} ms, "
                        f"{r['bytes'] / 1e6:.2f} MB" + (f"; later visit {r['later_ms']:.0f} ms"
                                                        if "later_ms" in r else ""))
    out = {}
    for name, by_speed in raw.items():
        out[name] = {"speeds": {}, "site_dir": str(sites[name])}
        for speed, loads in by_speed.items():
            out[name]["speeds"][speed] = {
                "ready_ms": median([ld["ready_ms"] for ld in loads]),
                "bytes": median([ld["bytes"] for ld in loads]),
                "runs": [{k: v for k, v in ld.items() if k != "files"} for ld in loads],
                "files": loads[0]["files"]}
        fast = by_speed[str(max(speeds))]
        out[name]["later_ms"] = median([ld.get("later_ms") for ld in fast])
    return out


def settings(page_path: str, speeds: list[float], rtt: float, runs: int) -> dict:
    """How the visits were measured, for the JSON beside the figures."""
    return {"page": "/" + page_path, "mbits": speeds, "rtt_ms": rtt, "runs": runs,
            "gzip": list(COMPRESSIBLE), "cache_control": "max-age=600"}


def report(result: dict) -> str:
    speeds = result["settings"]["mbits"]
    head = ["site", *(f"ready at {s:g} Mbit/s" for s in speeds), "bytes before ready", "later visit"]
    rows = [head]
    for name, r in result["sites"].items():
        first = r["speeds"][str(speeds[0])]
        later = f"{r['later_ms'] / 1000:.2f} s" if r["later_ms"] else "-"
        rows.append([name, *(f"{r['speeds'][str(s)]['ready_ms'] / 1000:.2f} s" for s in speeds),
                     f"{first['bytes'] / 1e6:.2f} MB", later])
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(row, widths)) for row in rows)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", action="append", required=True, metavar="NAME=DIR",
                        help="a built site to measure, with the name the report gives it")
    parser.add_argument("--page", default="forward/", help="the page opened (default: forward/)")
    parser.add_argument("--mbits", default="10,50", help="line speeds in Mbit/s (default: 10,50)")
    parser.add_argument("--rtt", type=float, default=40, help="latency in ms (default: 40)")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median; default 3)")
    parser.add_argument("--json", type=Path, help="write the figures to this JSON file")
    parser.add_argument("--port", type=int, default=int(os.environ.get("MLP_TEST_PORT", 0)),
                        help="the port every site is served on, in turn (default: $MLP_TEST_PORT, else any)")
    args = parser.parse_args(argv)
    sites = {}
    for item in args.site:
        name, sep, folder = item.partition("=")
        if not sep or not name or not (Path(folder) / "index.html").is_file():
            parser.error(f"--site {item!r}: expected NAME=DIR, DIR a built site (with index.html)")
        sites[name] = Path(folder)
    try:
        speeds = [float(s) for s in args.mbits.split(",")]
    except ValueError:
        parser.error(f"--mbits {args.mbits!r}: expected numbers separated by commas, e.g. 10,50")
    if args.runs < 1:
        parser.error(f"--runs must be at least 1, got {args.runs}")
    t0 = time.perf_counter()
    load = os.getloadavg()[0]
    result = {"date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
              "settings": settings(args.page, speeds, args.rtt, args.runs),
              "sites": measure(sites, args.page, speeds, args.rtt, args.runs, args.port)}
    result["load_average"] = [round(load, 2), round(os.getloadavg()[0], 2)]
    result["seconds"] = round(time.perf_counter() - t0, 1)
    print(report(result))
    if args.json:
        write_atomic(args.json, (json.dumps(result, indent=1) + "\n").encode())
        say(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
