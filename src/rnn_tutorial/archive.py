"""Re-deriving the vendored IMDB files from the original ``aclImdb_v1.tar.gz``.

:func:`rebuild_from_archive` reads only the review text members of the archive (it never
extracts anything), checks every review with the rules of
:func:`rnn_tutorial.data.load_imdb` before it writes a byte, and writes each file
atomically, so a damaged or foreign archive leaves the data folder as it was.

Example:
    >>> from rnn_tutorial.archive import rebuild_from_archive
    >>> digests = rebuild_from_archive("aclImdb_v1.tar.gz")  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import json
import lzma
import os
import re
import shutil
import tarfile
import tempfile
import urllib.parse
import urllib.request
import zlib
from pathlib import Path

from .data import (
    _ARCHIVE_URL,
    _FILE,
    SPLITS,
    DataIntegrityError,
    _record_problem,
    _review_key,
    data_dir,
    read_checksums,
)
from .files import atomic_write

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
    if path.is_dir():
        raise IsADirectoryError(f"archive {source!r} is a folder; give the path of the file aclImdb_v1.tar.gz "
                                "(or its http(s) URL), not an extracted folder")
    return path


def _archive_error(source: str, problem: str) -> ValueError:
    return ValueError(
        f"archive {source}: {problem}; load_imdb would refuse the files built from it, so nothing was "
        f"written: use the original aclImdb_v1.tar.gz ({_ARCHIVE_URL}), downloaded again if it is damaged"
    )


def _read_archive(archive: Path, source: str) -> dict[str, list]:
    """``{split: [record]}`` from the archive's review members, each checked as :func:`load_imdb` would.

    Raises:
        ValueError: naming the archive and the member, if the archive is not a readable tar,
            a member is not UTF-8, its review breaks a rule of the loader (an id above
            ``2**31 - 1``, a rating above 10) or repeats the id of an earlier one.
    """
    records: dict[str, list] = {s: [] for s in SPLITS}
    members: dict[tuple, str] = {}
    try:
        with tarfile.open(archive, "r:*") as tar:
            for member in tar:
                match = _MEMBER.match(member.name)
                if not match or not member.isfile():
                    continue
                split, kind, review_id, rating = match.groups()
                split = "unsup" if kind == "unsup" else split
                raw = tar.extractfile(member).read()
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError as err:
                    problem = f"not valid UTF-8 (byte 0x{raw[err.start]:02x} at offset {err.start})"
                    raise _archive_error(source, f"member {member.name}: {problem}") from None
                labeled = kind != "unsup"
                record = {"id": int(review_id), "rating": int(rating), "text": text}
                if labeled:
                    record["label"] = 1 if kind == "pos" else 0
                problem = _record_problem(record, labeled)
                if problem is not None:
                    raise _archive_error(source, f"member {member.name}: {problem}")
                key = (split, *_review_key(record, labeled))
                if key in members:
                    with_label = f" with label {record['label']}" if labeled else ""
                    where = ("the archive holds this member twice" if members[key] == member.name
                             else f"it is also in member {members[key]}")
                    raise _archive_error(
                        source, f"member {member.name}: review id {record['id']}{with_label} of the {split} split "
                                f"is repeated ({where}; ids are unique within a label of a split)"
                    )
                members[key] = member.name
                records[split].append(record)
    except PermissionError:
        raise
    except (tarfile.TarError, EOFError, OSError, zlib.error, lzma.LZMAError) as err:
        reason = str(err).splitlines()[0].rstrip(":") if str(err).strip() else type(err).__name__
        raise ValueError(
            f"archive {source} cannot be read as a tar archive ({reason}); nothing was written: download "
            f"aclImdb_v1.tar.gz again ({_ARCHIVE_URL})"
        ) from err
    return records


def rebuild_from_archive(source: "str | os.PathLike[str]", folder: "str | os.PathLike[str] | None" = None) -> dict[str, str]:
    """Re-derive the three JSON Lines files from the original ``aclImdb_v1.tar.gz``.

    Every review is checked with the rules of :func:`load_imdb` before anything is
    written, so an archive that is not the original (or is damaged) leaves ``folder``
    untouched instead of replacing good files with ones the loader refuses.

    Args:
        source: a local path or an http(s) URL of the archive.
        folder: where to write ``train``, ``test`` and ``unsup.jsonl.xz`` and
            ``SHA256SUMS``; see :func:`data_dir`.

    Returns:
        ``{file name: SHA-256}`` of the files written. Each file is written atomically;
        compare the digests with the vendored ``SHA256SUMS`` to confirm the copy.
        ``SHA256SUMS`` is updated for these three files; its other entries (such as
        ``movies.tsv.xz``, which this function does not rebuild) are kept.

    Raises:
        FileNotFoundError, IsADirectoryError: if ``source`` is not an existing file.
        ValueError: naming the archive (and the member), if it is not a readable tar
            archive, a split has no reviews, or a review member is not UTF-8, breaks a
            rule of :func:`load_imdb` (an id above ``2**31 - 1``, a rating above 10) or
            repeats an id within a label of a split. Nothing is written then.
    """
    folder = data_dir(folder)
    with tempfile.TemporaryDirectory() as tmp:
        archive = _fetch(os.fspath(source), Path(tmp))
        records = _read_archive(archive, os.fspath(source))
    if not all(records.values()):
        empty = [s for s, r in records.items() if not r]
        raise ValueError(f"archive {source!r} holds no reviews for split(s) {', '.join(empty)}; is it aclImdb_v1.tar.gz?")
    blobs = {}
    for split, rows in records.items():
        rows.sort(key=lambda r: (-r.get("label", 0), r["id"]))
        payload = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")
        blobs[_FILE.format(split=split)] = lzma.compress(payload, preset=9 | lzma.PRESET_EXTREME)
    try:  # keep the entries of other files (movies.tsv.xz) that the archive does not rebuild
        sums = read_checksums(folder)
    except (DataIntegrityError, ValueError):
        sums = {}
    digests = {}
    for name, blob in blobs.items():
        with atomic_write(folder / name) as handle:
            handle.write(blob)
        digests[name] = hashlib.sha256(blob).hexdigest()
    sums.update(digests)
    with atomic_write(folder / "SHA256SUMS", "w") as handle:
        handle.write("".join(f"{sums[n]}  {n}\n" for n in sorted(sums)))
    return digests
