"""The one matrix product that every forward and backward pass goes through.

Keeping it in one place means the fastest way to multiply matrices can be chosen
for each platform without touching the rest of the package. Natively, ``a @ b``
calls an optimised BLAS and is hard to beat; inside Pyodide NumPy has no BLAS,
and other paths (``np.einsum``, SciPy's BLAS) may be faster there.
"""

import numpy as np


def matmul(a, b):
    """Matrix product ``a @ b`` of two 2-D arrays.

    Parameters
    ----------
    a : ndarray, shape (m, k)
    b : ndarray, shape (k, n)
        Transposed views such as ``x.T`` are fine: no copy is made.

    Returns
    -------
    ndarray, shape (m, n), with the dtype of the inputs.
    """
    return np.matmul(a, b)
