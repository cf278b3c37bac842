"""Figures of the time-step and gated-cell chapters: gradient norms and loss curves.

Each function draws one figure and returns it; the chapter calls ``plt.show()``.
"""

from __future__ import annotations

from typing import Mapping, Optional, Sequence

import numpy as np


def _series(name: str, values) -> np.ndarray:
    array = np.asarray(values, dtype=np.float64)
    if array.ndim != 1 or array.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D sequence of numbers, got shape {array.shape}")
    return array


def plot_gradient_norms(curves: Mapping[str, Sequence[float]], title: str = "", ax=None,
                        ylabel: str = r"$\|\partial h_T / \partial h_t\|_2$"):
    """Plot ``||dh_T / dh_t||`` against the distance ``T - t`` on a log scale.

    Args:
        curves: ``{label: norms}``, where ``norms[k]`` is the norm at distance ``k``
            (as returned, per sequence, by
            :func:`rnn_tutorial.scratch.backward_gradient_norms`).
        title: the axes title (default none).
        ax: a Matplotlib axes to draw on (default: a new figure).
        ylabel: the y-axis label (default: the norm of ``d h_T / d h_t``).

    Returns:
        The Matplotlib figure.
    """
    import matplotlib.pyplot as plt

    if not isinstance(ylabel, str):
        raise TypeError(f"ylabel must be a string, got {type(ylabel).__name__} {ylabel!r}")
    if not isinstance(curves, Mapping) or not curves:
        raise TypeError(f"curves must be a non-empty mapping label -> norms, got {type(curves).__name__}")
    if ax is None:
        fig, ax = plt.subplots(figsize=(7, 4.2))
    else:
        fig = ax.figure
    styles = ["-", "--", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1))]
    for k, (label, norms) in enumerate(curves.items()):
        norms = _series(f"curves[{label!r}]", norms)
        ax.semilogy(np.arange(norms.size), np.maximum(norms, 1e-300), linestyle=styles[k % len(styles)], label=label)
    ax.axhline(1.0, color="0.6", linewidth=0.8)
    ax.set_xlabel("distance T - t (steps)")
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.legend(fontsize="small")
    ax.grid(True, which="major", alpha=0.3)
    fig.tight_layout()
    return fig


def plot_loss_curve(
    train: Sequence[float],
    validation: Optional[Sequence[float]] = None,
    validation_steps: Optional[Sequence[int]] = None,
    baseline: Optional[float] = None,
    title: str = "",
    ax=None,
):
    """Plot a training loss per step, optionally with validation points and a baseline.

    Args:
        train: the training loss at each step (mini-batch losses).
        validation: validation losses, measured at ``validation_steps``.
        validation_steps: the steps (1-based) of the validation losses.
        baseline: a horizontal reference line, e.g. the loss of always predicting the mean.
        title: the axes title.
        ax: a Matplotlib axes to draw on (default: a new figure).

    Returns:
        The Matplotlib figure.
    """
    import matplotlib.pyplot as plt

    train = _series("train", train)
    if ax is None:
        fig, ax = plt.subplots(figsize=(7, 4.2))
    else:
        fig = ax.figure
    steps = np.arange(1, train.size + 1)
    ax.semilogy(steps, train, color="C0", alpha=0.35, linewidth=0.8, label="training (mini-batch)")
    window = min(50, train.size)
    smooth = np.convolve(train, np.ones(window) / window, mode="valid")
    ax.semilogy(steps[window - 1 :], smooth, color="C0", label=f"training ({window}-step mean)")
    if validation is not None:
        validation = _series("validation", validation)
        if validation_steps is None or len(validation_steps) != validation.size:
            got = None if validation_steps is None else len(validation_steps)
            raise ValueError(f"validation_steps must give one step per validation loss: expected {validation.size} steps, got {got}")
        ax.semilogy(validation_steps, validation, "o-", color="C1", label="validation")
    if baseline is not None:
        ax.axhline(baseline, color="0.5", linestyle="--", linewidth=1, label="predict the mean")
    ax.set_xlabel("training step")
    ax.set_ylabel("mean squared error")
    if title:
        ax.set_title(title)
    ax.legend(fontsize="small")
    ax.grid(True, which="major", alpha=0.3)
    fig.tight_layout()
    return fig


def plot_loss_curves(curves: Mapping[str, Sequence[float]], baseline: Optional[float] = None, title: str = "", ax=None):
    """Plot several training-loss curves (one value per step) on a log scale.

    A run that stopped early (for example because its loss overflowed) is simply shorter.

    Args:
        curves: ``{label: losses}``.
        baseline: a horizontal reference line, e.g. the loss of always predicting the mean.
        title: the axes title.
        ax: a Matplotlib axes to draw on (default: a new figure).

    Returns:
        The Matplotlib figure.
    """
    import matplotlib.pyplot as plt

    if not isinstance(curves, Mapping) or not curves:
        raise TypeError(f"curves must be a non-empty mapping label -> losses, got {type(curves).__name__}")
    if ax is None:
        fig, ax = plt.subplots(figsize=(7, 4.2))
    else:
        fig = ax.figure
    for label, losses in curves.items():
        losses = _series(f"curves[{label!r}]", losses)
        ax.semilogy(np.arange(1, losses.size + 1), losses, label=label)
    if baseline is not None:
        ax.axhline(baseline, color="0.5", linestyle="--", linewidth=1, label="predict the mean")
    ax.set_xlabel("training step")
    ax.set_ylabel("mean squared error")
    if title:
        ax.set_title(title)
    ax.legend(fontsize="small")
    ax.grid(True, which="major", alpha=0.3)
    fig.tight_layout()
    return fig
