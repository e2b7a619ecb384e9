"""The figures the pages' prose states about speed come from the build's own measurements.

A sentence of the docs that says how much slower the browser trains, or how long an epoch
takes, must take its number from a ``{{ bench.<field> }}`` placeholder (hooks/bench_table.py),
never from a number typed by hand; and once the hook has filled it in, the number must be
the one re-derived here from docs/assets/bench/latest.json.
"""

from __future__ import annotations

import importlib.util
import json
import re
import statistics
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
LATEST = json.loads((DOCS / "assets" / "bench" / "latest.json").read_text())
FIGURE = r"(\{\{[^}]*\}\}|\S+)"           # a placeholder, or what stands in its place
# Claims whose figure the build measures: (what the prose says, the number's placeholder).
CLAIMS = {
    "slower than native": (re.compile(FIGURE + r" times slower than native", re.I), "native_over_browser"),
    "an epoch's time": (re.compile(r"each epoch[^.;]*? takes about " + FIGURE, re.I), "subset_epoch_s"),
}


def expected(field: str) -> str:
    """The figure, re-derived from the JSON (not through the hook's own functions)."""
    native = LATEST["native"]["mlp"]["default"]["train_sps"]
    browser = LATEST["browser"]["training"]["default"]
    return {"native_over_browser": f"{native / browser['train_sps']:.1f}",
            "subset_epoch_s": f"{statistics.median(browser['with_eval_epoch_s']):.2f}"}[field]


def prose(text: str) -> str:
    return re.sub(r"^```.*?^```", "", text, flags=re.M | re.S)


@pytest.fixture(scope="module")
def hook():
    spec = importlib.util.spec_from_file_location("bench_table_prose", ROOT / "hooks" / "bench_table.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_claim_of_speed_takes_its_figure_from_the_build():
    found, typed = [], []
    for path in sorted(DOCS.rglob("*.md")):
        text = prose(path.read_text())
        for name, (pattern, field) in CLAIMS.items():
            for match in pattern.finditer(text):
                found.append(name)
                if re.sub(r"\s+", " ", match.group(1)) != "{{ bench." + field + " }}":
                    typed.append(f"{path.relative_to(DOCS)}: «{match.group(0)}» types its figure by hand: "
                                 f"use {{{{ bench.{field} }}}}")
    assert not typed, "\n".join(typed)
    assert set(found) == set(CLAIMS), f"no page states {set(CLAIMS) - set(found)} any more: update CLAIMS"


@pytest.mark.parametrize("page", ["index.md", "results.md"])
def test_the_filled_in_figures_are_those_of_the_measurements(hook, page):
    text = (DOCS / page).read_text()
    out = hook.on_page_markdown(text, SimpleNamespace(file=SimpleNamespace(src_uri=page)), {}, None)
    checked = 0
    for pattern, field in CLAIMS.values():
        for match in pattern.finditer(prose(out)):
            assert match.group(1).rstrip(".,;") == expected(field), f"{page}: «{match.group(0)}»"
            checked += 1
    assert checked, f"{page} states none of the measured figures"


def test_a_hand_typed_figure_is_caught():
    text = "It trains about ten times slower than native NumPy. Each epoch takes about a second."
    for pattern, _field in CLAIMS.values():
        match = pattern.search(text)
        assert match and match.group(1) in ("ten", "a")


def test_how_it_runs_states_the_matrix_products_as_measured(hook):
    """The einsum rule's speed-ups and slow-downs, and the deep network's batch, from the JSON."""
    text = (DOCS / "about" / "how-it-runs.md").read_text()
    out = re.sub(r"\s+", " ", hook.on_page_markdown(
        text, SimpleNamespace(file=SimpleNamespace(src_uri="about/how-it-runs.md")), {}, None))
    rows = LATEST["matmul"]
    fast = [r["einsum"] / r["matmul"] for r in rows if min(r["shape"][1:]) >= 32]
    slow = [r["matmul"] / r["einsum"] for r in rows if r["einsum"] < r["matmul"]]
    assert all(f > 1 for f in fast), "einsum is no longer faster on the large products: reword"
    assert f"einsum is {min(fast):.1f}× to {max(fast):.1f}× as fast as `@`" in out
    assert f"{min(slow):.1f}× to {max(slow):.1f}× slower than `@`" in out
    names = sorted({r["name"] for r in rows if r["einsum"] < r["matmul"]
                    and all(s["einsum"] < s["matmul"] for s in rows if s["name"] == r["name"])})
    stated = re.search(r"does not pay when one of them is 10 \(.*?\): on (.*?) it is", out)[1]
    assert sorted(re.findall(r"\*([^*]+)\*", stated)) == names
    assert all(10 in r["shape"][1:] for r in rows if r["name"] in names)
    phases = LATEST["browser"]["kernel"]["phases"]
    share = {k: 100 * phases[k]["deep"]["matrix products"] / phases[k]["deep"]["batch"] for k in phases}
    assert (f"their share falls from {share['numpy']:.0f} % of a batch's time on the NumPy path to "
            f"{share['kernel']:.0f} %") in out
    assert share["kernel"] < share["numpy"] and LATEST["browser"]["training"]["deep"]["label"] in out
    assert "{{" not in out and "several times faster" not in out
