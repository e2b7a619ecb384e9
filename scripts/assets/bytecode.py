"""Python sources compiled to bytecode by npm Pyodide's own Python (scripts/compile_stdlib.mjs).

python_stdlib.pyc.zip replaces python_stdlib.zip in the worker (loadPyodide's stdLibURL): npm's
zip holds sources only, and compiling the modules Python imports at start-up was the larger part
of loadPyodide. A served package listed in BYTECODE_PACKAGES gets <name>.pyc.zip: its
__pycache__, which the worker unpacks next to the installed sources before importing them.
"""

from __future__ import annotations

import time
from pathlib import Path

from .atomic import atomic_path
from .common import ROOT, AssetError, Context, log, run_tool
from .stamps import Stamp, inputs_key

COMPILED_STDLIB = "python_stdlib.pyc.zip"
COMPILE_SCRIPT = ROOT / "scripts" / "compile_stdlib.mjs"
BYTECODE_PACKAGES = ("numpy",)


def compile_bytecode(ctx: Context, src: Path, name: str, wheel: bool = False) -> None:
    """out/pyodide/<name>: src's modules compiled; redone when src, the script or the output changed."""
    dest = ctx.out / "pyodide" / name
    # Keyed by content, not by folder: an output copied with its stamp to another out/ stays valid.
    key = inputs_key(src, COMPILE_SCRIPT, f"wheel={wheel}", base=src.parent)
    stamp = Stamp(ctx.stamps / f"bytecode-{name}.json")
    if dest.exists() and stamp.fresh(inputs_key(key, dest, base=dest.parent)):
        return
    t0 = time.perf_counter()
    with atomic_path(dest) as tmp:
        proc = run_tool(["node", COMPILE_SCRIPT, *(["--wheel"] if wheel else []), src, tmp],
                        f"compiling {src.name} to bytecode (node {COMPILE_SCRIPT.name})")
        if not tmp.is_file():
            raise AssetError(f"compiling {src.name} to bytecode wrote no {name}")
    stamp.write(inputs_key(key, dest, base=dest.parent))
    log(f"{name}: {proc.stdout.split(':')[0].strip()} ({time.perf_counter() - t0:.1f} s)")
