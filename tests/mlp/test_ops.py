import re

import numpy as np
import pytest

from mlp.ops import EINSUM_MIN_DIM, matmul, method_for

SHAPES = [(1, 1, 1), (3, 5, 2), (128, 784, 64), (128, 64, 10), (784, 128, 64), (128, 10, 64), (7, 1, 9),
          (4096, 784, 64), (2, 33, 40)]
METHODS = [None, "matmul", "einsum"]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("dtype, rtol", [(np.float32, 1e-5), (np.float64, 1e-12)])
@pytest.mark.parametrize("m, k, n", SHAPES)
def test_matmul_matches_the_operator(method, dtype, rtol, m, k, n):
    rng = np.random.default_rng(m * k * n)
    a = rng.standard_normal((m, k)).astype(dtype)
    b = rng.standard_normal((k, n)).astype(dtype)
    out = matmul(a, b, method)
    assert out.dtype == dtype and out.shape == (m, n)
    np.testing.assert_allclose(out, a @ b, rtol=rtol, atol=rtol * np.sqrt(k))


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_matmul_of_transposed_views(method, dtype):
    # The backward pass multiplies by x.T and W.T, views in Fortran order.
    rng = np.random.default_rng(0)
    x = rng.standard_normal((128, 784)).astype(dtype)
    dz = rng.standard_normal((128, 64)).astype(dtype)
    W = rng.standard_normal((784, 64)).astype(dtype)
    tol = 1e-4 if dtype == np.float32 else 1e-11
    np.testing.assert_allclose(matmul(x.T, dz, method), np.ascontiguousarray(x.T) @ dz, rtol=tol, atol=tol * 30)
    np.testing.assert_allclose(matmul(dz, W.T, method), dz @ np.ascontiguousarray(W.T), rtol=tol, atol=tol * 30)
    assert matmul(x.T, dz, method).dtype == dtype
    assert matmul(x.T, dz, method).flags.c_contiguous  # what the optimisers update in place


def test_methods_agree_on_integer_valued_inputs_exactly():
    # Small integers are exact in float32 whatever the order of the sums.
    rng = np.random.default_rng(1)
    a = rng.integers(-8, 8, size=(50, 70)).astype(np.float32)
    b = rng.integers(-8, 8, size=(70, 40)).astype(np.float32)
    assert np.array_equal(matmul(a, b, "einsum"), matmul(a, b, "matmul"))


def test_native_numpy_always_uses_the_operator():
    assert method_for(784, 64, in_browser=False) == "matmul"
    assert method_for(10, 10, in_browser=False) == "matmul"


@pytest.mark.parametrize("k, n, expected", [
    (784, 64, "einsum"),    # forward of the first layer
    (128, 64, "einsum"),    # its weight gradient, x.T @ dz
    (64, 10, "matmul"),     # the output layer: few columns
    (10, 64, "matmul"),     # the gradient through it: a short inner dimension
    (EINSUM_MIN_DIM, EINSUM_MIN_DIM, "einsum"),
    (EINSUM_MIN_DIM - 1, 512, "matmul"),
])
def test_in_the_browser_einsum_only_for_large_inner_and_outer_sizes(k, n, expected):
    assert method_for(k, n, in_browser=True) == expected


@pytest.mark.parametrize("a_shape, b_shape", [((3, 4), (5, 2)), ((4,), (4, 2)), ((3, 4), (4,)), ((2, 3, 4), (4, 2))])
def test_shapes_that_do_not_multiply_are_refused_with_both_shapes(a_shape, b_shape):
    with pytest.raises(ValueError, match=r"\(m, k\) and \(k, n\).*" + re.escape(str(a_shape))):
        matmul(np.ones(a_shape), np.ones(b_shape))


def test_unknown_method_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="'blas'.*matmul, einsum"):
        matmul(np.ones((2, 2)), np.ones((2, 2)), "blas")


@pytest.mark.parametrize("transposed", [False, True])
def test_einsum_splits_products_too_large_for_a_32_bit_iterator(monkeypatch, transposed):
    """Inside Pyodide, einsum refuses m*k*n >= 2**31; matmul then works on blocks of rows.
    Here the limit is lowered so that a small product needs several blocks."""
    from mlp import ops

    calls = []
    real_einsum = np.einsum

    def counting_einsum(spec, x, y, **kwargs):
        assert x.shape[0] * x.shape[1] * y.shape[1] <= 1000, (x.shape, y.shape)
        calls.append(x.shape)
        return real_einsum(spec, x, y, **kwargs)

    monkeypatch.setattr(ops, "EINSUM_MAX_SIZE", 1000)
    monkeypatch.setattr(ops.np, "einsum", counting_einsum)
    rng = np.random.default_rng(0)
    a = rng.standard_normal((20, 37)) if transposed else rng.standard_normal((37, 20))
    b = rng.standard_normal((20, 9))
    a = a.T if transposed else a
    out = matmul(a, b, method="einsum")
    assert out.shape == (37, 9) and out.flags.c_contiguous
    np.testing.assert_allclose(out, a @ b, rtol=1e-12, atol=1e-12)
    assert len(calls) > 1
