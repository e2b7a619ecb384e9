"""The fully connected layer: ``z = x @ W + b``, ``a = f(z)``.

Batches are row-major: one sample per row, ``x`` of shape ``(batch, n_in)``,
``W`` of shape ``(n_in, n_out)``, ``b`` of shape ``(n_out,)``.

The products are written ``@``, as in the lesson. Natively NumPy hands them to a BLAS.
Inside Pyodide, whose NumPy has none, :class:`mlp.Network` builds its layers as
:class:`mlp.tools.fast.Dense` instead: the same layer, its three products through
:func:`mlp.ops.matmul` (mlp's SIMD kernel, or einsum).
"""

import itertools

from .activations import get_activation


class Dense:
    """A fully connected layer with an optional element-wise activation.

    Parameters
    ----------
    W : ndarray, shape (n_in, n_out)
    b : ndarray, shape (n_out,)
    activation : str or None
        Name from :data:`mlp.activations.ACTIVATIONS`; ``None`` leaves
        ``a = z`` (the output layer, whose softmax is fused with the loss).

    Attributes
    ----------
    params : dict
        ``{"W": W, "b": b}``; optimisers update these arrays in place.
    grads : dict
        ``{"W": dW, "b": db}`` from the last :meth:`backward`.
    """

    def __init__(self, W, b, activation=None):
        self.params = {"W": W, "b": b}
        self.grads = {}
        self.activation = activation
        self.f, self.df = get_activation(activation) if activation else (None, None)
        self.x = self.a = None  # cached by forward for backward

    def forward(self, x):
        """``a = f(x @ W + b)``; ``x`` (batch, n_in) -> ``a`` (batch, n_out)."""
        z = x @ self.params["W"] + self.params["b"]  # (batch, n_out)
        a = self.f(z) if self.f else z
        self.x, self.a = x, a
        return a

    def backward(self, da, input_grad=True):
        r"""Back-propagate ``da = dL/da`` through the layer.

        Stores ``dW = x^T dz`` and ``db = \sum_{batch} dz`` in :attr:`grads`,
        where ``dz = da * f'(z)``, and returns ``dx = dz W^T``.

        Parameters
        ----------
        da : ndarray, shape (batch, n_out)
        input_grad : bool
            ``False`` skips computing ``dx`` (the first layer's input is the
            data, whose gradient nobody needs: this saves one matrix product).

        Returns
        -------
        ndarray, shape (batch, n_in), or None if ``input_grad`` is False.
        """
        dz = da * self.df(self.a) if self.df else da  # (batch, n_out)
        self.grads["W"] = self.x.T @ dz  # (n_in, n_out)
        self.grads["b"] = dz.sum(axis=0)  # (n_out,)
        return dz @ self.params["W"].T if input_grad else None


def parameter_count(sizes):
    """Number of weights and biases of a network with layer widths ``sizes`` (input first).

    ``sum(n_in * n_out + n_out)`` over consecutive widths: 784-64-10 has 50,890.
    An exact Python int, however large the sizes.
    """
    sizes = [int(s) for s in sizes]
    return sum(n_in * n_out + n_out for n_in, n_out in itertools.pairwise(sizes))
