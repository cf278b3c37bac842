"""The leaderboard: every recorded test accuracy beside published reference points.

Rows come from the metrics the chapters recorded (``results/<profile>/*.json``, see
:mod:`~rnn_tutorial.results`) and from numbers computed in the running notebook, never
from typed-in values; the only constants here are the published figures, each with
its citation key in ``book/references.bib``.

Example:
    >>> measured = recorded_variants("laptop")           # {variant: {...}} from results/laptop
    >>> rows = leaderboard_rows(measured)
    >>> fig = plot_leaderboard(rows)
"""

from __future__ import annotations

import dataclasses
import math
import os
import re
from typing import Iterable, Optional

from .profiles import PROFILES
from .results import chapter_slug, load_results


@dataclasses.dataclass(frozen=True)
class Reference:
    """A published IMDB test accuracy.

    Attributes:
        name: the method, as the source names it.
        accuracy: the reported test accuracy, a fraction.
        citation: the key in ``book/references.bib`` (empty when the figure has none).
        kind: ``"paper"`` or ``"tutorial"``.
    """

    name: str
    accuracy: float
    citation: str
    kind: str


PUBLISHED: tuple[Reference, ...] = (
    Reference("NB-SVM, unigrams + bigrams", 0.9122, "wang2012baselines", "paper"),
    Reference("Paragraph vectors", 0.9258, "le2014distributed", "paper"),
    Reference("LM-LSTM (language-model pretraining)", 0.9236, "dai2015semi", "paper"),
    Reference("SA-LSTM (sequence-autoencoder pretraining)", 0.9276, "dai2015semi", "paper"),
    Reference("ULMFiT", 0.954, "howard2018universal", "paper"),
    Reference("Deep Learning with Python, 3rd ed.: bidirectional LSTM", 0.844, "chollet2025deep", "tutorial"),
    Reference("keras-io bidirectional LSTM, 2 epochs (val_accuracy on the test split)", 0.843,
              "chollet2020bidirectional", "tutorial"),
)
"""Published reference points (accuracy on the 25,000 IMDB test reviews), each citable.

The keras-io example validates on the test split, so its figure is the ``val_accuracy``
of its last epoch measured on the test reviews, the number that chose when to stop: the
row's name says so, since choosing on the test split is the mistake the book warns about."""

_CHAPTER = re.compile(r"^[0-9]{2}_[a-z0-9_]+$")
_ACCURACY = re.compile(r"^(?P<variant>[a-z][a-z0-9_]*)_test_accuracy$")
SKIP = ("best_supervised", "pretrained")
"""Summary metrics that repeat another row (the best supervised model, the pretrained model chosen
on validation) and are left out of the table."""


def seconds_of(metrics: dict, variant: str) -> float:
    """A variant's training time: ``<variant>_seconds``, else ``<variant>_train_seconds``, else ``nan``."""
    for name in (f"{variant}_seconds", f"{variant}_train_seconds"):
        if name in metrics:
            return float(metrics[name])
    return math.nan


def variants_from_metrics(metrics: dict, source: str = "") -> dict[str, dict]:
    """Collect ``<variant>_test_accuracy`` (and ``<variant>_params``, ``<variant>_seconds``) metrics.

    The time is ``<variant>_seconds``, or ``<variant>_train_seconds`` when only that is
    recorded (:func:`seconds_of`).

    Args:
        metrics: ``{name: number}`` as :func:`~rnn_tutorial.results.record_metrics` takes it.
        source: where the numbers come from (a chapter name), stored in each entry.

    Returns:
        ``{variant: {"accuracy", "params", "seconds", "source"}}``; a missing parameter
        count or time is ``nan``.
    """
    if not isinstance(metrics, dict):
        raise TypeError(f"metrics must be a dict of name -> number, got {type(metrics).__name__}")
    out = {}
    for name, value in metrics.items():
        match = _ACCURACY.match(name)
        if not match or match["variant"] in SKIP:
            continue
        variant = match["variant"]
        out[variant] = {"accuracy": float(value),
                        "params": float(metrics.get(f"{variant}_params", math.nan)),
                        "seconds": seconds_of(metrics, variant),
                        "source": source}
    return out


def _profile_key(profile):
    """A built-in profile's name as recorded (``" Laptop"`` -> ``"laptop"``), as ``get_profile`` reads it; any other value unchanged."""
    if isinstance(profile, str) and profile.strip().lower() in PROFILES:
        return profile.strip().lower()
    return profile


def recorded_variants(profile: str, root: "str | os.PathLike[str] | None" = None,
                      exclude: Iterable[str] = ()) -> dict[str, dict]:
    """Every variant the book's chapters recorded under ``results/<profile>/``, in chapter order (later chapters win).

    Records of anything but a numbered chapter (benchmarks, for example) are ignored, and
    so are the chapters named in ``exclude``: a chapter that builds the leaderboard passes
    its own name, so its previous run's record never mixes with the numbers it just computed.
    A name in ``exclude`` matches with or without its number (``"08_pretraining"`` and
    ``"pretraining"`` both exclude a record still named ``07_pretraining``), since chapters
    are renumbered.

    The profile's name is read as :func:`~rnn_tutorial.profiles.get_profile` reads it,
    whatever its case and surrounding spaces (``"Laptop"`` is ``"laptop"``); a name that
    is no profile finds nothing.
    """
    if not isinstance(profile, str) or not profile:
        raise TypeError(f"profile must be a profile name such as 'laptop', got {profile!r}")
    return variants_from_records(load_results(root), profile, exclude)


def variants_from_records(records: Iterable[dict], profile: str, exclude: Iterable[str] = ()) -> dict[str, dict]:
    """:func:`recorded_variants` for records already read (by :func:`~rnn_tutorial.results.load_results`)."""
    profile = _profile_key(profile)
    if isinstance(exclude, str):
        exclude = (exclude,)
    skip = {chapter_slug(name) for name in exclude}
    found = {}
    for record in sorted(records, key=lambda r: str(r.get("chapter", ""))):
        # only the book's chapters ("06_training", ...), not benchmark or other records
        chapter = str(record.get("chapter", ""))
        if record.get("profile") == profile and _CHAPTER.match(chapter) and chapter_slug(chapter) not in skip:
            found.update(variants_from_metrics(record.get("metrics", {}), chapter))
    return found


def leaderboard_rows(measured: dict, references: Iterable[Reference] = PUBLISHED) -> list[dict]:
    """Measured variants and published references in one list, best accuracy first.

    Args:
        measured: ``{variant: {"accuracy", "params", "seconds", "source"}}``.
        references: the published figures to put beside them.

    Returns:
        Rows ``{"name", "accuracy", "params", "seconds", "source", "kind"}`` with ``kind``
        ``"measured"``, ``"paper"`` or ``"tutorial"``.
    """
    rows = [{"name": name, "accuracy": float(v["accuracy"]), "params": float(v.get("params", math.nan)),
             "seconds": float(v.get("seconds", math.nan)), "source": v.get("source", ""), "kind": "measured"}
            for name, v in measured.items()]
    rows += [{"name": r.name, "accuracy": r.accuracy, "params": math.nan, "seconds": math.nan,
              "source": r.citation, "kind": r.kind} for r in references]
    return sorted(rows, key=lambda row: -row["accuracy"])


def format_leaderboard(rows: list[dict]) -> str:
    """A plain-text table of :func:`leaderboard_rows` (``-`` where a number is unknown)."""
    def num(value, fmt):
        return "-" if value is None or (isinstance(value, float) and math.isnan(value)) else format(value, fmt)

    width = max([len(r["name"]) for r in rows] + [7])
    lines = [f"{'variant':<{width}}  {'test acc':>8}  {'params':>10}  {'train s':>8}  source",
             "-" * (width + 44)]
    for r in rows:
        lines.append(f"{r['name']:<{width}}  {num(r['accuracy'], '.4f'):>8}  {num(r['params'], ',.0f'):>10}  "
                     f"{num(r['seconds'], '.0f'):>8}  {r['source'] or '-'}")
    return "\n".join(lines)


def plot_leaderboard(rows: list[dict], ax=None, xlim: Optional[tuple] = (0.80, 0.96)):
    """Horizontal bars of the test accuracies: measured (blue), papers (gray), tutorials (orange)."""
    import matplotlib.pyplot as plt

    if not rows:
        raise ValueError("rows must hold at least one leaderboard row")
    colors = {"measured": "tab:blue", "paper": "tab:gray", "tutorial": "tab:orange"}
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 0.35 * len(rows) + 1))
    ordered = rows[::-1]
    ax.barh([r["name"] for r in ordered], [r["accuracy"] for r in ordered],
            color=[colors.get(r["kind"], "black") for r in ordered])
    for i, r in enumerate(ordered):
        ax.text(r["accuracy"] + 0.001, i, f"{r['accuracy']:.3f}", va="center", fontsize=8)
    if xlim:
        ax.set_xlim(min(xlim[0], min(r["accuracy"] for r in rows) - 0.01), xlim[1])
    ax.set_xlabel("test accuracy on IMDB")
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in colors.values()]
    ax.legend(handles, ["measured in this book", "paper", "tutorial"], loc="lower right", fontsize=8)
    return ax.figure
