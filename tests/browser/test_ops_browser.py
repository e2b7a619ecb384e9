"""mlp.ops.matmul inside the browser's Pyodide, where it takes the einsum path."""

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
        out = ops.matmul(a, b)
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


def test_matmul_in_the_browser_uses_einsum_for_large_products_and_matches_the_operator(page):
    page.goto("")
    result = page.evaluate(RUN, CHECK_IN_WORKER)
    assert result["ok"], result["error"]
    report = json.loads(result["out"])
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
    out = ops.matmul(a, b)
    expected = np.ascontiguousarray(a) @ np.ascontiguousarray(b)
    errors.append(float(np.max(np.abs(out - expected) / (np.abs(a) @ np.abs(b)))))
print(json.dumps({"plain_einsum": plain, "errors": errors}))
"""


def test_products_too_large_for_one_einsum_are_split(page):
    page.goto("")
    result = page.evaluate(RUN, LARGE_IN_WORKER)
    assert result["ok"], result["error"]
    report = json.loads(result["out"])
    assert report["plain_einsum"] == "iterator is too large"  # the limit mlp works around
    assert all(err <= 4 * 4096 * 1.2e-7 for err in report["errors"]), report
