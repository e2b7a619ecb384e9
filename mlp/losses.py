r"""Cross-entropy loss and its fused gradient with softmax.

The batch reduction is the mean over samples, in the loss and in its gradient.
"""

import numpy as np


def cross_entropy(p, y):
    r"""Mean cross-entropy :math:`L = -\frac{1}{n} \sum_i \sum_k y_{ik} \log p_{ik}`.

    Probabilities are clipped from below to the smallest positive normal
    number of their dtype, so a probability that underflowed to 0 gives a large
    but finite loss instead of ``log(0) = -inf``.

    Parameters
    ----------
    p : ndarray, shape (n, classes)
        Predicted probabilities (softmax outputs).
    y : ndarray, shape (n, classes)
        One-hot targets.

    Returns
    -------
    float
    """
    tiny = np.finfo(p.dtype).tiny
    return float(-np.sum(y * np.log(np.maximum(p, tiny))) / len(p))


def softmax_cross_entropy_grad(p, y):
    r"""Gradient of the mean cross-entropy with respect to the logits ``z``.

    With :math:`p = \mathrm{softmax}(z)`,
    :math:`\partial L / \partial z = (p - y) / n`.
    This short form holds because the loss is cross-entropy on a softmax
    output and every row of ``y`` sums to 1 (one-hot targets do). It is
    both cheaper and more accurate than chaining the softmax Jacobian with
    :math:`-y / p`.

    Parameters
    ----------
    p, y : ndarray, shape (n, classes)

    Returns
    -------
    ndarray, shape (n, classes)
    """
    return (p - y) / len(p)
