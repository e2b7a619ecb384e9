import numpy as np
import pytest

from mlp.ops import matmul

SHAPES = [(1, 1, 1), (3, 5, 2), (128, 784, 64), (128, 64, 10), (784, 128, 64), (7, 1, 9)]


@pytest.mark.parametrize("dtype, rtol", [(np.float32, 1e-5), (np.float64, 1e-12)])
@pytest.mark.parametrize("m, k, n", SHAPES)
def test_matmul_matches_the_operator(dtype, rtol, m, k, n):
    rng = np.random.default_rng(m * k * n)
    a = rng.standard_normal((m, k)).astype(dtype)
    b = rng.standard_normal((k, n)).astype(dtype)
    out = matmul(a, b)
    assert out.dtype == dtype and out.shape == (m, n)
    np.testing.assert_allclose(out, a @ b, rtol=rtol, atol=rtol * np.sqrt(k))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_matmul_of_transposed_views(dtype):
    # The backward pass multiplies by x.T and W.T, views in Fortran order.
    rng = np.random.default_rng(0)
    x = rng.standard_normal((128, 784)).astype(dtype)
    dz = rng.standard_normal((128, 64)).astype(dtype)
    W = rng.standard_normal((784, 64)).astype(dtype)
    tol = 1e-4 if dtype == np.float32 else 1e-11
    np.testing.assert_allclose(matmul(x.T, dz), np.ascontiguousarray(x.T) @ dz, rtol=tol, atol=tol * 30)
    np.testing.assert_allclose(matmul(dz, W.T), dz @ np.ascontiguousarray(W.T), rtol=tol, atol=tol * 30)
    assert matmul(x.T, dz).dtype == dtype
