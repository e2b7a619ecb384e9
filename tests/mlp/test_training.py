import io
import warnings

import numpy as np
import pytest

import mlp
from helpers import make_trainer


def strip_seconds(history):
    return [{k: v for k, v in r.items() if k != "seconds"} for r in history]


class Recorder(mlp.Callback):
    """Remembers every hook call."""

    def __init__(self):
        self.calls = []

    def on_train_begin(self, trainer):
        self.calls.append(("train_begin",))

    def on_epoch_begin(self, trainer, epoch):
        self.calls.append(("epoch_begin", epoch))

    def on_batch_end(self, trainer, info):
        self.calls.append(("batch_end", dict(info)))

    def on_epoch_end(self, trainer, record):
        self.calls.append(("epoch_end", dict(record)))

    def on_train_end(self, trainer):
        self.calls.append(("train_end",))


def test_every_example_is_seen_once_per_epoch():
    # 10 samples in batches of 3: 3 + 3 + 3 + 1; the tutorial's loop would drop one.
    x = np.arange(10, dtype=np.float64)[:, None] / 10
    y = np.arange(10) % 2
    seen = []

    class Spy(mlp.Trainer):
        def step(self, xb, yb):
            seen.append(np.round(xb[:, 0] * 10).astype(int).tolist())
            return super().step(xb, yb)

    trainer = Spy(mlp.Network([1, 2], dtype="float64"), "sgd", x, y, batch_size=3, epochs=2)
    trainer.fit()
    assert trainer.batches_per_epoch == 4 and trainer.samples == 20
    assert [len(b) for b in seen] == [3, 3, 3, 1, 3, 3, 3, 1]
    first, second = sum(seen[:4], []), sum(seen[4:], [])
    assert sorted(first) == sorted(second) == list(range(10))
    assert first != second  # reshuffled each epoch


def test_history_and_callbacks(small):
    recorder = Recorder()
    trainer = make_trainer(small, callbacks=[recorder])
    history = trainer.fit()
    assert trainer.done and trainer.epoch == 2 and history is trainer.history
    assert [r["epoch"] for r in history] == [1, 2]
    assert list(history[0]) == ["epoch", "seconds", "train_loss", "train_acc", "test_loss", "test_acc"]
    for r in history:
        assert r["seconds"] > 0 and 0 < r["train_loss"] < 3 and 0.5 < r["test_acc"] <= 1
        assert all(type(r[k]) is float for k in ("train_loss", "train_acc", "test_loss", "test_acc"))
    loss, acc = trainer.network.evaluate(small.x_test, small.y_test)
    assert history[-1]["test_loss"] == loss and history[-1]["test_acc"] == acc
    kinds = [c[0] for c in recorder.calls]
    batches = trainer.batches_per_epoch  # ceil(2000 / 64) = 32
    assert batches == 32
    epoch = ["epoch_begin"] + ["batch_end"] * batches + ["epoch_end"]
    assert kinds == ["train_begin"] + epoch * 2 + ["train_end"]
    info = recorder.calls[2][1]
    assert set(info) == {"epoch", "batch", "batches", "loss", "samples", "elapsed"}
    assert (info["epoch"], info["batch"], info["batches"], info["samples"]) == (1, 1, 32, 64)
    last = recorder.calls[-3][1]
    assert (last["epoch"], last["batch"], last["samples"]) == (2, 32, 4000)
    assert last["elapsed"] >= info["elapsed"]


def test_same_seed_same_history(small):
    a, b = make_trainer(small, seed=3), make_trainer(small, seed=3)
    assert strip_seconds(a.fit()) == strip_seconds(b.fit())
    for k in a.network.params:
        np.testing.assert_array_equal(a.network.params[k], b.network.params[k])
    c = make_trainer(small, seed=4)
    assert strip_seconds(c.fit()) != strip_seconds(a.history)


def test_training_in_slices_equals_one_run(small):
    whole = make_trainer(small)
    whole.fit()
    sliced = make_trainer(small)
    calls = 0
    while not sliced.run(max_batches=5):
        calls += 1
        assert sliced.batch <= sliced.batches_per_epoch
    assert calls == 12  # 64 batches in slices of 5: 12 slices that return False, the 13th finishes
    assert sliced.done and sliced.run(max_batches=5) is True  # finished: nothing more happens
    assert strip_seconds(sliced.history) == strip_seconds(whole.history)
    for k in whole.network.params:
        np.testing.assert_array_equal(sliced.network.params[k], whole.network.params[k])


def test_run_keeps_its_place(small):
    trainer = make_trainer(small)
    assert trainer.run(max_batches=40) is False
    assert (trainer.epoch, trainer.batch, trainer.samples, len(trainer.history)) == (1, 8, 40 * 64 - 48, 1)
    trainer.run(max_seconds=0)  # at least one batch per call
    assert trainer.batch == 9
    with pytest.raises(ValueError, match="max_batches must be a positive integer; got 0"):
        trainer.run(max_batches=0)


def test_a_callback_can_stop_training(small):
    class StopAfterTenBatches(mlp.Callback):
        def on_batch_end(self, trainer, info):
            if info["samples"] >= 640:
                trainer.stop("enough")

    recorder = Recorder()
    trainer = make_trainer(small, epochs=5, callbacks=[StopAfterTenBatches(), recorder])
    trainer.fit()
    assert trainer.done and trainer.stop_reason == "enough"
    assert trainer.samples == 640 and trainer.history == []
    assert recorder.calls[-1] == ("train_end",) and [c[0] for c in recorder.calls].count("train_end") == 1


def test_stop_between_slices_keeps_the_model(small):
    trainer = make_trainer(small)
    trainer.run(max_batches=3)
    weights = trainer.network.params["W1"].copy()
    trainer.stop()
    assert trainer.done and trainer.stop_reason == "stopped"
    assert trainer.run() is True
    np.testing.assert_array_equal(trainer.network.params["W1"], weights)


def test_early_stopping(small):
    trainer = make_trainer(small, epochs=10,
                           callbacks=[mlp.EarlyStopping("test_acc", patience=1, min_delta=1.0)])
    trainer.fit()  # no epoch can improve accuracy by 1.0: stop after the second
    assert len(trainer.history) == 2 and "test accuracy has not improved for 1 epochs" in trainer.stop_reason
    net = mlp.Network([784, 16, 10])
    unmeasured = mlp.Trainer(net, "sgd", small.x_train, small.y_train,
                             callbacks=[mlp.EarlyStopping("test_loss")])
    with pytest.raises(ValueError, match="monitors 'test_loss', which this training does not measure; "
                                         "choose one of: epoch, seconds, train_loss, train_acc"):
        unmeasured.fit()


@pytest.mark.parametrize("activation, lr, scale, loss, hint", [
    ("relu", 1000, 1, r"\d+\.?\d*", "1000; try a smaller learning rate, e.g. 100"),  # confidently wrong
    ("leaky_relu", 1e6, 1, r"\d+\.?\d*", r"1e\+06; try a smaller learning rate, e.g. 100000"),
    ("sigmoid", 0.1, np.inf, "nan", "0.1; try a smaller learning rate, e.g. 0.01"),  # inf inputs: NaN loss
])
def test_divergence_names_the_learning_rate(small, activation, lr, scale, loss, hint):
    recorder = Recorder()
    net = mlp.Network([784, 16, 10], activation=activation, seed=0)
    x, y, xt, yt = small
    with np.errstate(invalid="ignore"):  # 0 * inf
        x = x * np.float32(scale)
    trainer = mlp.Trainer(net, mlp.SGD(lr), x, y, xt, yt, callbacks=[recorder])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning: the message below replaces them
        with pytest.raises(mlp.TrainingDiverged, match=rf"the loss became {loss} at epoch 1, batch \d+, "
                                                       rf"with learning rate {hint}"):
            trainer.fit()
    assert trainer.done and "diverged" in trainer.stop_reason and trainer.history == []
    assert recorder.calls[-1] == ("train_end",)


@pytest.mark.parametrize("name", sorted(mlp.OPTIMIZERS))
def test_every_optimizer_learns_and_keeps_float32(small, name):
    lr = {"sgd": 0.5, "momentum": 4, "classic": 0.4, "nesterov": 4, "rmsprop": 0.005, "adam": 0.005}[name]
    trainer = make_trainer(small, optimizer=mlp.make_optimizer(name, learning_rate=lr), epochs=2)
    trainer.fit()
    assert trainer.history[-1]["test_acc"] > 0.6  # 2 epochs on 2000 images; chance is 0.1
    assert all(p.dtype == np.float32 for p in trainer.network.params.values())


def test_float64_and_labels(small):
    labels = small.y_train.argmax(axis=1)
    a = make_trainer(small, dtype="float64", epochs=1)
    b = mlp.Trainer(mlp.Network([784, 16, 10], seed=0, dtype="float64"), mlp.Momentum(4, 0.9),
                    small.x_train, labels, small.x_test, small.y_test.argmax(axis=1), batch_size=64, epochs=1)
    assert strip_seconds(a.fit()) == strip_seconds(b.fit())
    assert a.network.params["W1"].dtype == np.float64


def test_train_function(small):
    net = mlp.Network([784, 16, 10], seed=0)
    history = mlp.train(net, *small, optimizer="momentum", learning_rate=4, beta=0.9, batch_size=64, epochs=1)
    assert len(history) == 1 and history[0]["test_acc"] > 0.7
    with pytest.raises(TypeError, match="only accepted with an optimizer name"):
        mlp.train(net, *small, optimizer=mlp.SGD(), learning_rate=1)


def test_evaluation_can_be_skipped(small):
    trainer = make_trainer(small, evaluate_train=False, epochs=1)
    trainer.fit()
    assert trainer.history[0]["train_loss"] is None and trainer.history[0]["test_acc"] is not None
    net = mlp.Network([784, 16, 10])
    history = mlp.Trainer(net, "sgd", small.x_train, small.y_train, epochs=1).fit()
    assert history[0]["test_loss"] is None and history[0]["train_acc"] is not None


def test_bad_training_settings(small):
    net = mlp.Network([784, 16, 10])
    x, y, xt, yt = small
    for kw, message in [
        (dict(batch_size=0), "batch_size must be a positive integer; got 0"),
        (dict(batch_size=2.5), "batch_size must be a positive integer; got 2.5"),
        (dict(epochs=0), "epochs must be a positive integer; got 0"),
    ]:
        with pytest.raises(ValueError, match=message):
            mlp.Trainer(net, "sgd", x, y, **kw)
    with pytest.raises(ValueError, match="unknown optimizer 'fast'"):
        mlp.Trainer(net, "fast", x, y)
    with pytest.raises(ValueError, match="same, non-zero number of samples; got 2000 and 1999"):
        mlp.Trainer(net, "sgd", x, y[:-1])
    with pytest.raises(ValueError, match="give both x_test and y_test"):
        mlp.Trainer(net, "sgd", x, y, xt)
    with pytest.raises(ValueError,
                       match=r"y_train must be labels \(n,\) or one-hot \(n, 10\); got shape \(2000, 9\)"):
        mlp.Trainer(net, "sgd", x, y[:, :9])
    with pytest.raises(ValueError, match=r"labels must be in 0..9"):
        mlp.Trainer(net, "sgd", x, np.full(2000, 10))
    with pytest.raises(TypeError, match="floating point"):
        mlp.Trainer(net, "sgd", (x * 255).astype(np.uint8), y)


def test_progress_bar_and_epoch_log(small):
    bar_out, log_out = io.StringIO(), io.StringIO()
    bar = mlp.callbacks.ProgressBar(bar_out, interval=0, force=True)
    trainer = make_trainer(small, callbacks=[bar, mlp.callbacks.EpochLog(log_out)])
    trainer.fit()
    assert "epoch 2/2 [########################] 32/32 loss" in bar_out.getvalue()
    lines = log_out.getvalue().splitlines()
    assert (len(lines) == 2 and lines[1].startswith("epoch 2/2: ") and "test acc 0.9" in lines[1]
            or "test acc 0.8" in lines[1])
    quiet = io.StringIO()  # not a terminal: no bar unless forced
    make_trainer(small, epochs=1, callbacks=[mlp.callbacks.ProgressBar(quiet)]).fit()
    assert quiet.getvalue() == ""
