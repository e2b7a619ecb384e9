"""MkDocs hook: put the browser runtime into the site on every build.

on_config  assembles build/assets (scripts/build_assets.py: cheap when nothing changed),
           builds the wheels of the working tree's mlp/ and pysite/ (package mlpsite; each
           skipped while its sources are unchanged) and writes the lock the site serves: the
           official Pyodide lock's served packages plus those wheels.
on_files   adds every file under build/assets to the site (nothing is written into docs/,
           so `mkdocs serve` does not rebuild in a loop).
on_serve   watches mlp/, pysite/ and js/: an edit rebuilds a wheel or the editor bundle and
           reloads the page.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "build" / "assets"


@dataclass(frozen=True)
class Wheel:
    """A pure-Python project of this repository that the site serves as a wheel."""

    name: str                 # the project name, as in its pyproject.toml and the wheel's file name
    project: Path             # the folder holding its pyproject.toml
    sources: tuple[str, ...]  # what the wheel is built from (relative to project): they decide its content


WHEELS = (
    Wheel("mlp", ROOT, ("mlp", "pyproject.toml", "README.md")),
    Wheel("mlpsite", ROOT / "pysite", ("mlpsite", "pyproject.toml")),
)

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
            wheels = [build_wheel(assets, wheel) for wheel in WHEELS]
            assets.write_served_lock(ASSETS, wheels)
    except assets.AssetError as exc:
        raise PluginError(str(exc)) from None
    log.debug("site assets ready in %.2f s", time.perf_counter() - t0)
    return config


def build_wheel(assets, wheel: Wheel) -> Path:
    """The wheel of one project in build/assets/pyodide/, rebuilt only when its sources change."""
    inputs = [wheel.project / name for name in wheel.sources]
    key = assets.tree_hash(inputs, base=ROOT)
    dest_dir = ASSETS / "pyodide"
    stamp = ASSETS / ".stamps" / f"{wheel.name}-wheel.txt"
    wheels = sorted(dest_dir.glob(f"{wheel.name}-*.whl"))
    if len(wheels) == 1 and stamp.exists() and stamp.read_text().strip() == f"{key} {wheels[0].name}":
        return wheels[0]

    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix=f"{wheel.name}-wheel-") as tmp:
        # Build from a clean copy: setuptools' build/lib would otherwise keep deleted files.
        src = Path(tmp) / "src"
        for path in inputs:
            if path.is_dir():
                shutil.copytree(path, src / path.name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            elif path.exists():
                shutil.copy2(path, src / path.name)
        env = dict(os.environ, SOURCE_DATE_EPOCH="315532800")  # reproducible zip timestamps
        proc = subprocess.run(
            [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(Path(tmp) / "dist"), str(src)],
            capture_output=True, text=True, env=env,
        )
        built = sorted((Path(tmp) / "dist").glob(f"{wheel.name}-*.whl"))
        if proc.returncode != 0 or len(built) != 1:
            tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-25:])
            raise assets.AssetError(f"building the {wheel.name} wheel from {wheel.project} failed:\n{tail}")
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
    for wheel in WHEELS:
        for name in wheel.sources:
            if (wheel.project / name).is_dir():
                server.watch(str(wheel.project / name))
    js = ROOT / "js"
    if js.exists():
        server.watch(str(js))
    return server
