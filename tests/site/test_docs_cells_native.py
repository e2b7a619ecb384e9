"""Run every cell of every tutorial page natively, in page order, one namespace per page.

The browser suite (tests/browser/test_pages.py) runs the same cells in Pyodide; this
native pass finds a broken cell in seconds. The drawing module ``page`` is the site's own
(``mlpsite.page``, as in the browser): outside the browser it checks its arguments the same way and
prints a one-line summary instead of drawing. The data file that the browser sees at
/data/... is read from build/assets/data/ (or from $MLP_DOCS_DATA_DIR).

Run one page by hand:  python tests/site/test_docs_cells_native.py docs/backprop.md
"""

import contextlib
import importlib
import io
import linecache
import os
import re
import sys
import time
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
DATA_DIR = Path(os.environ.get("MLP_DOCS_DATA_DIR", ROOT / "build" / "assets" / "data"))
PAGES = ["index.md", "data.md", "architecture.md", "forward.md", "softmax.md",
         "backprop.md", "optimizers.md", "training.md", "results.md", "exercises.md",
         "overfitting.md", "performance.md"]

CELL_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,})\{\s*\.python\s+\.cell\b[^}]*\}\s*$")


def extract_cells(markdown, with_indent=False):
    """The source of every ```{.python .cell} block, in order (indentation removed).

    With ``with_indent``, (source, indentation) pairs: indented cells sit inside a block
    such as a folded admonition.
    """
    cells, lines, i = [], markdown.splitlines(), 0
    while i < len(lines):
        match = CELL_OPEN.match(lines[i])
        i += 1
        if not match:
            continue
        indent, fence, body = match["indent"], match["fence"], []
        while i < len(lines) and lines[i].strip() != fence:
            body.append(lines[i][len(indent):] if lines[i].startswith(indent) else lines[i].lstrip())
            i += 1
        if i == len(lines):
            raise ValueError(f"cell opened on line {len(body)} is never closed")
        i += 1
        source = "\n".join(body) + "\n"
        cells.append((source, indent) if with_indent else source)
    return cells


def run_page(name, echo=False, namespace=None):
    """Exec the page's cells in order; return [(seconds, output)] per cell.

    ``namespace``: a dict the cells run in (left holding the page's variables), else a new one.
    """
    cells = extract_cells((DOCS / name).read_text())
    # A fresh `page` module per page, under the name cells import, as the worker does.
    sys.modules["page"] = importlib.reload(importlib.import_module("mlpsite.page"))
    namespace = {"__name__": "__main__"} if namespace is None else namespace
    results = []
    try:
        for number, source in enumerate(cells, 1):
            source = source.replace('"/data/', f'"{DATA_DIR}/')
            out = io.StringIO()
            start = time.perf_counter()
            # A warning would show on the page as red text under the cell: treat it as a failure.
            with contextlib.redirect_stdout(out), warnings.catch_warnings():
                warnings.simplefilter("error")
                filename = f"{name}[cell {number}]"
                # As the page's runner does: the cell's source is readable by inspect (the
                # backprop stepper shows the reader's functions).
                linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
                try:
                    exec(compile(source, filename, "exec"), namespace)
                except Exception as error:
                    raise AssertionError(f"{name} cell {number} failed: {error!r}\n"
                                         f"--- output ---\n{out.getvalue()}") from error
            text = out.getvalue()
            results.append((time.perf_counter() - start, text))
            if echo:
                print(f"--- cell {number} ({results[-1][0]:.2f} s)\n{text}", end="")
    finally:
        sys.modules.pop("page", None)
    return results


@pytest.mark.parametrize("name", PAGES)
def test_cells_run_natively(name):
    if not (DATA_DIR / "mnist-subset.npz").exists():
        pytest.fail(f"{DATA_DIR / 'mnist-subset.npz'} is missing: run scripts/build_assets.py first")
    cells = extract_cells((DOCS / name).read_text())
    assert cells, f"{name} has no cells"
    results = run_page(name)
    assert len(results) == len(cells)


MAX_LINE = 79   # wider cell lines are cut off at the right edge of the page's column


@pytest.mark.parametrize("name", PAGES)
def test_cell_lines_fit_the_page(name):
    long = [f"cell {n}: {line}" for n, cell in enumerate(extract_cells((DOCS / name).read_text()), 1)
            for line in cell.splitlines() if len(line) > MAX_LINE]
    assert not long, f"lines over {MAX_LINE} characters:\n" + "\n".join(long)


def test_exercise_solutions_pass_their_checks():
    """The folded solutions of the exercises end with their check: each must print PASS."""
    cells = extract_cells((DOCS / "exercises.md").read_text(), with_indent=True)
    solutions = [n for n, (_, indent) in enumerate(cells) if indent]
    assert len(solutions) >= 4
    outputs = [text for _, text in run_page("exercises.md")]
    for n in solutions:
        assert "PASS" in outputs[n] and "FAIL" not in outputs[n], f"solution cell {n + 1}:\n{outputs[n]}"


WRONG_ANSWERS = {
    "an exp() overflowing": """
def my_tanh(z):
    return (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))
def my_tanh_derivative(a):
    return 1 - a * a
check_activation(my_tanh, my_tanh_derivative, np.tanh, lambda z: 1 - np.tanh(z) ** 2, "tanh")
""",
    "given a = f(z) (not z)": """
def my_tanh(z):
    return np.tanh(z)
def my_tanh_derivative(a):
    return 1 - np.tanh(a) ** 2
check_activation(my_tanh, my_tanh_derivative, np.tanh, lambda z: 1 - np.tanh(z) ** 2, "tanh")
""",
    "f(z) at z = -6 is -0.6, expected -0.06": """
def my_leaky_relu(z):
    return np.maximum(z, 0.1 * z)
def my_leaky_relu_derivative(a):
    return np.where(a > 0, 1.0, 0.01)
check_activation(my_leaky_relu, my_leaky_relu_derivative, lambda z: np.where(z > 0, z, 0.01 * z),
                 lambda z: np.where(z > 0, 1.0, 0.01), "leaky ReLU")
""",
    "that is Adam with its correction": """
def uncorrected_steps(n, learning_rate=0.01, beta1=0.9, beta2=0.999):
    return np.full(n, learning_rate)
check_steps(uncorrected_steps)
""",
    "m starts at 0, but so does v": """
def uncorrected_steps(n, learning_rate=0.01, beta1=0.9, beta2=0.999):
    return learning_rate * (1 - beta1 ** np.arange(1, n + 1))
check_steps(uncorrected_steps)
""",
    "unroll m_t": """
def uncorrected_steps(n, learning_rate=0.01, beta1=0.9, beta2=0.999):
    t = np.arange(n)                  # off by one: starts at t = 0
    return learning_rate * (1 - beta1 ** (t + 2)) / np.sqrt(1 - beta2 ** (t + 2))
check_steps(uncorrected_steps)
""",
    "expected (50,), one length per step": """
def uncorrected_steps(n, learning_rate=0.01, beta1=0.9, beta2=0.999):
    return learning_rate * (1 - beta1) / np.sqrt(1 - beta2)
check_steps(uncorrected_steps)
""",
    "dW1 differs from the reference": """
def forward_deep(params, X):
    L, A = len(params) // 2, [X]
    for i in range(1, L + 1):
        Z = A[-1] @ params[f"W{i}"] + params[f"b{i}"]
        if i < L:
            A.append(sigmoid(Z))
    return softmax(Z), A
def backward_deep(params, A, P, Y):     # forgets the sigmoid's derivative
    L, grads, dZ = len(params) // 2, {}, (P - Y) / len(Y)
    for i in range(L, 0, -1):
        grads[f"W{i}"], grads[f"b{i}"] = A[i - 1].T @ dZ, dZ.sum(axis=0)
        dZ = dZ @ params[f"W{i}"].T
    return grads
check_deep()
""",
}


@pytest.mark.parametrize("reason", WRONG_ANSWERS)
def test_exercise_checks_reject_wrong_answers(reason):
    """A wrong answer gets FAIL with a reason that points at the mistake, never an exception."""
    cells = extract_cells((DOCS / "exercises.md").read_text())
    namespace = {"__name__": "__main__"}
    checks = [c for c in cells if "def check_activation" in c or "def check_deep" in c]
    sys.modules["page"] = importlib.import_module("mlpsite.page")  # the checks import it, as in the worker
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        for source in checks:
            exec(source.replace("check_deep()\n", ""), namespace)
        exec("from mlp.activations import sigmoid, softmax\n" + WRONG_ANSWERS[reason], namespace)
    text = out.getvalue()
    assert "FAIL" in text and reason in text, text


if __name__ == "__main__":
    for page_name in sys.argv[1:] or PAGES:
        print(f"===== {page_name}")
        timings = run_page(Path(page_name).name, echo=True)
        print(f"===== {page_name}: {len(timings)} cells, {sum(t for t, _ in timings):.2f} s")
