"""Job "site": the site's own front end (src/), bundled by esbuild into out/site/.

scripts/build_frontend.mjs does the bundling (main.js, runtime.js, worker.js, site.css and
chunks) into a folder next to out/site/ and swaps it in whole, so a page never sees half of it.
Redone when src/, the npm lock or the script change, or when out/site/ was altered.
"""

from __future__ import annotations

import time
from pathlib import Path

from .common import NODE_MODULES, ROOT, Context, log, require_npm, run_tool
from .stamps import Stamp, inputs_key

SOURCES = ROOT / "src"
SCRIPT = ROOT / "scripts" / "build_frontend.mjs"


def build(ctx: Context) -> None:
    dest = ctx.out / "site"
    key = inputs_key(SOURCES, ROOT / "package-lock.json", SCRIPT, Path(__file__))
    stamp = Stamp(ctx.stamps / "site.json")
    if not ctx.force and (dest / "main.js").exists() and stamp.fresh(inputs_key(key, dest)):
        return
    require_npm(NODE_MODULES / "esbuild")
    t0 = time.perf_counter()
    run_tool(["node", SCRIPT, "--out", dest], "bundling src/ with esbuild (node scripts/build_frontend.mjs)")
    log(f"bundled src/ -> {dest.relative_to(ctx.out)}/ ({time.perf_counter() - t0:.1f} s)")
    stamp.write(inputs_key(key, dest))
