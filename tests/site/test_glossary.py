"""docs/glossary.yml: every term the site uses is taught before it is used.

The pages are read in the order of mkdocs.yml's nav. A term's glossary entry names the page
that defines it (``defined``), the words on that page that define it (``at``, a regular
expression) and what counts as a use (``uses``, regular expressions). A use on an earlier
page, or earlier on the defining page, fails the test, unless the same paragraph, list item
or table row links to the defining page (or, on that page, to a section of it): a forward
reference the reader can follow.

Prose is read as the reader sees it: code blocks, HTML figures, link targets and the build's
``{{ ... }}`` placeholders are left out; inline code and formulas are kept. An entry with ``code: true`` (a name of the
``mlp`` package) counts its uses in code cells too.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
GLOSSARY = yaml.safe_load((DOCS / "glossary.yml").read_text())


def nav_pages() -> list[str]:
    """The Markdown files of mkdocs.yml's nav, in order."""
    text = (ROOT / "mkdocs.yml").read_text()
    nav = text.split("\nnav:\n", 1)[1].split("\n\n", 1)[0]
    return re.findall(r":\s*(\S+\.md)\s*$", nav, flags=re.M)


PAGES = nav_pages()
FENCE = re.compile(r"^\s*(```|~~~)")


def blocks(path: str, docs: Path = DOCS, code: bool = False) -> list[tuple[int, str]]:
    """(line number, text) of each paragraph, list item and table row of a page, HTML figures
    left out, and code blocks too unless ``code`` (then each code block is one block)."""
    lines = (docs / path).read_text().splitlines()
    out, current, start, in_code, in_html = [], [], 0, False, False
    if lines and lines[0] == "---":                       # front matter
        end = lines.index("---", 1)
        lines = [""] * (end + 1) + lines[end + 1:]

    def flush():
        if current:
            out.append((start, " ".join(current)))
        current.clear()

    for number, line in enumerate(lines, start=1):
        if FENCE.match(line):
            in_code = not in_code
            flush()
            continue
        if in_code:
            if code:
                start = start if current else number
                current.append(line.strip())
            continue
        if re.match(r"\s*<(svg|figure)\b", line):
            in_html = True
        if in_html:
            in_html = not re.search(r"</(svg|figure)>", line)
            continue
        new_item = re.match(r"\s*([-*|]|\d+\.)\s", line) or line.startswith("#") or line.startswith("!!!")
        if not line.strip() or new_item:
            flush()
        if line.strip():
            if not current:
                start = number
            current.append(line.strip())
    flush()
    return out


def reader_text(block: str) -> str:
    """What the reader reads of a block: link texts without their targets, no placeholders."""
    text = re.sub(r"\{\{.*?\}\}", " ", block)
    text = re.sub(r"\{:.*?\}", " ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    return re.sub(r"<[^>]+>", " ", text)


def links_to(block: str, page: str) -> bool:
    return bool(re.search(r"\]\(" + re.escape(page) + r"(#[^)]*)?\)", block))


def test_the_glossary_names_pages_of_the_nav_and_definitions_found_there():
    assert PAGES[0] == "index.md" and len(PAGES) >= 14, PAGES
    problems = []
    for entry in GLOSSARY:
        if entry["defined"] not in PAGES:
            problems.append(f"{entry['term']}: {entry['defined']} is not a page of the nav")
            continue
        text = " ".join(reader_text(b) for _, b in blocks(entry["defined"]))
        if not re.search(entry["at"], text):
            problems.append(f"{entry['term']}: {entry['defined']} has no definition matching {entry['at']!r}")
        if not any(re.search(u, text, flags=re.I) for u in entry["uses"]):
            problems.append(f"{entry['term']}: no pattern of its uses matches its own definition page")
    assert not problems, "\n".join(problems)


def early_uses(entry, pages=PAGES, docs=DOCS) -> list[str]:
    """Uses of a term before its definition, in nav order, as 'page:line: context'."""
    found = []
    defined = pages.index(entry["defined"])
    uses = [re.compile(u, flags=re.I) for u in entry["uses"]]
    for page in pages[: defined + 1]:
        for number, block in blocks(page, docs, code=entry.get("code", False)):
            text = reader_text(block)
            if page == entry["defined"]:
                if re.search(entry["at"], text):
                    return found                       # defined: later uses are fine
                if block.startswith("#"):
                    continue                           # a heading announces what follows
            elif any(links_to(block, target) for target in [entry["defined"], *entry.get("see", [])]):
                continue
            if page == entry["defined"] and "](#" in block:
                continue                               # a link to the section that defines it
            for use in uses:
                match = use.search(text)
                if match:
                    context = text[max(0, match.start() - 50): match.end() + 30]
                    found.append(f"{page}:{number}: «…{context}…»")
                    break
    return found


@pytest.mark.parametrize("entry", GLOSSARY, ids=lambda e: e["term"])
def test_no_term_is_used_before_it_is_defined(entry):
    found = early_uses(entry)
    assert not found, (f"'{entry['term']}' is used before {entry['defined']} defines it "
                       f"(docs/glossary.yml); define it at its first use, link the use to "
                       f"{entry['defined']}, or move the definition:\n  " + "\n  ".join(found))


def test_the_check_catches_an_early_use(tmp_path):
    """The same check on two pages that use a term before the second one defines it."""
    entry = {"term": "variance", "defined": "b.md", "at": r"\*\*variance\*\*", "uses": [r"\bvariances?\b"]}
    (tmp_path / "a.md").write_text("# A\n\nIts variance grows.\n\n```python\nvariance = 1\n```\n")
    (tmp_path / "b.md").write_text("The variance, again.\n\nThe **variance** is a mean square.\n\nvariance\n")
    assert early_uses(entry, ["a.md", "b.md"], tmp_path) == [
        "a.md:3: «…Its variance grows.…»", "b.md:1: «…The variance, again.…»"]
    (tmp_path / "a.md").write_text("Its [variance](b.md#spread) grows.\n")
    (tmp_path / "b.md").write_text("The **variance** is a mean square. Its variance.\n")
    assert early_uses(entry, ["a.md", "b.md"], tmp_path) == []
