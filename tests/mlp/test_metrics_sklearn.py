"""mlp's scores cross-checked against scikit-learn's (sklearn.metrics), a second implementation."""

import numpy as np
import pytest
from sklearn import metrics

import mlp


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_accuracy_and_confusion_matrix_on_random_labels(seed):
    rng = np.random.default_rng(seed)
    true = rng.integers(0, 10, 500)
    predicted = np.where(rng.random(500) < 0.7, true, rng.integers(0, 10, 500))
    assert mlp.accuracy(true, predicted) == pytest.approx(metrics.accuracy_score(true, predicted), abs=1e-15)
    np.testing.assert_array_equal(mlp.confusion_matrix(true, predicted, num_classes=10),
                                  metrics.confusion_matrix(true, predicted, labels=range(10)))
    np.testing.assert_allclose(mlp.metrics.per_class_accuracy(true, predicted, num_classes=10),
                               metrics.recall_score(true, predicted, average=None, labels=range(10)))


def test_a_class_that_never_occurs_gets_a_row_and_column_of_zeros():
    true, predicted = np.array([0, 1, 1, 3]), np.array([0, 1, 3, 3])
    ours = mlp.confusion_matrix(true, predicted, num_classes=5)
    np.testing.assert_array_equal(ours, metrics.confusion_matrix(true, predicted, labels=range(5)))
    assert ours[2].sum() == ours[:, 2].sum() == ours[4].sum() == 0


def test_a_trained_networks_scores(small):
    net = mlp.Network([784, 32, 10], activation="relu", init="he", seed=0)
    mlp.Trainer(net, mlp.Adam(0.002), small.x_train, small.y_train, batch_size=64, epochs=1, seed=0).fit()
    true = small.y_test.argmax(axis=1)
    p = net.predict_proba(small.x_test)
    predicted = net.predict(small.x_test)
    loss, acc = net.evaluate(small.x_test, small.y_test)
    assert 0.5 < acc < 1  # trained, but not perfect: the matrix has errors off its diagonal
    assert acc == pytest.approx(metrics.accuracy_score(true, predicted), abs=1e-15)
    p64 = p.astype(np.float64)
    p64 /= p64.sum(axis=1, keepdims=True)  # float32 rows sum to 1 only within float32 rounding
    assert loss == pytest.approx(metrics.log_loss(true, p64, labels=range(10)), rel=1e-5)
    np.testing.assert_array_equal(mlp.confusion_matrix(true, predicted, num_classes=10),
                                  metrics.confusion_matrix(true, predicted, labels=range(10)))
