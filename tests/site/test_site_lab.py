"""mlpsite.lab, natively: the functions the lab page calls through its worker.

Training goes in time slices that add up to whole epochs, a stopped run keeps its model,
the weights travel as the bytes of an mlp .npz file, and every refusal is a LabError whose
message names the bad value.
"""

import io
import itertools
import json
import math
from pathlib import Path

import numpy as np
import pytest
from mlpsite import lab

import mlp

CONFIG = {"hidden": [16], "activation": "sigmoid", "optimizer": "momentum", "learning_rate": 4, "beta": 0.9,
          "batch_size": 128, "epochs": 2, "dtype": "float32", "seed": 0}


@pytest.fixture
def data(subset_file):
    """The subset file's path; the lab forgets its runs after each test."""
    yield str(subset_file)
    lab.RUNS.clear()


def train_to_end(run_id, max_seconds=0.05):
    steps = []
    while not steps or not steps[-1]["done"]:
        steps.append(lab.step(run_id, max_seconds))
    return steps


def test_choices_are_mlps_lists_and_the_forms_limits():
    c = lab.choices()
    assert {"sigmoid", "relu", "tanh", "leaky_relu"} <= set(c["activations"])
    options = {o["name"]: o["beta"] for o in c["optimizers"]}
    assert options["sgd"] is None and options["momentum"] == "beta" and options["adam"] == "beta1"
    assert {"nesterov", "momentum", "sgd", "adam"} <= set(options) <= set(mlp.OPTIMIZERS)
    assert c["dtypes"] == ["float32", "float64"] and (c["inputs"], c["classes"]) == (784, 10)
    assert c["limits"]["units"][1] == 4096 and c["limits"]["parameters"][1] == 20_000_000
    assert c["limits"]["learning_rate"] == [0, 100] and c["limits"]["seed"] == [0, 2**32 - 1]
    for name in ("layers", "beta", "batch_size", "epochs"):
        low, high = c["limits"][name]
        assert low < high


def test_slices_add_up_to_whole_epochs_and_stop_before_an_epochs_last_batch(data):
    info = lab.start("a", CONFIG, data)
    assert info == {"batches_per_epoch": 24, "train_size": 3000, "test_size": 1000,
                    "parameters": 784 * 16 + 16 + 16 * 10 + 10}
    steps = train_to_end("a")
    assert [r["epoch"] for s in steps for r in s["records"]] == [1, 2]
    for before, after in itertools.pairwise(steps):
        if after["records"]:  # the slice that ends an epoch is that epoch's last batch alone
            assert before["evaluating"] and before["batch"] == 23 and after["batch"] == 0
    points = [p for s in steps for p in s["points"]]
    assert all(0 < p[0] <= 2 for p in points) and points == sorted(points) and len(points) >= 2 * 20
    last = steps[-1]
    assert (last["epoch"], last["samples"], last["stopped"], last["diverged"]) == (2, 6000, False, None)
    assert all(math.isfinite(v) for v in (last["records"][-1]["test_loss"], last["elapsed"]))


def test_a_stopped_run_keeps_its_model_and_its_evaluation_is_mlps(data):
    lab.start("b", CONFIG, data)
    lab.step("b", 0.05)
    assert lab.stop("b") == {"done": True}
    after = lab.step("b", 0.05)
    assert after["done"] and after["stopped"] and after["records"] == []
    result = lab.evaluate("b")
    raw = mlp.load_subset(data)
    report = mlp.evaluate(lab.RUNS["b"].network, mlp.normalize(raw.x_test), raw.y_test)
    assert result["accuracy"] == report.accuracy and result["total"] == 1000
    assert sum(map(sum, result["confusion"])) == 1000 and result["correct"] == round(1000 * result["accuracy"])
    assert result["mistakes_total"] == 1000 - result["correct"] and len(result["mistakes"]) <= 48
    first = result["mistakes"][0]
    assert len(first["pixels"]) == 784 and first["label"] != first["predicted"] and 0 < first["p"] <= 1
    assert np.array(result["weights"]).shape == (16, 784) and np.abs(result["weights"]).max() == 1000
    assert (result["sizes"], result["units"], result["dtype"]) == ([784, 16, 10], 16, "float32")


def test_weights_go_out_as_npz_bytes_and_come_back(data):
    lab.start("c", {**CONFIG, "epochs": 1}, data)
    train_to_end("c")
    accuracy = lab.evaluate("c")["accuracy"]
    raw = lab.export("c")
    assert isinstance(raw, bytes) and raw[:4] == b"PK\x03\x04"
    network = mlp.load(io.BytesIO(raw))
    subset = mlp.load_subset(data)
    assert np.mean(network.predict(mlp.normalize(subset.x_test)) == subset.y_test) == accuracy
    assert lab.load("d", raw, data, "w.npz")["accuracy"] == accuracy
    assert lab.step("c", 0.01)["done"]


@pytest.mark.parametrize("content, message", [
    (b"", "w.npz is empty"),
    (b"not a zip", "w.npz is not an .npz file"),
])
def test_load_refuses_what_is_not_weights(data, content, message):
    with pytest.raises(lab.LabError, match=message):
        lab.load("e", content, data, "w.npz")
    assert "e" not in lab.RUNS


def test_load_refuses_a_data_file_and_a_network_of_the_wrong_shape(data):
    with pytest.raises(lab.LabError, match="subset.npz"):
        lab.load("f", Path(data).read_bytes(), data, "subset.npz")
    buffer = io.BytesIO()
    mlp.save(mlp.Network([784, 8, 5]), buffer)
    with pytest.raises(lab.LabError, match="holds a 784-8-5 network; this data needs 784 inputs and 10 outputs"):
        lab.load("f", buffer.getvalue(), data, "small.npz")


def test_predict_takes_784_bytes_and_gives_10_probabilities(data):
    lab.start("g", CONFIG, data)
    image = mlp.load_subset(data).x_test[0]  # uint8, (784,)
    out = lab.predict("g", image.tobytes())
    p = out["probabilities"]
    assert len(p) == 10 and abs(sum(p) - 1) < 1e-5
    # The drawing's path (the lab's "Inside the prediction" panel) says the same.
    network = lab._run("g").network
    native = network.forward(mlp.normalize(image.reshape(1, -1)))[0]
    figure = out["figure"]
    assert figure["kind"] == "prediction" and figure["probabilities"] == p
    assert np.allclose(p, native, atol=1e-6) and figure["predicted"] == int(np.argmax(native))
    assert len(figure["layers"]) == len(network.sizes) - 2
    json.dumps(figure)  # plain data, as runtime.call hands it to the page
    with pytest.raises(lab.LabError, match="784 pixels; got 3"):
        lab.predict("g", b"abc")


@pytest.mark.parametrize("change, message", [
    ({"hidden": [4096, 4096]}, "20,037,642 parameters; the lab allows at most 20,000,000"),
    ({"optimizer": "fastest"}, "'fastest'"),
    ({"learning_rate": -1}, "learning rate"),
    ({"activation": "swish"}, "swish"),
    ({"dropout": 1}, "dropout"),
    ({"weight_decay": -1}, "weight decay"),
    ({"schedule": "wiggly"}, "'wiggly'; choose one of: constant, step, cosine"),
    ({"schedule": "cosine", "warmup_epochs": 5}, "warm-up"),
    ({"schedule": "step", "gamma": 0}, "gamma"),
    ({"backend": "kernel"}, "'kernel' does not work here; choose one of: numpy"),
])
def test_a_bad_configuration_is_refused_with_its_value(data, change, message):
    with pytest.raises(lab.LabError, match=message):
        lab.start("h", {**CONFIG, **change}, data)
    assert "h" not in lab.RUNS


def test_a_diverging_run_stops_with_the_learning_rate_in_its_message(data):
    lab.start("i", {**CONFIG, "hidden": [128, 128, 128], "activation": "relu", "optimizer": "sgd",
                    "learning_rate": 10}, data)
    last = train_to_end("i")[-1]
    assert last["done"] and not last["stopped"]
    assert "learning rate 10" in last["diverged"] and "smaller learning rate" in last["diverged"]


def test_unknown_runs_and_data_files_are_named(data, tmp_path):
    with pytest.raises(lab.LabError, match="no run 'nope'"):
        lab.step("nope")
    missing = str(tmp_path / "missing.npz")
    with pytest.raises(lab.LabError, match="cannot read the data file .*missing.npz"):
        lab.start("j", CONFIG, missing)
    lab.start("k", CONFIG, data)
    assert lab.remove("k") == {"removed": "k"} and "k" not in lab.RUNS
    assert lab.remove("k") == {"removed": "k"}


def test_choices_add_the_matrix_products_that_work_here():
    c = lab.choices()
    assert c["backends"] == ["numpy"]  # natively: NumPy's BLAS; the kernel is for the browser
    assert {k: v for k, v in c.items() if k not in ("backends", "defaults")} == mlp.tools.choices.choices()


def test_regularisation_and_schedule_settings_reach_mlps_trainer(data):
    lab.start("r", {**CONFIG, "weight_decay": 0.001, "dropout": 0.2, "schedule": "step", "step_epochs": 1,
                    "gamma": 0.5, "backend": "numpy"}, data)
    trainer = lab.RUNS["r"].trainer
    assert trainer.optimizer.weight_decay == 0.001 and trainer.dropout.rate == 0.2
    assert repr(trainer.schedule) == "StepSchedule(step_epochs=1, gamma=0.5)"
    lab.start("c", {**CONFIG, "schedule": "cosine", "warmup_epochs": 0.5}, data)
    assert repr(lab.RUNS["c"].trainer.schedule) == "CosineSchedule(warmup_epochs=0.5, min_factor=0)"
    assert lab.RUNS["c"].keep is None and lab.RUNS["c"].backend == mlp.ops.backend()


def test_keeping_the_best_epoch_restores_the_best_test_accuracy(data):
    lab.start("k", {**CONFIG, "epochs": 4, "learning_rate": 8, "keep_best": True}, data)
    steps = train_to_end("k")
    records = [r for s in steps for r in s["records"]]
    best = max(records, key=lambda r: r["test_acc"])
    assert steps[-1]["kept"]["epoch"] == best["epoch"]
    assert f"epoch {best['epoch']}" in steps[-1]["kept"]["text"]
    assert lab.evaluate("k")["accuracy"] == pytest.approx(best["test_acc"], abs=1e-9)
    assert all(s["kept"] is None for s in steps[:-1])
    # Stopped in the middle: the best finished epoch's weights, said by stop().
    lab.start("s", {**CONFIG, "epochs": 4, "keep_best": True}, data)
    while not lab.step("s", 0.05)["records"]:
        pass
    assert lab.stop("s")["kept"]["epoch"] == 1


def test_a_slice_puts_back_the_matrix_product_in_use(data):
    before = mlp.ops.backend()
    lab.start("p", {**CONFIG, "backend": "numpy"}, data)
    lab.step("p", 0.01)
    assert mlp.ops.backend() == before


def test_the_js_tests_fixture_is_pythons_answer():
    fixture = json.loads((Path(__file__).parents[1] / "js" / "lab-choices.json").read_text())
    assert fixture["backends"] == ["kernel", "numpy"]  # the browser's, where the kernel loads
    assert {**fixture, "backends": lab.choices()["backends"]} == lab.choices()


@pytest.mark.parametrize("schedule", mlp.schedules.SCHEDULES)
@pytest.mark.parametrize("optimizer", mlp.OPTIMIZERS)
def test_the_forms_first_values_are_what_a_run_trains_with(data, optimizer, schedule):
    """The values the form shows (choices()["defaults"]) are the ones the trainer gets, sent or left out."""
    d = lab.choices()["defaults"]
    shown = {"hidden": d["sizes"][1:-1], "optimizer": optimizer, "schedule": schedule,
             **{k: d[k] for k in ("activation", "learning_rate", "batch_size", "epochs", "weight_decay",
                                  "dropout", "dtype", "seed", "keep_best")}}
    beta = mlp.OPTIMIZERS[optimizer].beta
    own = {"cosine": ["warmup_epochs"], "step": ["step_epochs", "gamma"]}.get(schedule, [])
    for sent in ({**shown, **({"beta": d["beta"]} if beta else {}), **{k: d[k] for k in own}}, shown):
        lab.start("d", sent, data)
        trainer = lab.RUNS["d"].trainer
        assert trainer.network.sizes == d["sizes"] and trainer.epochs == d["epochs"] == 5
        assert trainer.optimizer.learning_rate == d["learning_rate"] == 4
        if beta:
            assert getattr(trainer.optimizer, beta) == d["beta"] == 0.9
        expected = {"constant": "ConstantSchedule()",
                    "step": f"StepSchedule(step_epochs={d['step_epochs']}, gamma={d['gamma']:g})",
                    "cosine": f"CosineSchedule(warmup_epochs={d['warmup_epochs']:g}, min_factor=0)"}[schedule]
        assert repr(trainer.schedule) == expected
    assert (d["step_epochs"], d["gamma"], d["warmup_epochs"]) == (2, 0.5, 1)  # what the form says it trains with
