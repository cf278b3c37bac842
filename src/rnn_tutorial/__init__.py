"""rnn_tutorial: the helper package of the executable book on recurrent neural networks.

Modules, in the order the book uses them:

- :mod:`~rnn_tutorial.profiles`: the ``ci``, ``laptop`` and ``full`` execution profiles.
- :mod:`~rnn_tutorial.environment`: ``setup()`` for seeds, determinism, quiet logs.
- :mod:`~rnn_tutorial.data`: the vendored, checksummed IMDB reviews.
- :mod:`~rnn_tutorial.scratch`: NumPy reference RNN, LSTM and GRU cells and BPTT.
- :mod:`~rnn_tutorial.plots`: the book's figures.
- :mod:`~rnn_tutorial.text`, :mod:`~rnn_tutorial.pipeline`: tokenizing, caching, bucketed batches.
- :mod:`~rnn_tutorial.models`, :mod:`~rnn_tutorial.training`: model builders and the training protocol.
- :mod:`~rnn_tutorial.gan`: the recurrent sequence GAN.
- :mod:`~rnn_tutorial.safety`: safe loading of models and arrays.
- :mod:`~rnn_tutorial.results`: recording each chapter's metrics.
- :mod:`~rnn_tutorial.runner`: executing chapters with papermill.
"""

from .environment import quiet_logs as _quiet_logs

_quiet_logs()

from .environment import Run, setup  # noqa: E402
from .profiles import PROFILES, Profile, get_profile, resolve_profile  # noqa: E402
from .results import record_metrics  # noqa: E402

__version__ = "0.1.0"

__all__ = ["PROFILES", "Profile", "Run", "get_profile", "record_metrics", "resolve_profile", "setup", "__version__"]
