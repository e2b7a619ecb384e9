"""Checks that a network can be used: the same rules for the CLI, the lab and library code.

Each check raises ``ValueError`` with one line that names the problem and what is
allowed, so any front end can show the message as it is.
"""

import numpy as np


def check_weights(network, name="the network"):
    """Refuse a network whose weights or biases hold NaN or infinite values.

    Such a network (a diverged training, or a damaged file) predicts nothing
    meaningful: its outputs are NaN, and an accuracy computed from them would
    be a silent wrong result.

    Raises
    ------
    ValueError
        Naming the first parameter (``"W1"``, ``"b2"``, ...) that is not finite.
    """
    for key, param in network.params.items():
        if not np.isfinite(param).all():
            bad = int(np.size(param) - np.count_nonzero(np.isfinite(param)))
            raise ValueError(f"{name}: {key} holds {bad} NaN or infinite value{'s' * (bad != 1)}; "
                             f"a usable network has finite weights (a diverged training gives such weights)")
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
