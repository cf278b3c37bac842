"""Benchmark records and the tables the book shows from them.

The scripts in ``benchmarks/`` (run by ``make bench``, never by ``make test``) write
``results/bench/<name>.json`` with the same shape as a chapter's record::

    {"chapter": "bench_<name>", "profile", "backend", "device", "versions", "started",
     "duration_s", "metrics": {name: number}}

and :func:`rnn_throughput_table` turns the recorded LSTM throughput grid into the
Markdown table of the "Do GPUs help RNNs?" page, so no page types a measured number.

Records are read through :func:`rnn_tutorial.results.read_bench_record`, the checks every
results file gets. Read from ``results/bench/``, a record that cannot be trusted (not valid
JSON, a metric that is not a finite number, ...) or that lacks what its table needs (a
metric, a setting) gives a one-line note in the table's place, naming the file and how to
measure it again, so one bad file never stops the pages from being generated; a record
that is trusted but cannot be shown is also warned about (a
:class:`~rnn_tutorial.results.ResultsWarning`; :func:`~rnn_tutorial.results.read_results`
already warns about the untrusted ones). A record passed in directly that lacks what its
table needs raises :class:`BenchTableError` instead.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import warnings
from pathlib import Path
from typing import Callable, Optional

from ..errors import ResultsWarning
from ..files import write_json_atomic
from ..results import RecordError, read_bench_record, results_dir, validate_metrics


class BenchTableError(ValueError):
    """A benchmark record that lacks what its table needs (the message says what)."""


def bench_path(name: str, root: "str | os.PathLike[str] | None" = None) -> Path:
    """Return ``results/bench/<name>.json``; ``name`` is snake_case (``[a-z][a-z0-9_]*``)."""
    if not isinstance(name, str):
        raise TypeError(f"name must be a snake_case str, e.g. 'training_throughput', got {type(name).__name__} {name!r}")
    # fullmatch: re.match(r"...$") would also accept a trailing newline ("abc\n" -> "abc\n.json")
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise ValueError(f"name must be snake_case, e.g. 'training_throughput', got {name!r}; use lowercase letters, "
                         "digits and '_', starting with a letter")
    return results_dir(root) / "bench" / f"{name}.json"


def now() -> _dt.datetime:
    """The current UTC time (a benchmark's ``started``)."""
    return _dt.datetime.now(_dt.timezone.utc)


def write_bench_record(name: str, profile: str, started: _dt.datetime, metrics: dict,
                       settings: Optional[dict] = None, root: "str | os.PathLike[str] | None" = None) -> Path:
    """Write a benchmark's record atomically to ``results/bench/<name>.json``.

    Args:
        name: the benchmark's name (``"training_throughput"``); the record's
            ``chapter`` is ``"bench_<name>"``.
        profile: the profile whose settings the benchmark used.
        started: when it started (UTC); ``duration_s`` is measured up to now.
        metrics: ``{snake_case name: finite number}``.
        settings: what was run (sizes, epochs, grid), stored under ``"settings"``.

    Returns:
        The path written.
    """
    from ..environment import backend_name, device_description, versions

    if not isinstance(profile, str) or not profile:
        raise TypeError(f"profile must be the name of a profile, e.g. 'laptop', got {type(profile).__name__} {profile!r}")
    if not isinstance(started, _dt.datetime):
        raise TypeError(f"started must be a datetime (use benchmarks.now() when the benchmark starts), "
                        f"got {type(started).__name__} {started!r}")
    if started.tzinfo is None:
        raise ValueError(f"started must be timezone-aware UTC (use benchmarks.now()), got the naive datetime {started!r}")
    if settings is not None and not isinstance(settings, dict):
        raise TypeError(f"settings must be a dict or None, got {type(settings).__name__}")
    record = {
        "chapter": f"bench_{name}",
        "profile": profile,
        "backend": backend_name(),
        "device": device_description(),
        "versions": versions(),
        "started": started.isoformat(timespec="seconds"),
        "duration_s": round((now() - started).total_seconds(), 1),
        "metrics": validate_metrics(metrics),
    }
    if settings is not None:
        record["settings"] = settings
    return write_json_atomic(bench_path(name, root), record)


def load_bench_record(name: str, root: "str | os.PathLike[str] | None" = None) -> Optional[dict]:
    """Read and check ``results/bench/<name>.json``, or ``None`` when it does not exist.

    Raises:
        RecordError: the file cannot be trusted (:func:`~rnn_tutorial.results.read_bench_record`:
            not valid JSON, a metric that is not a finite number, ...); the message names it
            and says why.
    """
    path = bench_path(name, root)
    if not path.exists():
        return None
    return read_bench_record(path)


def _metrics(record: dict, names, script: str) -> dict:
    """The record's metrics; :class:`BenchTableError` naming those of ``names`` it lacks."""
    metrics = record.get("metrics") if isinstance(record, dict) else None
    if not isinstance(metrics, dict):
        raise BenchTableError(f"the record has no 'metrics' object; measure it again: python {script}")
    missing = [str(name) for name in names if name not in metrics]
    if missing:
        raise BenchTableError(f"the record lacks the metric{'s' if len(missing) > 1 else ''} {', '.join(missing)}; "
                              f"measure it again: python {script}")
    return metrics


def _fields(record: dict, script: str, names=("device", "backend", "started")) -> None:
    """:class:`BenchTableError` unless the record names the ``device``, ``backend`` and ``started`` its caption shows."""
    missing = [name for name in names if not isinstance(record.get(name), str)]
    if missing:
        raise BenchTableError(f"the record lacks its {', '.join(repr(m) for m in missing)}; "
                              f"measure it again: python {script}")


def _settings(record: dict, script: str) -> dict:
    settings = record.get("settings", {})
    if not isinstance(settings, dict):
        raise BenchTableError(f"the record's 'settings' is not an object; measure it again: python {script}")
    return settings


_SPECIAL = re.compile(r"([\\`*<>\[\]|$])")


def _escaped(text) -> str:
    """``text`` (from a file: anything) as one line of Markdown, markup escaped."""
    return _SPECIAL.sub(r"\\\1", " ".join(str(text).splitlines()))


def _table_from_file(name: str, title: str, rerun: str, render: Callable[[dict], str],
                     root: "str | os.PathLike[str] | None") -> str:
    """``render`` of ``results/bench/<name>.json``; a one-line note when it is missing or cannot be shown."""
    shown = f"`results/bench/{name}.json`"
    try:
        record = load_bench_record(name, root)
    except RecordError as err:  # read_results warns about it too, and the results page lists it
        return (f"*The {title} table is not shown: {shown} was left out ({_escaped(err.note.reason)}); "
                f"measure it again: `{rerun}`.*\n")
    if record is None:
        return f"*The {title} benchmark has not been run yet: `{rerun}`.*\n"
    try:
        return render(record)
    except (BenchTableError, KeyError, TypeError, ValueError, AttributeError, IndexError) as err:
        if isinstance(err, BenchTableError):  # its message ends with the script to rerun
            reason, fix = str(err), ""
        else:
            reason = f"the record's settings do not have the shape the table reads ({type(err).__name__}: {err})"
            fix = f"; measure it again: `{rerun}`"
        warnings.warn(f"results file {bench_path(name, root)}: {reason}; its table shows a note instead",
                      ResultsWarning, stacklevel=3)
        return f"*The {title} table is not shown: {shown}: {_escaped(reason)}{fix}.*\n"


_GRID = re.compile(r"^tokens_per_s_t(\d+)_b(\d+)$")
_RNN_SCRIPT = "benchmarks/rnn_throughput.py"
_TRAINING_SCRIPT = "benchmarks/training_throughput.py"
_TRAINING_METRICS = ("bucketed_reviews_per_s", "bucketed_test_accuracy", "padded_reviews_per_s", "padded_test_accuracy",
                     "bucketing_speedup", "bucketed_padded_steps_share")
_BACKENDS_SCRIPT = "benchmarks/backends.py"
_BACKENDS_METRICS = ("tensorflow_reviews_per_s", "jax_reviews_per_s", "jax_over_tensorflow", "tensorflow_first_epoch_s",
                     "jax_first_epoch_s")


def rnn_throughput_table(record: Optional[dict] = None, root: "str | os.PathLike[str] | None" = None) -> str:
    """Render the LSTM throughput grid of ``results/bench/rnn_throughput.json`` as Markdown.

    Rows are sequence lengths, columns batch sizes, cells thousands of tokens per second
    (forward and backward pass). Metrics are named ``tokens_per_s_t<length>_b<batch>``.

    Args:
        record: a record as :func:`write_bench_record` writes it; ``None`` reads it.

    Returns:
        A Markdown table with a caption line naming the device, backend and date, or
        a one-line note when the benchmark has not been run, or when its file cannot be
        used (see the module doc).

    Raises:
        ValueError: a ``record`` passed in holds no grid metric (:class:`BenchTableError`).
    """
    if record is None:
        return _table_from_file("rnn_throughput", "RNN throughput", "make bench", _rnn_throughput, root)
    return _rnn_throughput(record)


def _rnn_throughput(record: dict) -> str:
    metrics = _metrics(record, (), _RNN_SCRIPT)
    cells = {}
    for key, value in metrics.items():
        match = _GRID.match(key)
        if match:
            cells[int(match.group(1)), int(match.group(2))] = value
    if not cells:
        raise BenchTableError("the record holds no tokens_per_s_t<length>_b<batch> metrics; "
                              f"measure it again: python {_RNN_SCRIPT}")
    _fields(record, _RNN_SCRIPT)
    lengths = sorted({t for t, _ in cells})
    batches = sorted({b for _, b in cells})
    lines = [
        "| time steps | " + " | ".join(f"batch {b}" for b in batches) + " |",
        "|---:|" + "---:|" * len(batches),
    ]
    for t in lengths:
        row = [f"{cells[t, b] / 1000:,.1f}" if (t, b) in cells else "" for b in batches]
        lines.append(f"| {t} | " + " | ".join(row) + " |")
    lines.append("")
    lines.append(f"Thousands of tokens per second, forward and backward pass, measured on "
                 f"{record['device']} with the {record['backend']} backend on {record['started'][:10]}.")
    cell = _settings(record, _RNN_SCRIPT).get("recurrent_dropout_cell")
    if "recurrent_dropout_slowdown" in metrics and cell:
        lines.append(f"The same model with `recurrent_dropout={cell['rate']}` ({cell['time']} steps, batch "
                     f"{cell['batch']}) was {metrics['recurrent_dropout_slowdown']:.2f}x slower on this device "
                     f"(tokens per second without / with).")
    return "\n".join(lines) + "\n"


def training_throughput_table(record: Optional[dict] = None, root: "str | os.PathLike[str] | None" = None) -> str:
    """Render ``results/bench/training_throughput.json`` (bucketed vs padded batches) as Markdown.

    ``record``: as :func:`rnn_throughput_table` takes it; one passed in that lacks a metric
    raises :class:`BenchTableError` naming it.
    """
    if record is None:
        return _table_from_file("training_throughput", "training throughput", "make bench", _training_throughput, root)
    return _training_throughput(record)


def _training_throughput(record: dict) -> str:
    m, s = _metrics(record, _TRAINING_METRICS, _TRAINING_SCRIPT), _settings(record, _TRAINING_SCRIPT)
    _fields(record, _TRAINING_SCRIPT)
    lines = [
        "| pipeline | reviews per second | test accuracy |",
        "|---|---:|---:|",
        f"| length-bucketed batches (`BucketedBatches`) | {m['bucketed_reviews_per_s']:,.1f} | {m['bucketed_test_accuracy']:.4f} |",
        f"| every review padded to {s.get('max_len', 'max_len')} tokens | {m['padded_reviews_per_s']:,.1f} | {m['padded_test_accuracy']:.4f} |",
        "",
        f"Bucketing speedup {m['bucketing_speedup']:.2f}x; the bucketed batches hold "
        f"{m['bucketed_padded_steps_share']:.0%} of the padded batches' time steps. The sentiment model trained "
        f"{s.get('epochs', '?')} epochs on {s.get('train_size', '?'):,} reviews with each pipeline, alternated batch by batch, "
        f"the first (compilation) not timed; accuracy on {s.get('test_size', '?'):,} test reviews. Measured on "
        f"{record['device']} with the {record['backend']} backend on {record['started'][:10]}.",
    ]
    return "\n".join(lines) + "\n"


def backends_table(record: Optional[dict] = None, root: "str | os.PathLike[str] | None" = None) -> str:
    """Render ``results/bench/backends.json`` (TensorFlow against JAX) as Markdown.

    ``record``: as :func:`rnn_throughput_table` takes it; one passed in that lacks a metric
    raises :class:`BenchTableError` naming it.
    """
    if record is None:
        return _table_from_file("backends", "backend", f"python {_BACKENDS_SCRIPT}", _backends, root)
    return _backends(record)


def _backends(record: dict) -> str:
    s = _settings(record, _BACKENDS_SCRIPT)
    models = s.get("models", [])
    if not isinstance(models, list):
        raise BenchTableError(f"the record's settings hold no list of 'models'; measure it again: python {_BACKENDS_SCRIPT}")
    m = _metrics(record, [f"{model}_{name}" for model in models for name in _BACKENDS_METRICS], _BACKENDS_SCRIPT)
    _fields(record, _BACKENDS_SCRIPT, ("device", "started"))
    lines = ["| model | TensorFlow reviews/s | JAX reviews/s | JAX / TensorFlow | first epoch, TensorFlow (s) | first epoch, JAX (s) |",
             "|---|---:|---:|---:|---:|---:|"]
    for model in models:
        lines.append(f"| `{model}` | {m[f'{model}_tensorflow_reviews_per_s']:,.1f} | {m[f'{model}_jax_reviews_per_s']:,.1f} | "
                     f"{m[f'{model}_jax_over_tensorflow']:.2f} | {m[f'{model}_tensorflow_first_epoch_s']:.1f} | "
                     f"{m[f'{model}_jax_first_epoch_s']:.1f} |")
    lines += ["", f"Training on {s.get('reviews', '?'):,} reviews in length-bucketed batches of {s.get('batch_size', '?')} "
              f"(at most {s.get('max_len', '?')} tokens), one process per backend and model, alternated over "
              f"{s.get('rounds', '?')} rounds (medians); the first epoch compiles, the rate is the second epoch's. "
              f"Measured on {record['device']} on {record['started'][:10]}."]
    return "\n".join(lines) + "\n"


NVIDIA_LSTM_TRAINING_SPEEDUP = 6.0
"""NVIDIA's published figure for LSTM training with cuDNN against CPU implementations
("Accelerating Long Short-Term Memory using GPUs", developer.nvidia.com/discover/lstm)."""
GPU_AIM_MINUTES = 8.0
"""The aim for the whole book under the full profile on one H100-class GPU (issue #19)."""


def gpu_estimate(root: "str | os.PathLike[str] | None" = None) -> str:
    """Markdown: an estimate of the full profile's time on a GPU, from the laptop records.

    The laptop records give the book's time on this CPU. The full profile reads reviews
    up to ``max_len`` tokens and trains up to ``epochs`` epochs: at most
    ``(full.max_len / laptop.max_len) * (full.epochs / laptop.epochs)`` times the
    sentiment models' work (an upper bound: most reviews are shorter than either cap,
    and early stopping ends training sooner). Dividing by a published GPU/CPU ratio gives
    the estimate; the ratio needed for :data:`GPU_AIM_MINUTES` follows.
    """
    from ..profiles import PROFILES
    from ..results import load_results

    records = [r for r in load_results(root) if r["profile"] == "laptop"]
    if not records:
        return "*No laptop records yet: run the book under the laptop profile to estimate its GPU time.*\n"
    laptop, full = PROFILES["laptop"], PROFILES["full"]
    minutes = sum(r["duration_s"] for r in records) / 60
    factor = (full.max_len / laptop.max_len) * (full.epochs / laptop.epochs)
    cpu_full = minutes * factor
    estimate = cpu_full / NVIDIA_LSTM_TRAINING_SPEEDUP
    needed = cpu_full / GPU_AIM_MINUTES
    return (
        f"**An estimate, not a measurement.** The {len(records)} chapters took {minutes:.0f} minutes under the laptop "
        f"profile on this machine's CPU ({records[0].get('device', 'CPU')}). The full profile reads up to "
        f"{full.max_len} tokens instead of {laptop.max_len} and trains up to {full.epochs} epochs instead of "
        f"{laptop.epochs}: at most {factor:.0f} times the work, about {cpu_full:.0f} CPU minutes (the language-model "
        f"pretraining grows more: all windows, {full.pretraining_passes} passes). NVIDIA quotes a "
        f"{NVIDIA_LSTM_TRAINING_SPEEDUP:.0f}x training speedup for cuDNN LSTMs over CPU implementations, which "
        f"gives about {estimate:.0f} minutes on a GPU; the aim of {GPU_AIM_MINUTES:.0f} minutes needs about "
        f"{needed:.0f}x over these two cores. Two things the estimate leaves out pull in opposite directions: the book's masked models do not get "
        "cuDNN's fused kernel under JAX (see above), and a GPU runs the large batches of the full profile at "
        "little extra cost per step. Only a run on a GPU will tell; `tools/gpu_run.sh` records one in "
        "`results/full/`.\n"
    )


def write_bench_tables(root: "str | os.PathLike[str] | None" = None) -> list[Path]:
    """Write the benchmark tables the "Do GPUs help RNNs?" page includes.

    ``book/generated/rnn_throughput.md``, ``training_throughput.md``, ``backends.md`` and
    ``gpu_estimate.md``,
    from ``results/bench/*.json`` (a note instead of a table when a benchmark has not
    run). Called by ``python -m rnn_tutorial.book.report`` before every book build.
    """
    from ..files import write_text_atomic

    base = results_dir(root).parent / "book" / "generated"
    return [
        write_text_atomic(base / "rnn_throughput.md", rnn_throughput_table(root=root)),
        write_text_atomic(base / "training_throughput.md", training_throughput_table(root=root)),
        write_text_atomic(base / "backends.md", backends_table(root=root)),
        write_text_atomic(base / "gpu_estimate.md", gpu_estimate(root=root)),
    ]
