"""``python -m mlp`` end to end, in fresh interpreters, on a small subset of the real MNIST."""

import json
import os

import numpy as np
import pytest
from helpers import run_cli

import mlp
from mlp.tools.cli import main


@pytest.fixture(scope="module")
def work(tmp_path_factory, mnist_dir):
    """A subset file written by the CLI, and a network trained on it by the CLI."""
    d = tmp_path_factory.mktemp("cli")
    done = run_cli("subset", "--train", 3000, "--test", 1000, "--seed", 0, "--out", d / "subset.npz",
                   "--data", mnist_dir)
    assert done.returncode == 0, done.stderr
    assert "wrote" in done.stdout and "3000 train + 1000 test" in done.stdout
    train = run_cli("train", "--data", d / "subset.npz", "--sizes", "784,32,10", "--activation", "sigmoid",
                    "--optimizer", "momentum", "--lr", 4, "--beta", 0.9, "--batch-size", 128, "--epochs", 3,
                    "--seed", 0, "--report", d / "report.json", "--save", d / "weights.npz")
    assert train.returncode == 0, train.stderr
    return d, train


def test_subset_command_writes_the_site_format(work, mnist):
    d, _ = work
    data = mlp.load_subset(d / "subset.npz")
    assert np.bincount(data.y_train).tolist() == [300] * 10
    assert np.bincount(data.y_test).tolist() == [100] * 10
    same = mlp.data.make_subset(mnist, 3000, 1000, seed=0)  # the library function behind the command
    assert all(np.array_equal(a, b) for a, b in zip(data, same, strict=True))


def test_train_command(work):
    d, train = work
    lines = train.stdout.splitlines()
    assert lines[0].startswith("784-32-10 sigmoid, Momentum(learning_rate=4.0, beta=0.9")
    assert [line.split(":")[0] for line in lines[1:4]] == ["epoch 1/3", "epoch 2/3", "epoch 3/3"]
    assert lines[4].startswith("final test accuracy")
    assert "Traceback" not in train.stderr and "Warning" not in train.stderr
    report = json.loads((d / "report.json").read_text())
    assert report["config"]["sizes"] == [784, 32, 10] and report["config"]["lr"] == 4
    assert report["config"]["n_train"] == 3000 and report["config"]["n_test"] == 1000
    history = report["history"]
    assert [r["epoch"] for r in history] == [1, 2, 3]
    assert set(history[0]) == {"epoch", "seconds", "train_loss", "train_acc", "test_loss", "test_acc"}
    assert report["test_acc"] == history[-1]["test_acc"] > 0.85
    assert history[-1]["train_loss"] < history[0]["train_loss"]
    assert f"{report['test_acc']:.4f}" in lines[4]


def test_same_seed_same_report(work, tmp_path):
    d, _ = work
    again = run_cli("train", "--data", d / "subset.npz", "--sizes", "784,32,10", "--lr", 4, "--beta", 0.9,
                    "--epochs", 3, "--seed", 0, "--report", tmp_path / "again.json", "--quiet")
    assert again.returncode == 0, again.stderr
    def strip(h):
        return [{k: v for k, v in r.items() if k != "seconds"} for r in h]
    first = json.loads((d / "report.json").read_text())["history"]
    assert strip(json.loads((tmp_path / "again.json").read_text())["history"]) == strip(first)


def test_evaluate_uses_the_same_test_images(work, tmp_path):
    d, _ = work
    done = run_cli("evaluate", "--load", d / "weights.npz", "--data", d / "subset.npz",
                   "--report", tmp_path / "eval.json")
    assert done.returncode == 0, done.stderr
    report = json.loads((tmp_path / "eval.json").read_text())
    trained = json.loads((d / "report.json").read_text())
    assert report["test_acc"] == trained["test_acc"]  # exactly: the same images, the same weights
    cm = np.array(report["confusion_matrix"])
    assert cm.shape == (10, 10) and cm.sum() == 1000 and np.trace(cm) == round(1000 * report["test_acc"])
    assert f"test accuracy {report['test_acc']:.4f} ({np.trace(cm)}/1000)" in done.stdout
    assert "confusion matrix" in done.stdout and "per-class accuracy" in done.stdout


def test_weights_saved_in_memory_evaluate_on_the_command_line(work, tmp_path):
    # The lab exports weights with mlp.save(net, io.BytesIO()); the CLI must read them.
    d, _ = work
    import io
    data = mlp.load_subset(d / "subset.npz", scaled=True, as_one_hot=True)
    net = mlp.Network([784, 20, 10], activation="relu", init="he", seed=5)
    mlp.train(net, *data, optimizer="sgd", learning_rate=0.1, epochs=1)
    buffer = io.BytesIO()
    mlp.save(net, buffer)
    (tmp_path / "lab.npz").write_bytes(buffer.getvalue())
    done = run_cli("evaluate", "--load", tmp_path / "lab.npz", "--data", d / "subset.npz")
    assert done.returncode == 0, done.stderr
    assert f"test accuracy {net.evaluate(data.x_test, data.y_test)[1]:.4f}" in done.stdout


def test_default_data_and_subsets_of_the_idx_files(tmp_path):
    # run from another directory: the data is found next to the package
    env = {k: v for k, v in os.environ.items() if k != "MLP_DATA"}
    done = run_cli("train", "--subset", 2000, "--test-subset", 500, "--epochs", 1, "--activation", "relu",
                   "--optimizer", "sgd", "--lr", 0.05, "--report", tmp_path / "r.json", cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    config = json.loads((tmp_path / "r.json").read_text())["config"]
    assert (config["n_train"], config["n_test"]) == (2000, 500)


def test_mlp_data_environment_variable(work, tmp_path):
    d, _ = work
    env = {**os.environ, "MLP_DATA": str(d / "subset.npz")}
    done = run_cli("evaluate", "--load", d / "weights.npz", env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "(" in done.stdout and "/1000)" in done.stdout


def test_divergence_exits_with_a_message(work):
    d, _ = work
    done = run_cli("train", "--data", d / "subset.npz", "--activation", "relu", "--optimizer", "sgd",
                   "--lr", 1000, "--epochs", 1)
    assert done.returncode == 1
    assert "learning rate 1000; try a smaller learning rate, e.g. 100" in done.stderr
    assert "Traceback" not in done.stderr and "Warning" not in done.stderr


BAD_TRAIN = [
    (["--lr", "0"], "argument --lr: must be greater than 0; got 0"),
    (["--lr", "-1"], "argument --lr: must be greater than 0"),
    (["--lr", "nan"], "argument --lr: must be greater than 0"),
    (["--lr", "fast"], "argument --lr: expected a number; got 'fast'"),
    (["--batch-size", "0"], "argument --batch-size: must be greater than 0; got 0"),
    (["--epochs", "0"], "argument --epochs: must be greater than 0"),
    (["--epochs", "1.5"], "argument --epochs: expected a whole number; got '1.5'"),
    (["--activation", "swish"], "argument --activation: invalid choice: 'swish'"),
    (["--optimizer", "lbfgs"], "argument --optimizer: invalid choice: 'lbfgs'"),
    (["--init", "zeros"], "argument --init: invalid choice: 'zeros'"),
    (["--dtype", "float16"], "argument --dtype: invalid choice: 'float16'"),
    (["--sizes", "784"], "argument --sizes: expected at least two positive sizes"),
    (["--sizes", "784,a,10"], "argument --sizes: expected comma-separated integers"),
    (["--sizes", "784,0,10"], "argument --sizes: expected at least two positive sizes"),
    (["--sizes", "100,64,10"],
     "--sizes must start with 784 (pixels per image) and end with 10 (classes); got 100,64,10"),
    (["--sizes", "784,64,9"], "--sizes must start with 784"),
    (["--beta", "1"], "--beta must be in [0, 1); got 1.0"),
    (["--optimizer", "sgd", "--beta", "0.9"], "--beta does not apply to optimizer 'sgd'"),
    (["--optimizer", "adam", "--nesterov"],
     "--nesterov and --momentum-form apply only to --optimizer momentum"),
    (["--subset", "0"], "argument --subset: must be greater than 0"),
    (["--subset", "5000"], "--subset/--test-subset: cannot select 5000 samples from 3000"),
    (["--report", "/nonexistent-dir/r.json"], "--report: directory /nonexistent-dir does not exist"),
    (["--save", "/nonexistent-dir/w.npz"], "--save: directory /nonexistent-dir does not exist"),
    (["--no-such-option"], "unrecognized arguments: --no-such-option"),
]


def in_process(*args):
    """``mlp.tools.cli.main(args)`` in this interpreter: its exit status (argparse errors raise SystemExit)."""
    try:
        return main([str(a) for a in args])
    except SystemExit as e:
        return e.code


@pytest.mark.parametrize("args, message", BAD_TRAIN, ids=[" ".join(a) for a, _ in BAD_TRAIN])
def test_bad_train_arguments(work, capsys, args, message):
    d, _ = work
    assert in_process("train", "--data", d / "subset.npz", "--epochs", 1, *args) == 2
    out, err = capsys.readouterr()
    assert out == "" or out.count("\n") == 1  # the line naming the run, if training was about to start
    assert err.count("\n") == 1 and message in err, err


@pytest.mark.parametrize("args, message", [
    (["--lr", "0"], "mlp train: error: argument --lr: must be greater than 0; got 0"),
    (["--sizes", "100,64,10"], "mlp train: error: --sizes must start with 784"),
])
def test_bad_arguments_in_a_real_process(work, args, message):
    d, _ = work
    done = run_cli("train", "--data", d / "subset.npz", "--epochs", 1, *args)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and done.stderr.startswith(message), done.stderr


def test_bad_data_sources(tmp_path, work, capsys):
    d, _ = work
    (tmp_path / "empty").mkdir()
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "train-images-idx3-ubyte").write_bytes(b"\x00\x00\x08\x03" + b"\x00" * 8)
    for name in ("train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"):
        (broken / name).write_bytes(b"\x00\x00\x08\x01\x00\x00\x00\x00")
    cases = [
        (["train", "--data", tmp_path / "missing"], "data not found: "),
        (["train", "--data", tmp_path / "empty"],
         "empty: missing train-images-idx3-ubyte (or train-images-idx3-ubyte.gz)"),
        (["train", "--data", broken],
         "train-images-idx3-ubyte: truncated header (12 bytes, 3 dimensions need 16)"),
        (["train", "--data", broken / "t10k-labels-idx1-ubyte"], "cannot read it as a .npz file"),
        (["evaluate", "--load", tmp_path / "nothing.npz", "--data", d / "subset.npz"],
         "nothing.npz: no such file"),
        (["evaluate", "--load", d / "subset.npz", "--data", d / "subset.npz"], "not an mlp weights file"),
        (["evaluate"], "the following arguments are required: --load"),
        (["subset", "--train", 20000, "--out", tmp_path / "s.npz", "--data", d / "subset.npz"],
         "cannot select 20000 samples from 3000"),
        (["subset", "--out", tmp_path / "no" / "s.npz"], "--out: directory"),
        ([], "the following arguments are required: command"),
    ]
    for i, (args, message) in enumerate(cases):
        if i < 3:  # a few in a real process, the rest in this one (faster)
            done = run_cli(*args)
            code, err = done.returncode, done.stderr
        else:
            code, err = in_process(*args), capsys.readouterr().err
        assert code == 2, (args, err)
        assert err.count("\n") == 1 and message in err, (args, err)


def test_help():
    done = run_cli("train", "--help")
    assert done.returncode == 0 and "--batch-size" in done.stdout and "--report" in done.stdout


def test_summary_says_when_training_is_worse_than_guessing(work):
    d, train = work
    assert "worse than guessing" not in train.stdout
    done = run_cli("train", "--data", d / "subset.npz", "--subset", 1000, "--test-subset", 200, "--sizes",
                   "784,16,10", "--lr", 4, "--beta", 0.9, "--batch-size", 1, "--epochs", 1, "--quiet")
    assert done.returncode == 0, done.stderr
    last = done.stdout.splitlines()[-1]
    assert last.startswith("worse than guessing: the train loss ") and "above ln(10) = 2.30" in last
    assert "the learning rate 4 is likely too high for batch size 1" in last
