r"""Weight initialisation schemes.

Each scheme draws ``W`` of shape ``(n_in, n_out)`` from a zero-mean normal
distribution whose variance depends on the layer's fan-in and fan-out.
Biases start at zero. Weights are drawn in float64 and then cast, so a float32
and a float64 network built with one seed start from the same weights.
"""

import numpy as np


def normal(n_in, n_out, rng):
    r""":math:`W \sim \mathcal{N}(0, 1/n_{in})`: keeps the variance of ``x @ W`` near that of ``x``."""
    return rng.standard_normal((n_in, n_out)) * np.sqrt(1.0 / n_in)


def he(n_in, n_out, rng):
    r""":math:`W \sim \mathcal{N}(0, 2/n_{in})` (He et al. 2015): for ReLU, which zeroes half its inputs."""
    return rng.standard_normal((n_in, n_out)) * np.sqrt(2.0 / n_in)


def xavier(n_in, n_out, rng):
    r""":math:`W \sim \mathcal{N}(0, 2/(n_{in}+n_{out}))` (Glorot and Bengio 2010): for sigmoid and tanh."""
    return rng.standard_normal((n_in, n_out)) * np.sqrt(2.0 / (n_in + n_out))


INITIALIZERS = {
    "normal": normal,
    "he": he,
    "xavier": xavier,
}


def get_initializer(name):
    """Return the initialiser registered as ``name``; ``ValueError`` listing the valid names otherwise."""
    if not isinstance(name, str) or name not in INITIALIZERS:
        raise ValueError(f"unknown initialisation {name!r}; choose one of: {', '.join(INITIALIZERS)}")
    return INITIALIZERS[name]
