"""Job "pyodide": the Pyodide 0.27.7 core (npm) and the package wheels the site loads.

Every file is checked whenever the job runs: the core files in node_modules against the pins
below, the package files (and any cached copy of one) against the sha256 that the official
pyodide-lock.json lists. A damaged input stops the build with its name, even while build/assets
still holds good copies.
"""

from __future__ import annotations

import json
from pathlib import Path

from .atomic import copy_atomic
from .bytecode import BYTECODE_PACKAGES, COMPILED_STDLIB, compile_bytecode
from .common import NODE_MODULES, AssetError, Context, rel, require_npm
from .fetch import PYODIDE_VERSION, Fetcher
from .stamps import check_file, file_digest

PYODIDE_NPM = NODE_MODULES / "pyodide"
# The packages the site loads; their dependencies (from the lock) are added automatically.
PYODIDE_PACKAGES = ("numpy",)
# The core files, from npm pyodide@0.27.7 (npm checks the tarball against package-lock.json;
# these pins catch a node_modules that was changed afterwards).
CORE_SHA256 = {
    "pyodide.mjs": "04c052c815abb0bf2981fa38c2dfa58e3120ee5288c956df2b2a15e301782c5f",
    "pyodide.js": "b4cb23a53aba19c221659b9fb40a2f18281d685691dc06647fb0afd0681baf98",
    "pyodide.asm.js": "6b4c90de5b7172873f04f21884d0e9d2274e305fe32116558fe3e4fbe3618d51",
    "pyodide.asm.wasm": "a50dd1843f805a0b7c45b61037ee0d7b26dfe85efe0e18ef95a34ad24e401f5f",
    "python_stdlib.zip": "16611534726e5d8ac2bd8f926410b2dcb8d6f49aa24913463533b457a2115c16",
}
# Source maps, served so that the browser's developer tools find them (not checked: not code).
CORE_EXTRA = ("pyodide.mjs.map", "pyodide.js.map")
OFFICIAL_LOCK_SHA256 = "9c45b916001a750f4102fc287494f3eab215909c7535c626a20db80fd6333e2c"
REINSTALL = f"npm pyodide@{PYODIDE_VERSION}; reinstall with `rm -rf node_modules && npm ci`"


def official_lock() -> dict:
    """The official pyodide-lock.json of Pyodide 0.27.7, checked against its pinned hash."""
    path = require_npm(PYODIDE_NPM / "pyodide-lock.json")
    version = json.loads(require_npm(PYODIDE_NPM / "package.json").read_text())["version"]
    if version != PYODIDE_VERSION:
        raise AssetError(
            f"node_modules/pyodide is version {version}, the site needs {PYODIDE_VERSION}: run `npm ci`."
        )
    check_file(path, OFFICIAL_LOCK_SHA256, f"the official lock of {REINSTALL}")
    return json.loads(path.read_text())


def served_package_names(lock: dict, wanted=PYODIDE_PACKAGES) -> list[str]:
    """The wanted packages and everything they depend on, in the lock's names."""
    names: list[str] = []
    todo = list(wanted)
    while todo:
        name = todo.pop()
        if name in names:
            continue
        if name not in lock["packages"]:
            raise AssetError(f"package {name!r} is not in the Pyodide {PYODIDE_VERSION} lock")
        names.append(name)
        todo += lock["packages"][name]["depends"]
    return sorted(names)


def _intact(path: Path, sha256: str) -> bool:
    return path.is_file() and file_digest(path) == sha256


def build(ctx: Context) -> None:
    lock = official_lock()
    dest_dir = ctx.out / "pyodide"
    fetcher = Fetcher(ctx.cache, use_cdn=ctx.use_cdn)
    packages = {name: lock["packages"][name] for name in served_package_names(lock)}
    # Inputs first: a damaged one stops the job before any work, even if out/ holds good copies.
    core = {name: check_file(require_npm(PYODIDE_NPM / name), sha, REINSTALL) for name, sha in CORE_SHA256.items()}
    for pkg in packages.values():
        fetcher.check_cached(pkg["file_name"], pkg["sha256"])

    for name, src in core.items():
        if not _intact(dest_dir / name, CORE_SHA256[name]):
            copy_atomic(src, dest_dir / name)
    for name in CORE_EXTRA:
        src, dest = PYODIDE_NPM / name, dest_dir / name
        if src.exists() and not _intact(dest, file_digest(src)):
            copy_atomic(src, dest)
    for pkg in packages.values():
        if not _intact(dest_dir / pkg["file_name"], pkg["sha256"]):
            copy_atomic(fetcher.get(pkg["file_name"], pkg["sha256"]), dest_dir / pkg["file_name"])

    compile_bytecode(ctx, dest_dir / "python_stdlib.zip", COMPILED_STDLIB)
    compiled = [f"{name}.pyc.zip" for name in packages if name in BYTECODE_PACKAGES]
    for name in packages:
        if name in BYTECODE_PACKAGES:
            compile_bytecode(ctx, dest_dir / packages[name]["file_name"], f"{name}.pyc.zip", wheel=True)
    _drop_unserved(dest_dir, {*CORE_SHA256, *CORE_EXTRA, COMPILED_STDLIB, *compiled,
                              *(pkg["file_name"] for pkg in packages.values())})


def _drop_unserved(dest_dir: Path, wanted: set[str]) -> None:
    """Remove package files no longer served (the wheels job owns our wheels and the lock)."""
    from .wheels import owns

    for f in dest_dir.iterdir():
        if f.is_file() and f.name not in wanted and not f.name.startswith(".") and not owns(f.name):
            f.unlink()


def verify(out: Path) -> dict:
    """Check every runtime file in out/pyodide against the pins and the official lock.

    Returns the official lock; raises AssetError naming every file that differs.
    """
    lock = official_lock()
    dest_dir = out / "pyodide"
    expected = dict(CORE_SHA256)
    expected.update({lock["packages"][n]["file_name"]: lock["packages"][n]["sha256"]
                     for n in served_package_names(lock)})
    problems = [
        f"{rel(dest_dir / name)}: " + ("missing" if not (dest_dir / name).exists() else "sha256 differs")
        for name, sha in expected.items() if not _intact(dest_dir / name, sha)
    ]
    if problems:
        raise AssetError("Pyodide assets are not as the official lock says:\n  - "
                         + "\n  - ".join(problems) + "\nRun ./scripts/setup to rebuild them.")
    return lock
