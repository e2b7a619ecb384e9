"""MkDocs hook: put the browser runtime into the site on every build.

on_config  assembles build/assets (scripts/build_assets.py: cheap when nothing changed),
           builds the wheels of the working tree's mlp/ and of the site's own Python
           (pysite/: mlpsite), each skipped while its sources are unchanged, and writes the
           lock the site serves: the official Pyodide lock's served packages plus those wheels.
on_files   adds every file under build/assets to the site (nothing is written into docs/,
           so `mkdocs serve` does not rebuild in a loop).
on_serve   watches mlp/, pysite/ and src/: an edit rebuilds a wheel or the front-end bundle
           and reloads the page.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "build" / "assets"
PACKAGE = ROOT / "mlp"
# The wheels the site serves: package name -> (project directory, files that decide the
# wheel's content: its sources and its metadata).
WHEELS = {
    "mlp": (ROOT, [PACKAGE, ROOT / "pyproject.toml", ROOT / "README.md"]),
    "mlpsite": (ROOT / "pysite", [ROOT / "pysite" / "mlpsite", ROOT / "pysite" / "pyproject.toml"]),
}

log = logging.getLogger("mkdocs.hooks.site")


def _build_assets_module():
    spec = importlib.util.spec_from_file_location(
        "site_build_assets", ROOT / "scripts" / "build_assets.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def on_config(config):
    assets = _build_assets_module()
    t0 = time.perf_counter()
    try:
        assets.build(ASSETS)
        with assets.locked(ASSETS):
            wheels = [build_wheel(assets, name) for name in WHEELS]
            assets.write_served_lock(ASSETS, wheels)
    except assets.AssetError as exc:
        raise PluginError(str(exc)) from None
    log.debug("site assets ready in %.2f s", time.perf_counter() - t0)
    return config


def build_wheel(assets, name: str = "mlp") -> Path:
    """The wheel of package `name` (see WHEELS) in build/assets/pyodide/, rebuilt only when its inputs change."""
    project, inputs = WHEELS[name]
    key = assets.tree_hash(inputs, base=ROOT)
    dest_dir = ASSETS / "pyodide"
    stamp = ASSETS / ".stamps" / f"{name}-wheel.txt"
    wheels = sorted(dest_dir.glob(f"{name}-*.whl"))
    if len(wheels) == 1 and stamp.exists() and stamp.read_text().strip() == f"{key} {wheels[0].name}":
        return wheels[0]

    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix=f"{name}-wheel-") as tmp:
        # Build from a clean copy: setuptools' build/lib would otherwise keep deleted files.
        src = Path(tmp) / "src"
        shutil.copytree(project / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        for file in inputs:
            if file.is_file():
                shutil.copy2(file, src / file.name)
        env = dict(os.environ, SOURCE_DATE_EPOCH="315532800")  # reproducible zip timestamps
        proc = subprocess.run(
            [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(Path(tmp) / "dist"), str(src)],
            capture_output=True, text=True, env=env,
        )
        built = sorted((Path(tmp) / "dist").glob(f"{name}-*.whl"))
        if proc.returncode != 0 or len(built) != 1:
            tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-25:])
            raise assets.AssetError(f"building the {name} wheel failed:\n{tail}")
        for old in wheels:
            if old.name != built[0].name:
                old.unlink()
        assets.copy_atomic(built[0], dest_dir / built[0].name)
    assets.write_atomic(stamp, f"{key} {built[0].name}\n".encode())
    log.info("built %s (%.1f s)", built[0].name, time.perf_counter() - t0)
    return dest_dir / built[0].name


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
    for path in (PACKAGE, ROOT / "pysite", ROOT / "src"):
        server.watch(str(path))
    return server
