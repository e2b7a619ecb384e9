r"""Activation functions and their derivatives.

Every derivative here is written in terms of the activation's *output*
``a = f(z)``, not its input ``z``: the forward pass has ``a`` at hand already,
and for sigmoid and tanh that saves evaluating an exponential a second time.

Registries map names to functions, as in :data:`ACTIVATIONS` and
:data:`DERIVATIVES`; :func:`get_activation` looks a name up and rejects
unknown ones.
"""

import numpy as np

LEAKY_SLOPE = 0.01  # slope of leaky_relu for z < 0


def sigmoid(z):
    r"""Logistic function :math:`\sigma(z) = 1 / (1 + e^{-z})`, without overflow.

    ``exp(-z)`` overflows for large negative ``z``. Using ``e = exp(-|z|)``,
    which is always in (0, 1], the two algebraically equal forms
    :math:`1/(1+e)` for ``z >= 0`` and :math:`e/(1+e)` for ``z < 0`` are exact
    and never overflow.
    """
    e = np.exp(-np.abs(z))
    s = 1 / (1 + e)
    return np.where(z >= 0, s, e * s)


def sigmoid_derivative(a):
    r""":math:`\sigma'(z) = \sigma(z)\,(1 - \sigma(z)) = a (1 - a)`."""
    return a * (1 - a)


def relu(z):
    r""":math:`\max(0, z)`."""
    return np.maximum(z, 0)


def relu_derivative(a):
    r"""1 where ``z > 0``, else 0 (``a > 0`` exactly when ``z > 0``; at ``z = 0`` we take 0)."""
    return (a > 0).astype(a.dtype)


def tanh(z):
    r""":math:`\tanh(z) = (e^{z} - e^{-z}) / (e^{z} + e^{-z})`."""
    return np.tanh(z)


def tanh_derivative(a):
    r""":math:`\tanh'(z) = 1 - \tanh^2(z) = 1 - a^2`."""
    return 1 - a * a


def leaky_relu(z):
    r""":math:`z` for ``z > 0``, :math:`0.01 z` otherwise."""
    return np.where(z > 0, z, LEAKY_SLOPE * z)


def leaky_relu_derivative(a):
    r"""1 where ``z > 0``, else 0.01 (``a > 0`` exactly when ``z > 0``)."""
    one, slope = a.dtype.type(1), a.dtype.type(LEAKY_SLOPE)  # keep float32 as float32
    return np.where(a > 0, one, slope)


def softmax(z):
    r"""Row-wise softmax :math:`p_{ij} = e^{z_{ij}} / \sum_k e^{z_{ik}}`.

    Each row (sample) has its own maximum subtracted before ``exp``: the result
    is unchanged, nothing overflows, and one sample with large logits cannot
    push the others' exponentials to zero (which one maximum over the whole
    batch would).

    Parameters
    ----------
    z : ndarray, shape (batch, classes)

    Returns
    -------
    ndarray, shape (batch, classes); every row sums to 1.
    """
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


ACTIVATIONS = {
    "sigmoid": sigmoid,
    "relu": relu,
    "tanh": tanh,
    "leaky_relu": leaky_relu,
}

# Each derivative takes the activation's output a = f(z).
DERIVATIVES = {
    "sigmoid": sigmoid_derivative,
    "relu": relu_derivative,
    "tanh": tanh_derivative,
    "leaky_relu": leaky_relu_derivative,
}


def get_activation(name):
    """Return ``(f, derivative)`` for an activation name.

    Raises
    ------
    ValueError
        If ``name`` is not in :data:`ACTIVATIONS`; the message lists the valid names.
    """
    if not isinstance(name, str) or name not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}; choose one of: {', '.join(ACTIVATIONS)}")
    return ACTIVATIONS[name], DERIVATIVES[name]
