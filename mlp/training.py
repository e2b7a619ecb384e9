"""The training loop, resumable in slices.

:class:`Trainer` keeps its place (epoch, batch, shuffled order), so
``trainer.run(max_batches=k)`` can train a little, return, and be called again
later: a page stays responsive and can stop training at any moment without
losing the model. ``trainer.fit()`` simply runs to the end.

Each epoch visits every training sample once, in a fresh random order, in
mini-batches of ``batch_size`` (the last one smaller if needed). After each
epoch the network is evaluated on the training and test sets and the figures
are appended to ``trainer.history``.
"""

import math
import numbers
import time

import numpy as np

from .checks import whole
from .labels import one_hot
from .losses import cross_entropy
from .optimizers import Optimizer, make_optimizer
from .regularization import Dropout, add_l2_gradient, check_coefficient, l2_penalty
from .schedules import make_schedule

# A mean batch loss above this many nats means the true class gets probability below
# e^-50 on average: the network is confidently wrong about almost every sample. With
# a stable softmax and a clipped log, a too-large learning rate often ends here
# rather than in NaN.
MAX_LOSS = 50.0


class TrainingDiverged(FloatingPointError):
    """The loss became NaN, infinite or absurdly large: the learning rate is almost always too large."""


class Trainer:
    """Mini-batch training of a :class:`mlp.Network`, in as many slices as wanted.

    Parameters
    ----------
    network : mlp.Network
    optimizer : mlp.optimizers.Optimizer or str
        An optimiser, or a name from :data:`mlp.optimizers.OPTIMIZERS` with default settings.
    x_train : ndarray, shape (n, sizes[0])
        Floating-point inputs (pixels scaled to [0, 1]).
    y_train : ndarray, shape (n,) labels or (n, classes) one-hot
    x_test, y_test : ndarray, optional
        Evaluated after every epoch if given.
    batch_size, epochs : int
    callbacks : sequence of mlp.callbacks.Callback
    seed : int or None
        Seeds the generator that shuffles the training set each epoch.
    evaluate_train : bool
        Whether each epoch also measures loss and accuracy on the whole training set.
    eval_name : str
        What to call the ``x_test, y_test`` set in logs and charts: "test", or
        "validation" when it is held-out training data used to choose settings.
        The history keys stay ``test_loss`` and ``test_acc``.
    l2 : float >= 0
        Coefficient lambda of the L2 term ``lambda / 2 * sum(W ** 2)`` over the weights,
        added to each batch's loss, and ``lambda * W`` to each weight's gradient
        (:mod:`mlp.regularization`). The per-epoch losses in :attr:`history` are the
        plain cross-entropy, without it.
    dropout : float in [0, 1), or mlp.regularization.Dropout
        Dropout rate of the hidden layers during training steps (0: none); a rate gets
        its own generator seeded with ``seed``. Evaluation never drops units.
    schedule : str, callable or None
        Learning-rate schedule, a name in :data:`mlp.schedules.SCHEDULES` (default
        options) or a schedule object from :func:`mlp.make_schedule`. It scales the
        optimiser's initial learning rate before every batch (see :mod:`mlp.schedules`).

    Attributes
    ----------
    history : list of dict
        One record per finished epoch: ``epoch``, ``seconds``, ``train_loss``,
        ``train_acc``, ``test_loss``, ``test_acc`` (None where not measured).
    epoch : int
        Epochs finished.
    batch : int
        Batches done in the current epoch.
    batches_per_epoch, samples : int
        ``ceil(n / batch_size)``; samples trained on so far.
    elapsed : float
        Seconds spent inside :meth:`run` so far.
    done : bool
        True once all epochs ran or training was stopped.
    stop_reason : str or None
    """

    def __init__(self, network, optimizer, x_train, y_train, x_test=None, y_test=None, *,
                 batch_size=128, epochs=10, callbacks=(), seed=0, evaluate_train=True, eval_name="test",
                 l2=0.0, dropout=0.0, schedule=None):
        self.network = network
        self.optimizer = make_optimizer(optimizer) if isinstance(optimizer, str) else optimizer
        if not isinstance(self.optimizer, Optimizer):
            raise TypeError(f"optimizer must be an mlp Optimizer or a name; got {optimizer!r}")
        self.batch_size = whole("batch_size", batch_size)
        self.epochs = whole("epochs", epochs)
        self.x_train, self.y_train = self._data(x_train, y_train, "train")
        if (x_test is None) != (y_test is None):
            raise ValueError("give both x_test and y_test, or neither")
        self.x_test, self.y_test = (None, None) if x_test is None else self._data(x_test, y_test, "test")
        self.callbacks = list(callbacks)
        self.evaluate_train = evaluate_train
        if not (isinstance(eval_name, str) and eval_name.strip()):
            raise ValueError(f"eval_name must be a non-empty string such as 'test' or 'validation'; "
                             f"got {eval_name!r}")
        self.eval_name = eval_name
        self.rng = np.random.default_rng(seed)
        self._regularize(l2, dropout, schedule, seed)
        self.batches_per_epoch = math.ceil(len(self.x_train) / self.batch_size)
        self.history = []
        self.epoch = self.batch = self.samples = 0
        self.elapsed = 0.0
        self.done, self.stop_reason = False, None
        self._started = self._running = self._stopping = False
        self._order = None  # this epoch's permutation of the training set

    def _data(self, x, y, part):
        """Inputs and one-hot targets in the network's dtype."""
        x = self.network.check_inputs(x)
        y = np.asarray(y)
        k = self.network.sizes[-1]
        if y.ndim == 1:
            y = one_hot(y, k, dtype=self.network.dtype)
        elif y.ndim == 2 and y.shape[1] == k:
            y = y.astype(self.network.dtype, copy=False)
        else:
            raise ValueError(f"y_{part} must be labels (n,) or one-hot (n, {k}); got shape {y.shape}")
        if len(x) != len(y) or len(x) == 0:
            raise ValueError(f"x_{part} and y_{part} must hold the same, non-zero number of samples; "
                             f"got {len(x)} and {len(y)}")
        return x, y

    def _regularize(self, l2, dropout, schedule, seed):
        """Check and keep the L2 coefficient, the dropout and the learning-rate schedule."""
        self.l2 = check_coefficient("l2", l2)
        self.dropout = dropout if isinstance(dropout, Dropout) else Dropout(dropout, seed)
        if self.dropout.rate == 0:
            self.dropout = None
        self.schedule = make_schedule(schedule) if isinstance(schedule, str) else schedule
        if self.schedule is not None and not callable(self.schedule):
            raise TypeError(f"schedule must be a schedule name or object (see mlp.make_schedule); got {schedule!r}")
        self.initial_learning_rate = self.optimizer.learning_rate
        if self.schedule is not None:
            self.schedule(0.0, self.epochs)  # a warm-up longer than training fails here, not later

    # -- control -------------------------------------------------------------

    def run(self, max_batches=None, max_seconds=None):
        """Train for at most ``max_batches`` batches and/or ``max_seconds`` seconds.

        Epoch ends (evaluation, ``on_epoch_end``) happen inside whenever an
        epoch completes. Without limits, runs to the end. Unless training is
        over, every call runs at least one batch, whatever ``max_seconds``.
        ``max_seconds`` is checked before each batch, so a slice ends within one
        batch (plus one epoch-end evaluation) of it: a page trains in slices of a
        fraction of a second and stays responsive in between.

        Raises ``ValueError`` for a ``max_batches`` that is not a positive integer
        or a ``max_seconds`` that is not a finite number >= 0.

        Returns
        -------
        bool
            :attr:`done`.

        Raises
        ------
        TrainingDiverged
            If a batch loss is NaN, infinite or above :data:`MAX_LOSS`
            (training is then over).
        """
        if max_batches is not None:
            whole("max_batches", max_batches)
        if max_seconds is not None and (isinstance(max_seconds, bool)
                                        or not isinstance(max_seconds, numbers.Real)
                                        or not 0 <= max_seconds < math.inf):
            raise ValueError(f"max_seconds must be a finite number of seconds >= 0; got {max_seconds!r}")
        if self.done:
            return True
        self._t0, self._base = time.perf_counter(), self.elapsed
        self._running = True
        try:
            if not self._started:
                self._started = True
                self._call("on_train_begin")
            count = 0
            with np.errstate(over="ignore", invalid="ignore"):  # divergence is reported below instead
                while not (self._stopping or self.done):
                    if max_batches is not None and count >= max_batches:
                        break
                    if max_seconds is not None and count and self._now() - self._base >= max_seconds:
                        break
                    self._train_batch()
                    count += 1
        finally:
            self._running = False
            self.elapsed = self._now()
        if self._stopping and not self.done:
            self._finish()
        return self.done

    def fit(self):
        """Train to the end; returns :attr:`history`."""
        while not self.run():
            pass
        return self.history

    def stop(self, reason="stopped"):
        """End training early (from a callback or between slices); keeps the model."""
        self.stop_reason = reason
        self._stopping = True
        if not self._running and not self.done:
            self._finish()

    # -- the loop ------------------------------------------------------------

    def _now(self):
        return self._base + time.perf_counter() - self._t0

    def _call(self, hook, *args):
        for callback in self.callbacks:
            getattr(callback, hook)(self, *args)

    def _train_batch(self):
        if self.batch == 0:
            self._order = self.rng.permutation(len(self.x_train))  # one shuffle per epoch
            self._epoch_start = self._now()
            self._call("on_epoch_begin", self.epoch + 1)
        idx = self._order[self.batch * self.batch_size:(self.batch + 1) * self.batch_size]
        if self.schedule is not None:
            done = self.epoch + self.batch / self.batches_per_epoch  # epochs done, a float
            self.optimizer.learning_rate = self.initial_learning_rate * self.schedule(done, self.epochs)
        loss = self.step(self.x_train[idx], self.y_train[idx])
        self.batch += 1
        self.samples += len(idx)
        if not loss <= MAX_LOSS:  # also true for NaN
            self._diverged(loss)
        self._call("on_batch_end", {"epoch": self.epoch + 1, "batch": self.batch,
                                    "batches": self.batches_per_epoch, "loss": loss,
                                    "samples": self.samples, "elapsed": self._now()})
        if self.batch == self.batches_per_epoch:
            self._end_epoch()

    def step(self, x, y):
        """One gradient step on a batch: forward, loss, backward, update. Returns the batch loss."""
        p = self.network.forward(x, dropout=self.dropout)  # (batch, classes)
        loss = cross_entropy(p, y)
        grads = self.network.backward(p, y)
        if self.l2:
            loss += l2_penalty(self.network.params, self.l2)
            add_l2_gradient(self.network.params, grads, self.l2)
        self.optimizer.step(self.network.params, grads)
        return loss

    def _end_epoch(self):
        self.epoch += 1
        self.batch = 0
        train = self.network.evaluate(self.x_train, self.y_train) if self.evaluate_train else (None, None)
        test = self.network.evaluate(self.x_test, self.y_test) if self.x_test is not None else (None, None)
        record = {"epoch": self.epoch, "seconds": self._now() - self._epoch_start,
                  "train_loss": train[0], "train_acc": train[1], "test_loss": test[0], "test_acc": test[1]}
        self.history.append(record)
        self._call("on_epoch_end", record)
        if self.epoch >= self.epochs:
            self._finish()

    def _finish(self):
        self.done = True
        self._call("on_train_end")

    def _diverged(self, loss):
        lr = self.optimizer.learning_rate
        message = (f"training diverged: the loss became {loss:.4g} at epoch {self.epoch + 1}, "
                   f"batch {self.batch}, with learning rate {lr:g}; "
                   f"try a smaller learning rate, e.g. {lr / 10:g}")
        self.stop_reason = message
        self._finish()
        raise TrainingDiverged(message)


def train(network, x_train, y_train, x_test=None, y_test=None, *, optimizer="sgd", batch_size=128,
          epochs=10, callbacks=(), seed=0, eval_name="test", **optimizer_options):
    """Train ``network`` to the end and return the history (a list of dicts).

    ``optimizer`` is an :class:`~mlp.optimizers.Optimizer` or a name, built
    with ``optimizer_options``: ``train(net, x, y, optimizer="momentum",
    learning_rate=4, beta=0.9)``.
    """
    if isinstance(optimizer, str):
        optimizer = make_optimizer(optimizer, **optimizer_options)
    elif optimizer_options:
        raise TypeError("optimizer options are only accepted with an optimizer name")
    trainer = Trainer(network, optimizer, x_train, y_train, x_test, y_test, batch_size=batch_size,
                      epochs=epochs, callbacks=callbacks, seed=seed, eval_name=eval_name)
    return trainer.fit()
