"""The command line's regularisation options: ``python -m mlp train --dropout 0.2 ...``.

Kept apart from :mod:`mlp.cli`, which calls :func:`add_arguments` on its ``train``
parser and passes :func:`trainer_options` to :class:`mlp.Trainer`.
"""

from .regularization import Dropout, check_coefficient
from .schedules import SCHEDULES, make_schedule


def add_arguments(parser):
    """Add the regularisation and schedule options to an ``argparse`` parser."""
    group = parser.add_argument_group("regularisation and learning-rate schedule")
    group.add_argument("--weight-decay", type=float, default=0.0, metavar="LAMBDA",
                       help="decoupled weight decay: each step, weights shrink by lr x LAMBDA "
                            "(AdamW with --optimizer adam; default 0)")
    group.add_argument("--l2", type=float, default=0.0, metavar="LAMBDA",
                       help="L2 term LAMBDA/2 x sum of squared weights added to the loss (default 0)")
    group.add_argument("--dropout", type=float, default=0.0, metavar="RATE",
                       help="dropout rate of the hidden layers during training, in [0, 1) (default 0)")
    group.add_argument("--schedule", choices=list(SCHEDULES), default="constant",
                       help="learning-rate schedule (default constant)")
    group.add_argument("--warmup-epochs", type=float, metavar="E",
                       help="cosine schedule: epochs of linear warm-up (default 0)")
    group.add_argument("--step-epochs", type=int, metavar="S",
                       help="step schedule: epochs between two drops (default 5)")
    group.add_argument("--gamma", type=float, help="step schedule: factor at each drop (default 0.1)")


SCHEDULE_OPTIONS = {"warmup_epochs": ("cosine", "--warmup-epochs"), "step_epochs": ("step", "--step-epochs"),
                    "gamma": ("step", "--gamma")}


def trainer_options(args):
    """``{"l2", "dropout", "schedule"}`` for :class:`mlp.Trainer` from parsed arguments.

    Raises
    ------
    ValueError
        For a bad value, or a schedule option given with another schedule; the message
        names the option.
    """
    options = {}
    for name, (schedule, flag) in SCHEDULE_OPTIONS.items():
        value = getattr(args, name)
        if value is None:
            continue
        if args.schedule != schedule:
            raise ValueError(f"{flag} applies only to --schedule {schedule}")
        options[name] = value
    schedule = make_schedule(args.schedule, **options)
    schedule(0.0, args.epochs)  # a warm-up as long as the training fails here
    return {"l2": check_coefficient("l2", args.l2), "dropout": Dropout(args.dropout, seed=args.seed),
            "schedule": schedule}
