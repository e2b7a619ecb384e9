r"""Optimisers: rules that turn gradients into parameter updates.

Each optimiser is a small class with ``step(params, grads)``. ``params`` and
``grads`` are dicts with the same keys (``"W1"``, ``"b1"``, ...); parameters are
updated in place, and any state (velocities, running averages) lives in the
optimiser, in ``self.state``, keyed by parameter name. Hyper-parameters are
kept as Python floats so that float32 parameters stay float32.

Each class's :meth:`~Optimizer.update` is its formula, written as the docstring
states it. Where the formula's temporaries (one array the size of the parameter per
operation) cost a noticeable part of a training step, the class also has an
:meth:`~Optimizer.update_in_place`: the same arithmetic through in-place operations,
which :meth:`~Optimizer.step` uses unless ``fused`` is False (PyTorch keeps its
readable ``_single_tensor_adam`` beside the fused one in the same way).
tests/mlp/test_optimizers.py checks that the two agree.
"""

import inspect
from typing import NamedTuple

import numpy as np

from .regularization import check_coefficient, decay_weights


class Optimizer:
    r"""Base class: holds the learning rate, the weight decay and per-parameter state.

    ``weight_decay`` :math:`\lambda \ge 0` is *decoupled* weight decay: before each update,
    every weight (not the biases) shrinks by :math:`\eta\lambda`,
    :math:`W \leftarrow (1 - \eta\lambda) W`, apart from the gradient. With Adam this is
    AdamW; :mod:`mlp.regularization` explains how it differs from an L2 term in the loss.
    """

    def __init__(self, learning_rate, weight_decay=0.0):
        learning_rate = float(learning_rate)
        if not (np.isfinite(learning_rate) and learning_rate > 0):
            raise ValueError(f"learning rate must be a positive number; got {learning_rate}")
        self.learning_rate = learning_rate
        self.weight_decay = check_coefficient("weight decay", weight_decay)
        self.state = {}  # parameter name -> {slot name: array shaped like the parameter}

    fused = True  # step() uses update_in_place; False: the readable update (the same result up to rounding)

    def _slots(self, name, param, *slots):
        """The state arrays for one parameter, each created as zeros on first use."""
        state = self.state.setdefault(name, {})
        for s in slots:
            if s not in state:
                state[s] = np.zeros_like(param)
        return state

    def step(self, params, grads):
        """Update every ``params[name]`` in place from ``grads[name]``."""
        if self.weight_decay:
            decay_weights(params, self.learning_rate * self.weight_decay)
        update = self.update_in_place if self.fused else self.update
        for name, param in params.items():
            update(name, param, grads[name])

    def update(self, name, param, grad):
        """Update ``param`` (in place) from its gradient ``grad``: the optimiser's formula."""
        raise NotImplementedError

    def update_in_place(self, name, param, grad):
        """:meth:`update` without temporary arrays, where a subclass has such a version."""
        self.update(name, param, grad)

    def __repr__(self):
        hidden = ("state", "steps") + (() if self.weight_decay else ("weight_decay",))
        fields = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if k not in hidden)
        return f"{type(self).__name__}({fields})"


def _fraction(name, value):
    value = float(value)
    if not 0 <= value < 1:
        raise ValueError(f"{name} must be in [0, 1); got {value}")
    return value


class SGD(Optimizer):
    r"""Plain stochastic gradient descent.

    .. math:: \theta \leftarrow \theta - \eta\, g
    """

    def __init__(self, learning_rate=0.1, weight_decay=0.0):
        super().__init__(learning_rate, weight_decay)

    def update(self, name, param, grad):
        param -= self.learning_rate * grad


class Momentum(Optimizer):
    r"""Gradient descent with momentum, in either of its two common forms.

    ``form="average"`` (the default, and the tutorial's rule) keeps an
    exponential moving average of the gradients:

    .. math::
        v \leftarrow \beta v + (1 - \beta)\, g, \qquad
        \theta \leftarrow \theta - \eta\, v

    ``form="classic"`` (PyTorch's ``SGD(momentum=...)``) sums them:

    .. math::
        v \leftarrow \beta v + g, \qquad \theta \leftarrow \theta - \eta\, v

    In both, ``v`` starts at zero. Starting from zero, the average-form ``v``
    is always exactly :math:`(1-\beta)` times the classic-form ``v``, so the
    average form with learning rate :math:`\eta` takes the same steps as the
    classic form with learning rate :math:`\eta (1 - \beta)` and the same
    :math:`\beta`: the tutorial's ``lr=4, beta=0.9`` is classic momentum with
    ``lr=0.4``.

    ``nesterov=True`` steps along the look-ahead direction instead of ``v``:
    :math:`\theta \leftarrow \theta - \eta\,(c\, g + \beta v)` with ``v``
    already updated and :math:`c = 1 - \beta` (average) or :math:`1` (classic),
    the same correspondence between forms holding.
    """

    FORMS = ("average", "classic")

    def __init__(self, learning_rate=0.1, beta=0.9, form="average", nesterov=False, weight_decay=0.0):
        super().__init__(learning_rate, weight_decay)
        if form not in self.FORMS:
            raise ValueError(f"unknown momentum form {form!r}; choose one of: {', '.join(self.FORMS)}")
        self.beta = _fraction("beta", beta)
        self.form = form
        self.nesterov = bool(nesterov)

    def update(self, name, param, grad):
        state = self._slots(name, param, "v")
        c = 1.0 - self.beta if self.form == "average" else 1.0  # weight of the new gradient
        v = state["v"] = self.beta * state["v"] + c * grad
        if self.nesterov:
            param -= self.learning_rate * (c * grad + self.beta * v)
        else:
            param -= self.learning_rate * v

    def update_in_place(self, name, param, grad):
        v = self._slots(name, param, "v")["v"]
        c = 1.0 - self.beta if self.form == "average" else 1.0
        v *= self.beta
        v += c * grad
        if self.nesterov:
            param -= self.learning_rate * (c * grad + self.beta * v)
        else:
            param -= self.learning_rate * v


class RMSProp(Optimizer):
    r"""RMSProp: scale each step by a running root mean square of the gradients.

    .. math::
        s \leftarrow \rho s + (1 - \rho)\, g^2, \qquad
        \theta \leftarrow \theta - \eta\, g / (\sqrt{s} + \epsilon)

    with ``s`` starting at zero.
    """

    def __init__(self, learning_rate=0.001, rho=0.9, eps=1e-8, weight_decay=0.0):
        super().__init__(learning_rate, weight_decay)
        self.rho = _fraction("rho", rho)
        self.eps = float(eps)

    def update(self, name, param, grad):
        state = self._slots(name, param, "s")
        s = state["s"] = self.rho * state["s"] + (1.0 - self.rho) * grad**2
        param -= self.learning_rate * grad / (np.sqrt(s) + self.eps)


class Adam(Optimizer):
    r"""Adam (Kingma and Ba 2015): momentum and RMSProp with bias correction.

    At step :math:`t = 1, 2, \dots`, with ``m`` and ``v`` starting at zero:

    .. math::
        m \leftarrow \beta_1 m + (1 - \beta_1)\, g, \qquad
        v \leftarrow \beta_2 v + (1 - \beta_2)\, g^2

        \hat m = m / (1 - \beta_1^t), \qquad \hat v = v / (1 - \beta_2^t), \qquad
        \theta \leftarrow \theta - \eta\, \hat m / (\sqrt{\hat v} + \epsilon)

    The corrections undo the pull towards zero of averages started at zero.
    """

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0):
        super().__init__(learning_rate, weight_decay)
        self.beta1 = _fraction("beta1", beta1)
        self.beta2 = _fraction("beta2", beta2)
        self.eps = float(eps)
        self.steps = {}  # parameter name -> t, the number of updates so far

    def update(self, name, param, grad):
        state = self._slots(name, param, "m", "v")
        t = self.steps[name] = self.steps.get(name, 0) + 1
        m = state["m"] = self.beta1 * state["m"] + (1.0 - self.beta1) * grad
        v = state["v"] = self.beta2 * state["v"] + (1.0 - self.beta2) * grad**2
        m_hat = m / (1.0 - self.beta1**t)
        v_hat = v / (1.0 - self.beta2**t)
        param -= self.learning_rate * m_hat / (np.sqrt(v_hat) + self.eps)

    def update_in_place(self, name, param, grad):
        # Through one scratch array kept with m and v: the formula above makes a temporary
        # the size of the parameter per operation, and Adam was a large part of a training
        # step (mlpsite.bench measures it).
        slots = self._slots(name, param, "m", "v", "scratch")
        t = self.steps[name] = self.steps.get(name, 0) + 1
        m, v, d = slots["m"], slots["v"], slots["scratch"]
        np.multiply(grad, 1.0 - self.beta1, out=d)
        m *= self.beta1
        m += d
        np.multiply(grad, grad, out=d)
        d *= 1.0 - self.beta2
        v *= self.beta2
        v += d
        np.divide(v, 1.0 - self.beta2 ** t, out=d)  # v_hat
        np.sqrt(d, out=d)
        d += self.eps
        np.divide(m, d, out=d)  # m / (sqrt(v_hat) + eps)
        d *= self.learning_rate / (1.0 - self.beta1 ** t)  # eta m_hat / (sqrt(v_hat) + eps)
        param -= d


class ClassicMomentum(Momentum):
    """:class:`Momentum` in its classic form, ``v = beta v + g`` (PyTorch's ``SGD(momentum=...)``)."""

    def __init__(self, learning_rate=0.1, beta=0.9, weight_decay=0.0):
        super().__init__(learning_rate, beta, form="classic", weight_decay=weight_decay)


class Nesterov(Momentum):
    """:class:`Momentum` (average form) stepping along Nesterov's look-ahead direction."""

    def __init__(self, learning_rate=0.1, beta=0.9, weight_decay=0.0):
        super().__init__(learning_rate, beta, form="average", nesterov=True, weight_decay=weight_decay)


class Choice(NamedTuple):
    """One entry of :data:`OPTIMIZERS`: the class, what it does, and the option a single β sets."""

    cls: type
    description: str
    beta: str | None  # the keyword of the optimiser's main decay rate, or None if it has none

    def __call__(self, **options):
        return self.cls(**options)


# name -> Choice; ``OPTIMIZERS[name](**options)`` builds one. "momentum" is the tutorial's
# average form (lr 4, beta 0.9); "classic" takes the same steps with lr 0.4. The first four
# keep their order: error messages list them so.
OPTIMIZERS = {
    "sgd": Choice(SGD, "plain gradient descent: step against the gradient", None),
    "momentum": Choice(Momentum, "momentum, average form: step along a moving average of the gradients",
                       "beta"),
    "rmsprop": Choice(RMSProp, "RMSProp: divide each step by a running root mean square of the gradients",
                      "rho"),
    "adam": Choice(Adam, "Adam: momentum and RMSProp together, with bias correction", "beta1"),
    "classic": Choice(ClassicMomentum, "classic momentum: step along a decaying sum of the gradients",
                      "beta"),
    "nesterov": Choice(Nesterov, "Nesterov momentum: step from where momentum is about to take the weights",
                       "beta"),
}


def make_optimizer(name, learning_rate=None, **options):
    """Build the optimiser registered as ``name``: the one way to build one by name.

    ``make_optimizer("momentum", 4, beta=0.9)`` is ``Momentum(learning_rate=4, beta=0.9)``.

    Parameters
    ----------
    name : str
        A key of :data:`OPTIMIZERS`: sgd, momentum, rmsprop, adam, classic, nesterov.
    learning_rate : float or None
        Positive and finite; None takes the class's default (0.1 for SGD and momentum,
        0.001 for RMSProp and Adam).
    **options
        The class's own options (``beta``, ``rho``, ``beta1``, ``beta2``, ``eps``, ...).
        :data:`OPTIMIZERS` ``[name].beta`` names the option a single "β" setting maps to.

    Raises
    ------
    ValueError
        For an unknown name (listing the valid ones), an option the optimiser does not
        take (listing those it takes), or a value out of range.
    """
    if name not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {name!r}; choose one of: {', '.join(OPTIMIZERS)}")
    cls = OPTIMIZERS[name].cls
    accepted = [p for p in inspect.signature(cls).parameters if p != "learning_rate"]
    unknown = [k for k in options if k not in accepted]
    if unknown:
        raise ValueError(f"optimizer {name!r} has no option {unknown[0]!r}; "
                         f"it takes: {', '.join(accepted) or 'only the learning rate'}")
    if learning_rate is not None:
        options["learning_rate"] = learning_rate
    return cls(**options)
