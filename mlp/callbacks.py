"""Training callbacks: the training loop's only way to report or to be stopped.

A callback subclasses :class:`Callback` and overrides any of its hooks. The
trainer calls them with itself and a plain dict (easy to forward as JSON):

- ``on_train_begin(trainer)``
- ``on_epoch_begin(trainer, epoch)``
- ``on_batch_end(trainer, info)``: ``info`` has ``epoch`` (1-based), ``batch``
  (1-based within the epoch), ``batches`` (per epoch), ``loss`` (this batch),
  ``samples`` (seen so far) and ``elapsed`` (seconds of training so far).
- ``on_epoch_end(trainer, record)``: ``record`` is the epoch's history entry.
- ``on_train_end(trainer)``: after the last epoch, or when stopped.

To stop training early, a hook calls ``trainer.stop(reason)``.
"""

import math
import sys
import time


class Callback:
    """Base class; every hook does nothing."""

    def on_train_begin(self, trainer):
        pass

    def on_epoch_begin(self, trainer, epoch):
        pass

    def on_batch_end(self, trainer, info):
        pass

    def on_epoch_end(self, trainer, record):
        pass

    def on_train_end(self, trainer):
        pass


class ProgressBar(Callback):
    """A one-line progress bar, redrawn at most every ``interval`` seconds.

    ``epoch 3/10 [##########..........] 234/469 loss 0.1234 5.2s``

    It draws only on a terminal (``stream.isatty()``), unless ``force``:
    redrawn lines would pile up in a log file.
    """

    def __init__(self, stream=None, width=24, interval=0.1, force=False):
        self.stream, self.width, self.interval, self.force = stream, width, interval, force
        self._last = -math.inf
        self._shown = 0  # length of the line on screen

    def _write(self, text):
        stream = self.stream or sys.stderr
        stream.write("\r" + text.ljust(self._shown))
        stream.flush()
        self._shown = len(text)

    def on_batch_end(self, trainer, info):
        now = time.perf_counter()
        if now - self._last < self.interval and info["batch"] < info["batches"]:
            return
        stream = self.stream or sys.stderr
        if not (self.force or (hasattr(stream, "isatty") and stream.isatty())):
            return
        self._last = now
        filled = self.width * info["batch"] // info["batches"]
        bar = "#" * filled + "." * (self.width - filled)
        self._write(f"epoch {info['epoch']}/{trainer.epochs} [{bar}] {info['batch']}/{info['batches']} "
                    f"loss {info['loss']:.4f} {info['elapsed']:.1f}s")

    def on_epoch_end(self, trainer, record):
        self._clear()

    def on_train_end(self, trainer):
        self._clear()

    def _clear(self):
        if self._shown:
            self._write("")
            (self.stream or sys.stderr).write("\r")
            self._shown = 0


def format_record(record, epochs=None, eval_name="test"):
    """One line summarising an epoch's history record.

    ``epoch 2/5: 1.20s, train loss 0.3012, train acc 0.9110, test loss 0.3101, test acc 0.9080``.
    Figures that were not measured (None) are left out; ``eval_name`` names the
    evaluation set ("validation loss ...").
    """
    head = f"epoch {record['epoch']}" + (f"/{epochs}" if epochs else "")
    parts = [f"{head}: {record['seconds']:.2f}s"]
    for prefix, loss, acc in (("train", "train_loss", "train_acc"), (eval_name, "test_loss", "test_acc")):
        if record.get(loss) is not None:
            parts.append(f"{prefix} loss {record[loss]:.4f}")
        if record.get(acc) is not None:
            parts.append(f"{prefix} acc {record[acc]:.4f}")
    return ", ".join(parts)


class EpochLog(Callback):
    """Print one summary line per epoch (to stdout by default)."""

    def __init__(self, stream=None):
        self.stream = stream

    def on_epoch_end(self, trainer, record):
        line = format_record(record, trainer.epochs, getattr(trainer, "eval_name", "test"))
        print(line, file=self.stream or sys.stdout, flush=True)

