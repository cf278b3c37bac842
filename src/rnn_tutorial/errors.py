"""The package's exception and warning classes (a leaf module: it imports nothing).

Each is re-exported by the module whose functions raise it, so
``rnn_tutorial.data.DataIntegrityError`` and ``rnn_tutorial.errors.DataIntegrityError``
are the same class.
"""


class DataIntegrityError(RuntimeError):
    """A data file is missing, its checksum differs from ``SHA256SUMS``, or a line is malformed.

    The message names the file (and, for a malformed line, the 1-based line number and
    the field) and how to restore the file.
    """


class ContrastFormatError(ValueError):
    """A line of the contrast file is malformed; the message names the file and line."""


class UnsafeFileError(ValueError):
    """A file would need to execute code (a pickle, a lambda) to be loaded."""


class OutputLockedError(RuntimeError):
    """Another run holds the output folder's lock; this run is refused before it starts."""


class RunInterrupted(KeyboardInterrupt):
    """Ctrl-C during a run of chapters; its message is the one-line summary the CLI prints.

    Attributes:
        chapter: the chapter that was executing (``None`` if between chapters).
        results: the result of each chapter that finished before.
    """

    def __init__(self, message: str, chapter, results: list):
        super().__init__(message)
        self.chapter = chapter
        self.results = results


class BandError(ValueError):
    """A reference file or a records folder that cannot be used (the message says why)."""


class ResultsWarning(UserWarning):
    """A results file was left out of what ``load_results`` returns (the message names it and says why)."""
