"""``page.ProgressCallback``: live training progress in a cell, for ``mlp.Trainer``.

The numbers come from mlp's one progress recorder, :class:`mlp.tools.history.HistoryRecorder`
(the lab uses the same); this module only turns them into the page's figures.
"""

import math
import sys
import time

from mlp.callbacks import Callback, format_record
from mlp.tools.diagnosis import diagnose
from mlp.tools.history import HistoryRecorder

from mlpsite import page



class ProgressCallback(Callback):
    """Live training progress in the cell, for ``mlp.Trainer(callbacks=[...])``.

    Draws a chart of the batch loss with the per-epoch train and evaluation loss, and
    an accuracy chart once an epoch has finished; shows a progress line (epoch, batch,
    loss); logs one summary line per epoch unless ``log=False`` (in the page a log box
    that scrolls sideways instead of wrapping; natively printed). The evaluation set is
    named as the trainer names it (``Trainer(eval_name="validation")``: "validation
    loss"). Updates go to the page at most once per ``interval`` seconds, plus one at
    every epoch's end.

    It also sends ``page.send("progress", ...)`` and ``page.send("epoch", ...)`` messages
    (the same figures as plain numbers) for pages that draw their own display.

    Raises ValueError if ``interval`` is not a positive number of seconds.
    """

    def __init__(self, interval=0.25, title="Training", log=True):
        if isinstance(interval, bool) or not (isinstance(interval, (int, float)) and interval > 0):
            raise ValueError(f"interval must be a positive number of seconds; got {interval!r}")
        self.interval, self.title, self.log = float(interval), title, log
        self.recorder = HistoryRecorder(points_per_epoch=None, smoothing=0.0)  # every raw batch loss
        self.lines = []                     # the log: one line per epoch
        self._last = -math.inf
        self._id = f"progress-{id(self):x}"

    @property
    def eval_name(self):
        """What the trainer calls its evaluation set: "test" or "validation"."""
        return self.recorder.eval_name

    def on_train_begin(self, trainer):
        self.recorder.on_train_begin(trainer)
        self._last = -math.inf

    def on_batch_end(self, trainer, info):
        self.recorder.on_batch_end(trainer, info)
        now = time.perf_counter()
        if now - self._last >= self.interval:
            self._last = now
            page.send("progress", epoch=info["epoch"], epochs=trainer.epochs, batch=info["batch"],
                      batches=info["batches"], loss=float(info["loss"]), samples=info["samples"],
                      elapsed=info["elapsed"])
            self._draw()

    def on_epoch_end(self, trainer, record):
        self.recorder.on_epoch_end(trainer, record)
        page.send("epoch", **record, epochs=trainer.epochs, eval_name=self.eval_name)
        self._last = time.perf_counter()
        self._draw()
        if self.log:
            self._log(format_record(record, trainer.epochs, self.eval_name))

    def on_train_end(self, trainer):
        self._draw()
        page.send("progress", done=True, epoch=trainer.epoch, epochs=trainer.epochs,
                  stop_reason=getattr(trainer, "stop_reason", None))
        if warning := diagnose(trainer):  # a loss above ln(classes): worse than guessing
            print(f"Warning: {warning}", file=sys.stderr, flush=True)

    def _log(self, line):
        self.lines.append(line)
        if page.in_browser():
            page.log(self.lines, key=self._id + "#log")
        else:
            print(line, flush=True)

    def _draw(self):
        # Series roles (page.SERIES_ROLES) give train and evaluation one colour in both charts.
        points, records = self.recorder.points, self.recorder.records
        if not points:
            return
        x = [p[0] for p in points]
        series, roles = {"batch loss": [p[1] for p in points]}, {"batch loss": "batch"}
        ends = {round(r["epoch"], 6): r for r in records}
        for field, part in (("train_loss", "train"), ("test_loss", self.eval_name)):
            values = [ends[e].get(field) if e in ends else None for e in (round(v, 6) for v in x)]
            if any(v is not None for v in values):
                name = f"{part} loss (epoch)"
                series[name] = [math.nan if v is None else v for v in values]
                roles[name] = "train" if part == "train" else "eval"
        page.chart(x, series, title=f"{self.title}: loss", xlabel="epoch", ylabel="cross-entropy",
                   colors=roles, key=self._id + "#loss")
        if not records:
            return
        accuracy, roles = {}, {}
        for field, part in (("train_acc", "train"), ("test_acc", self.eval_name)):
            values = [r.get(field) for r in records]
            if all(v is not None for v in values):
                accuracy[f"{part} accuracy"] = values
                roles[f"{part} accuracy"] = "train" if part == "train" else "eval"
        if accuracy:
            page.chart([r["epoch"] for r in records], accuracy, title=f"{self.title}: accuracy",
                       xlabel="epoch", ylabel="accuracy", colors=roles, key=self._id + "#accuracy")
