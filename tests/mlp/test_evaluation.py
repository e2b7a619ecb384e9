"""mlp.evaluate's report, checked against counts made by hand and against Network.evaluate."""

import json

import numpy as np
import pytest

import mlp


def tiny_network():
    """A 2-2 network whose prediction is the larger of the two inputs (W = identity, b = 0)."""
    net = mlp.Network([2, 2], dtype="float64")
    net.params["W1"][...] = np.eye(2)
    return net


def test_report_counts_by_hand():
    net = tiny_network()
    x = np.array([[1.0, 0], [0, 1], [1, 0], [0, 1], [1, 0]])  # predicted 0, 1, 0, 1, 0
    y = np.array([0, 1, 1, 1, 1])
    report = mlp.evaluate(net, x, y, batch_size=2)
    assert report.confusion.tolist() == [[1, 0], [2, 2]] and report.confusion.dtype == np.int64
    assert report.accuracy == 3 / 5 and (report.correct, report.total) == (3, 5)
    np.testing.assert_allclose(report.per_class_accuracy, [1.0, 0.5])
    assert report.misclassified.tolist() == [2, 4]
    assert report.predicted.tolist() == [0, 1, 0, 1, 0]
    p = 1 / (1 + np.exp(-1))  # softmax([1, 0])[0]
    np.testing.assert_allclose(report.confidence, [p] * 5)
    assert report.loss == pytest.approx(-(3 * np.log(p) + 2 * np.log(1 - p)) / 5, rel=1e-12)


def test_report_equals_network_evaluate_and_is_json(small):
    net = mlp.Network([784, 16, 10], seed=3)
    report = mlp.evaluate(net, small.x_test, small.y_test)  # one-hot targets
    same = mlp.evaluate(net, small.x_test, small.y_test.argmax(axis=1), batch_size=33)
    loss, acc = net.evaluate(small.x_test, small.y_test)
    assert report.accuracy == same.accuracy == acc and report.loss == pytest.approx(loss, rel=1e-6)
    assert report.confusion.shape == (10, 10) and report.total == 500
    assert np.array_equal(report.confusion, mlp.confusion_matrix(small.y_test, net.predict(small.x_test)))
    d = json.loads(json.dumps(report.to_dict(), allow_nan=False))
    assert d["correct"] == report.correct and len(d["misclassified"]) == 500 - report.correct
    assert set(d) == {"loss", "accuracy", "correct", "total", "confusion", "per_class_accuracy",
                      "misclassified"}
    assert len(report.to_dict(predictions=True)["predicted"]) == 500


def test_a_class_without_samples_is_none_in_the_dict():
    report = mlp.evaluate(tiny_network(), np.array([[1.0, 0]]), np.array([0]))
    assert np.isnan(report.per_class_accuracy[1]) and report.to_dict()["per_class_accuracy"] == [1.0, None]


@pytest.mark.parametrize("labels, message", [
    (np.array([0.0, 1.0]), "labels must be a 1-D integer array; got float64"),
    (np.array([0, 2]), r"labels must be in 0..1; found 0..2"),
    (np.array([-1, 0]), r"labels must be in 0..1; found -1..0"),
])
def test_bad_labels_get_one_hots_message(labels, message):
    net, x = tiny_network(), np.eye(2)
    for call in (lambda: net.evaluate(x, labels), lambda: mlp.evaluate(net, x, labels),
                 lambda: mlp.one_hot(labels, 2), lambda: mlp.Trainer(net, "sgd", x, labels)):
        with pytest.raises(ValueError, match=message):
            call()


def test_nan_weights_are_refused():
    net = tiny_network()
    net.params["b1"][1] = np.nan
    with pytest.raises(ValueError, match="b1 holds 1 NaN or infinite value; a usable network has "
                                         "finite weights"):
        mlp.evaluate(net, np.eye(2), np.array([0, 1]))


def test_fits():
    net = mlp.Network([784, 8, 5])
    with pytest.raises(ValueError, match="w.npz holds a 784-8-5 network; this data needs 784 inputs "
                                         "and 10 outputs"):
        mlp.checks.check_fits(net, 784, 10, name="w.npz")
    assert mlp.checks.check_fits(net, 784, 5) is net


def test_parameter_count():
    assert mlp.layers.parameter_count([784, 64, 10]) == 784 * 64 + 64 + 64 * 10 + 10 == 50890
    assert mlp.Network([784, 32, 16, 10]).parameter_count() == \
        sum(p.size for p in mlp.Network([784, 32, 16, 10]).params.values())
    n = 99999999999
    assert mlp.layers.parameter_count([784, n, 10]) == 784 * n + n + n * 10 + 10
