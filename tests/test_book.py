"""Structure of the stored chapters: what the runner, nbval and the book rely on."""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TOC = (ROOT / "_toc.yml").read_text(encoding="utf-8")
CHAPTERS = sorted(p for p in (ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))


def _cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _source(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_is_in_the_table_of_contents(path):
    assert f"chapters/{path.stem}" in TOC


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_first_code_cell_is_the_parameters_cell(path):
    code = [c for c in _cells(path) if c["cell_type"] == "code"]
    assert _source(code[0]).startswith("PROFILE = None")
    assert "parameters" in code[0]["metadata"].get("tags", [])
    assert not any("injected-parameters" in c["metadata"].get("tags", []) for c in code)


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_stored_outputs_come_from_a_recorded_runner_run(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    meta = nb["metadata"].get("rnn_tutorial", {})
    assert meta.get("profile") in ("laptop", "full"), "promote the chapter from a laptop or full run"
    record = ROOT / "results" / meta["profile"] / f"{path.stem}.json"
    assert record.exists(), f"{record.relative_to(ROOT)} is missing"
    assert json.loads(record.read_text())["started"] == meta["started"], "stored outputs and results record disagree"
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            assert out.get("output_type") != "error"
            text = "".join(out.get("text", "")) + json.dumps({k: v for k, v in out.get("data", {}).items() if not k.startswith("image/")})
            assert "\r" not in text, "carriage-return progress bar in a stored output"
            assert not re.search(r"(/root/|/work/|/tmp/|/home/)", text), "a machine path in a stored output"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_ends_with_exercises_and_solutions(path):
    markdown = "\n".join(_source(c) for c in _cells(path) if c["cell_type"] == "markdown")
    assert "## Exercises" in markdown
    exercises = markdown[markdown.index("## Exercises"):]
    collapsed = exercises.count("{dropdown}") + exercises.count(":class: dropdown")
    assert collapsed >= 2, "solutions go in collapsed dropdowns"
