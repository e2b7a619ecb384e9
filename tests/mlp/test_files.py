"""Nothing lost: atomic writes under real faults, outputs kept on Ctrl-C, unreadable inputs in one line."""

import contextlib
import json
import os
import resource
import signal
import stat
import subprocess
import sys
import tempfile

import numpy as np
import pytest
from helpers import REPO

import mlp
from mlp.tools.cli import main


@contextlib.contextmanager
def file_size_limit(nbytes):
    """A real limit on the size of files this process writes (writes beyond it fail with EFBIG)."""
    old = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (nbytes, old[1]))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, old)


def test_atomic_write_keeps_the_old_file_when_the_writer_fails(tmp_path):
    target = tmp_path / "data.bin"
    target.write_bytes(b"old content")
    os.chmod(target, 0o640)
    with pytest.raises(RuntimeError, match="midway"):
        with mlp.tools.files.atomic_write(target) as f:
            f.write(b"new content, half written")
            raise RuntimeError("midway")
    assert target.read_bytes() == b"old content" and os.listdir(tmp_path) == ["data.bin"]
    with mlp.tools.files.atomic_write(target) as f:
        f.write(b"new")
    assert target.read_bytes() == b"new" and stat.S_IMODE(os.stat(target).st_mode) == 0o640
    with mlp.tools.files.atomic_write(tmp_path / "new.txt", "w") as f:
        f.write("text")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(os.stat(tmp_path / "new.txt").st_mode) == 0o666 & ~umask


def test_an_interrupted_save_leaves_the_old_weights_intact(tmp_path):
    old = mlp.Network([784, 32, 10], seed=1)
    path = tmp_path / "w.npz"
    mlp.save(old, path)
    before = path.read_bytes()
    assert len(before) > 60_000
    bigger = mlp.Network([784, 64, 10], seed=2)  # its file would be about 200 KB
    with file_size_limit(100_000), pytest.raises(OSError) as caught:
        mlp.save(bigger, path)
    assert caught.value.errno == 27  # EFBIG: File too large
    assert path.read_bytes() == before and os.listdir(tmp_path) == ["w.npz"]
    np.testing.assert_array_equal(mlp.load(path).params["W1"], old.params["W1"])


def test_train_whose_save_fails_at_the_end_keeps_the_old_file_and_the_report(tmp_path, subset_file):
    # The reproduction: (ulimit -f 20; python -m mlp train ... --save old.npz) over a valid old.npz.
    old = tmp_path / "old.npz"
    mlp.save(mlp.Network([784, 8, 10], seed=0), old)
    before = old.read_bytes()
    done = subprocess.run(
        [sys.executable, "-m", "mlp", "train", "--sizes", "784,64,10", "--epochs", "1", "--data", subset_file,
         "--save", old, "--report", tmp_path / "r.json", "--quiet"],
        capture_output=True, text=True, cwd=REPO, timeout=300,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (20 * 1024, resource.RLIM_INFINITY)))
    assert done.returncode == 1, done.stderr
    assert done.stderr == (f"mlp train: error: could not save the weights to {old} (File too large); "
                           f"an earlier file there is unchanged\n")
    assert old.read_bytes() == before and sorted(os.listdir(tmp_path)) == ["old.npz", "r.json"]
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["weights"] is None and len(report["history"]) == 1


def test_ctrl_c_during_training_saves_the_model_trained_so_far(tmp_path, subset_file):
    save, report = tmp_path / "w.npz", tmp_path / "r.json"
    process = subprocess.Popen(
        [sys.executable, "-m", "mlp", "train", "--sizes", "784,32,10", "--lr", "4", "--beta", "0.9",
         "--epochs", "500", "--data", subset_file,
         "--save", save, "--report", report, "--quiet"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
        # A shell starts a background job with SIGINT ignored, and Python then installs no
        # handler for it; a reader's Ctrl-C comes with the default disposition, so give it that.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        for line in process.stdout:
            if line.startswith("epoch 2/500"):
                process.send_signal(signal.SIGINT)
                break
        out, err = process.communicate(timeout=120)
    finally:
        process.kill()
    assert process.returncode == 130, err
    assert err.count("\n") == 1 and err.startswith("mlp train: interrupted ")
    assert " in epoch " in err or " after epoch " in err
    assert err.endswith(f"; saved the model trained so far to {save}\n")
    history = json.loads(report.read_text())["history"]
    assert len(history) >= 2 and json.loads(report.read_text())["weights"] == str(save)
    data = mlp.load_subset(subset_file, scaled=True)
    assert mlp.evaluate(mlp.load(save), data.x_test, data.y_test).accuracy > 0.8


@contextlib.contextmanager
def unprivileged():
    """Act as an ordinary user, so that file permissions apply (root reads any file)."""
    if os.geteuid() != 0:
        yield
        return
    os.seteuid(65534)  # nobody
    try:
        yield
    finally:
        os.seteuid(0)


def test_unreadable_data_and_weights_in_one_line(capsys, subset_file):
    with tempfile.TemporaryDirectory() as d:  # in /tmp, which every user can enter
        os.chmod(d, 0o755)
        data, weights = os.path.join(d, "data.npz"), os.path.join(d, "w.npz")
        with open(data, "wb") as f:
            f.write(open(subset_file, "rb").read())
        mlp.save(mlp.Network([784, 8, 10]), weights)
        for path in (data, weights):
            os.chmod(path, 0)
        for args, path in ((["train", "--data", data, "--epochs", "1"], data),
                           (["evaluate", "--load", weights, "--data", str(subset_file)], weights)):
            with unprivileged():
                code = main(args)
            err = capsys.readouterr().err
            assert code == 2 and err.count("\n") == 1, err
            assert err == f"mlp {args[0]}: error: cannot use {path}: Permission denied\n"
