"""The "prediction" figure: one input's path through a network, for a cell or the lab's panel.

``prediction_figure(network, x)`` returns the payload that ``page.prediction(network, x)``
posts to the page; the page only draws it, every number comes from
:func:`mlp.prediction_path` (the network's own forward pass). All values are plain: dicts,
lists, strings, ints and floats (Python floats; a float32 network's values are exact).

The payload, field by field::

    kind           "prediction"
    key            str or None: a figure sent again with the same key replaces the earlier one
    title          str or None
    sizes          [784, 64, 10]: layer widths, input first
    activation     "relu": the hidden layers' activation
    predicted      int: the winning class, argmax of probabilities (lowest index on a tie)
    classes        ["0", ..., "9"]: one label per class, in class order
    logits         [classes floats]: the last layer's output z, in class order
    probabilities  [classes floats]: softmax(logits), in [0, 1], summing to 1
    input          {"height": 28, "width": 28, "pixels": [height*width floats]}
                   the input as the network sees it: row-major, 0 = no ink, 1 = full ink
    layers         one strip per hidden layer, first to last ([] without hidden layers):
                   {"layer": 1,                   hidden layer n is f(a_{n-1} @ Wn + bn)
                    "units": [ints],              unit indices, strongest first (all units)
                    "activations": [floats],      each unit's activation a_j, same order
                    "contributions": [floats],    a_j * d logits[predicted] / d a_j, same
                                                  order, decreasing; > 0 pushes the winning
                                                  class, < 0 holds it back
                    "rest": float}                logits[predicted] - sum(contributions):
                                                  the winning class's bias for the last
                                                  hidden layer
    weights        {"height": 28, "width": 28, "images": [...]}: the first hidden layer's
                   strongest units (at most TOP, same order as layers[0].units), each
                   {"unit": int, "activation": float, "contribution": float,
                    "scale": float,               max |w| of this image (0 if all zero)
                    "values": [height*width floats]}   incoming weights W1[:, unit], row-major;
                   draw them with a diverging palette centred at 0, from -scale to +scale
    alt            str: one sentence that says what the figure shows (its text alternative)

:mod:`mlp.inspection` gives the formulas and their sources.
"""

import mlp
from mlp.checks import text_or_none

__all__ = ["prediction_figure", "summary", "TOP"]

TOP = 8  # first-layer weight images in a figure


def _alt(path):
    c = path.predicted
    text = (f"The {'-'.join(map(str, path.sizes))} network predicts {c} with probability "
            f"{path.probabilities[c]:.2f} (logit {path.logits[c]:.2f})")
    if path.layers:
        last = path.layers[-1]
        strongest = ", ".join(f"unit {j} ({last.contributions[j]:+.2f})" for j in last.order[:3])
        text += f"; in the last hidden layer, the units that push {c} most are {strongest}"
    return text + "."


def prediction_figure(network, x, title=None, *, key=None, top=TOP):
    """The payload of a "prediction" figure (see the module docstring for every field).

    Parameters
    ----------
    network : mlp.Network
        Any depth, activation and dtype.
    x : array-like or bytes
        One input, as :func:`mlp.prediction_path` takes it: ``(784,)``, ``(1, 784)`` or
        ``(28, 28)``; integer pixels 0..255 (or ``bytes``) or floats in [0, 1].
    title, key : str or None
    top : int
        How many first-layer weight images to include.

    Raises
    ------
    TypeError
        For a ``network`` that is not an ``mlp.Network``, or a non-string title or key.
    ValueError
        For a bad input or ``top``, or a diverged network, as :func:`mlp.prediction_path`.
    """
    title, key = text_or_none("title", title), text_or_none("key", key)
    path = mlp.prediction_path(network, x, top=top)
    figure = {"kind": "prediction", "key": key, "title": title, **path.to_dict()}
    figure["classes"] = [str(i) for i in range(len(path.logits))]
    figure["alt"] = _alt(path)
    return figure


def summary(figure):
    """One line for a figure run outside the browser: ``[prediction: 7 (p=0.93), 784-64-10]``."""
    c = figure["predicted"]
    sizes = "-".join(map(str, figure["sizes"]))
    title = f", {figure['title']!r}" if figure["title"] else ""
    return f"[prediction: {figure['classes'][c]} (p={figure['probabilities'][c]:.2f}), {sizes}{title}]"
