"""hooks/bench_table.py: the Performance page's figures come from scripts/bench's JSON."""

import importlib.util
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def hook(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("bench_table_under_test", ROOT / "hooks" / "bench_table.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    latest = json.loads((ROOT / "docs" / "assets" / "bench" / "latest.json").read_text())
    for name in ("latest", "before"):
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(latest))
        monkeypatch.setitem(module.FILES, name, path)
    monkeypatch.setattr(module, "ROOT", tmp_path)
    return module, latest


def render(module, markdown):
    page = SimpleNamespace(file=SimpleNamespace(src_uri="performance.md"))
    return module.on_page_markdown(markdown, page, {}, None)


def test_tables_hold_the_figures_of_the_json(hook):
    module, data = hook
    out = render(module, "{{ bench.startup }}\n\n{{ bench.training }}\n\n{{ bench.targets }}")
    assert "{{" not in out
    assert f"**{data['browser']['cold']['ready_ms']:,.0f}**" in out
    default = data["browser"]["training"]["default"]
    assert f"| {default['label']} | {default['train_sps']:,.0f} |" in out
    for target in data["targets"].values():
        assert target["label"] in out


def test_before_reads_the_other_file(hook, tmp_path):
    module, data = hook
    data["browser"]["first_output"]["cell_ms"] = 1234.0
    (tmp_path / "before.json").write_text(json.dumps(data))
    assert render(module, "{{ bench.before.first_output_ms }}") == "1,234"
    assert render(module, "{{ bench.first_output_ms }}") != "1,234"


def test_unknown_field_stops_the_build_naming_the_known_ones(hook):
    module, _ = hook
    with pytest.raises(PluginError, match=r"bench\.speed.*known fields: machine, startup"):
        render(module, "{{ bench.speed }}")


def test_missing_file_says_how_to_write_it(hook, tmp_path):
    module, _ = hook
    (tmp_path / "latest.json").unlink()
    with pytest.raises(PluginError, match="missing: write it with scripts/bench --json"):
        render(module, "{{ bench.startup }}")


def test_pages_without_placeholders_are_untouched(hook):
    module, _ = hook
    text = "No figures here, only {{ results.full.table }}."
    assert render(module, text) == text


def test_comparison_puts_before_and_after_side_by_side(hook, tmp_path):
    module, data = hook
    before = json.loads(json.dumps(data))
    default = data["browser"]["training"]["default"]
    before["browser"]["training"]["default"]["train_sps"] = default["train_sps"] / 4
    before["browser"]["cold"]["ready_ms"] = data["browser"]["cold"]["ready_ms"] * 2
    before["browser"]["warm"]["ready_ms"] = data["browser"]["warm"]["ready_ms"] / 1.25
    (tmp_path / "before.json").write_text(json.dumps(before))
    out = render(module, "{{ bench.comparison }}")
    assert "| 4.00× more |" in out
    assert "| 2.00× faster |" in out
    assert "| 1.25× slower |" in out   # a step back is named, not shown as "0.8× faster"


def test_pytorch_table_or_why_it_is_missing(hook, tmp_path):
    module, data = hook
    mlp_sps = data["native"]["mlp"]["default"]["train_sps"]
    data["native"]["torch"] = {"default": {"train_sps": mlp_sps / 2}}
    (tmp_path / "latest.json").write_text(json.dumps(data))
    out = render(module, "{{ bench.pytorch }}")
    label = data["native"]["mlp"]["default"]["label"]
    assert f"| {label} | {mlp_sps:,.0f} | {mlp_sps / 2:,.0f} | 2.00× |" in out
    data["native"]["torch"], data["native"]["torch_skipped"] = None, "torch is not installed"
    (tmp_path / "latest.json").write_text(json.dumps(data))
    assert render(module, "{{ bench.pytorch }}") == "*(not measured in this run: torch is not installed)*"


def test_kernel_table_or_why_it_is_missing(hook, tmp_path):
    module, data = hook
    out = render(module, "{{ bench.kernel }}")
    kernel = data["browser"]["kernel"]["throughput"]
    ratio = kernel["kernel"]["default"] / kernel["numpy"]["default"]
    assert f"| default | {kernel['numpy']['default']:,.0f} | {kernel['kernel']['default']:,.0f} | {ratio:,.1f}× |" in out
    assert "| default: matrix products |" in out and "The tutorial's full run, in the browser (kernel)" in out
    del data["browser"]["kernel"]
    (tmp_path / "latest.json").write_text(json.dumps(data))
    assert render(module, "{{ bench.kernel }}") == "*(the SIMD kernel was not measured in this run)*"


def test_startup_shows_later_visits_when_measured(hook, tmp_path):
    module, data = hook
    data["browser"]["later"] = json.loads(json.dumps(data["browser"]["warm"]))
    data["browser"]["later"]["ready_ms"] = 987.0
    (tmp_path / "latest.json").write_text(json.dumps(data))
    out = render(module, "{{ bench.startup }}")
    assert out.splitlines()[0] == "| Step (ms) | cold cache | warm cache | later visits |"
    assert out.splitlines()[-2].endswith("| **987** |")
    assert all(line.count("|") == 5 for line in out.splitlines())
    # A file written before later visits were measured keeps two columns, and the comparison
    # names the figure it lacks.
    del data["browser"]["later"]
    (tmp_path / "before.json").write_text(json.dumps(data))
    assert render(module, "{{ bench.before.startup }}").splitlines()[0] == "| Step (ms) | cold cache | warm cache |"
    assert "| runtime ready, later visits (ms) | – | 987 | – |" in render(module, "{{ bench.comparison }}")


def test_the_engines_table_holds_each_engines_figures_and_names_a_skipped_one(hook, tmp_path, monkeypatch):
    module, _ = hook
    data = json.loads((ROOT / "docs" / "assets" / "bench" / "engines.json").read_text())
    path = tmp_path / "engines.json"
    path.write_text(json.dumps(data))
    monkeypatch.setitem(module.FILES, "engines", path)
    out = render(module, "{{ bench.engines.engines }}")
    assert len(data["engines"]) == 3
    for engine in data["engines"].values():
        assert engine["version"] in out
        assert f"{engine['lab_sps']:,.0f}" in out and f"{engine['with_eval_sps']:,.0f}" in out
    webkit = data["engines"]["webkit"]
    assert render(module, "{{ bench.engines.webkit_compile_ms }}") == f"{webkit['compile_pyodide_ms']:,.0f}"
    data["engines"]["firefox"] = {"skipped": "no firefox-esr or firefox on PATH"}
    path.write_text(json.dumps(data))
    out = render(module, "{{ bench.engines.engines }}")
    assert "Not measured: Firefox: no firefox-esr or firefox on PATH." in out
    assert out.splitlines()[0].count("|") == 4      # a label column and the two engines left


def test_first_visits_read_their_own_file_and_hold_its_figures(hook, tmp_path):
    module, _ = hook
    data = json.loads((ROOT / "docs" / "assets" / "bench" / "firstvisit.json").read_text())
    now = data["sites"]["now"]
    slow, fast = (str(s) for s in sorted(data["settings"]["mbits"]))
    now["speeds"][slow]["ready_ms"] = 7654.0
    now["speeds"][slow]["bytes"] = 5_432_100
    now["speeds"][slow]["files"] = {"/a.wasm": 4_000_000, "/b.zip": 1_000_000, "/c.js": 50_000,
                                    "/d.css": 30_000}
    (tmp_path / "firstvisit.json").write_text(json.dumps(data))
    module.FILES["firstvisit"] = tmp_path / "firstvisit.json"
    table = render(module, "{{ bench.firstvisit.first_visits }}")
    assert f"| Python ready, first visit at {float(slow):g} Mbit/s |" in table
    assert "| 7.65 s |" in table and "| 5.43 MB |" in table and "≤ 6 MB" in table
    files = render(module, "{{ bench.firstvisit.first_visit_files }}")
    assert files.splitlines()[2:] == ["| `a.wasm` | 4.00 MB | 79 % |", "| `b.zip` | 1.00 MB | 20 % |",
                                      "| 2 other files | 0.08 MB | 2 % |"]
    assert render(module, "{{ bench.firstvisit.first_wire_mb }}") == "5.4 MB"
    assert render(module, "{{ bench.firstvisit.first_ready_slow_s }}") == "7.65 s"
    data["settings"]["before_label"] = "abc1234"
    # 7.65 s at the slow speed misses its 6 s; 5.43 MB, 2.4 s and 0.3 s meet theirs.
    now["speeds"][fast]["ready_ms"], now["later_ms"] = 2400.0, 300.0
    (tmp_path / "firstvisit.json").write_text(json.dumps(data))
    assert render(module, "{{ bench.firstvisit.goals_met }}") == "3 of the 4 goals are met"
    assert render(module, "{{ bench.firstvisit.first_visits }}").startswith("| | abc1234 | now | goal |")
    assert "scripts/bench --only-first-visit" in render(module, "{{ bench.firstvisit.first_visit_run }}")
    (tmp_path / "firstvisit.json").unlink()
    with pytest.raises(PluginError, match="firstvisit.json is missing: write it with "
                                          "scripts/bench --only-first-visit --json"):
        render(module, "{{ bench.firstvisit.first_visits }}")
