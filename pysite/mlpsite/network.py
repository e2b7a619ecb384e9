"""The "network" figure: a diagram of a network's layers, units and weights, for a cell or the lab.

``network_figure(net, x=None)`` returns the payload that ``page.network(net, x)`` posts to the
page; the page only draws it (src/figures/network.js). Every number comes from the network's
own arrays and its forward pass (:meth:`mlp.Dense.forward`). ``net`` may also be a list of
layer widths, ``[784, 64, 10]``: then the diagram shows the structure alone.

The payload, field by field::

    kind         "network"
    key, title   str or None
    sizes        [784, 64, 10]: layer widths, input first
    activation   "sigmoid": the hidden layers' activation (None for sizes alone)
    parameters   int: weights and biases in all, mlp.layers.parameter_count(sizes)
    image        {"height": 28, "width": 28} when the input layer is a square picture, else None
    input        [height*width floats] in [0, 1]: the input as the network sees it, or None
    layers       one per layer, input first:
                 {"size": int, "units": [ints],     the units drawn, in index order (at most
                                                    MAX_UNITS of a wide layer; none for a
                                                    picture input)
                  "values": [floats] or None}       their activations for x (the softmax
                                                    probabilities at the output), or None
    links        one per weight matrix W_n (n from 1): {"layer": n, "shape": [n_in, n_out],
                  "scale": float (max |W_n|),
                  "edges": [[i, j, w], ...]}        W_n[i, j] = w, i and j unit indices;
                                                    thinned to the strongest few per unit
                                                    drawn, given an input those that move
                                                    the unit most (see _edges); "scale" and
                                                    "edges" are None for sizes alone
    predicted    int or None: argmax of the probabilities (lowest index on a tie)
    alt          str: the text alternative (structure, strongest units, prediction)
"""

import math

import numpy as np

import mlp
from mlp.checks import text_or_none

__all__ = ["network_figure", "summary", "MAX_UNITS", "EDGES_PER_UNIT", "PIXEL_EDGES"]

MAX_UNITS = 12        # units drawn in a layer wider than this (the rest are summarised)
EDGES_PER_UNIT = 3    # strongest incoming weights drawn per unit, once a layer pair has many
ALL_EDGES = 48        # a layer pair with at most this many drawn pairs shows every weight
PIXEL_EDGES = 2       # strongest pixels linked to each drawn first-layer unit


def _arrays(net):
    """``[(W1, b1), (W2, b2), ...]`` of a network or of a ``{"W1": ..., "b1": ...}`` dict, else None."""
    if isinstance(net, mlp.Network):
        return [(layer.params["W"], layer.params["b"]) for layer in net.layers]
    if not isinstance(net, dict):
        return None
    layers, n = [], 1
    while f"W{n}" in net:
        if f"b{n}" not in net:
            raise ValueError(f"params has W{n} but no b{n}; a layer needs both")
        W, b = np.asarray(net[f"W{n}"]), np.asarray(net[f"b{n}"])
        if W.ndim != 2 or b.shape != (W.shape[1],) or (layers and layers[-1][0].shape[1] != W.shape[0]):
            raise ValueError(f"params W{n} {W.shape} and b{n} {b.shape} do not make a layer after "
                             f"{[w.shape for w, _ in layers]}: W is (inputs, outputs), b (outputs,)")
        layers.append((W, b))
        n += 1
    if not layers:
        raise ValueError(f"params must hold W1, b1, W2, b2, ...; got keys {sorted(net)}")
    return layers


def _sizes(net, arrays):
    if arrays is not None:
        return [arrays[0][0].shape[0]] + [W.shape[1] for W, _ in arrays]
    if isinstance(net, (str, bytes)) or not np.iterable(net):
        raise TypeError(f"net must be an mlp.Network or a list of layer widths such as [784, 64, 10]; "
                        f"got {type(net).__name__}")
    sizes = list(net)
    if len(sizes) < 2 or not all(isinstance(s, (int, np.integer)) and not isinstance(s, bool) and s >= 1
                                 for s in sizes):
        raise ValueError(f"layer widths must be at least two whole numbers >= 1, e.g. [784, 64, 10]; got {net!r}")
    return [int(s) for s in sizes]


def _activations(arrays, activation, x):
    """Each layer's output for one input x (n_inputs,): the input, the hidden activations, P,
    as :meth:`mlp.Network.forward` computes them (f(a @ W + b), softmax at the end)."""
    f = mlp.activations.get_activation(activation)[0]
    a = x[None, :]
    values = [x]
    for n, (W, b) in enumerate(arrays, 1):
        z = a @ W + b
        a = z if n == len(arrays) else f(z)
        values.append(a[0])
    values[-1] = mlp.softmax(a)[0]
    if not all(np.isfinite(v).all() for v in values):
        raise ValueError("the network's activations hold nan or inf (training diverged?); "
                         "nothing meaningful to draw")
    return [np.asarray(v, dtype=np.float64) for v in values]


def _pick(size, values, W_in):
    """The units of a layer to draw: all of a narrow layer; of a wide one, the MAX_UNITS most
    active for this input, or (without one) those with the largest incoming weights."""
    if size <= MAX_UNITS:
        return list(range(size))
    strength = values if values is not None else (
        np.linalg.norm(W_in, axis=0) if W_in is not None else -np.arange(size))
    order = np.argsort(-np.asarray(strength), kind="stable")[:MAX_UNITS]
    return sorted(int(j) for j in order)


def _edges(W, rows, cols, per_unit, inputs=None):
    """Weights W[i, j] between the drawn units rows x cols: all of them when there are few,
    else the ``per_unit`` largest |W[i, j]| into each drawn unit j (rows None: any row), or
    with ``inputs`` (the previous layer's values) the largest |inputs[i] * W[i, j]|: the
    weights that move this unit most for this input."""
    edges = []
    for j in cols:
        column = W[:, j] if rows is None else W[rows, j]
        index = np.arange(W.shape[0]) if rows is None else np.asarray(rows)
        if rows is not None and len(rows) * len(cols) <= ALL_EDGES:
            keep = range(len(index))
        else:
            strength = np.abs(column) if inputs is None else np.abs(column * inputs[index])
            keep = np.argsort(-strength, kind="stable")[:per_unit]
        edges += [[int(index[k]), int(j), float(column[k])] for k in keep]
    return edges


def _alt(figure):
    sizes = figure["sizes"]
    image = figure["image"]
    parts = [f"{sizes[0]} inputs" + (f" (a {image['height']} by {image['width']} picture)" if image else "")]
    act = figure["activation"]
    for n, size in enumerate(sizes[1:-1], 1):
        parts.append(f"hidden layer {n} of {size} {act + ' ' if act else ''}units")
    parts.append(f"{sizes[-1]} outputs with softmax")
    text = (f"A {'-'.join(map(str, sizes))} network: {', '.join(parts)}; "
            f"{figure['parameters']:,} weights and biases, every unit connected to every unit of the next layer.")
    if figure["predicted"] is None:
        return text
    for n, layer in enumerate(figure["layers"][1:-1], 1):
        top = sorted(zip(layer["values"], layer["units"]), key=lambda t: -t[0])[:3]
        text += f" Strongest units of hidden layer {n}: " + ", ".join(f"{j} ({v:.2f})" for v, j in top) + "."
    c, p = figure["predicted"], figure["layers"][-1]["values"]
    text += f" It predicts {c} with probability {p[c]:.2f}."
    if len(p) > 1:   # the picture shows every output's bar: say the runner-up too
        second = max((k for k in range(len(p)) if k != c), key=lambda k: p[k])
        text += f" Next most probable: {second} ({p[second]:.2f})."
    return text


def network_figure(net, x=None, title=None, *, activation=None, key=None):
    """The payload of a "network" figure (the module docstring gives every field).

    Parameters
    ----------
    net : mlp.Network, dict or sequence of int
        Any depth, width, activation and dtype; or a parameter dict ``{"W1": (n0, n1) array,
        "b1": (n1,), "W2": ...}`` as the chapters build it; or layer widths alone (the
        structure, no weights).
    activation : str, optional
        The hidden layers' activation for a parameter dict (default "sigmoid"); a network
        has its own, and giving another one is an error.
    x : array-like or bytes, optional
        One input, as :func:`mlp.prediction_path` takes it: ``(784,)``, ``(1, 784)`` or
        ``(28, 28)``; integer pixels 0..255 (or ``bytes``) or floats in [0, 1]. Needs a network.
    title, key : str or None

    Raises
    ------
    TypeError
        For a ``net`` that is neither a network nor a list of widths, or a non-string title or key.
    ValueError
        For bad widths, an input without a network, a bad input (as
        :func:`mlp.inspection.check_input`) or a network whose activations are not finite.
    """
    title, key = text_or_none("title", title), text_or_none("key", key)
    arrays = _arrays(net)
    sizes = _sizes(net, arrays)
    if isinstance(net, mlp.Network):
        if activation not in (None, net.activation):
            raise ValueError(f"the network's activation is {net.activation!r}; activation={activation!r} "
                             f"applies to a parameter dict only")
        activation = net.activation
    elif arrays is not None:
        activation = activation or "sigmoid"
        mlp.activations.get_activation(activation)  # an unknown name fails here, with the names allowed
    elif activation is not None:
        raise ValueError("activation applies to a network or a parameter dict, not to sizes alone")
    if x is not None and arrays is None:
        raise ValueError("an input x needs weights: pass an mlp.Network or a parameter dict, not only sizes")
    side = math.isqrt(sizes[0])
    image = {"height": side, "width": side} if side * side == sizes[0] and side >= 4 else None
    values = None
    if x is not None:
        x = mlp.inspection.check_input(x, sizes[0], np.result_type(arrays[0][0].dtype, np.float32))
        values = _activations(arrays, activation, x)
    weights = [np.asarray(W, dtype=np.float64) for W, _ in arrays] if arrays else None
    if weights and not all(np.isfinite(W).all() for W in weights):
        raise ValueError("the network's weights hold nan or inf (training diverged?); nothing meaningful to draw")
    layers = []
    for n, size in enumerate(sizes):
        if n == 0 and image:
            units = []
        else:
            units = _pick(size, None if values is None else values[n], weights[n - 1] if weights and n else None)
        layers.append({"size": size, "units": units,
                       "values": None if values is None or (n == 0 and image) else
                       [float(values[n][j]) for j in units]})
    links = []
    for n, W in enumerate(weights or [], 1):
        rows = None if n == 1 and image else layers[n - 1]["units"]
        per = PIXEL_EDGES if rows is None else EDGES_PER_UNIT
        links.append({"layer": n, "shape": list(W.shape), "scale": float(np.abs(W).max()),
                      "edges": _edges(W, rows, layers[n]["units"], per, None if values is None else values[n - 1])})
    if weights is None:  # sizes alone: the connections, without strengths
        links = [{"layer": n, "shape": [sizes[n - 1], sizes[n]], "scale": None, "edges": None}
                 for n in range(1, len(sizes))]
    probabilities = None if values is None else values[-1]
    figure = {
        "kind": "network", "key": key, "title": title, "sizes": sizes,
        "activation": activation,
        "parameters": mlp.layers.parameter_count(sizes), "image": image,
        "input": None if values is None or not image else [float(v) for v in values[0]],
        "layers": layers, "links": links,
        "predicted": None if probabilities is None else int(np.argmax(probabilities)),
    }
    figure["alt"] = _alt(figure)
    return figure


def summary(figure):
    """One line for a figure run outside the browser: ``[network: 784-64-10, predicts 7 (p=0.93)]``."""
    text = f"[network: {'-'.join(map(str, figure['sizes']))}"
    c = figure["predicted"]
    if c is not None:
        text += f", predicts {c} (p={figure['layers'][-1]['values'][c]:.2f})"
    return text + (f", {figure['title']!r}" if figure["title"] else "") + "]"
