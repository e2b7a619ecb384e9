"""Accessibility: axe-core's WCAG 2.1 A and AA rules on every page, light and dark, before and
after the page's cells run, find no serious or critical violation.

axe-core comes bundled with the PyPI package axe-playwright-python. Each test prints the count
of violating elements by rule (run pytest with -s to see it), so a regression names its rule.
"""

from __future__ import annotations

from collections import Counter

import pytest
from axe_playwright_python.sync_playwright import Axe

from test_pages import site_pages

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SERIOUS = {"serious", "critical"}
SCHEMES = {"light": ("default", "indigo", "deep-orange"), "dark": ("slate", "indigo", "deep-orange")}


def set_scheme(page, scheme: str) -> None:
    """Switch Material's palette the way its toggle does (attributes on <body>)."""
    name, primary, accent = SCHEMES[scheme]
    page.evaluate("""([name, primary, accent]) => {
        document.body.setAttribute("data-md-color-scheme", name);
        document.body.setAttribute("data-md-color-primary", primary);
        document.body.setAttribute("data-md-color-accent", accent);
    }""", [name, primary, accent])
    page.wait_for_timeout(50)  # let palette observers redraw charts


def serious_violations(page) -> Counter:
    """Elements with a serious or critical WCAG 2.1 A/AA violation, counted by rule id."""
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": TAGS},
                                       "resultTypes": ["violations"]})
    counts = Counter()
    for violation in results.response["violations"]:
        if violation.get("impact") in SERIOUS:
            counts[violation["id"]] += len(violation["nodes"])
    return counts


def audit(page, where: str, found: dict) -> None:
    for scheme in SCHEMES:
        set_scheme(page, scheme)
        for rule, n in serious_violations(page).items():
            found[f"{where} [{scheme}] {rule}"] = n


def report(found: dict) -> str:
    by_rule = Counter()
    for key, n in found.items():
        by_rule[key.rsplit(" ", 1)[1]] += n
    lines = [f"{sum(by_rule.values())} serious or critical violations"]
    lines += [f"  {rule}: {n}" for rule, n in by_rule.most_common()]
    lines += [f"    {key}: {n}" for key, n in sorted(found.items())]
    return "\n".join(lines)


@pytest.mark.parametrize("run_cells", [False, True], ids=["loaded", "after-run"])
def test_every_page_has_no_serious_violation(site_dir, new_page, run_cells):
    found = {}
    for path in site_pages(site_dir):
        page = new_page()
        page.goto(path or "./")
        page.wait_for_load_state("load")
        has_cells = page.evaluate("() => Boolean(window.__cells)")
        if has_cells:
            page.evaluate("() => window.__cells.ready()")
            if run_cells:
                page.evaluate("() => window.__cells.runAll()")
        elif run_cells:
            page.close()
            continue
        audit(page, path or "home", found)
        page.close()
    print("\n" + report(found))
    assert not found, report(found)
