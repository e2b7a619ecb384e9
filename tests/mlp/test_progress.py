"""Progress reporting: the history recorder, epoch log lines, time slices and the guessing check."""

import io
import math
import time

import numpy as np
import pytest
from helpers import make_trainer

import mlp


def test_recorder_keeps_thinned_smoothed_points_and_hands_over_what_is_new(small):
    recorder = mlp.tools.history.HistoryRecorder(points_per_epoch=8)
    trainer = make_trainer(small, callbacks=[recorder], epochs=2)  # 32 batches per epoch: every 4th
    trainer.run(max_batches=10)
    points, records = recorder.take()
    assert [p[0] for p in points] == [0.125, 0.25] and records == []
    trainer.fit()
    points, records = recorder.take()
    assert [p[0] for p in points] == [i / 8 for i in range(3, 17)]
    assert [r["epoch"] for r in records] == [1, 2] and records == trainer.history
    assert recorder.take() == ([], [])
    assert len(recorder.points) == 16 and recorder.latest["batch"] == 32 and recorder.eval_name == "test"


def test_recorder_smoothing_is_bias_corrected_and_zero_keeps_raw_losses(small):
    raw, smooth = mlp.tools.history.HistoryRecorder(points_per_epoch=None, smoothing=0), mlp.tools.history.HistoryRecorder(None, 0.9)
    losses = []

    class Losses(mlp.Callback):
        def on_batch_end(self, trainer, info):
            losses.append(info["loss"])

    make_trainer(small, callbacks=[raw, smooth, Losses()], epochs=1).fit()
    assert [p[1] for p in raw.points] == losses and len(losses) == 32
    assert smooth.points[0][1] == pytest.approx(losses[0])  # no pull towards 0 at the start
    average = weight = 0.0
    for loss in losses:
        average, weight = 0.9 * average + 0.1 * loss, 0.9 * weight + 0.1
    assert smooth.points[-1][1] == pytest.approx(average / weight)
    with pytest.raises(ValueError, match="smoothing must be in"):
        mlp.tools.history.HistoryRecorder(smoothing=1)


def test_format_record_without_train_figures_and_with_a_named_evaluation_set():
    record = {"epoch": 2, "seconds": 1.5, "train_loss": None, "train_acc": None, "test_loss": 0.25,
              "test_acc": 0.9}
    assert mlp.callbacks.format_record(record, 5) == "epoch 2/5: 1.50s, test loss 0.2500, test acc 0.9000"
    assert mlp.callbacks.format_record(record, eval_name="validation") == \
        "epoch 2: 1.50s, validation loss 0.2500, validation acc 0.9000"
    full = dict(record, train_loss=0.125, train_acc=0.95)
    assert mlp.callbacks.format_record(full, 5) == \
        "epoch 2/5: 1.50s, train loss 0.1250, train acc 0.9500, test loss 0.2500, test acc 0.9000"


def test_validation_data_is_named_so_in_the_log(small):
    log = io.StringIO()
    recorder = mlp.tools.history.HistoryRecorder()
    trainer = make_trainer(small, epochs=1, evaluate_train=False, eval_name="validation",
                           callbacks=[mlp.callbacks.EpochLog(log), recorder])
    trainer.fit()
    line = log.getvalue().strip()
    assert line.startswith("epoch 1/1: ") and ", validation loss " in line and "validation acc" in line
    assert "train" not in line and "test" not in line and recorder.eval_name == "validation"
    with pytest.raises(ValueError, match="eval_name must be a non-empty string"):
        make_trainer(small, eval_name="")


def test_run_in_time_slices(small):
    class Slow(mlp.Callback):  # each batch takes at least 20 ms
        def on_batch_end(self, trainer, info):
            time.sleep(0.02)

    trainer = make_trainer(small, callbacks=[Slow()], epochs=1)  # 32 batches
    slices = []
    while not trainer.done:
        before = trainer.samples
        trainer.run(max_seconds=0.07)
        slices.append((trainer.samples - before) // 64)
    assert len(slices) > 3 and all(1 <= n <= 5 for n in slices[:-1]) and sum(slices) in (31, 32)
    assert trainer.epoch == 1 and trainer.samples == 2000
    zero = make_trainer(small, epochs=1)
    zero.run(max_seconds=0)  # always at least one batch
    assert zero.samples == 64
    for bad in (-1, math.inf, math.nan, "1", True):
        with pytest.raises(ValueError, match="max_seconds must be a finite number of seconds >= 0"):
            zero.run(max_seconds=bad)


def test_worse_than_guessing():
    assert mlp.guessing_loss(10) == pytest.approx(2.302585, rel=1e-6)
    assert mlp.tools.diagnosis.worse_than_guessing(2.2, 10, 4, 1) is None and mlp.tools.diagnosis.worse_than_guessing(None) is None
    message = mlp.tools.diagnosis.worse_than_guessing(4.2, 10, 4, 1)
    assert message == ("worse than guessing: the loss 4.20 is above ln(10) = 2.30, the loss of giving "
                       "each of the 10 classes probability 1/10; the learning rate 4 is likely too high "
                       "for batch size 1: try a smaller one, e.g. 0.4, or larger batches")
    assert "NaN" in mlp.tools.diagnosis.worse_than_guessing(math.nan)


def test_diagnose_a_run_that_learns_nothing(small):
    # sigmoid, momentum, learning rate 4, batch size 1: the lab's example of a loss stuck above ln(10)
    x, y = small.x_train[:1000], small.y_train[:1000]
    net = mlp.Network([784, 16, 10], seed=0)
    trainer = mlp.Trainer(net, mlp.Momentum(4, 0.9), x, y, batch_size=1, epochs=1)
    trainer.fit()
    assert trainer.history[-1]["train_loss"] > 4 and trainer.history[-1]["train_acc"] < 0.2
    message = mlp.tools.diagnosis.diagnose(trainer)
    assert message.startswith("worse than guessing: the train loss ") and "batch size 1" in message
    good = make_trainer(small, epochs=1)
    assert mlp.tools.diagnosis.diagnose(good) is None
    good.fit()
    assert mlp.tools.diagnosis.diagnose(good) is None and np.isfinite(good.history[-1]["train_loss"])
