"""Test configuration.

- Every chapter run by ``pytest --nbval`` uses the ci profile.
- Each chapter's metrics land in ``build/metrics/nbval-<backend>/<chapter>.record.json``
  (never ``results/``), where ``make test`` checks them against the reference bands
  (``python -m rnn_tutorial.book.bands check``).
- The summary ends with the share of each chapter's outputs that nbval compares.
"""

import os
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent
os.environ["RNN_TUTORIAL_PROFILE"] = "ci"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
# Tests must never write recorded results: only the runner sets this.
os.environ.pop("RNN_TUTORIAL_METRICS_FILE", None)
# The chapters use the book's seed under the tests, whatever the shell says.
os.environ.pop("RNN_TUTORIAL_SEED", None)

collect_ignore_glob = ["build/*", "_build/*", ".venv/*", "results/*", "data/*"]


def _metrics_dir() -> Path:
    backend = os.environ.get("KERAS_BACKEND", "tensorflow")
    return ROOT / "build" / "metrics" / f"nbval-{backend}"


def pytest_configure(config):
    if getattr(config.option, "nbval", False) or getattr(config.option, "nbval_lax", False):
        folder = _metrics_dir()
        shutil.rmtree(folder, ignore_errors=True)  # a chapter that did not run leaves no record
        os.environ["RNN_TUTORIAL_METRICS_DIR"] = str(folder)


_NOTEBOOKS: set = set()


def pytest_collection_modifyitems(session, config, items):
    _NOTEBOOKS.update(Path(str(item.fspath)).stem for item in items if str(item.fspath).endswith(".ipynb"))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not getattr(config.option, "nbval", False) or not _NOTEBOOKS:
        return
    from rnn_tutorial.book.nbval_share import share_table

    terminalreporter.write_sep("=", "stored outputs nbval compares, per chapter")
    terminalreporter.write_line(share_table(ROOT / "chapters", only=_NOTEBOOKS))
