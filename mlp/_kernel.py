"""The SIMD matrix product that mlp uses inside Pyodide (kernels/gemm.c as WebAssembly).

NumPy in Pyodide has no BLAS and no SIMD; this small kernel multiplies float32 (and
float64) matrices with 128-bit WebAssembly SIMD instead. It is compiled at build time
(scripts/assets/kernel.py) into ``mlp/_kernel.wasm``, which ships in the mlp wheel.

How it shares memory with NumPy: Pyodide's Python, NumPy included, runs in one
WebAssembly memory. The kernel module does not have a memory of its own: it *imports*
that one (Pyodide 0.27.7 keeps it in its dynamic linker's table, as the ``memory`` import
of the main module), so an address from ``arr.__array_interface__["data"]`` is directly
a pointer the kernel can read, and the result is written straight into a NumPy array:
no copies. The build guarantees that the module owns no data and never uses a stack,
so it touches nothing but the arrays it is given.

Natively nothing here runs: NumPy's BLAS does the products (mlp/ops.py).
"""

from __future__ import annotations

import sys
import warnings
from importlib import resources

import numpy as np

# The builds of the kernel, in order of preference: the first the browser accepts is used.
# "relaxed" fuses each multiply-add into one instruction (relaxed SIMD: Chrome 114 and later);
# the plain one needs only 128-bit SIMD (Chrome 91, Firefox 89, Safari 16.4).
WASM_FILES = ("_kernel_relaxed.wasm", "_kernel.wasm")
FUNCTIONS = {np.dtype(np.float32): "sgemm", np.dtype(np.float64): "dgemm"}


class KernelUnavailable(RuntimeError):
    """The kernel cannot run here; the message says why (mlp then uses NumPy)."""


def accepts(a, b) -> bool:
    """Whether the kernel can multiply ``a @ b``: both float32, or both float64."""
    return a.dtype == b.dtype and a.dtype in FUNCTIONS


def _address(x: np.ndarray) -> int:
    return x.__array_interface__["data"][0]


def gemm_arguments(a: np.ndarray, b: np.ndarray, out: np.ndarray) -> tuple[int, ...]:
    """The arguments of ``sgemm``/``dgemm`` (kernels/gemm.c) that compute ``out = a @ b``.

    ``a`` (m, k) may have any strides that are whole elements (``x.T`` is fine); ``b``
    (k, n) needs contiguous rows and ``out`` (m, n) contiguous rows as well. Returns
    ``(m, n, k, a_address, a_row_stride, a_column_stride, b_address, b_row_stride,
    out_address, out_row_stride)``, strides in elements. Raises ``ValueError`` otherwise.
    """
    size = a.itemsize
    (a_rs, a_cs), (b_rs, b_cs), (c_rs, c_cs) = a.strides, b.strides, out.strides
    if b_cs != size or c_cs != size:
        raise ValueError("the kernel needs rows of b and out in contiguous memory; "
                         f"strides {b.strides}, {out.strides}")
    if a_rs % size or a_cs % size or b_rs % size or c_rs % size:
        raise ValueError(f"strides must be whole elements of {size} bytes; "
                         f"got {a.strides}, {b.strides}, {out.strides}")
    (m, k), n = a.shape, b.shape[1]
    return (m, n, k, _address(a), a_rs // size, a_cs // size,
            _address(b), b_rs // size, _address(out), c_rs // size)


class Kernel:
    """The loaded kernel: :meth:`matmul` multiplies NumPy arrays in place in Pyodide's memory.

    ``file`` names the build in use (one of :data:`WASM_FILES`).
    """

    def __init__(self, exports, file):
        self._functions = {dtype: getattr(exports, name) for dtype, name in FUNCTIONS.items()}
        self.file = file

    def matmul(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """``a @ b`` for 2-D float32 or float64 arrays of one dtype (see :func:`accepts`).

        Returns a new C-contiguous (m, n) array. Views of ``a`` are used as they are; a
        ``b`` without contiguous rows (``W.T``) is copied first, k*n values against the
        product's m*k*n multiply-adds.
        """
        size = a.itemsize
        if b.strides[1] != size or b.strides[0] % size:
            b = np.ascontiguousarray(b)
        if a.strides[0] % size or a.strides[1] % size:
            a = np.ascontiguousarray(a)  # a view that is not element-aligned (rare)
        out = np.empty((a.shape[0], b.shape[1]), dtype=a.dtype)
        self._functions[a.dtype](*gemm_arguments(a, b, out))
        return out


def _pyodide_memory():
    """Pyodide's WebAssembly.Memory, where all of Python's data lives."""
    import pyodide_js  # noqa: PLC0415 - exists only inside Pyodide

    module = pyodide_js._module
    memory = getattr(module, "wasmMemory", None)  # set when Pyodide was given a memory
    if memory is None:
        # The dynamic linker records the main module's imports, the memory among them.
        memory = module.LDSO.loadedLibsByName.__main__.exports.memory
    return memory


def _self_test(kernel: Kernel) -> None:
    """One small product, exact in float32 (small integers), that also proves the memory is shared."""
    a = (np.arange(15, dtype=np.float32).reshape(3, 5) % 7) - 3
    b = (np.arange(45, dtype=np.float32).reshape(5, 9) % 5) - 2
    for dtype in FUNCTIONS:
        x, y = a.astype(dtype), b.astype(dtype)
        if not np.array_equal(kernel.matmul(x, y), x @ y):
            raise KernelUnavailable(f"the kernel's {dtype} result differs from NumPy's on a test product")


def _builds():
    """``[(file name, bytes)]`` of the kernel's builds that this mlp holds, in preference order."""
    builds = []
    for name in WASM_FILES:
        try:
            builds.append((name, resources.files("mlp").joinpath(name).read_bytes()))
        except OSError:
            pass
    if not builds:
        raise KernelUnavailable(f"this build of mlp holds no kernel ({', '.join(WASM_FILES)} are missing)")
    return builds


def load(builds=None) -> Kernel:
    """Instantiate the first kernel build the browser accepts on Pyodide's memory, and check it.

    ``builds`` is ``[(name, wasm bytes)]`` (default: mlp's own, see :data:`WASM_FILES`).
    Raises :class:`KernelUnavailable` outside Pyodide, when mlp holds no kernel, or when the
    browser can run none of the builds (WebAssembly without SIMD, before Chrome 91/Safari 16.4).
    """
    if sys.platform != "emscripten":
        raise KernelUnavailable("the SIMD kernel runs only inside Pyodide; "
                                "natively NumPy's BLAS does the products")
    from pyodide.ffi import to_js  # noqa: PLC0415

    import js  # noqa: PLC0415 - Pyodide only

    accepted = [(name, to_js(wasm)) for name, wasm in (builds or _builds())]
    accepted = [(name, data) for name, data in accepted if js.WebAssembly.validate(data)]
    if not accepted:
        raise KernelUnavailable("this browser's WebAssembly cannot run the kernel (it needs 128-bit SIMD)")
    name, data = accepted[0]
    try:
        imports = to_js({"env": {"memory": _pyodide_memory()}}, dict_converter=js.Object.fromEntries)
        instance = js.WebAssembly.Instance.new(js.WebAssembly.Module.new(data), imports)
    except Exception as exc:  # a JavaScript error: say which, keep NumPy going
        raise KernelUnavailable(f"the kernel could not be instantiated: {exc}") from None
    kernel = Kernel(instance.exports, name)
    _self_test(kernel)
    return kernel


_loaded: Kernel | None = None
_failure: str | None = None


def get() -> Kernel | None:
    """The kernel, loaded on first use; ``None`` (with one warning in the browser) if it cannot load."""
    global _loaded, _failure
    if _loaded is None and _failure is None:
        try:
            _loaded = load()
        except KernelUnavailable as exc:
            _failure = str(exc)
            if sys.platform == "emscripten":
                warnings.warn(f"mlp uses NumPy for matrix products: {_failure}", RuntimeWarning, stacklevel=3)
    return _loaded


def failure() -> str | None:
    """Why the kernel could not load, or ``None`` (not tried yet, or loaded)."""
    return _failure
