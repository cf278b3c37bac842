"""Edges of the chapter runner: flags, unsafe or unwritable outputs, concurrent runs,
Ctrl-C, stale files, resume across backends, ``compare`` and the CLI's error lines.

papermill is replaced by a fake that copies the source notebook to the executed path
and writes metrics where the runner points ``RNN_TUTORIAL_METRICS_FILE``, so these
tests start no kernel and take well under a second each.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import nbformat
import pytest
from chapter_notebooks import write_chapter
from nbformat.v4 import new_code_cell, new_notebook, new_output

from rnn_tutorial.book import cli, outputs, runner
from rnn_tutorial.files import write_json_atomic
from rnn_tutorial.results import METRICS_ENV_VAR

ROOT_SANITIZE = Path(__file__).resolve().parent / "nbval_sanitize.cfg"


def _notebook(path: Path, body: str = "print('hello')") -> None:
    write_chapter(path, body)


@pytest.fixture()
def book(tmp_path, monkeypatch):
    (tmp_path / "chapters").mkdir()
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "tests").mkdir()
    _notebook(tmp_path / "chapters" / "01_good.ipynb")
    _notebook(tmp_path / "chapters" / "02_bad.ipynb")
    monkeypatch.setattr(runner, "repo_root", lambda: tmp_path)
    monkeypatch.delenv("KERAS_BACKEND", raising=False)
    monkeypatch.delenv(METRICS_ENV_VAR, raising=False)
    return tmp_path


class FakePapermill:
    """Stands for ``papermill.execute_notebook``; ``behaviour[chapter]`` overrides a chapter."""

    def __init__(self):
        self.calls: list[str] = []
        self.behaviour: dict = {}

    def __call__(self, source, executed, parameters=None, **kwargs):
        chapter = Path(source).stem
        self.calls.append(chapter)
        action = self.behaviour.get(chapter)
        if action is not None:
            return action(source, executed)
        shutil.copy(source, executed)
        write_json_atomic(os.environ[METRICS_ENV_VAR], {"metrics": {"answer": 42.0}, "backend": None})


@pytest.fixture()
def fake(monkeypatch):
    import papermill

    fake = FakePapermill()
    monkeypatch.setattr(papermill, "execute_notebook", fake)
    return fake


def _sources(book: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (book / "chapters").iterdir()}


# --------------------------------------------------------------------------- 1. --no-record


def test_no_record_flag_writes_no_results(book, fake):
    assert cli.main(["run", "--profile", "ci", "--chapters", "01", "--no-progress", "--no-record"]) == 0
    assert fake.calls == ["01_good"]
    assert not (book / "results").exists(), "--no-record still wrote results/"
    runner.run("ci", chapters=["01"], root=book, progress=False, record=False)
    assert not (book / "results").exists()
    runner.run("ci", chapters=["01"], root=book, progress=False)  # recording stays the default
    assert json.loads((book / "results" / "ci" / "01_good.json").read_text())["metrics"] == {"answer": 42.0}


# --------------------------------------------------------------------------- 2. outputs over the sources


@pytest.mark.parametrize("where", ["chapters", "chapters/sub", "repository root", "symlink to chapters", "relative chapters"])
def test_output_over_the_sources_is_refused(book, fake, capsys, monkeypatch, where):
    before = _sources(book)
    if where == "chapters":
        output = book / "chapters"
    elif where == "chapters/sub":
        output = book / "chapters" / "sub"
    elif where == "repository root":
        output = book
    elif where == "symlink to chapters":
        output = book / "elsewhere"
        output.symlink_to(book / "chapters", target_is_directory=True)
    else:
        monkeypatch.chdir(book)
        output = Path("build/../chapters")
    with pytest.raises(ValueError, match=r"chapters folder .*overwrite the source notebooks.*build/executed/ci"):
        runner.run("ci", root=book, output=output, progress=False, record=False)
    assert cli.main(["run", "--profile", "ci", "--output", str(output), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert str(output) in err and "--promote" in err and "Traceback" not in err
    assert fake.calls == [] and _sources(book) == before
    assert not (book / "chapters" / "sub").exists()


def test_promote_still_writes_into_chapters(book, fake):
    runner.run("ci", chapters=["01"], root=book, promote_outputs=True, progress=False)
    nb = nbformat.read(book / "chapters" / "01_good.ipynb", as_version=4)
    assert nb.metadata["rnn_tutorial"]["profile"] == "ci"


# --------------------------------------------------------------------------- 3. concurrent runs


def test_a_second_run_into_the_same_folder_is_refused_and_the_record_holds_one_runs_metrics(book, fake, capsys):
    """A second run starts while the first executes chapter 01 into the same folder."""
    out = book / "build" / "executed" / "ci"
    seen = {}

    def first_run(source, executed):
        shutil.copy(source, executed)
        scratch = Path(os.environ[METRICS_ENV_VAR])
        write_json_atomic(scratch, {"metrics": {"first_start": 1.0}})
        fake.behaviour["01_good"] = second_run  # the second run's kernel, if it ever starts
        try:
            runner.run("ci", chapters=["01"], root=book, progress=False)
        except Exception as err:  # noqa: BLE001 - the refusal is checked below
            seen["error"] = err
        seen["code"] = cli.main(["run", "--profile", "ci", "--chapters", "01", "--no-progress"])
        existing = json.loads(scratch.read_text()) if scratch.exists() else {"metrics": {}}
        write_json_atomic(scratch, {"metrics": {**existing["metrics"], "first_end": 1.0}})

    def second_run(source, executed):
        shutil.copy(source, executed)
        write_json_atomic(os.environ[METRICS_ENV_VAR], {"metrics": {"second": 2.0}})

    fake.behaviour["01_good"] = first_run
    results = runner.run("ci", chapters=["01"], root=book, progress=False)
    assert [r.status for r in results] == ["ok"]
    err = seen.get("error")
    assert err is not None, "a second run into the same output folder was not refused"
    message = str(err)
    assert str(out / ".rnn-tutorial-run.lock") in message and f"pid {os.getpid()}" in message
    assert "--output" in message
    assert seen["code"] == 2
    assert fake.calls == ["01_good"], "the second run executed the chapter"
    record = json.loads((out / "01_good.record.json").read_text())
    assert record["metrics"] == {"first_start": 1.0, "first_end": 1.0}
    assert json.loads((book / "results" / "ci" / "01_good.json").read_text())["metrics"] == record["metrics"]
    # the lock is released when the run ends: a next run goes ahead
    fake.behaviour.clear()
    assert runner.run("ci", chapters=["01"], root=book, progress=False)[0].status == "ok"


def test_each_run_writes_its_metrics_to_its_own_scratch_file(book, fake):
    paths = []

    def remember(source, executed):
        shutil.copy(source, executed)
        paths.append(Path(os.environ[METRICS_ENV_VAR]))
        write_json_atomic(paths[-1], {"metrics": {"answer": float(len(paths))}})

    fake.behaviour["01_good"] = remember
    runner.run("ci", chapters=["01"], root=book, progress=False, record=False)
    runner.run("ci", chapters=["01"], root=book, progress=False, record=False)
    assert len(set(paths)) == 2, "two runs shared one scratch file"
    assert all(str(os.getpid()) in p.name for p in paths)
    assert not any(p.exists() for p in paths), "scratch files were left behind"
    record = json.loads((book / "build" / "executed" / "ci" / "01_good.record.json").read_text())
    assert record["metrics"] == {"answer": 2.0}


def test_runs_into_different_folders_do_not_block_each_other(book, fake):
    def nested(source, executed):
        shutil.copy(source, executed)
        fake.behaviour.clear()
        inner = runner.run("ci", chapters=["01"], root=book, output=book / "other", progress=False, record=False)
        assert inner[0].status == "ok"

    fake.behaviour["01_good"] = nested
    assert runner.run("ci", chapters=["01"], root=book, progress=False, record=False)[0].status == "ok"
    assert (book / "other" / "01_good.record.json").exists()


# --------------------------------------------------------------------------- 4. edges


def test_ctrl_c_ends_in_a_one_line_summary_and_exit_code_130(book, fake, capsys):
    def interrupted(source, executed):
        Path(executed).write_text('{"cells": [')
        raise KeyboardInterrupt

    fake.behaviour["02_bad"] = interrupted
    code = cli.main(["run", "--profile", "ci", "--no-progress"])
    err = capsys.readouterr().err
    assert code == 130
    assert "Traceback" not in err
    summary = [line for line in err.splitlines() if "interrupted" in line]
    assert len(summary) == 1, err
    assert "02_bad" in summary[0] and "01_good" in summary[0] and "--resume" in summary[0]
    out = book / "build" / "executed" / "ci"
    assert (out / "01_good.record.json").exists() and not (out / "02_bad.record.json").exists()
    # the lock was released: the next run resumes
    fake.behaviour.clear()
    results = runner.run("ci", root=book, resume=True, progress=False, record=False)
    assert [r.status for r in results] == ["skipped", "ok"]


@pytest.mark.parametrize("kind", ["file in its place", "file as a parent", "read-only folder"])
def test_unwritable_output_fails_before_any_chapter_runs(book, fake, capsys, kind):
    if kind == "file in its place":
        output = book / "out"
        output.write_text("not a folder")
    elif kind == "file as a parent":
        (book / "blocker").write_text("not a folder")
        output = book / "blocker" / "out"
    else:
        if os.geteuid() == 0:
            pytest.skip("root writes into read-only folders")
        output = book / "readonly"
        output.mkdir()
        output.chmod(0o500)
    with pytest.raises(ValueError, match=r"output folder .* cannot be written"):
        runner.run("ci", root=book, output=output, progress=False, record=False)
    assert fake.calls == []
    assert cli.main(["run", "--profile", "ci", "--output", str(output), "--no-progress"]) == 2
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and str(output) in lines[0] and "build/executed/ci" in lines[0], err
    assert fake.calls == []


def test_chapters_flag_without_a_value_is_an_error(book, fake, capsys):
    assert cli.main(["run", "--profile", "ci", "--chapters", "--no-progress"]) == 2
    assert "--chapters needs at least one chapter, e.g. --chapters 01 02" in capsys.readouterr().err
    assert fake.calls == []
    with pytest.raises(ValueError, match=r"at least one chapter"):
        runner.run("ci", chapters=[], root=book, progress=False)
    with pytest.raises(TypeError, match=r"chapters must be a list of chapter selectors.*got str '01'"):
        runner.select_chapters("01", book)
    assert fake.calls == []


def test_a_failure_message_never_cites_a_previous_run(book, fake):
    out = book / "build" / "executed" / "ci"
    out.mkdir(parents=True)
    stale = new_notebook()
    old = new_code_cell("raise OldError('from yesterday')")
    old.id = "stale"
    old.outputs = [new_output("error", ename="OldError", evalue="from yesterday", traceback=[])]
    stale.cells = [old]
    nbformat.write(stale, out / "02_bad.ipynb")
    (out / "02_bad.record.json").write_text(json.dumps({"chapter": "02_bad", "profile": "ci", "metrics": {}}))

    def kernel_never_starts(source, executed):
        raise RuntimeError("No such kernel named python3")

    fake.behaviour["02_bad"] = kernel_never_starts
    result = runner.run("ci", chapters=["02"], root=book, progress=False, record=False)[0]
    assert result.status == "failed"
    assert "No such kernel named python3" in result.message
    assert "stale" not in result.message and "OldError" not in result.message and "code cell" not in result.message
    assert "no executed notebook was written" in result.message
    assert not (out / "02_bad.ipynb").exists() and not (out / "02_bad.record.json").exists()


def test_resume_reruns_a_chapter_made_with_another_backend_or_profile(book, fake):
    runner.run("ci", chapters=["01"], root=book, backend="tensorflow", progress=False, record=False)
    assert fake.calls == ["01_good"]
    skipped = runner.run("ci", chapters=["01"], root=book, backend="tensorflow", resume=True, progress=False, record=False)
    assert skipped[0].status == "skipped" and fake.calls == ["01_good"]
    again = runner.run("ci", chapters=["01"], root=book, backend="jax", resume=True, progress=False)
    assert again[0].status == "ok" and fake.calls == ["01_good", "01_good"]
    assert json.loads((book / "results" / "ci" / "01_good.json").read_text())["backend"] == "jax"
    # a record of another profile in a shared --output folder is not resumed either
    shared = book / "shared"
    runner.run("laptop", chapters=["01"], root=book, output=shared, backend="jax", progress=False, record=False)
    rerun = runner.run("ci", chapters=["01"], root=book, output=shared, backend="jax", resume=True, progress=False, record=False)
    assert rerun[0].status == "ok" and len(fake.calls) == 4
    # an unreadable record is not trusted
    (shared / "01_good.record.json").write_text("{torn")
    rerun = runner.run("ci", chapters=["01"], root=book, output=shared, backend="jax", resume=True, progress=False, record=False)
    assert rerun[0].status == "ok" and len(fake.calls) == 5


def test_compare_reports_notebooks_found_only_in_the_second_folder(book, fake):
    first, second = book / "a", book / "b"
    runner.run("ci", chapters=["01"], root=book, output=first, progress=False, record=False)
    runner.run("ci", root=book, output=second, progress=False, record=False)
    shutil.copy(ROOT_SANITIZE, book / "tests" / "nbval_sanitize.cfg")
    assert outputs.compare_outputs(first, second, root=book) == [f"02_bad.ipynb: missing in {first}"]
    assert outputs.compare_outputs(second, first, root=book) == [f"02_bad.ipynb: missing in {first}"]


def test_compare_names_a_notebook_that_is_not_valid_json(book, fake, capsys):
    first, second = book / "a", book / "b"
    runner.run("ci", chapters=["01"], root=book, output=first, progress=False, record=False)
    second.mkdir()
    (second / "01_good.ipynb").write_text('{"cells": [')
    with pytest.raises(ValueError, match=r"01_good\.ipynb is not a valid notebook"):
        outputs.compare_outputs(first, second, root=book)
    capsys.readouterr()
    assert cli.main(["compare", str(first), str(second)]) == 2
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and str(second / "01_good.ipynb") in lines[0] and "Traceback" not in err


def test_cli_reports_the_packages_errors_in_one_line(book, fake, capsys):
    missing = book / "nowhere"
    with pytest.raises(FileNotFoundError, match=r"nowhere does not exist"):
        outputs.compare_outputs(missing, book, root=book)
    cases = [
        ["compare", str(missing), str(book)],
        ["run", "--profile", "ci", "--chapters", "99"],
        ["run", "--profile", "nope"],
    ]
    for argv in cases:
        assert cli.main(argv) == 2, argv
        err = capsys.readouterr().err
        lines = [line for line in err.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("rnn-tutorial: error: "), (argv, err)
    assert fake.calls == []


# --------------------------------------------------------------------------- hostile scratch and records


@pytest.mark.parametrize("scratch", ["[1, 2]", '{"metrics": [1]}', "[" * 100000, '{"metrics": {"x": 1'])
def test_a_hostile_metrics_scratch_file_loses_the_metrics_not_the_run(book, fake, scratch):
    def kernel(source, executed):  # a kernel that leaves a scratch file record_metrics never writes
        shutil.copy(source, executed)
        Path(os.environ[METRICS_ENV_VAR]).write_text(scratch, encoding="utf-8")

    fake.behaviour["01_good"] = kernel
    (result,) = runner.run("ci", chapters=["01"], root=book, progress=False)
    assert result.status == "ok"
    assert json.loads((book / "results" / "ci" / "01_good.json").read_text())["metrics"] == {}


def test_resume_reruns_a_chapter_whose_record_is_nested_too_deeply(book, fake, capsys):
    runner.run("ci", chapters=["01"], root=book, progress=False, record=False)
    record = next((book / "build" / "executed" / "ci").glob("01_good.record.json"))
    record.write_text("[" * 100000, encoding="utf-8")
    runner.run("ci", chapters=["01"], root=book, resume=True, progress=False, record=False)
    assert fake.calls == ["01_good", "01_good"]
    assert "its record cannot be read" in capsys.readouterr().err
