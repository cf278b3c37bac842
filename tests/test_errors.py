"""rnn_tutorial.errors: one home for the exception classes, the same classes everywhere."""

from rnn_tutorial import contrast, data, errors, results, safety
from rnn_tutorial.book import bands, runner


def test_modules_raise_the_classes_of_the_errors_module():
    assert data.DataIntegrityError is errors.DataIntegrityError
    assert contrast.ContrastFormatError is errors.ContrastFormatError
    assert safety.UnsafeFileError is errors.UnsafeFileError
    assert runner.RunInterrupted is errors.RunInterrupted
    assert bands.BandError is errors.BandError
    assert results.ResultsWarning is errors.ResultsWarning


def test_kinds():
    assert issubclass(errors.DataIntegrityError, RuntimeError)
    assert issubclass(errors.UnsafeFileError, ValueError) and issubclass(errors.BandError, ValueError)
    assert issubclass(errors.RunInterrupted, KeyboardInterrupt)
    interrupted = errors.RunInterrupted("summary", "06_training", [])
    assert str(interrupted) == "summary" and interrupted.chapter == "06_training" and interrupted.results == []
