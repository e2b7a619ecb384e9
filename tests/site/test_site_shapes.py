"""Shape errors explained in one line: five mistakes a learner makes writing the backward pass."""

import linecache

import numpy as np
import pytest

from mlpsite.shapes import explain

SETUP = """
import numpy as np
rng = np.random.default_rng(0)
X = rng.random((128, 784)); Y = np.eye(10)[rng.integers(0, 10, 128)]
W1 = rng.random((784, 64)); b1 = np.zeros(64)
W2 = rng.random((64, 10)); b2 = np.zeros(10)
A1 = 1 / (1 + np.exp(-(X @ W1 + b1)))
P = np.exp(A1 @ W2); P /= P.sum(axis=1, keepdims=True)
dZ2 = (P - Y) / 128
"""


def error_of(code, filename="<cell 7>"):
    """Run ``code`` as the cell runner does (source in linecache) and return what it raised."""
    source = SETUP + code
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    with pytest.raises(ValueError) as info:
        exec(compile(source, filename, "exec"), {})
    return info.value


@pytest.mark.parametrize("code, line", [
    # 1. The error passed back without transposing W2.
    ("dA1 = dZ2 @ W2\n",
     "(128, 10) @ (64, 10): the inner sizes 10 and 64 differ; did you mean W2.T?"),
    # 2. The weight gradient with the operands in the wrong order.
    ("dW2 = dZ2 @ A1\n",
     "(128, 10) @ (128, 64): the inner sizes 10 and 128 differ; did you mean dZ2.T?"),
    # 3. A transpose too many in the forward pass (W1 is stored inputs x outputs).
    ("Z1 = X @ W1.T\n",
     "(128, 784) @ (64, 784): the inner sizes 784 and 64 differ; did you mean W1?"),
    # 4. The bias gradient summed over the wrong axis, then used in the update.
    ("db2 = dZ2.sum(axis=1)\nb2 = b2 - 0.1 * db2\n",
     "(10,) - (128,): sizes are matched from the right, and 10 and 128 differ with neither equal to 1"),
    # 5. The activation's derivative multiplied in transposed.
    ("dZ1 = (dZ2 @ W2.T) * (A1 * (1 - A1)).T\n",
     "(128, 64) * (64, 128): sizes are matched from the right, and 64 and 128 differ with neither "
     "equal to 1; did you mean (A1 * (1 - A1))?"),
])
def test_five_backprop_mistakes(code, line):
    assert explain(error_of(code)) == line


def test_dot_and_matmul_calls_and_in_place_updates():
    assert explain(error_of("np.dot(dZ2, W2)\n")) == (
        "(128, 10) @ (64, 10): the inner sizes 10 and 64 differ; did you mean W2.T?")
    assert explain(error_of("np.matmul(X, W2)\n")) == (
        "(128, 784) @ (64, 10): the inner sizes 784 and 64 differ "
        "(the last size of the left operand must equal the first of the right)")
    assert explain(error_of("b1 += dZ2.sum(axis=0)\n")).startswith("(64,) += (10,): sizes are matched")


def test_calls_are_never_re_evaluated():
    # np.ones(3) is a call: its shape comes from NumPy's message only, the call is not run again.
    line = explain(error_of("X @ np.ones(3)\n"))
    assert line == ("X @ np.ones(3): the inner sizes 784 and 3 differ "
                    "(the last size of the left operand must equal the first of the right)")


def test_other_errors_get_no_line():
    assert explain(ValueError("something else")) is None
    assert explain(TypeError("unsupported operand")) is None
    try:
        np.zeros(3).reshape(4)
    except ValueError as error:
        assert explain(error) is None
