"""MkDocs hook: every page with runnable cells is also a Jupyter notebook.

on_page_markdown  keeps the Markdown of each page with ```{.python .cell} blocks
on_page_content   puts a "Download as notebook" link under the page's title
on_post_build     writes site/notebooks/<page>.ipynb, built with nbformat (never by hand)

A notebook starts with a note on how to get mlp and the figures module `page` (from the
wheels the site serves, or from a clone of the repository), a set-up cell and, when the page
reads MNIST, a data cell (hooks/notebook_cells/*.py); then the page's text as Markdown cells
and its cells as code cells. Paths "/data/<file>" (the browser's file system) become
"data/<file>" beside the notebook; links become absolute addresses on the site.
"""

from __future__ import annotations

import logging
import os
import posixpath
import re
import tempfile
from pathlib import Path
from urllib.parse import urljoin

import nbformat
from mkdocs.utils import get_relative_url
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parent.parent
CELL_SOURCES = Path(__file__).resolve().parent / "notebook_cells"
FOLDER = "notebooks"
CELL_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,})\{\s*\.python\s+\.cell\b(?P<classes>[^}]*)\}\s*$")
ADMONITION = re.compile(r'^(?P<indent>[ \t]*)(?:!!!|\?\?\?\+?)\s+(?P<kind>[\w-]+)'
                        r'(?:\s+"(?P<title>[^"]*)")?\s*$')
LINK = re.compile(r"(\]\()(?P<href>[^)\s]+)(\))")
DATA_PATH = re.compile(r"""(?P<quote>["'])/data/""")

log = logging.getLogger("mkdocs.hooks.notebooks")
_pages: dict[str, tuple[str, str]] = {}  # notebook name -> (title, Markdown with absolute links)


def notebook_name(page) -> str:
    """'data.md' -> 'data.ipynb'; 'guide/intro.md' -> 'guide-intro.ipynb'."""
    return page.file.src_uri[: -len(".md")].replace("/", "-") + ".ipynb"


def on_config(config):
    _pages.clear()
    return config


def on_page_markdown(markdown, page, config, files):
    if any(CELL_OPEN.match(line) for line in markdown.splitlines()):
        text = absolute_links(markdown, page, files, config["site_url"] or "/")
        _pages[notebook_name(page)] = (page.title or page.file.name, text)
    return markdown


def on_page_content(html, page, config, files):
    name = notebook_name(page)
    if name not in _pages:
        return html
    href = get_relative_url(f"{FOLDER}/{name}", page.url)
    link = (f'<p class="notebook-download"><a href="{href}" download="{name}">'
            f"Download as notebook</a> (<code>.ipynb</code>: the text and cells of this page, "
            f"for Jupyter on your own machine)</p>")
    end = html.find("</h1>")
    return html[: end + 5] + link + html[end + 5:] if end >= 0 else link + html


def on_post_build(config):
    site = Path(config["site_dir"])
    wheels = {name: served_wheel(site, name) for name in ("mlp", "mlpsite")}
    out = site / FOLDER
    out.mkdir(parents=True, exist_ok=True)
    for name, (title, markdown) in sorted(_pages.items()):
        notebook = build_notebook(title, markdown, config["site_url"] or "/", wheels)
        write_atomic(out / name, notebook)
    log.info("wrote %d notebooks to %s/", len(_pages), FOLDER)


def served_wheel(site: Path, project: str) -> str | None:
    """The wheel of ``project`` the site serves, as a path from the site's root, or None."""
    found = sorted((site / "assets" / "pyodide").glob(f"{project}-*-py3-none-any.whl"))
    return f"assets/pyodide/{found[-1].name}" if found else None


def build_notebook(title, markdown, site_url, wheels):
    """An nbformat v4 notebook: the how-to note, set-up and data cells, then the page."""
    cells = [new_markdown_cell(intro(title, site_url, wheels))]
    settings = (f"SITE = {site_url!r}  # the site this notebook comes from\n"
                f"MLP_WHEEL = {wheels['mlp']!r}\nMLPSITE_WHEEL = {wheels['mlpsite']!r}\n")
    cells.append(new_code_cell(settings + (CELL_SOURCES / "setup.py").read_text()))
    if DATA_PATH.search(markdown):
        cells.append(new_code_cell((CELL_SOURCES / "data.py").read_text()))
    for kind, text in split_page(plain_admonitions(markdown)):
        if kind in ("code", "error"):
            cell = new_code_cell(DATA_PATH.sub(r"\g<quote>data/", text))
            if kind == "error":  # a cell that shows an error on purpose
                cell.metadata["tags"] = ["raises-exception"]
            cells.append(cell)
        elif text.strip():
            cells.append(new_markdown_cell(text.strip("\n")))
    notebook = new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
    })
    nbformat.validate(notebook)
    return notebook


def intro(title, site_url, wheels):
    page_wheel = (f"`%pip install {site_url}{wheels['mlpsite']}`" if wheels["mlpsite"]
                  else "the set-up cell fetches it from the site")
    return (
        f"*{title}*, from the site [Neural networks from scratch]({site_url}), as a notebook.\n\n"
        "**Before you start.** The cells need the package `mlp` (the network, written with "
        "NumPy) and the module `page` (the figures). Install them into this notebook's Python "
        "once:\n\n"
        f"- `mlp`: `%pip install {site_url}{wheels['mlp']}`, or `pip install -e .` in a clone "
        "of the repository;\n"
        f"- `page` comes with the site's package `mlpsite`: {page_wheel}.\n\n"
        "Figures are drawn with matplotlib when it is installed (`%pip install matplotlib`); "
        "without it each figure prints a one-line summary. Run the cells in order: they "
        "share their variables, as on the site."
    )


def split_page(markdown):
    """[(kind, text)]: 'markdown' for text; 'code' for each cell (its indentation removed),
    'error' for a cell marked .expect-error."""
    parts, text, lines, i = [], [], markdown.splitlines(), 0
    while i < len(lines):
        match = CELL_OPEN.match(lines[i])
        if not match:
            text.append(lines[i])
            i += 1
            continue
        indent, fence, body = match["indent"], match["fence"], []
        i += 1
        while i < len(lines) and lines[i].strip() != fence:
            body.append(lines[i][len(indent):] if lines[i].startswith(indent) else lines[i].lstrip())
            i += 1
        i += 1  # the closing fence (MkDocs has built the page already: it is there)
        kind = "error" if ".expect-error" in match["classes"].split() else "code"
        parts += [("markdown", "\n".join(text)), (kind, "\n".join(body).rstrip("\n"))]
        text = []
    parts.append(("markdown", "\n".join(text)))
    return parts


def plain_admonitions(markdown):
    """'!!! note "Title"' and folded '??? kind' blocks as a bold title and unindented body."""
    lines, out, i = markdown.splitlines(), [], 0
    while i < len(lines):
        match = ADMONITION.match(lines[i])
        i += 1
        if not match:
            out.append(lines[i - 1])
            continue
        indent = match["indent"]
        out += [f"{indent}**{match['title'] or match['kind'].capitalize()}**", ""]
        body = indent + "    "
        while i < len(lines) and (not lines[i].strip() or lines[i].startswith(body)):
            out.append(indent + lines[i][len(body):] if lines[i].strip() else "")
            i += 1
    text = "\n".join(out)
    return plain_admonitions(text) if ADMONITION.search(text) and text != markdown else text


def absolute_links(markdown, page, files, site_url):
    """Relative links and images as absolute addresses on the site ('data.md' -> its page URL)."""
    base = urljoin(site_url, page.url)

    def replace(match):
        href = match["href"]
        if re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I) or href.startswith("/"):
            return match.group(0)
        path, _, anchor = href.partition("#")
        if path:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page.file.src_uri), path))
            found = files.get_file_from_path(target)
            path = found.url if found is not None else target
            href = urljoin(site_url, path) + (f"#{anchor}" if anchor else "")
        else:
            href = f"{base}#{anchor}"
        return f"{match.group(1)}{href}{match.group(3)}"

    return LINK.sub(replace, markdown)


def write_atomic(path: Path, notebook) -> None:
    """Write the notebook to a temporary file beside ``path``, then rename it into place."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            nbformat.write(notebook, f)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; a web server must read it
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
