"""What a front end offers and checks: the lists and limits of one training run, in one dict.

The lab's form asks :func:`choices` once and builds its menus and checks from the
answer, so a new activation or optimiser appears there without a JavaScript edit.
"""

import copy

from .activations import ACTIVATIONS
from .data import NUM_CLASSES
from .init import INITIALIZERS
from .optimizers import OPTIMIZERS
from .schedules import SCHEDULES

INPUTS = 784  # pixels of a 28 x 28 MNIST image

# name -> [low, high]. Open ends: learning_rate and gamma above their low end, beta and
# dropout below their high end; every other range includes both ends. "parameters" bounds the whole network's weights and
# biases: 20 million float32 values are 80 MB per copy, and training keeps several copies,
# which a browser tab can still hold.
LIMITS = {
    "units": [1, 4096],          # per hidden layer
    "layers": [1, 8],            # hidden layers
    "parameters": [1, 20_000_000],
    "learning_rate": [0, 100],
    "beta": [0, 1],
    "batch_size": [1, 10_000],
    "epochs": [1, 100],
    "seed": [0, 2**32 - 1],
    # Regularisation and schedules (mlp.regularization, mlp.schedules). Decoupled weight decay
    # also needs learning_rate x weight_decay < 1; a warm-up must be shorter than the epochs.
    "weight_decay": [0, 10],
    "l2": [0, 1],
    "dropout": [0, 1],
    "warmup_epochs": [0, 100],
    "step_epochs": [1, 100],
    "gamma": [0, 1],
}


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
        :func:`mlp.make_schedule`). A fresh copy on every call.
    """
    from .network import DTYPES

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
