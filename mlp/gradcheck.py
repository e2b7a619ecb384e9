r"""Gradient checking by central differences, in float64.

A derivative computed by back-propagation is checked against

.. math:: \frac{\partial f}{\partial x_i} \approx \frac{f(x + \epsilon e_i) - f(x - \epsilon e_i)}{2 \epsilon}

whose error is :math:`O(\epsilon^2)`. In float64 with
:math:`\epsilon = 10^{-6}` the two usually agree to 8 or more digits.
"""

import numpy as np

from .losses import cross_entropy


def numerical_gradient(f, x, eps=1e-6):
    """Central-difference gradient of the scalar function ``f()`` with respect to ``x``.

    Parameters
    ----------
    f : callable
        Takes no arguments and returns a float; it must read ``x``, which is
        perturbed in place one element at a time and restored afterwards.
    x : ndarray of float64
    eps : float

    Returns
    -------
    ndarray, shape of ``x``
    """
    if x.dtype != np.float64:
        raise ValueError(f"gradient checks need float64 arrays; got {x.dtype}")
    grad = np.zeros_like(x)
    flat, gflat = x.reshape(-1), grad.reshape(-1)  # views: writing flat writes x
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        up = f()
        flat[i] = old - eps
        down = f()
        flat[i] = old
        gflat[i] = (up - down) / (2 * eps)
    return grad


def relative_error(a, b):
    r"""``||a - b|| / (||a|| + ||b||)`` (Euclidean norms); 0 when both are zero."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    scale = np.linalg.norm(a) + np.linalg.norm(b)
    return float(np.linalg.norm(a - b) / scale) if scale > 0 else 0.0


def check_gradients(network, x, y, eps=1e-6):
    """Compare a float64 network's back-propagated gradients with numerical ones.

    Parameters
    ----------
    network : mlp.Network
        Must have ``dtype="float64"``; keep it small (every weight costs two
        forward passes).
    x : ndarray, shape (n, sizes[0])
    y : ndarray, shape (n, sizes[-1]), one-hot

    Returns
    -------
    dict
        Parameter name -> relative error (see :func:`relative_error`).
    """
    if network.dtype != np.float64:
        raise ValueError(f"gradient checks need a float64 network; this one is {network.dtype}")
    y = np.asarray(y, dtype=np.float64)
    grads = {k: v.copy() for k, v in network.backward(network.forward(x), y).items()}
    errors = {}
    for name, param in network.params.items():
        numeric = numerical_gradient(lambda: cross_entropy(network.forward(x), y), param, eps)
        errors[name] = relative_error(grads[name], numeric)
    return errors
