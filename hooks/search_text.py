"""MkDocs hook: the search index gets readable maths instead of raw LaTeX.

pymdownx.arithmatex leaves formulas in the page as ``\\(\\eta\\)`` and ``\\[ ... \\]`` for KaTeX to
render; Material's search plugin indexes that source text, so search previews would show
``\\(\\eta\\)``. After the search plugin has written ``search/search_index.json`` (hooks run after
the plugins), each formula in it is replaced by a plain-text form (``η``, ``∂L / ∂V``), made by
pylatexenc's LaTeX-to-text converter, a maintained parser of LaTeX, rather than a table of
our own. The page itself keeps its LaTeX.
"""

from __future__ import annotations

import html
import json
import os
import re
import tempfile
from functools import lru_cache
from pathlib import Path

from pylatexenc import latexwalker, macrospec
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

# \( ... \) and \[ ... \] as arithmatex writes them (the search index keeps the backslashes;
# its text is HTML-escaped, so '<' inside a formula appears as &lt;).
FORMULA = re.compile(r"\\\((?P<inline>.+?)\\\)|\\\[(?P<display>.+?)\\\]", re.S)


@lru_cache(maxsize=1)
def _converter():
    """pylatexenc's converter, taught the few macros it lacks (\\tfrac, \\dfrac, spacing)."""
    db = get_default_latex_context_db().filter_context()
    db.add_context_category(
        "site-macros",
        macros=[MacroTextSpec(name, simplify_repl="%s/%s") for name in ("tfrac", "dfrac")]
        + [MacroTextSpec(name, simplify_repl=" ") for name in ("qquad", "quad", ",", ";", "!")],
        prepend=True,
    )
    walker_db = latexwalker.get_default_latex_context_db()
    walker_db.add_context_category(
        "site-macros",
        macros=[macrospec.MacroSpec(name, "{{") for name in ("tfrac", "dfrac")],
        prepend=True,
    )
    return LatexNodes2Text(latex_context=db, math_mode="text"), walker_db


def plain_formula(latex: str) -> str:
    """One formula's LaTeX source as plain Unicode text, e.g. ``\\partial L`` -> ``∂L``."""
    converter, walker_db = _converter()
    walker = latexwalker.LatexWalker(latex, latex_context=walker_db, tolerant_parsing=True)
    nodes = walker.get_latex_nodes()[0]
    return " ".join(converter.nodelist_to_text(nodes).split())


def plain_text(text: str) -> str:
    """``text`` with every arithmatex formula replaced by its plain form."""
    def replace(match):
        latex = html.unescape(match.group("inline") or match.group("display"))
        return html.escape(plain_formula(latex), quote=False)

    return FORMULA.sub(replace, text)


def on_post_build(config, **kwargs):
    index = Path(config["site_dir"]) / "search" / "search_index.json"
    if not index.is_file():
        return
    data = json.loads(index.read_text(encoding="utf-8"))
    for doc in data.get("docs", []):
        for field in ("title", "text"):
            if field in doc:
                doc[field] = plain_text(doc[field])
    # Written atomically: a build interrupted here leaves the old index, never half a file.
    fd, tmp = tempfile.mkstemp(dir=index.parent, prefix=".search_index.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(data, out, ensure_ascii=False, separators=(",", ":"))
    os.replace(tmp, index)
