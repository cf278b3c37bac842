"""Figures of the book, drawn with matplotlib so every figure comes from code."""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch


def _box(ax, x, y, text, color, w=0.8, h=0.5):
    ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.05", fc=color, ec="black", lw=1))
    ax.text(x, y, text, ha="center", va="center", fontsize=11)


def _arrow(ax, start, end, color="black", style="-|>", rad=0.0):
    ax.add_patch(
        FancyArrowPatch(start, end, arrowstyle=style, mutation_scale=12, color=color, lw=1.3, connectionstyle=f"arc3,rad={rad}")
    )


def draw_unrolled_rnn(steps: int = 4):
    """Draw an RNN cell rolled up (left) and unrolled over ``steps`` time steps (right).

    Every unrolled copy is the same cell with the same weights ``W_x``, ``W_h``, ``b``:
    the hidden state ``h_t`` flows from one step to the next.

    Args:
        steps: how many time steps to draw, between 2 and 8.

    Returns:
        The matplotlib ``Figure``.
    """
    if isinstance(steps, bool) or not isinstance(steps, int) or not 2 <= steps <= 8:
        raise ValueError(f"steps must be an integer between 2 and 8, got {steps!r}")
    fig, ax = plt.subplots(figsize=(2.2 + 1.7 * steps, 3.6))
    # rolled-up view
    _box(ax, 0, 1, "RNN\ncell", "#cfe2f3", h=0.7)
    _box(ax, 0, -0.4, "$x_t$", "#fce5cd")
    _box(ax, 0, 2.4, "$y_t$", "#d9ead3")
    _arrow(ax, (0, -0.15), (0, 0.65))
    _arrow(ax, (0, 1.35), (0, 2.15))
    _arrow(ax, (0.4, 1.2), (0.4, 0.8), rad=-2.2)
    ax.text(0.95, 1.0, "$h_{t-1}$", fontsize=10, va="center")
    ax.text(1.7, 1.0, "=", fontsize=20, va="center")
    # unrolled view
    x0 = 2.6
    for t in range(steps):
        x = x0 + 1.7 * t
        label = t + 1
        _box(ax, x, 1, f"cell\n$W_x, W_h, b$", "#cfe2f3", w=1.1, h=0.7)
        _box(ax, x, -0.4, f"$x_{label}$", "#fce5cd")
        _box(ax, x, 2.4, f"$y_{label}$", "#d9ead3")
        _arrow(ax, (x, -0.15), (x, 0.65))
        _arrow(ax, (x, 1.35), (x, 2.15))
        if t == 0:
            _arrow(ax, (x - 1.05, 1), (x - 0.55, 1))
            ax.text(x - 1.1, 1.18, "$h_0$", fontsize=10)
        if t < steps - 1:
            _arrow(ax, (x + 0.55, 1), (x + 1.15, 1))
            ax.text(x + 0.62, 1.15, f"$h_{label}$", fontsize=10)
    ax.set_xlim(-0.8, x0 + 1.7 * (steps - 1) + 0.9)
    ax.set_ylim(-0.9, 2.9)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title("One cell, reused at every time step (same weights)")
    fig.tight_layout()
    return fig


def draw_task_shapes():
    """Draw the four task shapes: many-to-one, many-to-many, one-to-many, seq2seq.

    Returns:
        The matplotlib ``Figure``.
    """
    layouts = {
        "many-to-one\n(sentiment)": ([1, 1, 1, 1], [0, 0, 0, 1], False),
        "many-to-many\n(language model)": ([1, 1, 1, 1], [1, 1, 1, 1], False),
        "one-to-many\n(captioning, generation)": ([1, 0, 0, 0], [1, 1, 1, 1], False),
        "sequence-to-sequence\n(translation)": ([1, 1, 1, 0, 0, 0], [0, 0, 0, 1, 1, 1], True),
    }
    fig, axes = plt.subplots(1, 4, figsize=(14, 3.2))
    for ax, (title, (ins, outs, split)) in zip(axes, layouts.items()):
        for t, (has_in, has_out) in enumerate(zip(ins, outs)):
            color = "#cfe2f3" if not (split and t >= len(ins) // 2) else "#ead1dc"
            _box(ax, t, 1, "", color, w=0.6, h=0.5)
            if has_in:
                _box(ax, t, 0, "x", "#fce5cd", w=0.5, h=0.4)
                _arrow(ax, (t, 0.2), (t, 0.75))
            if has_out:
                _box(ax, t, 2, "y", "#d9ead3", w=0.5, h=0.4)
                _arrow(ax, (t, 1.25), (t, 1.8))
            if t < len(ins) - 1:
                _arrow(ax, (t + 0.3, 1), (t + 0.7, 1))
        ax.set_xlim(-0.6, len(ins) - 0.4)
        ax.set_ylim(-0.5, 2.5)
        ax.set_aspect("equal")
        ax.axis("off")
        ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return fig
