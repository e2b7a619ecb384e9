"""MkDocs hook: put the browser runtime into the site on every build.

on_config  runs the asset jobs (package `assets`, scripts/assets/: cheap when nothing changed):
           the Pyodide runtime, the vendored files, the front-end bundle, the MNIST files, the
           wheels of the working tree's mlp/ and pysite/ (package mlpsite; each rebuilt only when
           its sources change) and the lock the site serves: the official Pyodide lock's served
           packages plus them.
on_files   adds every file under build/assets to the site (nothing is written into docs/,
           so `mkdocs serve` does not rebuild in a loop).
on_serve   watches the wheels' sources, src/ and kernels/: an edit rebuilds a wheel, the
           front-end bundle or the kernel, and reloads the page.
"""

from __future__ import annotations

import logging
import time

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

import assets
from assets.common import DEFAULT_OUT as ASSETS
from assets.common import ROOT
from assets.wheels import WHEELS

log = logging.getLogger("mkdocs.hooks.site")


def on_config(config):
    t0 = time.perf_counter()
    try:
        assets.build(assets.Context(ASSETS))
    except assets.AssetError as exc:
        raise PluginError(str(exc)) from None
    log.debug("site assets ready in %.2f s", time.perf_counter() - t0)
    return config


def on_files(files: Files, config) -> Files:
    for path in sorted(ASSETS.rglob("*")):
        rel = path.relative_to(ASSETS)
        if path.is_file() and not any(part.startswith(".") for part in rel.parts):
            files.append(
                File(
                    f"assets/{rel.as_posix()}",
                    src_dir=str(ASSETS.parent),
                    dest_dir=config["site_dir"],
                    use_directory_urls=config["use_directory_urls"],
                )
            )
    return files


def on_serve(server, config, builder):
    for path in [p for wheel in WHEELS for p in wheel.inputs()] + [ROOT / "src", ROOT / "kernels"]:
        if path.is_dir():
            server.watch(str(path))
    return server
