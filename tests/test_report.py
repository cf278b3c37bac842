"""Tests of rnn_tutorial.book.report: the generated results page, its summary, figure and status page."""

import json
import math
import re

import pytest
from markdown_it import MarkdownIt

from rnn_tutorial.book.report import (HEADLINES, PREFERENCE, accuracy_points, figure_file, plot_accuracy_vs_seconds, render,
                                 render_status, summary_rows, write_results_page)
from rnn_tutorial.results import ResultsWarning


def _record(chapter, profile="laptop", duration_s=10.0, device="CPU", **metrics):
    return {"chapter": chapter, "profile": profile, "backend": "tensorflow", "device": device, "started": "2026-01-01T00:00:00",
            "duration_s": duration_s, "versions": {"keras": "3"}, "metrics": metrics}


RECORDS = [
    _record("06_training", duration_s=490.0, lstm_test_accuracy=0.876, lm_val_perplexity=102.3),
    _record("07_improvements", duration_s=1356.7, best_supervised_test_accuracy=0.885, bigram_baseline_test_accuracy=0.904,
            bigram_baseline_seconds=22.5, gru_test_accuracy=0.876, gru_seconds=117.0, bilstm_test_accuracy=0.874,
            bilstm_train_seconds=233.0),
    _record("09_sequence_gan", gan_score=2.62),
    _record("04_data_preparation"),
    _record("06_training", profile="ci", duration_s=60.0, lstm_test_accuracy=0.70),
    _record("03_gated_cells", profile="ci", lstm_total_grad_norm=3.5),
    _record("11_new_chapter", profile="ci", something=1.5),
]
BENCH = [{"name": "rnn_throughput", "chapter": "bench_rnn_throughput", "profile": "bench", "backend": "tensorflow",
          "device": "CPU", "started": "2026-01-02", "duration_s": 999.0, "metrics": {"tokens_per_s_t25_b1": 1644.2}}]


def _table_rows(page):
    """Every rendered table row as its list of cell texts (parsed the way MyST parses them)."""
    html = MarkdownIt("commonmark").enable("table").render(page)
    return [re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row) for row in re.findall(r"<tr>(.*?)</tr>", html, re.S)]


def test_summary_has_one_row_per_chapter_keyed_by_slug_preferring_laptop():
    rows = {chapter_row["chapter"]: chapter_row for chapter_row in summary_rows(RECORDS)}
    assert list(rows) == ["03_gated_cells", "04_data_preparation", "06_training", "07_improvements", "09_sequence_gan",
                          "11_new_chapter"]
    training = rows["06_training"]
    assert (training["profile"], training["metric"], training["value"]) == ("laptop", "lstm_test_accuracy", 0.876)
    # the training chapter does not record the baseline: its anchor comes from the same profile's improvements record
    assert (training["anchor"], training["anchor_value"], training["anchor_source"]) == (
        "bigram_baseline_test_accuracy", 0.904, "improvements")
    assert rows["07_improvements"]["anchor_value"] == 0.904 and rows["07_improvements"]["anchor_source"] == ""
    gated = rows["03_gated_cells"]                         # only a ci record; its anchor is not recorded
    assert (gated["profile"], gated["value"], gated["anchor"], gated["anchor_value"]) == (
        "ci", 3.5, "lstm_cell_path_grad_norm", None)
    assert rows["04_data_preparation"]["metric"] is None and rows["11_new_chapter"]["metric"] is None
    assert PREFERENCE[0] == "laptop" and not any(re.match(r"^\d", slug) for slug in HEADLINES)


def test_results_page_opens_with_summary_then_figure_then_metrics_then_benchmarks():
    page = render(RECORDS, BENCH)
    headings = [line for line in page.splitlines() if line.startswith("## ")]
    assert headings == ["## Summary", "## Accuracy against training time", "## All recorded metrics", "## Benchmarks"]
    summary = page[page.index("## Summary"):page.index("## Accuracy")]
    rows = _table_rows(summary)
    assert rows[0] == ["chapter", "profile", "headline metric", "value", "compared with", "value", "run time"]
    assert ["06_training", "laptop", "<code>lstm_test_accuracy</code>", "0.8760", "<code>bigram_baseline_test_accuracy</code>",
            "0.9040 (improvements)", "8.2 min"] in rows
    assert ["04_data_preparation", "laptop", "-", "-", "-", "-", "10.0 s"] in rows
    assert ["11_new_chapter", "ci", "-", "-", "-", "-", "10.0 s"] in rows
    assert len(rows) == 1 + 6                               # one row per chapter, not per profile


def test_results_page_includes_a_numbered_figure_with_caption():
    page = render(RECORDS)
    match = re.search(r"```\{figure\} generated/(\S+)\n((?::\S+:.*\n)+)\n(.+)\n```", page)
    assert match and match.group(1) == figure_file("laptop")
    options = dict(re.findall(r":(\w+): (.*)", match.group(2)))
    assert options["name"] == "fig-accuracy-vs-seconds-laptop" and options["alt"]
    assert "bigram baseline" in match.group(3) and "`lstm` (training, 0.8760)" in match.group(3)   # untimed: named
    assert "{numref}`fig-accuracy-vs-seconds-laptop`" in page
    assert figure_file("ci") not in page                     # ci has no timed model and no baseline: no figure


def test_accuracy_points_pair_seconds_and_train_seconds():
    timed, baseline, untimed = accuracy_points(RECORDS, "laptop")
    assert {k: v["seconds"] for k, v in timed.items()} == {"gru": 117.0, "bilstm": 233.0}
    assert baseline["accuracy"] == 0.904 and baseline["seconds"] == 22.5
    assert list(untimed) == ["lstm"]                           # best_supervised is a summary, not a model


def test_accuracy_figure_is_log_x_with_labels_and_a_baseline_line():
    timed, baseline, _ = accuracy_points(RECORDS, "laptop")
    fig = plot_accuracy_vs_seconds(timed, baseline, "laptop")
    ax = fig.axes[0]
    assert ax.get_xscale() == "log" and ax.get_xlabel() and ax.get_ylabel() and "laptop" in ax.get_title()
    assert {t.get_text() for t in ax.texts} == {"gru", "bilstm", "bigram_baseline"}
    assert [line.get_ydata()[0] for line in ax.get_lines()] == [0.904]          # the horizontal baseline
    with pytest.raises(ValueError, match="nothing to plot"):
        plot_accuracy_vs_seconds({}, None, "ci")


def test_benchmarks_have_their_own_section_and_are_not_counted_as_chapters():
    page = render(RECORDS, BENCH)
    assert "tokens_per_s_t25_b1" in page[page.index("## Benchmarks"):]
    assert "tokens_per_s_t25_b1" not in page[:page.index("## Benchmarks")]
    status = render_status(RECORDS, BENCH)
    assert "| laptop | **all recorded chapters** | | **1866.7 s** |" in status          # 490 + 1356.7 + 10 + 10
    assert "| ci | **all recorded chapters** | | **80.0 s** |" in status
    assert "| rnn_throughput | 2026-01-02 | 999.0 s |" in status


@pytest.mark.parametrize("name", ["acc|uracy", "acc\nuracy", "a\\|b", "a`|`b"])
def test_a_pipe_or_line_break_in_a_name_cannot_break_a_table(name):
    records = [_record("06_training", device="CPU | 2 cores\nfast", **{name: 0.5})]
    page = render(records) + render_status(records)
    for row in _table_rows(page):
        assert len(row) in (3, 6, 7), row                      # metric tables 3 cells, status 6, summary 7
    metric_rows = [r for r in _table_rows(render(records)) if r[-1] == "0.5000"]
    assert len(metric_rows) == 1
    shown = re.sub(r"</?code>", "", metric_rows[0][1]).replace("\\`", "`")
    assert shown == name.replace("\n", " ")


@pytest.mark.parametrize("value", [True, "0.9", math.nan, math.inf, None, [0.9], {"a": 1}])
def test_render_refuses_a_metric_that_is_not_a_finite_number(value):
    with pytest.raises(ValueError, match=r"laptop/06_training\): metric 'acc' must be a finite number"):
        render([_record("06_training", acc=value)])


def test_write_results_page_leaves_out_untrusted_files_and_names_them(tmp_path):
    def write(relative, record):
        path = tmp_path / "results" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(record if isinstance(record, str) else json.dumps(record))

    write("laptop/06_training.json", _record("06_training", lstm_test_accuracy=0.876))
    write("laptop/07_improvements.json", RECORDS[1])
    write("laptop/06_training copy.json", _record("06_training", lstm_test_accuracy=0.111))
    write("laptop/notes.json", {"text": "to do"})
    write("laptop/09_sequence_gan.json", _record("09_sequence_gan", profile="full", gan_score=9.9))
    write("laptop/08_pretraining.json", json.dumps(_record("08_pretraining", pretrained_test_accuracy=0.5))
          .replace("0.5", "true"))
    write("bench/rnn_throughput.json", BENCH[0])
    write("laptop/02_time_steps.json", _record("01_time_steps", bptt_grad_rel_error=1e-10))   # renumbered, not re-run
    with pytest.warns(ResultsWarning) as caught:
        write_results_page(tmp_path)
    warned = "\n".join(str(w.message) for w in caught)
    for name in ("06_training copy.json", "notes.json", "09_sequence_gan.json", "08_pretraining.json"):
        assert name in warned
    assert "metric 'pretrained_test_accuracy'" in warned and "02_time_steps.json: its 'chapter' field says" in warned
    page = (tmp_path / "book" / "results.md").read_text()
    assert "0.1110" not in page and "9.9000" not in page and "`pretrained_test_accuracy` | 1 " not in page
    box = page[page.index(":class: warning"):page.index("## Summary")]
    assert "06_training copy.json" in box and "notes.json" in box and "metric 'pretrained_test_accuracy'" in box
    caveat = page[page.index(":class: note"):page.index("## Summary")]
    assert "02_time_steps.json" in caveat and "| 02_time_steps | laptop | `bptt_grad_rel_error` | 1.00e-10 |" in page
    png = tmp_path / "book" / "generated" / figure_file("laptop")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert f"```{{figure}} generated/{figure_file('laptop')}" in page
    assert (tmp_path / "book" / "generated" / "rnn_throughput.md").exists()
    status = (tmp_path / "book" / "status.md").read_text()
    assert "**1376.7 s**" in status                    # 10 + 1356.7 + 10: chapters only, not the benchmark's 999 s


def test_write_results_page_survives_bad_benchmark_records(tmp_path):
    bench = tmp_path / "results" / "bench"
    bench.mkdir(parents=True)
    (bench / "training_throughput.json").write_text('{"metrics": {"bucketed_test_accuracy": 0.8')      # truncated
    (bench / "rnn_throughput.json").write_text(json.dumps({**BENCH[0], "profile": ["bench"]}))
    (bench / "backends.json").write_text(json.dumps({**BENCH[0], "chapter": "bench_backends", "metrics": {"a": 1.0},
                                                     "settings": {"models": ["gru"]}}))
    with pytest.warns(ResultsWarning) as caught:
        write_results_page(tmp_path)
    warned = "\n".join(str(w.message) for w in caught)
    assert "training_throughput.json: not valid JSON" in warned and "rnn_throughput.json: 'profile' must be a string" in warned
    assert "gru_tensorflow_reviews_per_s" in warned                    # backends.json is trusted, but lacks its table's metrics
    page = (tmp_path / "book" / "results.md").read_text()
    box = page[page.index(":class: warning"):page.index("## Benchmarks")]
    assert "training_throughput.json" in box and "rnn_throughput.json" in box
    generated = tmp_path / "book" / "generated"
    for name in ("training_throughput", "rnn_throughput", "backends"):
        assert f"results/bench/{name}.json" in (generated / f"{name}.md").read_text()
