"""L2 weight decay (loss term and decoupled), dropout: hand-computed numbers and gradient checks."""

import numpy as np
import pytest

import mlp
from mlp.gradcheck import numerical_gradient, relative_error
from mlp.regularization import decay_weights

TOL = 1e-6


def tiny_net(activation="tanh", sizes=(6, 5, 4, 3), seed=0):
    return mlp.Network(list(sizes), activation=activation, seed=seed, dtype="float64")


def batch(n=7, features=6, classes=3, seed=1):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, features))
    y = mlp.one_hot(rng.integers(0, classes, n), classes, dtype="float64")
    return x, y


def test_l2_penalty_by_hand_leaves_out_the_biases():
    params = {"W1": np.array([[1.0, 2.0], [3.0, 4.0]]), "b1": np.array([5.0, 6.0]), "W2": np.array([[-1.0]])}
    # 0.1 / 2 * (1 + 4 + 9 + 16 + 1) = 1.55
    assert mlp.l2_penalty(params, 0.1) == pytest.approx(1.55)
    grads = {"W1": np.ones((2, 2)), "b1": np.ones(2), "W2": np.zeros((1, 1))}
    mlp.add_l2_gradient(params, grads, 0.1)
    np.testing.assert_allclose(grads["W1"], [[1.1, 1.2], [1.3, 1.4]])
    np.testing.assert_array_equal(grads["b1"], [1.0, 1.0])
    np.testing.assert_allclose(grads["W2"], [[-0.1]])


def test_l2_loss_term_gradient_check():
    net, (x, y), l2 = tiny_net(), batch(), 0.3

    def loss():
        return mlp.cross_entropy(net.forward(x), y) + mlp.l2_penalty(net.params, l2)

    grads = mlp.add_l2_gradient(net.params, net.backward(net.forward(x), y), l2)
    grads = {k: v.copy() for k, v in grads.items()}
    for name, param in net.params.items():
        assert relative_error(grads[name], numerical_gradient(loss, param)) < TOL, name


def test_decoupled_weight_decay_by_hand():
    # SGD, learning rate 0.1, weight decay 0.5: W <- (1 - 0.05) W - 0.1 g; biases are not decayed.
    params = {"W1": np.array([2.0]), "b1": np.array([2.0])}
    grads = {"W1": np.array([1.0]), "b1": np.array([1.0])}
    mlp.SGD(learning_rate=0.1, weight_decay=0.5).step(params, grads)
    assert params["W1"][0] == pytest.approx(1.8) and params["b1"][0] == pytest.approx(1.9)
    # AdamW, first step: m_hat = g and v_hat = g^2, so the Adam part moves by lr * g / (|g| + eps).
    params = {"W1": np.array([1.0, -1.0])}
    mlp.Adam(learning_rate=0.1, weight_decay=0.1).step(params, {"W1": np.array([0.5, 0.5])})
    np.testing.assert_allclose(params["W1"], [0.99 - 0.1, -0.99 - 0.1], rtol=1e-7)


def test_the_two_forms_agree_for_sgd_and_differ_for_adam():
    """L2 in the loss and decoupled decay are one update for SGD, two for Adam (AdamW)."""
    rng = np.random.default_rng(0)
    start = {"W1": rng.standard_normal((4, 3)), "b1": rng.standard_normal(3)}
    grads = [{k: rng.standard_normal(v.shape) * (10 if k == "W1" else 1) for k, v in start.items()}
             for _ in range(5)]
    lam, lr = 0.01, 0.05

    def run(optimizer, loss_term):
        params = {k: v.copy() for k, v in start.items()}
        for g in grads:
            g = {k: v.copy() for k, v in g.items()}
            if loss_term:
                mlp.add_l2_gradient(params, g, lam)
            optimizer.step(params, g)
        return params["W1"]

    np.testing.assert_allclose(run(mlp.SGD(lr), True), run(mlp.SGD(lr, weight_decay=lam), False), rtol=1e-12)
    coupled, decoupled = run(mlp.Adam(lr), True), run(mlp.Adam(lr, weight_decay=lam), False)
    no_decay = run(mlp.Adam(lr), False)
    # Under Adam the loss-term decay is divided by sqrt(v_hat), which the large gradients make
    # large: it shrinks the weights far less than the decoupled decay does.
    assert relative_error(coupled, decoupled) > 1e-4
    assert np.abs(coupled - no_decay).max() < 0.1 * np.abs(decoupled - no_decay).max()


@pytest.mark.parametrize("value", [-0.1, float("nan"), float("inf"), "a lot", None])
def test_bad_weight_decay_and_l2_are_refused(value, small):
    with pytest.raises(ValueError, match="weight decay"):
        mlp.Adam(0.001, weight_decay=value)
    net = mlp.Network([784, 8, 10], seed=0)
    with pytest.raises(ValueError, match="l2"):
        mlp.Trainer(net, "sgd", small.x_train, small.y_train, l2=value)


def test_decay_that_would_flip_the_weights_is_refused():
    with pytest.raises(ValueError, match="below 1"):
        decay_weights({"W1": np.ones(2)}, 1.5)


def test_inverted_dropout_masks():
    a = np.ones((2000, 50), dtype=np.float32)
    dropout = mlp.Dropout(rate=0.2, seed=3)
    out = dropout.forward(0, a)
    assert out.dtype == np.float32 and np.all(a == 1)  # the input is left alone
    assert set(np.unique(out)) == {0.0, np.float32(1 / 0.8)}
    assert np.mean(out == 0) == pytest.approx(0.2, abs=0.01)
    assert out.mean() == pytest.approx(1.0, abs=0.02)  # the expected output is unchanged
    again = mlp.Dropout(rate=0.2, seed=3).forward(0, a)
    np.testing.assert_array_equal(out, again)  # the same seed, the same mask
    assert not np.array_equal(out, dropout.forward(0, a))  # a new mask each step
    np.testing.assert_array_equal(mlp.Dropout(0.0).forward(0, a), a)


@pytest.mark.parametrize("rate", [-0.1, 1.0, 1.5, "half", None])
def test_bad_dropout_rates_are_refused(rate):
    with pytest.raises(ValueError, match="dropout rate"):
        mlp.Dropout(rate)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "leaky_relu"])
def test_dropout_gradient_check_with_a_fixed_mask(activation):
    net, (x, y) = tiny_net(activation), batch()
    dropout = mlp.Dropout(rate=0.4, seed=5)
    p = net.forward(x, dropout=dropout)  # draws the masks
    assert any((m == 0).any() for m in dropout.masks.values()) and set(dropout.masks) == {0, 1}
    grads = {k: v.copy() for k, v in net.backward(p, y).items()}
    dropout.fixed = True  # the loss must be one function of the weights
    for name, param in net.params.items():
        numeric = numerical_gradient(lambda: mlp.cross_entropy(net.forward(x, dropout=dropout), y), param)
        assert relative_error(grads[name], numeric) < TOL, name


def test_dropout_is_off_when_predicting_and_evaluating(small):
    net = mlp.Network([784, 32, 10], activation="relu", init="he", seed=0)
    trainer = mlp.Trainer(net, mlp.Adam(0.001), *small, batch_size=64, epochs=1, dropout=0.5, seed=0)
    trainer.fit()
    first = net.predict_proba(small.x_test[:50])
    np.testing.assert_array_equal(first, net.predict_proba(small.x_test[:50]))
    np.testing.assert_array_equal(first, net.forward(small.x_test[:50]))
    assert net.evaluate(small.x_test, small.y_test) == (trainer.history[-1]["test_loss"],
                                                        trainer.history[-1]["test_acc"])


def test_dropout_training_is_deterministic_and_changes_the_result(small):
    def weights(**options):
        net = mlp.Network([784, 16, 10], activation="relu", init="he", seed=0)
        mlp.Trainer(net, mlp.Adam(0.002), small.x_train[:500], small.y_train[:500], batch_size=50,
                    epochs=1, seed=4, **options).fit()
        return net.params["W1"]

    np.testing.assert_array_equal(weights(dropout=0.3), weights(dropout=0.3))
    assert not np.array_equal(weights(dropout=0.3), weights())


def test_trainer_adds_the_l2_term_to_the_batch_loss(small):
    class Losses(mlp.Callback):
        def __init__(self):
            self.seen = []

        def on_batch_end(self, trainer, info):
            self.seen.append(info["loss"])

    def first_loss(l2):
        net = mlp.Network([784, 8, 10], seed=0, dtype="float64")
        penalty = mlp.l2_penalty(net.params, l2)
        losses = Losses()
        mlp.Trainer(net, "sgd", small.x_train[:64], small.y_train[:64], batch_size=64, epochs=1,
                    l2=l2, callbacks=[losses]).fit()
        return losses.seen[0], penalty

    plain, _ = first_loss(0.0)
    with_l2, penalty = first_loss(0.5)
    assert penalty > 1 and with_l2 == pytest.approx(plain + penalty, rel=1e-6)
