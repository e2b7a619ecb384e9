"""MkDocs hook: the site works offline after the first visit, and is installable.

on_startup     notes whether this is `mkdocs serve`: then no service worker is made, so live
               reload is never answered from a cache (src/offline/register.js also unregisters
               a worker left on the address by an earlier built site).
on_post_page   links the web app manifest from every page and, in built sites only, names the
               service worker (<meta name="site-service-worker">): without it, as under
               `mkdocs serve`, the page registers none and asks the server for none.
on_post_template  the same for 404.html, by the site URL's path (it is served at any depth).
on_post_build  writes manifest.webmanifest and its icon, then (built sites only) sw.js with
               node src/offline/build-sw.mjs: workbox-build's precache list of the built site.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "src" / "offline"
MANIFEST = "manifest.webmanifest"
ICON = "assets/offline/icon.svg"
# Material's own "brain" icon (the site's logo), filled with the theme's indigo for the icon.
ICON_SOURCE = Path(__import__("material").__file__).parent / "templates/.icons/material/brain.svg"

log = logging.getLogger("mkdocs.hooks.offline")
_serving = False


def on_startup(command, dirty):
    global _serving
    _serving = command == "serve"


def on_post_page(output, page, config):
    return _head_tags(output, get_relative_url(MANIFEST, page.url), get_relative_url("sw.js", page.url))


def on_post_template(output, template_name, config):
    """404.html too names the worker: a page without one unregisters it (register.js). It is
    served at any depth, so it names it by the site URL's path, as its other links do."""
    if template_name != "404.html":
        return output
    root = urlsplit(config.get("site_url") or "/").path.rstrip("/") + "/"
    return _head_tags(output, root + MANIFEST, root + "sw.js")


def _head_tags(output: str, manifest: str, worker: str) -> str:
    tags = f'<link rel="manifest" href="{manifest}"><meta name="theme-color" content="#3f51b5">'
    if not _serving:
        tags += f'<meta name="site-service-worker" content="{worker}">'
    return output.replace("</head>", tags + "</head>", 1)


def on_post_build(config):
    site = Path(config["site_dir"])
    icon = ICON_SOURCE.read_text().replace("<path ", '<path fill="#3f51b5" ', 1)
    write_atomic(site / ICON, icon)
    write_atomic(site / MANIFEST, json.dumps(manifest(config), indent=2) + "\n")
    if _serving:
        (site / "sw.js").unlink(missing_ok=True)
        return
    node = shutil.which("node")
    if node is None:
        raise PluginError("node is needed to build the service worker (src/offline/build-sw.mjs)")
    proc = subprocess.run([node, str(SOURCES / "build-sw.mjs"), str(site), uuid.uuid4().hex],
                          cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        raise PluginError(f"building sw.js failed:\n{proc.stdout}{proc.stderr}")
    log.info(proc.stdout.strip())


def manifest(config):
    """The web app manifest: the site opens on its home page, in its own window."""
    return {
        "name": config["site_name"],
        "short_name": "NN from scratch",
        "description": config.get("site_description") or config["site_name"],
        "start_url": "./",
        "scope": "./",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#3f51b5",
        "icons": [{"src": ICON, "sizes": "any", "type": "image/svg+xml", "purpose": "any"}],
    }


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; a web server must read it
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
