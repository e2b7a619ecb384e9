"""The matrix product of the browser's forward and backward passes, chosen for the platform.

The lesson's layer (mlp/layers.py) writes ``x @ W``; inside Pyodide the network's layers
are mlp/tools/fast.py's, which send the same three products through :func:`matmul`.

Natively, ``a @ b`` calls an optimised BLAS and is hard to beat. Inside Pyodide
(the site's in-browser Python) NumPy is built without BLAS, and ``a @ b`` falls
back to a plain loop that walks a column of ``b`` for every output element.
``np.einsum("ij,jk->ik", a, b)`` instead adds ``a[i, j] * b[j, :]`` into
``out[i, :]``, row after contiguous row, and is several times faster there,
except when the shared or the output dimension is small: its per-row overhead
then dominates and ``@`` wins (scripts/bench and docs/performance.md hold the
figures). Both give the same result up to floating-point rounding.

When ``a`` is a transposed view (``x.T`` in a weight gradient ``x.T @ dz``),
einsum's loops no longer run along contiguous memory; computing the transposed
product ``(b.T @ a.T).T`` instead, whose operands are the original arrays, puts
them back on contiguous rows.

NumPy inside Pyodide is a 32-bit build: einsum's iterator counts the m*k*n
multiply-adds of a product in a signed 32-bit integer and refuses products of
2**31 or more ("iterator is too large"), such as 4096 rows times a 784x700
layer. :func:`matmul` then runs einsum on blocks of rows small enough to fit.

Faster still in the browser is mlp's own SIMD kernel (mlp/_kernel.py): a small
WebAssembly matrix product working directly on NumPy's arrays. It is the default
backend inside Pyodide whenever it loads; :func:`set_backend` switches between it
and the pure-NumPy path above, so the difference can be measured.
"""

import sys

import numpy as np

from . import _kernel

IN_BROWSER = sys.platform == "emscripten"  # Pyodide: NumPy without BLAS
BACKENDS = ("numpy", "kernel")
METHODS = ("matmul", "einsum", "kernel")
EINSUM_MIN_DIM = 32  # einsum pays off when both k and n are at least this large
EINSUM_MAX_SIZE = 2**31 - 1  # m*k*n above this overflows einsum's iterator on 32-bit NumPy


def method_for(k, n, in_browser=IN_BROWSER):
    """The faster way to multiply ``(m, k)`` by ``(k, n)`` here: ``"einsum"`` or ``"matmul"``."""
    return "einsum" if in_browser and k >= EINSUM_MIN_DIM and n >= EINSUM_MIN_DIM else "matmul"


_backend = None  # None until first asked: "kernel" inside Pyodide if it loads, else "numpy"


def backend():
    """The backend of :func:`matmul`: ``"kernel"`` (the SIMD kernel) or ``"numpy"``.

    Natively this is always ``"numpy"`` (NumPy hands ``@`` to a BLAS). Inside Pyodide the
    first call loads the kernel; if it cannot load, mlp warns once and uses ``"numpy"``.
    """
    global _backend
    if _backend is None:
        _backend = "kernel" if IN_BROWSER and _kernel.get() is not None else "numpy"
    return _backend


def set_backend(name):
    """Choose how :func:`matmul` multiplies float matrices: ``"numpy"`` or ``"kernel"``.

    ``"numpy"`` is the pure-NumPy path (``@`` or einsum); ``"kernel"`` is mlp's SIMD
    kernel, available only inside Pyodide. Raises ``ValueError`` for another name and
    ``RuntimeError`` (saying why) when the kernel cannot run here.
    """
    global _backend
    if name not in BACKENDS:
        raise ValueError(f"unknown matmul backend {name!r}; choose one of: {', '.join(BACKENDS)}")
    if name == "kernel" and _kernel.get() is None:
        raise RuntimeError(f"the matmul backend 'kernel' is not available: {_kernel.failure()}")
    _backend = name


def matmul(a, b, method=None):
    """Matrix product ``a @ b`` of two 2-D arrays, by the faster method for this platform.

    Parameters
    ----------
    a : ndarray, shape (m, k)
    b : ndarray, shape (k, n)
        Transposed views such as ``x.T`` are fine: no copy is made.
    method : {None, "matmul", "einsum", "kernel"}
        ``None`` uses the SIMD kernel when :func:`backend` is ``"kernel"`` and both arrays
        are float32 or both float64, else chooses with :func:`method_for`; the others
        force one method (``"kernel"`` raises ``RuntimeError`` where it is not available).

    Returns
    -------
    ndarray, shape (m, n), with the dtype of the inputs.
    """
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[0]:
        raise ValueError(f"matmul needs 2-D arrays of shapes (m, k) and (k, n); got {a.shape} and {b.shape}")
    if method is None:
        use_kernel = backend() == "kernel" and _kernel.accepts(a, b)
        method = "kernel" if use_kernel else method_for(a.shape[1], b.shape[1])
    if method == "kernel":
        kernel = _kernel.get()
        if kernel is None or not _kernel.accepts(a, b):
            why = (_kernel.failure() if kernel is None
                   else f"it multiplies float32 or float64 only, not {a.dtype} by {b.dtype}")
            raise RuntimeError(f"matmul method 'kernel' is not available: {why}")
        return kernel.matmul(a, b)
    if method == "einsum":
        if a.flags.f_contiguous and not a.flags.c_contiguous:  # a transposed view
            return np.ascontiguousarray(_einsum_by_rows(b.T, a.T).T)
        return _einsum_by_rows(a, b)
    if method == "matmul":
        return a @ b
    raise ValueError(f"unknown matmul method {method!r}; choose one of: {', '.join(METHODS)}")


def _einsum_by_rows(a, b, max_size=None):
    """``np.einsum("ij,jk->ik", a, b)``, in blocks of rows of ``a`` of at most
    ``max_size`` (default :data:`EINSUM_MAX_SIZE`) multiply-adds each."""
    max_size = EINSUM_MAX_SIZE if max_size is None else max_size
    (m, k), n = a.shape, b.shape[1]
    rows = max(1, max_size // max(1, k * n))
    if m <= rows:
        return np.einsum("ij,jk->ik", a, b)
    out = np.empty((m, n), dtype=np.result_type(a, b))
    for start in range(0, m, rows):
        np.einsum("ij,jk->ik", a[start:start + rows], b, out=out[start:start + rows])
    return out
