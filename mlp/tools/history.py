"""One progress recorder for every front end: the lab, the page's live charts, the CLI.

:class:`HistoryRecorder` is a training callback that keeps a chart's worth of
batch losses (optionally thinned and smoothed) and every epoch's record, and hands
over what is new since the last call of :meth:`HistoryRecorder.take`, so a page
that trains in slices draws only what changed.
"""

import math

from ..callbacks import Callback
from ..checks import whole


class HistoryRecorder(Callback):
    """Record batch-loss points and epoch records as training goes.

    Parameters
    ----------
    points_per_epoch : int or None
        Keep at most about this many batch-loss points per epoch (every
        ``batches_per_epoch // points_per_epoch``-th batch, and each epoch's last);
        None keeps every batch.
    smoothing : float in [0, 1)
        Weight of the past in an exponential moving average of the batch loss,
        bias-corrected so early points are not pulled towards 0 (as Adam corrects
        its averages); 0 records the raw batch losses.

    Attributes
    ----------
    points : list of [float, float]
        ``[position, loss]``: position in epochs (1.5 is halfway through the second
        epoch), loss in nats. Non-finite losses are not recorded.
    records : list of dict
        The trainer's epoch records (see :class:`mlp.Trainer`), copies.
    latest : dict or None
        The last ``on_batch_end`` info (epoch, batch, batches, loss, samples, elapsed).
    eval_name : str
        What the trainer calls its evaluation set ("test", "validation"), for labels.
    """

    def __init__(self, points_per_epoch=40, smoothing=0.9):
        if points_per_epoch is not None:
            points_per_epoch = whole("points_per_epoch", points_per_epoch, what="a positive integer or None")
        if not 0 <= smoothing < 1:
            raise ValueError(f"smoothing must be in [0, 1); got {smoothing!r}")
        self.points_per_epoch, self.smoothing = points_per_epoch, float(smoothing)
        self.points, self.records, self.latest = [], [], None
        self.eval_name = "test"
        self._average = self._weight = 0.0
        self._stride = 1
        self._taken = (0, 0)  # points, records already handed over by take()

    def on_train_begin(self, trainer):
        self.eval_name = getattr(trainer, "eval_name", "test")
        if self.points_per_epoch:
            self._stride = max(1, trainer.batches_per_epoch // self.points_per_epoch)

    def on_batch_end(self, trainer, info):
        self.latest = dict(info)
        loss = float(info["loss"])
        if not math.isfinite(loss):
            return
        self._average = self.smoothing * self._average + (1 - self.smoothing) * loss
        self._weight = self.smoothing * self._weight + (1 - self.smoothing)
        if info["batch"] % self._stride == 0 or info["batch"] == info["batches"]:
            position = info["epoch"] - 1 + info["batch"] / info["batches"]
            self.points.append([round(position, 6), self._average / self._weight])

    def on_epoch_end(self, trainer, record):
        self.records.append(dict(record))

    def take(self):
        """``(points, records)`` added since the last call (all of them on the first)."""
        p, r = self._taken
        self._taken = (len(self.points), len(self.records))
        return self.points[p:], self.records[r:]
