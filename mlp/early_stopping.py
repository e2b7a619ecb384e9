"""Keeping the best epoch, and early stopping: two callbacks on the evaluation figures.

After every epoch :class:`mlp.Trainer` measures the network on the set it evaluates (the
history keys ``test_loss`` and ``test_acc``; pass it a validation set, never the test
set, when these choices decide anything). :class:`KeepBest` copies the weights whenever
the monitored figure improves, and puts the best copy back when training ends, however it
ends (last epoch, :meth:`~mlp.Trainer.stop`, or divergence). :class:`EarlyStopping` does
the same and also stops training once the figure has not improved for ``patience``
epochs: stopping early is itself a regulariser, since the weights have less time to fit
the training set's noise.
"""

import math

from .callbacks import Callback
from .checks import whole


def describe(monitor, eval_name="test"):
    """A history key in words: ``"test_loss"`` -> ``"validation loss"`` when the trainer's
    ``eval_name`` is "validation"; ``"train_acc"`` -> ``"train accuracy"``."""
    part, _, figure = monitor.rpartition("_")
    if part not in ("train", "test") or figure not in ("loss", "acc"):
        return monitor
    return f"{eval_name if part == 'test' else part} {'accuracy' if figure == 'acc' else 'loss'}"


def _patience(value):
    return whole("patience", value, what="a whole number of epochs >= 1")


class KeepBest(Callback):
    """Remember the weights of the best epoch and restore them at the end of training.

    Parameters
    ----------
    monitor : str
        A key of the trainer's history records: ``"test_loss"`` (lower is better; any key
        containing "loss") or ``"test_acc"`` (higher is better), or the ``train_`` ones.
    min_delta : float >= 0
        An epoch counts as better only if it beats the best by more than this.
    restore : bool
        Whether ``on_train_end`` copies the best weights back into the network.

    Attributes
    ----------
    best : float or None
        The best value of ``monitor`` so far.
    best_epoch : int or None
        The epoch (1-based) that reached it: the weights restored.
    restored_epoch : int or None
        Set by :meth:`restore`: the epoch whose weights the network now holds.

    Raises
    ------
    ValueError
        From ``on_epoch_end`` if the training does not measure ``monitor`` (for example
        ``"test_loss"`` with no evaluation set); the message lists what it measures.
    """

    def __init__(self, monitor="test_loss", min_delta=0.0, restore=True):
        if not isinstance(monitor, str):
            raise ValueError(f"monitor must be a history key such as 'test_loss'; got {monitor!r}")
        min_delta = float(min_delta)
        if not (math.isfinite(min_delta) and min_delta >= 0):
            raise ValueError(f"min_delta must be a number >= 0; got {min_delta!r}")
        self.monitor, self.min_delta, self.restore_at_end = monitor, min_delta, bool(restore)
        self.best = self.best_epoch = self.restored_epoch = None
        self.weights = None  # parameter name -> copy of the best epoch's array

    @property
    def lower_is_better(self):
        return "loss" in self.monitor

    def on_train_begin(self, trainer):
        self.best = self.best_epoch = self.restored_epoch = self.weights = None

    def on_epoch_end(self, trainer, record):
        """Copy the weights if ``record[monitor]`` is the best so far; return whether it was."""
        value = record.get(self.monitor)
        if value is None:
            raise ValueError(f"{type(self).__name__} monitors {self.monitor!r}, which this training does not "
                             f"measure; choose one of: {', '.join(k for k, v in record.items() if v is not None)}")
        sign = -1 if self.lower_is_better else 1  # compare as "higher is better"
        if self.best is None or sign * (value - self.best) > self.min_delta:
            self.best, self.best_epoch = value, record["epoch"]
            self.weights = {k: v.copy() for k, v in trainer.network.params.items()}
            return True
        return False

    def restore(self, network):
        """Copy the best epoch's weights into ``network`` (in place); returns that epoch or None."""
        if self.weights is None:
            return None
        for name, param in network.params.items():
            param[...] = self.weights[name]
        self.restored_epoch = self.best_epoch
        return self.restored_epoch

    def on_train_end(self, trainer):
        if self.restore_at_end:
            self.restore(trainer.network)

    def summary(self, eval_name="test"):
        """One line: which epoch was best, by what figure, and whether it was restored."""
        what = describe(self.monitor, eval_name)
        if self.best_epoch is None:
            return f"no epoch finished: nothing to keep by {what}"
        kept = "restored the weights of" if self.restored_epoch == self.best_epoch else "best"
        return f"{kept} epoch {self.best_epoch} ({what} {self.best:.4f})"


class EarlyStopping(KeepBest):
    """Stop when ``monitor`` has not improved for ``patience`` epochs; restore the best weights.

    Parameters
    ----------
    monitor, min_delta, restore
        As in :class:`KeepBest`. ``restore=False`` keeps the last epoch's weights.
    patience : int >= 1
        Epochs without improvement tolerated before stopping.

    Attributes
    ----------
    waited : int
        Epochs since the last improvement.
    stopped_epoch : int or None
        The epoch after which training was stopped, None if it ran to the end.

    The trainer's ``stop_reason`` names the epoch whose weights were restored.
    """

    def __init__(self, monitor="test_loss", patience=3, min_delta=0.0, restore=True):
        super().__init__(monitor, min_delta, restore)
        self.patience = _patience(patience)
        self.waited, self.stopped_epoch = 0, None

    def on_train_begin(self, trainer):
        super().on_train_begin(trainer)
        self.waited, self.stopped_epoch = 0, None

    def on_epoch_end(self, trainer, record):
        if super().on_epoch_end(trainer, record):
            self.waited = 0
            return
        self.waited += 1
        if self.waited >= self.patience:
            self.stopped_epoch = record["epoch"]
            then = f"; restoring the weights of epoch {self.best_epoch}" if self.restore_at_end else ""
            what = describe(self.monitor, getattr(trainer, "eval_name", "test"))
            trainer.stop(f"{what} has not improved for {self.patience} epochs "
                         f"(best {self.best:.4f} at epoch {self.best_epoch}){then}")
