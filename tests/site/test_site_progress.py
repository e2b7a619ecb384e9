"""mlpsite.page.ProgressCallback natively: it says when training ends worse than guessing."""

import mlp
from mlpsite.page import ProgressCallback


def train(data, learning_rate, batch_size):
    x, y = data.x_train[:1000], data.y_train[:1000]
    trainer = mlp.Trainer(mlp.Network([784, 16, 10], seed=0), mlp.Momentum(learning_rate, 0.9), x, y,
                          batch_size=batch_size, epochs=1, callbacks=[ProgressCallback(log=False)])
    trainer.fit()
    return trainer


def test_a_loss_above_ln10_at_the_end_is_called_worse_than_guessing(small, capsys):
    # sigmoid, momentum, learning rate 4, batch size 1: the loss stays near 4, above ln(10) = 2.30
    trainer = train(small, 4, 1)
    err = capsys.readouterr().err
    assert err.strip().splitlines()[-1] == "Warning: " + mlp.tools.diagnosis.diagnose(trainer)
    assert "worse than guessing: the train loss " in err and "batch size 1" in err

    train(small, 0.1, 32)
    assert "worse than guessing" not in capsys.readouterr().err
