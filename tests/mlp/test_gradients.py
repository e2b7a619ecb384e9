"""Central-difference gradient checks in float64: activations, loss, whole networks."""

import warnings

import numpy as np
import pytest

import mlp
from mlp.gradcheck import check_gradients, numerical_gradient, relative_error

TOL = 1e-6


def away_from_zero(rng, shape):
    # relu and leaky_relu have a kink at 0; keep samples a safe distance from it.
    z = rng.standard_normal(shape) * 3
    return np.where(np.abs(z) < 1e-2, 0.5, z)


@pytest.mark.parametrize("name", sorted(mlp.ACTIVATIONS))
def test_activation_derivative(name):
    f, df = mlp.activations.get_activation(name)
    rng = np.random.default_rng(0)
    z = away_from_zero(rng, (6, 7))
    r = rng.standard_normal(z.shape)  # random weights make sum(f(z) * r) sensitive to every element
    numeric = numerical_gradient(lambda: float(np.sum(f(z) * r)), z)
    analytic = df(f(z)) * r
    assert relative_error(analytic, numeric) < TOL


def test_fused_softmax_cross_entropy_gradient():
    rng = np.random.default_rng(1)
    z = rng.standard_normal((5, 10)) * 4
    y = mlp.one_hot(rng.integers(0, 10, 5), dtype="float64")
    numeric = numerical_gradient(lambda: mlp.cross_entropy(mlp.softmax(z), y), z)
    analytic = mlp.losses.softmax_cross_entropy_grad(mlp.softmax(z), y)
    assert relative_error(analytic, numeric) < TOL


@pytest.mark.parametrize("activation", sorted(mlp.ACTIVATIONS))
@pytest.mark.parametrize("sizes", [[6, 4], [6, 5, 4], [6, 5, 4, 3], [6, 7, 5, 4, 3]])
def test_network_gradients(sizes, activation):
    net = mlp.Network(sizes, activation=activation, init="xavier", seed=3, dtype="float64")
    for p in net.params.values():  # non-zero biases, so their gradients are exercised too
        p += np.random.default_rng(4).normal(0, 0.1, p.shape)
    rng = np.random.default_rng(5)
    x = rng.standard_normal((8, sizes[0]))
    y = mlp.one_hot(rng.integers(0, sizes[-1], 8), sizes[-1], dtype="float64")
    errors = check_gradients(net, x, y)
    assert set(errors) == set(net.params)
    assert max(errors.values()) < TOL, errors


def test_gradient_check_catches_a_wrong_derivative():
    net = mlp.Network([5, 4, 3], activation="sigmoid", seed=0, dtype="float64")
    net.layers[0].df = lambda a: a  # wrong: sigmoid' is a(1-a)
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((4, 5)), mlp.one_hot(np.array([0, 1, 2, 0]), 3, dtype="float64")
    errors = check_gradients(net, x, y)
    assert errors["W1"] > 1e-2 and errors["W2"] < TOL


def test_numerical_gradient_of_a_known_function():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    grad = numerical_gradient(lambda: float(np.sum(x ** 3)), x)
    np.testing.assert_allclose(grad, 3 * x ** 2, rtol=1e-8)
    np.testing.assert_array_equal(x, [[1.0, -2.0], [0.5, 3.0]])  # restored


def test_gradient_checks_refuse_float32():
    with pytest.raises(ValueError, match="float64"):
        numerical_gradient(lambda: 0.0, np.zeros(3, np.float32))
    net = mlp.Network([4, 3], dtype="float32")
    with pytest.raises(ValueError, match="float64"):
        check_gradients(net, np.zeros((2, 4)), np.eye(3)[:2])


def test_relative_error():
    assert relative_error([1.0, 2.0], [1.0, 2.0]) == 0
    assert relative_error([0.0], [0.0]) == 0
    assert relative_error([1.0, 0.0], [-1.0, 0.0]) == pytest.approx(1.0)


# --- numerical behaviour the tutorial gets wrong -------------------------------

@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_is_stable_for_large_inputs(dtype):
    z = np.array([-1e4, -800, -100, -30, 0, 30, 100, 800, 1e4], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow to 0 is fine
            s = mlp.sigmoid(z)
            d = mlp.activations.DERIVATIVES["sigmoid"](s)
    assert s.dtype == dtype and d.dtype == dtype
    assert s[0] == 0 and s[-1] == 1 and s[4] == 0.5
    assert np.all(np.isfinite(d)) and np.all(np.diff(s) >= 0)
    moderate = np.linspace(-20, 20, 41).astype(dtype)
    np.testing.assert_allclose(mlp.sigmoid(moderate), 1 / (1 + np.exp(-moderate.astype(np.float64))),
                               rtol=1e-6 if dtype == np.float32 else 1e-14)


def test_softmax_subtracts_each_samples_own_maximum():
    # One maximum for the whole batch (1000) would underflow every exp of the second row to 0.
    z = np.array([[1000.0, 999.0, 998.0], [1.0, 2.0, 3.0]])
    with np.errstate(all="raise"):
        p = mlp.softmax(z)
    e = np.exp([0.0, -1.0, -2.0])
    np.testing.assert_allclose(p, [e / e.sum(), e[::-1] / e.sum()], rtol=1e-14)
    assert p.dtype == np.float64
    assert mlp.softmax(z.astype(np.float32)).dtype == np.float32


def test_cross_entropy_never_takes_log_zero():
    p = np.array([[1.0, 0.0], [0.5, 0.5]], dtype=np.float32)
    y = np.array([[0.0, 1.0], [1.0, 0.0]], dtype=np.float32)
    with np.errstate(all="raise"):
        loss = mlp.cross_entropy(p, y)
    assert np.isfinite(loss) and loss > 40  # -log(tiny)/2 + log(2)/2
    q = np.array([[0.25, 0.75], [0.5, 0.5]])
    assert mlp.cross_entropy(q, y) == pytest.approx(-(np.log(0.75) + np.log(0.5)) / 2)
