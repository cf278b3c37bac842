"""rnn_tutorial.book.nbval_share: the share of stored outputs nbval compares."""

import json

import pytest

from rnn_tutorial.book.nbval_share import chapter_share, share_table


def _notebook(path, cells):
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))


def _code(outputs, tags=()):
    return {"cell_type": "code", "metadata": {"tags": list(tags)}, "source": "",
            "outputs": [{"output_type": "stream", "name": "stdout", "text": "x"}] * outputs}


def test_counts_outputs_of_cells_not_ignored(tmp_path):
    path = tmp_path / "01_demo.ipynb"
    _notebook(path, [_code(2), _code(1, ["nbval-ignore-output"]), _code(3, ["nbval-skip"]),
                     {"cell_type": "markdown", "metadata": {}, "source": "hi"}, _code(0)])
    share = chapter_share(path)
    assert (share.compared, share.total) == (1, 3)  # cells with outputs; the empty one is not counted
    assert share.fraction == pytest.approx(1 / 3)
    assert "01_demo" in share_table(tmp_path) and "33%" in share_table(tmp_path)


def test_refuses_a_file_that_is_not_a_notebook(tmp_path):
    path = tmp_path / "02_bad.ipynb"
    path.write_text("not json")
    with pytest.raises(ValueError, match="02_bad.ipynb is not a readable notebook"):
        chapter_share(path)


def test_every_chapter_compares_over_half_or_says_why():
    from pathlib import Path

    chapters = Path(__file__).resolve().parents[1] / "chapters"
    for path in sorted(chapters.glob("[0-9][0-9]_*.ipynb")):
        share = chapter_share(path)
        if share.fraction > 0.5:
            continue
        text = path.read_text(encoding="utf-8")
        assert "How this chapter is tested" in text, (
            f"{path.name}: nbval compares {share.compared} of {share.total} outputs; compare more, "
            "or say why not in the chapter's note on testing")
