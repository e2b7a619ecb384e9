"""The training lab's Python side: plain functions on plain data; mlp does the work.

The lab page calls these through its worker, ``runtime.call("mlpsite.lab", name, kwargs)``:
arguments and results are dicts, lists, numbers, strings and ``bytes`` (weights files and
drawn images travel as bytes, never as text). Each run lives in :data:`RUNS` under an id the
page chooses. Training happens in short slices (:func:`step`, ``Trainer.run(max_seconds=...)``):
between two slices the worker is free, so the page can draw, predict a drawn digit, or stop
asking, which keeps the model trained so far.

Errors meant for the reader raise :class:`LabError` (a ``ValueError``) with a message that
names the bad value and what is allowed.
"""

import io

import numpy as np

import mlp
from mlp import _kernel, ops
from mlp.checks import check_fits, check_weights, finite_or_none
from mlp.tools.choices import choices as mlp_choices
from mlp.tools.files import ZIP_MAGIC
from mlp.tools.history import HistoryRecorder
from mlpsite.network import network_figure
from mlpsite.prediction import prediction_figure

MAX_MISTAKES = 48        # misclassified test images shown
MAX_UNITS_SHOWN = 64     # first-layer weight images shown
SLICE_SECONDS = 0.15     # default length of one training slice

RUNS = {}                # run id -> Run
_DATA = {}               # path -> raw Dataset (uint8 pixels, integer labels)
_INPUTS = {}             # (path, part, dtype) -> normalised pixels


class LabError(ValueError):
    """A problem the page shows as it is, without a traceback."""


class Run:
    """One model of the lab: its network, the data it is measured on, and its trainer if any.

    ``keep`` is the run's :class:`mlp.KeepBest` (None when the last epoch is kept) and
    ``backend`` the matrix product it trains with (:func:`mlp.ops.set_backend`).
    """

    def __init__(self, network, data_path, trainer=None, recorder=None, keep=None, backend=None):
        self.network, self.data_path = network, data_path
        self.trainer, self.recorder = trainer, recorder
        self.keep, self.backend = keep, backend


# --- data ----------------------------------------------------------------------------------------

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
        for k in [k for k in _INPUTS if k[:2] == (path, part)]:
            del _INPUTS[k]  # keep one dtype per part: the full set is large
        _INPUTS[key] = mlp.normalize(getattr(_raw(path), f"x_{part}"), dtype)
    return _INPUTS[key]


def _run(run_id):
    if run_id not in RUNS:
        raise LabError(f"no run {run_id!r} in the worker (it was removed or Python restarted)")
    return RUNS[run_id]


# --- the form's choices and the run's configuration --------------------------------------------

# What the form shows when the page opens: the tutorial's sigmoid-with-momentum run, for 5
# epochs (they suit the 10,000-image subset), with schedule settings that act within them.
# Every other setting is mlp.RunConfig's default.
LAB_CONFIG = mlp.RunConfig(epochs=5, learning_rate=4.0, beta=0.9, warmup_epochs=1.0, step_epochs=2, gamma=0.5)
LAB_DATA = "subset"  # the form's data set: "subset" or "full"


def choices():
    """Everything the lab's form offers and checks, from mlp: one call when the page opens.

    Returns :func:`mlp.tools.choices.choices` (``activations``, ``optimizers``, ``dtypes``, ``schedules``,
    ``inputs``, ``classes``, ``limits``) plus ``backends``: the matrix-product backends of
    :mod:`mlp.ops` that work here (``"kernel"`` only where mlp's SIMD kernel loads, i.e. in
    the browser), the default one first; and ``defaults``: the values the form starts with,
    :data:`LAB_CONFIG` as :meth:`mlp.RunConfig.to_dict` gives it, plus ``data``
    (:data:`LAB_DATA`).
    """
    here = [name for name in ops.BACKENDS if name == "numpy" or _kernel.get() is not None]
    here.sort(key=lambda name: name != ops.backend())
    return {**mlp_choices(), "backends": here, "defaults": {**LAB_CONFIG.to_dict(), "data": LAB_DATA}}


def run_config(config):
    """The :class:`mlp.RunConfig` of the form's configuration (raises LabError).

    ``config`` names fields of :class:`mlp.RunConfig` (``hidden`` gives the hidden layers
    of ``sizes``); a field it leaves out keeps :data:`LAB_CONFIG`'s value, the one the
    form starts with. The network's parameter count is checked against the lab's limit.
    """
    c = mlp_choices()
    limit = c["limits"]["parameters"][1]
    values = {k: v for k, v in config.items() if k not in ("hidden", "backend")}
    if "hidden" in config:
        values["sizes"] = (c["inputs"], *(int(n) for n in config["hidden"]), c["classes"])
    try:
        run = LAB_CONFIG.updated(values)
    except ValueError as e:
        raise LabError(str(e)) from None
    count = mlp.layers.parameter_count(run.sizes)
    if count > limit:
        raise LabError(f"this network has {count:,} parameters; the lab allows at most {limit:,}")
    return run


def _backend(config):
    name = config.get("backend") or ops.backend()
    if name not in choices()["backends"]:
        raise LabError(f"the matrix product {name!r} does not work here; choose one of: "
                       f"{', '.join(choices()['backends'])}")
    return name


# --- training ------------------------------------------------------------------------------------

def start(run_id, config, data_path):
    """Build the network, optimiser and trainer of a run (:func:`mlp.build`); nothing is trained yet.

    ``config`` holds fields of :class:`mlp.RunConfig` (see :func:`run_config`): ``hidden``
    (list of units), ``activation``, ``optimizer``, ``learning_rate``, ``beta`` (the
    optimiser's own β option), ``batch_size``, ``epochs``, ``dtype``, ``seed``,
    ``weight_decay`` (decoupled, set on the optimiser), ``dropout`` (rate), ``schedule`` (a
    name of ``mlp.tools.choices.choices()["schedules"]``) with ``warmup_epochs`` (cosine) or
    ``step_epochs`` and ``gamma`` (step), ``keep_best`` (restore the epoch of the best test
    accuracy at the end, :class:`mlp.KeepBest`); and ``backend`` (a name of
    :func:`choices`'s ``backends``). Returns ``batches_per_epoch``, ``train_size``,
    ``test_size`` and ``parameters``.
    """
    run = run_config(config)
    raw = _raw(data_path)
    backend = _backend(config)
    try:
        recorder = HistoryRecorder()
        data = mlp.Dataset(_pixels(data_path, "train", run.dtype), raw.y_train,
                           _pixels(data_path, "test", run.dtype), raw.y_test)
        trainer = mlp.build(run, data, callbacks=[recorder])
    except ValueError as e:
        raise LabError(str(e)) from None
    keep = trainer.callbacks[-1] if run.keep_best else None
    RUNS[run_id] = Run(trainer.network, data_path, trainer, recorder, keep, backend)
    return {"batches_per_epoch": trainer.batches_per_epoch, "train_size": len(raw.y_train),
            "test_size": len(raw.y_test), "parameters": trainer.network.parameter_count()}


def step(run_id, max_seconds=SLICE_SECONDS):
    """Train for about ``max_seconds``; report what changed since the last step.

    A slice ends before the batch that ends an epoch: that batch comes alone in the next
    slice, which also measures the whole training and test sets (``evaluating`` says that
    the next slice will). The slice multiplies matrices with the run's backend, and puts
    back the one in use before. ``kept`` says, once training is over, which epoch's weights
    a run that keeps the best epoch holds (None otherwise).
    """
    run = _run(run_id)
    trainer = run.trainer
    if trainer is None:
        raise LabError("this run has no trainer (its weights were loaded from a file)")
    left = trainer.batches_per_epoch - trainer.batch
    diverged, before = None, ops.backend()
    try:
        ops.set_backend(run.backend or before)
        trainer.run(max_batches=max(1, left - 1), max_seconds=float(max_seconds))
    except mlp.TrainingDiverged as e:
        diverged = str(e)
    finally:
        ops.set_backend(before)
    points, records = run.recorder.take()
    return {
        "done": trainer.done, "diverged": diverged, "stopped": trainer.stop_reason is not None and not diverged,
        "epoch": trainer.epoch, "batch": trainer.batch, "epochs": trainer.epochs,
        "batches_per_epoch": trainer.batches_per_epoch, "samples": trainer.samples,
        "elapsed": trainer.elapsed, "evaluating": trainer.batches_per_epoch - trainer.batch == 1,
        "kept": _kept(run),
        "points": points, "records": [{k: finite_or_none(v) if isinstance(v, float) else v for k, v in r.items()}
                                      for r in records],
    }


def _kept(run):
    if run.keep is None or not run.trainer.done:
        return None
    return {"epoch": run.keep.restored_epoch, "text": run.keep.summary()}


def stop(run_id):
    """End a run early; its model stays as trained so far (or its best epoch's, see :func:`step`)."""
    run = _run(run_id)
    if run.trainer is not None and not run.trainer.done:
        run.trainer.stop("stopped from the page")
    return {"done": True, **({"kept": _kept(run)} if run.keep else {})}


# --- the trained model -------------------------------------------------------------------------

def evaluate(run_id):
    """Test-set figures of a run's current weights: ``mlp.evaluate``'s report and what the page draws.

    Returns :meth:`mlp.evaluation.EvaluationReport.to_dict`'s ``accuracy``, ``correct``, ``total``,
    ``loss``, ``confusion`` (10x10 counts), ``per_class_accuracy`` and ``misclassified``, and
    ``mistakes`` (up to 48 of ``{pixels: 784 ints 0..255, label, predicted, p}``),
    ``mistakes_total``, ``weights`` (first-layer weights of up to 64 units, each 784 ints in
    -1000..1000 on its own scale), ``units``, ``sizes``, ``activation`` and ``dtype``.
    """
    run = _run(run_id)
    network, raw = run.network, _raw(run.data_path)
    try:
        check_weights(network, "the model")
    except ValueError as e:
        raise LabError(str(e)) from None
    report = mlp.evaluate(network, _pixels(run.data_path, "test", network.dtype.name), raw.y_test)
    mistakes = [{"pixels": raw.x_test[i].tolist(), "label": int(raw.y_test[i]), "predicted": int(report.predicted[i]),
                 "p": float(report.confidence[i])} for i in report.misclassified[:MAX_MISTAKES]]
    return {
        **report.to_dict(), "mistakes": mistakes, "mistakes_total": len(report.misclassified),
        **_first_layer(network),
        "sizes": list(network.sizes), "activation": network.activation, "dtype": network.dtype.name,
    }


def _first_layer(network):
    W = network.layers[0].params["W"]  # (784, units)
    units = W[:, :MAX_UNITS_SHOWN].T  # (shown, 784)
    scale = np.abs(units).max(axis=1, keepdims=True)
    scale[scale == 0] = 1
    return {"weights": np.rint(units / scale * 1000).astype(np.int64).tolist(), "units": int(W.shape[1])}


def predict(run_id, pixels):
    """Class probabilities of one drawn 28x28 image.

    ``pixels`` is 784 bytes, row-major, 0 (no ink) to 255 (full ink), as the page's pad
    prepares them. Returns ``{"probabilities": [10 floats], "figure": {...}, "network": {...}}``:
    the figure is the drawing's path through the network, a "prediction" payload
    (:func:`mlpsite.prediction.prediction_figure`; its probabilities are the same), and
    network the diagram of the network lit by the drawing (:func:`mlpsite.network.network_figure`).
    """
    network = _run(run_id).network
    image = np.frombuffer(bytes(pixels), dtype=np.uint8)
    if image.size != network.sizes[0]:
        raise LabError(f"a drawing must be {network.sizes[0]} pixels; got {image.size}")
    figure = prediction_figure(network, image, key="lab-path")
    return {"probabilities": [finite_or_none(v) for v in figure["probabilities"]], "figure": figure,
            "network": network_figure(network, image, key="lab-network")}


def export(run_id):
    """The run's weights as the bytes of an .npz file written by ``mlp.save``."""
    buffer = io.BytesIO()
    mlp.save(_run(run_id).network, buffer)
    return buffer.getvalue()


def load(run_id, data, data_path, name="the file"):
    """Make a run from the bytes of weights saved by mlp.save (by this page or ``python -m mlp train --save``).

    Returns :func:`evaluate`'s figures of the loaded model on ``data_path``'s test set.
    """
    data = bytes(data)
    if not data:
        raise LabError(f"{name} is empty")
    if data[:4] != ZIP_MAGIC:  # .npz files are zip archives
        raise LabError(f"{name} is not an .npz file (those are zip archives); choose weights saved "
                       f"by this page or by python -m mlp train --save")
    try:
        network = mlp.load(data)
    except (OSError, ValueError) as e:
        raise LabError(str(e).replace("<bytes>", name)) from None
    c = choices()
    try:
        check_fits(network, c["inputs"], c["classes"], name)
    except ValueError as e:
        raise LabError(str(e)) from None
    RUNS[run_id] = Run(network, data_path)
    return evaluate(run_id)


def remove(run_id):
    """Forget a run and its model (nothing happens for an unknown id)."""
    RUNS.pop(run_id, None)
    return {"removed": run_id}
