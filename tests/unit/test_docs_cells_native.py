"""Run every cell of every tutorial page natively, in page order, one namespace per page.

The browser suite (tests/browser/test_pages.py) runs the same cells in Pyodide; this
native pass finds a broken cell in seconds. Only the drawing module ``page`` is replaced,
by a stand-in that checks its arguments and prints a one-line summary instead of drawing.
The data file that the browser sees at /data/... is read from build/assets/data/
(or from $MLP_DOCS_DATA_DIR).

Run one page by hand:  python tests/unit/test_docs_cells_native.py docs/backprop.md
"""

import contextlib
import io
import os
import re
import sys
import time
import types
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
DATA_DIR = Path(os.environ.get("MLP_DOCS_DATA_DIR", ROOT / "build" / "assets" / "data"))
PAGES = ["index.md", "data.md", "architecture.md", "forward.md", "softmax.md",
         "backprop.md", "optimizers.md", "training.md", "results.md", "exercises.md"]

CELL_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,})\{\s*\.python\s+\.cell\b[^}]*\}\s*$")


def extract_cells(markdown):
    """The source of every ```{.python .cell} block, in order (indentation removed)."""
    cells, lines, i = [], markdown.splitlines(), 0
    while i < len(lines):
        match = CELL_OPEN.match(lines[i])
        i += 1
        if not match:
            continue
        indent, fence, body = match["indent"], match["fence"], []
        while i < len(lines) and lines[i].strip() != fence:
            body.append(lines[i][len(indent):] if lines[i].startswith(indent) else lines[i].lstrip())
            i += 1
        if i == len(lines):
            raise ValueError(f"cell opened on line {len(body)} is never closed")
        i += 1
        cells.append("\n".join(body) + "\n")
    return cells


def _stand_in_page_module(log):
    """A `page` module that validates arguments and logs instead of drawing."""
    mod = types.ModuleType("page")

    def _matrix(name, a):
        a = np.asarray(a)
        if not np.all(np.isfinite(a)):
            raise ValueError(f"page.{name}: values contain nan or inf")
        return a

    def digits(images, labels=None, title=None, **kw):
        images = _matrix("digits", images)
        if images.ndim != 2 or images.shape[1] != 784:
            raise ValueError(f"page.digits: images must be (n, 784), got {images.shape}")
        if labels is not None and len(labels) != len(images):
            raise ValueError("page.digits: one label per image")
        log.append(f"[digits] {len(images)} images {title or ''}")

    def chart(x, series, title=None, xlabel=None, ylabel=None, logy=False, **kw):
        x = np.asarray(x)
        for name, values in series.items():
            if len(values) != len(x):
                raise ValueError(f"page.chart: series {name!r} has {len(values)} values, x has {len(x)}")
        log.append(f"[chart] {title or ''}: {', '.join(series)}")

    def bars(values, labels=None, title=None, **kw):
        values = _matrix("bars", values)
        if labels is not None and len(labels) != len(values):
            raise ValueError("page.bars: one label per value")
        log.append(f"[bars] {title or ''}")

    def heatmap(matrix, title=None, **kw):
        matrix = _matrix("heatmap", matrix)
        if matrix.ndim != 2:
            raise ValueError("page.heatmap: a 2-D matrix")
        log.append(f"[heatmap] {matrix.shape} {title or ''}")

    def send(kind, **payload):
        log.append(f"[send] {kind}")

    mod.digits, mod.chart, mod.bars, mod.heatmap, mod.send = digits, chart, bars, heatmap, send
    return mod


def run_page(name, echo=False):
    """Exec the page's cells in order; return [(seconds, output)] per cell."""
    cells = extract_cells((DOCS / name).read_text())
    log = []
    sys.modules["page"] = _stand_in_page_module(log)
    namespace = {"__name__": "__main__"}
    results = []
    try:
        for number, source in enumerate(cells, 1):
            source = source.replace('"/data/', f'"{DATA_DIR}/')
            out = io.StringIO()
            start = time.perf_counter()
            with contextlib.redirect_stdout(out):
                try:
                    exec(compile(source, f"{name}[cell {number}]", "exec"), namespace)
                except Exception as error:
                    raise AssertionError(f"{name} cell {number} failed: {error!r}\n"
                                         f"--- output ---\n{out.getvalue()}") from error
            text = out.getvalue() + "".join(line + "\n" for line in log)
            log.clear()
            results.append((time.perf_counter() - start, text))
            if echo:
                print(f"--- cell {number} ({results[-1][0]:.2f} s)\n{text}", end="")
    finally:
        sys.modules.pop("page", None)
    return results


@pytest.mark.parametrize("name", PAGES)
def test_cells_run_natively(name):
    if not (DATA_DIR / "mnist-subset.npz").exists():
        pytest.fail(f"{DATA_DIR / 'mnist-subset.npz'} is missing: run scripts/build_assets.py first")
    cells = extract_cells((DOCS / name).read_text())
    assert cells, f"{name} has no cells"
    results = run_page(name)
    assert len(results) == len(cells)


if __name__ == "__main__":
    for page_name in sys.argv[1:] or PAGES:
        print(f"===== {page_name}")
        timings = run_page(Path(page_name).name, echo=True)
        print(f"===== {page_name}: {len(timings)} cells, {sum(t for t, _ in timings):.2f} s")
