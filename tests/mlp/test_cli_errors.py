"""Bad command lines: each exits 2 with one line on stderr naming the bad value, and writes nothing."""

import os

import numpy as np
import pytest
from bad_files import empty_test_set, huge_w1_bytes, idx_overflow, write_weights
from helpers import run_cli

import mlp
from mlp.tools.cli import main

LIMIT = str(16 * 1024**3)  # the memory limit the checks use here, whatever this machine has


@pytest.fixture(scope="module")
def files(tmp_path_factory, subset_file):
    """The inputs the bad command lines use, in a directory of their own."""
    d = tmp_path_factory.mktemp("bad-inputs")
    raw = mlp.load_subset(subset_file)
    net = mlp.Network([784, 8, 10], seed=0)
    (d / "text.npz").write_text("x_train,y_train\n1,2\n")
    empty_test_set(d / "empty-test.npz", raw)
    idx_overflow(d / "overflow")
    (d / "a-directory").mkdir()
    write_weights(d / "five.npz", mlp.Network([784, 8, 5]))
    write_weights(d / "list-activation.npz", net, config={"activation": ["sigmoid"]})
    nan = {"W1": np.full((784, 8), np.nan, np.float32)}
    write_weights(d / "nan.npz", net, arrays=nan)
    write_weights(d / "inf.npz", net, arrays={"b2": np.array([np.inf] + [0] * 9, np.float32)})
    (d / "huge.npz").write_bytes(huge_w1_bytes(net))
    write_weights(d / "huge-config.npz", net, config={"sizes": [784, 100000, 100000, 10]})
    return d, subset_file


def train(*args):
    return ["train", "--data", "{data}", "--epochs", "1", "--save", "{out}/w.npz", "--report", "{out}/r.json",
            *args]


def evaluate(*args):
    return ["evaluate", "--data", "{data}", "--report", "{out}/e.json", *args]


BAD = [
    (train("--lr", "0"), "argument --lr: must be greater than 0; got 0"),
    (train("--lr", "-1"), "argument --lr: must be greater than 0; got -1"),
    (train("--lr", "nan"), "argument --lr: must be greater than 0; got nan"),
    (train("--lr", "inf"), "argument --lr: must be greater than 0; got inf"),
    (train("--lr", "fast"), "argument --lr: expected a number; got 'fast'"),
    (train("--lr", ""), "argument --lr: expected a number; got ''"),
    (train("--batch-size", "0"), "argument --batch-size: must be greater than 0; got 0"),
    (train("--batch-size", "1.5"), "argument --batch-size: expected a whole number; got '1.5'"),
    (train("--batch-size", "-3"), "argument --batch-size: must be greater than 0; got -3"),
    (train("--epochs", "0"), "argument --epochs: must be greater than 0; got 0"),
    (train("--epochs", "inf"), "argument --epochs: expected a whole number; got 'inf'"),
    (train("--seed", "-1"), "argument --seed: expected an integer from 0 to 4294967295; got -1"),
    (train("--seed", "1.5"), "argument --seed: expected an integer from 0 to 4294967295; got '1.5'"),
    (train("--seed", str(2**32)),
     "argument --seed: expected an integer from 0 to 4294967295; got 4294967296"),
    (train("--beta", "nan"), "argument --beta: expected a finite number; got nan"),
    (train("--beta=-inf"), "argument --beta: expected a finite number; got -inf"),
    (train("--beta", "x"), "argument --beta: expected a finite number; got 'x'"),
    (train("--beta", "1"), "--beta must be in [0, 1); got 1.0"),
    (train("--beta", "-0.1"), "--beta must be in [0, 1); got -0.1"),
    (train("--optimizer", "sgd", "--beta", "0.9"), "--beta does not apply to optimizer 'sgd'"),
    (train("--optimizer", "adam", "--nesterov"),
     "--nesterov and --momentum-form apply only to --optimizer momentum"),
    (train("--optimizer", "lbfgs"), "argument --optimizer: invalid choice: 'lbfgs'"),
    (train("--optimizer", ""), "argument --optimizer: invalid choice: ''"),
    (train("--activation", "swish"), "argument --activation: invalid choice: 'swish'"),
    (train("--init", "zeros"), "argument --init: invalid choice: 'zeros'"),
    (train("--dtype", "float16"), "argument --dtype: invalid choice: 'float16'"),
    (train("--momentum-form", "heavy"), "argument --momentum-form: invalid choice: 'heavy'"),
    (train("--sizes", "784"),
     "argument --sizes: expected at least two positive sizes such as 784,64,10; got '784'"),
    (train("--sizes", "784,a,10"),
     "argument --sizes: expected comma-separated integers such as 784,64,10; got '784,a,10'"),
    (train("--sizes", "784,-5,10"),
     "argument --sizes: expected at least two positive sizes such as 784,64,10; got '784,-5,10'"),
    (train("--sizes", "100,64,10"),
     "--sizes must start with 784 (pixels per image) and end with 10 (classes); got 100,64,10"),
    (train("--sizes", "784,99999999999,10"),
     "--sizes 784,99999999999,10: training this network (float32, batch 128) needs about 4.2 PB of "
     "memory; at most 16.0 GB is available"),
    (train("--sizes", "784,3000000,10"),
     "--sizes 784,3000000,10: training this network (float32, batch 128) needs about 131.4 GB of "
     "memory; at most 16.0 GB is available"),
    (train("--subset", "0"), "argument --subset: must be greater than 0; got 0"),
    (train("--subset", "5000"), "--subset/--test-subset: cannot select 5000 samples from 3000"),
    (train("--test-subset", "1001"), "--subset/--test-subset: cannot select 1001 samples from 1000"),
    (["train", "--data", ""], "argument --data: expected a file or directory name; got ''"),
    (train("--data", "{inputs}/missing"), "data not found: {inputs}/missing"),
    (train("--data", "{inputs}/text.npz"),
     "{inputs}/text.npz: cannot read it as a .npz file: it is not an .npz file"),
    (train("--data", "{inputs}/empty-test.npz"),
     "{inputs}/empty-test.npz: the test set is empty; it needs at least one image"),
    (train("--data", "{inputs}/overflow"),
     "{inputs}/overflow/train-images-idx3-ubyte: truncated: shape (2147483648, 2147483648, 4) needs "
     "18446744073709551632 bytes, file has 16"),
    (train("--report", "/nonexistent-dir/r.json"), "--report: directory /nonexistent-dir does not exist"),
    (train("--save", "/nonexistent-dir/w.npz"), "--save: directory /nonexistent-dir does not exist"),
    (train("--save", "{inputs}/a-directory"),
     "--save: {inputs}/a-directory is a directory; give a file name inside it"),
    (train("--save", "/dev/full"), "--save: /dev/full is not a regular file"),
    (train("--report", "/proc/r.json"), "--report: cannot write in directory /proc"),
    (train("--save", ""), "argument --save: expected a file or directory name; got ''"),
    (train("--report", "{out}/w.npz"), "--save and --report name the same file {out}/w.npz"),
    (train("--no-such-option"), "unrecognized arguments: --no-such-option"),
    (evaluate("--load", "{inputs}/absent.npz"), "{inputs}/absent.npz: no such file"),
    (evaluate("--load", ""), "argument --load: expected a file or directory name; got ''"),
    (evaluate("--load", "{data}"), "{data}: not an mlp weights file (no 'config' entry)"),
    (evaluate("--load", "{inputs}/five.npz"),
     "{inputs}/five.npz holds a 784-8-5 network; this data needs 784 inputs and 10 outputs"),
    (evaluate("--load", "{inputs}/list-activation.npz"),
     "{inputs}/list-activation.npz: the config's activation must be a name (a string); got ['sigmoid']"),
    (evaluate("--load", "{inputs}/nan.npz"), "{inputs}/nan.npz: W1 holds 6272 NaN or infinite values"),
    (evaluate("--load", "{inputs}/inf.npz"), "{inputs}/inf.npz: b2 holds 1 NaN or infinite value"),
    (evaluate("--load", "{inputs}/huge.npz"),
     "{inputs}/huge.npz: W1 should be floats of shape (784, 8); found float64 (100000, 100000)"),
    (evaluate("--load", "{inputs}/huge-config.npz"),
     "{inputs}/huge-config.npz: its 784-100000-100000-10 network needs about 150.2 GB of memory; at "
     "most 16.0 GB is available"),
    (evaluate("--load", "{inputs}/five.npz", "--report", "{inputs}/a-directory"),
     "--report: {inputs}/a-directory is a directory"),
    (["evaluate", "--data", "{data}"], "the following arguments are required: --load"),
    (["subset", "--out", ""], "argument --out: expected a file or directory name; got ''"),
    (["subset", "--out", "{out}/s.npz", "--seed", "-2"],
     "argument --seed: expected an integer from 0 to 4294967295; got -2"),
    (["subset", "--out", "{out}/s.npz", "--train", "20000", "--data", "{data}"],
     "cannot select 20000 samples from 3000"),
]


def fill(args, inputs, data, out):
    return [a.format(inputs=inputs, data=data, out=out) for a in args]


@pytest.mark.parametrize("args, message", BAD, ids=[" ".join(a[:1] + a[-2:]) for a, _ in BAD])
def test_bad_command_line(files, tmp_path, capsys, monkeypatch, args, message):
    inputs, data = files
    monkeypatch.setenv("MLP_MEMORY_LIMIT", LIMIT)
    out = tmp_path / "out"
    out.mkdir()
    before = sorted(inputs.rglob("*"))
    try:
        code = main(fill(args, inputs, data, out))
    except SystemExit as e:  # argparse
        code = e.code
    stdout, stderr = capsys.readouterr()
    message = message.format(inputs=inputs, data=data, out=out)
    assert code == 2, stderr
    assert stderr.count("\n") == 1 and stderr.startswith("mlp") and message in stderr, stderr
    assert "Traceback" not in stderr and stdout == ""
    assert list(out.iterdir()) == [] and sorted(inputs.rglob("*")) == before  # nothing written


def test_there_are_at_least_forty():
    assert len(BAD) >= 40


def test_in_a_real_process_too(files, tmp_path):
    inputs, data = files
    env = {**os.environ, "MLP_MEMORY_LIMIT": LIMIT}
    chosen = [(a, m) for a, m in BAD if any(k in " ".join(a) for k in ("3000000", "overflow", "nan.npz"))]
    assert len(chosen) == 3
    for args, message in chosen:
        done = run_cli(*fill(args, inputs, data, tmp_path), env=env)
        assert done.returncode == 2 and done.stdout == "", done.stderr
        message = message.format(inputs=inputs, data=data, out=tmp_path)
        assert done.stderr.count("\n") == 1 and message in done.stderr
        assert not (tmp_path / "w.npz").exists() and not (tmp_path / "r.json").exists()
