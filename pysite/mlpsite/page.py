"""Draw figures from Python in the page: the cell that runs this code shows them.

In the browser the figures are drawn by the page (canvases, uPlot charts, tables)
from the data these functions hand over; nothing is rendered in Python. Run
natively, each function checks its arguments the same way and prints a one-line
summary instead, so cells stay runnable outside the browser.

    page.digits(images, labels=None, title=None, truth=None)   # truth: wrong readings marked
    page.chart(x, series, title=None, xlabel=None, ylabel=None, logy=False, logx=False,
               colors=None)                     # colors: {series name: "train" | "eval" | "batch"}
    page.bars(values, labels=None, title=None, highlight=None)
    page.heatmap(matrix, row_labels=None, col_labels=None, title=None, xlabel=None, ylabel=None,
                 shade="all")                   # shade="row": a confusion matrix's hits and misses
    page.log(lines, title=None)                 # text lines that scroll sideways instead of wrapping
    page.prediction(network, x, title=None)     # one input's path through a network
    page.network(net, x=None, title=None, activation=None)   # the layers, units and weights
    page.stepper(forward, backward, params, X, Y, title=None, check=None)   # backpropagation
    page.send(kind, **payload)
    page.ProgressCallback(...)                  # a live training chart, for mlp.Trainer

Every drawing function also takes ``key=``: a figure sent again with the same key
replaces the earlier one in the cell's output (a live update) instead of adding one.
Keys "name#part" keep the figures of one name together, in the order they first came.
"""

import math
import sys

import numpy as np

from mlp.checks import text_or_none

try:  # the bridge to the page, present only inside the site's Python worker
    import _cells_js as _bridge
except ImportError:
    _bridge = None

__all__ = ["digits", "chart", "bars", "heatmap", "log", "prediction", "network", "stepper", "send", "in_browser",
           "ProgressCallback"]

MAX_IMAGES = 200
MAX_POINTS = 200_000
MAX_MATRIX = 64
SERIES_ROLES = ("train", "eval", "batch")  # chart series roles, one colour each (src/ui/theme.js)


def _flush():
    # Text printed before a figure appears before it.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # noqa: BLE001 - a closed or odd stream must not stop drawing
            pass


def _post_figure(figure, summary):
    if _bridge is None:
        _show_natively(figure, summary)
        return
    _flush()
    _bridge.post_figure(figure)


def _show_natively(figure, summary):
    # Outside the browser: matplotlib in Jupyter, else the summary line (mlpsite/_native_figures.py).
    try:
        from mlpsite._native_figures import show
    except ImportError:
        print(summary)
        return
    show(figure, summary)


def _labels(name, labels, n):
    if labels is None:
        return None
    if isinstance(labels, str):
        raise TypeError(f"{name} must be a sequence with one label per item, not a string")
    labels = [_label(v) for v in (labels.tolist() if isinstance(labels, np.ndarray) else labels)]
    if len(labels) != n:
        raise ValueError(f"{name} has {len(labels)} entries for {n} items; give one per item")
    return labels


def _label(value):
    if isinstance(value, (np.generic,)):
        value = value.item()
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _key(key):
    if key is not None and not isinstance(key, str):
        raise TypeError(f"key must be a string or None; got {type(key).__name__}")
    return key


def _numbers(name, values, *, ndim=None, allow_nan=False):
    """A float64 array of real numbers; complains clearly about anything else."""
    try:
        array = np.asarray(values)
    except Exception as error:  # ragged lists and the like
        raise ValueError(f"{name} must be an array of numbers: {error}") from None
    if array.dtype == object or not (np.issubdtype(array.dtype, np.number) or array.dtype == bool):
        raise TypeError(f"{name} must hold numbers; got an array of dtype {array.dtype}")
    if np.iscomplexobj(array):
        raise TypeError(f"{name} must hold real numbers; got complex values")
    array = array.astype(np.float64)
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-dimensional; got shape {array.shape}")
    bad = ~np.isfinite(array) if not allow_nan else np.isinf(array)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        kind = "inf or nan" if not allow_nan else "inf"
        raise ValueError(f"{name} contains {kind} (first at index {where[0] if len(where) == 1 else where}); "
                         f"only finite numbers{' or nan (a gap)' if allow_nan else ''} can be drawn")
    return array


def _nullable(array):
    """A list of floats with nan turned into None (a gap in a chart)."""
    return [None if math.isnan(v) else v for v in array.tolist()]


def digits(images, labels=None, title=None, *, truth=None, key=None):
    """Draw greyscale images, e.g. MNIST digits, with optional labels underneath.

    ``images``: one image (28, 28) or (784,), or several (n, 784) or (n, 28, 28);
    any size works (a 2-D square array is one image, other 2-D arrays hold one
    flattened square image per row). Pixels are 0..255 (integers) or floats in [0, 1].
    ``labels``: one per image (numbers or strings), shown under each image.
    ``truth``: the true label of each image, with ``labels`` the network's readings:
    a reading that differs from its true label is marked wrong (colour, a cross and
    the true label in text). Raises ValueError when ``truth`` comes without ``labels``.
    """
    array = np.asarray(images)
    if array.dtype == object or not (np.issubdtype(array.dtype, np.number) or array.dtype == bool):
        raise TypeError(f"images must hold numbers; got an array of dtype {array.dtype}")
    shape = array.shape
    if array.ndim == 1:
        array = array[None, :]                  # one flat image
    elif array.ndim == 2 and shape[0] == shape[1]:
        array = array[None, :, :]               # one square image, e.g. (28, 28)
    if array.ndim == 2:                         # one flat image per row, e.g. (n, 784)
        side = math.isqrt(array.shape[1])
        if side * side != array.shape[1]:
            raise ValueError(f"images of shape {shape}: each row must be a square image "
                             f"(784 = 28 x 28 pixels); {array.shape[1]} is not a square")
        array = array.reshape(array.shape[0], side, side)
    if array.ndim != 3:
        raise ValueError(f"images must be (28, 28), (784,), (n, 784) or (n, 28, 28); got shape {shape}")
    n, height, width = array.shape
    if n == 0:
        raise ValueError("images is empty: nothing to draw")
    if n > MAX_IMAGES:
        raise ValueError(f"{n} images is too many to draw at once; pass at most {MAX_IMAGES}, "
                         f"e.g. images[:{MAX_IMAGES}]")
    if height > 256 or width > 256:
        raise ValueError(f"images of {height} x {width} pixels are too large; at most 256 x 256")
    if array.dtype == bool:
        array = array.astype(np.uint8) * 255
    elif np.issubdtype(array.dtype, np.floating):
        if not np.isfinite(array).all():
            raise ValueError("images contain nan or inf")
        low, high = float(array.min()), float(array.max())
        if low >= 0 and high <= 1:
            array = np.rint(array * 255)
        elif low < 0 or high > 255:
            raise ValueError(f"float images must hold values in [0, 1] (or 0..255); got {low:.4g}..{high:.4g}. "
                             f"Rescale first, e.g. (w - w.min()) / (w.max() - w.min())")
    else:
        low, high = int(array.min()), int(array.max())
        if low < 0 or high > 255:
            raise ValueError(f"integer images must hold values 0..255; got {low}..{high}")
    pixels = np.ascontiguousarray(array, dtype=np.uint8)
    figure = {
        "kind": "digits", "key": _key(key), "title": text_or_none("title", title),
        "count": n, "height": height, "width": width,
        "pixels": pixels.tobytes(), "labels": _labels("labels", labels, n),
        "truth": _labels("truth", truth, n),
    }
    if figure["truth"] is not None and figure["labels"] is None:
        raise ValueError("truth marks wrong labels, so it needs labels too: digits(images, labels=..., truth=...)")
    wrong = "" if figure["truth"] is None else \
        f", {sum(a != b for a, b in zip(figure['labels'], figure['truth']))} wrong"
    _post_figure(figure, f"[digits: {n} image{'s' * (n != 1)} of {height}x{width}{wrong}"
                         + (f", {title!r}" if title else "") + "]")


def chart(x, series=None, title=None, xlabel=None, ylabel=None, logy=False, *, logx=False, colors=None,
          key=None):
    """Draw a line chart: ``series`` maps a name to its values, one per x.

    ``x`` may be None (0, 1, 2, ...). ``page.chart({"loss": losses})`` works too.
    A nan in a series leaves a gap; a series that is mostly gaps is drawn with points.
    Each series gets its own colour and dash pattern in order; ``colors`` maps a series
    name to a role in SERIES_ROLES ("train", "eval", "batch") so that, e.g., the train
    figures have one colour and line style in every chart. ``logx`` and ``logy`` put an axis
    on a logarithmic scale (its values must be positive): e.g. learning rates 0.01 to 10.
    """
    if series is None and isinstance(x, dict):
        x, series = None, x
    if not isinstance(series, dict) or not series:
        raise TypeError("series must be a non-empty dict mapping a name to a list of values, "
                        "e.g. {'train loss': losses}")
    columns = {}
    for name, values in series.items():
        if not isinstance(name, str):
            raise TypeError(f"series names must be strings; got {name!r}")
        columns[name] = _numbers(f"series {name!r}", values, ndim=1, allow_nan=True)
    lengths = {len(v) for v in columns.values()}
    if x is None:
        if len(lengths) != 1:
            raise ValueError("without x, every series needs the same length; got "
                             + ", ".join(f"{n!r}: {len(v)}" for n, v in columns.items()))
        xs = np.arange(lengths.pop(), dtype=np.float64)
    else:
        xs = _numbers("x", x, ndim=1)
        for name, values in columns.items():
            if len(values) != len(xs):
                raise ValueError(f"series {name!r} has {len(values)} values but x has {len(xs)}")
    if len(xs) == 0:
        raise ValueError("the chart has no points")
    if len(xs) * len(columns) > MAX_POINTS:
        raise ValueError(f"{len(xs)} points x {len(columns)} series is too many to draw; "
                         f"at most {MAX_POINTS} values in all (take every k-th point)")
    if np.any(np.diff(xs) < 0):
        raise ValueError("x must be sorted in increasing order")
    roles = _roles(colors, columns)
    if logx and (xs <= 0).any():
        raise ValueError(f"logx=True needs positive x values; x has {xs.min():.4g}")
    if logy:
        for name, values in columns.items():
            finite = values[~np.isnan(values)]
            if (finite <= 0).any():
                raise ValueError(f"logy=True needs positive values; series {name!r} has {finite.min():.4g}")
    figure = {
        "kind": "chart", "key": _key(key), "title": text_or_none("title", title),
        "xlabel": text_or_none("xlabel", xlabel), "ylabel": text_or_none("ylabel", ylabel), "logy": bool(logy),
        "logx": bool(logx), "x": xs.tolist(),
        "series": [{"name": name, "values": _nullable(values), "role": roles.get(name)}
                   for name, values in columns.items()],
    }
    _post_figure(figure, f"[chart: {', '.join(columns)} ({len(xs)} points)"
                         + (f", {title!r}" if title else "") + "]")


def _roles(colors, columns):
    if colors is None:
        return {}
    if not isinstance(colors, dict):
        raise TypeError(f"colors must be a dict mapping a series name to a role; got {type(colors).__name__}")
    for name, role in colors.items():
        if name not in columns:
            raise ValueError(f"colors names {name!r}, which is not a series; the series are {list(columns)}")
        if role not in SERIES_ROLES:
            raise ValueError(f"colors[{name!r}] is {role!r}; the roles are {', '.join(SERIES_ROLES)}")
    return dict(colors)


def bars(values, labels=None, title=None, *, highlight=None, key=None):
    """Draw horizontal bars, e.g. class probabilities; ``highlight`` marks one bar by index."""
    array = _numbers("values", values, ndim=1)
    if len(array) == 0 or len(array) > 100:
        raise ValueError(f"bars draws 1 to 100 values; got {len(array)}")
    if (array < 0).any():
        raise ValueError(f"bars draws values >= 0; got {array.min():.4g}")
    names = _labels("labels", labels, len(array)) or [str(i) for i in range(len(array))]
    if highlight is not None:
        if isinstance(highlight, (bool, np.bool_)) or not isinstance(highlight, (int, np.integer)):
            raise TypeError(f"highlight must be the index of a bar; got {highlight!r}")
        if not 0 <= highlight < len(array):
            raise ValueError(f"highlight={highlight} is not a bar index (0..{len(array) - 1})")
        highlight = int(highlight)
    integers = bool(np.all(array == np.round(array)))
    figure = {
        "kind": "bars", "key": _key(key), "title": text_or_none("title", title),
        "values": array.tolist(), "labels": names, "highlight": highlight, "integers": integers,
    }
    _post_figure(figure, f"[bars: {len(array)} values" + (f", {title!r}" if title else "") + "]")


def heatmap(matrix, row_labels=None, col_labels=None, title=None, xlabel=None, ylabel=None, *,
            shade="all", key=None):
    """Draw a matrix as a table of shaded cells, e.g. a confusion matrix (rows: true, columns: predicted).

    ``shade="all"`` shades every cell between the smallest and the largest value;
    ``shade="row"`` (a confusion matrix) shades each cell by its share of the row, the
    diagonal (hits) in one colour and the rest (misses) in another, every miss visible.
    """
    if shade not in ("all", "row"):
        raise ValueError(f"shade must be 'all' or 'row' (a confusion matrix); got {shade!r}")
    array = _numbers("matrix", matrix, ndim=2)
    rows, cols = array.shape
    if not (1 <= rows <= MAX_MATRIX and 1 <= cols <= MAX_MATRIX):
        raise ValueError(f"heatmap draws 1x1 to {MAX_MATRIX}x{MAX_MATRIX} matrices; got {rows}x{cols}")
    integers = bool(np.all(array == np.round(array)))
    figure = {
        "kind": "heatmap", "key": _key(key), "title": text_or_none("title", title),
        "xlabel": text_or_none("xlabel", xlabel), "ylabel": text_or_none("ylabel", ylabel),
        "rows": rows, "cols": cols, "values": array.ravel().tolist(), "integers": integers, "shade": shade,
        "rowLabels": _labels("row_labels", row_labels, rows) or [str(i) for i in range(rows)],
        "colLabels": _labels("col_labels", col_labels, cols) or [str(i) for i in range(cols)],
    }
    _post_figure(figure, f"[heatmap: {rows}x{cols}" + (f", {title!r}" if title else "") + "]")


def prediction(network, x, title=None, *, key=None):
    """Draw one input's path through ``network``: the input, each hidden layer's units ordered by
    how much they push the winning class, the strongest first-layer units' weights, the logits
    and the softmax. ``x`` is one input as :func:`mlp.prediction_path` takes it ((784,),
    (1, 784) or (28, 28); pixels 0..255 or floats in [0, 1]). Raises ``TypeError`` or
    ``ValueError`` as :func:`mlpsite.prediction.prediction_figure`, whose docstring gives the payload.
    """
    from mlpsite.prediction import prediction_figure, summary

    figure = prediction_figure(network, x, title, key=key)
    _post_figure(figure, summary(figure))


def network(net, x=None, title=None, *, activation=None, key=None):
    """Draw a diagram of ``net``: its layers as columns of units with their shapes, the weights
    as links (thickness: magnitude, colour: sign; the strongest few per unit in wide layers).
    ``net`` is an ``mlp.Network``, a parameter dict ``{"W1": ..., "b1": ..., ...}`` (hidden
    layers use ``activation``, default "sigmoid") or layer widths alone (``[784, 64, 10]``). With ``x`` (one
    input, as :func:`mlp.prediction_path` takes it), the units light up by their activation and
    the output shows the probabilities. Raises ``TypeError`` or ``ValueError`` as
    :func:`mlpsite.network.network_figure`, whose docstring gives the payload.
    """
    from mlpsite.network import network_figure, summary

    figure = network_figure(net, x, title, activation=activation, key=key)
    _post_figure(figure, summary(figure))


def stepper(forward, backward, params, X, Y, title=None, *, check=None, key=None):
    """Step through ``forward`` and ``backward`` (the Backpropagation chapter's functions) on a
    small network, one unit per step, forward then backward, closing with a gradient check
    (``check``: the chapter's ``gradient_check``). ``params`` has one hidden layer of at most 8
    units, ``X`` (B, n_in) and ``Y`` (B, n_out) one-hot hold 1 to 3 samples. Raises ``TypeError``
    or ``ValueError`` as :func:`mlpsite.stepper.stepper_figure`, whose docstring gives the payload.
    """
    from mlpsite.stepper import stepper_figure, summary

    figure = stepper_figure(forward, backward, params, X, Y, title, check=check, key=key)
    _post_figure(figure, summary(figure))


def _plain(value, where="payload"):
    """Numbers, strings, lists and dicts only: what the page can receive."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, dict):
        return {str(k): _plain(v, f"{where}[{k!r}]") for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v, f"{where}[{i}]") for i, v in enumerate(value)]
    raise TypeError(f"{where} is a {type(value).__name__}; messages carry numbers, strings, "
                    f"lists, dicts and arrays only")


def send(kind, **payload):
    """Send a custom message ``{"kind": kind, **payload}`` to the page (no throttling: the caller's job)."""
    if not isinstance(kind, str) or not kind:
        raise TypeError(f"kind must be a non-empty string; got {kind!r}")
    message = _plain(payload)
    message["kind"] = kind
    if _bridge is None:
        return
    _flush()
    _bridge.post_message(message)


def log(lines, title=None, *, key=None):
    """Show lines of text (e.g. a training log) in a box that scrolls sideways instead of
    wrapping a line mid-phrase. ``lines``: a list of strings (at most 10,000)."""
    if isinstance(lines, str) or not all(isinstance(line, str) for line in lines):
        raise TypeError("lines must be a list of strings, one per line")
    lines = list(lines)
    if len(lines) > 10_000:
        raise ValueError(f"{len(lines)} lines is too many to show; at most 10000")
    figure = {"kind": "log", "key": _key(key), "title": text_or_none("title", title), "lines": lines}
    if _bridge is None:
        print("\n".join(lines))  # natively the lines are plain text, no drawing
        return
    _flush()
    _bridge.post_figure(figure)


def in_browser():
    """True inside the site's Python worker (figures reach a page), False natively."""
    return _bridge is not None


from mlpsite.progress import ProgressCallback  # noqa: E402 - it draws with the functions above
