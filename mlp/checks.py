"""The checks of plain arguments that several modules share: one rule, one message each.

Each returns the value checked (as a Python number) or raises ``ValueError`` with a
message that names the argument, what is allowed and the value given.
"""

import numpy as np


def whole(name, value, low=1, what="a positive integer"):
    """``value`` as an int if it is a whole number >= ``low`` (not a bool), else ``ValueError``.

    ``whole("epochs", 0)`` raises "epochs must be a positive integer; got 0"; ``what`` says
    what is allowed in the message ("a whole number of epochs >= 1").
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < low:
        raise ValueError(f"{name} must be {what}; got {value!r}")
    return int(value)
