"""Recording and reading the metrics each chapter run produces.

A chapter calls :func:`record_metrics` with the numbers it computed. When the chapter
is executed by the runner (``rnn-tutorial run``), the runner points the
``RNN_TUTORIAL_METRICS_FILE`` environment variable at a scratch file, and after the run
it writes ``results/<profile>/<chapter>.json``::

    {"chapter", "profile", "backend", "device", "versions", "started",
     "duration_s", "metrics": {name: number}}

Run interactively or under ``pytest --nbval``, :func:`record_metrics` only validates and
returns the metrics, so tests never overwrite recorded results.

Reading the records back (:func:`read_results`, :func:`load_results`,
:func:`load_benchmarks`) trusts the folder and the file name, never the file's content.
The policy, one for every kind of bad file: **a file that cannot be trusted is left out
whole, with a** :class:`ResultsWarning` **that names it and says why**; the results page
lists the files left out. Nothing bad is merged, and nothing crashes the page. In detail:

- A chapter record is ``results/<profile>/NN_slug.json``: a known profile's folder
  (:data:`~rnn_tutorial.profiles.PROFILES`), two digits, an underscore, a lowercase
  snake_case slug. Anything else (``05_training copy.json``, ``notes.json``, a nested
  folder, a file directly under ``results/``, an unknown profile's folder) is left out.
  Hidden files (``.name.json.tmp``, the half-written files of an atomic write in
  progress, or ``.gitkeep``) are not records and are passed over without a warning.
- Benchmarks are ``results/bench/<name>.json`` (``name`` snake_case), returned by
  :func:`load_benchmarks` and never as chapters. Their ``profile`` field names the
  profile whose settings they used, so it is not compared with the folder.
- The record's own ``profile`` and ``chapter`` fields must agree with the folder and the
  file name (a benchmark's ``chapter`` must be ``bench_<name>``); a missing field is
  filled in from the path. A record whose ``chapter`` names another chapter (another
  slug) or whose ``profile`` names another profile is left out. A record whose chapter
  differs **only in its number** (``03_data_preparation`` in ``04_data_preparation.json``:
  a chapter renumbered and not yet re-run) is kept under the file's name; the results page
  lists it (``python -m rnn_tutorial.book.report`` warns), :func:`load_results` stays quiet.
- Two files of one profile with one slug (a renumbered chapter's old and new record):
  the later ``started`` is kept, the other left out.
- Every metric must be a real number and finite: a string, NaN, infinity, ``null``, a
  bool, a list or a dict leaves the whole record out, the warning naming the file and the
  metric. ``metrics`` must be a dict, ``duration_s`` a finite number >= 0, ``versions`` a
  dict, ``started``, ``device`` and ``backend`` strings (and a benchmark's ``profile``); a
  file that is not valid JSON (torn, nested too deeply to read, an integer of thousands of
  digits), or not a JSON object, is left out too, as is a number too large for a float.

Records that pass come back with ``chapter`` and ``profile`` taken from the path and
every metric a ``float``. :func:`read_bench_record` reads one benchmark record the same way
(the benchmark tables of :mod:`rnn_tutorial.book.benchmarks` use it).

These readers (and :func:`record_metrics` reading back its run's metrics file, and the
bands of :mod:`rnn_tutorial.book.bands`) read JSON through :func:`read_json_object` and
numbers through :func:`finite_float`, so nothing a file holds (nesting too deep for the
parser, an integer no float can hold) crashes them with a ``RecursionError`` or an
``OverflowError``.
"""

from __future__ import annotations

import json
import math
import numbers
import os
import re
import warnings
from pathlib import Path
from typing import NamedTuple

from .errors import ResultsWarning
from .files import write_json_atomic
from .paths import results_dir

METRICS_ENV_VAR = "RNN_TUTORIAL_METRICS_FILE"
METRICS_DIR_ENV_VAR = "RNN_TUTORIAL_METRICS_DIR"
"""Set by the tests (``conftest.py``): a folder where every chapter run under
``pytest --nbval`` leaves ``<chapter>.record.json``, so its metrics can be checked against
the reference bands (:mod:`rnn_tutorial.book.bands`). Never ``results/``."""
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_CHAPTER_NAME = re.compile(r"^[0-9]{2}_[a-z][a-z0-9_]*$")


class JSONFileError(ValueError):
    """A file that is not a readable JSON object; the message says why, callers name the file."""


def read_json_object(path: "str | os.PathLike[str]") -> dict:
    """Read a JSON file whose top level must be an object.

    Raises:
        JSONFileError: the file cannot be read, is not valid JSON (torn, nested too deeply
            for the parser, an integer of more digits than Python converts) or its top
            level is not an object. The message says which, without the file's name.
    """
    try:
        value = json.loads(Path(path).read_text(encoding="utf-8"))
    except RecursionError:
        raise JSONFileError("not valid JSON (nested too deeply to read)") from None
    except (OSError, ValueError) as err:  # ValueError: JSONDecodeError, UnicodeDecodeError, too many digits
        raise JSONFileError(f"not valid JSON ({err})") from None
    if not isinstance(value, dict):
        raise JSONFileError(f"not a JSON object but {type(value).__name__}")
    return value


def finite_float(value) -> float:
    """``value`` as a finite ``float``.

    Raises:
        TypeError: ``value`` is not a real number (a string, ``None``, a bool, a list, ...);
            the message reads ``"not a number: <type> <value>"``.
        ValueError: NaN, infinity, or a number beyond a float's range (an integer of
            hundreds of digits); the message reads ``"not finite: ..."`` or
            ``"out of a float's range: ..."``.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"not a number: {type(value).__name__} {_short(value)}")
    try:
        result = float(value)
    except OverflowError:
        raise ValueError(f"out of a float's range: {_short(value)}") from None
    if not math.isfinite(result):
        raise ValueError(f"not finite: {_short(value)}")
    return result


def _short(value) -> str:
    try:
        text = repr(value)
    except RecursionError:
        return f"a {type(value).__name__} nested too deeply to show"
    except ValueError:  # an int of more digits than Python converts to text
        return f"an {type(value).__name__} of too many digits to show"
    return text if len(text) <= 60 else text[:57] + "..."


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
        try:
            clean[name] = finite_float(value)
        except ValueError:
            raise ValueError(f"metric {name!r} must be finite and within a float's range, got {_short(value)}") from None
    return clean


def _target_file(run, starting: bool) -> "tuple[str | None, bool]":
    """The file a run's metrics go to, and whether to start it afresh.

    The runner's scratch file wins; else ``<RNN_TUTORIAL_METRICS_DIR>/<chapter>.record.json``
    for a run that names its chapter (started afresh by ``setup``).
    """
    target = os.environ.get(METRICS_ENV_VAR)
    if target:
        return target, False
    folder = os.environ.get(METRICS_DIR_ENV_VAR)
    chapter = getattr(run, "chapter", "")
    if folder and chapter and _CHAPTER_NAME.match(chapter):
        Path(folder).mkdir(parents=True, exist_ok=True)
        return str(Path(folder) / f"{chapter}.record.json"), starting
    return None, False


def _update_run_file(run=None, metrics: "dict | None" = None, starting: bool = False,
                     versions: "dict | None" = None) -> None:
    """Merge ``metrics``, the run's hardware and ``versions`` into the run's metrics file, if any."""
    target, fresh = _target_file(run, starting)
    if not target:
        return
    existing = {}
    if Path(target).exists() and not fresh:
        try:
            existing = read_json_object(target)
        except JSONFileError:  # a torn file from a killed run is not trusted; start again
            existing = {}
        if not _trusted_scratch(existing):  # nor one of another shape
            existing = {}
    payload = {
        "chapter": getattr(run, "chapter", None) or existing.get("chapter"),
        "profile": getattr(getattr(run, "profile", None), "name", None) or existing.get("profile"),
        "seed": getattr(run, "seed", None) if run is not None else existing.get("seed"),
        "metrics": {**existing.get("metrics", {}), **(metrics or {})},
        "backend": getattr(run, "backend", None) or existing.get("backend"),
        "device": getattr(run, "device", None) or existing.get("device"),
        "versions": versions if versions is not None else existing.get("versions", {}),
    }
    write_json_atomic(target, payload)


def _trusted_scratch(existing: dict) -> bool:
    """Whether a run's metrics file has the shape :func:`_update_run_file` writes."""
    metrics, versions = existing.get("metrics", {}), existing.get("versions", {})
    if not isinstance(metrics, dict) or not isinstance(versions, dict):
        return False
    for value in metrics.values():
        try:
            finite_float(value)
        except (TypeError, ValueError):
            return False
    if any(existing.get(field) is not None and not isinstance(existing[field], str)
           for field in ("chapter", "profile", "backend", "device")):
        return False
    seed = existing.get("seed")
    return seed is None or (isinstance(seed, int) and not isinstance(seed, bool))


def register_run(run, versions: "dict | None" = None) -> None:
    """Record the backend, device and library versions of a run (called by ``setup``)."""
    _update_run_file(run, starting=True, versions=versions or {})


SHOWN_DIGITS = 6
"""Significant digits of a metric in :class:`RecordedMetrics`' display."""


def _shown(value: float) -> str:
    if value.is_integer():
        return repr(value)
    return repr(float(f"{value:.{SHOWN_DIGITS}g}"))


class RecordedMetrics(dict):
    """What :func:`record_metrics` returns: ``{name: float}``, every digit kept.

    Only its display rounds, to :data:`SHOWN_DIGITS` significant digits: the last digits
    of a float computation depend on the CPU's kernels (a linear solve, a vectorized
    sum), and ``pytest --nbval`` compares a chapter's displayed metrics on whatever
    machine runs it. The record the runner writes has every digit.
    """

    def __repr__(self) -> str:
        items = [f"{name!r}: {_shown(value)}" for name, value in self.items()]
        line = "{" + ", ".join(items) + "}"
        if len(line) <= 79:
            return line
        return "{" + ",\n ".join(items) + "}"

    def _repr_pretty_(self, printer, cycle) -> None:  # IPython's display of the cell
        printer.text(repr(self))


def record_metrics(metrics: dict, run=None) -> RecordedMetrics:
    """Validate a chapter's metrics and hand them to the runner, if one is running.

    Args:
        metrics: ``{name: number}``, names in snake_case, values finite.
        run: the :class:`~rnn_tutorial.environment.Run` from ``setup``; its backend and
            device are recorded with the metrics.

    Returns:
        The metrics as floats (a dict), displayed to :data:`SHOWN_DIGITS` significant
        digits.
    """
    clean = validate_metrics(metrics)
    _update_run_file(run, clean)
    return RecordedMetrics(clean)


BENCH_FOLDER = "bench"
"""``results/bench/``: benchmark records, never chapter records."""
CHAPTER_FILE = re.compile(r"^(?P<number>[0-9]{2})_(?P<slug>[a-z][a-z0-9_]*)\.json$")
"""A chapter record's file name: ``NN_slug.json``."""
_CHAPTER = re.compile(r"^(?P<number>[0-9]{2})_(?P<slug>[a-z][a-z0-9_]*)$")
_BENCH_FILE = re.compile(r"^(?P<name>[a-z][a-z0-9_]*)\.json$")
_STRING_FIELDS = ("started", "device", "backend")


def chapter_slug(chapter: str) -> str:
    """The chapter's name without its number: ``"06_training"`` -> ``"training"``.

    Chapters are renumbered; anything chapter-specific is keyed by this slug.
    """
    match = _CHAPTER.match(str(chapter))
    return match["slug"] if match else str(chapter)


class Note(NamedTuple):
    """A file :func:`read_results` left out (``kept`` false) or kept with a caveat (``kept`` true)."""

    path: Path
    reason: str
    kept: bool = False

    def message(self) -> str:
        return f"results file {self.path}: {self.reason}{'' if self.kept else '; left out'}"


class _Untrusted(Exception):
    """Why a file is left out (raised and caught inside :func:`read_results`)."""


def _checked_metrics(metrics) -> dict[str, float]:
    """Every metric as a float, or :class:`_Untrusted` naming the first bad one."""
    if not isinstance(metrics, dict):
        raise _Untrusted(f"'metrics' must be a dict of name -> number, got {type(metrics).__name__} {_short(metrics)}")
    clean = {}
    for name, value in metrics.items():
        try:
            clean[str(name)] = finite_float(value)
        except (TypeError, ValueError) as why:  # "not a number: ...", "not finite: ...", "out of a float's range: ..."
            raise _Untrusted(f"metric {name!r} is {why}") from None
    return clean


def _checked_record(path: Path, profile: "str | None", chapter: str, bench: bool) -> tuple[dict, "str | None"]:
    """Read and check one file; return the clean record and a note (or raise :class:`_Untrusted`)."""
    try:
        record = read_json_object(path)
    except JSONFileError as why:
        raise _Untrusted(str(why)) from None
    note = None
    if bench:
        if record.setdefault("chapter", chapter) != chapter:
            raise _Untrusted(f"its 'chapter' field says {_short(record['chapter'])}, its file name says {chapter!r}")
    else:
        own_profile = record.setdefault("profile", profile)
        if own_profile != profile:
            raise _Untrusted(f"its 'profile' field says {_short(own_profile)}, its folder says {profile!r}")
        own = record.setdefault("chapter", chapter)
        if own != chapter:
            if not isinstance(own, str) or chapter_slug(own) != chapter_slug(chapter) or not _CHAPTER.match(own):
                raise _Untrusted(f"its 'chapter' field says {_short(own)}, its file name says {chapter!r}")
            note = (f"its 'chapter' field says {own!r} (the chapter's number before renumbering): "
                    f"shown as {chapter!r}, its file name; rerun the chapter to rewrite the record")
            record["chapter"] = chapter
    record["metrics"] = _checked_metrics(record.get("metrics", {}))
    duration = record.get("duration_s", 0.0)
    try:
        seconds = finite_float(duration)
    except (TypeError, ValueError):
        seconds = -1.0
    if seconds < 0:
        raise _Untrusted(f"'duration_s' must be a finite number of seconds >= 0, got {_short(duration)}")
    for field in _STRING_FIELDS + (("profile",) if bench else ()):
        if record.get(field) is not None and not isinstance(record[field], str):
            raise _Untrusted(f"{field!r} must be a string, got {type(record[field]).__name__} {_short(record[field])}")
    versions = record.get("versions", {})
    if not isinstance(versions, dict) or not all(isinstance(v, str) for v in versions.values()):
        raise _Untrusted(f"'versions' must be a dict of library -> version string, got {_short(versions)}")
    return record, note


class RecordError(ValueError):
    """A record :func:`read_bench_record` leaves out; the message names the file and says why.

    Attributes:
        note: the :class:`Note` :func:`read_results` would give (``note.reason``: why).
    """

    def __init__(self, note: Note):
        super().__init__(note.message())
        self.note = note


def read_bench_record(path: "str | os.PathLike[str]") -> dict:
    """Read and check one benchmark record, ``results/bench/<name>.json``, as :func:`read_results` does.

    Returns:
        The clean record (every metric a ``float``, ``name`` the file's stem).

    Raises:
        RecordError: the file cannot be trusted (missing, not valid JSON, a metric that is
            not a finite number, ...): the message names it and says why.
    """
    path = Path(path)
    match = _BENCH_FILE.match(path.name)
    if not match:
        raise ValueError(f"a benchmark record's name must be <name>.json, name in snake_case, got {path.name!r}")
    try:
        record, _ = _checked_record(path, None, f"bench_{match['name']}", bench=True)
    except _Untrusted as why:
        raise RecordError(Note(path, str(why))) from None
    record["name"] = match["name"]
    return record


def read_results(root: "str | os.PathLike[str] | None" = None) -> tuple[list[dict], list[dict], list[Note]]:
    """Read ``results/``: chapter records, benchmark records and what was left out.

    Applies the module's policy (see the module docstring) without warning.

    Returns:
        ``(chapters, benchmarks, notes)``: chapter records sorted by profile and
        chapter; benchmark records (each with ``"name"``, its file's stem) sorted by
        name; and a :class:`Note` for every file left out, or kept with a caveat
        (a renumbered chapter).
    """
    from .profiles import PROFILES

    base = results_dir(root)
    chapters: dict[tuple[str, str], tuple[dict, Path]] = {}
    benchmarks, skipped = [], []
    if not base.is_dir():
        return [], [], []
    for path in sorted(base.rglob("*")):
        relative = path.relative_to(base)
        if any(part.startswith(".") for part in relative.parts) or path.is_dir():
            continue                       # hidden files: .name.json.tmp (an atomic write in progress), .gitkeep
        folder = relative.parts[0] if len(relative.parts) > 1 else None
        if len(relative.parts) != 2:
            where = "not directly in a profile's folder" if folder is None else f"in a subfolder of results/{folder}/"
            skipped.append(Note(path, f"{where}: only results/<profile>/NN_slug.json and results/bench/<name>.json are records"))
            continue
        bench = folder == BENCH_FOLDER
        if bench:
            match = _BENCH_FILE.match(path.name)
            if not match:
                skipped.append(Note(path, "a benchmark record's name must be <name>.json, name in snake_case"))
                continue
        else:
            if folder not in PROFILES:
                skipped.append(Note(path, f"{folder!r} is not a profile ({', '.join(PROFILES)}) nor {BENCH_FOLDER!r}"))
                continue
            match = CHAPTER_FILE.match(path.name)
            if not match:
                skipped.append(Note(path, "a chapter record's name must be NN_slug.json (two digits, an underscore, "
                                      "a lowercase snake_case slug)"))
                continue
        chapter = f"bench_{match['name']}" if bench else path.stem
        try:
            record, note = _checked_record(path, None if bench else folder, chapter, bench)
        except _Untrusted as why:
            skipped.append(Note(path, str(why)))
            continue
        if note:
            skipped.append(Note(path, note, kept=True))
        if bench:
            record["name"] = match["name"]
            benchmarks.append(record)
            continue
        key = (folder, match["slug"])
        if key in chapters:                # later files win ties: sorted, so the higher number
            old, old_path = chapters[key]
            if str(record.get("started") or "") < str(old.get("started") or ""):
                record, path, old_path = old, old_path, path
            skipped.append(Note(old_path, f"an older record of the chapter {match['slug']!r} than {path.name}"))
        chapters[key] = (record, path)
    order = sorted(chapters.values(), key=lambda rp: (rp[0]["profile"], rp[0]["chapter"]))
    return [r for r, _ in order], sorted(benchmarks, key=lambda r: r["name"]), skipped


def warn_skipped(notes: "list[Note]") -> None:
    """Emit a :class:`ResultsWarning` for each :class:`Note` :func:`read_results` returned."""
    for note in notes:
        warnings.warn(note.message(), ResultsWarning, stacklevel=3)


def load_benchmarks(root: "str | os.PathLike[str] | None" = None) -> list[dict]:
    """Read every ``results/bench/<name>.json`` record (warning about any left out; see the module docstring)."""
    _, benchmarks, notes = read_results(root)
    warn_skipped([n for n in notes if not n.kept and _in_bench(n.path, root)])
    return benchmarks


def _in_bench(path: Path, root) -> bool:
    relative = path.relative_to(results_dir(root))
    return len(relative.parts) > 1 and relative.parts[0] == BENCH_FOLDER


def load_results(root: "str | os.PathLike[str] | None" = None) -> list[dict]:
    """Read every chapter record ``results/<profile>/NN_slug.json``, sorted by profile and chapter.

    Benchmarks (``results/bench/``) are not chapters: see :func:`load_benchmarks`. Files
    that cannot be trusted are left out with a :class:`ResultsWarning` naming them (the
    policy is in the module docstring); ``chapter`` and ``profile`` come from the path.
    A renumbered record (kept under its file's name) is not warned about here, where a
    chapter reads its neighbours' numbers; the results page lists it.
    """
    records, _, notes = read_results(root)
    warn_skipped([n for n in notes if not n.kept and not _in_bench(n.path, root)])
    return records
