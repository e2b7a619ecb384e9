"""The multilayer perceptron: a stack of dense layers with a softmax output."""

import itertools

import numpy as np

from .activations import get_activation, softmax
from .chunks import EVAL_CHUNK, checked_data, loss_and_predictions
from .init import get_initializer
from .layers import Dense, parameter_count
from .losses import softmax_cross_entropy_grad

DTYPES = ("float32", "float64")


def check_dtype(dtype):
    """Return ``np.dtype(dtype)`` if it is float32 or float64; ``ValueError`` otherwise."""
    try:
        dt = np.dtype(dtype)
    except TypeError:
        dt = None
    if dt is None or dt.name not in DTYPES:
        raise ValueError(f"unsupported dtype {dtype!r}; choose one of: {', '.join(DTYPES)}")
    return dt


class Network:
    """A fully connected network of any depth, ending in softmax.

    Layer ``i`` maps ``sizes[i]`` features to ``sizes[i+1]``. Every hidden layer
    uses ``activation``; the last one's outputs go through softmax.

    Parameters
    ----------
    sizes : sequence of int
        Layer widths, input first: ``[784, 64, 10]`` has one hidden layer of 64.
    activation : str
        Hidden-layer activation, a name in :data:`mlp.activations.ACTIVATIONS`.
    init : str
        Weight initialisation, a name in :data:`mlp.init.INITIALIZERS`.
    seed : int or None
        Seed of the ``numpy.random.Generator`` that draws the weights.
    dtype : {"float32", "float64"}
        Dtype of every parameter and of every computation.

    Attributes
    ----------
    layers : list of Dense
    params : dict
        ``{"W1": ..., "b1": ..., "W2": ...}``, the layers' arrays (not copies).

    Two hooks of the class are set once by ``mlp`` when it is imported, so the lesson's
    code needs no branch: :attr:`Layer`, the layer class (:class:`mlp.layers.Dense`;
    inside Pyodide :class:`mlp.tools.fast.Dense`), and :meth:`check_memory`, which refuses
    a network too large to allocate before its weights are drawn
    (:func:`mlp.tools.resources.check_memory`, raising :class:`mlp.MemoryLimitError`).
    """

    Layer = Dense

    @staticmethod
    def check_memory(nbytes, what):
        """No check by default; ``mlp`` installs :func:`mlp.tools.resources.check_memory`."""
        return nbytes

    def __init__(self, sizes, activation="sigmoid", init="normal", seed=0, dtype="float32"):
        given = sizes
        sizes = [] if isinstance(sizes, str) or not np.iterable(sizes) else [int(s) for s in sizes]
        if len(sizes) < 2 or min(sizes) < 1:
            raise ValueError(f"sizes must list at least two positive layer widths, e.g. [784, 64, 10]; "
                             f"got {given!r}")
        get_activation(activation)  # fail early on an unknown name
        draw = get_initializer(init)
        self.sizes, self.activation, self.init = sizes, activation, init
        self.dtype = check_dtype(dtype)
        # Drawing uses float64 before the cast: refuse a network that cannot be allocated.
        self.check_memory(parameter_count(sizes) * (8 + self.dtype.itemsize),
                     f"a {'-'.join(map(str, sizes))} network ({self.dtype.name})")
        rng = np.random.default_rng(seed)
        self.layers = []
        for i, (n_in, n_out) in enumerate(itertools.pairwise(sizes)):
            W = draw(n_in, n_out, rng).astype(self.dtype)
            b = np.zeros(n_out, dtype=self.dtype)
            last = i == len(sizes) - 2
            self.layers.append(self.Layer(W, b, activation=None if last else activation))
        self._dropout = None  # the Dropout of the last forward pass, if any

    def __repr__(self):
        return (f"Network(sizes={self.sizes}, activation={self.activation!r}, init={self.init!r}, "
                f"dtype={self.dtype.name!r})")

    @property
    def config(self):
        """Everything needed to rebuild this network's shape: a JSON-friendly dict."""
        return {"sizes": self.sizes, "activation": self.activation, "init": self.init,
                "dtype": self.dtype.name}

    @property
    def params(self):
        """``{"W1": W, "b1": b, ...}``: the live parameter arrays, numbered from 1."""
        return {f"{k}{i}": v for i, layer in enumerate(self.layers, 1) for k, v in layer.params.items()}

    def check_inputs(self, x):
        """Check ``x`` and return it in the network's dtype (no copy if already right)."""
        x = np.asarray(x)
        if not np.issubdtype(x.dtype, np.floating):
            raise TypeError(f"inputs must be floating point (pixels scaled to [0, 1], see "
                            f"mlp.data.normalize); got {x.dtype}")
        if x.ndim != 2 or x.shape[1] != self.sizes[0]:
            raise ValueError(f"inputs must have shape (n, {self.sizes[0]}); got {x.shape}")
        return x.astype(self.dtype, copy=False)

    def forward(self, x, dropout=None):
        """Class probabilities for a batch; caches what :meth:`backward` needs.

        Parameters
        ----------
        x : ndarray, shape (batch, sizes[0])
        dropout : mlp.regularization.Dropout or None
            In a training step, drops hidden-layer outputs (never the inputs or the
            logits); :meth:`backward` then follows the same masks. ``None`` (what
            :meth:`predict` and :meth:`evaluate` use) keeps every unit.

        Returns
        -------
        ndarray, shape (batch, sizes[-1]); rows sum to 1.
        """
        a = self.check_inputs(x)
        self._dropout = dropout
        for i, layer in enumerate(self.layers):
            a = layer.forward(a)
            if dropout is not None and i < len(self.layers) - 1:
                a = dropout.forward(i, a)  # (batch, sizes[i+1]), dropped units 0
        return softmax(a)  # the last layer's a is the logits z

    __call__ = forward

    def backward(self, p, y):
        """Gradients of the mean cross-entropy, after ``p = forward(x)``.

        Parameters
        ----------
        p : ndarray, shape (batch, classes)
            The output of the last :meth:`forward`.
        y : ndarray, shape (batch, classes)
            One-hot targets, in the network's dtype.

        Returns
        -------
        dict
            ``{"W1": dW1, "b1": db1, ...}``, same keys and shapes as :attr:`params`.
        """
        grad = softmax_cross_entropy_grad(p, y)  # dL/dz of the last layer
        for i in reversed(range(len(self.layers))):
            grad = self.layers[i].backward(grad, input_grad=i > 0)
            if grad is not None and self._dropout is not None:
                grad = self._dropout.backward(i - 1, grad)  # through layer i-1's mask
        return {f"{k}{i}": v for i, layer in enumerate(self.layers, 1) for k, v in layer.grads.items()}

    def predict_proba(self, x, chunk=EVAL_CHUNK):
        """Class probabilities, shape (n, classes), computed ``chunk`` rows at a time."""
        x = self.check_inputs(x)
        return np.concatenate([self.forward(x[i:i + chunk]) for i in range(0, len(x), chunk)]) \
            if len(x) else np.empty((0, self.sizes[-1]), self.dtype)

    def predict(self, x, chunk=EVAL_CHUNK):
        """Predicted class labels, shape (n,)."""
        return self.predict_proba(x, chunk).argmax(axis=1)

    def evaluate(self, x, y, chunk=EVAL_CHUNK):
        """``(loss, accuracy)`` on a whole data set, ``chunk`` rows at a time.

        Parameters
        ----------
        x : ndarray, shape (n, sizes[0])
        y : ndarray, shape (n, classes) one-hot, or shape (n,) integer labels

        Returns
        -------
        (float, float)
            Mean cross-entropy and fraction of correct predictions.

        Raises
        ------
        ValueError
            For labels that are not integers in ``0..classes - 1`` (as :func:`mlp.one_hot`),
            lengths that differ, or no samples. :func:`mlp.evaluate` gives the full report.
        """
        x, labels = checked_data(self, x, y, chunk)
        loss, predicted, _ = loss_and_predictions(self, x, labels, chunk)
        return loss, int(np.sum(predicted == labels)) / len(x)

    def parameter_count(self):
        """Number of weights and biases (see :func:`mlp.layers.parameter_count`)."""
        return parameter_count(self.sizes)
