"""The training lab's Python side: mlp does the work, the page draws it.

The page (javascripts/lab-app.js) runs this file once in the worker, then calls
``await lab_call_async(name, args_json)`` for each action; the answer reaches the
page as JSON text in a ``page.send("lab", json=...)`` message. ``lab_call`` does
the same for synchronous actions and returns the JSON text instead.
Training happens in short slices, ``step`` running ``trainer.run(max_batches=k)``:
between two slices the worker is free, so the page can draw, predict a drawn
digit, or simply stop asking, which keeps the model trained so far.

Runs natively too (plain ``python``), which is how its tests check it.
"""

import base64
import io
import json
import math
import time

import numpy as np

import mlp

try:  # the bridge to the page, in the site's Python worker
    import page
except ImportError:
    page = None

INPUTS, CLASSES = 784, 10
POINTS_PER_EPOCH = 40    # smoothed batch-loss points per epoch sent to the chart, at most
SMOOTHING = 0.9          # weight of the past in the batch-loss moving average
MAX_MISTAKES = 48        # misclassified test images shown
MAX_UNITS_SHOWN = 64     # first-layer weight images shown

RUNS = {}                # run id -> Run
_DATA = {}               # path -> raw Dataset (uint8 pixels, integer labels)
_INPUTS = {}             # (path, part, dtype) -> normalised pixels


class LabError(Exception):
    """A problem the page shows as it is, without a traceback."""


def _finite(x):
    x = float(x)
    return x if math.isfinite(x) else None


def _raw(path):
    if path not in _DATA:
        try:
            _DATA[path] = mlp.load_subset(path)
        except (OSError, ValueError) as e:
            raise LabError(f"cannot read the data file {path}: {e}") from None
    return _DATA[path]


def _pixels(path, part, dtype):
    """Pixels of ``part`` ("train" or "test") of the data file, in [0, 1], as ``dtype``."""
    key = (path, part, dtype)
    if key not in _INPUTS:
        for k in [k for k in _INPUTS if k[0] == path and k[1] == part]:
            del _INPUTS[k]  # keep one dtype per part: the full set is large
        _INPUTS[key] = mlp.normalize(getattr(_raw(path), f"x_{part}"), dtype)
    return _INPUTS[key]


def make_optimizer(name, lr, beta):
    """The page's optimiser choices, mapped onto mlp's optimisers."""
    if name == "sgd":
        return mlp.SGD(learning_rate=lr)
    if name == "momentum":
        return mlp.Momentum(learning_rate=lr, beta=beta, form="average")
    if name == "classic":
        return mlp.Momentum(learning_rate=lr, beta=beta, form="classic")
    if name == "nesterov":
        return mlp.Momentum(learning_rate=lr, beta=beta, form="average", nesterov=True)
    if name == "rmsprop":
        return mlp.RMSProp(learning_rate=lr, rho=beta)
    if name == "adam":
        return mlp.Adam(learning_rate=lr, beta1=beta)
    raise LabError(f"unknown optimiser {name!r}")


class Recorder(mlp.Callback):
    """Keeps what the page has not drawn yet: smoothed batch losses and epoch records."""

    def __init__(self, batches_per_epoch):
        self.stride = max(1, batches_per_epoch // POINTS_PER_EPOCH)
        self.average, self.weight = 0.0, 0.0
        self.points, self.records = [], []

    def on_batch_end(self, trainer, info):
        loss = float(info["loss"])
        if not math.isfinite(loss):
            return
        # Bias-corrected moving average: early points are not pulled towards 0.
        self.average = SMOOTHING * self.average + (1 - SMOOTHING) * loss
        self.weight = SMOOTHING * self.weight + (1 - SMOOTHING)
        if info["batch"] % self.stride == 0 or info["batch"] == info["batches"]:
            position = info["epoch"] - 1 + info["batch"] / info["batches"]
            self.points.append([round(position, 6), self.average / self.weight])

    def on_epoch_end(self, trainer, record):
        self.records.append({k: (_finite(v) if isinstance(v, float) else v) for k, v in record.items()})

    def take(self):
        points, records = self.points, self.records
        self.points, self.records = [], []
        return points, records


class Run:
    def __init__(self, network, data_path, trainer=None, recorder=None):
        self.network, self.data_path = network, data_path
        self.trainer, self.recorder = trainer, recorder


def _run(run_id):
    if run_id not in RUNS:
        raise LabError(f"no run {run_id!r} in the worker (it was removed or the worker restarted)")
    return RUNS[run_id]


# --- actions -----------------------------------------------------------------------------------

def start(run_id, config, data_path):
    """Build the network, optimiser and trainer of a run; nothing is trained yet."""
    dtype = config["dtype"]
    raw = _raw(data_path)
    network = mlp.Network([INPUTS, *config["hidden"], CLASSES], activation=config["activation"],
                          seed=config["seed"], dtype=dtype)
    optimizer = make_optimizer(config["optimizer"], config["lr"], config["beta"])
    batches = math.ceil(len(raw.y_train) / config["batchSize"])
    recorder = Recorder(batches)
    trainer = mlp.Trainer(network, optimizer, _pixels(data_path, "train", dtype), raw.y_train,
                          _pixels(data_path, "test", dtype), raw.y_test, batch_size=config["batchSize"],
                          epochs=config["epochs"], callbacks=[recorder], seed=config["seed"])
    RUNS[run_id] = Run(network, data_path, trainer, recorder)
    return {"batches_per_epoch": trainer.batches_per_epoch, "train_size": len(raw.y_train),
            "test_size": len(raw.y_test), "parameters": sum(p.size for p in network.params.values())}


def step(run_id, max_batches):
    """Train at most ``max_batches`` batches; report what changed since the last step."""
    run = _run(run_id)
    trainer = run.trainer
    if trainer is None:
        raise LabError("this run has no trainer (its weights were loaded from a file)")
    before, t0 = trainer.samples, time.perf_counter()
    diverged = None
    try:
        trainer.run(max_batches=int(max_batches))
    except mlp.TrainingDiverged as e:
        diverged = str(e)
    points, records = run.recorder.take()
    return {
        "done": trainer.done, "diverged": diverged, "stop_reason": trainer.stop_reason,
        "epoch": trainer.epoch, "batch": trainer.batch, "epochs": trainer.epochs,
        "batches_per_epoch": trainer.batches_per_epoch, "samples": trainer.samples,
        "batches_run": math.ceil((trainer.samples - before) / trainer.batch_size),
        "seconds": time.perf_counter() - t0, "elapsed": trainer.elapsed,
        "points": points, "records": records,
    }


def stop(run_id):
    """End a run early; its model stays as trained so far."""
    run = _run(run_id)
    if run.trainer is not None and not run.trainer.done:
        run.trainer.stop("stopped from the page")
    return {"done": True}


def evaluate(run_id):
    """Test-set figures of a run's current weights, computed as ``python -m mlp evaluate`` does."""
    run = _run(run_id)
    network = run.network
    raw = _raw(run.data_path)
    x = _pixels(run.data_path, "test", network.dtype.name)
    probs = network.predict_proba(x)  # (n, 10)
    predicted = probs.argmax(axis=1)
    if not np.isfinite(probs).all():
        raise LabError("the model's outputs are not finite numbers: its weights hold NaN or infinite values "
                       "(after training, a sign that it diverged)")
    labels = raw.y_test.astype(np.int64)
    cm = mlp.confusion_matrix(labels, predicted, num_classes=CLASSES)
    correct = int(np.trace(cm))
    loss = _finite(mlp.cross_entropy(probs, mlp.one_hot(labels, CLASSES, dtype=network.dtype)))

    wrong = np.flatnonzero(predicted != labels)
    shown = wrong[:MAX_MISTAKES]
    mistakes = [{"pixels": raw.x_test[i].tolist(), "label": int(labels[i]), "predicted": int(predicted[i]),
                 "p": float(probs[i, predicted[i]])} for i in shown]

    W = network.layers[0].params["W"]  # (784, units)
    units = W[:, :MAX_UNITS_SHOWN].T  # (shown, 784)
    scale = np.abs(units).max(axis=1, keepdims=True)
    scale[scale == 0] = 1
    weights = np.rint(units / scale * 1000).astype(np.int64).tolist()  # per-unit scale, -1000..1000
    return {
        "accuracy": correct / len(labels), "correct": correct, "total": len(labels), "loss": loss,
        "confusion": cm.tolist(), "mistakes": mistakes, "mistakes_total": int(len(wrong)),
        "weights": weights, "units": int(W.shape[1]),
        "sizes": network.sizes, "activation": network.activation, "dtype": network.dtype.name,
    }


def predict(run_id, pixels):
    """Class probabilities of one 28x28 image given as 784 values in [0, 1]."""
    network = _run(run_id).network
    x = np.asarray(pixels, dtype=network.dtype).reshape(1, INPUTS)
    p = network.predict_proba(x)[0]
    return {"probabilities": [_finite(v) for v in p]}


def export(run_id):
    """The run's weights as an .npz file written by mlp.save, base64-encoded."""
    buffer = io.BytesIO()
    mlp.save(_run(run_id).network, buffer)
    return {"npz": base64.b64encode(buffer.getvalue()).decode("ascii")}


def load(run_id, data, data_path, name="the file"):
    """Make a run from the bytes of weights saved by mlp.save (by this page or ``python -m mlp train --save``)."""
    if not data:
        raise LabError(f"{name} is empty")
    if data[:4] != b"PK\x03\x04":  # .npz files are zip archives
        raise LabError(f"{name} is not an .npz file (those are zip archives); choose weights saved "
                       f"by this page or by python -m mlp train --save")
    try:
        network = mlp.load(data)
    except (OSError, ValueError) as e:
        raise LabError(str(e).replace("<bytes>", name)) from None
    if network.sizes[0] != INPUTS or network.sizes[-1] != CLASSES:
        raise LabError(f"{name} holds a {'-'.join(map(str, network.sizes))} network; the lab needs "
                       f"{INPUTS} inputs and {CLASSES} outputs")
    RUNS[run_id] = Run(network, data_path)
    return evaluate(run_id)


async def load_url(run_id, url, data_path, name="the file"):
    """:func:`load` for a file the page hands over as a blob: URL (in the browser only)."""
    from pyodide.http import pyfetch

    response = await pyfetch(url)
    if not response.ok:
        raise LabError(f"could not read {name} (HTTP {response.status})")
    return load(run_id, await response.bytes(), data_path, name)


def remove(run_id):
    RUNS.pop(run_id, None)
    return {"removed": run_id}


ACTIONS = {f.__name__: f for f in (start, step, stop, evaluate, predict, export, load, load_url, remove)}


def _answer(value=None, error=None):
    if error is not None:
        return json.dumps({"ok": False, "error": error})
    return json.dumps({"ok": True, "value": value}, allow_nan=False)


def lab_call(name, args_json):
    """Run one synchronous action; returns JSON: ``{"ok": true, "value": ...}`` or ``{"ok": false, "error": ...}``."""
    try:
        return _answer(ACTIONS[name](*json.loads(args_json)))
    except LabError as e:
        return _answer(error=str(e))


async def lab_call_async(name, args_json):
    """Run one action, awaiting it if needed, and send the JSON answer to the page."""
    try:
        value = ACTIONS[name](*json.loads(args_json))
        if hasattr(value, "__await__"):
            value = await value
        text = _answer(value)
    except LabError as e:
        text = _answer(error=str(e))
    page.send("lab", json=text)
