"""Figures of `page` outside the browser: matplotlib in Jupyter, else one line of text.

``show(figure, summary)`` takes the figure dictionary `page` would hand to the browser
(kinds "digits", "chart", "bars", "heatmap"; see page.py) and the one-line summary it
prints natively. In an IPython kernel with matplotlib installed it draws the figure; a
figure sent again with the same ``key`` replaces the earlier one (``update_display``), as
the live charts do on the site. Anywhere else it prints the summary.
"""

import math
import time

import numpy as np

LIVE_INTERVAL = 2.0  # seconds at least between two drawings of one live figure
LIVE_SHARE = 0.2     # ... and at most this share of the time spent drawing it (a drawing
                     # takes 0.1 to 1 s, far longer than one training batch)
_displays = {}  # key -> IPython DisplayHandle of the figure drawn under that key
_drawn_at = {}  # key -> time.monotonic() of its last drawing
_draw_cost = {}  # key -> seconds its last drawing took
_pending = {}   # key -> the latest figure of that key not drawn yet


def show(figure, summary):
    """Draw ``figure`` with matplotlib in a Jupyter kernel, else print ``summary``.

    A keyed figure (a live chart) is redrawn at most every ``LIVE_INTERVAL`` seconds, and
    rarer when drawing is slow (``LIVE_SHARE``); its latest state is drawn when the cell ends.
    """
    plt = _pyplot()
    if plt is None or figure["kind"] not in DRAW:  # a kind without a matplotlib drawing
        print(summary)
        return
    key = figure.get("key")
    if key is not None and key in _displays:
        _pending[key] = figure
        wait = max(LIVE_INTERVAL, _draw_cost.get(key, 0.0) / LIVE_SHARE)
        if time.monotonic() - _drawn_at.get(key, 0.0) < wait:
            return
    _draw(plt, figure)


def _flush_pending(*_):
    """After each cell: the latest state of every live figure that was not drawn yet."""
    plt = _pyplot()
    while _pending and plt is not None:
        _draw(plt, _pending.pop(next(iter(_pending))))


def _draw(plt, figure):
    from IPython.display import display

    key = figure.get("key")
    _pending.pop(key, None)
    start = time.monotonic()
    drawn = plt.figure(figsize=_size(figure))
    try:
        DRAW[figure["kind"]](drawn, figure)
        if figure.get("title"):
            drawn.suptitle(figure["title"])
        if key in _displays:
            _displays[key].update(drawn)
        elif key is not None:
            _displays[key] = display(drawn, display_id=True)
        else:
            display(drawn)
    finally:
        plt.close(drawn)  # shown once, by display(), not again by the inline backend
        _drawn_at[key] = time.monotonic()
        _draw_cost[key] = _drawn_at[key] - start


def _pyplot():
    """matplotlib.pyplot when running in an IPython kernel with matplotlib, else None."""
    try:
        from IPython import get_ipython
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    shell = get_ipython()
    if shell is None or getattr(shell, "kernel", None) is None:
        return None
    if _flush_pending not in shell.events.callbacks["post_run_cell"]:
        shell.events.register("post_run_cell", _flush_pending)
    return plt


def _size(figure):
    if figure["kind"] == "digits":
        columns = min(figure["count"], 10)
        return (1.1 * columns, 1.3 * math.ceil(figure["count"] / columns) + 0.4)
    if figure["kind"] == "heatmap":
        return (1 + 0.5 * figure["cols"], 0.8 + 0.45 * figure["rows"])
    return (7, 3.5)


def _digits(fig, f):
    pixels = np.frombuffer(f["pixels"], np.uint8).reshape(f["count"], f["height"], f["width"])
    columns = min(f["count"], 10)
    rows = math.ceil(f["count"] / columns)
    for i, image in enumerate(pixels):
        ax = fig.add_subplot(rows, columns, i + 1)
        ax.imshow(image, cmap="gray_r", vmin=0, vmax=255)
        ax.set_axis_off()
        if f["labels"]:
            ax.set_title(f["labels"][i], fontsize=9)


def _chart(fig, f):
    ax = fig.add_subplot()
    for series in f["series"]:
        values = np.array([np.nan if v is None else v for v in series["values"]], dtype=float)
        mostly_gaps = np.isnan(values).mean() > 0.5
        ax.plot(f["x"], values, "o-" if mostly_gaps else "-", label=series["name"],
                markersize=4)
    if f["logy"]:
        ax.set_yscale("log")
    if f.get("logx"):
        ax.set_xscale("log")
    ax.set_xlabel(f["xlabel"] or "")
    ax.set_ylabel(f["ylabel"] or "")
    ax.grid(alpha=0.3)
    ax.legend()


def _bars(fig, f):
    ax = fig.add_subplot()
    colors = ["C1" if i == f["highlight"] else "C0" for i in range(len(f["values"]))]
    ax.barh(range(len(f["values"])), f["values"], color=colors, tick_label=f["labels"])
    ax.invert_yaxis()  # the first value on top, as on the site


def _heatmap(fig, f):
    ax = fig.add_subplot()
    matrix = np.array(f["values"], dtype=float).reshape(f["rows"], f["cols"])
    ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(f["cols"]), f["colLabels"])
    ax.set_yticks(range(f["rows"]), f["rowLabels"])
    ax.set_xlabel(f["xlabel"] or "")
    ax.set_ylabel(f["ylabel"] or "")
    if f["rows"] * f["cols"] <= 400:
        middle = (matrix.max() + matrix.min()) / 2
        for (r, c), v in np.ndenumerate(matrix):
            ax.text(c, r, f"{v:.0f}" if f["integers"] else f"{v:.2g}", ha="center",
                    va="center", fontsize=7, color="white" if v > middle else "black")


DRAW = {"digits": _digits, "chart": _chart, "bars": _bars, "heatmap": _heatmap}
