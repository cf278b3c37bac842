"""rnn_tutorial.book.folders: output folders are never the sources; one run per folder."""

import pytest

from rnn_tutorial.book.folders import LOCK_NAME, check_output_folder, output_lock
from rnn_tutorial.errors import OutputLockedError


def _book(tmp_path):
    (tmp_path / "chapters").mkdir()
    return tmp_path


@pytest.mark.parametrize("where", ["chapters", "chapters/sub", "."])
def test_an_output_over_inside_or_around_the_sources_is_refused(tmp_path, where):
    root = _book(tmp_path)
    with pytest.raises(ValueError, match="chapters"):
        check_output_folder(root / where, "ci", root, given=root / where)


def test_a_fresh_folder_is_created_and_returned(tmp_path):
    root = _book(tmp_path)
    out = check_output_folder(root / "build" / "x", "ci", root)
    assert out.is_dir()


def test_the_lock_refuses_a_second_holder_and_is_removed_after(tmp_path):
    with output_lock(tmp_path) as lock:
        assert lock.name == LOCK_NAME and lock.exists()
        with pytest.raises(OutputLockedError, match="in use by another run"):
            with output_lock(tmp_path):
                pass
    assert not (tmp_path / LOCK_NAME).exists()
