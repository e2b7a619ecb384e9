"""Keeping the best epoch and early stopping, on real training runs."""

import numpy as np
import pytest

import mlp


class Snapshots(mlp.Callback):
    """Copies of the weights after every epoch."""

    def __init__(self):
        self.weights = {}

    def on_epoch_end(self, trainer, record):
        self.weights[record["epoch"]] = {k: v.copy() for k, v in trainer.network.params.items()}


def overfitting_trainer(small, callbacks, epochs=8):
    """200 training pictures and a large learning rate: the test loss turns up after a few epochs."""
    net = mlp.Network([784, 64, 10], activation="relu", init="he", seed=0)
    return mlp.Trainer(net, mlp.Adam(0.003), small.x_train[:200], small.y_train[:200],
                       small.x_test, small.y_test, batch_size=20, epochs=epochs, seed=0,
                       callbacks=callbacks)


def test_keep_best_restores_the_best_epochs_weights(small):
    snapshots, keep = Snapshots(), mlp.KeepBest("test_loss")
    trainer = overfitting_trainer(small, [snapshots, keep])
    trainer.fit()
    losses = [r["test_loss"] for r in trainer.history]
    best = int(np.argmin(losses)) + 1
    assert 1 < best < len(losses), losses  # the test loss did turn up: something to restore
    assert keep.best_epoch == keep.restored_epoch == best and keep.best == min(losses)
    for name, param in trainer.network.params.items():
        np.testing.assert_array_equal(param, snapshots.weights[best][name])
    assert trainer.network.evaluate(small.x_test, small.y_test)[0] == pytest.approx(min(losses))
    assert keep.summary() == f"restored the weights of epoch {best} (test loss {min(losses):.4f})"
    assert keep.summary("validation").endswith(f"(validation loss {min(losses):.4f})")


def test_keep_best_by_accuracy_without_restoring(small):
    keep = mlp.KeepBest("test_acc", restore=False)
    trainer = overfitting_trainer(small, [keep], epochs=4)
    trainer.fit()
    accs = [r["test_acc"] for r in trainer.history]
    assert keep.best == max(accs) and keep.best_epoch == accs.index(max(accs)) + 1
    assert keep.restored_epoch is None and keep.summary().startswith("best epoch")
    assert keep.restore(trainer.network) == keep.best_epoch  # what a page can do after Stop


def test_keep_best_after_a_stop_between_slices(small):
    keep = mlp.KeepBest("test_acc")
    trainer = overfitting_trainer(small, [keep])
    trainer.run(max_batches=25)  # two epochs and a half
    trainer.stop()
    assert trainer.epoch == 2 and keep.restored_epoch == keep.best_epoch in (1, 2)


def test_early_stopping_stops_and_restores(small):
    snapshots = Snapshots()
    stopper = mlp.EarlyStopping("test_loss", patience=2)
    trainer = overfitting_trainer(small, [snapshots, stopper], epochs=30)
    trainer.fit()
    best = stopper.best_epoch
    assert trainer.epoch == best + 2 == stopper.stopped_epoch < 30
    assert trainer.stop_reason == (f"test loss has not improved for 2 epochs (best {stopper.best:.4f} at epoch "
                                   f"{best}); restoring the weights of epoch {best}")
    for name, param in trainer.network.params.items():
        np.testing.assert_array_equal(param, snapshots.weights[best][name])


def test_early_stopping_with_min_delta_stops_after_patience(small):
    stopper = mlp.EarlyStopping("test_acc", patience=1, min_delta=1.0, restore=False)
    trainer = overfitting_trainer(small, [stopper], epochs=10)
    trainer.fit()
    assert trainer.epoch == 2 and stopper.best_epoch == 1 and stopper.restored_epoch is None


@pytest.mark.parametrize("options, message", [
    ({"patience": 0}, "patience must be a whole number of epochs >= 1; got 0"),
    ({"patience": 1.5}, "patience must be a whole number"),
    ({"min_delta": -1}, "min_delta must be a number >= 0"),
    ({"monitor": None}, "monitor must be a history key"),
])
def test_bad_settings_are_refused(options, message):
    with pytest.raises(ValueError, match=message):
        mlp.EarlyStopping(**options)


def test_the_stop_reason_names_the_evaluation_set(small):
    stopper = mlp.EarlyStopping("test_acc", patience=1, min_delta=1.0)
    net = mlp.Network([784, 8, 10], seed=0)
    trainer = mlp.Trainer(net, "sgd", small.x_train[:100], small.y_train[:100], small.x_test, small.y_test,
                          epochs=5, eval_name="validation", callbacks=[stopper])
    trainer.fit()
    assert trainer.stop_reason.startswith("validation accuracy has not improved for 1 epochs (best ")
