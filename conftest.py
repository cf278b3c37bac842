"""Test configuration.

- Every chapter run by ``pytest --nbval`` uses the ci profile.
- Each chapter's metrics land in ``build/metrics/nbval-<backend>/<chapter>.record.json``
  (never ``results/``), where ``make test`` checks them against the reference bands
  (``python -m rnn_tutorial.book.bands check``).
- The summary ends with the share of each chapter's outputs that nbval compares.
- A test marked ``backend_pass("jax")`` (or ``"tensorflow"``) starts a subprocess of that
  backend; it runs only in the pass of ``make test`` under that backend
  (``KERAS_BACKEND``) and is skipped, with the reason, in the other.
- pytest runs in two xdist workers (``-n 2`` in ``pyproject.toml``; ``-n 0`` for one
  process). Each worker, and every kernel it starts, gets its own share of the CPUs
  (:func:`_one_share_of_cpus`); the longest chapters are collected first so that they
  start first.
- Every kernel, nbval's and the runner's, talks over Unix sockets, never TCP ports, so two
  kernels starting at once cannot race for a port (:mod:`rnn_tutorial.book.kernels`).
"""

import os
import shutil
from pathlib import Path

import pytest

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


def _one_share_of_cpus(config) -> None:
    """Pin xdist worker ``k`` of ``n`` (and the kernels it starts) to CPU share ``k/n``.

    See :mod:`rnn_tutorial.book.cpus` for why and for the measurements.
    """
    worker = getattr(config, "workerinput", None)
    if worker is None:
        return
    from rnn_tutorial.book.cpus import use_cpu_share

    count = int(worker.get("workercount", 1))
    index = int(str(worker.get("workerid", "gw0")).lstrip("gw") or 0)
    use_cpu_share(index % count, count)


def _ipc_kernels() -> None:
    """Make nbval start its kernels on Unix sockets (:mod:`rnn_tutorial.book.kernels`).

    nbval has no option for the kernel manager; it looks ``KernelManager`` up in its own
    module each time it starts a kernel, so that name is replaced.
    """
    import nbval.kernel

    from rnn_tutorial.book.kernels import IpcKernelManager

    nbval.kernel.KernelManager = IpcKernelManager


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "backend_pass(name): a subprocess test of backend NAME; runs only when KERAS_BACKEND "
        "is NAME (make test runs it in that backend's pass)",
    )
    _one_share_of_cpus(config)
    _ipc_kernels()
    if getattr(config.option, "nbval", False) or getattr(config.option, "nbval_lax", False):
        folder = _metrics_dir()
        if getattr(config, "workerinput", None) is None:  # once, not once per xdist worker
            shutil.rmtree(folder, ignore_errors=True)  # a chapter that did not run leaves no record
        os.environ["RNN_TUTORIAL_METRICS_DIR"] = str(folder)


# The chapters that train for minutes, longest first: collected before everything else, so
# that under xdist they start first and the short tests fill in around them.
LONG_CHAPTERS = ("08_pretraining", "07_improvements", "06_training")

_NOTEBOOKS: set = set()


def _rank(item) -> int:
    stem = Path(str(item.fspath)).stem
    return LONG_CHAPTERS.index(stem) if stem in LONG_CHAPTERS else len(LONG_CHAPTERS)


# The command of make test that runs each backend's pass.
BACKEND_PASSES = {"tensorflow": "pytest --nbval", "jax": "make test-jax"}


def _skip_other_backend_passes(items) -> None:
    backend = os.environ.get("KERAS_BACKEND", "tensorflow")
    for item in items:
        mark = item.get_closest_marker("backend_pass")
        if mark is not None and mark.args[0] != backend:
            name = mark.args[0]
            item.add_marker(pytest.mark.skip(
                reason=f"starts a {name} subprocess: make test runs it in its {name} pass "
                f"({BACKEND_PASSES.get(name, f'KERAS_BACKEND={name} pytest')})"))


def pytest_collection_modifyitems(session, config, items):
    items.sort(key=_rank)  # stable: each file's cells stay in order
    _skip_other_backend_passes(items)


def pytest_runtest_logreport(report):
    # The chapters that ran, from their reports (under xdist the controller collects nothing).
    path = report.nodeid.split("::", 1)[0]
    if path.endswith(".ipynb"):
        _NOTEBOOKS.add(Path(path).stem)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not getattr(config.option, "nbval", False) or not _NOTEBOOKS:
        return
    from rnn_tutorial.book.nbval_share import share_table

    terminalreporter.write_sep("=", "stored outputs nbval compares, per chapter")
    terminalreporter.write_line(share_table(ROOT / "chapters", only=_NOTEBOOKS))
