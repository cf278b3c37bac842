"""Executed notebooks' outputs: promoting them into the sources, comparing two runs.

- :func:`promote` copies a run's outputs into ``chapters/`` cell by cell (by cell id).
- :func:`compare_outputs` compares two folders of executed chapters with the masking
  rules of ``tests/nbval_sanitize.cfg`` (the same file ``pytest --nbval`` uses);
  :func:`merge_streams` makes stored streams independent of the kernel's chunking.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Optional

from ..files import write_text_atomic
from ..paths import repo_root

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
    (the same file nbval uses). Returns one line per difference (including a notebook
    found in only one of the folders); empty if identical.

    Raises:
        FileNotFoundError: for a folder that does not exist.
        ValueError: for a notebook that cannot be read (not valid JSON, not a notebook),
            naming the file.
    """
    import nbformat

    root = root or repo_root()
    first, second = Path(first), Path(second)
    for folder in (first, second):
        if not folder.is_dir():
            raise FileNotFoundError(
                f"folder {folder} does not exist (or is not a folder); pass two folders of executed notebooks, "
                "e.g. build/executed/ci and a folder given to `rnn-tutorial run --output`"
            )
    rules = _sanitize_rules(root)

    def read(path: Path):
        try:
            return nbformat.read(path, as_version=4)
        except Exception as err:  # noqa: BLE001 - any unreadable notebook gets the same clear message
            detail = (str(err).strip().splitlines() or [type(err).__name__])[0][:200]
            raise ValueError(
                f"{path} is not a valid notebook ({type(err).__name__}: {detail}); "
                "execute its chapter again with `rnn-tutorial run`, or remove the file"
            ) from err

    def clean(text: str) -> str:
        for pattern, replacement in rules:
            text = pattern.sub(replacement, text)
        return text

    differences = []
    in_first = {p.name for p in first.glob("*.ipynb")}
    in_second = {p.name for p in second.glob("*.ipynb")}
    if not in_first and not in_second:
        return [f"no executed notebooks in {first} or {second}"]
    for name in sorted(in_first | in_second):
        if name not in in_second:
            differences.append(f"{name}: missing in {second}")
            continue
        if name not in in_first:
            differences.append(f"{name}: missing in {first}")
            continue
        a, b = read(first / name), read(second / name)
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
