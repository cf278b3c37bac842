"""The vendored IMDB review data (Maas et al. 2011): checksummed loading and rebuilding.

The three splits live in ``data/aclImdb/`` as xz-compressed JSON Lines, one review per
line: ``{"id": int, "rating": int, "text": str, "label": 0|1}`` (``label`` is absent in
the unlabeled split; 1 means positive). ``SHA256SUMS`` beside them holds their
checksums, which :func:`load_imdb` verifies before it trusts a file.

Example:
    >>> from rnn_tutorial.data import load_imdb
    >>> train = load_imdb("train")
    >>> len(train), train.labels.mean()
    (25000, 0.5)
"""

from __future__ import annotations

import dataclasses
import io
import json
import lzma
import os
import re
import shutil
import tarfile
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Optional

import numpy as np

from .files import atomic_write, sha256_file, write_json_atomic

SPLITS = ("train", "test", "unsup")
DATA_ENV_VAR = "RNN_TUTORIAL_DATA"
_FILE = "{split}.jsonl.xz"
_STAMP = ".verified.json"
_verified: dict[tuple, str] = {}


class DataIntegrityError(RuntimeError):
    """A data file is missing or its checksum differs from ``SHA256SUMS``."""


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
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "data" / "aclImdb"
        if (candidate / "SHA256SUMS").exists():
            return candidate
    return Path.cwd() / "data" / "aclImdb"


def read_checksums(folder: Path) -> dict[str, str]:
    """Parse ``SHA256SUMS`` in ``folder`` into ``{file name: hex digest}``."""
    sums_path = folder / "SHA256SUMS"
    if not sums_path.exists():
        raise DataIntegrityError(
            f"{sums_path} is missing; restore it with `git checkout -- data/aclImdb/SHA256SUMS` "
            f"or point {DATA_ENV_VAR} at a folder holding the IMDB files"
        )
    sums = {}
    for line in sums_path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            digest, name = line.split(maxsplit=1)
            sums[name.strip().lstrip("*")] = digest.lower()
    return sums


def _restore_hint(path: Path) -> str:
    return (
        f"restore it with `git checkout -- data/aclImdb/{path.name}` (or copy it from a fresh "
        "clone), or re-derive it from the original archive with "
        "`python -c \"from rnn_tutorial.data import rebuild_from_archive; "
        "rebuild_from_archive('aclImdb_v1.tar.gz')\"`"
    )


def verify_file(path: Path, expected: str) -> None:
    """Check ``path`` against its expected SHA-256, cheaply on repeat calls.

    The full hash is computed once per file version; the result is remembered in memory
    and in a stamp file beside the data, keyed by the file's size and modification time,
    so later calls and later processes skip the hashing while the file is unchanged.

    Raises:
        DataIntegrityError: naming the file, the expected and the actual checksum, and
            how to restore the file.
    """
    if not path.exists():
        raise DataIntegrityError(f"data file {path} is missing (expected SHA-256 {expected}); {_restore_hint(path)}")
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns, expected)
    if _verified.get(key) == expected:
        return
    stamp_path = path.parent / _STAMP
    stamp = {}
    try:
        stamp = json.loads(stamp_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        stamp = {}
    entry = stamp.get(path.name)
    if entry == [stat.st_size, stat.st_mtime_ns, expected]:
        _verified[key] = expected
        return
    actual = sha256_file(path)
    if actual != expected:
        raise DataIntegrityError(
            f"data file {path} is corrupted: expected SHA-256 {expected}, got {actual}; {_restore_hint(path)}"
        )
    _verified[key] = expected
    stamp[path.name] = [stat.st_size, stat.st_mtime_ns, expected]
    try:
        write_json_atomic(stamp_path, stamp)
    except OSError:  # a read-only data folder still works, just without the stamp
        pass


def load_imdb(split: str = "train", folder: "str | os.PathLike[str] | None" = None) -> ImdbSplit:
    """Load one split of the IMDB reviews after verifying its checksum.

    Args:
        split: ``"train"`` or ``"test"`` (25,000 labeled reviews each, half positive),
            or ``"unsup"`` (50,000 unlabeled reviews).
        folder: where the files are; see :func:`data_dir`.

    Returns:
        An :class:`ImdbSplit` in file order (positives first, then negatives).

    Raises:
        ValueError: for an unknown split.
        DataIntegrityError: if the file is missing or corrupted.
    """
    if not isinstance(split, str):
        raise TypeError(f"split must be a string, one of {', '.join(SPLITS)}; got {type(split).__name__} {split!r}")
    if split not in SPLITS:
        raise ValueError(f"split must be one of {', '.join(SPLITS)}, got {split!r}")
    folder = data_dir(folder)
    name = _FILE.format(split=split)
    sums = read_checksums(folder)
    if name not in sums:
        raise DataIntegrityError(f"{folder / 'SHA256SUMS'} has no entry for {name}; restore it from git")
    path = folder / name
    verify_file(path, sums[name])
    texts, labels, ratings, ids = [], [], [], []
    with lzma.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            texts.append(record["text"])
            ratings.append(record["rating"])
            ids.append(record["id"])
            if "label" in record:
                labels.append(record["label"])
    return ImdbSplit(
        name=split,
        texts=texts,
        labels=np.asarray(labels, dtype=np.int8) if split != "unsup" else None,
        ratings=np.asarray(ratings, dtype=np.int8),
        ids=np.asarray(ids, dtype=np.int32),
    )


_MEMBER = re.compile(r"^(?:\./)?aclImdb/(train|test)/(pos|neg|unsup)/(\d+)_(\d+)\.txt$")


def _fetch(source: str, workdir: Path) -> Path:
    """Return a local path for ``source``, downloading it first if it is a URL."""
    scheme = urllib.parse.urlparse(source).scheme
    if scheme in ("http", "https", "ftp"):
        target = workdir / "aclImdb_v1.tar.gz"
        with urllib.request.urlopen(source) as response, open(target, "wb") as out:
            shutil.copyfileobj(response, out)
        return target
    path = Path(source)
    if not path.exists():
        raise FileNotFoundError(f"archive {source!r} not found; give a local path or an http(s) URL to aclImdb_v1.tar.gz")
    return path


def rebuild_from_archive(source: "str | os.PathLike[str]", folder: "str | os.PathLike[str] | None" = None) -> dict[str, str]:
    """Re-derive the three JSON Lines files from the original ``aclImdb_v1.tar.gz``.

    Args:
        source: a local path or an http(s) URL of the archive.
        folder: where to write ``train``, ``test`` and ``unsup.jsonl.xz`` and
            ``SHA256SUMS``; see :func:`data_dir`.

    Returns:
        ``{file name: SHA-256}`` of the files written. Each file is written atomically;
        compare the digests with the vendored ``SHA256SUMS`` to confirm the copy.
    """
    folder = data_dir(folder)
    with tempfile.TemporaryDirectory() as tmp:
        archive = _fetch(os.fspath(source), Path(tmp))
        records: dict[str, list] = {s: [] for s in SPLITS}
        with tarfile.open(archive, "r:*") as tar:
            for member in tar:
                match = _MEMBER.match(member.name)
                if not match or not member.isfile():
                    continue
                split, kind, review_id, rating = match.groups()
                split = "unsup" if kind == "unsup" else split
                text = tar.extractfile(member).read().decode("utf-8")
                record = {"id": int(review_id), "rating": int(rating), "text": text}
                if kind != "unsup":
                    record["label"] = 1 if kind == "pos" else 0
                records[split].append(record)
    if not all(records.values()):
        empty = [s for s, r in records.items() if not r]
        raise ValueError(f"archive {source!r} holds no reviews for split(s) {', '.join(empty)}; is it aclImdb_v1.tar.gz?")
    digests = {}
    for split, rows in records.items():
        rows.sort(key=lambda r: (-r.get("label", 0), r["id"]))
        payload = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")
        name = _FILE.format(split=split)
        with atomic_write(folder / name) as handle:
            handle.write(lzma.compress(payload, preset=9 | lzma.PRESET_EXTREME))
        digests[name] = sha256_file(folder / name)
    with atomic_write(folder / "SHA256SUMS", "w") as handle:
        handle.write("".join(f"{digests[n]}  {n}\n" for n in sorted(digests)))
    return digests
