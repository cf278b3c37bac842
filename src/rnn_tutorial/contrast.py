"""The hand-written contrast set: negation and contrast pairs, checksummed loading and scoring.

A classifier can reach 85-90% on IMDB while reading a review as a bag of words. To see
whether it also follows word order and scope, ``data/contrast/pairs.tsv`` holds short
review sentences written for this book in *minimal pairs*: the two members of a pair
share almost every word but have opposite labels ("The movie is not bad at all; in fact
it is good" against "The movie is not good at all; in fact it is bad"). The file is
UTF-8, tab-separated, with the header ``pair phenomenon label text``; ``label`` 1 means
positive. ``SHA256SUMS`` beside it holds its checksum, which :func:`load_contrast_pairs`
verifies before it reads a line. :func:`score_contrast` turns a model's predicted
p(positive) into accuracy over sentences and over pairs (both members right), overall
and per phenomenon.

Example:
    >>> from rnn_tutorial.contrast import load_contrast_pairs, score_contrast
    >>> contrast = load_contrast_pairs()
    >>> len(contrast), contrast.n_pairs
    (108, 54)
    >>> baseline = bigram_baseline(train_texts, train_labels, val_texts, val_labels)
    >>> score = score_contrast(baseline.predict_proba(contrast.texts), contrast)
    >>> score["accuracy"], score["pair_accuracy"]   # a bag of n-grams: pair accuracy far below
"""

from __future__ import annotations

import dataclasses
import math
import os
import re
from pathlib import Path

import numpy as np

from .errors import ContrastFormatError, DataIntegrityError
from .paths import data_folder
from .files import read_checksum_file, sha256_file

PHENOMENA = (
    "negation",
    "negated_negative",
    "contrast_but",
    "concession",
    "expectation",
    "sarcasm_or_intensifier_flip",
)
"""The phenomena of the contrast set, in the order tables list them."""

HEADER = ("pair", "phenomenon", "label", "text")
"""The header line of ``pairs.tsv``, one name per tab-separated field."""

_FILE = "pairs.tsv"
_SUMS = "SHA256SUMS"
_PAIR_ID = re.compile(r"^[0-9]+$")


@dataclasses.dataclass(frozen=True)
class ContrastSet:
    """The contrast sentences, one entry per sentence, in file order.

    Attributes:
        pairs: ``int32`` array of shape ``(n,)``, the pair id of each sentence; every id
            occurs exactly twice in a set loaded from the file.
        phenomena: the phenomenon of each sentence (one of :data:`PHENOMENA`), ``(n,)``.
        labels: ``int8`` array of shape ``(n,)``, 1 for positive and 0 for negative; the
            two members of a pair have opposite labels.
        texts: the sentences, ``(n,)``.
    """

    pairs: np.ndarray
    phenomena: list
    labels: np.ndarray
    texts: list

    def __post_init__(self) -> None:
        n = len(self.texts)
        sizes = {"pairs": len(self.pairs), "phenomena": len(self.phenomena), "labels": len(self.labels)}
        wrong = {name: size for name, size in sizes.items() if size != n}
        if wrong:
            raise ValueError(f"ContrastSet fields must all have {n} entries (one per text), got {wrong}")

    def __len__(self) -> int:
        return len(self.texts)

    @property
    def n_pairs(self) -> int:
        """The number of distinct pair ids."""
        return int(np.unique(self.pairs).size)


def contrast_dir() -> Path:
    """Return ``data/contrast`` of the repository this package lives in (else of the cwd)."""
    return data_folder("contrast")


def _resolve(path: "str | os.PathLike[str] | None") -> Path:
    if path is None:
        return contrast_dir() / _FILE
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a path (str or os.PathLike) or None, got {type(path).__name__} {path!r}")
    path = Path(path)
    return path / _FILE if path.is_dir() else path


def _restore_hint(path: Path) -> str:
    return (
        f"restore it with `git checkout -- data/contrast/{path.name} data/contrast/{_SUMS}`; if you "
        f"edited it on purpose, record the new checksum with `sha256sum {path.name} > {_SUMS}` "
        f"in {path.parent}"
    )


def _expected_digest(path: Path) -> str:
    """Read the checksum of ``path`` from the ``SHA256SUMS`` beside it."""
    sums_path = path.parent / _SUMS
    sums = read_checksum_file(sums_path, f"{path} cannot be verified; {_restore_hint(path)}")
    if path.name not in sums:
        raise DataIntegrityError(f"{sums_path} has no entry for {path.name}; {_restore_hint(path)}")
    return sums[path.name]


def _verify(path: Path) -> None:
    if not path.is_file():
        raise DataIntegrityError(f"contrast file {path} is missing; {_restore_hint(path)}")
    expected = _expected_digest(path)
    actual = sha256_file(path)
    if actual != expected:
        raise DataIntegrityError(
            f"contrast file {path} does not match {path.parent / _SUMS}: expected SHA-256 {expected}, "
            f"got {actual}; {_restore_hint(path)}"
        )


def load_contrast_pairs(path: "str | os.PathLike[str] | None" = None) -> ContrastSet:
    """Load the contrast pairs after verifying their checksum and every line.

    Args:
        path: the ``pairs.tsv`` file, or a folder holding it; if ``None``,
            ``data/contrast/pairs.tsv`` of this repository (see :func:`contrast_dir`).
            ``SHA256SUMS`` must sit beside the file.

    Returns:
        A :class:`ContrastSet` in file order.

    Raises:
        DataIntegrityError: if the file or its ``SHA256SUMS`` entry is missing, or the
            checksum differs.
        ContrastFormatError: (a ``ValueError``) naming the file and line, if the header
            is wrong, a line does not have exactly 4 tab-separated fields, a pair id is
            not a whole number, the phenomenon is unknown, the label is not exactly ``0``
            or ``1``, the text is empty, or a pair id does not have exactly two lines
            with opposite labels and the same phenomenon.
    """
    path = _resolve(path)
    _verify(path)
    try:
        content = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise ContrastFormatError(f"{path}: not valid UTF-8 ({error})") from error
    lines = content.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [line[:-1] if line.endswith("\r") else line for line in lines]

    def fail(number: int, message: str) -> ContrastFormatError:
        return ContrastFormatError(f"{path}, line {number}: {message}")

    if not lines or tuple(lines[0].split("\t")) != HEADER:
        got = lines[0] if lines else "an empty file"
        raise fail(1, f"the header must be the 4 tab-separated names {' <TAB> '.join(HEADER)}, got {got!r}")

    pairs, phenomena, labels, texts = [], [], [], []
    first_line: dict[int, int] = {}   # pair id -> line number of its first member
    members: dict[int, list[int]] = {}  # pair id -> row indices
    for number, line in enumerate(lines[1:], start=2):
        fields = line.split("\t")
        if len(fields) != 4:
            raise fail(number, f"expected exactly 4 tab-separated fields ({', '.join(HEADER)}), got {len(fields)}: {line!r}")
        pair, phenomenon, label, text = fields
        if not _PAIR_ID.match(pair):
            raise fail(number, f"pair id must be a whole number, got {pair!r}")
        if phenomenon not in PHENOMENA:
            raise fail(number, f"unknown phenomenon {phenomenon!r}; expected one of {', '.join(PHENOMENA)}")
        if label not in ("0", "1"):
            raise fail(number, f"label must be exactly '0' or '1', got {label!r}")
        if not text.strip():
            raise fail(number, "the text is empty")
        pair_id = int(pair)
        rows = members.setdefault(pair_id, [])
        if rows:
            other = rows[0]
            if len(rows) >= 2:
                raise fail(number, f"pair {pair_id} has more than two lines (it starts on line {first_line[pair_id]})")
            if phenomena[other] != phenomenon:
                raise fail(number, f"pair {pair_id} is {phenomenon!r} here but {phenomena[other]!r} on line "
                                   f"{first_line[pair_id]}; both members need the same phenomenon")
            if labels[other] == int(label):
                raise fail(number, f"pair {pair_id} has label {label} on both this line and line "
                                   f"{first_line[pair_id]}; the members of a pair need opposite labels")
        else:
            first_line[pair_id] = number
        rows.append(len(texts))
        pairs.append(pair_id)
        phenomena.append(phenomenon)
        labels.append(int(label))
        texts.append(text)
    if not texts:
        raise ContrastFormatError(f"{path}: no sentences after the header")
    for pair_id, rows in members.items():
        if len(rows) != 2:
            raise fail(first_line[pair_id], f"pair {pair_id} has only one line; each pair needs exactly two")
    return ContrastSet(
        pairs=np.asarray(pairs, dtype=np.int32),
        phenomena=phenomena,
        labels=np.asarray(labels, dtype=np.int8),
        texts=texts,
    )


def _validate_probs(probs, n: int) -> np.ndarray:
    try:
        values = np.asarray(probs, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(f"probs must be numbers (predicted p(positive)), got {type(probs).__name__}: {error}") from error
    if values.ndim == 2 and values.shape[1] == 1:  # Keras' model.predict gives (n, 1)
        values = values[:, 0]
    if values.shape != (n,):
        raise ValueError(f"probs must have shape ({n},) (or ({n}, 1)), one p(positive) per contrast text; "
                         f"got shape {values.shape}")
    bad = ~np.isfinite(values)
    if bad.any():
        index = int(np.flatnonzero(bad)[0])
        raise ValueError(f"probs holds {int(bad.sum())} non-finite value(s) (NaN or infinity), "
                         f"the first at index {index}: {values[index]}")
    outside = (values < 0.0) | (values > 1.0)
    if outside.any():
        index = int(np.flatnonzero(outside)[0])
        raise ValueError(f"probs must lie in [0, 1], but {int(outside.sum())} value(s) do not, "
                         f"the first at index {index}: {values[index]}")
    return values


def _summary(correct: np.ndarray, pair_index: np.ndarray) -> dict:
    """Accuracy over sentences and over pairs (every member right) for one group."""
    n_pairs = int(pair_index.max()) + 1 if pair_index.size else 0
    wrong_per_pair = np.bincount(pair_index, weights=(~correct).astype(np.float64), minlength=n_pairs)
    return {
        "sentences": int(correct.size),
        "pairs": n_pairs,
        "accuracy": float(correct.mean()) if correct.size else math.nan,
        "pair_accuracy": float(np.mean(wrong_per_pair == 0)) if n_pairs else math.nan,
    }


def score_contrast(probs, contrast_set: ContrastSet, threshold: float = 0.5) -> dict:
    """Score predicted p(positive) on the contrast set, overall and per phenomenon.

    A sentence counts as predicted positive when its probability is ``>= threshold``
    (0.5, as :meth:`rnn_tutorial.baseline.BaselineResult.score` does). A pair is right
    when both its members are: a bag-of-words model, which sees nearly the same words in
    both, tends to give both the same label and so gets one of them wrong.

    Args:
        probs: predicted p(positive), one per text of ``contrast_set``, shape ``(n,)``
            (``(n, 1)``, as Keras' ``predict`` returns, is accepted too); finite, in [0, 1].
        contrast_set: from :func:`load_contrast_pairs`.
        threshold: the probability from which a sentence counts as positive.

    Returns:
        ``{"accuracy", "pair_accuracy", "sentences", "pairs", "by_phenomenon", "rows"}``:
        accuracy over sentences and over pairs, the counts, ``by_phenomenon`` mapping
        each phenomenon present to a dict with the same four keys, and ``rows``, a list
        of ``{"phenomenon", "pairs", "accuracy", "pair_accuracy"}`` dicts, one per
        phenomenon in :data:`PHENOMENA` order and a last one named ``"all"``, ready for a
        table (``pandas.DataFrame(rows)`` or a Markdown table).

    Raises:
        TypeError: if ``contrast_set`` is not a :class:`ContrastSet`.
        ValueError: if ``probs`` has the wrong shape, holds NaN or infinity, or values
            outside [0, 1], or ``threshold`` is not in (0, 1).
    """
    if not isinstance(contrast_set, ContrastSet):
        raise TypeError(f"contrast_set must be a ContrastSet from load_contrast_pairs(), got {type(contrast_set).__name__}")
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0.0 < threshold < 1.0:
        raise ValueError(f"threshold must be a number in (0, 1), got {threshold!r}")
    values = _validate_probs(probs, len(contrast_set))
    labels = np.asarray(contrast_set.labels).astype(np.int64)
    correct = (values >= threshold).astype(np.int64) == labels
    _, pair_index = np.unique(np.asarray(contrast_set.pairs), return_inverse=True)
    pair_index = pair_index.ravel()

    overall = _summary(correct, pair_index)
    phenomena = np.asarray(contrast_set.phenomena, dtype=object)
    present = [name for name in PHENOMENA if name in set(contrast_set.phenomena)]
    present += sorted(set(contrast_set.phenomena) - set(PHENOMENA))
    by_phenomenon = {}
    for name in present:
        mask = phenomena == name
        _, local_index = np.unique(pair_index[mask], return_inverse=True)
        by_phenomenon[name] = _summary(correct[mask], local_index.ravel())
    rows = [
        {"phenomenon": name, "pairs": s["pairs"], "accuracy": s["accuracy"], "pair_accuracy": s["pair_accuracy"]}
        for name, s in list(by_phenomenon.items()) + [("all", overall)]
    ]
    return {**overall, "by_phenomenon": by_phenomenon, "rows": rows}
