"""Atomic file writes: a temporary file in the same folder, then os.replace.

A reader (a browser, another build running side by side) sees the old file or the new one,
never half of one, and a failure or a kill mid-write leaves the old file intact.

mlp.tools.files.atomic_write is the package's own, for code that writes through a file object.
The build keeps this one because it needs a temporary *path* (node, esbuild and numpy write
files themselves) and because scripts/setup runs stamps.py, which writes atomically, before
anything is installed: it may use the standard library only.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path


@contextlib.contextmanager
def atomic_path(dest: Path, suffix: str = ".tmp"):
    """Yield a temporary path next to `dest`; on success it replaces `dest`, on error it is removed.

    `suffix` keeps the extension a writer may insist on (numpy's savez adds ".npz" otherwise).
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}{suffix}")
    try:
        yield tmp
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)


def write_atomic(dest: Path, data: bytes) -> None:
    with atomic_path(dest) as tmp:
        tmp.write_bytes(data)


def copy_atomic(src: Path, dest: Path) -> None:
    with atomic_path(dest) as tmp:
        shutil.copyfile(src, tmp)
