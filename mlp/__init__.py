"""A multilayer perceptron written from scratch with NumPy."""

__version__ = "0.1.0"

from .activations import ACTIVATIONS, DERIVATIVES, get_activation, leaky_relu, relu, sigmoid, softmax, tanh
from .callbacks import Callback, EpochLog, ProgressBar
from .early_stopping import EarlyStopping, KeepBest
from .data import (DataError, Dataset, load_dataset, load_mnist, load_subset, make_subset, normalize,
                   one_hot, prepare, read_idx, save_subset)
from .gradcheck import check_gradients, numerical_gradient, relative_error
from .init import INITIALIZERS, get_initializer
from .layers import Dense
from .losses import cross_entropy, softmax_cross_entropy_grad
from .metrics import accuracy, confusion_matrix, per_class_accuracy
from .network import Network
from .ops import matmul
from .regularization import Dropout, add_l2_gradient, l2_penalty
from .schedules import SCHEDULES, CosineSchedule, StepSchedule, make_schedule
from .optimizers import OPTIMIZERS, SGD, Adam, Momentum, Optimizer, RMSProp, get_optimizer
from .serialization import load, load_weights, save
from .training import Trainer, TrainingDiverged, train

__all__ = [
    "__version__",
    # model
    "Network", "Dense", "matmul",
    "ACTIVATIONS", "DERIVATIVES", "get_activation", "sigmoid", "relu", "tanh", "leaky_relu", "softmax",
    "INITIALIZERS", "get_initializer",
    "cross_entropy", "softmax_cross_entropy_grad",
    # training
    "OPTIMIZERS", "get_optimizer", "Optimizer", "SGD", "Momentum", "RMSProp", "Adam",
    "Trainer", "train", "TrainingDiverged",
    "Callback", "ProgressBar", "EpochLog", "EarlyStopping", "KeepBest",
    # regularisation
    "Dropout", "l2_penalty", "add_l2_gradient", "SCHEDULES", "make_schedule", "StepSchedule", "CosineSchedule",
    # data
    "Dataset", "DataError", "read_idx", "load_mnist", "load_dataset", "load_subset", "save_subset",
    "make_subset", "normalize", "one_hot", "prepare",
    # after training
    "accuracy", "confusion_matrix", "per_class_accuracy", "save", "load", "load_weights",
    "numerical_gradient", "check_gradients", "relative_error",
]
