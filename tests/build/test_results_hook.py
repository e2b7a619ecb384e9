"""The results hook: it runs the experiments for real, reuses their reports, fills placeholders
and stops the build on a placeholder it does not know."""

import importlib.util
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parents[2]
# A small, quick experiment: 500 training and 200 test images of the real MNIST, one epoch.
TINY = ["--activation", "sigmoid", "--optimizer", "sgd", "--lr", "0.5", "--sizes", "784,16,10",
        "--epochs", "1", "--subset", "500", "--test-subset", "200", "--seed", "0"]


@pytest.fixture
def hook(tmp_path, monkeypatch):
    """The hook module, with its reports going to a temporary directory."""
    spec = importlib.util.spec_from_file_location("results_hook_under_test", ROOT / "hooks" / "results.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "RESULTS", tmp_path)
    monkeypatch.setattr(module, "EXPERIMENTS", {"tiny": TINY})
    monkeypatch.setattr(module, "TUTORIAL_TEST_ACC", {"tiny": 0.5})
    return module


def page(name="results.md"):
    return SimpleNamespace(file=SimpleNamespace(src_uri=name))


def test_runs_the_experiment_once_and_then_reuses_its_report(hook, tmp_path):
    hook.on_config({})
    report = tmp_path / "tiny.json"
    history = json.loads(report.read_text())["history"]
    assert len(history) == 1 and 0 < history[0]["test_acc"] <= 1
    assert json.loads(report.read_text())["config"]["n_test"] == 200
    first = report.stat().st_mtime_ns
    hook.on_config({})                                   # nothing changed: no new run
    assert report.stat().st_mtime_ns == first
    hook.EXPERIMENTS["tiny"] = TINY + ["--batch-size", "64"]
    hook.on_config({})                                   # another command: a new run
    assert report.stat().st_mtime_ns != first
    assert json.loads(report.read_text())["config"]["batch_size"] == 64


def test_the_key_follows_the_sources_the_command_and_the_data(hook):
    base = hook._key("tiny", "sources", "data")
    assert hook._key("tiny", "other sources", "data") != base
    assert hook._key("tiny", "sources", "other data") != base
    hook.EXPERIMENTS["tiny"] = TINY + ["--seed", "1"]
    assert hook._key("tiny", "sources", "data") != base


def test_placeholders_are_filled_from_the_report(hook, tmp_path):
    hook.on_config({})
    history = json.loads((tmp_path / "tiny.json").read_text())["history"]
    text = hook.on_page_markdown(
        "acc {{ results.tiny.test_acc }}, {{results.tiny.epochs}} epoch\n\n{{ results.tiny.table }}",
        page(), {}, None)
    assert text.startswith(f"acc {history[0]['test_acc']:.4f}, 1 epoch\n")
    assert text.count("\n| ") == 2 + len(history) - 1     # header, rule, one row per epoch
    assert "python -m mlp train --activation sigmoid" in hook.on_page_markdown(
        "{{ results.tiny.command }}", page(), {}, None)


@pytest.mark.parametrize("text, message", [
    ("{{ results.nope.test_acc }}", "unknown experiment 'nope'"),
    ("{{ results.tiny.accuracy }}", "unknown field 'accuracy'"),
    ("{{ results.tiny }}", "malformed placeholder"),
])
def test_an_unknown_placeholder_stops_the_build(hook, text, message):
    hook.on_config({})
    with pytest.raises(PluginError, match=message) as error:
        hook.on_page_markdown(f"Before {text} after", page("x.md"), {}, None)
    assert "x.md" in str(error.value)


def test_a_failing_command_stops_the_build_with_its_message(hook, tmp_path):
    hook.EXPERIMENTS["tiny"] = TINY + ["--lr", "-1"]
    with pytest.raises(PluginError, match="learning rate|--lr"):
        hook.on_config({})
    assert not list(tmp_path.glob("*.json"))              # no report, not even a partial one


def test_the_tutorial_comparison_reads_naturally(hook):
    assert hook._versus(0.9739, 0.97) == "matching the tutorial's 0.97 to the two decimals it reports"
    assert hook._versus(0.9493, 0.93) == "0.019 above the tutorial's 0.93"
    assert hook._versus(0.9150, 0.93) == "0.015 below the tutorial's 0.93"


def test_the_command_is_shown_as_plain_text_one_option_per_piece(hook):
    block = hook._command_block("tiny")
    assert block.startswith("```text\npython -m mlp train --activation sigmoid")
    assert "--lr 0.5" in block and block.endswith("\n```")
