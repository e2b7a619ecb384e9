"""mlp.RunConfig: one declaration of a run's settings, which the command line and build() follow."""

import dataclasses

import numpy as np
import pytest

import mlp
from mlp import config
from mlp.tools import cli
from mlp.tools.cli import dest, flag, run_config


def parse_train(*argv):
    return cli.build().parse_args(["train", *map(str, argv)])


def test_the_command_lines_defaults_are_the_configs():
    assert run_config(parse_train()) == mlp.RunConfig()
    help_text = cli.build()._subparsers._group_actions[0].choices["train"].format_help()
    for name, field in config.FIELDS.items():
        assert flag(name) in help_text, name  # one option per field
        assert field.metadata["kind"] in ("choice", "flag", *config.INTEGER_KINDS, *config.FLOAT_KINDS,
                                          "sizes", "path")
        if field.metadata["kind"] not in ("choice", "flag", "sizes", "path"):
            assert isinstance(field.default, (int, float, type(None))), name


def test_every_option_reaches_the_config():
    args = parse_train("--sizes", "784,32,16,10", "--activation", "relu", "--init", "he", "--optimizer", "adam",
                       "--lr", 0.002, "--beta", 0.8, "--batch-size", 64, "--epochs", 3, "--seed", 7,
                       "--dtype", "float64", "--keep-best", "--weight-decay", 0.01, "--l2", 0.001,
                       "--dropout", 0.1, "--schedule", "cosine", "--warmup-epochs", 1)
    c = run_config(args)
    assert c == mlp.RunConfig(sizes=(784, 32, 16, 10), activation="relu", init="he", optimizer="adam",
                              learning_rate=0.002, beta=0.8, batch_size=64, epochs=3, seed=7, dtype="float64",
                              keep_best=True, weight_decay=0.01, l2=0.001, dropout=0.1, schedule="cosine",
                              warmup_epochs=1.0)
    assert getattr(args, dest("learning_rate")) == 0.002 and dest("learning_rate") == "lr"


def test_limits_are_the_fields_and_choices_lists_them():
    for name, (low, high) in config.LIMITS.items():
        assert low < high
        if name in config.FIELDS:
            assert config.FIELDS[name].metadata["limits"] == [low, high]
    assert mlp.tools.choices.choices()["limits"] == config.LIMITS


def test_build_makes_the_trainer_of_every_setting():
    rng = np.random.default_rng(0)
    data = mlp.Dataset(rng.random((40, 784), dtype=np.float32), rng.integers(0, 10, 40),
                       rng.random((20, 784), dtype=np.float32), rng.integers(0, 10, 20))
    c = mlp.RunConfig(sizes=(784, 8, 10), optimizer="rmsprop", learning_rate=0.01, beta=0.8, epochs=3,
                      batch_size=16, dropout=0.2, l2=0.01, weight_decay=0.1, schedule="step", step_epochs=2,
                      gamma=0.5, keep_best=True)
    trainer = mlp.build(c, data)
    assert isinstance(trainer, mlp.Trainer) and trainer.network.sizes == [784, 8, 10]
    opt = trainer.optimizer
    assert (type(opt), opt.learning_rate, opt.rho, opt.weight_decay) == (mlp.RMSProp, 0.01, 0.8, 0.1)
    assert (trainer.batch_size, trainer.epochs, trainer.l2, trainer.dropout.rate) == (16, 3, 0.01, 0.2)
    assert repr(trainer.schedule) == "StepSchedule(step_epochs=2, gamma=0.5)"
    assert isinstance(trainer.callbacks[-1], mlp.KeepBest)
    trainer.fit()
    # The optimiser's own defaults where the config leaves them to it.
    default = mlp.build(mlp.RunConfig(sizes=(784, 8, 10), optimizer="adam"), data).optimizer
    assert (default.learning_rate, default.beta1) == (0.001, 0.9)


def test_plain_values_become_a_config_and_unknown_names_are_refused():
    c = mlp.RunConfig.from_dict({"sizes": [784, 16, 10], "learning_rate": 4, "step_epochs": 2.0})
    assert c.sizes == (784, 16, 10) and c.learning_rate == 4.0 and isinstance(c.learning_rate, float)
    assert c.step_epochs == 2 and isinstance(c.step_epochs, int)
    assert mlp.RunConfig.from_dict(c.to_dict()) == c
    with pytest.raises(ValueError, match="no run setting 'epoch'; the settings are: sizes, activation"):
        mlp.RunConfig.from_dict({"epoch": 3})
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.epochs = 3


@pytest.mark.parametrize("changes, message", [
    ({"learning_rate": -1}, "learning rate must be a positive number; got -1.0"),
    ({"schedule": "step", "gamma": 2}, "gamma"),
    ({"schedule": "cosine", "warmup_epochs": 10}, "the warm-up (10 epochs) must be shorter"),
    ({"dropout": 1.0}, "dropout"),
    ({"optimizer": "fastest"}, "unknown optimizer 'fastest'"),
])
def test_check_names_the_bad_setting(changes, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        config.check(mlp.RunConfig(**changes))
