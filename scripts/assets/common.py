"""What every build job shares: the repository's folders, the error type, the job context."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "node_modules"
DEFAULT_CACHE = ROOT / "build" / "cache"
DEFAULT_OUT = ROOT / "build" / "assets"


class AssetError(RuntimeError):
    """A file the site needs is missing, damaged, or could not be made; the message names it."""


@dataclass(frozen=True)
class Context:
    """Where a job writes and what it may do; every job's build() takes one."""

    out: Path = DEFAULT_OUT        # build/assets: what the site serves (dot-files are not served)
    cache: Path = DEFAULT_CACHE    # build/cache: downloads, kept between builds
    use_cdn: bool = True           # may fetch Pyodide's package files from its CDN
    full_mnist: bool = True        # also write mnist-full.npz (all 70,000 images)
    force: bool = False            # redo a job even when its stamp says it is up to date

    @property
    def stamps(self) -> Path:
        return self.out / ".stamps"


def log(msg: str) -> None:
    print(f"[assets] {msg}", file=sys.stderr, flush=True)


def rel(path: Path) -> str:
    """`path` relative to the repository when it is inside it, for messages."""
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


def require_npm(path: Path) -> Path:
    if not path.exists():
        raise AssetError(f"{rel(path)} is missing: run `npm ci` in {ROOT} (./scripts/setup does it).")
    return path


def run_tool(command: list, what: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run a build tool; on failure raise AssetError with `what` and the tool's last lines."""
    env = None if env is None else {**os.environ, **env}
    proc = subprocess.run([str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-25:])
        raise AssetError(f"{what} failed (exit status {proc.returncode}):\n{tail}")
    return proc


@contextlib.contextmanager
def locked(out: Path):
    """Serialise asset builds that share one output directory."""
    out.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # not on POSIX: no concurrent builds to guard against
        yield
        return
    with open(out / ".lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
