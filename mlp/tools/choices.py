"""What a front end offers and checks: the lists and limits of one training run, in one dict.

The lab's form asks :func:`choices` once and builds its menus and checks from the
answer, so a new activation or optimiser appears there without a JavaScript edit. The
limits, like the defaults, are :class:`mlp.RunConfig`'s.
"""

import copy

from ..activations import ACTIVATIONS
from ..config import LIMITS
from ..data import NUM_CLASSES
from ..init import INITIALIZERS
from ..optimizers import OPTIMIZERS
from ..schedules import SCHEDULES

INPUTS = 784  # pixels of a 28 x 28 MNIST image


def choices():
    """The lists and limits of a training run's settings, as plain JSON-able values.

    Returns
    -------
    dict
        ``activations`` (names), ``initializers`` (names), ``optimizers`` (list of
        ``{"name", "description", "beta"}``: ``beta`` is the keyword that a single
        "β" setting maps to, e.g. ``"beta1"`` for Adam, or None), ``dtypes``,
        ``inputs`` (784), ``classes`` (10) and ``limits`` (``{name: [low, high]}``
        for ``units``, ``layers``, ``parameters``, ``learning_rate`` (low end
        excluded), ``beta`` (high end excluded), ``batch_size``, ``epochs``, ``seed``,
        ``weight_decay``, ``l2``, ``dropout`` (high end excluded), ``warmup_epochs``,
        ``step_epochs``, ``gamma`` (low end excluded)), and ``schedules`` (names, see
        :func:`mlp.make_schedule`); the limits are :data:`mlp.config.LIMITS`, the
        ranges of :class:`mlp.RunConfig`'s fields. A fresh copy on every call.
    """
    from ..network import DTYPES

    return {
        "activations": list(ACTIVATIONS),
        "initializers": list(INITIALIZERS),
        "optimizers": [{"name": name, "description": c.description, "beta": c.beta}
                       for name, c in OPTIMIZERS.items()],
        "dtypes": list(DTYPES),
        "schedules": list(SCHEDULES),
        "inputs": INPUTS,
        "classes": NUM_CLASSES,
        "limits": copy.deepcopy(LIMITS),
    }
