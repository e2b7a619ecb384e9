"""Every figure the pages state in words is re-derived from its source and compared with the words.

The sources: a cell's output, run natively as tests/site/test_docs_cells_native.py runs it (each
page once per session), and the build's reports (build/results/, by hooks/results.py and
hooks/regularizers.py). A test fails when a page's prose and the figure it describes disagree.
The claims about the build's reports that need a full build are checked after it, beside the
built site's tests (tests/browser/test_pages.py), so these tests can run while the site builds.
"""

import functools
import importlib.util
import json
import re
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from test_docs_cells_native import DATA_DIR, run_page

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


@functools.cache
def output(name):
    """All the output of a page's cells, run natively in order, as one text."""
    if not (DATA_DIR / "mnist-subset.npz").exists():
        pytest.fail(f"{DATA_DIR / 'mnist-subset.npz'} is missing: run scripts/build_assets.py first")
    return "\n".join(text for _, text in run_page(name))


def prose(name):
    """A page's text with line breaks as spaces, so that a sentence matches across lines."""
    return re.sub(r"\s+", " ", (DOCS / name).read_text())


def find(pattern, text, what):
    match = re.search(pattern, text)
    assert match, f"{what}: no match for {pattern!r}"
    return match


def load_hook(name):
    spec = importlib.util.spec_from_file_location(f"{name}_hook_under_test", ROOT / "hooks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- Backpropagation ---------------------------------------------------------------------------

def test_backprop_costs_about_one_forward_pass_here_and_two_with_dx():
    out = output("backprop.md")
    ratio = float(find(r"FLOPs, backward / forward: +([\d.]+)", out, "backprop cost cell")[1])
    with_dx = float(find(r"FLOPs, backward with dX / forward: +([\d.]+)", out, "backprop cost cell")[1])
    timed = float(find(r"backward [\d.]+ ms: ratio ([\d.]+)", out, "backprop cost cell")[1])
    text = prose("backprop.md")
    assert "costs about as much as the forward pass" in text and 0.9 <= ratio <= 1.1, ratio
    assert "about twice the cost" in text and 1.9 <= with_dx <= 2.1, with_dx
    # "The clock agrees roughly with the count": within a factor of two of the FLOP ratio.
    assert ratio / 2 <= timed <= ratio * 2, timed


def test_the_buggy_backward_pass_fails_only_on_the_first_layer():
    out = output("backprop.md")
    verdicts = re.findall(r"(W1|b1|W2|b2): relative error \S+ +(PASS|FAIL)", out)
    assert verdicts[4:8] == [("W1", "FAIL"), ("b1", "FAIL"), ("W2", "PASS"), ("b2", "PASS")], verdicts
    errors = [float(e) for e in re.findall(r"(?:W1|b1|W2|b2): relative error (\S+)", out)]
    assert all(e < 1e-6 for e in errors[:4]) and all(0.1 < e < 10 for e in errors[4:6]), errors  # "near 1"
    assert "the first layer's fail" in prose("backprop.md")


# --- Optimisers ----------------------------------------------------------------------------------

def test_nesterov_diverges_at_the_pages_rate_and_swings_less_at_a_smaller_one():
    out = output("optimizers.md")
    runs = {(m[1], m[2]): (float(m[3]), int(m[4])) for m in re.finditer(
        r"(momentum|Nesterov), lr ([\d.]+) +final loss +(\S+), (\d+) of 100 steps raise", out)}
    start = 0.5 * (16 + 50)                      # the valley's loss at w = (-4, 1)
    assert runs[("momentum", "0.3")][0] < 1e-2 and runs[("Nesterov", "0.3")][0] > start
    assert runs[("Nesterov", "0.3")][1] == 100   # "every step raises the loss"
    assert runs[("Nesterov", "0.2")][1] < runs[("momentum", "0.2")][1]   # fewer go uphill
    assert runs[("Nesterov", "0.2")][0] < runs[("momentum", "0.2")][0]   # and it ends lower


def test_the_stability_limits_in_the_prose_are_those_the_cell_finds():
    out, text = output("optimizers.md"), prose("optimizers.md")
    found = {m[1]: (m[2], m[3]) for m in re.finditer(
        r"(momentum|Nesterov) *: converges up to eta \* lambda = ([\d.]+) \(formula: ([\d.]+)\)", out)}
    assert all(limit == formula for limit, formula in found.values()), found
    steep = dict(re.findall(r"lr ([\d.]+) \(average form\).*eta \* lambda = ([\d.]+)", out))
    stated = find(r"plain momentum is stable up to \$\\eta\\lambda = ([\d.]+)\$, Nesterov only up to "
                  r"([\d.]+)\. The steep direction at the rate 0\.3 has \$\\eta\\lambda = ([\d.]+)\$.*?"
                  r"At 0\.2 it is ([\d.]+),", text, "optimizers prose")
    assert float(stated[1]) == pytest.approx(float(found["momentum"][0]), abs=0.05)
    assert float(stated[2]) == pytest.approx(2 * 1.9 / 2.8, abs=0.005)
    assert float(found["Nesterov"][0]) == pytest.approx(float(stated[2]), abs=0.01)
    assert float(stated[3]) == float(steep["0.3"]) and float(stated[4]) == float(steep["0.2"])
    # beyond Nesterov's limit and inside plain momentum's at 0.3; inside both at 0.2
    assert float(found["Nesterov"][0]) < float(steep["0.3"]) < float(found["momentum"][0])
    assert float(steep["0.2"]) < float(found["Nesterov"][0])


def test_rmsprop_gets_closest_first_and_is_thrown_back_out():
    rows = {m[1]: (int(m[2]) if m[2] != "never" else 10**9, float(m[3]), float(m[4])) for m in re.finditer(
        r"^(\S.*?, lr [\d.]+) +(\d+|never) +(\S+) +\d+ +(\S+)$", output("optimizers.md"), re.M)}
    assert set(rows) == {"momentum, lr 0.3", "RMSProp, lr 0.1", "Adam, lr 0.3"}, rows
    rms, adam, momentum = rows["RMSProp, lr 0.1"], rows["Adam, lr 0.3"], rows["momentum, lr 0.3"]
    assert rms[0] == min(r[0] for r in rows.values())          # the first below 0.001
    assert rms[1] == min(r[1] for r in rows.values())          # and the closest
    assert rms[2] > 100 * rms[1]                               # thrown back out: last far above lowest
    assert momentum[2] / 3 <= adam[2] <= 3 * momentum[2]       # Adam ends as low as momentum
    text = prose("optimizers.md")
    for claim in ["the first to get really close to the bottom, and gets closer than the others",
                  "its last loss is far above its lowest", "ends up as low as momentum"]:
        assert claim in text, claim


# --- Architecture, Forward, Softmax, Home ------------------------------------------------------

def test_relu_at_1_over_n_loses_sqrt2_per_layer():
    out = output("architecture.md")
    m = find(r"falls by a factor of (\d+) from layer 1 to layer (\d+); sqrt\(2\) \*\* (\d+) = (\d+)",
             out, "architecture ReLU cell")
    assert int(m[3]) == int(m[2]) - 1 and "$\\sqrt 2^{19} = 2^{9.5}$" in prose("architecture.md")
    assert int(m[4]) == round(2 ** 9.5)
    assert 0.7 * int(m[4]) <= int(m[1]) <= 1.4 * int(m[4]), m[0]


def test_the_float64_limits_stated_are_those_the_cells_compute():
    forward, softmax = output("forward.md"), output("softmax.md")
    z64 = find(r"float64: exp\(-z\) overflows for z < (-[\d.]+), its square for z < (-[\d.]+)",
               forward, "forward thresholds cell")
    gap64 = float(find(r"float64: exp\(z\) is 0 below z = (-[\d.]+)", softmax, "softmax cell")[1])
    gap32 = float(find(r"float32: exp\(z\) is 0 below z = (-[\d.]+)", softmax, "softmax cell")[1])
    assert float(z64[1]) == round(-np.log(np.finfo(np.float64).max), 1)
    home = prose("index.md")
    assert f"gives `nan` for $z < {z64[1]}$" in home
    assert f"more than about {round(-gap64)} below the batch's largest" in home
    assert f"the gap must exceed about {round(-gap64)}" in prose("softmax.md")
    assert f"more than about {round(-gap64)} apart" in prose("softmax.md")
    assert "a gap of about a hundred" in prose("softmax.md") and 90 < -gap32 < 110


def test_the_tutorials_warnings_are_those_of_its_sigmoid_derivative():
    """Its comment quotes: overflow in exp, overflow in square, invalid value in true_divide."""
    out = output("forward.md")
    e = find(r"exp\(-z\) +\[(.*)\]", out, "forward cell")[1].split()
    square = find(r"\(exp\(-z\) \+ 1\) \*\* 2 +\[(.*)\]", out, "forward cell")[1].split()
    result = find(r"exp\(-z\) / square +\[(.*)\]", out, "forward cell")[1].split()
    assert e[0] == "inf" and square[:2] == ["inf", "inf"] and result[0] == "nan", (e, square, result)
    with warnings.catch_warnings(record=True) as caught:    # natively, NumPy does warn
        warnings.simplefilter("always")
        z = np.array([-800.0, -400.0, -30.0])
        np.exp(-z) / (np.exp(-z) + 1) ** 2                  # the tutorial's formula
    messages = {str(w.message) for w in caught}
    text = prose("forward.md")
    assert all(f'"{m}"' in text for m in messages) and len(messages) == 3, messages
    reference = Path("/work/shared/reference/numpy-mlp-tutorial.txt")
    if reference.exists():                      # the quoted comment, where the tutorial's text is
        quoted = set(re.findall(r"RuntimeWarning: (.+)", reference.read_text()))
        assert {w.replace("true_divide", "divide") for w in quoted} == messages


# --- Overfitting: the page's cells -------------------------------------------------------------

def dead_units():
    return {m[1].strip(): json.loads(m[2]) for m in re.finditer(
        r"^(.+?) +dead units by epoch: (\[.*\])$", output("overfitting.md"), re.M)}


def test_dying_relus_as_the_page_tells_them():
    dead = dead_units()
    plain, warm, slow = (dead["Adam, lr 0.005"], dead["lr 0.005 after 2 epochs of warm-up"],
                         dead["Adam, lr 0.001"])
    assert plain[0] == warm[0] == slow[0] == 0                      # every unit fires at first
    assert 0 < plain[1] < plain[2]                                   # several, then a few more
    assert all(a <= b for a, b in zip(plain, plain[1:]))             # never goes down again
    assert warm[1] < plain[1] and warm[-1] >= plain[-1]              # warm-up only postpones
    assert slow[-1] < plain[-1]                                      # the smaller rate kills fewer


def test_past_its_lowest_loss_the_network_grows_confident_and_a_little_more_accurate():
    out = output("overfitting.md")
    loss = find(r"validation loss: lowest ([\d.]+) at epoch (\d+), ([\d.]+) at the end", out, "overfitting")
    acc = find(r"validation accuracy: ([\d.]+) at epoch (\d+), ([\d.]+) at the end", out, "overfitting")
    assert int(loss[2]) < 20 and float(loss[3]) > float(loss[1])               # bottoms out, climbs
    assert 0 < float(acc[3]) - float(acc[1]) < 0.05                             # creeps up a little
    assert "the validation accuracy still creeps up a little" in prose("overfitting.md")


def test_the_cosine_schedule_settles():
    bands = {m[1].strip(): float(m[3]) - float(m[2]) for m in re.finditer(
        r"^(.+?) validation loss over the last 5 epochs: ([\d.]+) to ([\d.]+)$", output("overfitting.md"), re.M)}
    assert bands["dropout 0.5, cosine"] < bands["dropout 0.5"], bands
    assert "stays within a narrower band than the run at a constant rate" in prose("overfitting.md")


def test_the_single_runs_narrow_the_gap_and_lower_the_accuracy():
    rows = re.findall(r"^(.+?) +train [\d.]+ +validation [\d.]+ +gap ([\d.]+) +accuracy ([\d.]+)$",
                      output("overfitting.md"), re.M)
    (_, gap0, acc0), others = rows[0], rows[1:]
    assert rows[0][0] == "no regularisation" and len(others) == 4
    assert all(float(gap) < float(gap0) and float(acc) < float(acc0) for _, gap, acc in others), rows
    se = float(find(r"standard error of an accuracy of [\d.]+ on 500 pictures: ([\d.]+)",
                    output("overfitting.md"), "overfitting")[1])
    assert "about one and a half points" in prose("overfitting.md") and 0.0125 <= se < 0.0175, se


def test_the_test_set_agrees_with_the_validation_set():
    out = output("overfitting.md")
    test = {m[1]: (float(m[2]), float(m[3])) for m in re.finditer(
        r"^(.+?) +test loss ([\d.]+) +test accuracy ([\d.]+)$", out, re.M)}
    se = float(find(r"standard error of an accuracy of [\d.]+ on 2000 pictures: ([\d.]+)", out,
                    "overfitting test-set cell")[1])
    none = test.pop("no regularisation")
    assert set(test) == {"decoupled weight decay", "early stopping"}, test
    assert all(loss < none[0] for loss, _ in test.values()), test       # "a lower loss"
    accuracies = [none[1]] + [acc for _, acc in test.values()]
    assert max(accuracies) - min(accuracies) <= 2 * se + 0.0005, (accuracies, se)   # "within two"
    assert "the three accuracies lie within two standard errors of one another" in prose("overfitting.md")


# --- Overfitting: the build's ten seeds ---------------------------------------------------------

@pytest.fixture(scope="module")
def seeds_report(tmp_path_factory):
    """The build's report if its key is current, else a fresh one from the same script."""
    hook = load_hook("regularizers")
    path = hook.RESULTS / "regularizer_seeds.json"
    if path.exists() and hook.Stamp(hook.RESULTS / "regularizer_seeds.key").fresh(hook._key()):
        return json.loads(path.read_text())
    path = tmp_path_factory.mktemp("seeds") / "report.json"
    subprocess.run([sys.executable, str(hook.SCRIPT), "--data", str(DATA_DIR / "mnist-subset.npz"),
                    "--seeds", str(hook.SEEDS), "--report", str(path)], check=True, cwd=ROOT)
    return json.loads(path.read_text())


def test_the_script_trains_what_the_page_trains(seeds_report):
    script = load_hook("regularizer_seeds")
    text = (DOCS / "overfitting.md").read_text()
    for title, options in script.REGULARIZERS.items():
        if "patience" in options:
            assert f'mlp.EarlyStopping(monitor="test_loss", patience={options["patience"]})' in text
            assert f'experiment("{title}", callbacks=[stopper])' in text
        else:
            call = ", ".join([f'"{title}"'] + [f"{k}={v!r}" for k, v in options.items()])
            assert f"experiment({call})" in text, call
    # Seed 0 is the page's own run: the same figures as the cell prints.
    page = {m[1]: (float(m[2]), float(m[3])) for m in re.finditer(
        r"^(.+?) +train [\d.]+ +validation ([\d.]+) +gap [\d.]+ +accuracy ([\d.]+)$",
        output("overfitting.md"), re.M)}
    for title, records in seeds_report["runs"].items():
        assert (round(records[0]["val_loss"], 3), round(records[0]["val_acc"], 3)) == page[title], title


def test_the_words_about_the_seeds_hold(seeds_report):
    hook = load_hook("regularizers")
    figures, runs = hook.fields(seeds_report), seeds_report["runs"]
    none = runs["no regularisation"]

    def values(title, key):
        return np.array([r[key] for r in runs[title]])

    gap = {t: values(t, "val_loss") - values(t, "train_loss") for t in runs}
    change = {t: 100 * (values(t, "val_acc") - values("no regularisation", "val_acc")) for t in runs}
    others = [t for t in runs if t != "no regularisation"]
    # "every regulariser lowers the validation loss, and narrows the gap by much more than the
    # seeds' spread"
    for t in others:
        assert values(t, "val_loss").mean() < values("no regularisation", "val_loss").mean(), t
        spread = max(gap[t].std(ddof=1), gap["no regularisation"].std(ddof=1))
        assert gap["no regularisation"].mean() - gap[t].mean() > 2 * spread, t
    # "None raises the mean validation accuracy: the changes are at most about a point, smaller
    # than the standard error"
    assert all(change[t].mean() <= 0 for t in others), {t: change[t].mean() for t in others}
    assert max(abs(change[t].mean()) for t in others) < min(1.5, float(figures["se_points"]))
    # "Early stopping costs the most", "the accuracy peaks" later than the loss
    assert min(others, key=lambda t: change[t].mean()) == "early stopping"
    assert (np.mean([r["best_acc_epoch"] for r in none])
            > np.mean([r["lowest_loss_epoch"] for r in none]))
    text = prose("overfitting.md")
    for claim in ["None raises the mean validation accuracy", "Early stopping costs the most",
                  "every regulariser lowers the validation loss"]:
        assert claim in text


def test_the_seed_fields_and_an_unknown_one(seeds_report):
    hook = load_hook("regularizers")
    hook.report.update(seeds_report)
    page = type("Page", (), {"file": type("File", (), {"src_uri": "overfitting.md"})})
    filled = hook.on_page_markdown("{{ regularizers.seeds }} / {{ regularizers.se_points }}",
                                   page, {}, None)
    assert filled == f"{seeds_report['seeds']} / {hook.fields(seeds_report)['se_points']}"
    with pytest.raises(Exception, match="unknown field 'nope'.*known: table"):
        hook.on_page_markdown("{{ regularizers.nope }}", page, {}, None)


# --- Results -------------------------------------------------------------------------------------

def test_the_test_loss_trend_says_what_the_history_shows():
    hook = load_hook("results")
    falling = [{"epoch": e, "test_loss": loss} for e, loss in [(1, 0.3), (2, 0.2), (3, 0.1)]]
    turned = [{"epoch": e, "test_loss": loss} for e, loss in [(1, 0.3), (2, 0.1), (3, 0.2)]]
    assert hook._test_loss_trend(falling).startswith("still falling: it is lowest at the last epoch (0.1000)")
    assert hook._test_loss_trend(turned).startswith("lowest at epoch 2 (0.1000) and 0.2000 at the last")

