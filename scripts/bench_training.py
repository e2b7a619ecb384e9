"""Training throughput of mlp, the same code natively and in the site's Python worker.

scripts/bench.py runs this file with ``python`` (natively) and sends its text to the
browser's worker through ``runtime.run``; both print one line ``BENCH <json>``. It needs only
numpy and mlp (and torch for :func:`torch_throughput`, natively), so it runs unchanged in
Pyodide.

For each configuration two trainers run ``runs`` epochs each on the 10,000-image subset:
one without evaluation (``train``: the samples per second of the gradient steps alone) and
one that evaluates on the whole training and test sets after every epoch, as the training
lab does (``with_eval``). Figures are medians over the epochs. :func:`matmul_rates` times
the matrix products of one training step by each method of ``mlp.ops.matmul``.
"""

import json
import statistics
import sys
import time

import numpy as np

import mlp

CONFIGS = {
    "default": {"label": "784-64-10 sigmoid, momentum, float32", "sizes": [784, 64, 10],
                "activation": "sigmoid", "optimizer": "momentum", "lr": 4.0, "dtype": "float32"},
    "float64": {"label": "784-64-10 sigmoid, momentum, float64", "sizes": [784, 64, 10],
                "activation": "sigmoid", "optimizer": "momentum", "lr": 4.0, "dtype": "float64"},
    "deep": {"label": "784-128-64-10 ReLU, Adam, float32", "sizes": [784, 128, 64, 10],
             "activation": "relu", "optimizer": "adam", "lr": 0.001, "dtype": "float32"},
}
BATCH = 128
WARMUP_BATCHES = 5


def _optimizer(config):
    options = {"beta": 0.9} if config["optimizer"] == "momentum" else {}
    return mlp.make_optimizer(config["optimizer"], config["lr"], **options)


def _data(path, dtype):
    raw = mlp.load_subset(path)
    return (mlp.normalize(raw.x_train, dtype), raw.y_train,
            mlp.normalize(raw.x_test, dtype), raw.y_test)


def _epoch_seconds(config, data, runs, evaluate):
    x, y, x_test, y_test = data
    network = mlp.Network(config["sizes"], activation=config["activation"], seed=0, dtype=config["dtype"])
    test = (x_test, y_test) if evaluate else (None, None)
    trainer = mlp.Trainer(network, _optimizer(config), x, y, *test, batch_size=BATCH, epochs=runs,
                          seed=0, evaluate_train=evaluate)
    history = trainer.fit()
    return [record["seconds"] for record in history], history[-1]


def mlp_throughput(path, names, runs):
    """``{name: {...}}``: samples per second of mlp's Trainer, per configuration."""
    results = {}
    for name in names:
        config = CONFIGS[name]
        data = _data(path, config["dtype"])
        n = len(data[0])
        warm = mlp.Trainer(mlp.Network(config["sizes"], activation=config["activation"], dtype=config["dtype"]),
                           _optimizer(config), data[0], data[1], batch_size=BATCH, epochs=1,
                           evaluate_train=False)
        warm.run(max_batches=WARMUP_BATCHES)  # first calls allocate and import lazily
        train, _ = _epoch_seconds(config, data, runs, evaluate=False)
        with_eval, last = _epoch_seconds(config, data, runs, evaluate=True)
        results[name] = {
            "label": config["label"], "samples": n, "runs": runs,
            "train_epoch_s": train, "with_eval_epoch_s": with_eval,
            "train_sps": n / statistics.median(train),
            "with_eval_sps": n / statistics.median(with_eval),
            "test_acc": last["test_acc"],
        }
    return results


def torch_throughput(path, names, runs):
    """The same training as :func:`mlp_throughput` (no evaluation) as a plain PyTorch CPU loop."""
    import torch

    torch.set_num_threads(1)
    results = {}
    for name in names:
        config = CONFIGS[name]
        dtype = getattr(torch, config["dtype"])
        x, y, _, _ = _data(path, config["dtype"])
        x, y = torch.from_numpy(x), torch.from_numpy(y.astype(np.int64))
        layers = []
        for i, (n_in, n_out) in enumerate(zip(config["sizes"][:-1], config["sizes"][1:])):
            layers.append(torch.nn.Linear(n_in, n_out, dtype=dtype))
            if i < len(config["sizes"]) - 2:
                layers.append(torch.nn.Sigmoid() if config["activation"] == "sigmoid" else torch.nn.ReLU())
        model = torch.nn.Sequential(*layers)
        if config["optimizer"] == "momentum":  # mlp's average form, lr 4, equals classic momentum, lr 0.4
            optimizer = torch.optim.SGD(model.parameters(), lr=config["lr"] * 0.1, momentum=0.9)
        else:
            optimizer = torch.optim.Adam(model.parameters(), lr=config["lr"])
        loss_fn = torch.nn.CrossEntropyLoss()
        generator = torch.Generator().manual_seed(0)

        def epoch(limit=None):
            order = torch.randperm(len(x), generator=generator)
            for count, start in enumerate(range(0, len(x), BATCH)):
                if limit is not None and count >= limit:
                    break
                idx = order[start:start + BATCH]
                optimizer.zero_grad()
                loss = loss_fn(model(x[idx]), y[idx])
                loss.backward()
                optimizer.step()

        epoch(WARMUP_BATCHES)
        seconds = []
        for _ in range(runs):
            t0 = time.perf_counter()
            epoch()
            seconds.append(time.perf_counter() - t0)
        results[name] = {"label": config["label"], "samples": len(x), "runs": runs, "train_epoch_s": seconds,
                         "train_sps": len(x) / statistics.median(seconds), "version": torch.__version__}
    return results


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
    """GFLOP/s of each product of :data:`PRODUCTS` by each method of mlp.ops.matmul (None: its choice)."""
    from mlp import ops

    rng = np.random.default_rng(0)
    rows = []
    for dtype in dtypes:
        for name, (m, k, n), transposed in PRODUCTS:
            a = rng.standard_normal((k, m) if transposed == "a" else (m, k)).astype(dtype)
            b = rng.standard_normal((n, k) if transposed == "b" else (k, n)).astype(dtype)
            a, b = (a.T if transposed == "a" else a), (b.T if transposed == "b" else b)
            row = {"name": name, "shape": [m, k, n], "dtype": dtype, "method": ops.method_for(k, n)}
            for method in methods:
                row[method or "helper"] = _rate(lambda a, b: ops.matmul(a, b, method), a, b, runs)
            rows.append(row)
    return rows


def wasm_memory_bytes():
    """Size of the WebAssembly memory of this Pyodide (None natively)."""
    try:
        import pyodide_js
    except ImportError:
        return None
    return int(pyodide_js._module.HEAPU8.length)


def main(argv):
    """``python bench_training.py mlp|torch|matmul DATA_FILE RUNS NAME...``"""
    what, path, runs, names = argv[0], argv[1], int(argv[2]), argv[3:]
    if what == "matmul":
        print("BENCH " + json.dumps(matmul_rates(runs, methods=("matmul",))))
        return
    measure = mlp_throughput if what == "mlp" else torch_throughput
    print("BENCH " + json.dumps(measure(path, names, runs)))


if __name__ == "__main__":
    main(sys.argv[1:])
