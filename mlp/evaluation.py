"""One evaluation of a network on a labelled data set, shared by the CLI and the lab.

:func:`evaluate` computes, in one pass of ``batch_size`` rows at a time, what a
reader of the results needs: the mean cross-entropy, the accuracy, the confusion
matrix, the accuracy within each class and which samples were misclassified.
"""

from dataclasses import dataclass

import numpy as np

from .chunks import EVAL_CHUNK, checked_data, loss_and_predictions, targets  # noqa: F401 (targets: mlp.evaluation's)
from .metrics import accuracy_per_row, confusion_matrix
from .checks import check_weights, finite_or_none


@dataclass(frozen=True)
class EvaluationReport:
    """The figures of one evaluation (see :func:`evaluate`).

    Attributes
    ----------
    loss : float
        Mean cross-entropy in nats (``inf``/``nan`` only if the outputs are).
    accuracy : float
        Fraction of samples whose most probable class is the true one.
    confusion : ndarray of int64, shape (classes, classes)
        ``confusion[i, j]`` counts samples of true class ``i`` predicted as ``j``.
    per_class_accuracy : ndarray of float64, shape (classes,)
        ``diag(confusion) / confusion.sum(axis=1)``; NaN for a class with no samples.
    misclassified : ndarray of int64, shape (m,)
        Indices, in increasing order, of the samples predicted wrongly.
    predicted : ndarray of int64, shape (n,)
        Predicted class of every sample.
    confidence : ndarray of float64, shape (n,)
        Probability the network gives its predicted class.
    """

    loss: float
    accuracy: float
    confusion: np.ndarray
    per_class_accuracy: np.ndarray
    misclassified: np.ndarray
    predicted: np.ndarray
    confidence: np.ndarray

    @property
    def correct(self):
        """Number of correctly classified samples."""
        return int(np.trace(self.confusion))

    @property
    def total(self):
        """Number of samples evaluated."""
        return int(self.confusion.sum())

    def to_dict(self, predictions=False):
        """Plain Python values (JSON-able: NaN and infinities become None).

        Keys: ``loss``, ``accuracy``, ``correct``, ``total``, ``confusion`` (list of
        lists), ``per_class_accuracy``, ``misclassified``; with ``predictions``, also
        ``predicted`` and ``confidence`` for every sample.
        """
        out = {"loss": finite_or_none(self.loss), "accuracy": finite_or_none(self.accuracy), "correct": self.correct,
               "total": self.total, "confusion": self.confusion.tolist(),
               "per_class_accuracy": [finite_or_none(a) for a in self.per_class_accuracy],
               "misclassified": self.misclassified.tolist()}
        if predictions:
            out.update(predicted=self.predicted.tolist(), confidence=[finite_or_none(c) for c in self.confidence])
        return out


def evaluate(network, x, y, batch_size=EVAL_CHUNK):
    """Evaluate ``network`` on inputs ``x`` with true classes ``y``.

    Parameters
    ----------
    network : mlp.Network
    x : ndarray, shape (n, sizes[0]), floating point
        Inputs as the network trains on them (pixels scaled to [0, 1]).
    y : ndarray, shape (n,) integer labels or (n, classes) one-hot
    batch_size : int
        Rows per forward pass (memory only: the figures do not depend on it).

    Returns
    -------
    EvaluationReport

    Raises
    ------
    ValueError
        If the weights hold NaN or infinite values (see :func:`mlp.checks.check_weights`),
        the labels are not integers in ``0..classes - 1``, the lengths differ or
        there are no samples.
    TypeError
        If ``x`` is not floating point.
    """
    check_weights(network)
    x, labels = checked_data(network, x, y, batch_size)
    k = network.sizes[-1]
    loss, predicted, confidence = loss_and_predictions(network, x, labels, batch_size)
    cm = confusion_matrix(labels, predicted, num_classes=k)
    return EvaluationReport(loss=float(loss), accuracy=int(np.trace(cm)) / len(labels), confusion=cm,
                            per_class_accuracy=accuracy_per_row(cm),
                            misclassified=np.flatnonzero(predicted != labels),
                            predicted=predicted, confidence=confidence.astype(np.float64))
