"""The SIMD matrix-product kernel against the pure-NumPy path, in one run, and where a batch's time goes.

scripts/bench.py sends this file's text to the browser's worker (``runtime.run``), where
mlp.ops can use either backend, and runs it natively, where only NumPy (with its BLAS) is
there. It prints one line ``BENCH <json>``:

- ``throughput``: samples/s of the gradient steps, per configuration and backend, median
  over epochs of the 10,000-image subset;
- ``phases``: milliseconds per batch spent in each part of a step (median over batches);
- ``full_run``: the tutorial's first experiment in full (60,000 images, 10 epochs, sigmoid,
  momentum, learning rate 4, batch 128, float32) with each epoch's evaluation on the 10,000
  test images: seconds and test accuracy.

    python scripts/bench_kernel.py SUBSET.npz [FULL.npz] [RUNS]
"""

import json
import statistics
import sys
import time

import mlp
from mlp import ops

CONFIGS = {
    "default": {"label": "784-64-10 sigmoid, momentum, float32", "sizes": [784, 64, 10],
                "activation": "sigmoid", "optimizer": "momentum", "lr": 4.0},
    "deep": {"label": "784-128-64-10 ReLU, Adam, float32", "sizes": [784, 128, 64, 10],
             "activation": "relu", "optimizer": "adam", "lr": 0.001},
}
BATCH = 128


def _optimizer(config):
    options = {"beta": 0.9} if config["optimizer"] == "momentum" else {}
    return mlp.make_optimizer(config["optimizer"], config["lr"], **options)


def _backends():
    """The backends to compare here: both inside Pyodide when the kernel loads, else NumPy's."""
    return list(ops.BACKENDS) if ops.backend() == "kernel" else ["numpy"]


def throughput(data, config, epochs):
    """Samples/s of the gradient steps alone, median over ``epochs`` epochs."""
    x, y = data
    network = mlp.Network(config["sizes"], activation=config["activation"], seed=0)
    trainer = mlp.Trainer(network, _optimizer(config), x, y, batch_size=BATCH, epochs=epochs, seed=0,
                          evaluate_train=False)
    return len(x) / statistics.median(record["seconds"] for record in trainer.fit())


class PhaseTimer:
    """Wraps methods and functions so that each call adds its duration to a named phase."""

    def __init__(self):
        self.seconds = {}
        self._undo = []

    def wrap(self, owner, name, phase):
        original = getattr(owner, name)

        def timed(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[phase] = self.seconds.get(phase, 0.0) + time.perf_counter() - t0

        setattr(owner, name, timed)
        self._undo.append((owner, name, original))

    def restore(self):
        for owner, name, original in reversed(self._undo):
            setattr(owner, name, original)
        self._undo.clear()


def phases(data, config, batches=120):
    """Milliseconds per batch in each phase of a training step (the batch's gather, forward,
    loss, backward, optimiser), over ``batches`` batches after 20 of warm-up.

    The network's layers are mlp.tools.fast.Dense here also natively, so that their products
    go through one function to time (natively mlp.ops.matmul is ``a @ b``)."""
    from mlp import network as network_module
    from mlp import training  # noqa: PLC0415
    from mlp.tools import fast

    x, y = data
    layer, mlp.Network.Layer = mlp.Network.Layer, fast.Dense
    try:
        network = mlp.Network(config["sizes"], activation=config["activation"], seed=0)
    finally:
        mlp.Network.Layer = layer
    trainer = mlp.Trainer(network, _optimizer(config), x, y, batch_size=BATCH, epochs=2, seed=0,
                          evaluate_train=False)
    timer = PhaseTimer()
    timer.wrap(fast, "matmul", "matrix products")
    timer.wrap(network_module, "softmax", "softmax")
    timer.wrap(training, "cross_entropy", "loss")
    timer.wrap(network_module, "softmax_cross_entropy_grad", "loss gradient")
    timer.wrap(trainer.optimizer, "step", "optimiser")
    timer.wrap(mlp.Network, "forward", "forward")
    timer.wrap(mlp.Network, "backward", "backward")
    windows = []
    try:
        trainer.run(max_batches=20)  # warm-up: the kernel loaded and compiled by the engine's optimiser
        while len(windows) < batches // 20:
            timer.seconds.clear()
            t0 = time.perf_counter()
            trainer.run(max_batches=20)
            windows.append(dict(timer.seconds, batch=time.perf_counter() - t0))
    finally:
        timer.restore()
    # Means, not medians, so that the parts add up to the batch.
    ms = {k: 1e3 * sum(w.get(k, 0.0) for w in windows) / (20 * len(windows)) for k in windows[0]}
    loss = ms["softmax"] + ms["loss"] + ms["loss gradient"]
    passes = ms["forward"] + ms["backward"]
    elementwise = passes - ms["matrix products"] - ms["softmax"] - ms["loss gradient"]
    other = ms["batch"] - passes - ms["loss"] - ms["optimiser"]  # gather, callbacks, the loop
    return {
        "batch": ms["batch"],
        "matrix products": ms["matrix products"],
        "bias, activations and their derivatives, db": elementwise,
        "softmax, loss and its gradient": loss,
        "optimiser": ms["optimiser"],
        "batch gather and bookkeeping": other,
    }


def full_run(path, backend):
    """The tutorial's first experiment, in full, as the lab runs it: seconds and test accuracy."""
    raw = mlp.load_subset(path)
    x, x_test = mlp.normalize(raw.x_train), mlp.normalize(raw.x_test)
    ops.set_backend(backend)
    config = CONFIGS["default"]
    network = mlp.Network(config["sizes"], activation="sigmoid", seed=0)
    t0 = time.perf_counter()
    trainer = mlp.Trainer(network, _optimizer(config), x, raw.y_train, x_test, raw.y_test, batch_size=BATCH,
                          epochs=10, seed=0, evaluate_train=False)
    history = trainer.fit()
    return {"backend": backend, "images": len(x), "epochs": len(history),
            "seconds": time.perf_counter() - t0, "test_accuracy": history[-1]["test_acc"]}


def main(subset, full=None, runs=3):
    raw = mlp.load_subset(subset)
    data = (mlp.normalize(raw.x_train), raw.y_train)
    out = {"backends": _backends(), "throughput": {}, "phases": {}, "full_run": None}
    for backend in out["backends"]:
        ops.set_backend(backend)
        out["throughput"][backend] = {name: throughput(data, conf, runs) for name, conf in CONFIGS.items()}
        out["phases"][backend] = {name: phases(data, config) for name, config in CONFIGS.items()}
    if full:
        out["full_run"] = full_run(full, out["backends"][-1])
    ops.set_backend(out["backends"][-1])
    return out


if __name__ == "__main__":
    args = sys.argv[1:]
    print("BENCH " + json.dumps(main(args[0], args[1] if len(args) > 1 else None,
                                     int(args[2]) if len(args) > 2 else 3)))
