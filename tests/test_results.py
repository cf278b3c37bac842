import json
import math

import pytest

from rnn_tutorial.report import render, render_status
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


def test_results_page_lists_every_metric():
    records = [
        {"chapter": "01_x", "profile": "laptop", "backend": "tensorflow", "device": "CPU", "started": "t", "duration_s": 3.0,
         "versions": {"keras": "3"}, "metrics": {"m_one": 0.5, "m_two": 1e-9}},
    ]
    page = render(records)
    assert "`m_one` | 0.5000" in page and "`m_two` | 1.00e-09" in page and "CPU (tensorflow)" in page
    assert "| laptop | 01_x | t | 3.0 s |" in render_status(records)
