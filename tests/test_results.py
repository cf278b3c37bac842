import json
import math
import re

import pytest

from rnn_tutorial.book.report import render, render_status
from rnn_tutorial.results import METRICS_ENV_VAR, record_metrics, validate_metrics


def test_metrics_must_be_named_finite_numbers():
    with pytest.raises(ValueError, match="snake_case"):
        validate_metrics({"Test Accuracy": 0.9})
    with pytest.raises(ValueError, match="finite"):
        validate_metrics({"loss": math.nan})
    with pytest.raises(TypeError, match="real number"):
        validate_metrics({"loss": "0.3"})
    with pytest.raises(TypeError, match="non-empty dict"):
        validate_metrics({})


def test_record_metrics_only_writes_under_the_runner(tmp_path, monkeypatch):
    monkeypatch.delenv(METRICS_ENV_VAR, raising=False)
    assert record_metrics({"a": 1}) == {"a": 1.0}
    target = tmp_path / "m.json"
    monkeypatch.setenv(METRICS_ENV_VAR, str(target))
    record_metrics({"a": 1})
    record_metrics({"b": 2.5})
    assert json.loads(target.read_text())["metrics"] == {"a": 1.0, "b": 2.5}


def test_recorded_metrics_keep_every_digit_and_show_six(tmp_path, monkeypatch):
    from IPython.lib.pretty import pretty

    target = tmp_path / "m.json"
    monkeypatch.setenv(METRICS_ENV_VAR, str(target))
    values = {"gap": 1.0113456325079142, "tiny": 1.2038238117462186e-07, "params": 2642497}
    shown = record_metrics(values)
    assert shown == {"gap": 1.0113456325079142, "tiny": 1.2038238117462186e-07, "params": 2642497.0}
    assert json.loads(target.read_text())["metrics"]["gap"] == 1.0113456325079142  # the record: every digit
    # the display (what nbval compares): six significant digits, so a CPU's last-digit
    # difference (1.011345632507914 on another machine) shows the same
    assert pretty(shown) == repr(shown) == "{'gap': 1.01135, 'tiny': 1.20382e-07, 'params': 2642497.0}"
    assert repr(record_metrics({"gap": 1.011345632507914})) == "{'gap': 1.01135}"
    many = record_metrics({f"metric_number_{i}": 0.5 for i in range(4)})
    assert repr(many).splitlines()[1] == " 'metric_number_1': 0.5,"  # one per line when long


def test_results_page_lists_every_metric():
    records = [
        {"chapter": "01_x", "profile": "laptop", "backend": "tensorflow", "device": "CPU", "started": "t", "duration_s": 3.0,
         "versions": {"keras": "3"}, "metrics": {"m_one": 0.5, "m_two": 1e-9}},
    ]
    page = render(records)
    assert "`m_one` | 0.5000" in page and "`m_two` | 1.00e-09" in page and "CPU (tensorflow)" in page
    assert "| laptop | 01_x | t | 3.0 s |" in render_status(records)


# --- reading results/: the folder and the file name are the truth --------------------------------------------

from rnn_tutorial.results import (ResultsWarning, chapter_slug, load_benchmarks, load_results, read_results,
                                  warn_skipped)


def _record(chapter, profile="laptop", **metrics):
    return {"chapter": chapter, "profile": profile, "backend": "tensorflow", "device": "CPU", "started": "2026-01-01T00:00:00",
            "duration_s": 10.0, "versions": {"keras": "3"}, "metrics": metrics or {"lstm_test_accuracy": 0.87}}


def _write(root, relative, record):
    path = root / "results" / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(record if isinstance(record, str) else json.dumps(record))
    return path


@pytest.mark.parametrize("relative", [
    "laptop/06_training copy.json",          # a copy made by a file manager
    "laptop/notes.json",
    "laptop/6_training.json",
    "laptop/06_Training.json",
    "laptop/old/06_training.json",           # a nested folder
    "06_training.json",                      # not in a profile's folder
    "laptop_old/06_training.json",           # not a profile
    "bench/nested/rnn_throughput.json",
])
def test_only_nn_slug_files_in_a_profile_folder_are_chapter_records(tmp_path, relative):
    _write(tmp_path, "laptop/06_training.json", _record("06_training", lstm_test_accuracy=0.87))
    _write(tmp_path, relative, _record("06_training", lstm_test_accuracy=0.5))
    with pytest.warns(ResultsWarning, match=re.escape(relative.split("/")[-1])) as caught:
        records = load_results(tmp_path) + load_benchmarks(tmp_path)
    assert [r["metrics"]["lstm_test_accuracy"] for r in records] == [0.87]       # never two contradictory accuracies
    assert any(relative in str(w.message) for w in caught)                     # the warning names the file


def test_hidden_files_are_passed_over_silently(tmp_path, recwarn):
    _write(tmp_path, "laptop/06_training.json", _record("06_training"))
    _write(tmp_path, "laptop/.06_training.json.x1y2.tmp", "{torn")          # an atomic write in progress
    _write(tmp_path, "ci/.gitkeep", "")
    assert [r["chapter"] for r in load_results(tmp_path)] == ["06_training"]
    assert not [w for w in recwarn if issubclass(w.category, ResultsWarning)]


def test_benchmarks_are_read_apart_and_never_as_chapters(tmp_path):
    _write(tmp_path, "laptop/06_training.json", _record("06_training"))
    _write(tmp_path, "bench/training_throughput.json",
           _record("bench_training_throughput", profile="laptop", padded_test_accuracy=0.86))
    assert [r["chapter"] for r in load_results(tmp_path)] == ["06_training"]
    (bench,) = load_benchmarks(tmp_path)
    assert bench["name"] == "training_throughput" and bench["profile"] == "laptop"   # the settings' profile: kept
    _write(tmp_path, "bench/rnn_throughput.json", _record("bench_training_throughput"))   # another benchmark's record
    with pytest.warns(ResultsWarning, match="rnn_throughput.json.*'chapter' field"):
        assert [b["name"] for b in load_benchmarks(tmp_path)] == ["training_throughput"]


@pytest.mark.parametrize("relative, record, match", [
    ("laptop/06_training.json", _record("06_training", profile="full"), "'profile' field says 'full'"),
    ("laptop/06_training.json", _record("07_improvements"), "'chapter' field says '07_improvements'"),
    ("laptop/06_training.json", _record("06_training_copy"), "'chapter' field says '06_training_copy'"),
    ("laptop/06_training.json", _record(["06_training"]), "'chapter' field says"),
])
def test_a_record_that_disagrees_with_its_path_is_left_out(tmp_path, relative, record, match):
    _write(tmp_path, relative, record)
    with pytest.warns(ResultsWarning, match=re.escape(relative) + ".*" + re.escape(match) + ".*left out"):
        assert load_results(tmp_path) == []


def test_a_renumbered_record_is_shown_under_its_file_name(tmp_path):
    _write(tmp_path, "laptop/06_training.json", _record("05_training"))        # renumbered, not yet re-run
    record = dict(_record("x"))
    del record["chapter"], record["profile"]                                   # missing fields: from the path
    _write(tmp_path, "ci/07_improvements.json", record)
    records = load_results(tmp_path)                    # quiet: chapters read their neighbours' records this way
    assert [(r["profile"], r["chapter"]) for r in records] == [("ci", "07_improvements"), ("laptop", "06_training")]
    (note,) = read_results(tmp_path)[2]                  # the results page lists it (and its builder warns)
    assert note.kept and note.path.name == "06_training.json" and "'05_training'" in note.reason
    with pytest.warns(ResultsWarning, match=r"06_training\.json: its 'chapter' field says '05_training'.*rerun"):
        warn_skipped([note])
    assert chapter_slug("06_training") == "training" and chapter_slug("bench_x") == "bench_x"


def test_two_records_of_one_chapter_keep_the_later(tmp_path):
    old = _write(tmp_path, "laptop/05_training.json", {**_record("05_training", lstm_test_accuracy=0.5), "started": "2026-01-01"})
    _write(tmp_path, "laptop/06_training.json", {**_record("06_training", lstm_test_accuracy=0.87), "started": "2026-02-01"})
    with pytest.warns(ResultsWarning, match=re.escape(str(old)) + ".*older record.*06_training.json"):
        records = load_results(tmp_path)
    assert [(r["chapter"], r["metrics"]["lstm_test_accuracy"]) for r in records] == [("06_training", 0.87)]


@pytest.mark.parametrize("raw", ['"0.9"', "NaN", "Infinity", "-Infinity", "null", "true", "false", "[0.9]", '{"v": 0.9}'])
def test_a_metric_that_is_not_a_finite_number_leaves_its_record_out(tmp_path, raw):
    good = json.dumps(_record("06_training"))
    _write(tmp_path, "laptop/06_training.json", good.replace('"metrics": {', f'"metrics": {{"gru_test_accuracy": {raw}, '))
    _write(tmp_path, "laptop/07_improvements.json", _record("07_improvements", gru_test_accuracy=0.88))
    with pytest.warns(ResultsWarning, match=r"06_training\.json: metric 'gru_test_accuracy' is not"):
        records = load_results(tmp_path)
    assert [r["chapter"] for r in records] == ["07_improvements"]


@pytest.mark.parametrize("text, match", [
    ("{not json", "not valid JSON"),
    ("[1, 2]", "not a JSON object"),
    (json.dumps({**_record("06_training"), "metrics": [0.9]}), "'metrics' must be a dict"),
    (json.dumps({**_record("06_training"), "duration_s": "12"}), "'duration_s'"),
    (json.dumps({**_record("06_training"), "duration_s": -1}), "'duration_s'"),
    (json.dumps({**_record("06_training"), "device": ["CPU"]}), "'device' must be a string"),
    (json.dumps({**_record("06_training"), "versions": "keras 3"}), "'versions'"),
])
def test_a_malformed_record_is_left_out_with_its_name(tmp_path, text, match):
    _write(tmp_path, "laptop/06_training.json", text)
    with pytest.warns(ResultsWarning, match=r"06_training\.json: " + re.escape(match)):
        assert load_results(tmp_path) == []
    chapters, benchmarks, notes = read_results(tmp_path)
    assert (chapters, benchmarks) == ([], []) and len(notes) == 1 and not notes[0].kept


def test_metrics_come_back_as_floats(tmp_path):
    _write(tmp_path, "laptop/06_training.json", _record("06_training", lstm_test_accuracy=1, lstm_params=10))
    (record,) = load_results(tmp_path)
    assert record["metrics"] == {"lstm_test_accuracy": 1.0, "lstm_params": 10.0}
    assert all(type(v) is float for v in record["metrics"].values())
    assert load_results(tmp_path / "nowhere") == []


# --- hostile files: nothing a results file holds may crash a reader ------------------------------------------

DEEP = "[" * 100000
HUGE = "1" + "0" * 400                                    # a JSON int no float can hold


@pytest.mark.parametrize("text, match", [
    ('{"metrics": {"x": ' + HUGE + "}}", "metric 'x' is out of a float's range"),
    ('{"metrics": {"x": -' + HUGE + "}}", "metric 'x' is out of a float's range"),
    ('{"duration_s": ' + HUGE + ', "metrics": {"x": 1}}', "'duration_s'"),
    (DEEP, "not valid JSON (nested too deeply"),
    ('{"metrics": ' + DEEP, "not valid JSON (nested too deeply"),
])
def test_a_hostile_record_is_left_out_like_any_bad_file(tmp_path, text, match):
    _write(tmp_path, "ci/01_a.json", text)
    _write(tmp_path, "ci/02_b.json", _record("02_b", profile="ci"))
    with pytest.warns(ResultsWarning, match=r"01_a\.json: " + re.escape(match) + ".*left out"):
        assert [r["chapter"] for r in load_results(tmp_path)] == ["02_b"]
    chapters, benchmarks, notes = read_results(tmp_path)
    assert len(chapters) == 1 and [n.path.name for n in notes] == ["01_a.json"] and not notes[0].kept


def test_a_benchmark_whose_profile_is_not_a_string_is_left_out(tmp_path):
    _write(tmp_path, "bench/rnn_throughput.json", {**_record("bench_rnn_throughput"), "profile": ["laptop"]})
    with pytest.warns(ResultsWarning, match=r"rnn_throughput\.json: 'profile' must be a string"):
        assert load_benchmarks(tmp_path) == []


def test_validate_metrics_refuses_an_int_beyond_a_float():
    with pytest.raises(ValueError, match="'x'.*float's range"):
        validate_metrics({"x": 10 ** 400})


@pytest.mark.parametrize("text", ["[1, 2]", '{"metrics": [1]}', '{"metrics": {"a": "x"}}', '{"versions": 3}',
                                  '{"chapter": ["06_training"]}', DEEP, '{"metrics": ' + DEEP, "{torn"])
def test_record_metrics_starts_afresh_over_a_scratch_file_it_cannot_trust(tmp_path, monkeypatch, text):
    target = tmp_path / "m.json"
    target.write_text(text)
    monkeypatch.setenv(METRICS_ENV_VAR, str(target))
    assert record_metrics({"b": 2}) == {"b": 2.0}
    written = json.loads(target.read_text())
    assert written["metrics"] == {"b": 2.0} and written["versions"] == {} and written["chapter"] is None


def test_read_json_object_names_what_is_wrong(tmp_path):
    from rnn_tutorial.results import JSONFileError, finite_float, read_json_object

    path = tmp_path / "x.json"
    for text, match in (("{torn", "not valid JSON"), (DEEP, "nested too deeply"), ("[1]", "not a JSON object but list"),
                        ("1" * 5000, "not valid JSON")):
        path.write_text(text)
        with pytest.raises(JSONFileError, match=re.escape(match)):
            read_json_object(path)
    with pytest.raises(JSONFileError, match="not valid JSON"):
        read_json_object(tmp_path / "missing.json")
    path.write_text('{"a": 1}')
    assert read_json_object(path) == {"a": 1}
    assert finite_float(3) == 3.0 and type(finite_float(3)) is float
    for bad, error in ((10 ** 400, ValueError), (math.nan, ValueError), (math.inf, ValueError), (True, TypeError),
                       ("1", TypeError), (None, TypeError)):
        with pytest.raises(error):
            finite_float(bad)
