r"""Learning-rate schedules: how the learning rate changes during training.

A schedule is a callable ``schedule(epoch, epochs) -> factor``: given how far training
has come, ``epoch`` (a float: 2.5 is half-way through the third epoch) out of ``epochs``,
it returns the factor by which the optimiser's initial learning rate :math:`\eta_0` is
multiplied. :class:`mlp.Trainer` applies it **before every batch**, setting
``optimizer.learning_rate = eta_0 * schedule(epoch + batch / batches_per_epoch, epochs)``,
so a cosine curve or a warm-up moves smoothly, while :class:`StepSchedule`, whose
factor depends only on the whole epochs done, changes only at the start of an epoch.

- ``"constant"``: factor 1 (no schedule).
- ``"step"``: multiply by ``gamma`` every ``step_epochs`` epochs (step decay).
- ``"cosine"``: a linear **warm-up** from near 0 to 1 over ``warmup_epochs``, then half a
  cosine wave down to ``min_factor`` at the end (Loshchilov and Hutter, "SGDR: Stochastic
  Gradient Descent with Warm Restarts", ICLR 2017, without the restarts; the warm-up is
  that of Goyal et al., "Accurate, Large Minibatch SGD", 2017).

Build one by name with :func:`make_schedule`.
"""

import inspect
import math

from .checks import whole


def _number(name, value, low, high=math.inf, low_open=False):
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number; got {value!r}") from None
    below = number <= low if low_open else number < low
    if not math.isfinite(number) or below or number > high:
        bracket = "(" if low_open else "["
        raise ValueError(f"{name} must be in {bracket}{low:g}, {high:g}]; got {value!r}")
    return number


class ConstantSchedule:
    """Factor 1 throughout: the optimiser's learning rate is left as it is."""

    def __call__(self, epoch, epochs):
        return 1.0

    def __repr__(self):
        return "ConstantSchedule()"


class StepSchedule:
    r"""Step decay: :math:`\eta = \eta_0\, \gamma^{\lfloor e / s \rfloor}`.

    Parameters
    ----------
    step_epochs : int >= 1
        :math:`s`, the number of epochs between two drops.
    gamma : float in (0, 1]
        :math:`\gamma`, the factor applied at each drop (0.1 divides the rate by 10).

    ``e`` is the number of whole epochs finished, so the rate is constant within an epoch.
    """

    def __init__(self, step_epochs=5, gamma=0.1):
        self.step_epochs = whole("step_epochs", step_epochs, what="a whole number of epochs >= 1")
        self.gamma = _number("gamma", gamma, 0, 1, low_open=True)

    def __call__(self, epoch, epochs):
        return self.gamma ** (int(epoch) // self.step_epochs)

    def __repr__(self):
        return f"StepSchedule(step_epochs={self.step_epochs}, gamma={self.gamma:g})"


class CosineSchedule:
    r"""Linear warm-up, then cosine decay to ``min_factor`` at the last batch.

    With :math:`w` warm-up epochs and :math:`E` epochs in all, at epoch :math:`e` (a float):

    .. math::
        f(e) = \begin{cases}
            (e + \delta) / w & e < w \quad\text{(warm-up)} \\
            f_{\min} + \frac{1 - f_{\min}}{2}\left(1 + \cos\frac{\pi (e - w)}{E - w}\right) & e \ge w
        \end{cases}

    where :math:`\delta` is a small offset (1/100 of an epoch) so that the very first
    batch does not get a learning rate of exactly zero.

    Parameters
    ----------
    warmup_epochs : float >= 0
        :math:`w`; 0 for none. A **warm-up** starts with small steps while Adam's running
        averages and the freshly initialised weights settle, then reaches the full rate.
    min_factor : float in [0, 1]
        :math:`f_{\min}`, the factor reached at the end of training.

    Raises
    ------
    ValueError
        From :meth:`__call__` if the warm-up is not shorter than the whole training.
    """

    def __init__(self, warmup_epochs=0.0, min_factor=0.0):
        self.warmup_epochs = _number("warmup_epochs", warmup_epochs, 0, 1000)
        self.min_factor = _number("min_factor", min_factor, 0, 1)

    def __call__(self, epoch, epochs):
        w = self.warmup_epochs
        if w >= epochs:
            raise ValueError(f"the warm-up ({w:g} epochs) must be shorter than the training ({epochs} epochs)")
        if epoch < w:
            return min(1.0, (epoch + 0.01) / w)
        progress = min(1.0, (epoch - w) / (epochs - w))  # 0 -> 1 after the warm-up
        return self.min_factor + (1.0 - self.min_factor) * 0.5 * (1.0 + math.cos(math.pi * progress))

    def __repr__(self):
        return f"CosineSchedule(warmup_epochs={self.warmup_epochs:g}, min_factor={self.min_factor:g})"


SCHEDULES = {
    "constant": ConstantSchedule,
    "step": StepSchedule,
    "cosine": CosineSchedule,
}


def make_schedule(name, **options):
    """Build the schedule registered as ``name`` with keyword ``options``.

    ``make_schedule("cosine", warmup_epochs=1)``, ``make_schedule("step", step_epochs=5,
    gamma=0.1)``. Raises ``ValueError`` listing the valid names for an unknown one, and
    the valid options for an unknown option.
    """
    if name not in SCHEDULES:
        raise ValueError(f"unknown learning-rate schedule {name!r}; choose one of: {', '.join(SCHEDULES)}")
    cls = SCHEDULES[name]
    allowed = list(inspect.signature(cls).parameters)
    unknown = [k for k in options if k not in allowed]
    if unknown:
        raise ValueError(f"schedule {name!r} takes {', '.join(allowed) or 'no options'}; "
                         f"got {', '.join(map(repr, unknown))}")
    return cls(**options)
