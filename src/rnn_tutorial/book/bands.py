"""Reference metrics of the ci profile, with bands measured from several seeds.

``pytest --nbval`` compares the outputs that do not depend on the profile; the numbers a
chapter trains for (accuracies, perplexities, norms, gaps) depend on the data and the seed,
so they are checked here instead: against a **band** measured on this kind of machine.

How a band is measured (:func:`measure`): every chapter is executed under the ci profile
once per seed (``rnn-tutorial run --seed S --no-record``), and for every metric the
values over the seeds give::

    spread = max(values) - min(values)
    margin = spread + RELATIVE_MARGIN * max(|values|) + ABSOLUTE_MARGIN
    band   = [min(values) - margin, max(values) + margin]

so the band is the seed-to-seed noise widened by that noise again plus 2% (and a hair
for exact zeros). Timing metrics (``*_seconds``, ``*_minutes``) are not banded. The
reference file keeps the seeds, every seed's value, the reference seed's value (the
book's seed, 1234, which ``make test`` runs), the command, the device and the versions.

Files: ``tests/references/ci-<backend>.json``, one per Keras backend, since JAX and
TensorFlow differ in the last digits. Update them with one command (``make references``,
or for chosen chapters)::

    python -m rnn_tutorial.book.bands measure --backend tensorflow --seeds 1234 1 2 [--chapters 06] [--cpu-share 0/2]

(``make references`` measures both backends at once, on CPU shares 0/2 and 1/2, the way
``make test``'s two pytest workers run.)

Check fresh records (``make test`` does, after ``pytest --nbval`` and after the JAX pass)::

    python -m rnn_tutorial.book.bands check build/metrics/nbval-tensorflow --backend tensorflow

A check fails with one line per problem naming the chapter, the metric, the value and
the band; a chapter of the reference with no fresh record, or a banded metric missing
from a fresh record, fails too.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import math
import re
import sys
from pathlib import Path
from typing import Iterable, Mapping, Optional, Sequence

from ..environment import BACKENDS, DEFAULT_SEED
from ..errors import BandError
from ..files import write_json_atomic
from ..paths import repo_root
from ..results import JSONFileError, finite_float, read_json_object
from ..validation import check_choice, check_int

RELATIVE_MARGIN = 0.02
"""Part of the margin proportional to the metric's size (2%)."""
ABSOLUTE_MARGIN = 1e-9
"""Part of the margin that keeps a band around an exact zero from being empty."""
UNBANDED = re.compile(r"(_seconds|_minutes)$")
"""Metric names that are timings, not results: never banded."""
DEFAULT_SEEDS = (DEFAULT_SEED, 1, 2)
PROFILE = "ci"
METHOD = (
    "each chapter executed under the ci profile once per seed (rnn-tutorial run --seed S --no-record); "
    "band = [min - margin, max + margin] over the seeds, margin = (max - min) "
    f"+ {RELATIVE_MARGIN} * max|value| + {ABSOLUTE_MARGIN:g}; timing metrics (*_seconds, *_minutes) not banded"
)


def is_banded(name: str) -> bool:
    """Whether metric ``name`` gets a band (every metric except timings)."""
    return not UNBANDED.search(name)


def band(values: Sequence[float]) -> tuple[float, float]:
    """The band of one metric from its values over the seeds.

    Args:
        values: one finite value per seed (at least one).

    Returns:
        ``(low, high)`` as described in the module doc.

    Example:
        >>> band([0.80, 0.82, 0.81])
        (0.7636..., 0.8564...)
    """
    values = [float(v) for v in values]
    if not values or not all(math.isfinite(v) for v in values):
        raise BandError(f"a band needs at least one finite value per seed, got {values!r}")
    low, high = min(values), max(values)
    margin = (high - low) + RELATIVE_MARGIN * max(abs(v) for v in values) + ABSOLUTE_MARGIN
    return low - margin, high + margin


def reference_path(backend: str, root: Optional[Path] = None) -> Path:
    """``tests/references/ci-<backend>.json`` under the repository root."""
    backend = check_choice("backend", backend, BACKENDS)
    return (root or repo_root()) / "tests" / "references" / f"{PROFILE}-{backend}.json"


def read_records(folder: "str | Path") -> dict[str, dict]:
    """The ``<chapter>.record.json`` files of a folder of executed chapters.

    Returns:
        ``{chapter: record}`` where ``record["metrics"]`` is ``{name: float}``.

    Raises:
        BandError: if the folder does not exist or a record is not valid JSON with a
            ``metrics`` object of numbers (naming the file and the metric). NaN and
            infinity pass: :func:`check` reports them outside their band.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise BandError(
            f"records folder {folder} does not exist; run the chapters first (pytest --nbval writes "
            "build/metrics/nbval-<backend>/, rnn-tutorial run writes its --output folder)"
        )
    records = {}
    for path in sorted(folder.glob("[0-9][0-9]_*.record.json")):
        try:
            record = read_json_object(path)
        except JSONFileError as why:
            raise BandError(f"{path} is {why}; run its chapter again") from None
        if not isinstance(record.get("metrics"), dict):
            raise BandError(f"{path} has no 'metrics' object; run its chapter again")
        for name, value in record["metrics"].items():
            try:
                finite_float(value)
            except (TypeError, ValueError) as why:
                if not isinstance(value, float):  # a float NaN or infinity is left to check(): outside any band
                    raise BandError(f"{path}: metric {name!r} is {why}; run its chapter again") from None
        records[path.name[: -len(".record.json")]] = record
    return records


def make_reference(values: Mapping[int, Mapping[str, Mapping[str, float]]], backend: str,
                   reference_seed: int = DEFAULT_SEED, **about) -> dict:
    """Build a reference from every seed's metrics.

    Args:
        values: ``{seed: {chapter: {metric: value}}}``; the reference seed must be there.
        backend: the Keras backend they were measured with.
        reference_seed: the seed whose values are stored as ``reference``.
        **about: stored as they are (``command``, ``device``, ``versions``, ...).

    Returns:
        The reference dictionary written by :func:`write_reference`. A metric gets a band
        only if every seed recorded it.
    """
    if reference_seed not in values:
        raise BandError(f"the reference seed {reference_seed} was not measured; seeds: {sorted(values)}")
    seeds = list(values)
    chapters = {}
    for chapter in sorted(values[reference_seed]):
        entry = {}
        for metric, ref in sorted(values[reference_seed][chapter].items()):
            if not is_banded(metric):
                continue
            per_seed = [values[s].get(chapter, {}).get(metric) for s in seeds]
            if any(v is None for v in per_seed):
                continue
            low, high = band(per_seed)
            entry[metric] = {"reference": ref, "values": dict(zip(map(str, seeds), per_seed)), "low": low, "high": high}
        chapters[chapter] = entry
    return {
        "profile": PROFILE,
        "backend": backend,
        "seeds": seeds,
        "reference_seed": reference_seed,
        "method": METHOD,
        **about,
        "chapters": chapters,
    }


def load_reference(path: "str | Path") -> dict:
    """Read a reference file and check its shape.

    Raises:
        BandError: if the file is missing, not JSON, or lacks ``chapters`` with
            ``low``/``high`` numbers for every metric (or has a ``reference`` or
            ``values`` that are not numbers); the message names the file, what is wrong,
            and says to measure it again.
    """
    path = Path(path)
    again = "; measure it again with `make references`"
    if not path.exists():
        raise BandError(f"reference file {path} does not exist; measure it with `make references`")
    try:
        reference = read_json_object(path)
    except JSONFileError as why:
        raise BandError(f"reference file {path} is {why}{again}") from None
    chapters = reference.get("chapters")
    if not isinstance(chapters, dict):
        raise BandError(f"reference file {path} has no 'chapters' object{again}")
    for chapter, metrics in chapters.items():
        if not isinstance(metrics, (dict, type(None))):
            raise BandError(f"reference file {path}: {chapter} must be an object of metric -> band, "
                            f"got {type(metrics).__name__}{again}")
        for metric, entry in (metrics or {}).items():
            ok = isinstance(entry, dict) and all(_finite(entry.get(k)) for k in ("low", "high"))
            if not ok or entry["low"] > entry["high"]:
                raise BandError(f"reference file {path}: {chapter} / {metric} needs finite numbers low <= high{again}")
            if "reference" in entry and not _finite(entry["reference"]):
                raise BandError(f"reference file {path}: {chapter} / {metric}: 'reference' must be a finite number{again}")
            values = entry.get("values", {})
            if not isinstance(values, dict) or not all(_finite(v) for v in values.values()):
                raise BandError(f"reference file {path}: {chapter} / {metric}: 'values' must be an object of "
                                f"seed -> finite number{again}")
    return reference


def _finite(value) -> bool:
    """Whether ``value`` is a finite number that a float can hold (not a bool)."""
    try:
        finite_float(value)
    except (TypeError, ValueError):
        return False
    return True


def check(records: Mapping[str, dict], reference: dict, chapters: Optional[Iterable[str]] = None) -> list[str]:
    """Compare fresh records with a reference; one line per failure (empty: all inside).

    Args:
        records: ``{chapter: record}`` from :func:`read_records`.
        reference: from :func:`load_reference`.
        chapters: the chapters that must be checked (default: every chapter of the
            reference); each must have a record.
    """
    wanted = list(chapters) if chapters is not None else list(reference["chapters"])
    failures = []
    backend = reference.get("backend", "?")
    for chapter in wanted:
        if chapter not in reference["chapters"]:
            failures.append(f"{chapter}: no reference for the {backend} backend; measure it with "
                            f"`python -m rnn_tutorial.book.bands measure --backend {backend} --chapters {chapter}`")
            continue
        if chapter not in records:
            failures.append(f"{chapter}: no fresh record (the chapter did not run, or failed before recording)")
            continue
        fresh = records[chapter]["metrics"]
        for metric, entry in reference["chapters"][chapter].items():
            if metric not in fresh:
                failures.append(f"{chapter}: metric {metric} was not recorded (band [{entry['low']:.6g}, {entry['high']:.6g}])")
                continue
            value = fresh[metric]
            if not isinstance(value, (int, float)) or not math.isfinite(value) or not entry["low"] <= value <= entry["high"]:
                seeds = ", ".join(f"{s}: {v:.6g}" for s, v in entry.get("values", {}).items())
                failures.append(
                    f"{chapter}: {metric} = {value:.6g} outside its band [{entry['low']:.6g}, {entry['high']:.6g}] "
                    f"({backend}; seeds {seeds})"
                )
    return failures


def unbanded_metrics(records: Mapping[str, dict], reference: dict) -> list[str]:
    """Banded-kind metrics in fresh records that the reference lacks (a stale reference)."""
    out = []
    for chapter, record in sorted(records.items()):
        known = reference["chapters"].get(chapter, {})
        out += [f"{chapter}: {m}" for m in sorted(record["metrics"]) if is_banded(m) and m not in known]
    return out


def measure(backend: str, seeds: Sequence[int] = DEFAULT_SEEDS, chapters: Optional[Sequence[str]] = None,
            root: Optional[Path] = None, progress: bool = False, cpus: Optional[Sequence[int]] = None) -> Path:
    """Execute the chapters once per seed under the ci profile and write the reference.

    Chapters not selected keep their entries of the existing reference file. Every
    seed's executed notebooks stay in ``build/bands/<backend>/seed-<S>/``.

    ``cpus``: the CPUs the process was pinned to (:func:`~rnn_tutorial.book.cpus.use_cpu_share`),
    written into the file (``cpus``, or the update's entry for a partial measurement);
    ``None`` when it was not pinned.

    Returns:
        The reference file's path.

    Raises:
        BandError: if a chapter fails under a seed (nothing is written).
    """
    from . import runner

    backend = check_choice("backend", backend, BACKENDS)
    seeds = [check_int("seed", s, min=0) for s in seeds]
    if DEFAULT_SEED not in seeds or len(set(seeds)) < 3:
        raise BandError(f"measure with at least three different seeds including {DEFAULT_SEED}, got {seeds}")
    root = root or runner.repo_root()
    names = runner.select_chapters(chapters, root)
    values: dict[int, dict[str, dict[str, float]]] = {}
    about = {}
    for seed in seeds:
        out = root / "build" / "bands" / backend / f"seed-{seed}"
        for name in names:  # one at a time: the first failure stops the measurement
            result = runner.run(PROFILE, chapters=[name], backend=backend, output=out, progress=progress,
                                root=root, record=False, seed=seed)[0]
            if result.status != "ok":
                raise BandError(f"seed {seed}: {name} failed; nothing written ({result.message}). A chapter that "
                                "fails under some seed has a seed-dependent check: make it hold for every seed")
        records = read_records(out)
        values[seed] = {name: records[name]["metrics"] for name in names}
        first = records[names[0]]
        about = {"device": first.get("device"), "versions": first.get("versions", {})}
    path = reference_path(backend, root)
    fresh = make_reference(values, backend, DEFAULT_SEED, **about)
    command = f"python -m rnn_tutorial.book.bands measure --backend {backend} --seeds {' '.join(map(str, seeds))}"
    if chapters is not None:
        command += f" --chapters {' '.join(names)}"
    fresh["command"] = command
    fresh["measured"] = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
    fresh["cpus"] = cpus_text = "all" if cpus is None else f"{len(cpus)} (pinned: {', '.join(map(str, cpus))})"
    if path.exists() and chapters is not None:
        old = load_reference(path)
        if old.get("seeds") != fresh["seeds"]:
            raise BandError(f"{path} was measured with seeds {old.get('seeds')}, not {seeds}; measure every chapter again")
        fresh["chapters"] = {**old["chapters"], **fresh["chapters"]}
        fresh["cpus"] = old.get("cpus", "all")  # the file's; this partial measurement's goes in its update
        fresh["updates"] = old.get("updates", []) + [{"chapters": names, "measured": fresh["measured"],
                                                      "cpus": cpus_text}]
        fresh["command"] = old.get("command", command)
    fresh["chapters"] = dict(sorted(fresh["chapters"].items()))
    path.parent.mkdir(parents=True, exist_ok=True)
    write_json_atomic(path, fresh)
    return path


def main(argv: Optional[Sequence[str]] = None) -> int:
    """``python -m rnn_tutorial.book.bands measure|check``; 0 ok, 1 outside a band, 2 bad input."""
    parser = argparse.ArgumentParser(prog="python -m rnn_tutorial.book.bands", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    m = sub.add_parser("measure", help="execute the chapters under several seeds and write the reference bands")
    m.add_argument("--backend", required=True, choices=BACKENDS)
    m.add_argument("--seeds", type=int, nargs="+", default=list(DEFAULT_SEEDS))
    m.add_argument("--chapters", nargs="+", default=None, help="update only these chapters' entries")
    m.add_argument("--cpu-share", default=None, metavar="K/N",
                   help="run on CPU share K of N, as make test's pytest workers do (make references "
                        "measures the two backends at once, on shares 0/2 and 1/2)")
    c = sub.add_parser("check", help="check the records in a folder against the reference bands")
    c.add_argument("folder", type=Path, help="a folder of <chapter>.record.json files")
    c.add_argument("--backend", required=True, choices=BACKENDS)
    c.add_argument("--chapters", nargs="+", default=None, help="chapters that must be checked (default: all)")
    args = parser.parse_args(argv)
    try:
        if args.command == "measure":
            share = None
            if args.cpu_share is not None:
                from .cpus import parse_share, use_cpu_share

                share = use_cpu_share(*parse_share(args.cpu_share))
            path = measure(args.backend, args.seeds, args.chapters, cpus=share)
            print(f"wrote {path}")
            return 0
        reference = load_reference(reference_path(args.backend))
        records = read_records(args.folder)
        from .runner import select_chapters

        chapters = select_chapters(args.chapters) if args.chapters else None
        failures = check(records, reference, chapters)
        for line in unbanded_metrics(records, reference):
            print(f"note: {line} has no band yet; update the reference (make references)")
        checked = sum(len(reference["chapters"].get(c, {})) for c in (chapters or reference["chapters"]))
        if failures:
            print(f"{len(failures)} of {checked} banded ci metrics ({args.backend}) failed:", file=sys.stderr)
            for line in failures:
                print(f"  {line}", file=sys.stderr)
            return 1
        print(f"all {checked} banded ci metrics ({args.backend}) inside their bands")
        return 0
    except (BandError, ValueError, TypeError) as err:
        print(f"bands: error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
