"""Tests of rnn_tutorial.leaderboard: published references and the variants read from results/."""

import json
import math
import re
from pathlib import Path

import pytest
from rnn_tutorial.leaderboard import (
    PUBLISHED,
    format_leaderboard,
    leaderboard_rows,
    plot_leaderboard,
    recorded_variants,
    seconds_of,
    variants_from_metrics,
)
from rnn_tutorial.results import ResultsWarning

BIB = Path(__file__).resolve().parents[1] / "book" / "references.bib"


def test_every_published_reference_is_citable():
    keys = set(re.findall(r"^@\w+\{([^,]+),", BIB.read_text(encoding="utf-8"), re.M))
    assert PUBLISHED and all(r.citation in keys for r in PUBLISHED)
    assert not [r for r in PUBLISHED if r.accuracy == 0.891 or "best tutorial figure" in r.name]


def test_the_keras_io_row_says_it_is_val_accuracy_on_the_test_split():
    (keras_io,) = [r for r in PUBLISHED if r.citation == "chollet2020bidirectional"]
    assert keras_io.accuracy == 0.843 and keras_io.kind == "tutorial"
    assert "val_accuracy on the test split" in keras_io.name and "2 epochs" in keras_io.name
    assert any(row["name"] == keras_io.name for row in leaderboard_rows({}))


def test_seconds_pair_with_seconds_else_train_seconds():
    metrics = {"a_test_accuracy": 0.8, "a_train_seconds": 12.0, "b_test_accuracy": 0.7, "b_seconds": 5.0,
               "b_train_seconds": 99.0, "c_test_accuracy": 0.6}
    found = variants_from_metrics(metrics, "07_improvements")
    assert found["a"]["seconds"] == 12.0 and found["b"]["seconds"] == 5.0 and math.isnan(found["c"]["seconds"])
    assert seconds_of(metrics, "a") == 12.0


def _write(root, relative, chapter, **metrics):
    path = root / "results" / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"chapter": chapter, "profile": relative.split("/")[0], "metrics": metrics}))


def test_recorded_variants_ignore_a_copied_record(tmp_path):
    _write(tmp_path, "laptop/06_training.json", "06_training", lstm_test_accuracy=0.87)
    _write(tmp_path, "laptop/06_training copy.json", "06_training", lstm_test_accuracy=0.5)
    with pytest.warns(ResultsWarning, match="06_training copy.json"):
        found = recorded_variants("laptop", root=tmp_path)
    assert found["lstm"]["accuracy"] == 0.87 and found["lstm"]["source"] == "06_training"


def test_exclude_matches_a_chapter_by_its_slug_whatever_its_number(tmp_path):
    _write(tmp_path, "laptop/07_pretraining.json", "07_pretraining", rest_pretrained_test_accuracy=0.89)   # old number
    _write(tmp_path, "laptop/07_improvements.json", "07_improvements", gru_test_accuracy=0.88)
    assert set(recorded_variants("laptop", root=tmp_path)) == {"rest_pretrained", "gru"}
    assert set(recorded_variants("laptop", root=tmp_path, exclude="08_pretraining")) == {"gru"}
    assert set(recorded_variants("laptop", root=tmp_path, exclude=["pretraining", "improvements"])) == set()


def test_leaderboard_rows_come_from_metrics_and_references(tmp_path):
    metrics = {"gru_test_accuracy": 0.88, "gru_params": 1000, "gru_seconds": 12.5,
               "best_supervised_test_accuracy": 0.88, "pretrained_test_accuracy": 0.89, "lm_val_perplexity": 100.0}
    variants = variants_from_metrics(metrics, source="07_improvements")
    assert list(variants) == ["gru"] and variants["gru"]["params"] == 1000.0   # summaries repeat a row: skipped
    rows = leaderboard_rows(variants)
    assert len(rows) == 1 + len(PUBLISHED)
    assert [r["accuracy"] for r in rows] == sorted((r["accuracy"] for r in rows), reverse=True)
    assert all(r["source"] for r in rows if r["kind"] == "paper")
    text = format_leaderboard(rows)
    assert "gru" in text and "0.8800" in text and "wang2012baselines" in text
    fig = plot_leaderboard(rows)
    assert len(fig.axes[0].patches) == len(rows)

    folder = tmp_path / "results" / "laptop"
    folder.mkdir(parents=True)
    (folder / "06_training.json").write_text(json.dumps(
        {"chapter": "06_training", "profile": "laptop", "metrics": {"lstm_test_accuracy": 0.87}}))
    (tmp_path / "results" / "ci").mkdir()
    (tmp_path / "results" / "ci" / "06_training.json").write_text(json.dumps(
        {"chapter": "06_training", "profile": "ci", "metrics": {"lstm_test_accuracy": 0.7}}))
    (folder / "bench_throughput.json").write_text(json.dumps(
        {"chapter": "bench_throughput", "profile": "laptop", "metrics": {"padded_test_accuracy": 0.8}}))
    with pytest.warns(ResultsWarning, match="bench_throughput.json"):   # not a chapter record: left out, named
        found = recorded_variants("laptop", root=tmp_path)
        assert "padded" not in found
        assert found == {"lstm": {"accuracy": 0.87, "params": math.nan, "seconds": math.nan, "source": "06_training"}} or (
            found["lstm"]["accuracy"] == 0.87 and math.isnan(found["lstm"]["params"]))
        assert recorded_variants("full", root=tmp_path) == {}
        assert recorded_variants("laptop", root=tmp_path, exclude="06_training") == {}   # a chapter skips its own old record
    with pytest.raises(TypeError, match="metrics"):
        variants_from_metrics([1, 2])


def test_recorded_variants_read_a_profile_name_as_get_profile_does(tmp_path):
    _write(tmp_path, "laptop/06_training.json", "06_training", lstm_test_accuracy=0.87)
    found = recorded_variants("laptop", root=tmp_path)
    # "Laptop" used to find nothing, while get_profile("Laptop") is the laptop profile
    assert recorded_variants("Laptop", root=tmp_path) == found == recorded_variants(" LAPTOP ", root=tmp_path)
    assert set(found) == {"lstm"}
    assert recorded_variants("lapton", root=tmp_path) == {}      # not a profile: nothing recorded under it
