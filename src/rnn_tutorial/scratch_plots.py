"""Moved: the curves of the time-step and gated-cell chapters are in :mod:`rnn_tutorial.plots`.

Re-exported here until those chapters import them from :mod:`rnn_tutorial.plots`.
"""

from .plots import plot_gradient_norms, plot_loss_curve, plot_loss_curves  # noqa: F401
