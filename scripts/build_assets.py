#!/usr/bin/env python3
"""Assemble what the site serves but git does not keep, into build/assets/ (jobs: scripts/assets/).

Every job is idempotent: outputs already made from the same inputs are left alone, inputs are
checked each time, and downloads are kept in build/cache/. The MkDocs hook (hooks/site_hooks.py)
runs the same jobs before each build.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import assets
from assets.common import DEFAULT_CACHE, DEFAULT_OUT, Context, log
from assets.data import FULL_FILE


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("jobs", nargs="*", metavar="JOB", help=f"jobs to run: {', '.join(assets.JOBS)} (default: all)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory (build/assets)")
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="download cache (build/cache)")
    ap.add_argument("--no-cdn", action="store_true", help="do not try the Pyodide CDN")
    ap.add_argument("--no-full-mnist", action="store_true",
                    help=f"skip {FULL_FILE} (all 70,000 images, loaded by the site only on request)")
    ap.add_argument("--force", action="store_true", help="redo every job even if its inputs are unchanged")
    args = ap.parse_args(argv)
    unknown = [j for j in args.jobs if j not in assets.JOBS]
    if unknown:
        ap.error(f"unknown job {unknown[0]!r}: the jobs are {', '.join(assets.JOBS)}")
    ctx = Context(args.out.resolve(), args.cache.resolve(), use_cdn=not args.no_cdn,
                  full_mnist=not args.no_full_mnist, force=args.force)
    t0 = time.perf_counter()
    try:
        assets.build(ctx, jobs=args.jobs or assets.JOBS)
    except assets.AssetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    log(f"assets ready in {args.out} ({time.perf_counter() - t0:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
