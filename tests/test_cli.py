"""rnn_tutorial.book.cli: exit codes and one-line errors."""

from rnn_tutorial.book import cli


def test_list_prints_the_chapters(capsys):
    assert cli.main(["list"]) == 0
    assert "01_concepts" in capsys.readouterr().out.split()


def test_refused_arguments_exit_2_with_one_line(capsys):
    assert cli.main(["run", "--profile", "nope", "--no-progress"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("rnn-tutorial: error: unknown profile 'nope'") and "\n" not in err


def test_another_seed_must_not_write_the_books_records(capsys):
    assert cli.main(["run", "--profile", "ci", "--seed", "7", "--chapters", "01", "--no-progress"]) == 2
    assert "--no-record" in capsys.readouterr().err


def test_compare_of_missing_folders_exits_2(tmp_path, capsys):
    assert cli.main(["compare", str(tmp_path / "a"), str(tmp_path / "b")]) == 2
    assert "does not exist" in capsys.readouterr().err
