"""The tutorial pages in a real browser: they load cleanly, every cell runs, and they look right.

- Every page of the built site loads without console errors, failed or foreign requests
  (the page guard fails the test otherwise), with its math typeset and placeholders filled.
- On every tutorial page, every cell runs in page order in Pyodide and finishes without
  error (cells marked .expect-error must raise); no cell writes to stderr (a NumPy warning
  would show there) and every figure is drawn. The exercises' folded solutions print PASS.
  The cells run during the site's one tour (tour.py), shared with test_a11y.py; timings per
  page go to build/test-results/page-cells.json.
- The Results page's words about its first experiment hold for the build's report of it.
- Screenshots of every page, light and wide, dark and phone, go to screenshots/pages/
  (<page>-<scheme>-<size>.jpg, and <page>-run-light-wide.jpg with the cells' output).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from tour import LOOKS, SHOT, site_pages

REPO = Path(__file__).resolve().parents[2]
TUTORIAL = ["", "data/", "architecture/", "forward/", "softmax/", "backprop/", "optimizers/",
            "training/", "results/", "exercises/", "overfitting/", "performance/"]
PAGE_BUDGET_S = 60          # a hard ceiling per page; the aim is under 20 s


def test_site_has_every_tutorial_page(site_dir):
    missing = [p for p in TUTORIAL if p not in site_pages(site_dir)]
    assert not missing, f"pages missing from the built site: {missing}"


def test_links_between_pages_reach_their_anchors(site_dir):
    """Every link from one page of the site to a section of another finds that section."""
    import html
    import re
    from urllib.parse import urljoin, urlsplit

    broken = []
    for path in site_pages(site_dir):
        text = (site_dir / path / "index.html").read_text()
        for href in re.findall(r'<a [^>]*href="([^"]+)"', text):
            href = html.unescape(href)
            url = urlsplit(urljoin("http://site/" + path, href))
            if url.netloc != "site" or not url.fragment or url.path.startswith("/assets"):
                continue
            target = site_dir / url.path.lstrip("/") / "index.html"
            if not target.is_file() or f'id="{url.fragment}"' not in target.read_text():
                broken.append(f"/{path}: {href}")
    assert not broken, "links to missing pages or sections:\n" + "\n".join(sorted(set(broken)))


def test_every_page_loads_cleanly(tour, site_dir, screenshot_dir):
    """During the tour, every page had its placeholders replaced and its maths typeset, and
    was shot light and wide, dark and phone-sized (screenshots/pages/); the tour's tab met
    no console error and no failed or foreign request (the test below)."""
    pages = site_pages(site_dir)
    assert sorted(tour.loads) == sorted(pages), "the tour missed pages"
    problems = [f"/{path}: {problem}" for path, found in tour.loads.items() for problem in found]
    assert not problems, "\n".join(problems)
    for path in pages:
        for scheme, size in LOOKS:
            shot = screenshot_dir / "pages" / f"{path.strip('/') or 'home'}-{scheme}-{size}.{SHOT}"
            assert shot.is_file() and shot.stat().st_mtime >= tour.started, f"no new {shot.name}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_palette_follows_the_readers_system(new_page, scheme):
    page = new_page(color_scheme=scheme)
    page.goto("performance/", wait_until="load")
    assert page.get_attribute("body", "data-md-color-scheme") == ("slate" if scheme == "dark" else "default")


@pytest.mark.parametrize("path", TUTORIAL, ids=lambda p: p.strip("/") or "home")
def test_every_cell_runs(tour, path):
    run = tour.pages.get(path)
    assert run is not None, f"/{path}: the tour found no cells on this page"
    print(f"/{path}: {len(run.results)} cells in {run.seconds:.1f} s")
    assert run.results or run.failures, f"/{path}: no cell ran"
    assert not run.failures, f"/{path}:\n" + "\n".join(run.failures)
    assert run.seconds < PAGE_BUDGET_S, f"/{path}: the cells took {run.seconds:.0f} s (ceiling {PAGE_BUDGET_S} s)"
    if path == "exercises/":
        assert len(run.solutions) >= 4
        for i, text in enumerate(run.solutions):
            assert "PASS" in text and "FAIL" not in text, f"solution {i + 1} of the exercises:\n{text}"


def test_the_zero_start_stays_one_unit_copied_in_the_browser(tour):
    """architecture.md: "On this page the matrix products round every column alike, so the
    columns end exactly equal ... W1 has rank 1" (natively BLAS may not: test_docs_experiments)."""
    run = tour.pages.get("architecture/")
    assert run is not None, "/architecture/: the tour ran no cells"
    [zeros] = [text for text in run.outputs if "zeros start, after 300 steps" in text]
    zeros = zeros.split("random start")[0]
    assert re.search(r"between two columns of W1: 0\s", zeros), zeros
    assert re.search(r"\(rank of W1\): 1\s", zeros), zeros


def test_the_tour_met_no_console_error_or_failed_request(tour, request):
    """The tab that ran every page's cells and trained in the lab: what its guard saw."""
    problems = tour.guard.problems(request.node)
    assert not problems, "the tour's tab reported:\n  " + "\n  ".join(problems)


def test_experiment_1_as_results_describes_it():
    """The Results page says the gap between test and training loss widens: the build's report
    (build/results/, written by `mkdocs build` through hooks/results.py) shows it."""
    path = REPO / "build" / "results" / "sigmoid_momentum.json"
    if not path.exists():
        pytest.skip("build/results/sigmoid_momentum.json: build the site first (mkdocs build)")
    history = json.loads(path.read_text())["history"]
    gaps = [r["test_loss"] - r["train_loss"] for r in history]
    prose = re.sub(r"\s+", " ", (REPO / "docs" / "results.md").read_text())
    assert "the gap between the test and the training loss widens" in prose
    assert gaps[-1] > gaps[0], gaps


def test_experiment_2_is_still_rising_and_experiment_1_levels_off():
    reports = {name: REPO / "build" / "results" / f"{name}.json" for name in ("relu_sgd", "sigmoid_momentum")}
    if not all(p.exists() for p in reports.values()):
        pytest.skip("build/results/: build the site first (mkdocs build)")
    relu, sigmoid = ([r["test_acc"] for r in json.loads(p.read_text())["history"]] for p in reports.values())
    text = re.sub(r"\s+", " ", (REPO / "docs" / "results.md").read_text())
    assert f"still rising at epoch {len(relu)}" in text and relu[-1] > relu[-2] > relu[-3], relu
    # "the last epochs add little": the last half of training adds less than a twentieth of what
    # the first epoch gave over chance (0.1)
    assert "the last epochs add little" in text
    half = len(sigmoid) // 2
    assert sigmoid[-1] - sigmoid[half - 1] < 0.05 * (sigmoid[0] - 0.1), sigmoid
