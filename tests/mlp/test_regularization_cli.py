"""``python -m mlp train`` with weight decay, dropout and a schedule, on a small subset of the real MNIST."""

import json

import pytest

from helpers import run_cli


@pytest.fixture(scope="module")
def subset(tmp_path_factory, mnist_dir):
    path = tmp_path_factory.mktemp("reg-cli") / "subset.npz"
    done = run_cli("subset", "--train", 1000, "--test", 500, "--out", path, "--data", mnist_dir)
    assert done.returncode == 0, done.stderr
    return path


def test_train_with_regularisation(subset, tmp_path):
    report = tmp_path / "report.json"
    done = run_cli("train", "--data", subset, "--sizes", "784,32,10", "--activation", "relu", "--init", "he",
                   "--optimizer", "adam", "--lr", 0.002, "--weight-decay", 0.05, "--dropout", 0.2, "--l2", 1e-4,
                   "--schedule", "cosine", "--warmup-epochs", 1, "--epochs", 3, "--batch-size", 32,
                   "--report", report)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("784-32-10 relu, Adam(learning_rate=0.002, weight_decay=0.05, beta1=0.9")
    result = json.loads(report.read_text())
    config = result["config"]
    assert (config["dropout"], config["l2"], config["schedule"], config["warmup_epochs"]) == (0.2, 1e-4, "cosine", 1)
    assert config["optimizer_settings"]["weight_decay"] == 0.05
    assert result["history"][-1]["test_acc"] > 0.7  # chance is 0.1


@pytest.mark.parametrize("options, message", [
    (["--dropout", 1], "dropout rate must be in [0, 1) (the fraction of hidden units dropped); got 1.0"),
    (["--weight-decay", -1], "weight decay must be a finite number >= 0; got -1.0"),
    (["--l2", "nan"], "l2 must be a finite number >= 0; got nan"),
    (["--gamma", 0.5], "--gamma applies only to --schedule step"),
    (["--schedule", "step", "--step-epochs", 0], "step_epochs must be a whole number of epochs >= 1; got 0"),
    (["--schedule", "cosine", "--warmup-epochs", 5],
     "the warm-up (5 epochs) must be shorter than the training (2 epochs)"),
])
def test_bad_regularisation_options(subset, options, message):
    done = run_cli("train", "--data", subset, "--epochs", 2, *options)
    assert done.returncode == 2 and done.stderr == f"mlp train: error: {message}\n"
