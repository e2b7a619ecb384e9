"""A multilayer perceptron written from scratch with NumPy."""

__version__ = "0.1.0"

from .activations import ACTIVATIONS, DERIVATIVES, get_activation, leaky_relu, relu, sigmoid, softmax, tanh
from .callbacks import Callback, EpochLog, ProgressBar, format_record
from .config import RunConfig, build
from .choices import choices
from .data import (
                   DataError,
                   Dataset,
                   check_labels,
                   load_dataset,
                   load_mnist,
                   load_subset,
                   make_subset,
                   normalize,
                   one_hot,
                   prepare,
                   read_idx,
                   save_subset,
)
from .diagnosis import diagnose, guessing_loss, worse_than_guessing
from .evaluation import EvaluationReport, evaluate
from .early_stopping import EarlyStopping, KeepBest
from .files import atomic_write, check_output_path
from .gradcheck import check_gradients, numerical_gradient, relative_error
from .history import HistoryRecorder
from .init import INITIALIZERS, get_initializer
from .inspection import LayerPath, PredictionPath, prediction_path
from .layers import Dense
from .losses import cross_entropy, softmax_cross_entropy_grad
from .metrics import accuracy, confusion_matrix, per_class_accuracy
from .network import Network, parameter_count
from .ops import matmul
from .optimizers import (
                   OPTIMIZERS,
                   SGD,
                   Adam,
                   ClassicMomentum,
                   Momentum,
                   Nesterov,
                   Optimizer,
                   RMSProp,
                   get_optimizer,
                   make_optimizer,
)
from .regularization import Dropout, add_l2_gradient, l2_penalty
from .schedules import SCHEDULES, CosineSchedule, StepSchedule, make_schedule
from .serialization import load, load_weights, save
from .training import Trainer, TrainingDiverged, train
from .validation import MemoryLimitError, check_fits, check_memory, check_weights, training_memory

__all__ = [
    "__version__",
    # model
    "RunConfig", "build",
    "Network", "Dense", "matmul", "parameter_count", "check_weights", "check_fits", "choices",
    "ACTIVATIONS", "DERIVATIVES", "get_activation", "sigmoid", "relu", "tanh", "leaky_relu", "softmax",
    "INITIALIZERS", "get_initializer",
    "cross_entropy", "softmax_cross_entropy_grad",
    # training
    "OPTIMIZERS", "make_optimizer", "get_optimizer", "Optimizer", "SGD", "Momentum", "ClassicMomentum",
    "Nesterov", "RMSProp", "Adam",
    "Trainer", "train", "TrainingDiverged",
    "Callback", "ProgressBar", "EpochLog", "EarlyStopping", "KeepBest", "HistoryRecorder", "format_record",
    "diagnose", "worse_than_guessing", "guessing_loss",
    # regularisation
    "Dropout", "l2_penalty", "add_l2_gradient", "SCHEDULES", "make_schedule", "StepSchedule", "CosineSchedule",
    # data
    "Dataset", "DataError", "read_idx", "load_mnist", "load_dataset", "load_subset", "save_subset",
    "make_subset", "normalize", "one_hot", "check_labels", "prepare",
    # after training
    "evaluate", "EvaluationReport", "accuracy", "confusion_matrix", "per_class_accuracy",
    "prediction_path", "PredictionPath", "LayerPath",
    "save", "load", "load_weights",
    "atomic_write", "check_output_path", "check_memory", "training_memory", "MemoryLimitError",
    "numerical_gradient", "check_gradients", "relative_error",
]
