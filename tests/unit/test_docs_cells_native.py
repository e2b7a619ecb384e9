"""Run every cell of every tutorial page natively, in page order, one namespace per page.

The browser suite (tests/browser/test_pages.py) runs the same cells in Pyodide; this
native pass finds a broken cell in seconds. The drawing module ``page`` is the site's own
(docs/javascripts/page.py): outside the browser it checks its arguments the same way and
prints a one-line summary instead of drawing. The data file that the browser sees at
/data/... is read from build/assets/data/ (or from $MLP_DOCS_DATA_DIR).

Run one page by hand:  python tests/unit/test_docs_cells_native.py docs/backprop.md
"""

import contextlib
import io
import os
import re
import sys
import time
import warnings
from pathlib import Path

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


def run_page(name, echo=False):
    """Exec the page's cells in order; return [(seconds, output)] per cell."""
    cells = extract_cells((DOCS / name).read_text())
    sys.modules.pop("page", None)                 # a fresh `page` module per page
    if str(DOCS / "javascripts") not in sys.path:
        sys.path.insert(0, str(DOCS / "javascripts"))
    namespace = {"__name__": "__main__"}
    results = []
    try:
        for number, source in enumerate(cells, 1):
            source = source.replace('"/data/', f'"{DATA_DIR}/')
            out = io.StringIO()
            start = time.perf_counter()
            # A warning would show on the page as red text under the cell: treat it as a failure.
            with contextlib.redirect_stdout(out), warnings.catch_warnings():
                warnings.simplefilter("error")
                try:
                    exec(compile(source, f"{name}[cell {number}]", "exec"), namespace)
                except Exception as error:
                    raise AssertionError(f"{name} cell {number} failed: {error!r}\n"
                                         f"--- output ---\n{out.getvalue()}") from error
            text = out.getvalue()
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
