"""The command line's parser: subcommands, options and the checks of each value's kind.

Every value is checked when it is parsed, so a bad one is refused in one line
(``mlp train: error: argument --lr: must be greater than 0; got 0``) before any
data is read. Checks that need the data or other options live in :mod:`mlp.cli`.
"""

import argparse
import math

from . import __version__
from .config import DATA_HELP, FIELDS, MAX_SEED, RunConfig


class ArgumentParser(argparse.ArgumentParser):
    def error(self, message):  # one line instead of usage + message
        self.exit(2, f"{self.prog}: error: {message}\n")


def _sizes(text):
    try:
        sizes = [int(s) for s in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected comma-separated integers such as 784,64,10; got {text!r}") from None
    if len(sizes) < 2 or min(sizes) < 1:
        raise argparse.ArgumentTypeError(
            f"expected at least two positive sizes such as 784,64,10; got {text!r}")
    return sizes


def _positive(kind):
    """A parser of numbers of ``kind`` (int or float) that are finite and above 0."""
    def parse(text):
        try:
            value = kind(text)
        except ValueError:
            what = "a whole number" if kind is int else "a number"
            raise argparse.ArgumentTypeError(f"expected {what}; got {text!r}") from None
        if not (math.isfinite(value) and value > 0):
            raise argparse.ArgumentTypeError(f"must be greater than 0; got {text}")
        return value
    parse.__name__ = kind.__name__
    return parse


def _checked(convert, ok, expected):
    """A parser: ``convert(text)``, then ``ok(value)``; otherwise "expected <expected>; got <text>"."""
    def parse(text):
        try:
            value = convert(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {expected}; got {text!r}") from None
        if not ok(value):
            raise argparse.ArgumentTypeError(f"expected {expected}; got {text}")
        return value
    return parse


_seed = _checked(int, lambda v: 0 <= v <= MAX_SEED, f"an integer from 0 to {MAX_SEED}")
_real = _checked(float, math.isfinite, "a finite number")


def _path(text):
    if not text.strip():
        raise argparse.ArgumentTypeError(f"expected a file or directory name; got {text!r}")
    return text


PARSERS = {"sizes": _sizes, "positive_int": _positive(int), "positive_float": _positive(float), "real": _real,
           "seed": _seed, "path": _path, "float": float, "int": int}
METAVARS = {"learning_rate": None, "weight_decay": "LAMBDA", "l2": "LAMBDA", "dropout": "RATE",
            "warmup_epochs": "E", "step_epochs": "S", "subset": "N", "test_subset": "M"}


def flag(name):
    """The command line's option of a :class:`mlp.RunConfig` field: ``"--batch-size"``, ``"--lr"``."""
    return FIELDS[name].metadata["flag"] or "--" + name.replace("_", "-")


def dest(name):
    """The attribute of parsed arguments that holds a field: ``args.batch_size``, ``args.lr``."""
    return flag(name)[2:].replace("-", "_")


def add_config_arguments(parser):
    """One option per :class:`mlp.RunConfig` field, with its default and help text.

    A schedule's own options (``--step-epochs``...) default to None, so that
    :func:`mlp.cli.run_config` can refuse one given with another schedule.
    """
    groups = {}
    for name, f in FIELDS.items():
        meta = f.metadata
        target = parser
        if meta["group"]:
            target = groups.get(meta["group"]) or groups.setdefault(meta["group"],
                                                                    parser.add_argument_group(meta["group"]))
        options = {"help": meta["help"]}
        if meta["kind"] == "flag":
            options["action"] = "store_true"
        elif meta["kind"] == "choice":
            options.update(choices=list(meta["choices"]), default=f.default)
        else:
            default = None if meta["applies"] else f.default
            options.update(type=PARSERS[meta["kind"]], default=list(default) if name == "sizes" else default)
            if METAVARS.get(name):
                options["metavar"] = METAVARS[name]
        target.add_argument(flag(name), **options)


def run_config(args):
    """The :class:`mlp.RunConfig` of parsed ``train`` arguments.

    Raises ``ValueError`` for a schedule option given with another schedule; the message
    names the option.
    """
    values = {}
    for name, f in FIELDS.items():
        value = getattr(args, dest(name))
        applies = f.metadata["applies"]
        if applies and value is not None and args.schedule != applies:
            raise ValueError(f"{flag(name)} applies only to --schedule {applies}")
        if value is not None:
            values[name] = tuple(value) if name == "sizes" else value
    return RunConfig(**values)


def build_parser(train, evaluate, subset):
    """The ``mlp`` parser; ``train``, ``evaluate`` and ``subset`` are the commands' functions."""
    parser = ArgumentParser(prog="mlp",
                            description="Train and evaluate a NumPy multilayer perceptron on MNIST.")
    parser.add_argument("--version", action="version", version=f"mlp {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=ArgumentParser)

    t = commands.add_parser("train", help="train a network and report its accuracy")
    add_config_arguments(t)
    t.add_argument("--report", type=_path, metavar="FILE.json",
                   help="write config and per-epoch history as JSON")
    t.add_argument("--save", type=_path, metavar="FILE.npz",
                   help="save the trained weights (also when interrupted with Ctrl-C)")
    t.add_argument("--quiet", action="store_true", help="no progress bar")
    t.set_defaults(run=train)

    e = commands.add_parser("evaluate", help="test accuracy and confusion matrix of saved weights")
    e.add_argument("--load", type=_path, required=True, metavar="FILE.npz",
                   help="weights saved by train --save or the lab")
    e.add_argument("--data", type=_path, help=DATA_HELP)
    e.add_argument("--report", type=_path, metavar="FILE.json", help="write the figures as JSON")
    e.set_defaults(run=evaluate)

    s = commands.add_parser("subset", help="write a class-balanced MNIST subset file")
    s.add_argument("--train", type=_positive(int), default=10000, metavar="N")
    s.add_argument("--test", type=_positive(int), default=2000, metavar="M")
    s.add_argument("--seed", type=_seed, default=0)
    s.add_argument("--out", type=_path, required=True, metavar="FILE.npz")
    s.add_argument("--data", type=_path, help=DATA_HELP)
    s.set_defaults(run=subset)
    return parser
