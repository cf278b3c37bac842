import json
import shutil
from pathlib import Path

import nbformat
import pytest
from chapter_notebooks import write_chapter

from rnn_tutorial.book import cli, outputs, runner

ROOT_SANITIZE = Path(__file__).resolve().parent / "nbval_sanitize.cfg"


def _notebook(path: Path, body: str):
    write_chapter(path, "from rnn_tutorial import record_metrics\nprint('profile', PROFILE)", body)


@pytest.fixture()
def book(tmp_path):
    (tmp_path / "chapters").mkdir()
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "tests").mkdir()
    _notebook(tmp_path / "chapters" / "01_good.ipynb", "record_metrics({'answer': 42})\nprint('done')")
    _notebook(tmp_path / "chapters" / "02_bad.ipynb", "x = 1\nraise ValueError('broken on purpose')")
    return tmp_path


def test_select_chapters(book):
    assert runner.select_chapters(["01"], book) == ["01_good"]
    assert runner.select_chapters(["bad"], book) == ["02_bad"]
    with pytest.raises(ValueError, match="valid chapters: 01_good, 02_bad"):
        runner.select_chapters(["07"], book)


def test_failed_chapter_is_reported_and_others_run(book, capsys):
    results = runner.run("ci", root=book, progress=False)
    status = {r.chapter: r.status for r in results}
    assert status == {"01_good": "ok", "02_bad": "failed"}
    bad = [r for r in results if r.status == "failed"][0]
    assert "ValueError: broken on purpose" in bad.message
    assert "code cell 3" in bad.message and "build/executed/ci/02_bad.ipynb" in bad.message
    record = json.loads((book / "results" / "ci" / "01_good.json").read_text())
    assert record["metrics"] == {"answer": 42.0} and record["profile"] == "ci" and record["duration_s"] > 0
    assert set(record) >= {"chapter", "profile", "backend", "device", "versions", "started", "duration_s", "metrics"}
    assert not (book / "results" / "ci" / "02_bad.json").exists()
    out = capsys.readouterr().out
    assert "01_good" in out and "failed" in out


def test_exit_code_is_non_zero_on_failure(book, monkeypatch):
    monkeypatch.setattr(runner, "repo_root", lambda: book)
    assert cli.main(["run", "--profile", "ci", "--chapters", "02", "--no-progress"]) == 1
    assert cli.main(["run", "--profile", "ci", "--chapters", "01", "--no-progress"]) == 0
    assert cli.main(["run", "--profile", "nope"]) == 2


def test_promote_copies_outputs_by_cell_id_without_parameters_cell(book):
    runner.run("ci", chapters=["01"], root=book, promote_outputs=True, progress=False)
    nb = nbformat.read(book / "chapters" / "01_good.ipynb", as_version=4)
    assert len(nb.cells) == 3  # no injected-parameters cell
    assert nb.cells[0].source == "PROFILE = None"
    assert "profile ci" in nb.cells[1].outputs[0]["text"]
    assert nb.metadata["rnn_tutorial"]["profile"] == "ci"


def test_a_later_chapter_reads_the_record_an_earlier_chapter_of_the_same_run_wrote(book):
    # the pretraining chapter reads the improvements chapter's record: it must be written at once
    reader = (
        "import json\n"
        "from rnn_tutorial.results import load_results\n"
        "seen = [r['metrics'] for r in load_results('..') if r.get('chapter') == '01_good' and r.get('profile') == 'ci']  # the kernel runs in chapters/\n"
        "record_metrics({'seen_answer': seen[0]['answer'] if seen else -1})"
    )
    _notebook(book / "chapters" / "03_reader.ipynb", reader)
    results = runner.run("ci", chapters=["01", "03"], root=book, progress=False)
    assert [r.status for r in results] == ["ok", "ok"]
    record = json.loads((book / "results" / "ci" / "03_reader.json").read_text())
    assert record["metrics"] == {"seen_answer": 42.0}


def test_hanging_cell_times_out_and_is_reported(book):
    _notebook(book / "chapters" / "03_slow.ipynb", "import time\ntime.sleep(60)")
    results = runner.run("ci", chapters=["03"], root=book, timeout=3, progress=False)
    assert results[0].status == "failed"
    assert "03_slow" in results[0].message and "code cell 3" in results[0].message


def test_resume_skips_chapters_already_executed(book):
    runner.run("ci", chapters=["01"], root=book, progress=False)
    results = runner.run("ci", chapters=["01"], root=book, resume=True, progress=False)
    assert results[0].status == "skipped"


def test_bad_arguments(book):
    with pytest.raises(ValueError, match="unknown backend"):
        runner.run("ci", root=book, backend="theano")
    with pytest.raises(ValueError, match="timeout must be"):
        runner.run("ci", root=book, timeout=-1)


def test_dead_kernel_is_reported(book):
    _notebook(book / "chapters" / "04_dies.ipynb", "import os\nos._exit(3)")
    results = runner.run("ci", chapters=["04"], root=book, progress=False, record=False)
    assert results[0].status == "failed"
    assert "04_dies" in results[0].message or "Dead" in results[0].message
    assert "full log: build/executed/ci/04_dies.ipynb" in results[0].message


def test_compare_outputs_masks_timings_and_catches_changes(book):
    first, second = book / "a", book / "b"
    runner.run("ci", chapters=["01"], root=book, output=first, progress=False, record=False)
    runner.run("ci", chapters=["01"], root=book, output=second, progress=False, record=False)
    shutil.copy(ROOT_SANITIZE, book / "tests" / "nbval_sanitize.cfg")
    assert outputs.compare_outputs(first, second, root=book) == []
    nb = nbformat.read(second / "01_good.ipynb", as_version=4)
    nb.cells[-1].outputs[0]["text"] = "done in 3.2s\n"
    nbformat.write(nb, second / "01_good.ipynb")
    diff = outputs.compare_outputs(first, second, root=book)
    assert diff and "01_good.ipynb: code cell" in diff[0]
