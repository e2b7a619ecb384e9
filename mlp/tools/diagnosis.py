"""Plain-language diagnoses of a training run, shared by the CLI, the lab and the page.

A network that guesses every one of ``k`` classes with probability ``1/k`` has
mean cross-entropy ``ln k`` (2.30 nats for 10 digits). A run whose loss stays
above that has learned less than nothing: almost always the learning rate is too
high for the batch size, so the weights jump past every minimum (divergence, the
extreme case, is caught by the trainer as a NaN or huge loss).
"""

import math

from ..checks import whole


def guessing_loss(n_classes=10):
    """``ln(n_classes)``: the cross-entropy (nats) of predicting every class with probability 1/n_classes."""
    return math.log(whole("n_classes", n_classes, low=2, what="an integer of at least 2"))


def worse_than_guessing(loss, n_classes=10, learning_rate=None, batch_size=None, what="loss"):
    """A one-line warning if ``loss`` is above :func:`guessing_loss`, else None.

    Parameters
    ----------
    loss : float or None
        Mean cross-entropy in nats, e.g. the last epoch's training loss (None: no warning).
    n_classes : int
    learning_rate, batch_size : optional
        Named in the message as the likely cause, with a smaller learning rate to try.
    what : str
        How the message names the loss ("train loss", "validation loss").
    """
    if loss is None:
        return None
    loss, guess = float(loss), guessing_loss(n_classes)
    if loss <= guess:  # False for NaN too: that is reported below
        return None
    if math.isnan(loss):
        loss_text = "NaN"
    else:
        loss_text = f"{loss:.2f}"
    message = (f"worse than guessing: the {what} {loss_text} is above ln({n_classes}) = {guess:.2f}, "
               f"the loss of giving each of the {n_classes} classes probability 1/{n_classes}")
    if learning_rate is not None:
        lr = float(learning_rate)
        batch = f" for batch size {batch_size}" if batch_size is not None else ""
        message += (f"; the learning rate {lr:g} is likely too high{batch}: "
                    f"try a smaller one, e.g. {lr / 10:g}")
        if batch_size is not None:
            message += ", or larger batches"
    return message


def diagnose(trainer):
    """:func:`worse_than_guessing` for a :class:`mlp.Trainer`'s last epoch, or None.

    Uses the last record's train loss, or its evaluation-set loss when the train
    loss was not measured; None before the first epoch ends.
    """
    if not trainer.history:
        return None
    record = trainer.history[-1]
    if record.get("train_loss") is not None:
        loss, what = record["train_loss"], "train loss"
    else:
        loss, what = record.get("test_loss"), f"{getattr(trainer, 'eval_name', 'test')} loss"
    return worse_than_guessing(loss, trainer.network.sizes[-1], trainer.optimizer.learning_rate,
                               trainer.batch_size, what=what)
