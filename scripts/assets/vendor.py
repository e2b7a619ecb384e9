"""Job "vendor": uPlot and KaTeX, from npm (pinned by package-lock.json), served as they are."""

from __future__ import annotations

from pathlib import Path

from .atomic import copy_atomic
from .common import NODE_MODULES, ROOT, Context, require_npm
from .stamps import Stamp, inputs_key

VENDOR_FILES = {
    "uplot/uPlot.iife.min.js": "uplot/dist/uPlot.iife.min.js",
    "uplot/LICENSE": "uplot/LICENSE",
    "katex/katex.min.js": "katex/dist/katex.min.js",
    "katex/katex.min.css": "katex/dist/katex.min.css",
    "katex/contrib/auto-render.min.js": "katex/dist/contrib/auto-render.min.js",
    "katex/LICENSE": "katex/LICENSE",
}
KATEX_FONTS = NODE_MODULES / "katex" / "dist" / "fonts"


def build(ctx: Context) -> None:
    sources = [require_npm(NODE_MODULES / src) for src in VENDOR_FILES.values()]
    key = inputs_key(*sources, require_npm(KATEX_FONTS), ROOT / "package-lock.json", Path(__file__))
    stamp = Stamp(ctx.stamps / "vendor.json")
    # The outputs are part of what the stamp records: a damaged one is made again.
    if not ctx.force and (ctx.out / "vendor").exists() and stamp.fresh(inputs_key(key, ctx.out / "vendor")):
        return
    for dest, src in VENDOR_FILES.items():
        copy_atomic(NODE_MODULES / src, ctx.out / "vendor" / dest)
    for f in sorted(KATEX_FONTS.iterdir()):
        copy_atomic(f, ctx.out / "vendor" / "katex" / "fonts" / f.name)
    (ctx.out / "vendor" / "editor.js").unlink(missing_ok=True)  # bundled here before src/ (job "site")
    stamp.write(inputs_key(key, ctx.out / "vendor"))
