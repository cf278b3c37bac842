"""Where a run writes: the output folder's checks and its lock.

An output folder is never ``chapters/``, a folder inside it or a folder around it, and
must be writable before any chapter runs. One run at a time per output folder: a run
holds ``<output>/.rnn-tutorial-run.lock`` and a second run into the same folder is
refused with the first run's pid.
"""

from __future__ import annotations

import datetime as _dt
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

from ..errors import OutputLockedError
from ..paths import repo_root

LOCK_NAME = ".rnn-tutorial-run.lock"
"""The lock file a run holds in its output folder (one run per folder at a time)."""


def _default_output(profile: str) -> str:
    return f"build/executed/{profile}/"


def check_output_folder(output: Path, profile: str, root: Optional[Path] = None, given=None) -> Path:
    """Refuse an output folder over the sources or that cannot be written; return it resolved.

    The folder is resolved with symlinks, and refused when it is the repository's
    ``chapters/`` folder, lies inside it or contains it (executing there would overwrite
    the source notebooks; ``--promote`` is the only way outputs go into ``chapters/``).
    Otherwise it is created if missing and a probe file is written and removed, so an
    unwritable folder fails before any chapter runs.

    Args:
        output: the folder for executed notebooks.
        profile: the profile name, for the suggested default ``build/executed/<profile>/``.
        root: the repository root.
        given: the value as the user gave it, for the message (default: ``output``).

    Raises:
        ValueError: for a folder over the sources, or one that cannot be created or written.
    """
    root = root or repo_root()
    given = output if given is None else given
    resolved = Path(output).expanduser().resolve()
    chapters = (root / "chapters").resolve()
    if resolved == chapters:
        relation = "is"
    elif chapters in resolved.parents:
        relation = "is inside"
    elif resolved in chapters.parents:
        relation = "contains"
    else:
        relation = None
    if relation:
        raise ValueError(
            f"output folder {given} resolves to {resolved}, which {relation} the chapters folder {chapters}: "
            f"executing there would overwrite the source notebooks; pass another folder, or leave out --output "
            f"for the default {_default_output(profile)} (--promote copies outputs into chapters/)"
        )
    advice = f"pass a writable folder, or leave out --output for the default {_default_output(profile)}"
    if resolved.exists() and not resolved.is_dir():
        raise ValueError(f"output folder {given} cannot be written: {resolved} is a file, not a folder; {advice}")
    try:
        resolved.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=resolved, prefix=".rnn-tutorial-probe."):
            pass
    except OSError as err:
        reason = err.strerror or type(err).__name__
        raise ValueError(f"output folder {given} cannot be written ({reason}: {err.filename or resolved}); {advice}") from err
    return resolved


def _check_results_folder(folder: Path) -> None:
    """Refuse a results folder that cannot be created or written, without creating it."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        raise ValueError(
            f"results folder {folder} cannot be written ({existing} is not a writable folder); "
            "make it writable, or pass --no-record (record=False) to write no results"
        )


def _lock_holder(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError:
        text = ""
    return text or "pid unknown"


@contextmanager
def output_lock(output_dir: Path) -> Iterator[Path]:
    """Hold ``<output_dir>/.rnn-tutorial-run.lock`` for the duration of the block.

    The lock is an advisory ``flock`` on the file (released by the system if the
    process dies); the file holds the holder's pid and start time, and is removed when
    the block ends.

    Raises:
        OutputLockedError: if another run (of this or another process) holds the lock,
            naming the lock file and the other run's pid.
    """
    output_dir = Path(output_dir)
    path = output_dir / LOCK_NAME
    try:
        import fcntl
    except ImportError:  # no flock (Windows): an exclusively created file is the lock
        fcntl = None
    while True:
        if fcntl is None:
            try:
                fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                fd = None
        else:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                fd = None
            else:
                try:  # the holder before us may have removed the file we opened: lock the current one
                    same = os.path.samestat(os.fstat(fd), os.stat(path))
                except FileNotFoundError:
                    same = False
                if not same:
                    os.close(fd)
                    continue
        if fd is None:
            raise OutputLockedError(
                f"output folder {output_dir} is in use by another run ({_lock_holder(path)}; lock file {path}); "
                "wait for that run to finish, or pass --output with another folder"
            )
        break
    try:
        started = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
        os.ftruncate(fd, 0)
        os.write(fd, f"pid {os.getpid()}, started {started}\n".encode())
        yield path
    finally:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
        os.close(fd)
