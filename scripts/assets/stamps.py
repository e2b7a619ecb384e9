"""The one "is it up to date" helper of the build, the hooks and scripts/setup.

An output is up to date when its stamp file holds the key of the inputs it was made from:

    key = inputs_key(ROOT / "mlp", ROOT / "pyproject.toml", "full=True")
    stamp = Stamp(out / ".stamps" / "data.json")
    if not stamp.fresh(key):
        ...make the output...
        stamp.write(key)

inputs_key hashes file names and contents (folders are walked) and plain strings (options,
versions). Content hashes are remembered per file, keyed by its size, times and inode, in
build/.digests.json, so checking a large input that has not changed costs a stat() call:
check_file() uses this to check a pinned input (a cached wheel, npm's wasm, the MNIST files)
every time it is used, and to name the file when it is damaged.

scripts/setup runs it before the package is installed, on its own (it needs only the standard
library):
    python -m assets.stamps check STAMP [--text TEXT]... [PATH]...   exit 0 when fresh, 1 when not
    python -m assets.stamps write STAMP [--text TEXT]... [PATH]...
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path

from .atomic import write_atomic
from .common import ROOT, AssetError, rel

DIGESTS = ROOT / "build" / ".digests.json"
SKIPPED_DIRS = {"__pycache__", "node_modules", ".git"}
_digests: dict[str, list] | None = None


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def file_digest(path: Path) -> str:
    """sha256 of a file's content, computed again only when its size, times or inode changed."""
    global _digests
    if _digests is None:
        try:
            _digests = json.loads(DIGESTS.read_text())
        except (OSError, ValueError):
            _digests = {}
    st = os.stat(path)
    identity = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
    name = str(Path(path).resolve())
    entry = _digests.get(name)
    if entry and entry[:4] == identity:
        return entry[4]
    digest = sha256_file(path)
    _digests[name] = [*identity, digest]
    try:
        write_atomic(DIGESTS, json.dumps(_digests).encode())
    except OSError:
        pass  # a read-only checkout: the digest is only not remembered
    return digest


def check_file(path: Path, sha256: str, origin: str) -> Path:
    """`path` if its content has the pinned `sha256`; otherwise AssetError naming it and `origin`.

    `origin` says where the right file comes from and how to get it again.
    """
    if not path.is_file():
        raise AssetError(f"{rel(path)} is missing ({origin}).")
    got = file_digest(path)
    if got != sha256:
        raise AssetError(f"{rel(path)} is damaged: sha256 {got}, expected {sha256} ({origin}).")
    return path


def _files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if not path.is_dir():
        return []
    return [
        f for f in path.rglob("*")
        if f.is_file() and f.suffix != ".pyc"
        and not any(p in SKIPPED_DIRS or p.endswith(".egg-info") for p in f.relative_to(path).parts)
    ]


def inputs_key(*inputs: Path | str, base: Path = ROOT) -> str:
    """One sha256 over the given files (folders walked, bytecode skipped) and strings, in order.

    Files count by their name relative to `base` and their content; a missing path counts as
    missing, so creating it changes the key.
    """
    h = hashlib.sha256()
    for item in inputs:
        if isinstance(item, str):
            h.update(b"s\0" + item.encode() + b"\0")
            continue
        files = sorted(_files(Path(item)))
        h.update(b"p\0" + (str(len(files)) if files else "missing").encode() + b"\0")
        for f in files:
            try:
                name = f.resolve().relative_to(base.resolve()).as_posix()
            except ValueError:
                name = str(f)
            h.update(name.encode() + b"\0" + file_digest(f).encode() + b"\0")
    return h.hexdigest()


class Stamp:
    """A small file that holds the key of the inputs an output was last made from."""

    def __init__(self, path: Path):
        self.path = Path(path)

    def read(self) -> str | None:
        try:
            return json.loads(self.path.read_text())["key"]
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def fresh(self, key: str) -> bool:
        return self.read() == key

    def write(self, key: str) -> None:
        write_atomic(self.path, json.dumps({"key": key}).encode())

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m assets.stamps", description="Check or write a stamp.")
    ap.add_argument("action", choices=("check", "write"))
    ap.add_argument("stamp", type=Path)
    ap.add_argument("paths", nargs="*", type=Path)
    ap.add_argument("--text", action="append", default=[], help="a string that is part of the key")
    args = ap.parse_args(argv)
    key = inputs_key(*args.paths, *args.text, base=Path.cwd())
    stamp = Stamp(args.stamp)
    if args.action == "write":
        stamp.write(key)
        return 0
    return 0 if stamp.fresh(key) else 1


if __name__ == "__main__":
    sys.exit(main())
