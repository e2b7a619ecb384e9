"""The WebAssembly matrix-product kernel (kernels/gemm.c), compiled as the build does and run in Node.

Python lays out the arrays (views included) in one memory image and computes the kernel's
arguments with mlp._kernel.gemm_arguments, the code Pyodide uses; Node runs the kernel on that
image in a WebAssembly memory; the results are compared with NumPy, and every byte the
kernel was not asked to write is checked to be unchanged.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import numpy as np
import pytest

from mlp import _kernel, ops

ROOT = Path(__file__).resolve().parents[2]
HARNESS = Path(__file__).with_name("gemm_harness.mjs")
BASE = 1 << 16  # the image's address in Node's memory; below it, a canary pattern


@pytest.fixture(scope="module")
def build():
    from assets import kernel  # the build job (scripts/assets/kernel.py)

    return kernel


@pytest.fixture(scope="module", params=["plain", "relaxed"])
def wasm(build, tmp_path_factory, request):
    """Each build of the kernel (see assets.kernel.VARIANTS), compiled as the build job does."""
    flags = ["-mrelaxed-simd"] if request.param == "relaxed" else []
    return build.compile_kernel(tmp_path_factory.mktemp("kernel") / f"{request.param}.wasm", flags=flags)


def _node_flags():
    """Node 20 runs relaxed SIMD behind a flag; a later Node that has it on may refuse the flag."""
    flag = "--experimental-wasm-relaxed-simd"
    ok = subprocess.run(["node", flag, "-e", "0"], capture_output=True).returncode == 0
    return [flag] if ok else []


class Image:
    """A byte buffer standing for WebAssembly memory, in which test arrays are laid out."""

    def __init__(self, size):
        self.bytes = np.random.default_rng(7).integers(0, 256, size, dtype=np.uint8)
        self.used = 0
        self.outputs = []  # (array, expected, bound)

    def array(self, shape, dtype, pad=0):
        """A C-ordered (shape[0], shape[1] + pad) block, returned as its first shape[1] columns."""
        rows, cols = shape[0], shape[1] + pad
        itemsize = np.dtype(dtype).itemsize
        start = (self.used + 15) // 16 * 16 + 4 * (len(self.outputs) % 3)  # some not 16-byte aligned
        self.used = start + rows * cols * itemsize
        block = np.ndarray((rows, cols), dtype, buffer=self.bytes, offset=start)
        return block[:, :shape[1]]

    def address(self, x):
        return x.__array_interface__["data"][0] - self.bytes.__array_interface__["data"][0] + BASE


def random_case(image, rng, m, k, n, dtype, layout):
    """A product out = a @ b whose a is contiguous, transposed (x.T) or strided, b maybe row-padded."""
    if layout == "transposed":
        a = image.array((k, m), dtype).T
    elif layout == "strided":
        a = image.array((m, 2 * k), dtype)[:, ::2]
    else:
        a = image.array((m, k), dtype)
    b = image.array((k, n), dtype, pad=3 if layout == "strided" else 0)
    out = image.array((m, n), dtype, pad=1 if layout == "strided" else 0)
    a[...] = rng.standard_normal(a.shape)
    b[...] = rng.standard_normal(b.shape)
    args = list(_kernel.gemm_arguments(a, b, out))
    for i in (3, 6, 8):  # the three addresses, as Node's memory sees them
        args[i] = image.address({3: a, 6: b, 8: out}[i])
    a64, b64 = a.astype(np.float64), b.astype(np.float64)
    image.outputs.append((out, a64 @ b64, np.abs(a64) @ np.abs(b64)))
    return [_kernel.FUNCTIONS[np.dtype(dtype)], *args]


def run_in_node(wasm, image, calls, tmp_path):
    before = image.bytes.copy()
    (tmp_path / "image.bin").write_bytes(image.bytes[:image.used].tobytes())
    (tmp_path / "calls.json").write_text(json.dumps({"base": BASE, "calls": calls}))
    proc = subprocess.run(["node", *_node_flags(), str(HARNESS), str(wasm), str(tmp_path / "image.bin"),
                           str(tmp_path / "calls.json"), str(tmp_path / "out.bin")],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    memory = np.fromfile(tmp_path / "out.bin", dtype=np.uint8)
    image.bytes[:image.used] = memory[BASE:]
    return before, memory[:BASE]


SHAPES = [(1, 1, 1), (1, 5, 1), (3, 1, 7), (5, 3, 9), (7, 13, 11), (4, 8, 8), (9, 17, 4), (2, 40, 33),
          (33, 1, 64), (128, 784, 64), (128, 64, 10), (128, 10, 64), (300, 257, 129), (1, 300, 130)]


@pytest.mark.parametrize("dtype, eps", [(np.float32, 2.0 ** -24), (np.float64, 2.0 ** -53)])
def test_kernel_matches_numpy_on_contiguous_transposed_and_strided_arrays(wasm, tmp_path, dtype, eps):
    rng = np.random.default_rng(0)
    image = Image(40 << 20)
    cases = [(m, k, n, layout) for m, k, n in SHAPES for layout in ("contiguous", "transposed", "strided")]
    cases += [tuple(int(v) for v in rng.integers(1, 70, 3)) + ("strided",) for _ in range(12)]
    calls = [random_case(image, rng, m, k, n, dtype, layout) for m, k, n, layout in cases]
    written = np.zeros(image.used, dtype=bool)
    for out, _, _ in image.outputs:
        start = image.address(out) - BASE
        for row in range(out.shape[0]):
            offset = start + row * out.strides[0]
            written[offset:offset + out.shape[1] * out.itemsize] = True
    before, below = run_in_node(wasm, image, calls, tmp_path)

    assert np.all(below == 0xA5), "the kernel wrote below the arrays (a stack or data of its own?)"
    changed = np.flatnonzero((image.bytes[:image.used] != before[:image.used]) & ~written)
    assert changed.size == 0, f"the kernel wrote outside its output, at image offsets {changed[:10]}"
    for (out, expected, bound), (m, k, n, layout) in zip(image.outputs, cases, strict=True):
        # Any summation order stays within k rounding errors of the sum of |a||b| terms.
        err = np.abs(out - expected)
        assert out.shape == (m, n), (m, k, n, layout)
        assert np.all(err <= 2 * k * eps * bound + 1e-30), (m, k, n, layout, err.max())


def test_kernel_is_exact_on_small_integers(wasm, tmp_path):
    rng = np.random.default_rng(1)
    image = Image(1 << 20)
    calls = []
    for dtype in (np.float32, np.float64):
        a, b, out = image.array((37, 29), dtype), image.array((29, 23), dtype), image.array((37, 23), dtype)
        a[...], b[...] = rng.integers(-8, 8, a.shape), rng.integers(-8, 8, b.shape)
        args = list(_kernel.gemm_arguments(a, b, out))
        args[3], args[6], args[8] = image.address(a), image.address(b), image.address(out)
        calls.append([_kernel.FUNCTIONS[np.dtype(dtype)], *args])
        image.outputs.append((out, a @ b, None))
    run_in_node(wasm, image, calls, tmp_path)
    for out, expected, _ in image.outputs:
        assert np.array_equal(out, expected)


def test_arguments_refuse_b_without_contiguous_rows():
    a, w = np.ones((4, 3), np.float32), np.ones((5, 3), np.float32)
    with pytest.raises(ValueError, match="contiguous memory"):
        _kernel.gemm_arguments(a, w.T, np.empty((4, 5), np.float32))


def test_build_refuses_a_kernel_with_data_or_a_stack(build, tmp_path):
    body = "{ for (int i = 0; i < m; i++) c[i] = %s; }"
    sources = {
        "data": "static const float t[8] = {1,2,3,4,5,6,7,8};\n"
                + "void sgemm(int m, float *c, int i0) " + body % "t[(i + i0) & 7]",
        "stack": "void use(volatile float *p);\n"
                 + "void sgemm(int m, float *c, int i0) { volatile float s[64]; s[i0 & 63] = 1; "
                   "for (int i = 0; i < m; i++) c[i] = s[i & 63]; }",
    }
    for what, code in sources.items():
        src = tmp_path / f"{what}.c"
        src.write_text(code + "\nvoid dgemm(void) {}\n")
        with pytest.raises(build.AssetError, match=what if what == "stack" else "data segments"):
            build.compile_kernel(tmp_path / f"{what}.wasm", source=src)


def test_the_build_job_makes_every_variant(build):
    assert [p.name for p in build.VARIANTS] == ["_kernel.wasm", "_kernel_relaxed.wasm"]
    from mlp import _kernel as loader

    assert set(loader.WASM_FILES) == {p.name for p in build.VARIANTS}


def test_the_built_kernel_is_small_and_imports_only_memory(wasm, build):
    data = wasm.read_bytes()
    assert len(data) < 16_000
    assert 11 not in build.module_sections(data)


def test_natively_the_backend_is_numpy_and_the_kernel_says_why_it_is_not_there():
    assert ops.backend() == "numpy"
    with pytest.raises(RuntimeError, match="only inside Pyodide"):
        ops.set_backend("kernel")
    with pytest.raises(RuntimeError, match="only inside Pyodide"):
        ops.matmul(np.ones((2, 2)), np.ones((2, 2)), method="kernel")
    with pytest.raises(ValueError, match=re.escape("'blas'; choose one of: numpy, kernel")):
        ops.set_backend("blas")
    ops.set_backend("numpy")
    assert ops.backend() == "numpy"


def test_the_mlp_wheel_ships_every_build_of_the_kernel(build, tmp_path):
    from assets.common import Context
    from assets.wheels import Wheel, build_wheel

    tree = tmp_path / "tree"
    shutil.copytree(ROOT / "mlp", tree / "mlp", ignore=shutil.ignore_patterns("__pycache__", "_kernel*.wasm"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, tree / name)
    for dest, flags in build.VARIANTS.items():
        build.compile_kernel(tree / "mlp" / dest.name, flags=flags)
    project = Wheel("mlp", tree, ("mlp", "pyproject.toml", "README.md"))
    wheel = build_wheel(Context(out=tmp_path / "assets"), project)
    with zipfile.ZipFile(wheel) as zf:
        for dest in build.VARIANTS:
            assert zf.read(f"mlp/{dest.name}") == (tree / "mlp" / dest.name).read_bytes()
