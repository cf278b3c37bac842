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


# --- a bad benchmark record: a note in the table's place, never a crash of the page generation ------------------

from rnn_tutorial.results import ResultsWarning

TRAINING = {"bucketing_speedup": 1.8, "bucketed_reviews_per_s": 180.0, "padded_reviews_per_s": 100.0,
            "bucketed_test_accuracy": 0.85, "padded_test_accuracy": 0.86, "bucketed_padded_steps_share": 0.5}


def _bench(root, name, metrics, settings=None):
    path = benchmarks.write_bench_record(name, "laptop", benchmarks.now(), metrics, settings, root=root)
    return path


def test_an_unreadable_record_gives_a_note_naming_it(tmp_path):
    path = _bench(tmp_path, "training_throughput", TRAINING)
    path.write_text(path.read_text()[:40])                                          # truncated
    table = benchmarks.training_throughput_table(root=tmp_path)
    assert "results/bench/training_throughput.json" in table and "not valid JSON" in table and "make bench" in table
    assert "|" not in table.replace("\\|", "")                                     # a note, not a table
    path.write_text("[" * 100000)
    assert "nested too deeply" in benchmarks.training_throughput_table(root=tmp_path)


def test_a_record_lacking_a_metric_gives_a_note_naming_the_metric(tmp_path):
    _bench(tmp_path, "training_throughput", {k: v for k, v in TRAINING.items() if k != "bucketed_test_accuracy"})
    with pytest.warns(ResultsWarning, match=r"training_throughput\.json.*bucketed_test_accuracy"):
        table = benchmarks.training_throughput_table(root=tmp_path)
    assert "results/bench/training_throughput.json" in table
    assert "lacks the metric bucketed_test_accuracy; measure it again: python benchmarks/training_throughput.py" in table
    with pytest.raises(ValueError, match="bucketed_test_accuracy"):                 # a record given directly: an error
        benchmarks.training_throughput_table(json.loads((tmp_path / "results/bench/training_throughput.json").read_text()))


def test_a_string_metric_or_bad_settings_give_a_note(tmp_path):
    path = _bench(tmp_path, "rnn_throughput", {"tokens_per_s_t10_b1": 1000.0})
    path.write_text(path.read_text().replace("1000.0", '"fast"'))
    table = benchmarks.rnn_throughput_table(root=tmp_path)
    assert "metric 'tokens_per_s_t10_b1' is not a number: str 'fast'" in table
    assert "results/bench/rnn_throughput.json" in table
    _bench(tmp_path, "rnn_throughput", {"x": 1.0})                                    # no grid metric
    with pytest.warns(ResultsWarning, match="no tokens_per_s"):
        assert "no tokens_per_s" in benchmarks.rnn_throughput_table(root=tmp_path)
    _bench(tmp_path, "training_throughput", TRAINING, settings={"max_len": 400, "train_size": "many"})
    with pytest.warns(ResultsWarning, match="training_throughput.json"):
        assert "make bench" in benchmarks.training_throughput_table(root=tmp_path)
    _bench(tmp_path, "backends", {"gru_tensorflow_reviews_per_s": 1.0}, settings={"models": ["gru"]})
    with pytest.warns(ResultsWarning, match="gru_jax_reviews_per_s"):
        assert "python benchmarks/backends.py" in benchmarks.backends_table(root=tmp_path)


def test_write_bench_tables_writes_every_page_over_bad_records(tmp_path):
    _bench(tmp_path, "training_throughput", TRAINING)
    (tmp_path / "results/bench/training_throughput.json").write_text('{"metrics": {')
    path = _bench(tmp_path, "rnn_throughput", {"tokens_per_s_t10_b1": 1000.0})
    path.write_text(path.read_text().replace("1000.0", '"fast"'))
    _bench(tmp_path, "backends", {"gru_jax_reviews_per_s": 1.0}, settings={"models": ["gru"]})
    with pytest.warns(ResultsWarning):
        written = benchmarks.write_bench_tables(root=tmp_path)
    assert [p.name for p in written] == ["rnn_throughput.md", "training_throughput.md", "backends.md", "gpu_estimate.md"]
    for page in written[:3]:
        assert f"results/bench/{page.stem}.json" in page.read_text()


def test_load_bench_record_reads_through_the_results_checks(tmp_path):
    from rnn_tutorial.results import RecordError

    assert benchmarks.load_bench_record("training_throughput", tmp_path) is None
    path = _bench(tmp_path, "training_throughput", TRAINING)
    assert benchmarks.load_bench_record("training_throughput", tmp_path)["metrics"] == TRAINING
    path.write_text("{torn")
    with pytest.raises(RecordError, match=r"training_throughput\.json: not valid JSON.*left out"):
        benchmarks.load_bench_record("training_throughput", tmp_path)
