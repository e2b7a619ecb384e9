"""The conclusions that the pages' experiments state, checked against what their cells compute.

Each page runs natively once (tests/site/test_docs_cells_native.py's run_page, the cells the
browser runs), and the tests read the variables its cells left behind: a sentence of the
prose such as "the gradient check passes on every line" is an assertion here.
"""

import math
import re

import numpy as np
import pytest
from test_docs_cells_native import DATA_DIR, DOCS, run_page


@pytest.fixture(scope="module")
def pages():
    """name -> the namespace its cells left, each page run at most once."""
    if not (DATA_DIR / "mnist-subset.npz").exists():
        pytest.fail(f"{DATA_DIR / 'mnist-subset.npz'} is missing: run scripts/build_assets.py first")
    done = {}

    def run(name):
        if name not in done:
            done[name] = {"__name__": "__main__"}
            run_page(name, namespace=done[name])
        return done[name]
    return run


# -- training.md: sanity checks before training ---------------------------------------------

def test_initial_loss_is_near_ln10_and_the_expansion_explains_the_rest(pages):
    ns = pages("training.md")
    loss, spread = ns["initial_loss"], ns["spread"]
    assert abs(loss - math.log(10)) < 0.25, loss                      # "a little above ln 10"
    assert loss > math.log(10)
    assert abs(loss - (math.log(10) + spread ** 2 / 2)) < 0.25 * (loss - math.log(10))


def test_twenty_pictures_are_memorised(pages):
    ns = pages("training.md")
    assert ns["acc20"] == 1.0 and ns["loss20"] < 0.05


def test_each_sanity_check_catches_what_the_page_says(pages):
    checks = pages("training.md")["checks"]
    near_ln10 = {name: abs(c["initial loss"] - math.log(10)) < 0.3 for name, c in checks.items()}
    memorised = {name: c["overfit accuracy"] == 1.0 for name, c in checks.items()}
    # The gradient check passes on every line.
    assert all(c["gradient error"] < 1e-6 for c in checks.values()), checks
    # The initial loss catches the weights' scale ("several times above ln 10"), only that.
    assert checks["weights 28x too large"]["initial loss"] > 3 * math.log(10)
    assert [n for n, ok in near_ln10.items() if not ok] == ["weights 28x too large"]
    # Overfitting 20 pictures catches a bad learning rate, too large or too small, only that.
    assert sorted(n for n, ok in memorised.items() if not ok) == ["learning rate 0.001",
                                                                  "learning rate 100"]
    # Neither catches shuffled labels; the validation accuracy does (chance level or below).
    assert checks["labels shuffled"]["val_acc"] <= 0.12
    assert checks["correct"]["val_acc"] > 0.6


# -- training.md: the learning-rate sweep -----------------------------------------------------

def test_relu_needs_a_smaller_learning_rate_than_sigmoid(pages):
    ns = pages("training.md")
    rates, sweeps, best, good = ns["rates"], ns["sweeps"], ns["best_rate"], ns["good_rates"]
    assert np.allclose(rates[1:] / rates[:-1], [2, 2.5, 2] * 3)           # 1, 2, 5 per decade
    assert best["relu"] < best["sigmoid"]
    assert good["relu"].max() < good["sigmoid"].max()
    # "at the top of sigmoid's plateau, where sigmoid still learns well, ReLU collapses to
    # chance or diverges" (the best rate itself moves within the plateau with rounding)
    collapsed = np.nan_to_num(sweeps["relu"]) < 0.3
    assert collapsed[rates == good["sigmoid"].max()].all()
    assert collapsed[np.isin(rates, good["sigmoid"])].any()
    # "both curves have the same shape": low at both ends, a plateau between.
    for acc in sweeps.values():
        peak = np.nanmax(acc)
        assert np.nan_to_num(acc[0]) < peak - 0.15 and np.nan_to_num(acc[-1]) < peak - 0.1
    # "ReLU's first layer takes larger steps": its first gradient of W1 is larger.
    assert ns["first_step"]["relu"] > ns["first_step"]["sigmoid"]


# -- training.md: batch size ------------------------------------------------------------------

def test_the_batch_gradients_variance_falls_as_one_over_b(pages):
    ns = pages("training.md")
    assert -1.1 < ns["slope"] < -0.9
    variance, sizes = ns["gradient_variance"], ns["batch_sizes"]
    assert np.all(np.diff(variance) < 0)
    assert np.allclose(variance, variance[0] / sizes, rtol=0.35)


def test_larger_batches_win_per_step_and_lose_per_epoch(pages):
    ns = pages("training.md")
    runs, jitter = ns["runs"], ns["jitter"]
    sizes = sorted(runs)
    steps_acc = [runs[b]["steps acc"] for b in sizes]
    epoch_acc = [runs[b]["epoch acc"] for b in sizes]
    assert steps_acc == sorted(steps_acc) and steps_acc[-1] > steps_acc[0]    # per step: larger wins
    assert epoch_acc == sorted(epoch_acc, reverse=True)                         # per epoch: smaller
    assert [jitter[b] for b in sizes] == sorted(jitter.values(), reverse=True)  # steadier
    assert len(ns["pictures"]) == len(runs[16]["val loss"]) and ns["pictures"][-1] < 1


# -- softmax.md: squared error against cross-entropy ------------------------------------------

def test_the_squared_errors_gradient_vanishes_for_a_confident_wrong_answer(pages):
    ns = pages("softmax.md")
    ce, mse = np.array(ns["ce_size"]), np.array(ns["mse_size"])
    assert np.abs(ns["measured"] - ns["mse_gradient"](ns["Z1"], ns["Y1"])).max() < 1e-7
    assert np.all(np.diff(ce) > 0) and abs(ce[-1] - np.sqrt(2)) < 0.01     # "tends to sqrt 2"
    peak = int(np.argmax(mse))                             # "once the wrong digit leads by about 3"
    assert 2 <= ns["margins"][peak] <= 4
    assert np.all(np.diff(mse[peak:]) < 0) and mse[-1] < 1e-4 * ce[-1]     # "the worse, the smaller"


def test_the_squared_error_learns_slowly_and_not_at_all_from_a_saturated_start(pages):
    final = {name: acc[-1] for name, acc in pages("softmax.md")["slowdown"].items()}
    assert final["squared error, usual start"] < final["cross-entropy, usual start"]
    assert final["squared error, usual start"] > 0.5                                # it learns
    assert final["cross-entropy, saturated"] > final["cross-entropy, usual start"] - 0.05
    assert final["squared error, saturated"] < 0.25                                 # near chance


# -- architecture.md: initialisation in training ----------------------------------------------

def test_zero_weights_keep_every_hidden_unit_a_copy(pages):
    """Natively, BLAS may round the columns apart ("a rank of a few"); in the browser the
    page's kernel keeps them exactly equal (tests/browser/test_pages.py checks that)."""
    ns = pages("architecture.md")
    zero, random = ns["zero_start"], ns["random_start"]
    W1 = zero.params["W1"]
    assert np.linalg.norm(W1) > 1                                 # "its weights moved"
    rank = np.linalg.matrix_rank(W1)
    assert rank <= 5 and np.linalg.matrix_rank(random.params["W1"]) == 64   # "a few", not 64
    x, y = ns["x_test"], ns["y_test"]
    assert zero.evaluate(x, y)[1] < random.evaluate(x, y)[1] - 0.3  # "far below"


def test_too_large_is_worse_than_too_small(pages):
    runs = pages("architecture.md")["scale_runs"]
    usual = runs[1.0]
    assert runs[100.0]["saturated"] > 0.5 and usual["saturated"] < 0.01        # "most saturated"
    assert runs[100.0]["initial loss"] > 10 * math.log(10)
    assert runs[100.0]["accuracy"] < usual["accuracy"] - 0.1
    assert runs[0.01]["accuracy"] > runs[100.0]["accuracy"] + 0.1               # "costs less"
    assert runs[0.01]["accuracy"] > usual["accuracy"] - 0.05
    for k in (0.01, 0.1):                                                        # "about k times smaller"
        assert 0.5 < runs[k]["dW1"] / (k * usual["dW1"]) < 2


def test_sigmoids_gradient_vanishes_through_five_layers_and_relu_hes_does_not(pages):
    sizes = pages("architecture.md")["gradient_sizes"]
    sigmoid, relu = sizes["sigmoid, normal"], sizes["relu, he"]
    shrink = sigmoid[1:] / sigmoid[:-1]                 # from one layer to the next one out
    text = " ".join((DOCS / "architecture.md").read_text().split())
    low, high = map(int, re.search(r"shrinks by a factor of (\d) to (\d) at every layer", text).groups())
    assert np.all((shrink >= low) & (shrink <= high)), shrink   # "a factor of 2 to 5 at every layer"
    assert sigmoid[-1] / sigmoid[0] > 100                 # "over a hundred times smaller"
    assert "only about 3 times the smallest" in text
    assert 2.5 <= relu.max() / relu.min() < 3.5           # "the largest only about 3 times the smallest"


# -- forward.md: the hidden units during training ---------------------------------------------

def test_sigmoid_saturates_at_learning_rate_4_and_not_at_half(pages):
    saturation = pages("forward.md")["saturation"]
    fast, slow = np.array(saturation["learning rate 4"]), np.array(saturation["learning rate 0.5"])
    assert fast[0] == 0 and slow[0] == 0                            # "before training, none"
    assert fast[1] > 0.05 and np.all(np.diff(fast) > 0)            # "within the first epoch ... keeps growing"
    assert slow.max() < 0.05 and fast[-1] > 5 * slow[-1]            # "at 0.5 it stays small"


def test_relu_units_die_at_large_learning_rates_and_stay_dead(pages):
    ns = pages("forward.md")
    dead = {name: np.array(v) for name, v in ns["dead"].items()}
    assert not dead["learning rate 0.5"].any()                               # "every unit survives"
    for name in ("learning rate 1", "learning rate 1.5"):
        assert dead[name][0] == 0 and dead[name][1] > 0                      # "within the first epoch"
        assert dead[name][-1] >= 0.8 * dead[name][1]                         # "almost all stay dead"
    assert dead["learning rate 1.5"][-1] > 32                                # "most of the layer"
    assert ns["accuracy"] < 0.5                                              # the last run, rate 1.5


# -- overfitting.md: dropout ----------------------------------------------------------------

def test_dropout_learns_slower_reaches_a_lower_minimum_and_creeps_up(pages):
    runs = pages("overfitting.md")["runs"]
    plain, dropped = (runs[t][1] for t in ("no regularisation", "dropout 0.5"))
    # "its training loss falls more slowly"
    assert all(d["train_loss"] > p["train_loss"] for p, d in zip(plain[:10], dropped[:10]))
    # "its validation loss reaches a lower minimum, though ... it creeps up again towards the end"
    lowest = min(r["test_loss"] for r in dropped)
    assert lowest < min(r["test_loss"] for r in plain) and dropped[-1]["test_loss"] > lowest
    text = " ".join((DOCS / "overfitting.md").read_text().split())
    assert "its training loss falls more slowly; its validation loss reaches a lower minimum" in text
