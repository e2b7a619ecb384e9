"""Train scikit-learn's MLPClassifier on full MNIST and write a report like ``mlp train --report``.

Run by hooks/results.py (experiment ``sklearn_mlp``) with the settings of the ``regularized``
experiment that scikit-learn can follow: layer sizes, activation, Adam's learning rate, batch
size, epochs, seed. The data are the same MNIST files, scaled the same way
(``mlp.normalize``, float32, which MLPClassifier keeps). Each epoch is one ``partial_fit`` over
the shuffled training set (Adam's state carries over), followed, as in ``mlp.Trainer``, by the
loss and accuracy on the whole training and test sets; ``seconds`` times both, like mlp's.

usage: python hooks/sklearn_mlp.py --sizes 784,256,10 --activation relu --lr 0.001
           --batch-size 128 --epochs 15 --seed 0 --alpha 0.0001 --data DIR --report FILE [--quiet]
"""

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import sklearn
from sklearn.metrics import accuracy_score, log_loss
from sklearn.neural_network import MLPClassifier

import mlp

ACTIVATIONS = {"relu": "relu", "sigmoid": "logistic", "tanh": "tanh"}  # mlp's name -> scikit-learn's


def parse(argv):
    parser = argparse.ArgumentParser(prog="sklearn_mlp")
    parser.add_argument("--sizes", required=True)
    parser.add_argument("--activation", choices=list(ACTIVATIONS), required=True)
    parser.add_argument("--lr", type=float, required=True)
    parser.add_argument("--batch-size", type=int, required=True)
    parser.add_argument("--epochs", type=int, required=True)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--alpha", type=float, required=True, help="MLPClassifier's L2 coefficient")
    parser.add_argument("--data", required=True)
    parser.add_argument("--report", required=True)
    parser.add_argument("--quiet", action="store_true")
    return parser.parse_args(argv)


def figures(clf, x, labels):
    """(mean cross-entropy, accuracy) on a whole set, as mlp.Network.evaluate gives them."""
    p = clf.predict_proba(x)
    predicted = clf.classes_[p.argmax(1)]
    return float(log_loss(labels, p, labels=clf.classes_)), float(accuracy_score(labels, predicted))


def main(argv):
    args = parse(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    raw = mlp.load_dataset(args.data)
    data = mlp.Dataset(mlp.normalize(raw.x_train, "float32"), raw.y_train,
                       mlp.normalize(raw.x_test, "float32"),
                       raw.y_test)  # pixels as mlp.data.prepare scales them; labels as integers
    settings = {"hidden_layer_sizes": tuple(sizes[1:-1]), "activation": ACTIVATIONS[args.activation],
                "solver": "adam", "learning_rate_init": args.lr, "batch_size": args.batch_size,
                "alpha": args.alpha, "shuffle": True, "random_state": args.seed}
    clf = MLPClassifier(**settings)
    classes = np.arange(sizes[-1])
    history = []
    for epoch in range(1, args.epochs + 1):
        start = time.perf_counter()
        clf.partial_fit(data.x_train, data.y_train, classes=classes)  # one epoch
        train_loss, train_acc = figures(clf, data.x_train, data.y_train)
        test_loss, test_acc = figures(clf, data.x_test, data.y_test)
        history.append({"epoch": epoch, "seconds": time.perf_counter() - start, "train_loss": train_loss,
                        "train_acc": train_acc, "test_loss": test_loss, "test_acc": test_acc})
        print(f"epoch {epoch}/{args.epochs}: test acc {test_acc:.4f}", flush=True)
    estimator = "MLPClassifier(\n" + "".join(f"    {k}={v!r},\n" for k, v in settings.items()) + ")"
    config = {"estimator": estimator, "sklearn": sklearn.__version__, "sizes": sizes, "epochs": args.epochs,
              "n_train": len(data.x_train), "n_test": len(data.x_test)}
    report = {"config": config, "history": history, "test_acc": history[-1]["test_acc"]}
    Path(args.report).write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
