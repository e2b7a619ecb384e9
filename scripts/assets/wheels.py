"""Job "wheels": wheels of this repository's own projects, and the lock the site serves.

Each project in WHEELS is built into out/pyodide/ with `python -m build --wheel` when its
sources change; out/pyodide/pyodide-lock.json is then the official lock's entries for the
served packages plus these wheels (written with the pyodide-lock package), so the worker loads
them by name like numpy.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from . import pyodide, trim
from .atomic import copy_atomic, write_atomic
from .bytecode import compile_bytecode
from .common import ROOT, AssetError, Context, log, run_tool
from .stamps import Stamp, file_digest, inputs_key

SERVED_LOCK = "pyodide-lock.json"


@dataclass(frozen=True)
class Wheel:
    """A pure-Python project of this repository that the site serves as a wheel."""

    name: str                 # the project name, as in its pyproject.toml and the wheel's file name
    project: Path             # the folder holding its pyproject.toml
    sources: tuple[str, ...]  # what the wheel is built from (relative to project): they decide its content

    def inputs(self) -> list[Path]:
        return [self.project / name for name in self.sources]


WHEELS = (
    Wheel("mlp", ROOT, ("mlp", "pyproject.toml", "README.md")),
    Wheel("mlpsite", ROOT / "pysite", ("mlpsite", "pyproject.toml")),
)


def owns(file_name: str) -> bool:
    """Whether a file of out/pyodide is this job's (a wheel of ours, its bytecode, the lock, or
    the trimmed runtime of trim.py)."""
    return file_name == SERVED_LOCK or trim.owns(file_name) or any(
        file_name.startswith(f"{w.name}-") or file_name == bytecode_name(w) for w in WHEELS)


def bytecode_name(wheel: Wheel) -> str:
    """The wheel's __pycache__ as the worker unpacks it before the first import (bytecode.py)."""
    return f"{wheel.name}.pyc.zip"


def build(ctx: Context, wheels=WHEELS) -> list[Path]:
    built = [build_wheel(ctx, wheel) for wheel in wheels]
    # Compiled once here rather than at every start of Python in the browser.
    for wheel, path in zip(wheels, built):
        compile_bytecode(ctx, path, bytecode_name(wheel), wheel=True)
    lock = pyodide.verify(ctx.out)
    numpy = ctx.out / "pyodide" / lock["packages"]["numpy"]["file_name"]
    served_numpy = trim.build(ctx, numpy, built)
    write_served_lock(ctx.out, built, {"numpy": served_numpy})
    return built


def build_wheel(ctx: Context, wheel: Wheel) -> Path:
    """The wheel of one project in out/pyodide/, rebuilt only when its sources change."""
    key = inputs_key(*wheel.inputs())
    dest_dir = ctx.out / "pyodide"
    stamp = Stamp(ctx.stamps / f"{wheel.name}-wheel.json")
    wheels = sorted(dest_dir.glob(f"{wheel.name}-*.whl"))
    if len(wheels) == 1 and not ctx.force and stamp.fresh(inputs_key(key, wheels[0].name)):
        return wheels[0]

    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix=f"{wheel.name}-wheel-") as tmp:
        # Build from a clean copy: setuptools' build/lib would otherwise keep deleted files.
        src = Path(tmp) / "src"
        for path in wheel.inputs():
            if path.is_dir():
                shutil.copytree(path, src / path.name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            elif path.exists():
                shutil.copy2(path, src / path.name)
        run_tool([sys.executable, "-m", "build", "--wheel", "--no-isolation",
                  "--outdir", Path(tmp) / "dist", src],
                 f"building the {wheel.name} wheel from {wheel.project}",
                 env={"SOURCE_DATE_EPOCH": "315532800"})  # reproducible zip timestamps
        built = sorted((Path(tmp) / "dist").glob(f"{wheel.name}-*.whl"))
        if len(built) != 1:
            raise AssetError(f"building the {wheel.name} wheel gave {len(built)} wheels, expected one")
        for old in wheels:
            if old.name != built[0].name:
                old.unlink()
        copy_atomic(built[0], dest_dir / built[0].name)
    stamp.write(inputs_key(key, built[0].name))
    log(f"built {built[0].name} ({time.perf_counter() - t0:.1f} s)")
    return dest_dir / built[0].name


def write_served_lock(out: Path, wheels: list[Path], replaced: dict[str, Path] | None = None) -> Path:
    """Write out/pyodide/pyodide-lock.json: the served packages of the official lock plus wheels.

    Only the packages the site serves are listed, so that asking for any other package fails
    with "no known package" instead of a request for a file that is not there. `replaced`
    maps a package name to the file served instead of the official one (trim.py's numpy).
    """
    from pyodide_lock import PyodideLockSpec
    from pyodide_lock.utils import add_wheels_to_spec

    lock = pyodide.verify(out)
    names = pyodide.served_package_names(lock)
    spec = PyodideLockSpec(info=lock["info"], packages={n: lock["packages"][n] for n in names})
    dest_dir = out / "pyodide"
    spec = add_wheels_to_spec(spec, wheels, base_path=dest_dir)
    for name, path in (replaced or {}).items():
        spec.packages[name].file_name = path.name
        spec.packages[name].sha256 = file_digest(path)
    text = json.dumps(spec.model_dump(), indent=1, sort_keys=True) + "\n"
    dest = dest_dir / SERVED_LOCK
    if not dest.exists() or dest.read_text() != text:
        write_atomic(dest, text.encode())
    return dest
