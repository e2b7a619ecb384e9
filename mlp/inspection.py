r"""Inside a prediction: what a network computes for one input, from pixels to the softmax.

:func:`prediction_path` runs the network's own :meth:`~mlp.Network.forward` on one input and
reads every hidden layer's activations from the layers' cache, so the numbers shown are exactly
the numbers the network computes. Each hidden unit then gets a *contribution* to the winning
class ``c`` (the predicted one):

.. math::

    \text{contribution}_j = a_j \, \frac{\partial z_c}{\partial a_j}

where :math:`a_j` is the unit's activation and :math:`z_c` the winning logit. This is the
"gradient × input" attribution (Shrikumar et al., 2016, "Not just a black box", arXiv:1605.01713;
Ancona et al., 2018, "Towards better understanding of gradient-based attribution methods",
ICLR), applied to hidden units instead of pixels. The gradient is exact: it is back-propagated
through the layers with the chain rule of :meth:`~mlp.Dense.backward`, starting from the
one-hot vector of class ``c`` at the logits (no finite differences). What the sums mean:

- Last hidden layer: :math:`\partial z_c / \partial a_j = W_{jc}`, so the contribution is
  activation × outgoing weight to the winning class, and
  ``contributions.sum() + b[c] == z_c`` (the logit is linear in these activations).
- Earlier hidden layers with ``relu`` or ``leaky_relu``: the network is piecewise linear, and
  linear around this input, so :math:`z_c = \sum_j a_j \partial z_c/\partial a_j + r` exactly,
  where ``r`` (the field ``rest``) is what the later layers' biases add along the units that are
  active for this input.
- ``sigmoid`` or ``tanh``: the contributions are the first-order (Taylor) terms of ``z_c`` in
  that layer's activations; ``rest = z_c - contributions.sum()`` is the remainder.

A unit with a large positive contribution pushes the winning class; a negative one holds it back.
"""

from dataclasses import dataclass
from math import isqrt

import numpy as np

from .data import normalize
from .network import Network
from .ops import matmul
from .checks import check_weights, whole

DEFAULT_TOP = 8  # first-layer weight images returned by default


@dataclass(frozen=True)
class LayerPath:
    """One hidden layer of a :class:`PredictionPath`; arrays in the layer's unit order.

    Attributes
    ----------
    layer : int
        Number of the layer's weights, from 1: hidden layer 1 is ``f(x @ W1 + b1)``.
    activations : ndarray, shape (units,), network dtype
        The layer's output ``a`` for the input, from :meth:`mlp.Network.forward`'s cache.
    contributions : ndarray, shape (units,), network dtype
        ``activations * d logits[predicted] / d activations`` (see the module docstring).
    order : ndarray, shape (units,), int64
        Unit indices by decreasing contribution (ties: lower index first).
    rest : float
        ``logits[predicted] - contributions.sum()``: ``b[predicted]`` for the last hidden layer.
    """

    layer: int
    activations: np.ndarray
    contributions: np.ndarray
    order: np.ndarray
    rest: float

    def to_dict(self):
        """Plain values, strongest unit first: ``{"layer", "units", "activations",
        "contributions", "rest"}``, where ``units`` lists unit indices (= :attr:`order`) and
        ``activations`` / ``contributions`` are given in that same order."""
        return {
            "layer": self.layer,
            "units": self.order.tolist(),
            "activations": self.activations[self.order].tolist(),
            "contributions": self.contributions[self.order].tolist(),
            "rest": self.rest,
        }


@dataclass(frozen=True)
class PredictionPath:
    """The path of one input through a network; built by :func:`prediction_path`.

    Attributes
    ----------
    sizes : list of int
        The network's layer widths, input first.
    activation : str
        The hidden layers' activation.
    image : ndarray, shape (height, width), network dtype
        The input as the network sees it, pixels in [0, 1]; ``height * width == sizes[0]``
        (28 x 28 for MNIST; ``(1, sizes[0])`` if ``sizes[0]`` is not a square).
    layers : list of LayerPath
        One per hidden layer, first to last (empty for a network without hidden layers).
    weight_units : ndarray, shape (k,), int64
        The first hidden layer's ``k = min(top, units)`` strongest units (largest contributions).
    weight_images : ndarray, shape (k, height, width), network dtype
        Their incoming weights ``W1[:, unit]`` as images: the pattern each unit responds to.
    logits : ndarray, shape (classes,), network dtype
        The last layer's output ``z``.
    probabilities : ndarray, shape (classes,), network dtype
        ``softmax(logits)``, as returned by :meth:`mlp.Network.forward`.
    predicted : int
        The winning class, ``argmax(probabilities)`` (the lowest index on a tie).
    """

    sizes: list
    activation: str
    image: np.ndarray
    layers: list
    weight_units: np.ndarray
    weight_images: np.ndarray
    logits: np.ndarray
    probabilities: np.ndarray
    predicted: int

    def to_dict(self):
        """Plain JSON-able values (lists, floats, ints): see :func:`prediction_path`."""
        k, height, width = self.weight_images.shape
        first = self.layers[0] if self.layers else None
        images = []
        for unit, w in zip(self.weight_units.tolist(), self.weight_images, strict=True):
            images.append({
                "unit": unit,
                "activation": first.activations[unit].item(),
                "contribution": first.contributions[unit].item(),
                "scale": float(np.abs(w).max()),
                "values": w.ravel().tolist(),
            })
        return {
            "sizes": list(self.sizes),
            "activation": self.activation,
            "input": {"height": height, "width": width, "pixels": self.image.ravel().tolist()},
            "layers": [layer.to_dict() for layer in self.layers],
            "weights": {"height": height, "width": width, "images": images},
            "logits": self.logits.tolist(),
            "probabilities": self.probabilities.tolist(),
            "predicted": self.predicted,
        }


def image_shape(n_inputs):
    """``(side, side)`` if ``n_inputs`` is a square (784 -> (28, 28)), else ``(1, n_inputs)``."""
    side = isqrt(n_inputs)
    return (side, side) if side * side == n_inputs else (1, n_inputs)


def check_input(x, n_inputs, dtype):
    """One input as the network sees it: a (n_inputs,) array of ``dtype`` with pixels in [0, 1].

    Parameters
    ----------
    x : array-like or bytes
        One sample, shape ``(n_inputs,)``, ``(1, n_inputs)`` or a square image such as
        ``(28, 28)``. Integers (and ``bytes``, read as uint8) are raw pixels 0..255 and are
        divided by 255 (as :func:`mlp.normalize`); floats must already be in [0, 1].
    n_inputs : int
    dtype : numpy dtype

    Raises
    ------
    ValueError
        Naming the bad shape, dtype or value and what is allowed.
    """
    if isinstance(x, (bytes, bytearray, memoryview)):
        x = np.frombuffer(bytes(x), dtype=np.uint8)
    try:
        x = np.asarray(x)
    except (TypeError, ValueError) as error:  # ragged lists and the like
        raise ValueError(f"the input must be an array of {n_inputs} pixels: {error}") from None
    shape = x.shape
    if x.dtype == bool or not (np.issubdtype(x.dtype, np.integer) or np.issubdtype(x.dtype, np.floating)):
        raise ValueError(f"the input must hold pixels, integers 0..255 or floats in [0, 1]; "
                         f"got an array of dtype {x.dtype}")
    if x.size != n_inputs or not (x.ndim == 1 or (x.ndim == 2 and (shape[0] == 1 or shape[0] == shape[1]))):
        raise ValueError(f"the input must be one sample of {n_inputs} pixels: shape ({n_inputs},), "
                         f"(1, {n_inputs}) or a square image such as {image_shape(n_inputs)}; "
                         f"got shape {shape}")
    x = x.reshape(n_inputs)
    if np.issubdtype(x.dtype, np.integer):
        low, high = int(x.min()), int(x.max())
        if low < 0 or high > 255:
            raise ValueError(f"integer pixels must be 0..255; got values {low}..{high}")
        return normalize(x, dtype)
    if not np.isfinite(x).all():
        bad = int(np.flatnonzero(~np.isfinite(x))[0])
        raise ValueError(f"the input holds {x[bad]} at pixel {bad}; pixels must be finite numbers in [0, 1]")
    low, high = float(x.min()), float(x.max())
    if low < 0 or high > 1:
        hint = "; pass raw integer pixels 0..255, or divide by 255 first" if high <= 255 and low >= 0 else ""
        raise ValueError(f"float pixels must be in [0, 1]; got values {low:.4g}..{high:.4g}{hint}")
    return x.astype(dtype)


def _check_top(top):
    return whole("top", top, low=0, what="0 or more weight images")


def _logit_gradients(network, predicted):
    """``d logits[predicted] / d a`` for every hidden layer's ``a``, first to last.

    The chain rule of :meth:`mlp.Dense.backward` (``dz = da * f'(z)``, ``dx = dz @ W.T``), with
    each layer's own derivative ``df`` and the activations cached by the last forward pass, from
    the one-hot row of ``predicted`` at the logits. ``Dense.backward`` itself would also compute
    ``dW = x.T @ dz``, an (n_in, n_out) array per layer that is not needed here (16 million
    values for a 4096-4096 layer, on every stroke of the lab's drawing pad) and that would
    overwrite the gradients of a training step.
    """
    layers = network.layers
    grad = np.zeros((1, network.sizes[-1]), dtype=network.dtype)
    grad[0, predicted] = 1  # d z_c / d z of the last layer
    grads = []
    for layer in layers[:0:-1]:  # the last layer down to the second
        dz = grad * layer.df(layer.a) if layer.df else grad  # (1, n_out)
        grad = matmul(dz, layer.params["W"].T)  # d z_c / d a of the layer below, (1, n_in)
        grads.append(grad[0])
    return grads[::-1]


def prediction_path(network, x, *, top=DEFAULT_TOP):
    """Follow one input through ``network``: activations, contributions, logits, softmax.

    Parameters
    ----------
    network : mlp.Network
        Any depth, activation and dtype.
    x : array-like or bytes
        One input: shape ``(784,)``, ``(1, 784)`` or ``(28, 28)`` for MNIST (``sizes[0]``
        pixels in general). Integer pixels (and ``bytes``, as the lab's drawing pad sends them)
        are raw 0..255, scaled by 1/255 as :func:`mlp.normalize` does; float pixels must
        already be in [0, 1], as the network was trained on.
    top : int
        How many first-layer weight images to return (the strongest units first); 0 for none.

    Returns
    -------
    PredictionPath
        ``.to_dict()`` gives plain values::

            {"sizes": [784, 64, 10], "activation": "relu",
             "input": {"height": 28, "width": 28, "pixels": [784 floats in [0, 1], row-major]},
             "layers": [{"layer": 1, "units": [unit indices, strongest first],
                         "activations": [...], "contributions": [...], "rest": float}, ...],
             "weights": {"height": 28, "width": 28, "images": [{"unit", "activation",
                         "contribution", "scale": max |w|, "values": [784 floats]}, ...]},
             "logits": [10 floats], "probabilities": [10 floats], "predicted": int}

    Like any forward pass, this replaces the layers' cached inputs and activations
    (their gradients are left alone): call it between training steps, not between a
    forward pass and its backward pass.

    Raises
    ------
    TypeError
        If ``network`` is not an :class:`mlp.Network`.
    ValueError
        For a bad input (see :func:`check_input`) or ``top``, or a network whose
        weights hold NaN or infinite values (see :func:`mlp.checks.check_weights`).
    """
    if not isinstance(network, Network):
        raise TypeError(f"network must be an mlp.Network; got {type(network).__name__}")
    top = _check_top(top)
    x = check_input(x, network.sizes[0], network.dtype)
    probabilities = network.forward(x[None, :])[0]
    hidden = [layer.a[0] for layer in network.layers[:-1]]  # (units,) per hidden layer
    logits = network.layers[-1].a[0]
    if not (np.isfinite(probabilities).all() and np.isfinite(logits).all()):
        check_weights(network)  # names the parameter that is NaN or infinite
        raise ValueError("the logits overflowed for this input (the weights are too large to "
                         "give a finite result); the network has diverged")
    predicted = int(probabilities.argmax())
    layers = []
    for number, (a, grad) in enumerate(zip(hidden, _logit_gradients(network, predicted), strict=True), 1):
        contributions = a * grad
        order = np.argsort(-contributions, kind="stable")
        rest = float(logits[predicted]) - float(contributions.sum(dtype=np.float64))
        layers.append(LayerPath(number, a.copy(), contributions, order, rest))
    shape = image_shape(network.sizes[0])
    units = layers[0].order[:top] if layers else np.zeros(0, dtype=np.int64)
    W1 = network.layers[0].params["W"]  # (sizes[0], units)
    return PredictionPath(
        sizes=list(network.sizes), activation=network.activation, image=x.reshape(shape),
        layers=layers, weight_units=units.astype(np.int64),
        weight_images=W1[:, units].T.reshape(len(units), *shape).copy(),
        logits=logits.copy(), probabilities=probabilities.copy(), predicted=predicted)
