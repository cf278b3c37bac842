"""The chapter runner: ``rnn-tutorial run`` (also ``python -m rnn_tutorial run``).

It executes chapters with papermill into ``build/executed/<profile>/`` (never over the
sources: an ``--output`` that is, is inside or contains ``chapters/`` is refused), shows
a progress bar, and ends with a table of chapter, status and duration. A chapter that
fails, hangs past the time limit or whose kernel dies is reported with the failing cell
and the path of the full executed notebook; the other chapters still run and the exit
code is non-zero. ``--promote`` copies the executed outputs back into ``chapters/`` cell
by cell (by cell id), so sources never carry papermill's injected parameters cell.
Each successful run writes ``results/<profile>/<chapter>.json`` (not with ``--no-record``).

One run at a time per output folder: a run holds the lock file
``<output>/.rnn-tutorial-run.lock`` and a second run into the same folder is refused
with the first run's pid. Each chapter's kernel writes its metrics to a scratch file of
its own (named with the run's pid and a random id), so records never mix runs.
Ctrl-C ends the run with a one-line summary and exit code 130; refused arguments end
with one ``rnn-tutorial: error: ...`` line and exit code 2.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import json
import os
import sys
import time
import uuid
from pathlib import Path
from typing import Optional, Sequence

from ..environment import BACKENDS, DEFAULT_SEED, SEED_ENV_VAR
from ..errors import RunInterrupted
from ..files import write_json_atomic
from ..paths import repo_root
from ..profiles import get_profile
from ..results import METRICS_DIR_ENV_VAR, METRICS_ENV_VAR, JSONFileError, read_json_object
from ..validation import check_int
from .folders import _check_results_folder, check_output_folder, output_lock
from .outputs import promote


def list_chapters(root: Optional[Path] = None) -> list[str]:
    """Return the chapter names (notebook stems in ``chapters/``) in reading order."""
    root = root or repo_root()
    return sorted(p.stem for p in (root / "chapters").glob("[0-9][0-9]_*.ipynb"))


def select_chapters(requested: Optional[Sequence[str]], root: Optional[Path] = None) -> list[str]:
    """Resolve chapter selectors (``"01"``, ``"01_concepts"`` or ``"concepts"``) to names.

    ``None`` selects every chapter; an empty list is refused (it is what ``--chapters``
    with no value gives, and running the whole book instead would be a surprise).

    Raises:
        TypeError: for a single string instead of a list of selectors.
        ValueError: for an empty list, or a selector that matches no chapter (listing
            the valid ones).
    """
    available = list_chapters(root)
    if requested is None:
        return available
    if isinstance(requested, str):
        raise TypeError(f"chapters must be a list of chapter selectors, e.g. ['01', '02'], got str {requested!r}")
    if not requested:
        raise ValueError(
            f"chapters must name at least one chapter, got {list(requested)!r}; "
            "pass e.g. ['01', '02'], or None to run the whole book"
        )
    chosen = []
    for item in requested:
        if not isinstance(item, str) or not item.strip():
            raise ValueError(f"chapter selector must be a non-empty string, got {item!r}")
        key = item.strip().removesuffix(".ipynb")
        matches = [c for c in available if c == key or c.split("_", 1)[0] == key or c.split("_", 1)[-1] == key]
        if not matches:
            raise ValueError(f"unknown chapter {item!r}; valid chapters: {', '.join(available)}")
        chosen.extend(m for m in matches if m not in chosen)
    return chosen


NOTEBOOK_PARAMETERS = {"PROFILE": str}
"""The only parameters the runner injects into a chapter, with their types."""


def notebook_parameters(profile: str, **extra) -> dict:
    """Return the parameters injected into a chapter: ``{"PROFILE": name}``, validated.

    Only the names in :data:`NOTEBOOK_PARAMETERS` are accepted, each with its type, and
    the profile must be a known one, so a chapter never receives an unexpected value.

    Raises:
        TypeError: for a value of the wrong type.
        ValueError: for an unknown parameter name or profile.
    """
    parameters = {"PROFILE": profile, **extra}
    for name, value in parameters.items():
        if name not in NOTEBOOK_PARAMETERS:
            raise ValueError(f"unknown notebook parameter {name!r}; accepted: {', '.join(NOTEBOOK_PARAMETERS)}")
        expected = NOTEBOOK_PARAMETERS[name]
        if not isinstance(value, expected):
            raise TypeError(f"notebook parameter {name} must be a {expected.__name__}, got {type(value).__name__} {value!r}")
    parameters["PROFILE"] = get_profile(profile).name
    return parameters


def _check_timeout(timeout) -> None:
    if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, int) or timeout <= 0):
        raise ValueError(f"timeout must be a positive number of seconds, got {timeout!r}")


@dataclasses.dataclass
class ChapterResult:
    """Outcome of executing one chapter."""

    chapter: str
    status: str  # "ok", "failed", "skipped"
    duration_s: float
    executed: Path
    message: str = ""

    @property
    def record_path(self) -> Path:
        """The run's record beside the executed notebook (``<chapter>.record.json``)."""
        return self.executed.with_suffix(".record.json")


def _failing_cell(executed: Path) -> str:
    """Describe the cell that failed or was running when execution stopped."""
    try:
        import nbformat

        nb = nbformat.read(executed, as_version=4)
    except Exception:
        return "unknown cell"
    # number the cells as in the source: papermill's injected parameters cell is not there
    code_cells = [
        c for c in nb.cells
        if c.cell_type == "code" and "injected-parameters" not in c.get("metadata", {}).get("tags", [])
    ]
    for index, cell in enumerate(nb.cells):
        status = cell.get("metadata", {}).get("papermill", {}).get("status")
        has_error = any(o.get("output_type") == "error" for o in cell.get("outputs", []))
        if status in ("failed", "running") or has_error:
            number = code_cells.index(cell) + 1 if cell in code_cells else index + 1
            first = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
            return f"code cell {number} (id {cell.get('id', '?')}): {first[:70]}"
    return "unknown cell"


def execute_chapter(
    chapter: str,
    profile: str,
    output_dir: Path,
    backend: Optional[str] = None,
    timeout: Optional[int] = None,
    progress: bool = True,
    root: Optional[Path] = None,
) -> ChapterResult:
    """Execute one chapter with papermill and record its metrics.

    Takes the output folder's lock (see :func:`output_lock`) for the chapter's duration.

    Args:
        chapter: a chapter name from :func:`list_chapters`.
        profile: a profile name.
        output_dir: where the executed notebook goes (``<output_dir>/<chapter>.ipynb``);
            never ``chapters/`` or a folder inside or around it.
        backend: the Keras backend for the kernel (default: the current environment's).
        timeout: the longest a single cell may run, in seconds (``None``: no limit).
        progress: show papermill's progress bar.
        root: the repository root.

    Returns:
        A :class:`ChapterResult`; failures of the notebook are reported in it, not raised.

    Raises:
        ValueError: for an unknown chapter, profile or backend, a bad timeout, or an
            output folder over the sources or not writable (before anything runs).
        TypeError: for a profile that is not a string.
        OutputLockedError: if another run is executing into ``output_dir``.
    """
    root = root or repo_root()
    notebook_parameters(profile)
    if backend is not None and backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}; valid backends: {', '.join(BACKENDS)}")
    _check_timeout(timeout)
    if not isinstance(chapter, str) or chapter not in list_chapters(root):
        raise ValueError(f"unknown chapter {chapter!r}; valid chapters: {', '.join(list_chapters(root))}")
    out_dir = check_output_folder(output_dir, get_profile(profile).name, root, given=output_dir)
    with output_lock(out_dir):
        return _execute_chapter(chapter, profile, out_dir, backend, timeout, progress, root)


def _execute_chapter(
    chapter: str,
    profile: str,
    output_dir: Path,
    backend: Optional[str],
    timeout: Optional[int],
    progress: bool,
    root: Path,
    seed: Optional[int] = None,
) -> ChapterResult:
    """:func:`execute_chapter` once the arguments are checked and the output folder locked."""
    import papermill

    from rnn_tutorial.book.kernels import AsyncIpcKernelManager

    parameters = notebook_parameters(profile)
    source = root / "chapters" / f"{chapter}.ipynb"
    executed = output_dir / f"{chapter}.ipynb"
    # papermill rewrites the executed notebook cell by cell; the record marks it complete.
    # Remove the old record first, so a run killed half way (even by SIGKILL) leaves no
    # record beside a half-written notebook, and `--resume` executes the chapter again.
    # Remove the old executed notebook too: a failure must never cite a previous run's cell.
    for stale in (output_dir / f"{chapter}.record.json", executed, output_dir / f"{chapter}.metrics.json"):
        stale.unlink(missing_ok=True)
    # this run's own scratch file: another run's kernel can neither delete nor add to it
    metrics_file = output_dir / f".{chapter}.{os.getpid()}-{uuid.uuid4().hex[:12]}.metrics.json"
    env_backup = dict(os.environ)
    os.environ[METRICS_ENV_VAR] = str(metrics_file)
    os.environ["RNN_TUTORIAL_PROFILE"] = profile
    if backend:
        os.environ["KERAS_BACKEND"] = backend
    os.environ.pop(METRICS_DIR_ENV_VAR, None)  # the runner's own file, never a test folder
    if seed is not None:
        os.environ[SEED_ENV_VAR] = str(seed)
    started = _dt.datetime.now(_dt.timezone.utc)
    start = time.monotonic()
    try:
        papermill.execute_notebook(
            str(source),
            str(executed),
            parameters=parameters,
            kernel_name="python3",
            progress_bar=progress,
            execution_timeout=timeout,
            cwd=str(source.parent),
            log_output=False,
            report_mode=False,
            kernel_manager_class=AsyncIpcKernelManager,  # no TCP port to race another kernel for
        )
    except BaseException as err:  # papermill errors, cell time-outs, dead kernels
        if isinstance(err, KeyboardInterrupt):
            metrics_file.unlink(missing_ok=True)
            raise
        metrics_file.unlink(missing_ok=True)
        duration = time.monotonic() - start
        reason = getattr(err, "ename", type(err).__name__)
        detail = getattr(err, "evalue", str(err)).strip().splitlines()
        detail = detail[0][:200] if detail else ""
        if executed.exists():
            where = f"at {_failing_cell(executed)}; full log: {_relative(executed, root)}"
        else:
            where = "before any cell ran (no executed notebook was written)"
        return ChapterResult(chapter, "failed", duration, executed, f"{reason}: {detail} {where}")
    finally:
        os.environ.clear()
        os.environ.update(env_backup)
    duration = time.monotonic() - start
    try:
        payload = read_json_object(metrics_file) if metrics_file.exists() else {}
    except JSONFileError:  # torn by a kernel killed while writing: the metrics are lost, not guessed
        payload = {}
    finally:
        metrics_file.unlink(missing_ok=True)
    if not isinstance(payload.get("metrics", {}), dict):  # not what record_metrics writes
        payload = {}
    record = {
        "chapter": chapter,
        "profile": profile,
        "backend": payload.get("backend") or backend or os.environ.get("KERAS_BACKEND", "tensorflow"),
        "device": payload.get("device"),
        "seed": payload.get("seed", seed),
        "versions": payload.get("versions", {}),
        "started": started.isoformat(timespec="seconds"),
        "duration_s": round(duration, 1),
        "metrics": payload.get("metrics", {}),
    }
    write_json_atomic(output_dir / f"{chapter}.record.json", record)
    return ChapterResult(chapter, "ok", duration, executed)


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def _table(results: list[ChapterResult]) -> str:
    width = max([len("chapter")] + [len(r.chapter) for r in results])
    lines = [f"{'chapter':<{width}}  {'status':<7}  {'duration':>9}", f"{'-' * width}  {'-' * 7}  {'-' * 9}"]
    for r in results:
        lines.append(f"{r.chapter:<{width}}  {r.status:<7}  {r.duration_s:>8.1f}s")
    return "\n".join(lines)


def _effective_backend(backend: Optional[str]) -> str:
    """The backend a chapter's kernel uses: ``backend``, else the environment's."""
    return backend or os.environ.get("KERAS_BACKEND", "tensorflow")


def _resume_refusal(name: str, executed: Path, record_file: Path, source: Path, profile: str, backend: str) -> Optional[str]:
    """Why the executed copy of ``name`` cannot be kept by ``--resume``; ``None`` if it can.

    It is kept only when the executed notebook and its record exist, the record is newer
    than the source, readable, and was made for this chapter with the same profile and
    the same backend.
    """
    if not executed.exists() or not record_file.exists():
        return "no complete executed copy"
    if record_file.stat().st_mtime < source.stat().st_mtime:
        return "the source changed since"
    try:
        stored = read_json_object(record_file)
    except JSONFileError:
        return "its record cannot be read"
    if stored.get("chapter") != name:
        return f"its record is of chapter {stored.get('chapter')!r}"
    made = (stored.get("profile"), stored.get("backend"))
    if made != (profile, backend):
        return f"it was made with profile {made[0]} and backend {made[1]}, not {profile} and {backend}"
    return None


def run(
    profile: str,
    chapters: Optional[Sequence[str]] = None,
    backend: Optional[str] = None,
    output: Optional[Path] = None,
    promote_outputs: bool = False,
    timeout: Optional[int] = None,
    resume: bool = False,
    progress: bool = True,
    root: Optional[Path] = None,
    record: bool = True,
    seed: Optional[int] = None,
) -> list[ChapterResult]:
    """Execute chapters, record results, optionally promote outputs; see the module doc.

    Every argument is checked before any chapter runs: the profile, backend, timeout and
    chapters, and the output folder (not over ``chapters/``, writable) and, when
    recording, the results folder. The output folder is locked for the whole run.

    Args:
        profile: a profile name.
        chapters: chapter selectors (see :func:`select_chapters`); ``None`` runs them all.
        backend: the Keras backend for the kernels (default: the environment's).
        output: the folder for executed notebooks (default ``build/executed/<profile>/``).
        promote_outputs: copy each successful chapter's outputs into ``chapters/``.
        timeout: the longest a single cell may run, in seconds (``None``: no limit).
        resume: skip chapters that already have an executed copy and a record newer
            than their source in the output folder, made with the same profile and
            backend (a partially executed book resumes).
        progress: show papermill's progress bar.
        root: the repository root.
        record: write ``results/<profile>/<chapter>.json`` for each chapter that ran.
        seed: the seed of every chapter (``None``: each chapter's own, 1234); a run with
            another seed is never recorded in ``results/`` (the book's records use 1234).

    Returns:
        One :class:`ChapterResult` per chapter, in order.

    Raises:
        ValueError, TypeError: for a refused argument (before any chapter runs).
        OutputLockedError: if another run is executing into the same output folder.
        RunInterrupted: on Ctrl-C; a ``KeyboardInterrupt`` whose message is a one-line
            summary (the interrupted chapter, those finished, those not run).
    """
    root = root or repo_root()
    prof = get_profile(profile)
    if backend is not None and backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}; valid backends: {', '.join(BACKENDS)}")
    _check_timeout(timeout)
    if seed is not None:
        seed = check_int("seed", seed, min=0)
        if record and seed != DEFAULT_SEED:
            raise ValueError(f"a run with --seed {seed} must not write results/{prof.name}/ (the book's records use "
                             f"seed {DEFAULT_SEED}); add --no-record")
    names = select_chapters(chapters, root)
    # absolute: the kernel runs in chapters/, and writes the metrics file by this path
    out_dir = check_output_folder(Path(output) if output else root / "build" / "executed" / prof.name, prof.name, root,
                                  given=output if output else None)
    if record:
        _check_results_folder(root / "results" / prof.name)
    wanted_backend = _effective_backend(backend)
    results: list[ChapterResult] = []
    current: Optional[str] = None
    try:
        with output_lock(out_dir):
            for name in names:
                current = name
                executed = out_dir / f"{name}.ipynb"
                record_file = out_dir / f"{name}.record.json"
                source = root / "chapters" / f"{name}.ipynb"
                if resume:
                    why = _resume_refusal(name, executed, record_file, source, prof.name, wanted_backend)
                    if why is None:
                        results.append(ChapterResult(name, "skipped", 0.0, executed, "already executed (resume)"))
                        print(f"[{name}] already executed; skipped (--resume)", file=sys.stderr)
                        continue
                    if executed.exists() or record_file.exists():
                        print(f"[{name}] executed copy not kept by --resume: {why}", file=sys.stderr)
                print(f"[{name}] running under profile {prof.name}", file=sys.stderr)
                result = _execute_chapter(name, prof.name, out_dir, backend, timeout, progress, root, seed)
                results.append(result)
                if result.status == "failed":
                    print(f"[{name}] FAILED: {result.message}", file=sys.stderr)
                    continue
                # record (and promote) at once: a later chapter of the same run may read this record
                if record and result.record_path.exists():
                    write_json_atomic(root / "results" / prof.name / f"{name}.json",
                                      json.loads(result.record_path.read_text(encoding="utf-8")))
                if promote_outputs and result.record_path.exists():
                    promote(name, result.executed, root)
            current = None
    except KeyboardInterrupt as err:
        if isinstance(err, RunInterrupted):
            raise
        raise RunInterrupted(_interrupted_summary(current, results, names), current, results) from None
    print(_table(results))
    failed = [r for r in results if r.status == "failed"]
    if failed:
        print(f"\n{len(failed)} chapter(s) failed:", file=sys.stderr)
        for r in failed:
            print(f"  {r.chapter}: {r.message}", file=sys.stderr)
    return results


def _interrupted_summary(current: Optional[str], results: list[ChapterResult], names: list[str]) -> str:
    """One line: which chapter Ctrl-C interrupted, what finished, what did not run."""
    done = {r.chapter for r in results}
    finished = ", ".join(f"{r.chapter} ({r.status})" for r in results) or "none"
    not_run = [n for n in names if n not in done and n != current]
    where = f"during {current}" if current else ("between chapters" if results else "before any chapter ran")
    return (
        f"interrupted (Ctrl-C) {where}; finished: {finished}; not run: {', '.join(not_run) or 'none'}; "
        "run again with --resume to continue"
    )


