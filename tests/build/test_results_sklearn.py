"""The results hook's scikit-learn experiment: hooks/sklearn_mlp.py run for real, on the real MNIST."""

import importlib.metadata
import importlib.util
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parents[2]
TINY = ["--sizes", "784,8,10", "--activation", "relu", "--lr", "0.01", "--batch-size", "500", "--epochs", "1",
        "--seed", "0", "--alpha", "0.0001"]


@pytest.fixture
def hook(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("results_hook_sklearn", ROOT / "hooks" / "results.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "RESULTS", tmp_path)
    monkeypatch.setattr(module, "EXPERIMENTS", {"sklearn_mlp": TINY})
    return module


def fill(hook, text):
    return hook.on_page_markdown(text, SimpleNamespace(file=SimpleNamespace(src_uri="results.md")), {}, None)


def test_the_sklearn_experiment_runs_and_fills_its_placeholders(hook, tmp_path):
    hook.on_config({})
    report = json.loads((tmp_path / "sklearn_mlp.json").read_text())
    history = report["history"]
    assert len(history) == 1 and 0.5 < history[0]["test_acc"] <= 1 and history[0]["seconds"] > 0
    assert report["config"]["n_train"] == 60000 and report["config"]["n_test"] == 10000
    assert report["config"]["sklearn"] == importlib.metadata.version("scikit-learn")
    command = fill(hook, "{{ results.sklearn_mlp.command }}")
    assert command.startswith("```python\nMLPClassifier(\n    hidden_layer_sizes=(8,),\n    activation='relu',\n")
    assert "    alpha=0.0001,\n" in command and "    batch_size=500,\n" in command
    assert fill(hook, "{{ results.sklearn_mlp.test_acc }}") == f"{history[0]['test_acc']:.4f}"
    with pytest.raises(PluginError, match="unknown field 'vs_tutorial'"):   # the tutorial ran no such thing
        fill(hook, "{{ results.sklearn_mlp.vs_tutorial }}")


def test_its_key_follows_the_script_and_the_scikit_learn_version(hook):
    code, text = hook._code("sklearn_mlp")
    assert code == [str(ROOT / "hooks" / "sklearn_mlp.py")]
    assert (ROOT / "hooks" / "sklearn_mlp.py").read_text() in text
    assert text.endswith(importlib.metadata.version("scikit-learn"))
    assert hook._code("anything else")[1] == hook.CLI


def test_the_comparison_uses_the_settings_of_the_regularised_run():
    spec = importlib.util.spec_from_file_location("results_hook_table", ROOT / "hooks" / "results.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    ours, theirs = module.EXPERIMENTS["regularized"], module.EXPERIMENTS["sklearn_mlp"]

    def value(args, option):
        return args[args.index(option) + 1]

    for option in ("--sizes", "--activation", "--lr", "--batch-size", "--epochs", "--seed"):
        assert value(ours, option) == value(theirs, option), option
    assert value(ours, "--optimizer") == "adam"   # MLPClassifier's solver in hooks/sklearn_mlp.py
