"""rnn_tutorial.book.outputs: stored streams independent of chunking; compare masks timings only."""

import nbformat

from rnn_tutorial.book.outputs import compare_outputs, merge_streams


def test_merge_streams_joins_consecutive_chunks_of_one_stream():
    outputs = [{"output_type": "stream", "name": "stdout", "text": "a"},
               {"output_type": "stream", "name": "stdout", "text": "b"},
               {"output_type": "stream", "name": "stderr", "text": "c"},
               {"output_type": "stream", "name": "stdout", "text": "d"}]
    merged = merge_streams(outputs)
    assert [o["text"] for o in merged] == ["ab", "c", "d"]
    assert outputs[0]["text"] == "a"  # the input is not changed


def _write(folder, text):
    folder.mkdir()
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("print()")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text)]
    nb.cells = [cell]
    nbformat.write(nb, folder / "01_x.ipynb")


def test_compare_masks_timings_but_not_accuracies(tmp_path):
    _write(tmp_path / "a", "trained in 3.2 s, accuracy 0.8123\n")
    _write(tmp_path / "b", "trained in 5.9 s, accuracy 0.8123\n")
    _write(tmp_path / "c", "trained in 3.2 s, accuracy 0.8124\n")
    assert compare_outputs(tmp_path / "a", tmp_path / "b") == []
    assert compare_outputs(tmp_path / "a", tmp_path / "c") == ["01_x.ipynb: code cell 1 (id " +
                                                              nbformat.read(tmp_path / "a" / "01_x.ipynb", 4).cells[0].id +
                                                              ") differs"]
