"""A network's loss and predictions over a whole data set, ``EVAL_CHUNK`` rows at a time.

The one pass that :meth:`mlp.Network.evaluate` and :func:`mlp.evaluate` share, with the
checks of its inputs; it needs only ``network.forward``, ``check_inputs`` and ``sizes``.
"""

import numpy as np

from .checks import whole
from .labels import check_labels
from .losses import cross_entropy

EVAL_CHUNK = 4096  # rows per forward pass when evaluating many samples


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
    whole("batch_size", batch_size)
    x = network.check_inputs(x)
    labels = targets(y, network.sizes[-1])
    if len(labels) != len(x):
        raise ValueError(f"x has {len(x)} samples but y has {len(labels)}")
    if len(x) == 0:
        raise ValueError("cannot evaluate on an empty data set")
    return x, labels
