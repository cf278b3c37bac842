"""Test configuration: every chapter run by `pytest --nbval` uses the ci profile."""

import os

os.environ["RNN_TUTORIAL_PROFILE"] = "ci"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
# Tests must never write recorded results: only the runner sets this.
os.environ.pop("RNN_TUTORIAL_METRICS_FILE", None)

collect_ignore_glob = ["build/*", "_build/*", ".venv/*", "results/*", "data/*"]
