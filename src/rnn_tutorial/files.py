"""Safe file handling: atomic writes and checksums.

Every file the package writes goes through :func:`atomic_write` (or one of the helpers
built on it): the content is written to a temporary file in the same folder, flushed
to disk, then renamed over the target. A process killed half way leaves at most a
stray temporary file, never a half-written file that a later run would trust.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
from pathlib import Path
from typing import IO, Iterator

from .errors import DataIntegrityError

_CHUNK = 1 << 20


def sha256_file(path: "str | os.PathLike[str]") -> str:
    """Return the hexadecimal SHA-256 digest of the file at ``path``."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_write(path: "str | os.PathLike[str]", mode: str = "wb") -> Iterator[IO]:
    """Open a temporary file next to ``path`` and rename it to ``path`` on success.

    Args:
        path: the file to create or replace. Its folder is created if missing.
        mode: ``"wb"`` (bytes) or ``"w"`` (text, UTF-8).

    Yields:
        The open temporary file. If the ``with`` block raises, the temporary file is
        removed and ``path`` is left as it was.
    """
    if mode not in ("wb", "w"):
        raise ValueError(f"mode must be 'wb' or 'w', got {mode!r}")
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.chmod(tmp_name, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual permissions
    try:
        kwargs = {"encoding": "utf-8", "newline": "\n"} if mode == "w" else {}
        with os.fdopen(fd, mode, **kwargs) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise


def write_text_atomic(path: "str | os.PathLike[str]", text: str) -> Path:
    """Write ``text`` to ``path`` atomically (UTF-8) and return the path."""
    with atomic_write(path, "w") as handle:
        handle.write(text)
    return Path(path)


def write_json_atomic(path: "str | os.PathLike[str]", obj: object) -> Path:
    """Write ``obj`` as indented, key-sorted JSON to ``path`` atomically."""
    return write_text_atomic(path, json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


_DIGEST = re.compile(r"[0-9a-fA-F]{64}")


def read_checksum_file(sums_path: "str | os.PathLike[str]", hint: str) -> dict[str, str]:
    """Parse a ``SHA256SUMS`` file into ``{file name: lowercase hex digest}``.

    Each non-blank line must read ``<64 hex digits>  <file name>`` (``sha256sum``'s
    format; a ``*`` before the name, binary mode, is dropped).

    Args:
        sums_path: the ``SHA256SUMS`` file.
        hint: how to restore it, appended to every error message.

    Raises:
        DataIntegrityError: the file is missing, is not a file, cannot be read, is not
            UTF-8, or has a line of another form (named with its number).
    """
    sums_path = Path(sums_path)
    if not sums_path.exists():
        raise DataIntegrityError(f"{sums_path} is missing; {hint}")
    if not sums_path.is_file():
        raise DataIntegrityError(f"{sums_path} is not a file (a folder?); remove it, then {hint}")
    try:
        raw = sums_path.read_bytes()
    except OSError as err:
        raise DataIntegrityError(f"{sums_path} cannot be read ({err}); {hint}") from err
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise DataIntegrityError(
            f"{sums_path} is not valid UTF-8 (byte 0x{raw[err.start]:02x} at offset {err.start}); {hint}"
        ) from None
    sums = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = line.split(maxsplit=1)
        if len(parts) != 2 or not _DIGEST.fullmatch(parts[0]):
            raise DataIntegrityError(
                f"{sums_path}, line {number}: expected '<64 hex digits>  <file name>', got {line!r:.100}; {hint}"
            )
        digest, name = parts
        sums[name.strip().lstrip("*")] = digest.lower()
    return sums
