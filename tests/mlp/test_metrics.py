import numpy as np
import pytest

import mlp


def test_accuracy_and_confusion_matrix():
    y_true = np.array([0, 0, 1, 1, 2, 2], np.uint8)
    y_pred = np.array([0, 1, 1, 1, 0, 2])
    assert mlp.accuracy(y_true, y_pred) == pytest.approx(4 / 6)
    cm = mlp.confusion_matrix(y_true, y_pred)
    assert cm.dtype == np.int64
    assert cm.tolist() == [[1, 1, 0], [0, 2, 0], [1, 0, 1]]
    assert mlp.confusion_matrix(y_true, y_pred, num_classes=4).shape == (4, 4)
    np.testing.assert_allclose(mlp.metrics.per_class_accuracy(y_true, y_pred), [0.5, 1.0, 0.5])
    per_class = mlp.metrics.per_class_accuracy(y_true, y_pred, num_classes=4)
    assert np.isnan(per_class[3])  # no sample of class 3


def test_metrics_accept_one_hot_and_probabilities():
    y_true = mlp.one_hot(np.array([2, 0, 1]), 3)
    probabilities = np.array([[0.1, 0.2, 0.7], [0.6, 0.3, 0.1], [0.5, 0.4, 0.1]])
    assert mlp.accuracy(y_true, probabilities) == pytest.approx(2 / 3)
    assert mlp.confusion_matrix(y_true, probabilities).tolist() == [[1, 0, 0], [1, 0, 0], [0, 0, 1]]


def test_metric_errors():
    with pytest.raises(ValueError, match="y_true has 3 samples but y_pred has 2"):
        mlp.accuracy([0, 1, 2], [0, 1])
    with pytest.raises(ValueError, match="zero samples"):
        mlp.accuracy([], [])
    with pytest.raises(ValueError, match=r"labels must be in 0..2"):
        mlp.confusion_matrix([0, 3], [0, 1], num_classes=3)
