"""One evaluation of a network on a labelled data set, shared by the CLI and the lab.

:func:`evaluate` computes, in one pass of ``batch_size`` rows at a time, what a
reader of the results needs: the mean cross-entropy, the accuracy, the confusion
matrix, the accuracy within each class and which samples were misclassified.
"""

import math
from dataclasses import dataclass

import numpy as np

from .data import check_labels
from .losses import cross_entropy
from .metrics import accuracy_per_row, confusion_matrix

EVAL_CHUNK = 4096  # rows per forward pass when evaluating many samples


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
        out = {"loss": _plain(self.loss), "accuracy": _plain(self.accuracy), "correct": self.correct,
               "total": self.total, "confusion": self.confusion.tolist(),
               "per_class_accuracy": [_plain(a) for a in self.per_class_accuracy],
               "misclassified": self.misclassified.tolist()}
        if predictions:
            out.update(predicted=self.predicted.tolist(), confidence=[_plain(c) for c in self.confidence])
        return out


def _plain(x):
    x = float(x)
    return x if math.isfinite(x) else None


def targets(y, num_classes):
    """Integer labels (n,) from labels (n,) or one-hot rows (n, num_classes); ``ValueError`` otherwise."""
    y = np.asarray(y)
    if y.ndim == 2:
        if y.shape[1] != num_classes:
            raise ValueError(f"one-hot targets must have {num_classes} columns; got shape {y.shape}")
        return y.argmax(axis=1).astype(np.int64)
    return check_labels(y, num_classes).astype(np.int64)


def loss_and_predictions(network, x, labels, batch_size=EVAL_CHUNK):
    """Mean cross-entropy, predicted classes (n,) and their probabilities (n,), in chunks.

    ``x`` must already be checked (``network.check_inputs``) and ``labels`` be
    integer labels of the same length, non-empty.
    """
    total, predicted, confidence = 0.0, [], []
    k = network.sizes[-1]
    for i in range(0, len(x), batch_size):
        p = network.forward(x[i:i + batch_size])  # (chunk, k)
        t = labels[i:i + batch_size]
        onehot = np.zeros((len(t), k), dtype=p.dtype)
        onehot[np.arange(len(t)), t] = 1
        total += cross_entropy(p, onehot) * len(p)
        best = p.argmax(axis=1)
        predicted.append(best)
        confidence.append(p[np.arange(len(p)), best])
    return total / len(x), np.concatenate(predicted).astype(np.int64), np.concatenate(confidence)


def checked_data(network, x, y, batch_size=EVAL_CHUNK):
    """``(x, labels)`` checked against the network; ``ValueError``/``TypeError`` naming the problem."""
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer; got {batch_size!r}")
    x = network.check_inputs(x)
    labels = targets(y, network.sizes[-1])
    if len(labels) != len(x):
        raise ValueError(f"x has {len(x)} samples but y has {len(labels)}")
    if len(x) == 0:
        raise ValueError("cannot evaluate on an empty data set")
    return x, labels


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
        If the weights hold NaN or infinite values (see :func:`mlp.check_weights`),
        the labels are not integers in ``0..classes - 1``, the lengths differ or
        there are no samples.
    TypeError
        If ``x`` is not floating point.
    """
    from .validation import check_weights

    check_weights(network)
    x, labels = checked_data(network, x, y, batch_size)
    k = network.sizes[-1]
    loss, predicted, confidence = loss_and_predictions(network, x, labels, batch_size)
    cm = confusion_matrix(labels, predicted, num_classes=k)
    return EvaluationReport(loss=float(loss), accuracy=int(np.trace(cm)) / len(labels), confusion=cm,
                            per_class_accuracy=accuracy_per_row(cm), misclassified=np.flatnonzero(predicted != labels),
                            predicted=predicted, confidence=confidence.astype(np.float64))
