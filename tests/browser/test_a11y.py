"""Accessibility: axe-core's WCAG 2.1 A and AA rules find no serious or critical violation on
any page, in light and dark, once Python is ready, after the page's cells have run, and on the
lab after it has trained a model.

axe-core comes bundled with the PyPI package axe-playwright-python. The audits are made during
the site's one tour (tour.py), which also runs every page's cells for test_pages.py. The test
prints the count of violating elements by rule (run pytest with -s to see it), so a regression
names its rule.
"""

from __future__ import annotations

from tour import SCHEMES, report, site_pages


def test_no_serious_violation_on_any_page_before_and_after_its_cells_and_the_lab(tour):
    print("\n" + report(tour.audits))
    assert not tour.audits, report(tour.audits)


def test_every_page_was_audited_in_both_palettes_before_and_after_its_cells(tour, site_dir):
    expected = []
    for path in site_pages(site_dir):
        where = "/" + path
        expected += [where] + ([where + " after its cells ran"] if path in tour.pages else [])
    expected += ["/lab/ after training"]
    missing = [f"{where} [{scheme}]" for where in expected for scheme in SCHEMES
               if f"{where} [{scheme}]" not in tour.audited]
    assert not missing, f"not audited: {missing}"
    assert len(tour.pages) >= 10  # the tutorial's pages with cells
