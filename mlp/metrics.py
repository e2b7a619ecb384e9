"""Scores for predictions: accuracy, confusion matrix, per-class accuracy.

Each function takes true and predicted labels, shape (n,). Two-dimensional
arrays (one-hot targets, probabilities) are turned into labels with ``argmax``.
"""

import numpy as np


def _labels(y):
    y = np.asarray(y)
    return (y.argmax(axis=1) if y.ndim == 2 else y).astype(np.int64)


def _pair(y_true, y_pred):
    t, p = _labels(y_true), _labels(y_pred)
    if t.shape != p.shape:
        raise ValueError(f"y_true has {len(t)} samples but y_pred has {len(p)}")
    return t, p


def accuracy(y_true, y_pred):
    """Fraction of samples whose predicted label equals the true one."""
    t, p = _pair(y_true, y_pred)
    if len(t) == 0:
        raise ValueError("accuracy of zero samples is undefined")
    return float(np.mean(t == p))


def confusion_matrix(y_true, y_pred, num_classes=None):
    """Counts ``C[i, j]`` of samples of true class ``i`` predicted as ``j``.

    Returns
    -------
    ndarray of int64, shape (num_classes, num_classes)
        Rows are true classes, columns predictions; ``num_classes`` defaults
        to one more than the largest label seen.
    """
    t, p = _pair(y_true, y_pred)
    k = int(max(t.max(initial=-1), p.max(initial=-1)) + 1) if num_classes is None else num_classes
    if len(t) and (min(t.min(), p.min()) < 0 or max(t.max(), p.max()) >= k):
        raise ValueError(f"labels must be in 0..{k - 1}")
    # bincount takes indices of the platform's size: int32 in Pyodide (wasm32), where it
    # refuses int64 input.
    return np.bincount((t * k + p).astype(np.intp), minlength=k * k).reshape(k, k).astype(np.int64)


def per_class_accuracy(y_true, y_pred, num_classes=None):
    """Accuracy within each true class: ``diag(C) / C.sum(axis=1)``; NaN for a class with no samples."""
    return accuracy_per_row(confusion_matrix(y_true, y_pred, num_classes))


def accuracy_per_row(cm):
    """``diag(cm) / cm.sum(axis=1)`` of a confusion matrix: float64 (k,), NaN for an empty row."""
    cm = np.asarray(cm)
    counts = cm.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, np.diag(cm) / np.maximum(counts, 1), np.nan)
