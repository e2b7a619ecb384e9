"""Share links of cells: Link copies an address whose fragment holds the cell's code; opening it
shows that code in that cell, marked as shared, with the reader's own saved edit one click away
and never overwritten unless they keep the shared code; broken links get a note and the page's
own code."""

from __future__ import annotations

import pytest
from labpage import set_scheme
from test_cells import PLAYGROUND, cell, output, run_cell, set_code, wait_ready

SHARED = "shared = 6 * 7\nprint('from the link:', shared)"
MINE = "print('my own edit')"
STORE_KEY = "cells:v1:{path}#1"


def open_url(page, url):
    """A new load of `url` (the same page with another fragment would not reload)."""
    page.goto("about:blank")
    page.goto(url, wait_until="load")
    page.wait_for_function("window.__cells && window.__cells.list().length > 0")
    return page.evaluate("window.__cells.linkOpened()")


def saved(page):
    key = STORE_KEY.format(path=page.evaluate("location.pathname"))
    raw = page.evaluate("(key) => localStorage.getItem(key)", key)
    return None if raw is None else page.evaluate("(raw) => JSON.parse(raw).code", raw)


def wait_saved(page, code):
    key = STORE_KEY.format(path=page.evaluate("location.pathname"))
    page.wait_for_function("([key, code]) => JSON.parse(localStorage.getItem(key) || '{}').code === code", arg=[key, code])


def test_a_link_opens_the_code_in_its_cell_and_the_readers_edit_stays_one_click_away(new_page, screenshot_dir):
    page = new_page(permissions=["clipboard-read", "clipboard-write"])
    open_url(page, PLAYGROUND)
    set_code(page, 1, SHARED)
    cell(page, 1).get_by_role("button", name="Copy a link to cell 2 with its code").click()
    page.wait_for_function("document.querySelector('.pycell[data-cell-index=\"1\"]').dataset.shareLink")
    url = cell(page, 1).get_attribute("data-share-link")
    assert page.evaluate("navigator.clipboard.readText()") == url
    assert "#cell=2&v=1&code=" in url and "shared" not in url  # compressed, not plain text
    assert "Link copied" in cell(page, 1).locator(".pycell__btn--link").inner_text()

    # The reader has an edit of their own in that cell.
    set_code(page, 1, MINE)
    wait_saved(page, MINE)

    assert open_url(page, url) == {"index": 1}
    assert page.evaluate("window.__cells.getCode(1)") == SHARED
    assert "pycell--shared" in cell(page, 1).get_attribute("class")
    assert cell(page, 1).locator(".pycell__edited").inner_text() == "shared, not saved"
    banner = cell(page, 1).locator(".pycell__shared")
    assert "Your saved edit of this cell is kept" in banner.inner_text()
    assert saved(page) == MINE                      # not overwritten by opening the link
    assert cell(page, 1).get_by_role("button", name="Reset cell 2 to the page's code").get_attribute(
        "aria-disabled") == "true"                  # the banner's buttons decide, not Reset
    wait_ready(page)
    run_cell(page, 1)
    assert "from the link: 42" in output(page, 1)
    page.wait_for_timeout(600)                      # past the save delay: still nothing saved
    assert saved(page) == MINE
    for scheme in ("light", "dark"):
        set_scheme(page, scheme)
        cell(page, 1).screenshot(path=str(screenshot_dir / f"cell-shared-{scheme}.png"))

    # One click brings the reader's own edit back; nothing of theirs was lost.
    banner.get_by_role("button", name="Show my saved edit").click()
    assert page.evaluate("window.__cells.getCode(1)") == MINE
    assert cell(page, 1).locator(".pycell__shared").count() == 0
    assert cell(page, 1).locator(".pycell__edited").inner_text() == "edited"
    assert saved(page) == MINE

    # Keeping the shared code is a choice, and then it is the reader's saved edit.
    open_url(page, url)
    cell(page, 1).get_by_role("button", name="Keep the shared code of cell 2 as your edit, replacing your saved edit").click()
    assert saved(page) == SHARED
    open_url(page, PLAYGROUND)
    assert page.evaluate("window.__cells.getCode(1)") == SHARED
    assert cell(page, 1).locator(".pycell__shared").count() == 0


@pytest.mark.parametrize("damage, says", [
    (lambda url: url.replace("#cell=2&", "#cell=99&"), 'This link is for cell "99", but this page has cells 1 to'),
    (lambda url: url[:-10], "damaged, perhaps cut off when it was copied"),
    (lambda url: url.replace("&v=1&", "&v=3&"), 'in a format this site does not read (version "3")'),
], ids=["wrong-cell", "cut-off", "unknown-version"])
def test_a_broken_link_gets_a_note_and_the_pages_own_code(new_page, damage, says):
    page = new_page()
    open_url(page, PLAYGROUND)
    original = page.evaluate("window.__cells.list().map((c, i) => window.__cells.getCode(i))")
    set_code(page, 1, SHARED)
    url = page.evaluate("window.__cells.link(1)")
    wait_saved(page, SHARED)
    page.evaluate("() => localStorage.clear()")  # this reader has no edit of their own

    result = open_url(page, damage(url))
    assert says in result["error"]
    note = page.locator(".pycell-link-note")
    assert note.count() == 1 and says in note.inner_text()
    # The note is where the reader looks: in view, and focused.
    in_view = ("() => { const r = document.querySelector('.pycell-link-note').getBoundingClientRect();"
               " return r.top >= 0 && r.bottom <= innerHeight; }")
    assert page.evaluate(in_view)
    assert page.evaluate("document.activeElement.classList.contains('pycell-link-note')")
    assert page.evaluate("window.__cells.list().map((c, i) => window.__cells.getCode(i))") == original
    assert page.locator(".pycell--shared").count() == 0
