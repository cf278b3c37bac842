"""The vendored IMDB review data (Maas et al. 2011): checksummed loading.

The three splits live in ``data/aclImdb/`` as xz-compressed JSON Lines, one review per
line: ``{"id": int, "rating": int, "text": str, "label": 0|1}`` (``label`` is absent in
the unlabeled split; 1 means positive). ``movies.tsv.xz`` names the IMDb title each
review is about (:func:`load_movies`). ``SHA256SUMS`` beside them holds their
checksums, which the loaders verify before they trust a file; every line is then
checked too, so a malformed line is reported with its file and line number. Rebuilding
the files from the original archive is :mod:`rnn_tutorial.archive`'s job.

Example:
    >>> from rnn_tutorial.data import load_imdb
    >>> train = load_imdb("train")
    >>> len(train), train.labels.mean()
    (25000, 0.5)
"""

from __future__ import annotations

import dataclasses
import json
import lzma
import os
import re
from pathlib import Path
from typing import Optional

import numpy as np

from .errors import DataIntegrityError
from .files import read_checksum_file, sha256_file, write_json_atomic
from .paths import data_folder

SPLITS = ("train", "test", "unsup")
DATA_ENV_VAR = "RNN_TUTORIAL_DATA"
_FILE = "{split}.jsonl.xz"
_MOVIES = "movies.tsv.xz"
_MOVIES_HEADER = "split\tlabel\tid\tmovie"
_MOVIE_ID = re.compile(r"^tt\d+$")
_STAMP = ".verified.json"
_STAMP_FIELDS = ("size", "mtime_ns", "ctime_ns", "ino")
_verified: dict[tuple, str] = {}
_MAX_ID = 2**31 - 1  # ids are stored as int32
_ARCHIVE_URL = "https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz"


@dataclasses.dataclass(frozen=True)
class ImdbSplit:
    """One split of the IMDB reviews.

    Attributes:
        name: ``"train"``, ``"test"`` or ``"unsup"``.
        texts: the reviews, unchanged (HTML ``<br />`` tags included), shape ``(n,)``.
        labels: ``int8`` array of shape ``(n,)``, 1 for positive and 0 for negative;
            ``None`` for the unlabeled split.
        ratings: ``int8`` array of shape ``(n,)`` with the star rating (1-10; 0 when
            unknown, as in the unlabeled split).
        ids: ``int32`` array of shape ``(n,)``, the review's number in the original
            archive (unique within a label of a split).
    """

    name: str
    texts: list
    labels: Optional[np.ndarray]
    ratings: np.ndarray
    ids: np.ndarray

    def __len__(self) -> int:
        return len(self.texts)


def data_dir(path: "str | os.PathLike[str] | None" = None) -> Path:
    """Return the folder holding the IMDB files.

    Args:
        path: an explicit folder; if ``None``, the ``RNN_TUTORIAL_DATA`` environment
            variable, else ``data/aclImdb`` of the repository this package lives in.
    """
    if path is not None:
        if not isinstance(path, (str, os.PathLike)):
            raise TypeError(f"folder must be a path (str or os.PathLike) or None, got {type(path).__name__} {path!r}")
        return Path(path)
    if os.environ.get(DATA_ENV_VAR):
        return Path(os.environ[DATA_ENV_VAR])
    return data_folder("aclImdb")


def read_checksums(folder: Path) -> dict[str, str]:
    """Parse ``SHA256SUMS`` in ``folder`` into ``{file name: hex digest}``.

    Raises:
        DataIntegrityError: if the file is missing, is not a file, is not UTF-8, or has a
            line that is not ``<64 hex digits>  <file name>`` (named with its number).
    """
    hint = (f"restore it with `git checkout -- data/aclImdb/SHA256SUMS` "
            f"or point {DATA_ENV_VAR} at a folder holding the IMDB files")
    return read_checksum_file(folder / "SHA256SUMS", hint)


def _restore_hint(path: Path) -> str:
    return (
        f"restore it with `git checkout -- data/aclImdb/{path.name}` (or copy it from a fresh "
        "clone), or re-derive it from the original archive with "
        "`python -c \"from rnn_tutorial.archive import rebuild_from_archive; "
        "rebuild_from_archive('aclImdb_v1.tar.gz')\"`"
    )


def _signature(stat: os.stat_result) -> dict[str, int]:
    """What identifies one version of a file on disk without reading it.

    ``mtime`` can be set back with ``os.utime``, but ``ctime`` cannot (it changes on every
    write, rename or ``utime``), and a file replaced by another has a new inode.
    """
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "ctime_ns": stat.st_ctime_ns, "ino": stat.st_ino}


def _read_stamp(stamp_path: Path) -> dict:
    """The stamp file's entries, or ``{}`` when it is missing, not JSON or not an object."""
    try:
        stamp = json.loads(stamp_path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    return stamp if isinstance(stamp, dict) else {}


def _stamp_matches(entry: object, signature: dict[str, int], expected: str) -> bool:
    """Whether a stamp entry records ``expected`` for exactly this version of the file."""
    if not isinstance(entry, dict) or set(entry) != {"sha256", *_STAMP_FIELDS}:
        return False
    if not isinstance(entry["sha256"], str) or entry["sha256"] != expected:
        return False
    return all(type(entry[k]) is int and entry[k] == signature[k] for k in _STAMP_FIELDS)


def verify_file(path: Path, expected: str) -> None:
    """Check ``path`` against its expected SHA-256, cheaply on repeat calls.

    The full hash is computed once per file version; the result is remembered in memory
    and in a stamp file (``.verified.json``) beside the data: the SHA-256 together with
    the file's size, modification time, status-change time (``ctime``) and inode. Later
    calls and later processes skip the hashing only while all four are unchanged; any
    difference (a rewrite, even one whose ``mtime`` was set back with ``os.utime``, or a
    replaced file) hashes the file again. A stamp file that is not valid JSON, or an
    entry with missing or mistyped fields, is ignored and rewritten.

    Raises:
        DataIntegrityError: naming the file, the expected and the actual checksum, and
            how to restore the file; also if the file is missing or is not a file.
    """
    if not path.exists():
        raise DataIntegrityError(f"data file {path} is missing (expected SHA-256 {expected}); {_restore_hint(path)}")
    if not path.is_file():
        raise DataIntegrityError(f"data file {path} is not a file (a folder?); remove it, then {_restore_hint(path)}")
    signature = _signature(path.stat())
    key = (str(path.resolve()), *(signature[k] for k in _STAMP_FIELDS), expected)
    if _verified.get(key) == expected:
        return
    stamp_path = path.parent / _STAMP
    stamp = _read_stamp(stamp_path)
    if _stamp_matches(stamp.get(path.name), signature, expected):
        _verified[key] = expected
        return
    actual = sha256_file(path)
    if actual != expected:
        raise DataIntegrityError(
            f"data file {path} is corrupted: expected SHA-256 {expected}, got {actual}; {_restore_hint(path)}"
        )
    _verified[key] = expected
    stamp[path.name] = {"sha256": actual, **signature}
    try:
        write_json_atomic(stamp_path, stamp)
    except OSError:  # a read-only data folder still works, just without the stamp
        pass


def _check_split(split: object) -> str:
    if not isinstance(split, str):
        raise TypeError(f"split must be a string, one of {', '.join(SPLITS)}; got {type(split).__name__} {split!r}")
    if split not in SPLITS:
        raise ValueError(f"split must be one of {', '.join(SPLITS)}, got {split!r}")
    return split


def _verified_path(folder: Path, name: str) -> Path:
    """``folder / name`` after checking it against its ``SHA256SUMS`` entry."""
    sums = read_checksums(folder)
    if name not in sums:
        raise DataIntegrityError(f"{folder / 'SHA256SUMS'} has no entry for {name}; restore it from git")
    path = folder / name
    verify_file(path, sums[name])
    return path


def _line_hint(path: Path) -> str:
    return (
        f"the file matches its SHA256SUMS entry, so both were replaced: restore {path.name} and SHA256SUMS "
        "with `git checkout -- data/aclImdb/` (or copy them from a fresh clone)"
    )


def _line_error(path: Path, lineno: int, problem: str) -> DataIntegrityError:
    return DataIntegrityError(f"data file {path}, line {lineno}: {problem}; {_line_hint(path)}")


def _lines(path: Path):
    """Yield ``(line number, text)`` for each line of an xz file, decoding each line alone.

    Undecodable bytes and a damaged xz stream become :class:`DataIntegrityError` naming
    the file and the line.
    """
    lineno = 0
    try:
        with lzma.open(path, "rb") as handle:
            for lineno, raw in enumerate(handle, start=1):
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError as err:
                    raise _line_error(
                        path, lineno, f"not valid UTF-8 (byte 0x{raw[err.start]:02x} at column {err.start + 1})"
                    ) from None
                yield lineno, line
    except (lzma.LZMAError, EOFError, OSError) as err:
        raise DataIntegrityError(
            f"data file {path} cannot be decompressed after line {lineno} ({err}); {_restore_hint(path)}"
        ) from err


def _describe(value: object) -> str:
    return f"{value!r:.60} ({type(value).__name__})"


def _record_problem(record: object, labeled: bool) -> Optional[str]:
    """What is wrong with one decoded review (``None`` if nothing): the loader's rules, shared
    with :func:`rebuild_from_archive` so it never writes a review :func:`load_imdb` refuses."""
    fields = ("id", "rating", "text", "label") if labeled else ("id", "rating", "text")
    if not isinstance(record, dict):
        return f"expected a JSON object with fields {', '.join(fields)}, got {type(record).__name__}"
    missing = [f for f in fields if f not in record]
    if missing:
        why = " (every review of a labeled split needs the label 0 or 1)" if missing[0] == "label" else ""
        return f"field {missing[0]!r} is missing{why}; the line has {sorted(record)}"
    review_id, rating, text = record["id"], record["rating"], record["text"]
    if type(review_id) is not int or not 0 <= review_id <= _MAX_ID:
        return f"field 'id' must be an integer from 0 to {_MAX_ID}, got {_describe(review_id)}"
    if type(rating) is not int or not 0 <= rating <= 10:
        return f"field 'rating' must be an integer from 0 to 10, got {_describe(rating)}"
    if not isinstance(text, str):
        return f"field 'text' must be a string, got {_describe(text)}"
    if labeled and (type(record["label"]) is not int or record["label"] not in (0, 1)):
        return f"field 'label' must be the integer 0 or 1, got {_describe(record['label'])}"
    return None


def _review_key(record: dict, labeled: bool) -> tuple:
    """``(label or None, id)``: what must be unique within a split."""
    return (record["label"] if labeled else None, record["id"])


def _parse_review(path: Path, lineno: int, line: str, labeled: bool) -> dict:
    """Check one JSON line of a review file and return it as a dict."""
    if not line.strip():
        raise _line_error(path, lineno, "the line is blank; every line must be one JSON object (one review)")
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        raise _line_error(path, lineno, f"not valid JSON ({err.msg} at column {err.colno})") from None
    except RecursionError:
        raise _line_error(path, lineno, "not valid JSON (nested too deeply)") from None
    problem = _record_problem(record, labeled)
    if problem is not None:
        raise _line_error(path, lineno, problem)
    return record


def _read_reviews(path: Path, split: str) -> "ImdbSplit":
    """Parse and check every line of a review file (see :func:`load_imdb`)."""
    labeled = split != "unsup"
    texts, labels, ratings, ids = [], [], [], []
    seen: dict[tuple, int] = {}
    for lineno, line in _lines(path):
        record = _parse_review(path, lineno, line, labeled)
        label = record["label"] if labeled else None
        review = _review_key(record, labeled)
        if review in seen:
            with_label = f" with label {label}" if labeled else ""
            raise _line_error(path, lineno, f"review id {record['id']}{with_label} already appeared on line "
                                            f"{seen[review]}; ids are unique within a label of a split")
        seen[review] = lineno
        texts.append(record["text"])
        ratings.append(record["rating"])
        ids.append(record["id"])
        if labeled:
            labels.append(label)
    if not texts:
        raise DataIntegrityError(f"data file {path} holds no reviews; {_line_hint(path)}")
    return ImdbSplit(
        name=split,
        texts=texts,
        labels=np.asarray(labels, dtype=np.int8) if labeled else None,
        ratings=np.asarray(ratings, dtype=np.int8),
        ids=np.asarray(ids, dtype=np.int32),
    )


def load_imdb(split: str = "train", folder: "str | os.PathLike[str] | None" = None) -> ImdbSplit:
    """Load one split of the IMDB reviews after verifying its checksum.

    Args:
        split: ``"train"`` or ``"test"`` (25,000 labeled reviews each, half positive),
            or ``"unsup"`` (50,000 unlabeled reviews).
        folder: where the files are; see :func:`data_dir`.

    Returns:
        An :class:`ImdbSplit` in file order (positives first, then negatives).

    Raises:
        TypeError: if ``split`` is not a string.
        ValueError: for an unknown split.
        DataIntegrityError: if the file is missing or corrupted, or a line is not a
            review: a blank line, invalid JSON or UTF-8, a missing or mistyped field
            (``id`` and ``rating`` integers, ``rating`` 0-10, ``text`` a string,
            ``label`` exactly the integer 0 or 1 in train and test), or a repeated id.
            The message names the file, the line and the field.
    """
    split = _check_split(split)
    path = _verified_path(data_dir(folder), _FILE.format(split=split))
    return _read_reviews(path, split)


def load_movies(split: str = "train", folder: "str | os.PathLike[str] | None" = None,
                reviews: Optional[ImdbSplit] = None) -> np.ndarray:
    """The IMDb title each review of a split is about, aligned with :func:`load_imdb`.

    ``movies.tsv.xz`` (checksum-verified like the reviews, every row checked) has one
    row per review, ``split label id movie``, derived from the original archive's
    ``urls_*.txt`` files. Rows are matched to reviews by the review's ``(label, id)``,
    which is unique within a split (the original files are ``{pos,neg}/ID_RATING.txt``;
    unsup reviews have no label), not by row order. The loader checks that every
    review of the split has a row and that the file has no other row for the split,
    so the result is aligned one to one with ``load_imdb(split)``.

    Args:
        split: ``"train"``, ``"test"`` or ``"unsup"``.
        folder: where the files are; see :func:`data_dir`.
        reviews: the split as :func:`load_imdb` returned it, to save reading it again;
            ``None`` loads it from ``folder``.

    Returns:
        ``str`` array of shape ``(n,)``: ``movies[i]`` is the title id (e.g.
        ``"tt0453418"``) of review ``i`` of ``load_imdb(split)``. Pass it as ``groups``
        to :func:`rnn_tutorial.splits.make_splits` for a validation split whose movies
        no training review is about.

    Raises:
        TypeError, ValueError: for a bad ``split`` or ``reviews``.
        DataIntegrityError: if ``movies.tsv.xz`` is missing, corrupted or malformed
            (named with the line and field), if a review of the split has no row, or if
            the numbers of rows and reviews differ.

    Example:
        >>> movies = load_movies("train")
        >>> len(np.unique(movies))
        3456
    """
    split = _check_split(split)
    if reviews is not None:
        if not isinstance(reviews, ImdbSplit):
            raise TypeError(f"reviews must be the ImdbSplit load_imdb({split!r}) returns, or None; got {type(reviews).__name__}")
        if reviews.name != split:
            raise ValueError(f"reviews must be the {split!r} split, got the {reviews.name!r} split; pass load_imdb({split!r})")
    folder = data_dir(folder)
    path = _verified_path(folder, _MOVIES)
    if reviews is None:
        reviews = load_imdb(split, folder)
    rows = _read_movies(path, split)
    labels = [None] * len(reviews) if reviews.labels is None else reviews.labels.tolist()
    movies = [rows.get((label, review_id)) for label, review_id in zip(labels, reviews.ids.tolist())]
    missing = [i for i, movie in enumerate(movies) if movie is None]
    if missing:
        first = missing[0]
        label = "" if labels[first] is None else f"label {labels[first]}, "
        raise DataIntegrityError(
            f"{path} has no movie for {len(missing)} of the {len(reviews)} reviews of the {split} split "
            f"(first: review {first}, {label}id {int(reviews.ids[first])}); {_line_hint(path)}"
        )
    if len(rows) != len(reviews):
        raise DataIntegrityError(
            f"{path} lists {len(rows)} reviews for the {split} split but load_imdb({split!r}) has {len(reviews)}: "
            f"the two files do not belong together; {_line_hint(path)}"
        )
    return np.asarray(movies, dtype=str)


def _read_movies(path: Path, split: str) -> dict[tuple, str]:
    """``{(label or None, review id): movie}`` for the rows of ``split``; every row is checked."""
    rows: dict[tuple, str] = {}
    header = False
    for lineno, line in _lines(path):
        line = line.rstrip("\n")
        if not header:
            if line != _MOVIES_HEADER:
                raise _line_error(path, lineno, f"the header must be {_MOVIES_HEADER!r}, got {line!r:.80}")
            header = True
            continue
        fields = line.split("\t")
        if len(fields) != 4:
            raise _line_error(path, lineno, f"expected 4 tab-separated fields (split, label, id, movie), "
                                            f"got {len(fields)}: {line!r:.80}")
        row_split, label, review_id, movie = fields
        if row_split not in SPLITS:
            raise _line_error(path, lineno, f"field 'split' must be one of {', '.join(SPLITS)}, got {row_split!r:.40}")
        if row_split == "unsup" and label != "":
            raise _line_error(path, lineno, f"field 'label' must be empty for an unsup review, got {label!r:.40}")
        if row_split != "unsup" and label not in ("0", "1"):
            raise _line_error(path, lineno, f"field 'label' must be 0 or 1 for a {row_split} review, got {label!r:.40}")
        if not (review_id.isascii() and review_id.isdigit()) or int(review_id) > _MAX_ID:
            raise _line_error(path, lineno, f"field 'id' must be an integer from 0 to {_MAX_ID}, got {review_id!r:.40}")
        if not _MOVIE_ID.match(movie):
            raise _line_error(path, lineno, f"field 'movie' must be an IMDb title id such as 'tt0453418', "
                                            f"got {movie!r:.40}")
        if row_split != split:
            continue
        review = (int(label) if label else None, int(review_id))
        if review in rows:
            with_label = f" with label {label}" if label else ""
            raise _line_error(path, lineno, f"review id {review_id}{with_label} of the {split} split is listed twice")
        rows[review] = movie
    if not header:
        raise DataIntegrityError(f"data file {path} is empty; {_line_hint(path)}")
    return rows
