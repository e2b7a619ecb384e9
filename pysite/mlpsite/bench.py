"""The benchmark's workloads: the same training, natively and in the site's Python worker.

``scripts/bench`` imports nothing from here itself: it runs ``python -m mlpsite.bench WHAT ...``
natively (in a process of its own, with one BLAS thread) and calls the same functions in the
browser's worker through ``runtime.call("mlpsite.bench", name, kwargs)``, so both sides time
one piece of code. Only numpy and mlp are needed (and torch for :func:`torch_training`,
natively), so the module runs unchanged in Pyodide.

- :func:`training`: samples per second of mlp's Trainer on the 10,000-image subset, per
  configuration of :data:`CONFIGS`, without evaluation (``train``: the gradient steps alone)
  and with an evaluation of the whole training and test sets after every epoch, as the
  training lab does (``with_eval``). Medians over epochs.
- :func:`torch_training`: the same training (no evaluation) as a plain PyTorch CPU loop.
- :func:`matmul_rates`: GFLOP/s of the matrix products of one training step by each method
  of ``mlp.ops.matmul``.
- :func:`kernel`: the SIMD matrix-product kernel against the pure-NumPy path (both in the
  browser, NumPy's alone natively): throughput, where a batch's time goes, and the tutorial's
  full run.
"""

import functools
import itertools
import json
import statistics
import sys
import time

import numpy as np

import mlp
from mlp import ops
from mlp.config import RunConfig, build

# The workloads, as the lab and the command line describe a run (mlp.config.RunConfig).
CONFIGS = {
    "default": {"label": "784-64-10 sigmoid, momentum, float32",
                "config": RunConfig(sizes=(784, 64, 10), activation="sigmoid", optimizer="momentum",
                                    learning_rate=4.0, beta=0.9, dtype="float32")},
    "float64": {"label": "784-64-10 sigmoid, momentum, float64",
                "config": RunConfig(sizes=(784, 64, 10), activation="sigmoid", optimizer="momentum",
                                    learning_rate=4.0, beta=0.9, dtype="float64")},
    "deep": {"label": "784-128-64-10 ReLU, Adam, float32",
             "config": RunConfig(sizes=(784, 128, 64, 10), activation="relu", optimizer="adam",
                                 learning_rate=0.001, dtype="float32")},
}
KERNEL_CONFIGS = ("default", "deep")  # the kernel's figures: float32 only, as the kernel is
BATCH = RunConfig().batch_size  # 128, every workload's
WARMUP_BATCHES = 5


def _config(name):
    if name not in CONFIGS:
        raise ValueError(f"no benchmark configuration {name!r}; the configurations are: {', '.join(CONFIGS)}")
    return CONFIGS[name]["config"]


def _trainer(config, data, epochs, evaluate):
    """The run's Trainer (mlp.config.build); ``evaluate``: on the training set (and the test
    set, when ``data`` holds one) after every epoch."""
    trainer = build(config.replace(epochs=epochs), data)
    trainer.evaluate_train = evaluate
    return trainer


def _data(path, dtype="float32"):
    raw = mlp.load_subset(path)
    return (mlp.normalize(raw.x_train, dtype), raw.y_train,
            mlp.normalize(raw.x_test, dtype), raw.y_test)


def _train_sps(config, x, y, epochs):
    """Samples/s of the gradient steps alone, median over ``epochs`` epochs."""
    history = _trainer(config, (x, y), epochs, evaluate=False).fit()
    return len(x) / statistics.median(record["seconds"] for record in history)


# --------------------------------------------------------------------------------------------
# Training throughput


def training(path, names, runs):
    """``{name: {label, samples, runs, train_epoch_s, with_eval_epoch_s, train_sps, with_eval_sps,
    test_acc}}``: mlp's Trainer on the subset file ``path``, ``runs`` epochs each (seconds per
    epoch; samples/s of the median epoch)."""
    results = {}
    for name in names:
        config = _config(name)
        data = _data(path, config.dtype)
        n = len(data[0])
        _trainer(config, data[:2], 1, evaluate=False).run(max_batches=WARMUP_BATCHES)  # first calls allocate
        train = [r["seconds"] for r in _trainer(config, data[:2], runs, evaluate=False).fit()]
        history = _trainer(config, data, runs, evaluate=True).fit()
        with_eval = [r["seconds"] for r in history]
        results[name] = {
            "label": CONFIGS[name]["label"], "samples": n, "runs": runs,
            "train_epoch_s": train, "with_eval_epoch_s": with_eval,
            "train_sps": n / statistics.median(train),
            "with_eval_sps": n / statistics.median(with_eval),
            "test_acc": history[-1]["test_acc"],
        }
    return results


def _torch_epoch(torch, model, optimizer, loss_fn, x, y, generator, limit=None):
    """One epoch (or its first ``limit`` batches) of plain PyTorch mini-batch training."""
    order = torch.randperm(len(x), generator=generator)
    for count, start in enumerate(range(0, len(x), BATCH)):
        if limit is not None and count >= limit:
            break
        idx = order[start:start + BATCH]
        optimizer.zero_grad()
        loss = loss_fn(model(x[idx]), y[idx])
        loss.backward()
        optimizer.step()


def torch_training(path, names, runs):
    """The training of :func:`training` (no evaluation) as a plain PyTorch CPU loop, one thread:
    ``{name: {label, samples, runs, train_epoch_s, train_sps, version}}``."""
    import torch

    torch.set_num_threads(1)
    results = {}
    for name in names:
        config = _config(name)
        dtype = getattr(torch, config.dtype)
        x, y, _, _ = _data(path, config.dtype)
        x, y = torch.from_numpy(x), torch.from_numpy(y.astype(np.int64))
        layers = []
        for i, (n_in, n_out) in enumerate(itertools.pairwise(config.sizes)):
            layers.append(torch.nn.Linear(n_in, n_out, dtype=dtype))
            if i < len(config.sizes) - 2:
                layers.append(torch.nn.Sigmoid() if config.activation == "sigmoid" else torch.nn.ReLU())
        model = torch.nn.Sequential(*layers)
        if config.optimizer == "momentum":  # mlp's average form, lr 4, equals classic momentum, lr 0.4
            optimizer = torch.optim.SGD(model.parameters(), lr=config.learning_rate * (1 - config.beta),
                                        momentum=config.beta)
        else:
            optimizer = torch.optim.Adam(model.parameters(), lr=config.learning_rate)
        step = (model, optimizer, torch.nn.CrossEntropyLoss(), x, y, torch.Generator().manual_seed(0))
        _torch_epoch(torch, *step, limit=WARMUP_BATCHES)
        seconds = []
        for _ in range(runs):
            t0 = time.perf_counter()
            _torch_epoch(torch, *step)
            seconds.append(time.perf_counter() - t0)
        results[name] = {"label": CONFIGS[name]["label"], "samples": len(x), "runs": runs,
                         "train_epoch_s": seconds, "train_sps": len(x) / statistics.median(seconds),
                         "version": torch.__version__}
    return results


def wasm_memory_bytes():
    """Size of the WebAssembly memory of this Pyodide, in bytes (None natively)."""
    try:
        import pyodide_js
    except ImportError:
        return None
    return int(pyodide_js._module.HEAPU8.length)


# --------------------------------------------------------------------------------------------
# Matrix products


# The products of one training step of the default network (and one evaluation chunk):
# (name, (m, k, n), which operand is a transposed view), as mlp.layers computes them.
PRODUCTS = [
    ("forward, hidden layer", (128, 784, 64), ""),
    ("weight gradient, hidden layer", (784, 128, 64), "a"),
    ("forward, output layer", (128, 64, 10), ""),
    ("weight gradient, output layer", (64, 128, 10), "a"),
    ("gradient into the hidden layer", (128, 10, 64), "b"),
    ("evaluation, 4096 rows", (4096, 784, 64), ""),
]


def _rate(f, a, b, runs, min_seconds=0.05):
    """GFLOP/s of ``f(a, b)``: the median of ``runs`` timings, each repeating f for min_seconds."""
    f(a, b)
    flop = 2 * a.shape[0] * a.shape[1] * b.shape[1]
    rates = []
    for _ in range(runs):
        count, t0 = 0, time.perf_counter()
        while True:
            f(a, b)
            count += 1
            elapsed = time.perf_counter() - t0
            if elapsed >= min_seconds:
                break
        rates.append(flop * count / elapsed / 1e9)
    return statistics.median(rates)


def matmul_rates(runs, methods=("matmul", "einsum", None), dtypes=("float32", "float64")):
    """GFLOP/s of each product of :data:`PRODUCTS` by each method of mlp.ops.matmul (None: its
    choice, reported as ``helper``): ``[{name, shape, dtype, method, <method>: GFLOP/s}]``."""
    rng = np.random.default_rng(0)
    rows = []
    for dtype in dtypes:
        for name, (m, k, n), transposed in PRODUCTS:
            a = rng.standard_normal((k, m) if transposed == "a" else (m, k)).astype(dtype)
            b = rng.standard_normal((n, k) if transposed == "b" else (k, n)).astype(dtype)
            a, b = (a.T if transposed == "a" else a), (b.T if transposed == "b" else b)
            row = {"name": name, "shape": [m, k, n], "dtype": dtype, "method": ops.method_for(k, n)}
            for method in methods:
                row[method or "helper"] = _rate(functools.partial(ops.matmul, method=method), a, b, runs)
            rows.append(row)
    return rows


# --------------------------------------------------------------------------------------------
# The SIMD kernel against the NumPy path


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


def _phase_functions():
    """(owner, attribute, phase): the functions a training step calls, where mlp looks them up.

    The products are timed in mlp.tools.fast, whose Dense layer the timed network uses also
    natively (there mlp.ops.matmul is ``a @ b``), so that they go through one function."""
    from mlp import network as network_module
    from mlp import training
    from mlp.tools import fast

    return [(fast, "matmul", "matrix products"), (network_module, "softmax", "softmax"),
            (training, "cross_entropy", "loss"),
            (network_module, "softmax_cross_entropy_grad", "loss gradient"),
            (mlp.Network, "forward", "forward"), (mlp.Network, "backward", "backward")]


def phases(x, y, config, batches=120):
    """Milliseconds per batch in each phase of a training step (the batch's gather, forward,
    loss, backward, optimiser), over ``batches`` batches after 20 of warm-up; means, not
    medians, so that the parts add up to the batch."""
    from mlp.tools import fast

    layer, mlp.Network.Layer = mlp.Network.Layer, fast.Dense
    try:
        trainer = _trainer(config, (x, y), 2, evaluate=False)
    finally:
        mlp.Network.Layer = layer
    timer = PhaseTimer()
    for owner, name, phase in _phase_functions():
        timer.wrap(owner, name, phase)
    timer.wrap(trainer.optimizer, "step", "optimiser")
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
    """The tutorial's first experiment in full (60,000 images, 10 epochs, the default
    configuration) with each epoch's evaluation on the test set, as the lab runs it:
    ``{backend, images, epochs, seconds, test_accuracy}``."""
    x, y, x_test, y_test = _data(path)
    ops.set_backend(backend)
    t0 = time.perf_counter()
    history = _trainer(_config("default"), (x, y, x_test, y_test), 10, evaluate=False).fit()
    return {"backend": backend, "images": len(x), "epochs": len(history),
            "seconds": time.perf_counter() - t0, "test_accuracy": history[-1]["test_acc"]}


def kernel(subset, full=None, runs=3):
    """Both matrix-product backends where both exist (in Pyodide, when the kernel loads), else
    NumPy's: ``{backends, throughput: {backend: {name: samples/s}}, phases: {backend: {name:
    {phase: ms}}}, full_run}`` for :data:`KERNEL_CONFIGS`; ``full_run`` (of the full data file
    ``full``, with the last backend) is None without ``full``. The last backend stays set."""
    x, y, _, _ = _data(subset)
    backends = list(ops.BACKENDS) if ops.backend() == "kernel" else ["numpy"]
    out = {"backends": backends, "throughput": {}, "phases": {}, "full_run": None}
    for backend in backends:
        ops.set_backend(backend)
        out["throughput"][backend] = {name: _train_sps(_config(name), x, y, runs) for name in KERNEL_CONFIGS}
        out["phases"][backend] = {name: phases(x, y, _config(name)) for name in KERNEL_CONFIGS}
    if full:
        out["full_run"] = full_run(full, backends[-1])
    ops.set_backend(backends[-1])
    return out


# --------------------------------------------------------------------------------------------
# Command line

USAGE = """python -m mlpsite.bench training|torch|matmul SUBSET.npz RUNS NAME...
python -m mlpsite.bench kernel SUBSET.npz FULL.npz RUNS
Prints one line: BENCH <json>."""


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    what = argv[0] if argv else None
    try:
        if what in ("training", "torch", "matmul") and len(argv) >= 3:
            runs, names = int(argv[2]), argv[3:]
            if what == "matmul":
                value = matmul_rates(runs, methods=("matmul",))
            else:
                value = (training if what == "training" else torch_training)(argv[1], names, runs)
        elif what == "kernel" and len(argv) == 4:
            value = kernel(argv[1], argv[2], int(argv[3]))
        else:
            print(f"usage:\n{USAGE}", file=sys.stderr)
            return 2
    except ValueError as error:
        print(f"mlpsite.bench: {error}", file=sys.stderr)
        return 2
    print("BENCH " + json.dumps(value))
    return 0


if __name__ == "__main__":
    sys.exit(main())
