"""Each optimiser's update rule against numbers worked out by hand."""

import numpy as np
import pytest

import mlp

G1, G2 = np.array([0.5, -1.0]), np.array([0.1, 0.2])  # two successive gradients


def two_steps(optimizer, dtype=np.float64):
    w = np.array([1.0, -2.0], dtype=dtype)
    params = {"w": w}
    out = []
    for g in (G1, G2):
        optimizer.step(params, {"w": g.astype(dtype)})
        out.append(w.copy())
    assert params["w"] is w  # updated in place
    return out


def test_sgd():
    # w - 0.1 g: [1, -2] -> [0.95, -1.9] -> [0.94, -1.92]
    np.testing.assert_allclose(two_steps(mlp.SGD(0.1)), [[0.95, -1.9], [0.94, -1.92]], rtol=1e-14)


def test_momentum_follows_the_tutorial_rule():
    # v1 = 0.1 g1 = [0.05, -0.1];            w1 = w0 - 4 v1 = [0.8, -1.6]
    # v2 = 0.9 v1 + 0.1 g2 = [0.055, -0.07]; w2 = w1 - 4 v2 = [0.58, -1.32]
    steps = two_steps(mlp.Momentum(learning_rate=4, beta=0.9))
    np.testing.assert_allclose(steps, [[0.8, -1.6], [0.58, -1.32]], rtol=1e-14)


def test_classic_momentum():
    # v1 = g1; w1 = w0 - 0.1 v1 = [0.95, -1.9]
    # v2 = 0.9 g1 + g2 = [0.55, -0.7]; w2 = w1 - 0.1 v2 = [0.895, -1.83]
    steps = two_steps(mlp.Momentum(0.1, 0.9, form="classic"))
    np.testing.assert_allclose(steps, [[0.95, -1.9], [0.895, -1.83]], rtol=1e-14)


def test_nesterov_momentum():
    # classic: v1 = g1, w1 = w0 - 0.1 (g1 + 0.9 v1) = [0.905, -1.81]
    #          v2 = [0.55, -0.7], w2 = w1 - 0.1 (g2 + 0.9 v2) = w1 - 0.1 [0.595, -0.43] = [0.8455, -1.767]
    expected = [[0.905, -1.81], [0.8455, -1.767]]
    np.testing.assert_allclose(two_steps(mlp.Momentum(0.1, 0.9, form="classic", nesterov=True)), expected,
                               rtol=1e-14)
    # the average form with learning rate 0.1 / (1 - 0.9) = 1 takes the same steps
    np.testing.assert_allclose(two_steps(mlp.Momentum(1.0, 0.9, nesterov=True)), expected, rtol=1e-13)


@pytest.mark.parametrize("nesterov", [False, True])
def test_momentum_forms_relate_by_one_minus_beta(nesterov):
    rng = np.random.default_rng(0)
    grads = rng.standard_normal((50, 3))
    a, b = np.ones(3), np.ones(3)
    average = mlp.Momentum(learning_rate=4, beta=0.9, nesterov=nesterov)
    classic = mlp.Momentum(learning_rate=4 * (1 - 0.9), beta=0.9, form="classic", nesterov=nesterov)
    for g in grads:
        average.step({"p": a}, {"p": g})
        classic.step({"p": b}, {"p": g})
    np.testing.assert_allclose(a, b, rtol=1e-12)


def test_rmsprop():
    # s1 = 0.1 g1^2 = [0.025, 0.1]; w1 = w0 - 0.01 g1 / sqrt(s1) = w0 - 0.01 sqrt(10) sign(g1)
    # s2 = 0.9 s1 + 0.1 g2^2 = [0.0235, 0.094]; step 0.01 g2 / sqrt(s2) = [0.00652328, 0.00652328]
    steps = two_steps(mlp.RMSProp(learning_rate=0.01, rho=0.9))
    np.testing.assert_allclose(steps, [[0.96837722, -1.96837722], [0.96185395, -1.97490050]], rtol=1e-8)


def test_adam_with_bias_correction():
    # t=1: m_hat = g1, v_hat = g1^2, so the step is 0.1 sign(g1): w1 = [0.9, -1.9]
    # t=2: m = [0.055, -0.07], m_hat = m / 0.19; v = [0.00025975, 0.001039], v_hat = v / 0.001999
    #      step = 0.1 m_hat / sqrt(v_hat) = [0.08030409, -0.05110261]
    steps = two_steps(mlp.Adam(learning_rate=0.1))
    np.testing.assert_allclose(steps, [[0.9, -1.9], [0.81969591, -1.84889739]], rtol=1e-8)


@pytest.mark.parametrize("name", sorted(mlp.OPTIMIZERS))
def test_float32_parameters_stay_float32(name):
    optimizer = mlp.make_optimizer(name, learning_rate=np.float64(0.01))
    w = np.ones((3, 2), dtype=np.float32)
    for _ in range(3):
        optimizer.step({"w": w}, {"w": np.full((3, 2), 0.5, dtype=np.float32)})
    assert w.dtype == np.float32
    assert all(a.dtype == np.float32 for s in optimizer.state.values() for a in s.values())


def test_state_is_kept_per_parameter():
    optimizer = mlp.Momentum(1.0, 0.5)
    a, b = np.zeros(2), np.zeros(2)
    optimizer.step({"a": a, "b": b}, {"a": np.ones(2), "b": -np.ones(2)})
    optimizer.step({"a": a}, {"a": np.ones(2)})  # b's velocity must not move
    np.testing.assert_allclose(optimizer.state["a"]["v"], [0.75, 0.75])
    np.testing.assert_allclose(optimizer.state["b"]["v"], [-0.5, -0.5])
    np.testing.assert_allclose(a, [-1.25, -1.25])


def test_bad_settings():
    with pytest.raises(ValueError, match="unknown optimizer 'nadam'.*sgd, momentum, rmsprop, adam"):
        mlp.make_optimizer("nadam")
    for lr in (0, -1, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="learning rate must be a positive number"):
            mlp.SGD(lr)
    with pytest.raises(ValueError, match="beta must be in"):
        mlp.Momentum(0.1, beta=1.0)
    with pytest.raises(ValueError, match="unknown momentum form 'heavy'.*average, classic"):
        mlp.Momentum(0.1, form="heavy")
    with pytest.raises(ValueError, match="beta2 must be in"):
        mlp.Adam(beta2=-0.1)


def tutorial_step(params, velocity, x, y, lr, beta):
    """The tutorial's forward, backward and momentum update (W of shape (n_out, n_in), columns = samples)."""
    def sigmoid(z):
        return 1 / (1 + np.exp(-z))

    z1 = params["W1"] @ x.T + params["b1"]
    a1 = sigmoid(z1)
    z2 = params["W2"] @ a1 + params["b2"]
    # per-sample max: the tutorial's one batch max differs only in rounding here
    e = np.exp(z2 - z2.max(axis=0))
    out = e / e.sum(axis=0)
    n = y.shape[0]
    dz2 = out - y.T
    grads = {"W2": dz2 @ a1.T / n, "b2": dz2.sum(axis=1, keepdims=True) / n}
    dz1 = (params["W2"].T @ dz2) * np.exp(-z1) / (np.exp(-z1) + 1) ** 2
    grads.update(W1=dz1 @ x / n, b1=dz1.sum(axis=1, keepdims=True) / n)
    for k in params:
        velocity[k] = beta * velocity[k] + (1 - beta) * grads[k]
        params[k] = params[k] - lr * velocity[k]


def test_momentum_training_matches_the_tutorials_code(small):
    x, y = small.x_train.astype(np.float64), small.y_train.astype(np.float64)
    net = mlp.Network([784, 32, 10], activation="sigmoid", seed=0, dtype="float64")
    ref = {"W1": net.params["W1"].T.copy(), "b1": np.zeros((32, 1)),
           "W2": net.params["W2"].T.copy(), "b2": np.zeros((10, 1))}
    velocity = {k: np.zeros_like(v) for k, v in ref.items()}
    optimizer = mlp.Momentum(learning_rate=4, beta=0.9)
    trainer = mlp.Trainer(net, optimizer, x, y, batch_size=128, epochs=1)
    for i in range(0, 15 * 128, 128):  # 15 full batches of the 2000 images
        xb, yb = x[i:i + 128], y[i:i + 128]
        trainer.step(xb, yb)
        tutorial_step(ref, velocity, xb, yb, lr=4, beta=0.9)
    for k, v in net.params.items():
        np.testing.assert_allclose(v, ref[k].T.reshape(v.shape), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("optimizer", [
    lambda: mlp.Momentum(4.0, 0.9),
    lambda: mlp.Momentum(0.4, 0.9, form="classic", nesterov=True),
    lambda: mlp.Adam(0.01, weight_decay=0.1),
], ids=["momentum", "classic-nesterov", "adamw"])
@pytest.mark.parametrize("dtype, rtol", [("float32", 1e-5), ("float64", 1e-12)])
def test_the_readable_update_and_the_in_place_one_agree(optimizer, dtype, rtol):
    """The formula as written (fused = False) and the in-place version step() uses by default."""
    rng = np.random.default_rng(0)
    start = {"W1": rng.standard_normal((30, 20)).astype(dtype), "b1": np.zeros(20, dtype)}
    grads = [{k: rng.standard_normal(v.shape).astype(dtype) for k, v in start.items()} for _ in range(20)]
    readable, in_place = optimizer(), optimizer()
    readable.fused = False
    assert in_place.fused and type(readable).update_in_place is not mlp.Optimizer.update_in_place
    results = []
    for opt in (readable, in_place):
        params = {k: v.copy() for k, v in start.items()}
        for g in grads:
            opt.step(params, g)
        assert all(p.dtype == dtype for p in params.values())
        results.append(params)
    for key in start:
        np.testing.assert_allclose(results[0][key], results[1][key], rtol=rtol, atol=rtol)
        assert not np.allclose(results[0][key], start[key])  # the steps moved the weights
