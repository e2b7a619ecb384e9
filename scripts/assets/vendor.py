"""Job "vendor": uPlot, KaTeX and the CodeMirror bundle, from npm (pinned by package-lock.json)."""

from __future__ import annotations

from pathlib import Path

from .atomic import atomic_path, copy_atomic
from .common import NODE_MODULES, ROOT, Context, log, rel, require_npm, run_tool
from .stamps import Stamp, inputs_key

VENDOR_FILES = {
    "uplot/uPlot.iife.min.js": "uplot/dist/uPlot.iife.min.js",
    "uplot/uPlot.min.css": "uplot/dist/uPlot.min.css",
    "uplot/LICENSE": "uplot/LICENSE",
    "katex/katex.min.js": "katex/dist/katex.min.js",
    "katex/katex.min.css": "katex/dist/katex.min.css",
    "katex/contrib/auto-render.min.js": "katex/dist/contrib/auto-render.min.js",
    "katex/LICENSE": "katex/LICENSE",
}
KATEX_FONTS = NODE_MODULES / "katex" / "dist" / "fonts"
EDITOR_SOURCE = ROOT / "js" / "editor.js"
ESBUILD = NODE_MODULES / ".bin" / "esbuild"


def build(ctx: Context) -> None:
    sources = [require_npm(NODE_MODULES / src) for src in VENDOR_FILES.values()]
    key = inputs_key(*sources, require_npm(KATEX_FONTS), ROOT / "package-lock.json", ROOT / "js", Path(__file__))
    stamp = Stamp(ctx.stamps / "vendor.json")
    # The outputs are part of what the stamp records: a damaged one is made again.
    if not ctx.force and (ctx.out / "vendor").exists() and stamp.fresh(inputs_key(key, ctx.out / "vendor")):
        return
    for dest, src in VENDOR_FILES.items():
        copy_atomic(NODE_MODULES / src, ctx.out / "vendor" / dest)
    for f in sorted(KATEX_FONTS.iterdir()):
        copy_atomic(f, ctx.out / "vendor" / "katex" / "fonts" / f.name)
    bundle(ctx)
    stamp.write(inputs_key(key, ctx.out / "vendor"))


def bundle(ctx: Context) -> None:
    """Our JavaScript that needs bundling (js/editor.js) -> out/vendor/editor.js, with esbuild."""
    dest = ctx.out / "vendor" / "editor.js"
    if not EDITOR_SOURCE.exists():
        dest.unlink(missing_ok=True)
        return
    esbuild(EDITOR_SOURCE, dest, "--format=esm", "--minify")
    log(f"bundled {rel(EDITOR_SOURCE)} -> {dest.relative_to(ctx.out)} ({dest.stat().st_size // 1024} KB)")


def esbuild(entry, dest, *options: str) -> None:
    """Bundle `entry` into `dest` (written atomically) with npm's esbuild and the given options."""
    with atomic_path(dest) as tmp:
        run_tool([require_npm(ESBUILD), rel(entry), "--bundle", "--log-level=warning", *options,
                  f"--outfile={tmp}"], f"esbuild bundling {rel(entry)}")
