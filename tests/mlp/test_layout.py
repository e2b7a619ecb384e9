"""The package's layout: the lesson imports none of the product parts, and nothing imports in a
cycle; the layer the browser uses computes what the lesson's layer computes."""

import ast
import functools
from pathlib import Path

import numpy as np

import mlp
from mlp import layers, ops
from mlp.tools import fast

PACKAGE = Path(mlp.__file__).parent
# The teaching core, in the reading order of mlp/__init__.py, with the helpers it shares.
CORE = ["activations", "losses", "labels", "init", "ops", "_kernel", "checks", "chunks", "layers", "network",
        "optimizers", "schedules", "regularization", "callbacks", "early_stopping", "training", "gradcheck",
        "metrics"]


def _imports(path):
    """The mlp modules a file imports at its top level or inside functions ("tools.files", "layers")."""
    here = path.relative_to(PACKAGE).with_suffix("").parts[:-1]  # ("tools",) for mlp/tools/x.py
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(here[:len(here) - node.level + 1]) + (node.module.split(".") if node.module else [])
            elif (node.module or "").split(".")[0] == "mlp":
                base = node.module.split(".")[1:]
            else:
                continue
            names = [a.name for a in node.names]
            target = ".".join(base)
            found |= {f"{target}.{n}".strip(".") if (PACKAGE / target.replace(".", "/") / f"{n}.py").exists()
                      else target for n in names}
        elif isinstance(node, ast.Import):
            found |= {a.name[4:] for a in node.names if a.name.startswith("mlp.")}
    return {m for m in found if m}


def _graph():
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        name = ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
        if name.endswith("__init__") or name == "__main__":
            continue
        modules[name] = {m for m in _imports(path) if not m.endswith("__init__")} - {""}
    return modules


def test_the_teaching_core_imports_no_product_part():
    graph = _graph()
    assert set(CORE) <= set(graph)
    for name in CORE:
        assert not {m for m in graph[name] if m.startswith("tools")}, f"mlp/{name}.py imports {graph[name]}"
        assert graph[name] <= set(CORE), f"mlp/{name}.py imports {graph[name] - set(CORE)} beyond the core"


def test_no_import_cycle():
    graph = _graph()
    done, path = set(), []

    def visit(name):
        if name in path:
            raise AssertionError("import cycle: " + " -> ".join(path[path.index(name):] + [name]))
        if name in done or name not in graph:
            return
        path.append(name)
        for dep in sorted(graph[name]):
            visit(dep)
        path.pop()
        done.add(name)

    for name in sorted(graph):
        visit(name)


def test_the_lessons_layer_and_the_browsers_compute_the_same(monkeypatch):
    # Natively the browser's layer runs einsum here, the NumPy path it takes inside Pyodide.
    monkeypatch.setattr(fast, "matmul", functools.partial(ops.matmul, method="einsum"))
    rng = np.random.default_rng(0)
    W, b = rng.standard_normal((40, 36)), rng.standard_normal(36)
    x, da = rng.standard_normal((8, 40)), rng.standard_normal((8, 36))
    plain, browser = layers.Dense(W, b, "sigmoid"), fast.Dense(W, b, "sigmoid")
    np.testing.assert_allclose(browser.forward(x), plain.forward(x), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(browser.backward(da), plain.backward(da), rtol=1e-12, atol=1e-12)
    for key in ("W", "b"):
        np.testing.assert_allclose(browser.grads[key], plain.grads[key], rtol=1e-12, atol=1e-12)
    assert browser.backward(da, input_grad=False) is None


def test_natively_the_network_uses_the_lessons_layer_and_the_memory_check():
    assert mlp.Network.Layer is layers.Dense and not ops.IN_BROWSER
    assert type(mlp.Network([784, 8, 10]).layers[0]) is layers.Dense
    assert mlp.Network.check_memory is mlp.tools.resources.check_memory
