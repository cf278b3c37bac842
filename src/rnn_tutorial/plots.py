"""Figures of the book, drawn with matplotlib so every figure comes from code.

Diagrams (unrolled RNN, task shapes, LSTM and GRU cells), gate heat maps, and the
curves of the time-step and gated-cell chapters (gradient norms, loss curves). Each
function draws one figure and returns it; the chapter calls ``plt.show()``.
"""

from __future__ import annotations

from typing import Mapping, Optional, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch


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


def _node(ax, x, y, text, r=0.22, fontsize=12):
    """A round pointwise-operation node (``⊙``, ``+``, ``1 −``) centred at ``(x, y)``."""
    ax.add_patch(Circle((x, y), r, fc="white", ec="black", lw=1.2, zorder=3))
    ax.text(x, y, text, ha="center", va="center", fontsize=fontsize, zorder=4)


def _line(ax, *points, arrow=True):
    """A polyline through ``points``; an arrow head on the last segment when ``arrow``."""
    xs, ys = zip(*points)
    ax.plot(xs, ys, color="black", lw=1.3, solid_capstyle="butt", zorder=1)
    if arrow:
        _arrow(ax, points[-2], points[-1])


def _dot(ax, x, y):
    """A junction dot where one line branches into two."""
    ax.plot([x], [y], "o", color="black", ms=4, zorder=2)


def _cell_frame(ax, x0, y0, x1, y1):
    """The light grey rounded frame around one cell's insides."""
    ax.add_patch(
        FancyBboxPatch((x0, y0), x1 - x0, y1 - y0, boxstyle="round,pad=0.1", fc="#f3f3f3", ec="#999999", lw=1, zorder=0)
    )


_SIGMA = "#fff2cc"  # sigmoid gates
_TANH = "#ead1dc"  # tanh layers


def draw_lstm_cell():
    """Draw one LSTM cell, in the spirit of Colah's "Understanding LSTM Networks".

    The cell state runs straight across the top from ``c_{t-1}`` to ``c_t``: the forget
    gate ``f_t`` multiplies it (``⊙``), then ``i_t ⊙ c̃_t`` is added (``+``). Below, the
    inputs ``h_{t-1}`` and ``x_t`` feed the four layers: ``σ`` (forget ``f_t``), ``σ``
    (input ``i_t``), ``tanh`` (candidate ``c̃_t``) and ``σ`` (output ``o_t``).
    ``tanh(c_t) ⊙ o_t`` is the new hidden state ``h_t``, which leaves on the right
    (below ``c_t``) and upwards as the cell's output.

    Returns:
        The matplotlib ``Figure``.
    """
    fig, ax = plt.subplots(figsize=(9, 5))
    yc, ybus, yg = 5.0, 1.0, 2.3  # cell-state line, input bus, gate row
    xf, xi, xcand, xo, xout = 2.8, 4.2, 5.6, 7.4, 8.9
    _cell_frame(ax, 1.3, 0.5, 10.7, 5.6)

    # cell state: c_{t-1} -> ⊙ f_t -> + i_t ⊙ c̃_t -> c_t
    ax.text(0.75, yc, "$c_{t-1}$", ha="right", va="center", fontsize=12)
    ax.text(11.5, yc, "$c_t$", ha="left", va="center", fontsize=12)
    _line(ax, (0.8, yc), (11.4, yc))
    _node(ax, xf, yc, r"$\odot$")
    _node(ax, xcand, yc, "$+$")

    # inputs: h_{t-1} from the left, x_t from below, joined into one bus
    ax.text(0.75, ybus, "$h_{t-1}$", ha="right", va="center", fontsize=12)
    ax.text(1.9, -0.35, "$x_t$", ha="center", va="center", fontsize=12)
    _line(ax, (0.8, ybus), (xo, ybus), arrow=False)
    _line(ax, (1.9, -0.15), (1.9, ybus), arrow=False)
    _dot(ax, 1.9, ybus)
    for x in (xf, xi, xcand, xo):
        _line(ax, (x, ybus), (x, yg - 0.38))
        if x != xo:
            _dot(ax, x, ybus)

    # the four layers
    _box(ax, xf, yg, "$\\sigma$\nforget", _SIGMA, w=1.1, h=0.75)
    _box(ax, xi, yg, "$\\sigma$\ninput", _SIGMA, w=1.1, h=0.75)
    _box(ax, xcand, yg, "$\\tanh$\ncandidate", _TANH, w=1.3, h=0.75)
    _box(ax, xo, yg, "$\\sigma$\noutput", _SIGMA, w=1.1, h=0.75)

    # forget gate multiplies the cell state
    _line(ax, (xf, yg + 0.42), (xf, yc - 0.22))
    ax.text(xf - 0.1, 3.75, "$f_t$", ha="right", va="center", fontsize=12)
    # input gate times candidate, added to the cell state
    yi = 3.8
    _node(ax, xcand, yi, r"$\odot$")
    _line(ax, (xi, yg + 0.42), (xi, yi), (xcand - 0.22, yi))
    _line(ax, (xcand, yg + 0.42), (xcand, yi - 0.22))
    _line(ax, (xcand, yi + 0.22), (xcand, yc - 0.22))
    ax.text(xi - 0.1, 3.2, "$i_t$", ha="right", va="center", fontsize=12)
    ax.text(xcand + 0.15, 3.2, r"$\tilde c_t$", ha="left", va="center", fontsize=12)

    # output: tanh(c_t) ⊙ o_t = h_t
    _dot(ax, xout, yc)
    _line(ax, (xout, yc), (xout, 4.05))
    _box(ax, xout, 3.8, "$\\tanh$", _TANH, w=0.8, h=0.45)
    _line(ax, (xout, 3.55), (xout, yg + 0.22))
    _node(ax, xout, yg, r"$\odot$")
    _line(ax, (xo + 0.6, yg), (xout - 0.22, yg))
    ax.text((xo + 0.55 + xout - 0.22) / 2, yg + 0.12, "$o_t$", ha="center", va="bottom", fontsize=12)
    # h_t leaves on the right and, as the output, upwards (passing under the cell-state line)
    xup = 10.1
    _line(ax, (xout + 0.22, yg), (11.4, yg))
    ax.text(11.5, yg, "$h_t$", ha="left", va="center", fontsize=12)
    _dot(ax, xup, yg)
    _line(ax, (xup, yg), (xup, yc - 0.15), arrow=False)
    _line(ax, (xup, yc + 0.15), (xup, 6.15))
    ax.text(xup, 6.25, "$h_t$", ha="center", va="bottom", fontsize=12)

    ax.set_xlim(-0.3, 12.3)
    ax.set_ylim(-0.7, 6.8)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title("LSTM cell: $c_t$ carries the memory, the gates multiply", fontsize=12)
    fig.tight_layout()
    return fig


def draw_gru_cell():
    """Draw one GRU cell as Keras builds it by default (``reset_after=True``).

    The hidden state runs straight across the top from ``h_{t-1}`` to ``h_t``:
    ``h_t = z_t ⊙ h_{t-1} + (1 − z_t) ⊙ h̃_t``. Below, ``h_{t-1}`` and ``x_t`` feed the
    update gate ``z_t`` and the reset gate ``r_t``; ``r_t`` multiplies the recurrent
    projection ``h_{t-1} W_hh + b_hh`` before the ``tanh`` that gives the candidate
    ``h̃_t = tanh(x_t W_xh + b_xh + r_t ⊙ (h_{t-1} W_hh + b_hh))``.

    Returns:
        The matplotlib ``Figure``.
    """
    fig, ax = plt.subplots(figsize=(9, 5))
    yh, ybus, yg = 5.2, 1.0, 2.2  # hidden-state line, input bus, gate row
    xz, xr, xhw, xcand = 3.2, 4.8, 7.0, 9.0
    _cell_frame(ax, 1.1, 0.5, 10.8, 5.8)

    # hidden state: h_{t-1} -> ⊙ z_t -> + (1 - z_t) ⊙ h̃_t -> h_t
    ax.text(0.75, yh, "$h_{t-1}$", ha="right", va="center", fontsize=12)
    _line(ax, (0.8, yh), (xz - 0.22, yh))
    _node(ax, xz, yh, r"$\odot$")
    _line(ax, (xz + 0.22, yh), (xcand - 0.22, yh))
    _node(ax, xcand, yh, "$+$")
    _line(ax, (xcand + 0.22, yh), (11.5, yh))
    ax.text(11.6, yh, "$h_t$", ha="left", va="center", fontsize=12)
    _dot(ax, 10.3, yh)
    _line(ax, (10.3, yh), (10.3, 6.25))
    ax.text(10.3, 6.35, "$h_t$", ha="center", va="bottom", fontsize=12)

    # inputs: h_{t-1} branches down to the bus, x_t joins it from below
    xdown, xx = 1.5, 2.2
    _dot(ax, xdown, yh)
    _line(ax, (xdown, yh), (xdown, ybus), (xcand, ybus), arrow=False)
    _line(ax, (xx, -0.15), (xx, ybus), arrow=False)
    ax.text(xx, -0.35, "$x_t$", ha="center", va="center", fontsize=12)
    _dot(ax, xx, ybus)
    for x in (xz, xr, xhw):
        _dot(ax, x, ybus)
    _line(ax, (xz, ybus), (xz, yg - 0.38))
    _line(ax, (xr, ybus), (xr, yg - 0.38))
    _line(ax, (xhw, ybus), (xhw, 1.68))
    _line(ax, (xcand, ybus), (xcand, 2.6))
    ax.text(xcand + 0.1, 1.75, "$x_t W_{xh}$", ha="left", va="center", fontsize=11)

    # gates and the recurrent projection
    _box(ax, xz, yg, "$\\sigma$\nupdate", _SIGMA, w=1.1, h=0.75)
    _box(ax, xr, yg, "$\\sigma$\nreset", _SIGMA, w=1.1, h=0.75)
    _box(ax, xhw, 1.95, "$h_{t-1}W_{hh}$", "#cfe2f3", w=1.3, h=0.45)

    # update gate: z_t ⊙ h_{t-1} on the top line, (1 - z_t) towards the candidate
    y1m = 4.2
    _line(ax, (xz, yg + 0.42), (xz, yh - 0.22))
    ax.text(xz - 0.1, 3.5, "$z_t$", ha="right", va="center", fontsize=12)
    _dot(ax, xz, y1m)
    _line(ax, (xz, y1m), (4.8 - 0.3, y1m))
    _node(ax, 4.8, y1m, r"$1-$", r=0.3, fontsize=10)
    _line(ax, (4.8 + 0.3, y1m), (xcand - 0.22, y1m))
    ax.text(6.9, y1m + 0.1, "$1-z_t$", ha="center", va="bottom", fontsize=12)
    _node(ax, xcand, y1m, r"$\odot$")
    _line(ax, (xcand, y1m + 0.22), (xcand, yh - 0.22))

    # reset gate multiplies the recurrent projection before the tanh
    yr = 3.0
    _line(ax, (xr, yg + 0.42), (xr, yr), (xhw - 0.22, yr))
    ax.text(5.9, yr + 0.1, "$r_t$", ha="center", va="bottom", fontsize=12)
    _node(ax, xhw, yr, r"$\odot$")
    _line(ax, (xhw, 2.2), (xhw, yr - 0.22))
    _line(ax, (xhw + 0.22, yr), (xcand - 0.72, yr))
    _box(ax, xcand, yr, "$\\tanh$\ncandidate", _TANH, w=1.3, h=0.75)
    _line(ax, (xcand, yr + 0.42), (xcand, y1m - 0.22))
    ax.text(xcand + 0.15, 3.7, r"$\tilde h_t$", ha="left", va="center", fontsize=12)

    ax.set_xlim(-0.3, 12.4)
    ax.set_ylim(-0.7, 6.9)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title("GRU cell (Keras, reset_after=True): $z_t$ blends old state and candidate", fontsize=12)
    fig.tight_layout()
    return fig


_GATE_PANELS = (
    ("i", "input gate $i_t$", "viridis", (0.0, 1.0)),
    ("f", "forget gate $f_t$", "viridis", (0.0, 1.0)),
    ("o", "output gate $o_t$", "viridis", (0.0, 1.0)),
    ("c", "$|c_t|$, the cell state's magnitude", "magma", None),
)


def plot_gate_heatmaps(trace, tokens, title: str = ""):
    """Heat maps of one review's LSTM gates and cell state, unit by unit, token by token.

    Four panels share the token axis: the input, forget and output gates (colour scale
    fixed to ``[0, 1]``, so panels compare) and ``|c_t|`` (its own scale). Each panel has
    a colour bar; rows are the LSTM's units, columns the tokens the LSTM read.

    Args:
        trace: the gates of one sequence, as returned by
            :func:`rnn_tutorial.scratch.lstm_trace`: a mapping with ``"i"``, ``"f"``,
            ``"o"`` and ``"c"``, each shaped ``(time, units)`` or ``(1, time, units)``.
        tokens: the ``time`` tokens (strings) the LSTM read, in order.
        title: the figure's title (default none).

    Returns:
        The matplotlib ``Figure``.

    Raises:
        TypeError: if ``trace`` is not a mapping or ``tokens`` is not a sequence of strings.
        ValueError: if a panel is missing or the shapes disagree with ``len(tokens)``.
    """
    import numpy as np
    from collections.abc import Mapping

    if not isinstance(trace, Mapping):
        raise TypeError(f"trace must be a mapping such as scratch.lstm_trace returns, got {type(trace).__name__}")
    if isinstance(tokens, str) or not all(isinstance(t, str) for t in tokens):
        raise TypeError("tokens must be a sequence of strings, one per time step")
    if not isinstance(title, str):
        raise TypeError(f"title must be a string, got {type(title).__name__} {title!r}")
    panels = {}
    for key, *_ in _GATE_PANELS:
        if key not in trace:
            raise ValueError(f"trace has no {key!r} entry; expected the keys i, f, o and c of scratch.lstm_trace")
        value = np.asarray(trace[key], dtype=np.float64)
        if value.ndim == 3 and value.shape[0] == 1:
            value = value[0]
        if value.ndim != 2 or value.shape[0] != len(tokens):
            raise ValueError(
                f"trace[{key!r}] must have shape (time, units) with time = len(tokens) = {len(tokens)}, "
                f"got {np.asarray(trace[key]).shape}"
            )
        panels[key] = np.abs(value) if key == "c" else value
    time, units = panels["i"].shape
    fig, axes = plt.subplots(len(_GATE_PANELS), 1, figsize=(max(8.0, 0.17 * time + 2.5), 10.5), sharex=True)
    for ax, (key, label, cmap, limits) in zip(axes, _GATE_PANELS):
        vmin, vmax = limits if limits else (0.0, float(panels[key].max()) or 1.0)
        image = ax.imshow(panels[key].T, aspect="auto", cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest")
        ax.set_ylabel("unit")
        ax.set_title(label, fontsize=11, loc="left")
        fig.colorbar(image, ax=ax, fraction=0.025, pad=0.01)
    axes[-1].set_xticks(range(time))
    axes[-1].set_xticklabels(tokens, rotation=90, fontsize=8)
    axes[-1].set_xlabel("token read at this step")
    if title:
        fig.suptitle(title, fontsize=12)
    fig.tight_layout()
    return fig


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
