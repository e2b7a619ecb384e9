"""mlp.ops.matmul inside the browser's Pyodide: the SIMD kernel by default, einsum or @ on the NumPy path."""

from __future__ import annotations

import json

CHECK_IN_WORKER = r"""
import json
import numpy as np
from mlp import ops

rows = []
for dtype in ("float32", "float64"):
    rng = np.random.default_rng(0)
    for m, k, n, transpose in [(128, 784, 64, ""), (784, 128, 64, "a"), (128, 64, 10, ""),
                               (128, 10, 64, "b"), (64, 128, 10, "a"), (3, 40, 33, "")]:
        a = rng.standard_normal((k, m) if transpose == "a" else (m, k)).astype(dtype)
        b = rng.standard_normal((n, k) if transpose == "b" else (k, n)).astype(dtype)
        a, b = (a.T if transpose == "a" else a), (b.T if transpose == "b" else b)
        out = ops.matmul(a, b, method=ops.method_for(k, n))  # the NumPy path
        expected = np.ascontiguousarray(a) @ np.ascontiguousarray(b)
        scale = np.abs(a) @ np.abs(b)  # bounds the rounding error of any summation order
        rows.append({"shape": [m, k, n], "dtype": dtype, "method": ops.method_for(k, n),
                     "out_dtype": out.dtype.name, "out_shape": list(out.shape),
                     "max_rel_err": float(np.max(np.abs(out - expected) / scale))})
print(json.dumps({"in_browser": ops.IN_BROWSER, "rows": rows}))
"""

RUN = """async (code) => {
  const { runtime } = await import(new URL("assets/site/runtime.js", location.href).href);
  await runtime.ready();
  let out = "";
  const r = await runtime.run(code, { scope: "test-ops", onStdout: (text) => { out += text; } });
  return { ok: r.ok, error: r.error, out };
}"""


def run_in_worker(page, code):
    """Run ``code`` in the site's Python worker; the JSON it printed, as a dict."""
    page.goto("")
    result = page.evaluate(RUN, code)
    assert result["ok"], result["error"]
    return json.loads(result["out"])


def test_the_numpy_path_in_the_browser_uses_einsum_for_large_products_and_matches_the_operator(page):
    report = run_in_worker(page, CHECK_IN_WORKER)
    assert report["in_browser"] is True
    methods = {tuple(r["shape"]): r["method"] for r in report["rows"]}
    assert methods[(128, 784, 64)] == methods[(784, 128, 64)] == methods[(3, 40, 33)] == "einsum"
    assert methods[(128, 64, 10)] == methods[(128, 10, 64)] == methods[(64, 128, 10)] == "matmul"
    for row in report["rows"]:
        m, k, n = row["shape"]
        assert row["out_shape"] == [m, n] and row["out_dtype"] == row["dtype"], row
        eps = 1.2e-7 if row["dtype"] == "float32" else 2.3e-16
        assert row["max_rel_err"] <= 4 * k * eps, row


LARGE_IN_WORKER = r"""
import json
import numpy as np
from mlp import ops

# 4096 x 784 x 700 multiply-adds: beyond what one einsum call can iterate over in 32-bit NumPy.
rng = np.random.default_rng(1)
x = rng.standard_normal((4096, 784)).astype("float32")
w = rng.standard_normal((784, 700)).astype("float32")
dz = rng.standard_normal((4096, 700)).astype("float32")
try:
    np.einsum("ij,jk->ik", x, w)
    plain = "ok"
except ValueError as e:
    plain = str(e)
errors = []
for a, b in [(x, w), (x.T, dz)]:
    out = ops.matmul(a, b, method="einsum")
    # The references by the SIMD kernel (checked against NumPy on its own): NumPy's @ without
    # BLAS would take most of this test's time.
    expected = ops.matmul(a, b, method="kernel")
    errors.append(float(np.max(np.abs(out - expected) / ops.matmul(np.abs(a), np.abs(b), method="kernel"))))
print(json.dumps({"plain_einsum": plain, "errors": errors}))
"""


def test_products_too_large_for_one_einsum_are_split(page):
    report = run_in_worker(page, LARGE_IN_WORKER)
    assert report["plain_einsum"] == "iterator is too large"  # the limit mlp works around
    assert all(err <= 4 * 4096 * 1.2e-7 for err in report["errors"]), report


KERNEL_IN_WORKER = r"""
import json
import numpy as np
from mlp import _kernel, ops

rng = np.random.default_rng(0)
sentinel = rng.standard_normal(4096)  # allocated first: a kernel writing astray would likely hit it
sentinel_copy = sentinel.copy()

def case(m, k, n, dtype, layout, multiply=ops.matmul):
    a = rng.standard_normal((k, m) if layout == "a.T" else (m, 2 * k) if layout == "strided" else (m, k))
    b = rng.standard_normal((n, k) if layout == "b.T" else (k, n + 3) if layout == "strided" else (k, n))
    a = a.T if layout == "a.T" else a[:, ::2] if layout == "strided" else a
    b = b.T if layout == "b.T" else b[:, :n] if layout == "strided" else b
    a, b = a.astype(dtype), b.astype(dtype)  # astype keeps the layout (order="K")
    out = multiply(a, b)
    a64, b64 = a.astype(np.float64), b.astype(np.float64)
    err = np.abs(out - a64 @ b64) / (np.abs(a64) @ np.abs(b64) + 1e-300)
    return {"shape": [m, k, n], "dtype": dtype, "layout": layout, "out_dtype": out.dtype.name,
            "out_shape": list(out.shape), "c_contiguous": bool(out.flags.c_contiguous),
            "max_rel_err": float(err.max())}

shapes = [(1, 1, 1), (1, 7, 1), (5, 1, 9), (3, 5, 2), (7, 13, 11), (9, 17, 4), (33, 40, 65),
          (128, 784, 64), (784, 128, 64), (128, 64, 10), (128, 10, 64), (300, 257, 129)]
shapes += [tuple(int(v) for v in rng.integers(1, 90, 3)) for _ in range(10)]
rows = [case(m, k, n, dtype, layout) for dtype in ("float32", "float64") for m, k, n in shapes
        for layout in ("contiguous", "a.T", "b.T", "strided")]
# The plain-SIMD build, which browsers without relaxed SIMD get.
plain = _kernel.load([build for build in _kernel._builds() if build[0] == "_kernel.wasm"])
rows += [case(m, k, n, dtype, layout, plain.matmul) for dtype in ("float32", "float64")
         for m, k, n in shapes[:12] for layout in ("contiguous", "a.T", "b.T")]
print(json.dumps({"backend": ops.backend(), "failure": _kernel.failure(), "rows": rows,
                  "file": _kernel.get().file if _kernel.get() else None,
                  "sentinel_intact": bool(np.array_equal(sentinel, sentinel_copy))}))
"""


def test_the_simd_kernel_is_the_default_in_the_browser_and_matches_numpy(page):
    report = run_in_worker(page, KERNEL_IN_WORKER)
    assert report["backend"] == "kernel", report["failure"]
    assert report["file"] == "_kernel_relaxed.wasm"  # Chromium has relaxed SIMD (fused multiply-add)
    assert report["sentinel_intact"]
    assert len(report["rows"]) == 2 * 22 * 4 + 2 * 12 * 3
    for row in report["rows"]:
        m, k, n = row["shape"]
        assert row["out_shape"] == [m, n] and row["out_dtype"] == row["dtype"] and row["c_contiguous"], row
        eps = 2.0 ** -24 if row["dtype"] == "float32" else 2.0 ** -53
        assert row["max_rel_err"] <= 2 * k * eps, row


GRADIENTS_AND_TRAINING_IN_WORKER = r"""
import json
import numpy as np
import mlp
from mlp import ops
from mlp.gradcheck import check_gradients

ops.set_backend("kernel")
rng = np.random.default_rng(0)
x = rng.standard_normal((6, 12))
y = np.eye(4)[rng.integers(0, 4, 6)]
gradients = {activation: check_gradients(mlp.Network([12, 9, 7, 4], activation=activation, seed=1,
                                                     dtype="float64"), x, y)
             for activation in ("sigmoid", "relu")}

data = mlp.load_subset("/data/mnist-subset.npz")
x_train, x_test = mlp.normalize(data.x_train), mlp.normalize(data.x_test)
from mlp.tools import fast
products, calls = fast.matmul, []  # count the network's products, which go through mlp.ops.matmul
fast.matmul = lambda a, b: (calls.append(a.shape), products(a, b))[1]
accuracy = {}
for name in ("numpy", "kernel"):
    ops.set_backend(name)
    network = mlp.Network([784, 64, 10], activation="sigmoid", seed=0)
    mlp.train(network, x_train, data.y_train, optimizer="sgd", learning_rate=1.0, batch_size=128,
              epochs=1, seed=0)
    accuracy[name] = float(np.mean(network.predict(x_test) == data.y_test))
fast.matmul = products
layer = type(network.layers[0])
print(json.dumps({"gradients": gradients, "accuracy": accuracy, "layer": f"{layer.__module__}.{layer.__name__}",
                  "products": len(calls)}))
"""


def test_gradients_check_and_training_reaches_the_same_accuracy_with_the_kernel(page):
    report = run_in_worker(page, GRADIENTS_AND_TRAINING_IN_WORKER)
    for activation, errors in report["gradients"].items():
        assert errors and max(errors.values()) < 1e-6, (activation, errors)
    # The network's layers are the one whose products go through mlp.ops.matmul, set once by mlp:
    # per backend, 79 batches of two layers times 3 products, less the first layer's input
    # gradient, and the predictions.
    assert report["layer"] == "mlp.tools.fast.Dense"
    assert report["products"] >= 2 * 79 * 5, report["products"]
    accuracy = report["accuracy"]
    assert accuracy["kernel"] > 0.8, accuracy  # one epoch of plain SGD
    assert abs(accuracy["kernel"] - accuracy["numpy"]) <= 0.01, accuracy


FALLBACK_IN_WORKER = r"""
import json, warnings
import numpy as np
from mlp import _kernel, ops

_kernel.WASM_FILES = ("no-such-kernel.wasm",)  # as in a build of mlp without the kernel
_kernel._loaded = _kernel._failure = None
ops._backend = None
a, b = np.arange(12.0, dtype=np.float32).reshape(3, 4), np.ones((4, 5), np.float32)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    outs = [ops.matmul(a, b) for _ in range(3)]
try:
    ops.set_backend("kernel")
    refused = None
except RuntimeError as exc:
    refused = str(exc)
print(json.dumps({"backend": ops.backend(), "warnings": [str(w.message) for w in caught],
                  "equal": all(np.array_equal(o, a @ b) for o in outs), "refused": refused}))
"""


def test_without_its_kernel_mlp_says_so_once_and_multiplies_with_numpy(page):
    report = run_in_worker(page, FALLBACK_IN_WORKER)
    assert report["backend"] == "numpy" and report["equal"]
    assert len(report["warnings"]) == 1, report["warnings"]
    assert "no-such-kernel.wasm" in report["warnings"][0] and "NumPy" in report["warnings"][0]
    assert "not available" in report["refused"] and "no-such-kernel.wasm" in report["refused"]
