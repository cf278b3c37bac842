"""The chapter runner: ``rnn-tutorial run`` (also ``python -m rnn_tutorial run``).

It executes chapters with papermill into ``build/executed/<profile>/`` (never over the
sources), shows a progress bar, and ends with a table of chapter, status and duration.
A chapter that fails, hangs past the time limit or whose kernel dies is reported with
the failing cell and the path of the full executed notebook; the other chapters still
run and the exit code is non-zero. ``--promote`` copies the executed outputs back into
``chapters/`` cell by cell (by cell id), so sources never carry papermill's injected
parameters cell. Each successful run writes ``results/<profile>/<chapter>.json``.
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import datetime as _dt
import json
import os
import sys
import time
from pathlib import Path
from typing import Optional, Sequence

from .environment import BACKENDS
from .files import write_json_atomic, write_text_atomic
from .profiles import PROFILES, get_profile
from .results import METRICS_ENV_VAR


def repo_root() -> Path:
    """Return the repository root (the folder holding ``chapters/``)."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "chapters").is_dir() and (parent / "pyproject.toml").exists():
            return parent
    return Path.cwd()


def list_chapters(root: Optional[Path] = None) -> list[str]:
    """Return the chapter names (notebook stems in ``chapters/``) in reading order."""
    root = root or repo_root()
    return sorted(p.stem for p in (root / "chapters").glob("[0-9][0-9]_*.ipynb"))


def select_chapters(requested: Optional[Sequence[str]], root: Optional[Path] = None) -> list[str]:
    """Resolve chapter selectors (``"01"``, ``"01_concepts"`` or ``"concepts"``) to names.

    Raises:
        ValueError: for a selector that matches no chapter, listing the valid ones.
    """
    available = list_chapters(root)
    if not requested:
        return available
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

    Args:
        chapter: a chapter name from :func:`list_chapters`.
        profile: a profile name.
        output_dir: where the executed notebook goes (``<output_dir>/<chapter>.ipynb``).
        backend: the Keras backend for the kernel (default: the current environment's).
        timeout: the longest a single cell may run, in seconds (``None``: no limit).
        progress: show papermill's progress bar.
        root: the repository root.

    Returns:
        A :class:`ChapterResult`; failures of the notebook are reported in it, not raised.

    Raises:
        ValueError: for an unknown chapter, profile or backend, or a bad timeout (before
            anything runs).
        TypeError: for a profile that is not a string.
    """
    root = root or repo_root()
    parameters = notebook_parameters(profile)
    if backend is not None and backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}; valid backends: {', '.join(BACKENDS)}")
    _check_timeout(timeout)
    if not isinstance(chapter, str) or chapter not in list_chapters(root):
        raise ValueError(f"unknown chapter {chapter!r}; valid chapters: {', '.join(list_chapters(root))}")
    import papermill

    source = root / "chapters" / f"{chapter}.ipynb"
    output_dir.mkdir(parents=True, exist_ok=True)
    executed = output_dir / f"{chapter}.ipynb"
    metrics_file = output_dir / f"{chapter}.metrics.json"
    metrics_file.unlink(missing_ok=True)
    # papermill rewrites the executed notebook cell by cell; the record marks it complete.
    # Remove the old record first, so a run killed half way (even by SIGKILL) leaves no
    # record beside a half-written notebook, and `--resume` executes the chapter again.
    (output_dir / f"{chapter}.record.json").unlink(missing_ok=True)
    env_backup = dict(os.environ)
    os.environ[METRICS_ENV_VAR] = str(metrics_file)
    os.environ["RNN_TUTORIAL_PROFILE"] = profile
    if backend:
        os.environ["KERAS_BACKEND"] = backend
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
        )
    except BaseException as err:  # papermill errors, cell time-outs, dead kernels
        if isinstance(err, KeyboardInterrupt):
            raise
        duration = time.monotonic() - start
        reason = getattr(err, "ename", type(err).__name__)
        detail = getattr(err, "evalue", str(err)).strip().splitlines()
        detail = detail[0][:200] if detail else ""
        message = f"{reason}: {detail} at {_failing_cell(executed)}; full log: {_relative(executed, root)}"
        return ChapterResult(chapter, "failed", duration, executed, message)
    finally:
        os.environ.clear()
        os.environ.update(env_backup)
    duration = time.monotonic() - start
    payload = json.loads(metrics_file.read_text(encoding="utf-8")) if metrics_file.exists() else {}
    record = {
        "chapter": chapter,
        "profile": profile,
        "backend": payload.get("backend") or backend or os.environ.get("KERAS_BACKEND", "tensorflow"),
        "device": payload.get("device"),
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


def promote(chapter: str, executed: Path, root: Optional[Path] = None) -> Path:
    """Copy the executed outputs of ``chapter`` back into its source, by cell id.

    Only outputs and execution counts move; the sources keep their own cells, so the
    injected parameters cell is never copied. The run's profile, backend and device
    are stored in the notebook metadata under ``rnn_tutorial``.
    """
    import nbformat

    root = root or repo_root()
    source_path = root / "chapters" / f"{chapter}.ipynb"
    source = nbformat.read(source_path, as_version=4)
    done = nbformat.read(executed, as_version=4)
    by_id = {c.get("id"): c for c in done.cells if c.get("id")}
    missing = []
    for cell in source.cells:
        if cell.cell_type != "code":
            continue
        match = by_id.get(cell.get("id"))
        if match is None:
            missing.append(cell.get("id"))
            continue
        cell.outputs = merge_streams(match.outputs)
        cell.execution_count = match.execution_count
    if missing:
        raise ValueError(f"cannot promote {chapter}: executed notebook lacks cell ids {missing}; rerun the chapter")
    record_path = executed.with_suffix(".record.json")
    if record_path.exists():
        record = json.loads(record_path.read_text(encoding="utf-8"))
        source.metadata["rnn_tutorial"] = {k: record[k] for k in ("profile", "backend", "device", "started", "duration_s")}
    write_text_atomic(source_path, nbformat.writes(source) + "\n")
    return source_path


def _sanitize_rules(root: Path) -> list[tuple["re.Pattern[str]", str]]:
    """The regex/replace pairs of ``tests/nbval_sanitize.cfg`` (the one sanitize file)."""
    import configparser
    import re

    parser = configparser.ConfigParser(interpolation=None)
    parser.read(root / "tests" / "nbval_sanitize.cfg", encoding="utf-8")
    return [(re.compile(parser[s]["regex"]), parser[s]["replace"]) for s in parser.sections()]


def merge_streams(outputs: list) -> list:
    """Join consecutive stream outputs of the same stream into one output.

    How a kernel splits printed text into chunks depends on timing; merged, the stored
    outputs are the same from run to run.
    """
    merged: list = []
    for output in outputs:
        output = copy.deepcopy(output)
        if (
            merged
            and output.get("output_type") == "stream"
            and merged[-1].get("output_type") == "stream"
            and merged[-1].get("name") == output.get("name")
        ):
            merged[-1]["text"] = merged[-1]["text"] + output["text"]
        else:
            merged.append(output)
    return merged


def _output_text(output: dict) -> str:
    if output.get("output_type") == "stream":
        return output.get("text", "")
    if output.get("output_type") == "error":
        return f"{output.get('ename')}: {output.get('evalue')}"
    data = output.get("data", {})
    # images are compared by their presence; their bytes differ with library builds
    return "\n".join(f"{k}: {data[k] if not k.startswith('image/') else '<image>'}" for k in sorted(data))


def compare_outputs(first: Path, second: Path, root: Optional[Path] = None) -> list[str]:
    """Compare the outputs of the executed notebooks in two folders, cell by cell.

    Timings and addresses are masked with the rules of ``tests/nbval_sanitize.cfg``
    (the same file nbval uses). Returns one line per difference; empty if identical.
    """
    import nbformat

    root = root or repo_root()
    rules = _sanitize_rules(root)

    def clean(text: str) -> str:
        for pattern, replacement in rules:
            text = pattern.sub(replacement, text)
        return text

    differences = []
    names = sorted(p.name for p in Path(first).glob("*.ipynb"))
    if not names:
        return [f"no executed notebooks in {first}"]
    for name in names:
        other = Path(second) / name
        if not other.exists():
            differences.append(f"{name}: missing in {second}")
            continue
        a, b = nbformat.read(Path(first) / name, as_version=4), nbformat.read(other, as_version=4)
        cells_a = [c for c in a.cells if c.cell_type == "code"]
        cells_b = [c for c in b.cells if c.cell_type == "code"]
        for index, (ca, cb) in enumerate(zip(cells_a, cells_b), start=1):
            out_a = clean("\n".join(_output_text(o) for o in merge_streams(ca.get("outputs", []))))
            out_b = clean("\n".join(_output_text(o) for o in merge_streams(cb.get("outputs", []))))
            if out_a != out_b:
                differences.append(f"{name}: code cell {index} (id {ca.get('id')}) differs")
        if len(cells_a) != len(cells_b):
            differences.append(f"{name}: {len(cells_a)} code cells against {len(cells_b)}")
    return differences


def _table(results: list[ChapterResult]) -> str:
    width = max([len("chapter")] + [len(r.chapter) for r in results])
    lines = [f"{'chapter':<{width}}  {'status':<7}  {'duration':>9}", f"{'-' * width}  {'-' * 7}  {'-' * 9}"]
    for r in results:
        lines.append(f"{r.chapter:<{width}}  {r.status:<7}  {r.duration_s:>8.1f}s")
    return "\n".join(lines)


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
) -> list[ChapterResult]:
    """Execute chapters, record results, optionally promote outputs; see the module doc.

    Args:
        resume: skip chapters that already have an executed copy and a record newer
            than their source in the output folder (a partially executed book resumes).
        record: write ``results/<profile>/<chapter>.json`` for each chapter that ran.
    """
    root = root or repo_root()
    prof = get_profile(profile)
    if backend is not None and backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}; valid backends: {', '.join(BACKENDS)}")
    _check_timeout(timeout)
    names = select_chapters(chapters, root)
    # absolute: the kernel runs in chapters/, and writes the metrics file by this path
    out_dir = (Path(output) if output else root / "build" / "executed" / prof.name).resolve()
    results = []
    for name in names:
        executed = out_dir / f"{name}.ipynb"
        record = out_dir / f"{name}.record.json"
        source = root / "chapters" / f"{name}.ipynb"
        if resume and executed.exists() and record.exists() and record.stat().st_mtime >= source.stat().st_mtime:
            results.append(ChapterResult(name, "skipped", 0.0, executed, "already executed (resume)"))
            print(f"[{name}] already executed; skipped (--resume)", file=sys.stderr)
            continue
        print(f"[{name}] running under profile {prof.name}", file=sys.stderr)
        result = execute_chapter(name, prof.name, out_dir, backend=backend, timeout=timeout, progress=progress, root=root)
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
    print(_table(results))
    failed = [r for r in results if r.status == "failed"]
    if failed:
        print(f"\n{len(failed)} chapter(s) failed:", file=sys.stderr)
        for r in failed:
            print(f"  {r.chapter}: {r.message}", file=sys.stderr)
    return results


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface of the runner."""
    parser = argparse.ArgumentParser(prog="rnn-tutorial", description="Execute the book's chapters with papermill.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("run", help="execute chapters into build/executed/<profile>/")
    p.add_argument("--profile", default=None, help=f"one of {', '.join(PROFILES)} (default: resolved as in the book)")
    p.add_argument("--chapters", nargs="*", default=None, help="chapters to run, e.g. 01 02_time_steps (default: all)")
    p.add_argument("--backend", default=None, choices=BACKENDS, help="Keras backend for the kernels")
    p.add_argument("--output", type=Path, default=None, help="folder for executed notebooks")
    p.add_argument("--promote", action="store_true", help="copy executed outputs back into chapters/")
    p.add_argument("--timeout", type=int, default=None, help="longest a single cell may run, in seconds")
    p.add_argument("--resume", action="store_true", help="skip chapters already executed since their last change")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--no-record", action="store_true", help="do not write results/<profile>/<chapter>.json")
    c = sub.add_parser("compare", help="compare the outputs of two folders of executed chapters")
    c.add_argument("first", type=Path)
    c.add_argument("second", type=Path)
    sub.add_parser("list", help="list the chapters")
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Entry point of ``rnn-tutorial``; returns the exit code."""
    args = build_parser().parse_args(argv)
    if args.command == "list":
        print("\n".join(list_chapters()))
        return 0
    if args.command == "compare":
        differences = compare_outputs(args.first, args.second)
        print("\n".join(differences) if differences else "identical outputs (timings and addresses masked)")
        return 1 if differences else 0
    from .profiles import resolve_profile

    if args.backend:  # so that a GPU is looked for with the backend the chapters will use
        os.environ["KERAS_BACKEND"] = args.backend
    try:
        profile = resolve_profile(args.profile).name
        results = run(
            profile,
            chapters=args.chapters,
            backend=args.backend,
            output=args.output,
            promote_outputs=args.promote,
            timeout=args.timeout,
            resume=args.resume,
            progress=not args.no_progress,
            record=not args.no_record,
        )
    except (ValueError, TypeError) as err:
        print(f"rnn-tutorial: error: {err}", file=sys.stderr)
        return 2
    return 1 if any(r.status == "failed" for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
