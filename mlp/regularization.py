r"""Regularisation: L2 weight decay and dropout.

A network **overfits** when it learns its training pictures by heart: the training loss
keeps falling while the loss on pictures it never trains on stops falling or rises.
Regularisation makes memorising harder.

**L2 weight decay** pulls every weight towards zero at each step. It comes in two forms,
which are the same thing for plain SGD but not for adaptive optimisers such as Adam:

- *As a loss term* (:func:`l2_penalty`, :func:`add_l2_gradient`, ``Trainer(l2=...)``): the
  loss gets :math:`\frac{\lambda}{2} \sum_l \lVert W_l \rVert^2` added, so every weight's
  gradient gets :math:`\lambda W` added. The optimiser then treats that term like any other
  part of the gradient.
- *Decoupled*, inside the optimiser (:func:`decay_weights`, ``weight_decay=`` of every
  optimiser in :mod:`mlp.optimizers`): after the gradient is computed and independently of
  it, each weight shrinks, :math:`W \leftarrow W - \eta \lambda W`.

With SGD both give :math:`W \leftarrow W - \eta (g + \lambda W)`: the same update. Adam,
however, divides each gradient entry by the root of its running mean square
:math:`\sqrt{\hat v}`. In the loss-term form the decay :math:`\lambda W` is divided too, so
weights with large, frequent gradients (large :math:`\hat v`) are barely decayed, and
rarely-updated weights are decayed hard. Decoupled decay shrinks every weight by the same
fraction :math:`\eta\lambda` per step, whatever its gradient history. Loshchilov and Hutter
("Decoupled Weight Decay Regularization", ICLR 2019) name Adam with decoupled decay
**AdamW** and find that it generalises better and that its best :math:`\lambda` depends
less on the learning rate. As in PyTorch's ``AdamW``, the decay here is scaled by the
current learning rate :math:`\eta` (so a learning-rate schedule scales it too); the paper
scales it by the schedule's multiplier alone.

Only weights (``W1``, ``W2``, ...) are decayed, never biases: a bias shifts a unit's input
and does not make the network more sensitive to any pixel.

**Dropout** (Srivastava et al., "Dropout: A Simple Way to Prevent Neural Networks from
Overfitting", JMLR 2014) sets each hidden unit's output to zero with probability ``rate``
at every training step, so no unit can rely on any particular other one. This is
*inverted* dropout: the surviving outputs are divided by ``1 - rate`` during training, so
their expected value is unchanged and evaluation simply uses the whole network, with no
rescaling. Dropout is applied only in training steps (``Network.forward(x, dropout=...)``
from :class:`mlp.Trainer`); ``predict`` and ``evaluate`` never drop anything.
"""

import math

import numpy as np


def is_weight(name):
    """Whether a parameter name (``"W1"``, ``"b1"``, ...) is a weight matrix, which decay applies to."""
    return name.startswith("W")


def check_coefficient(name, value):
    """Return ``value`` as a float if it is finite and >= 0; ``ValueError`` naming it otherwise."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number >= 0; got {value!r}") from None
    if not (math.isfinite(number) and number >= 0):
        raise ValueError(f"{name} must be a finite number >= 0; got {value!r}")
    return number


def check_rate(value):
    """Return a dropout rate as a float if it is in [0, 1); ``ValueError`` otherwise."""
    try:
        rate = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"dropout rate must be a number in [0, 1); got {value!r}") from None
    if not 0 <= rate < 1:
        raise ValueError(f"dropout rate must be in [0, 1) (the fraction of hidden units dropped); got {value!r}")
    return rate


def l2_penalty(params, l2):
    r"""The L2 loss term :math:`\frac{\lambda}{2} \sum_l \lVert W_l \rVert_F^2` over the weights.

    Parameters
    ----------
    params : dict of ndarray
        ``{"W1": ..., "b1": ...}`` as in :attr:`mlp.Network.params`; biases are left out.
    l2 : float
        The coefficient :math:`\lambda \ge 0`.

    Returns
    -------
    float
        Added to the mean cross-entropy of a batch. The factor 1/2 makes its gradient
        :math:`\lambda W` (the convention of Goodfellow et al., *Deep Learning*, 7.1.1).
    """
    return 0.5 * l2 * sum(float(np.sum(p * p, dtype=np.float64)) for k, p in params.items() if is_weight(k))


def add_l2_gradient(params, grads, l2):
    r"""Add the L2 term's gradient :math:`\lambda W` to every weight's gradient, in place.

    Parameters
    ----------
    params, grads : dict of ndarray
        Same keys and shapes (see :meth:`mlp.Network.backward`); biases are left alone.
    l2 : float

    Returns
    -------
    dict
        ``grads``, changed in place.
    """
    for name, grad in grads.items():
        if is_weight(name):
            grad += l2 * params[name]
    return grads


def decay_weights(params, factor):
    r"""Decoupled weight decay: :math:`W \leftarrow W - \text{factor}\, W` for every weight, in place.

    ``factor`` is :math:`\eta \lambda` (learning rate times weight decay) and must be in
    [0, 1): 1 or more would flip or zero the weights in one step.
    """
    if not 0 <= factor < 1:
        raise ValueError(f"learning rate x weight decay must be below 1 (each step keeps 1 - that fraction "
                         f"of every weight); got {factor:g}")
    for name, param in params.items():
        if is_weight(name):
            param *= 1.0 - factor


class Dropout:
    """Inverted dropout of hidden-layer outputs, drawn from its own seeded generator.

    Parameters
    ----------
    rate : float in [0, 1)
        Probability that a hidden unit's output is set to zero in a training step.
        0 switches dropout off.
    seed : int or None
        Seed of the ``numpy.random.Generator`` that draws the masks: the same seed gives
        the same masks, batch after batch.

    Attributes
    ----------
    masks : dict
        Hidden layer index (0-based) -> the last mask drawn for it, shape (batch, units),
        in the activations' dtype: 0 for a dropped unit, ``1 / (1 - rate)`` for a kept one.
        Set ``fixed = True`` to reuse these masks instead of drawing new ones (for a
        gradient check, whose loss must be the same function at every evaluation).
    """

    def __init__(self, rate=0.5, seed=0):
        self.rate = check_rate(rate)
        self.rng = np.random.default_rng(seed)
        self.masks = {}
        self.fixed = False

    def __repr__(self):
        return f"Dropout(rate={self.rate!r})"

    def forward(self, layer, a):
        """``a * mask`` for hidden layer ``layer``; ``a`` (batch, units) is not modified."""
        if self.rate == 0:
            return a
        if not (self.fixed and layer in self.masks and self.masks[layer].shape == a.shape):
            keep = self.rng.random(a.shape) >= self.rate  # (batch, units) bool
            self.masks[layer] = keep.astype(a.dtype) / a.dtype.type(1.0 - self.rate)
        return a * self.masks[layer]

    def backward(self, layer, grad):
        """The gradient through the mask: ``grad * mask`` (dropped units get 0)."""
        return grad if self.rate == 0 else grad * self.masks[layer]
