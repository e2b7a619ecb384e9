"""mlpsite.page: the training progress charts and log, series roles, digits with true labels.

The bridge to the page is replaced by a recorder of what would reach it (the browser tests
check the drawing itself).
"""

import mlp
import numpy as np
import pytest
from helpers import make_trainer

from mlpsite import page


class Bridge:
    def __init__(self):
        self.figures, self.messages = [], []

    def post_figure(self, figure):
        self.figures.append(figure)

    def post_message(self, message):
        self.messages.append(message)

    def last(self, key_part):
        return [f for f in self.figures if (f.get("key") or "").endswith(key_part)][-1]


@pytest.fixture
def bridge(monkeypatch):
    recorder = Bridge()
    monkeypatch.setattr(page, "_bridge", recorder)
    return recorder


def test_progress_uses_the_history_recorder_and_names_the_validation_set(small, bridge):
    progress = page.ProgressCallback(interval=1e-9, title="Run")
    trainer = make_trainer(small, epochs=2, eval_name="validation", callbacks=[progress])
    trainer.fit()
    assert isinstance(progress.recorder, mlp.tools.history.HistoryRecorder) and progress.eval_name == "validation"
    assert progress.recorder.records == trainer.history
    loss, accuracy = bridge.last("#loss"), bridge.last("#accuracy")
    names = {s["name"]: s["role"] for s in loss["series"]}
    assert names == {"batch loss": "batch", "train loss (epoch)": "train", "validation loss (epoch)": "eval"}
    assert {s["name"]: s["role"] for s in accuracy["series"]} == {"train accuracy": "train",
                                                                    "validation accuracy": "eval"}
    assert accuracy["series"][1]["values"] == [r["test_acc"] for r in trainer.history]
    log = bridge.last("#log")
    assert log["kind"] == "log" and len(log["lines"]) == 2
    assert log["lines"][1] == mlp.callbacks.format_record(trainer.history[1], 2, "validation")
    assert "validation acc" in log["lines"][0] and "test" not in " ".join(log["lines"])
    epochs = [m for m in bridge.messages if m["kind"] == "epoch"]
    assert [m["eval_name"] for m in epochs] == ["validation", "validation"]


def test_progress_prints_its_log_natively_and_says_test_by_default(small, capsys):
    trainer = make_trainer(small, epochs=1, callbacks=[page.ProgressCallback()])
    trainer.fit()
    out = capsys.readouterr().out
    assert mlp.callbacks.format_record(trainer.history[0], 1, "test") in out.splitlines()


def test_chart_colors_name_roles_and_refuse_others(bridge):
    page.chart([0, 1], {"a": [1, 2], "b": [2, 3]}, colors={"a": "train"})
    assert [s["role"] for s in bridge.figures[-1]["series"]] == ["train", None]
    with pytest.raises(ValueError, match="'c', which is not a series"):
        page.chart([0, 1], {"a": [1, 2]}, colors={"c": "train"})
    with pytest.raises(ValueError, match="the roles are train, eval, batch"):
        page.chart([0, 1], {"a": [1, 2]}, colors={"a": "red"})


def test_chart_logx_sends_positive_x_and_refuses_others(bridge):
    page.chart([0.01, 0.1, 1.0], {"accuracy": [0.2, 0.8, 0.5]}, logx=True)
    assert bridge.figures[-1]["logx"] is True and bridge.figures[-1]["logy"] is False
    page.chart([1, 2], {"a": [1, 2]})
    assert bridge.figures[-1]["logx"] is False
    with pytest.raises(ValueError, match="logx=True needs positive x values; x has 0"):
        page.chart([0, 1], {"a": [1, 2]}, logx=True)


def test_digits_truth_marks_readings_and_needs_labels(bridge, capsys):
    images = np.zeros((3, 784), np.uint8)
    page.digits(images, labels=[1, 2, 3], truth=np.array([1, 7, 3]))
    assert bridge.figures[-1]["truth"] == ["1", "7", "3"] and bridge.figures[-1]["labels"] == ["1", "2", "3"]
    with pytest.raises(ValueError, match="truth marks wrong labels, so it needs labels too"):
        page.digits(images, truth=[1, 2, 3])
    with pytest.raises(ValueError, match="truth has 2 entries for 3 items"):
        page.digits(images, labels=[1, 2, 3], truth=[1, 2])


def test_digits_summary_counts_wrong_readings_natively(capsys):
    page.digits(np.zeros((2, 784), np.uint8), labels=[1, 2], truth=[1, 3])
    assert "1 wrong" in capsys.readouterr().out


def test_log_checks_its_lines(bridge):
    page.log(["a", "b"], key="k")
    assert bridge.figures[-1] == {"kind": "log", "key": "k", "title": None, "lines": ["a", "b"]}
    with pytest.raises(TypeError, match="lines must be a list of strings"):
        page.log("one string")


def test_heatmap_shade_by_row_for_confusion_matrices(bridge):
    page.heatmap([[5, 1], [0, 7]], shade="row")
    assert bridge.figures[-1]["shade"] == "row"
    with pytest.raises(ValueError, match="shade must be 'all' or 'row'"):
        page.heatmap([[1]], shade="rows")
