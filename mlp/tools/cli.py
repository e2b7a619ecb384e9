"""Command line: ``python -m mlp train | evaluate | subset``.

Exit status: 0 on success; 1 if training diverged or an output could not be
written at the end; 2 for bad arguments or unusable data (one line on stderr,
no traceback, nothing written); 130 when interrupted (Ctrl-C), after saving the
model trained so far if ``--save`` was given.

Every value is checked when it is parsed, so a bad one is refused in one line
(``mlp train: error: argument --lr: must be greater than 0; got 0``) before any
data is read; the ``train`` options are :class:`mlp.RunConfig`'s fields. Checks that
need the data or other options follow, still before any work. Outputs are checked
before any work too (their directory exists and accepts a new file, the name is not
a directory) and written atomically (:mod:`mlp.tools.files`): the weights first,
then the report.
"""

import argparse
import json
import math
import os
import sys
from pathlib import Path

import numpy as np

from .. import __version__
from ..callbacks import EpochLog, ProgressBar
from ..config import DATA_HELP, FIELDS, MAX_SEED, RunConfig
from ..config import build as build_trainer
from ..config import check as check_config
from ..data import (
    NUM_CLASSES,
    DataError,
    Dataset,
    default_source,
    load_dataset,
    make_subset,
    normalize,
    prepare,
    save_subset,
    subset_indices,
)
from .diagnosis import diagnose
from ..evaluation import evaluate
from .files import check_output_path, write_text
from ..optimizers import OPTIMIZERS
from ..serialization import load, save
from ..training import TrainingDiverged
from ..checks import check_fits
from .resources import check_memory, training_memory


# --- the parser: one option per RunConfig field, each value checked as it is parsed ---------


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
    :func:`run_config` can refuse one given with another schedule.
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


# --- the commands ---------------------------------------------------------------------------

class UsageError(Exception):
    """A bad argument or unusable input: reported in one line, exit status 2."""


def _check_outputs(args, *options):
    """Check every output path up front (``--save`` -> ``args.save``), and that no two are the same."""
    seen = {}
    for option in options:
        path = getattr(args, option.lstrip("-"))
        if path is None:
            continue
        try:
            resolved = check_output_path(path).resolve()
        except ValueError as e:
            raise UsageError(f"{option}: {e}") from None
        if resolved in seen:
            raise UsageError(f"{seen[resolved]} and {option} name the same file {path}; give two names")
        seen[resolved] = option


def _load(source):
    try:
        return load_dataset(source)
    except ValueError as e:  # DataError, or a subset file whose contents do not fit
        raise UsageError(str(e)) from None


def _config(args):
    """The run's :class:`mlp.RunConfig`, its options checked before any data is read."""
    if args.beta is not None:
        if not 0 <= args.beta < 1:
            raise UsageError(f"--beta must be in [0, 1); got {args.beta}")
        if OPTIMIZERS[args.optimizer].beta is None:
            raise UsageError(f"--beta does not apply to optimizer {args.optimizer!r}")
    if args.optimizer != "momentum" and (args.nesterov or args.momentum_form != "average"):
        raise UsageError("--nesterov and --momentum-form apply only to --optimizer momentum")
    try:
        config = run_config(args)
        check_config(config)
    except ValueError as e:
        raise UsageError(str(e)) from None
    return config


def _training_data(args):
    """The raw data set the options select, checked against ``--sizes`` and the memory."""
    raw = _load(args.data)
    if args.subset or args.test_subset:
        rng = np.random.default_rng(args.seed)
        try:
            i = subset_indices(raw.y_train, args.subset, rng) if args.subset else slice(None)
            j = subset_indices(raw.y_test, args.test_subset, rng) if args.test_subset else slice(None)
        except ValueError as e:
            raise UsageError(f"--subset/--test-subset: {e}") from None
        raw = Dataset(raw.x_train[i], raw.y_train[i], raw.x_test[j], raw.y_test[j])
    pixels = raw.x_train.shape[1]
    if args.sizes[0] != pixels or args.sizes[-1] != NUM_CLASSES:
        raise UsageError(f"--sizes must start with {pixels} (pixels per image) and end with {NUM_CLASSES} "
                         f"(classes); got {','.join(map(str, args.sizes))}")
    batch = min(args.batch_size, len(raw.x_train))
    try:
        check_memory(training_memory(args.sizes, args.dtype, batch),
                     f"--sizes {','.join(map(str, args.sizes))}: training this network "
                     f"({args.dtype}, batch {batch})")
    except ValueError as e:
        raise UsageError(str(e)) from None
    return raw


def cmd_train(args):
    _check_outputs(args, "--save", "--report")
    config = _config(args)
    args.data = args.data or default_source()  # recorded in the report
    data = prepare(_training_data(args), args.dtype)
    callbacks = ([] if args.quiet else [ProgressBar()]) + [EpochLog()]
    try:
        trainer = build_trainer(config, data, callbacks)
    except ValueError as e:
        raise UsageError(str(e)) from None
    print(f"{'-'.join(map(str, args.sizes))} {args.activation}, {trainer.optimizer}, batch {args.batch_size}, "
          f"{args.epochs} epochs, {len(data.x_train)} train / {len(data.x_test)} test images, {args.dtype}",
          flush=True)
    try:
        trainer.fit()
    except TrainingDiverged as e:
        print(f"mlp train: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        trainer.stop("interrupted")
        return _interrupted(args, trainer)
    final = trainer.history[-1]
    print(f"final test accuracy {final['test_acc']:.4f} after {trainer.elapsed:.1f}s of training")
    warning = diagnose(trainer)
    if warning:
        print(warning)
    return _write_outputs(args, trainer)


def _interrupted(args, trainer):
    """After Ctrl-C: keep the model trained so far (``--save``) and the history (``--report``)."""
    where = (f"in epoch {trainer.epoch + 1}, after batch {trainer.batch} of {trainer.batches_per_epoch}"
             if trainer.batch else f"after epoch {trainer.epoch}")
    if _write_outputs(args, trainer) == 0:
        kept = f"saved the model trained so far to {args.save}" if args.save else "nothing saved (no --save)"
        print(f"mlp train: interrupted {where}; {kept}", file=sys.stderr)
    return 130


def _write_outputs(args, trainer):
    """Write the weights, then the report; one line on stderr for each that fails. Returns the exit status."""
    status, saved = 0, False
    if args.save:
        try:
            save(trainer.network, args.save)
            saved = True
        except OSError as e:
            print(f"mlp train: error: could not save the weights to {args.save} ({e.strerror or e}); "
                  f"an earlier file there is unchanged", file=sys.stderr)
            status = 1
    if args.report:
        config = {k: v for k, v in vars(args).items()
                  if k not in ("run", "command", "report", "save", "quiet")}
        settings = {k: v for k, v in vars(trainer.optimizer).items() if k not in ("state", "steps")}
        config.update(optimizer_settings=settings, n_train=len(trainer.x_train), n_test=len(trainer.x_test),
                      version=__version__)
        history = trainer.history
        report = {"config": config, "history": history,
                  "test_acc": history[-1]["test_acc"] if history else None,
                  "weights": args.save if saved else None, "stop_reason": trainer.stop_reason}
        try:
            write_text(args.report, json.dumps(report, indent=2) + "\n")
        except OSError as e:
            print(f"mlp train: error: could not write the report {args.report} ({e.strerror or e})",
                  file=sys.stderr)
            status = 1
    return status


def cmd_evaluate(args):
    _check_outputs(args, "--report")
    try:
        network = load(args.load)
    except ValueError as e:
        raise UsageError(str(e)) from None
    raw = _load(args.data)
    try:
        check_fits(network, raw.x_test.shape[1], NUM_CLASSES, name=args.load)
    except ValueError as e:
        raise UsageError(str(e)) from None
    result = evaluate(network, normalize(raw.x_test, network.dtype), raw.y_test)
    k, cm = network.sizes[-1], result.confusion
    print(f"{args.load}: {'-'.join(map(str, network.sizes))} {network.activation}")
    print(f"test accuracy {result.accuracy:.4f} ({result.correct}/{result.total})")
    print("confusion matrix (rows: true class, columns: predicted class)")
    print("     " + "".join(f"{j:>6}" for j in range(k)))
    for i in range(k):
        print(f"{i:>5}" + "".join(f"{n:>6}" for n in cm[i]))
    print("per-class accuracy " + " ".join(f"{i}:{a:.3f}" for i, a in enumerate(result.per_class_accuracy)))
    if args.report:
        figures = result.to_dict()
        report = {"weights": args.load, "n_test": result.total, "test_acc": result.accuracy,
                  "test_loss": figures["loss"], "confusion_matrix": figures["confusion"],
                  "per_class_accuracy": figures["per_class_accuracy"],
                  "misclassified": figures["misclassified"]}
        write_text(args.report, json.dumps(report, indent=2) + "\n")
    return 0


def cmd_subset(args):
    _check_outputs(args, "--out")
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


def _os_message(e):
    """One line for an ``OSError``: ours carry a whole message; the system's name the file and the reason."""
    if e.filename is not None and e.strerror:
        return f"cannot use {e.filename}: {e.strerror}"
    return str(e)


def build():
    """The parser, wired to this module's commands."""
    return build_parser(cmd_train, cmd_evaluate, cmd_subset)


def main(argv=None):
    """Run the command line (``argv`` defaults to ``sys.argv[1:]``); returns the exit status."""
    args = build().parse_args(argv)
    if argv is None and args.command == "train":
        _restart_with_one_blas_thread()
    try:
        return args.run(args)
    except (UsageError, DataError) as e:
        print(f"mlp {args.command}: error: {e}", file=sys.stderr)
        return 2
    except OSError as e:  # missing or unreadable files, and the like
        print(f"mlp {args.command}: error: {_os_message(e)}", file=sys.stderr)
        return 2
    except MemoryError:
        print(f"mlp {args.command}: error: out of memory; try smaller --sizes, --batch-size or --subset",
              file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"mlp {args.command}: interrupted", file=sys.stderr)
        return 130
