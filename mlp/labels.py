"""Class labels and the one-hot targets the loss compares the probabilities with.

Label ``c`` of ``k`` classes becomes the row of ``k`` zeros with a 1 at position ``c``:
``one_hot([2, 0], 3)`` is ``[[0, 0, 1], [1, 0, 0]]``, the ``y`` of :func:`mlp.cross_entropy`.
"""

import numpy as np

NUM_CLASSES = 10  # the ten digits of MNIST


def check_labels(labels, num_classes=NUM_CLASSES):
    """Check class labels and return them as an array: the one rule for labels in mlp.

    Parameters
    ----------
    labels : array-like, shape (n,), integers in ``0..num_classes - 1``

    Raises
    ------
    ValueError
        If the labels are not a 1-D integer array (float labels included) or one
        of them is negative or ``>= num_classes``.
    """
    labels = np.asarray(labels)
    if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"labels must be a 1-D integer array; got {labels.dtype} of shape {labels.shape}")
    if len(labels) and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(f"labels must be in 0..{num_classes - 1}; found {labels.min()}..{labels.max()}")
    return labels


def one_hot(labels, num_classes=NUM_CLASSES, dtype="float32"):
    """Labels (n,) -> one-hot rows (n, num_classes) of ``dtype``; ``ValueError`` as :func:`check_labels`."""
    labels = check_labels(labels, num_classes)
    out = np.zeros((len(labels), num_classes), dtype=dtype)
    out[np.arange(len(labels)), labels] = 1
    return out
