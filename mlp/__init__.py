"""A multilayer perceptron written from scratch with NumPy.

Reading order for a learner, each file a step of the lesson that imports only files of
its own step or the ones before, and the small helpers ``checks.py`` (argument checks)
and ``chunks.py`` (evaluation in chunks):

1. ``activations.py``: sigmoid, ReLU, tanh, softmax and their derivatives;
   ``losses.py``: cross-entropy and its gradient fused with softmax;
   ``labels.py``: labels as one-hot targets; ``init.py``: how the first weights are drawn.
2. ``layers.py``: :class:`Dense`, ``a = f(x @ W + b)`` forward and its gradients backward;
   ``network.py``: :class:`Network`, a stack of them ending in softmax.
3. ``optimizers.py``: SGD, momentum, RMSProp and Adam, each update as its formula;
   ``schedules.py``, ``regularization.py``: learning-rate schedules, weight decay, L2, dropout;
   ``training.py``: :class:`Trainer`, the loop of mini-batches and epochs
   (``callbacks.py``, ``early_stopping.py`` hook into it).
4. ``gradcheck.py``: the gradients checked against finite differences;
   ``metrics.py``: accuracy and the confusion matrix.

Around the lesson: ``data.py`` reads MNIST, ``config.py`` holds :class:`RunConfig` (every
setting of a run) and :func:`build`, ``evaluation.py``, ``serialization.py`` and
``inspection.py`` come after training, and ``ops.py`` and ``_kernel.py`` are the matrix
product the browser uses. The product parts (memory checks, files, progress history,
diagnoses, the lab's choices, the command line) live in :mod:`mlp.tools`; nothing of the
lesson imports them.
"""

__version__ = "0.1.0"

import importlib

from .activations import ACTIVATIONS, relu, sigmoid, softmax, tanh
from .callbacks import Callback
from .config import RunConfig, build
from .data import DataError, Dataset, load_dataset, load_subset, normalize, one_hot
from .early_stopping import EarlyStopping, KeepBest
from .evaluation import evaluate
from .gradcheck import check_gradients, numerical_gradient, relative_error
from .inspection import prediction_path
from .layers import Dense
from .losses import cross_entropy
from .metrics import accuracy, confusion_matrix
from .network import Network
from .ops import IN_BROWSER
from .optimizers import OPTIMIZERS, SGD, Adam, Momentum, Optimizer, RMSProp, make_optimizer
from .regularization import Dropout, add_l2_gradient, l2_penalty
from .schedules import make_schedule
from .serialization import load, save
from .tools import fast, resources
from .tools.diagnosis import guessing_loss
from .tools.resources import MemoryLimitError
from .training import Trainer, TrainingDiverged, train

# The network's two hooks, set once (see mlp.Network): its memory check, and inside Pyodide,
# whose NumPy has no BLAS, the layer whose products go through mlp.ops.matmul.
Network.check_memory = staticmethod(resources.check_memory)
if IN_BROWSER:
    Network.Layer = fast.Dense

# The other product parts, so that mlp.tools.<module> is at hand after ``import mlp``.
for _module in ("choices", "files", "history"):
    importlib.import_module(f".tools.{_module}", __name__)
del _module, fast, resources, importlib, IN_BROWSER

__all__ = [
    "__version__",
    # the lesson, in reading order
    "sigmoid", "relu", "tanh", "softmax", "ACTIVATIONS", "cross_entropy",
    "Dense", "Network",
    "Optimizer", "SGD", "Momentum", "RMSProp", "Adam", "OPTIMIZERS", "make_optimizer",
    "make_schedule", "Dropout", "l2_penalty", "add_l2_gradient",
    "Trainer", "train", "TrainingDiverged", "Callback", "EarlyStopping", "KeepBest",
    "check_gradients", "numerical_gradient", "relative_error", "accuracy", "confusion_matrix",
    # using it: one run's settings, the data, after training
    "RunConfig", "build",
    "Dataset", "DataError", "load_subset", "load_dataset", "normalize", "one_hot",
    "evaluate", "save", "load", "prediction_path", "guessing_loss", "MemoryLimitError",
]
