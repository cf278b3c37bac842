"""rnn_tutorial.book.bands: bands from seeds, and a check that names what left its band."""

import json
import re

import pytest

from rnn_tutorial.book import bands
from rnn_tutorial.book.bands import BandError, band, check, load_reference, make_reference, read_records


def test_band_is_the_spread_widened_by_itself_and_two_percent():
    low, high = band([0.80, 0.82, 0.81])
    margin = 0.02 + 0.02 * 0.82 + bands.ABSOLUTE_MARGIN
    assert low == pytest.approx(0.80 - margin) and high == pytest.approx(0.82 + margin)
    assert band([0.0, 0.0, 0.0])[0] < 0.0 < band([0.0, 0.0, 0.0])[1]


def test_band_refuses_no_values_and_nan():
    with pytest.raises(BandError):
        band([])
    with pytest.raises(BandError):
        band([0.5, float("nan")])


def _values():
    return {
        1234: {"06_training": {"lstm_test_accuracy": 0.70, "lstm_seconds": 30.0}},
        1: {"06_training": {"lstm_test_accuracy": 0.68, "lstm_seconds": 31.0}},
        2: {"06_training": {"lstm_test_accuracy": 0.72, "lstm_seconds": 29.0}},
    }


def test_reference_keeps_seeds_values_and_leaves_timings_out():
    ref = make_reference(_values(), "tensorflow", command="x")
    entry = ref["chapters"]["06_training"]["lstm_test_accuracy"]
    assert entry["reference"] == 0.70 and entry["values"] == {"1234": 0.70, "1": 0.68, "2": 0.72}
    assert "lstm_seconds" not in ref["chapters"]["06_training"]
    assert ref["seeds"] == [1234, 1, 2] and ref["method"] == bands.METHOD and ref["command"] == "x"


def test_reference_needs_the_reference_seed():
    values = _values()
    del values[1234]
    with pytest.raises(BandError, match="reference seed 1234"):
        make_reference(values, "jax")


def _record(value):
    return {"06_training": {"metrics": {"lstm_test_accuracy": value}}}


def test_check_passes_inside_and_names_chapter_metric_value_band_outside():
    ref = make_reference(_values(), "tensorflow")
    assert check(_record(0.70), ref) == []
    failures = check(_record(0.50), ref)
    assert len(failures) == 1
    assert failures[0].startswith("06_training: lstm_test_accuracy = 0.5 outside its band [")
    assert "seeds 1234: 0.7" in failures[0]


def test_check_fails_on_a_missing_chapter_or_metric():
    ref = make_reference(_values(), "tensorflow")
    assert "no fresh record" in check({}, ref)[0]
    assert "was not recorded" in check({"06_training": {"metrics": {}}}, ref)[0]
    assert "no reference" in check(_record(0.7), ref, chapters=["09_sequence_gan"])[0]


def test_unbanded_metrics_are_reported():
    ref = make_reference(_values(), "tensorflow")
    records = {"06_training": {"metrics": {"lstm_test_accuracy": 0.7, "new_gap": 1.0, "x_seconds": 2.0}}}
    assert bands.unbanded_metrics(records, ref) == ["06_training: new_gap"]


def test_read_records_and_load_reference_name_bad_files(tmp_path):
    with pytest.raises(BandError, match="does not exist"):
        read_records(tmp_path / "missing")
    (tmp_path / "06_training.record.json").write_text("{torn")
    with pytest.raises(BandError, match="06_training.record.json"):
        read_records(tmp_path)
    (tmp_path / "06_training.record.json").write_text(json.dumps({"metrics": {"a": 1.0}}))
    assert read_records(tmp_path)["06_training"]["metrics"] == {"a": 1.0}
    with pytest.raises(BandError, match="make references"):
        load_reference(tmp_path / "none.json")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"chapters": {"06_training": {"m": {"low": 2.0, "high": 1.0}}}}))
    with pytest.raises(BandError, match="low <= high"):
        load_reference(bad)


def test_measure_refuses_fewer_than_three_seeds():
    with pytest.raises(BandError, match="three different seeds"):
        bands.measure("tensorflow", seeds=[1234, 1])


def _jax_chapters():
    from pathlib import Path

    from rnn_tutorial.book.runner import select_chapters

    line = next(l for l in (Path(__file__).resolve().parents[1] / "Makefile").read_text().splitlines()
                if l.startswith("JAX_CHAPTERS ?="))
    return set(select_chapters(line.split("?=")[1].split()))


def test_committed_references_cover_every_chapter_make_test_runs():
    from rnn_tutorial.book.runner import list_chapters

    for backend, wanted in (("tensorflow", set(list_chapters())), ("jax", _jax_chapters())):
        ref = load_reference(bands.reference_path(backend))
        assert ref["backend"] == backend and len(ref["seeds"]) >= 3 and 1234 in ref["seeds"]
        assert wanted <= set(ref["chapters"]), (backend, wanted - set(ref["chapters"]))
        for chapter, metrics in ref["chapters"].items():
            assert metrics, f"{chapter} records no banded metric under {backend}"


def test_cli_check_exit_codes(tmp_path, capsys, monkeypatch):
    ref = make_reference(_values(), "tensorflow")
    path = tmp_path / "ref.json"
    path.write_text(json.dumps(ref))
    monkeypatch.setattr(bands, "reference_path", lambda backend, root=None: path)
    folder = tmp_path / "records"
    folder.mkdir()
    (folder / "06_training.record.json").write_text(json.dumps({"metrics": {"lstm_test_accuracy": 0.1}}))
    assert bands.main(["check", str(folder), "--backend", "tensorflow"]) == 1
    assert "lstm_test_accuracy = 0.1 outside" in capsys.readouterr().err
    (folder / "06_training.record.json").write_text(json.dumps({"metrics": {"lstm_test_accuracy": 0.7}}))
    assert bands.main(["check", str(folder), "--backend", "tensorflow"]) == 0
    assert bands.main(["check", str(tmp_path / "nothing"), "--backend", "tensorflow"]) == 2


DEEP = "[" * 100000
HUGE = "1" + "0" * 400                                    # a JSON int no float can hold


@pytest.mark.parametrize("text, match", [
    (DEEP, "nested too deeply"),
    ('{"metrics": ' + DEEP, "nested too deeply"),
    ("[1, 2]", "not a JSON object"),
    ('{"metrics": [1]}', "no 'metrics' object"),
    ('{"metrics": {"lstm_test_accuracy": "0.7"}}', "metric 'lstm_test_accuracy' is not a number"),
    ('{"metrics": {"lstm_test_accuracy": ' + HUGE + "}}", "metric 'lstm_test_accuracy' is out of a float's range"),
])
def test_read_records_names_a_hostile_record_and_how_to_fix_it(tmp_path, text, match):
    (tmp_path / "06_training.record.json").write_text(text)
    with pytest.raises(BandError, match=r"06_training\.record\.json.*" + re.escape(match) + ".*run its chapter again"):
        read_records(tmp_path)


def test_read_records_passes_nan_on_to_check(tmp_path):
    # a NaN metric is not a broken file: check() reports it outside its band (exit 1, not 2)
    (tmp_path / "06_training.record.json").write_text('{"metrics": {"lstm_test_accuracy": NaN}}')
    records = read_records(tmp_path)
    (failure,) = check(records, make_reference(_values(), "tensorflow"))
    assert "lstm_test_accuracy = nan outside its band" in failure


@pytest.mark.parametrize("text, match", [
    (DEEP, "nested too deeply"),
    ('{"chapters": ' + DEEP, "nested too deeply"),
    ("[1]", "not a JSON object"),
    ('{"chapters": {"01_a": {"m": {"low": 0, "high": ' + HUGE + "}}}}", "01_a / m needs finite numbers low <= high"),
    ('{"chapters": {"01_a": {"m": {"low": 0, "high": 1e999}}}}', "01_a / m needs finite numbers low <= high"),
    ('{"chapters": {"01_a": ["m"]}}', "01_a must be an object of metric -> band"),
    ('{"chapters": {"01_a": {"m": {"low": 0, "high": 1, "values": {"1": "x"}}}}}', "01_a / m: 'values'"),
    ('{"chapters": {"01_a": {"m": {"low": 0, "high": 1, "values": [0.5]}}}}', "01_a / m: 'values'"),
    ('{"chapters": {"01_a": {"m": {"low": 0, "high": 1, "reference": "x"}}}}', "01_a / m: 'reference'"),
])
def test_load_reference_names_a_hostile_file_and_how_to_fix_it(tmp_path, text, match):
    path = tmp_path / "ci-tensorflow.json"
    path.write_text(text)
    with pytest.raises(BandError, match=re.escape(str(path)) + ".*" + re.escape(match) + ".*make references"):
        load_reference(path)


def test_cli_check_reports_a_hostile_reference_as_bad_input(tmp_path, capsys, monkeypatch):
    path = tmp_path / "ref.json"
    path.write_text('{"chapters": {"06_training": {"m": {"low": 0, "high": ' + HUGE + "}}}}")
    monkeypatch.setattr(bands, "reference_path", lambda backend, root=None: path)
    folder = tmp_path / "records"
    folder.mkdir()
    assert bands.main(["check", str(folder), "--backend", "tensorflow"]) == 2
    assert "make references" in capsys.readouterr().err
