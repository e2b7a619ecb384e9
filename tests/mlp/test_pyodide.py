"""The package, unchanged, inside Pyodide (run by Node.js): same seed, same training as natively."""

import json
import shutil
import subprocess
import sys

import numpy as np
import pytest

import mlp
from helpers import REPO

ASSETS = REPO / "build" / "assets" / "pyodide"  # written by scripts/build_assets.py
NUMPY_WHEELS = sorted(ASSETS.glob("numpy-*.whl"))

pytestmark = pytest.mark.skipif(
    not (shutil.which("node") and (ASSETS / "pyodide.mjs").exists() and NUMPY_WHEELS),
    reason="needs node and the Pyodide assets (python scripts/build_assets.py)")

RUNNER = """
import { loadPyodide } from "%(assets)s/pyodide.mjs";
import fs from "fs";
const [mlpDir, subset, code] = process.argv.slice(2);
const py = await loadPyodide({ indexURL: "%(assets)s/" });
await py.loadPackage("%(wheel)s");
for (const dir of ["", "/tools"]) {  // the package and its subpackage
  py.FS.mkdirTree("/home/pyodide/mlp" + dir);
  for (const f of fs.readdirSync(mlpDir + dir).filter((f) => f.endsWith(".py") || f.endsWith(".wasm")))
    py.FS.writeFile("/home/pyodide/mlp" + dir + "/" + f, fs.readFileSync(mlpDir + dir + "/" + f));
}
py.FS.writeFile("/home/pyodide/subset.npz", fs.readFileSync(subset));
console.log(await py.runPythonAsync(fs.readFileSync(code, "utf8")));
"""

PROGRAM = """
import io, json, sys, warnings
sys.path.insert(0, "{home}")
warnings.simplefilter("error")  # no RuntimeWarning either
import numpy as np
import mlp
data = mlp.load_subset("{subset}", scaled=True, as_one_hot=True)
net = mlp.Network([784, 32, 10], activation="sigmoid", seed=0)
trainer = mlp.Trainer(net, mlp.Momentum(4, 0.9), *data, batch_size=128, epochs=2, seed=0)
while not trainer.run(max_batches=7):
    pass
buffer = io.BytesIO()
mlp.save(net, buffer)
same = mlp.load(buffer.getvalue())
small = mlp.Network([6, 5, 4], activation="tanh", seed=1, dtype="float64")
rng = np.random.default_rng(0)
errors = mlp.check_gradients(small, rng.standard_normal((4, 6)), mlp.one_hot(rng.integers(0, 4, 4), 4, dtype="float64"))
json.dumps({{"history": trainer.history, "python": sys.version_info[:2], "numpy": np.__version__,
            "dtype": str(net.params["W1"].dtype), "reloaded": bool((same.predict(data.x_test) == net.predict(data.x_test)).all()),
            "gradcheck": max(errors.values()), "weights": buffer.getvalue().hex()}})
"""


def test_same_training_in_pyodide_and_natively(tmp_path, subset_file):
    runner = tmp_path / "run.mjs"
    runner.write_text(RUNNER % {"assets": ASSETS.as_posix(), "wheel": NUMPY_WHEELS[-1].as_posix()})
    program = tmp_path / "program.py"
    program.write_text(PROGRAM.format(home="/home/pyodide", subset="/home/pyodide/subset.npz"))
    done = subprocess.run(["node", runner, REPO / "mlp", subset_file, program], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    browser = json.loads(done.stdout.strip().splitlines()[-1])
    assert browser["python"] == [3, 12] and browser["numpy"].startswith("2.0")
    assert browser["dtype"] == "float32" and browser["reloaded"] and browser["gradcheck"] < 1e-6

    native = {}
    exec(PROGRAM.format(home=REPO.as_posix(), subset=subset_file.as_posix()).replace("json.dumps(", "result = ("),
         native)
    native = native["result"]
    assert len(browser["history"]) == len(native["history"]) == 2
    for b, n in zip(browser["history"], native["history"]):
        assert b["train_acc"] == n["train_acc"] and b["test_acc"] == n["test_acc"]
        for key in ("train_loss", "test_loss"):
            assert b[key] == pytest.approx(n[key], rel=1e-5)
    # Weights exported in the browser load natively.
    net = mlp.load(bytes.fromhex(browser["weights"]))
    data = mlp.load_subset(subset_file, scaled=True)
    assert net.evaluate(data.x_test, data.y_test)[1] == browser["history"][-1]["test_acc"]
