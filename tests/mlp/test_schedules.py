"""Learning-rate schedules: values by hand, and the trainer applying them batch by batch."""

import math

import numpy as np
import pytest

import mlp


def test_step_schedule_by_hand():
    step = mlp.make_schedule("step", step_epochs=2, gamma=0.5)
    assert [step(e, 10) for e in (0, 1.9, 2, 3.99, 4.5, 9.9)] == [1, 1, 0.5, 0.5, 0.25, 0.0625]


def test_cosine_schedule_with_warm_up_by_hand():
    cosine = mlp.make_schedule("cosine", warmup_epochs=1, min_factor=0.1)
    assert cosine(0, 3) == pytest.approx(0.01)          # the first batch: not exactly 0
    assert cosine(0.49, 3) == pytest.approx(0.5)        # half-way up the warm-up
    assert cosine(1, 3) == pytest.approx(1.0)           # the top
    assert cosine(2, 3) == pytest.approx(0.55)          # half-way down: 0.1 + 0.9 / 2
    assert cosine(1.5, 3) == pytest.approx(0.1 + 0.45 * (1 + math.cos(math.pi / 4)))
    assert cosine(3, 3) == pytest.approx(0.1)           # the end
    no_warmup = mlp.schedules.CosineSchedule()
    assert no_warmup(0, 4) == 1.0 and no_warmup(4, 4) == pytest.approx(0.0, abs=1e-15)


@pytest.mark.parametrize("name, options, message", [
    ("linear", {}, "unknown learning-rate schedule 'linear'; choose one of: constant, step, cosine"),
    ("step", {"step_epochs": 0}, "step_epochs must be a whole number"),
    ("step", {"step_epochs": 2.5}, "step_epochs must be a whole number"),
    ("step", {"gamma": 0}, r"gamma must be in \(0, 1\]"),
    ("step", {"gamma": 2}, r"gamma must be in \(0, 1\]"),
    ("cosine", {"warmup_epochs": -1}, "warmup_epochs must be in"),
    ("cosine", {"min_factor": "low"}, "min_factor must be a number"),
    ("cosine", {"warmup": 1}, "schedule 'cosine' takes warmup_epochs, min_factor; got 'warmup'"),
])
def test_bad_schedules_are_refused(name, options, message):
    with pytest.raises(ValueError, match=message):
        mlp.make_schedule(name, **options)


def test_a_warm_up_longer_than_training_is_refused_when_the_trainer_is_built(small):
    net = mlp.Network([784, 8, 10], seed=0)
    with pytest.raises(ValueError, match=r"warm-up \(3 epochs\) must be shorter than the training \(2 epochs\)"):
        mlp.Trainer(net, "sgd", *small, epochs=2, schedule=mlp.make_schedule("cosine", warmup_epochs=3))
    with pytest.raises(TypeError, match="schedule must be"):
        mlp.Trainer(net, "sgd", *small, schedule=0.5)


class Rates(mlp.Callback):
    def __init__(self):
        self.rates = []

    def on_batch_end(self, trainer, info):
        self.rates.append((info["epoch"], info["batch"], trainer.optimizer.learning_rate))


@pytest.mark.parametrize("name, options", [("cosine", {"warmup_epochs": 1}), ("step", {"step_epochs": 1})])
def test_the_trainer_applies_the_schedule_before_every_batch(small, name, options):
    schedule = mlp.make_schedule(name, **options)
    net = mlp.Network([784, 8, 10], seed=0)
    rates = Rates()
    trainer = mlp.Trainer(net, mlp.SGD(0.2), small.x_train[:300], small.y_train[:300], batch_size=100,
                          epochs=3, schedule=schedule, callbacks=[rates], evaluate_train=False)
    trainer.fit()
    assert len(rates.rates) == 9 and trainer.initial_learning_rate == 0.2
    for epoch, batch, rate in rates.rates:
        assert rate == pytest.approx(0.2 * schedule(epoch - 1 + (batch - 1) / 3, 3))
    distinct = len({round(r, 12) for _, _, r in rates.rates})
    assert distinct == (9 if name == "cosine" else 3)  # cosine: every batch; step: every epoch


def test_decoupled_weight_decay_follows_the_scheduled_learning_rate():
    """The decay is learning rate x weight decay, with the rate the schedule set for this batch."""
    optimizer = mlp.SGD(0.1, weight_decay=0.5)
    optimizer.learning_rate = 0.05  # what Trainer does before a batch
    params = {"W1": np.full(3, 2.0), "b1": np.full(3, 2.0)}
    optimizer.step(params, {k: np.zeros(3) for k in params})
    np.testing.assert_allclose(params["W1"], 2.0 * (1 - 0.05 * 0.5))
    np.testing.assert_array_equal(params["b1"], 2.0)


def test_choices_lists_the_schedules_and_the_regularisation_limits():
    c = mlp.tools.choices.choices()
    assert c["schedules"] == list(mlp.schedules.SCHEDULES) == ["constant", "step", "cosine"]
    limits = c["limits"]
    assert {"weight_decay", "l2", "dropout", "warmup_epochs", "step_epochs", "gamma"} <= set(limits)
    # Each end the limits include is accepted; the excluded ends are refused.
    mlp.Adam(0.001, weight_decay=limits["weight_decay"][1])
    mlp.Dropout(limits["dropout"][0])
    with pytest.raises(ValueError):
        mlp.Dropout(limits["dropout"][1])
    mlp.make_schedule("step", step_epochs=limits["step_epochs"][1], gamma=limits["gamma"][1])
    with pytest.raises(ValueError):
        mlp.make_schedule("step", gamma=limits["gamma"][0])
    mlp.make_schedule("cosine", warmup_epochs=limits["warmup_epochs"][1])
