"""The checks that several modules share: one rule, one message each.

Each returns the value checked or raises ``ValueError`` with one line that names the
argument (or the network), what is allowed and the value given, so any front end
(the CLI, the lab, a page) can show the message as it is.
"""

import math

import numpy as np


def whole(name, value, low=1, what="a positive integer"):
    """``value`` as an int if it is a whole number >= ``low`` (not a bool), else ``ValueError``.

    ``whole("epochs", 0)`` raises "epochs must be a positive integer; got 0"; ``what`` says
    what is allowed in the message ("a whole number of epochs >= 1").
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < low:
        raise ValueError(f"{name} must be {what}; got {value!r}")
    return int(value)


def finite_or_none(x):
    """``float(x)``, or None for NaN and infinities: what JSON can carry (it has no NaN)."""
    x = float(x)
    return x if math.isfinite(x) else None


def text_or_none(name, value):
    """``value`` if it is a string or None, else ``TypeError`` ("title must be a string or None; got int")."""
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{name} must be a string or None; got {type(value).__name__}")
    return value


def check_finite(params, name="the network"):
    """Refuse parameters (a dict of arrays: ``W1``, ``b1``, ...) holding NaN or infinite values.

    Raises
    ------
    ValueError
        Naming the first parameter that is not finite and how many values are bad.
    """
    for key, param in params.items():
        finite = np.isfinite(param)
        if not finite.all():
            bad = int(finite.size - np.count_nonzero(finite))
            raise ValueError(f"{name}: {key} holds {bad} NaN or infinite value{'s' * (bad != 1)}; "
                             f"a usable network has finite weights (a diverged training gives such weights)")
    return params


def check_weights(network, name="the network"):
    """Refuse a network whose weights or biases hold NaN or infinite values.

    Such a network (a diverged training, or a damaged file) predicts nothing
    meaningful: its outputs are NaN, and an accuracy computed from them would
    be a silent wrong result. :func:`mlp.load` applies the same rule to files.

    Raises
    ------
    ValueError
        As :func:`check_finite`.
    """
    check_finite(network.params, name)
    return network


def check_fits(network, n_inputs, n_classes, name="the network"):
    """Refuse a network whose input or output width does not fit the data.

    Parameters
    ----------
    n_inputs : int
        Features per sample (784 pixels for MNIST).
    n_classes : int
        Classes of the labels (10 for MNIST).

    Raises
    ------
    ValueError
        ``"<name> holds a 784-64-5 network; this data needs 784 inputs and 10 outputs"``.
    """
    sizes = network.sizes
    if sizes[0] != n_inputs or sizes[-1] != n_classes:
        raise ValueError(f"{name} holds a {'-'.join(map(str, sizes))} network; this data needs "
                         f"{n_inputs} inputs and {n_classes} outputs")
    return network
