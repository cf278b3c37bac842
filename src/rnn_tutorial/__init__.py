"""rnn_tutorial: the helper package of the executable book on recurrent neural networks.

The modules a chapter uses, and the machinery that runs the book
(:mod:`rnn_tutorial.book`), are described in ``ARCHITECTURE.md`` at the repository root.
A chapter's first cells need only :func:`setup` and :func:`record_metrics`, re-exported here.
"""

from .environment import quiet_logs as _quiet_logs

_quiet_logs()

from .environment import Run, setup  # noqa: E402
from .profiles import PROFILES, Profile, get_profile, resolve_profile  # noqa: E402
from .results import record_metrics  # noqa: E402

__version__ = "0.1.0"

__all__ = ["PROFILES", "Profile", "Run", "get_profile", "record_metrics", "resolve_profile", "setup", "__version__"]
