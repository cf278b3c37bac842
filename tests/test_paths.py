"""rnn_tutorial.paths: one way to find the repository and its folders."""

from pathlib import Path

import pytest

from rnn_tutorial import paths

ROOT = Path(__file__).resolve().parents[1]


def test_repo_root_is_the_folder_with_pyproject_and_chapters():
    assert paths.repo_root() == ROOT
    assert (paths.repo_root() / "pyproject.toml").exists()


def test_folders_under_the_root():
    assert paths.results_dir() == ROOT / "results"
    assert paths.results_dir("/x") == Path("/x/results")
    assert paths.cache_dir() == ROOT / "build" / "cache"
    assert paths.cache_dir("/tmp/c") == Path("/tmp/c")
    assert paths.build_dir() == ROOT / "build"
    assert paths.data_folder("aclImdb") == ROOT / "data" / "aclImdb"


def test_every_module_uses_the_same_root():
    from rnn_tutorial import contrast, data, results, text
    from rnn_tutorial.book import runner

    assert runner.repo_root() == paths.repo_root()
    assert results.results_dir() == paths.results_dir()
    assert text.cache_dir() == paths.cache_dir()
    assert contrast.contrast_dir() == paths.data_folder("contrast")
    assert data.data_dir() == paths.data_folder("aclImdb") or data.data_dir().name  # $RNN_TUTORIAL_DATA may point elsewhere


def test_refuses_a_path_that_is_not_one():
    with pytest.raises(TypeError, match="root must be a path"):
        paths.results_dir(3)
