"""A multilayer perceptron written from scratch with NumPy."""

__version__ = "0.1.0"
