"""The dense layer with its three products through :func:`mlp.ops.matmul`: what Pyodide runs.

:class:`mlp.layers.Dense` writes its products ``x @ W``, ``x.T @ dz`` and ``dz @ W.T``, as
the lesson does. Inside Pyodide NumPy has no BLAS, and ``@`` is several times slower than
mlp's SIMD kernel or einsum (docs/about/how-it-runs.md has the figures), so ``mlp`` sets
:attr:`mlp.Network.Layer` to this class once, when it is imported there. Natively
:func:`mlp.ops.matmul` is ``a @ b`` and the network keeps :class:`mlp.layers.Dense`.
"""

from .. import layers
from ..ops import matmul


class Dense(layers.Dense):
    """:class:`mlp.layers.Dense`, the same arithmetic, with :func:`mlp.ops.matmul` for ``@``.

    The results equal the plain layer's up to floating-point rounding
    (tests/mlp/test_layout.py compares them).
    """

    def forward(self, x):
        z = matmul(x, self.params["W"])  # x @ W, (batch, n_out)
        z += self.params["b"]
        a = self.f(z) if self.f else z
        self.x, self.a = x, a
        return a

    def backward(self, da, input_grad=True):
        dz = da * self.df(self.a) if self.df else da
        self.grads["W"] = matmul(self.x.T, dz)  # x.T @ dz
        self.grads["b"] = dz.sum(axis=0)
        return matmul(dz, self.params["W"].T) if input_grad else None
