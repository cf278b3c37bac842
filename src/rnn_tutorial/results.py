"""Recording and reading the metrics each chapter run produces.

A chapter calls :func:`record_metrics` with the numbers it computed. When the chapter
is executed by the runner (``rnn-tutorial run``), the runner points the
``RNN_TUTORIAL_METRICS_FILE`` environment variable at a scratch file, and after the run
it writes ``results/<profile>/<chapter>.json``::

    {"chapter", "profile", "backend", "device", "versions", "started",
     "duration_s", "metrics": {name: number}}

Run interactively or under ``pytest --nbval``, :func:`record_metrics` only validates and
returns the metrics, so tests never overwrite recorded results.
"""

from __future__ import annotations

import json
import math
import numbers
import os
import re
from pathlib import Path

from .files import write_json_atomic

METRICS_ENV_VAR = "RNN_TUTORIAL_METRICS_FILE"
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def validate_metrics(metrics: dict) -> dict[str, float]:
    """Check that ``metrics`` maps snake_case names to finite numbers; return floats."""
    if not isinstance(metrics, dict) or not metrics:
        raise TypeError(f"metrics must be a non-empty dict of name -> number, got {metrics!r}")
    clean = {}
    for name, value in metrics.items():
        if not isinstance(name, str) or not _NAME.match(name):
            raise ValueError(f"metric name must be snake_case (e.g. 'lstm_test_accuracy'), got {name!r}")
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"metric {name!r} must be a real number, got {type(value).__name__} {value!r}")
        if not math.isfinite(float(value)):
            raise ValueError(f"metric {name!r} must be finite, got {value!r}")
        clean[name] = float(value)
    return clean


def _update_run_file(run=None, metrics: "dict | None" = None) -> None:
    """Merge ``metrics`` and the run's hardware into the runner's scratch file, if any."""
    target = os.environ.get(METRICS_ENV_VAR)
    if not target:
        return
    from .environment import versions

    existing = {}
    if Path(target).exists():
        try:
            existing = json.loads(Path(target).read_text(encoding="utf-8"))
        except ValueError:  # a torn file from a killed run is not trusted; start again
            existing = {}
    payload = {
        "metrics": {**existing.get("metrics", {}), **(metrics or {})},
        "backend": getattr(run, "backend", None) or existing.get("backend"),
        "device": getattr(run, "device", None) or existing.get("device"),
        "versions": versions(),
    }
    write_json_atomic(target, payload)


def register_run(run) -> None:
    """Record the backend, device and versions of a run (called by ``setup``)."""
    _update_run_file(run)


def record_metrics(metrics: dict, run=None) -> dict[str, float]:
    """Validate a chapter's metrics and hand them to the runner, if one is running.

    Args:
        metrics: ``{name: number}``, names in snake_case, values finite.
        run: the :class:`~rnn_tutorial.environment.Run` from ``setup``; its backend and
            device are recorded with the metrics.

    Returns:
        The metrics as floats.
    """
    clean = validate_metrics(metrics)
    _update_run_file(run, clean)
    return clean


def results_dir(root: "str | os.PathLike[str] | None" = None) -> Path:
    """Return the ``results/`` folder of the repository (or under ``root``)."""
    if root is not None:
        return Path(root) / "results"
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").exists() and (parent / "chapters").exists():
            return parent / "results"
    return Path.cwd() / "results"


def load_results(root: "str | os.PathLike[str] | None" = None) -> list[dict]:
    """Read every ``results/<profile>/<chapter>.json`` record, sorted by profile and chapter."""
    records = []
    base = results_dir(root)
    for path in sorted(base.glob("*/*.json")):
        try:
            records.append(json.loads(path.read_text(encoding="utf-8")))
        except ValueError as err:
            raise ValueError(f"results file {path} is not valid JSON ({err}); rerun its chapter with `rnn-tutorial run`") from err
    return records
