"""Tests of rnn_tutorial.book.benchmarks: benchmark records and the tables generated from them."""

import json

import pytest

from rnn_tutorial.book import benchmarks


def test_record_shape_and_tables(tmp_path):
    started = benchmarks.now()
    grid = {f"tokens_per_s_t{t}_b{b}": 1000.0 * t * b for t in (10, 20) for b in (1, 4)}
    path = benchmarks.write_bench_record("rnn_throughput", "bench", started, {**grid, "recurrent_dropout_slowdown": 2.5},
                                         {"recurrent_dropout_cell": {"time": 20, "batch": 4, "rate": 0.2}}, root=tmp_path)
    assert path == tmp_path / "results" / "bench" / "rnn_throughput.json"
    record = json.loads(path.read_text())
    assert {"chapter", "profile", "backend", "device", "versions", "started", "duration_s", "metrics"} <= set(record)
    assert record["chapter"] == "bench_rnn_throughput"
    table = benchmarks.rnn_throughput_table(root=tmp_path)
    assert "| time steps | batch 1 | batch 4 |" in table and "| 20 | 20.0 | 80.0 |" in table
    assert "2.50x slower" in table
    assert "not been run" in benchmarks.training_throughput_table(root=tmp_path)
    written = benchmarks.write_bench_tables(root=tmp_path)
    assert [p.name for p in written] == ["rnn_throughput.md", "training_throughput.md", "backends.md", "gpu_estimate.md"]
    assert written[0].read_text() == table
    assert "not been run" in written[2].read_text()


def test_backends_table_reads_the_record(tmp_path):
    from rnn_tutorial.book.benchmarks import now, write_bench_record

    metrics = {"gru_tensorflow_reviews_per_s": 160.0, "gru_jax_reviews_per_s": 120.0, "gru_jax_over_tensorflow": 0.75,
               "gru_tensorflow_first_epoch_s": 10.0, "gru_jax_first_epoch_s": 13.5}
    write_bench_record("backends", "laptop", now(), metrics,
                       settings={"models": ["gru"], "rounds": 2, "reviews": 512, "max_len": 400, "batch_size": 64},
                       root=tmp_path)
    table = benchmarks.backends_table(root=tmp_path)
    assert "| `gru` | 160.0 | 120.0 | 0.75 | 10.0 | 13.5 |" in table and "2 rounds" in table


def test_training_table_and_validation(tmp_path):
    metrics = {"bucketing_speedup": 1.8, "bucketed_reviews_per_s": 180.0, "padded_reviews_per_s": 100.0,
               "bucketed_test_accuracy": 0.85, "padded_test_accuracy": 0.86, "bucketed_padded_steps_share": 0.5}
    benchmarks.write_bench_record("training_throughput", "laptop", benchmarks.now(), metrics,
                                  {"max_len": 400, "epochs": 3, "train_size": 1000, "test_size": 500}, root=tmp_path)
    table = benchmarks.training_throughput_table(root=tmp_path)
    assert "| 180.0 | 0.8500 |" in table and "padded to 400 tokens" in table and "1.80x" in table
    with pytest.raises(ValueError, match="snake_case"):
        benchmarks.bench_path("Bad Name")
    with pytest.raises(ValueError, match="no tokens_per_s"):
        benchmarks.rnn_throughput_table({"metrics": {"x": 1.0}})


def test_gpu_estimate_comes_from_the_laptop_records(tmp_path):
    folder = tmp_path / "results" / "laptop"
    folder.mkdir(parents=True)
    assert "No laptop records" in benchmarks.gpu_estimate(root=tmp_path)
    for name, seconds in (("01_concepts", 600.0), ("06_training", 1800.0)):
        (folder / f"{name}.json").write_text(json.dumps({"chapter": name, "profile": "laptop", "duration_s": seconds,
                                                         "device": "CPU: x86_64, 2 cores", "metrics": {"m": 1.0}}))
    text = benchmarks.gpu_estimate(root=tmp_path)
    # 40 minutes x (800 / 400) x (12 / 6) = 160 CPU minutes; / 6 = 27 minutes; 160 / 8 = 20x needed
    assert "took 40 minutes" in text and "about 160 CPU minutes" in text
    assert "about 27 minutes on a GPU" in text and "needs about 20x" in text and "estimate, not a measurement" in text
