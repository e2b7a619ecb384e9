"""mlpsite.bench natively: the benchmark's workloads (scripts/bench runs them here and in the
browser's worker), on a small subset file so that they run in a moment."""

import json

import numpy as np
import pytest

import mlp
from mlpsite import bench


@pytest.fixture(scope="module")
def small_subset(tmp_path_factory):
    """A subset file of 512 training and 256 test images, with random pixels and labels."""
    rng = np.random.default_rng(0)
    path = tmp_path_factory.mktemp("bench") / "small.npz"
    mlp.data.save_subset(path, rng.integers(0, 256, (512, 784), dtype=np.uint8), rng.integers(0, 10, 512, dtype=np.uint8),
                    rng.integers(0, 256, (256, 784), dtype=np.uint8), rng.integers(0, 10, 256, dtype=np.uint8))
    return path


def test_every_workload_is_a_run_configuration_the_lab_and_the_command_line_accept():
    assert list(bench.CONFIGS) == ["default", "float64", "deep"]
    for workload in bench.CONFIGS.values():
        config = workload["config"]
        assert isinstance(config, mlp.RunConfig) and config.batch_size == bench.BATCH == 128
        mlp.config.check(config)  # raises for a setting out of range
    default = bench.CONFIGS["default"]["config"]
    assert (default.sizes, default.activation, default.optimizer, default.learning_rate, default.beta) \
        == ((784, 64, 10), "sigmoid", "momentum", 4.0, 0.9)


def test_training_reports_each_configuration_per_epoch(small_subset):
    result = bench.training(str(small_subset), ["default", "deep"], 2)
    assert list(result) == ["default", "deep"]
    for name, figures in result.items():
        assert figures["label"] == bench.CONFIGS[name]["label"]
        assert figures["samples"] == 512 and figures["runs"] == 2
        assert len(figures["train_epoch_s"]) == len(figures["with_eval_epoch_s"]) == 2
        assert figures["train_sps"] > 0 and figures["with_eval_sps"] > 0
        assert 0 <= figures["test_acc"] <= 1


def test_matmul_rates_time_each_product_by_each_method():
    rows = bench.matmul_rates(1, methods=("matmul", None), dtypes=("float32",))
    assert [row["name"] for row in rows] == [name for name, _, _ in bench.PRODUCTS]
    for row, (_, shape, _) in zip(rows, bench.PRODUCTS):
        assert row["shape"] == list(shape) and row["dtype"] == "float32"
        assert row["matmul"] > 0 and row["helper"] > 0


def test_the_command_line_prints_one_result_line_and_names_a_bad_configuration(small_subset, capsys):
    assert bench.main(["training", str(small_subset), "1", "default"]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith("BENCH ") and json.loads(line[6:])["default"]["samples"] == 512
    assert bench.main(["training", str(small_subset), "1", "wide"]) == 2
    assert "no benchmark configuration 'wide'; the configurations are: default, float64, deep" in capsys.readouterr().err
    assert bench.main(["kernel"]) == 2
    assert "usage:" in capsys.readouterr().err


def test_wasm_memory_is_none_outside_the_browser():
    assert bench.wasm_memory_bytes() is None
