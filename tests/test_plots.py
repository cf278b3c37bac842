import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from rnn_tutorial.plots import draw_gru_cell, draw_lstm_cell, draw_task_shapes, draw_unrolled_rnn  # noqa: E402


def _texts(fig):
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def test_lstm_cell_labels():
    fig = draw_lstm_cell()
    try:
        assert isinstance(fig, Figure)
        assert len(fig.axes) == 1
        texts = _texts(fig)
        for label in ["$f_t$", "$i_t$", r"$\tilde c_t$", "$o_t$", "$c_t$", "$h_t$", "$c_{t-1}$", "$h_{t-1}$", "$x_t$"]:
            assert label in texts, label
        joined = " ".join(texts)
        for word in ["forget", "input", "candidate", "output", r"\odot", "$+$", r"\sigma", r"\tanh"]:
            assert word in joined, word
        assert not fig.axes[0].axison
    finally:
        plt.close(fig)


def test_gru_cell_labels():
    fig = draw_gru_cell()
    try:
        assert isinstance(fig, Figure)
        assert len(fig.axes) == 1
        texts = _texts(fig)
        for label in ["$z_t$", "$r_t$", r"$\tilde h_t$", "$h_t$", "$h_{t-1}$", "$x_t$", "$h_{t-1}W_{hh}$", "$1-z_t$"]:
            assert label in texts, label
        joined = " ".join(texts)
        for word in ["update", "reset", "candidate", r"\odot", "$+$", "$1-$"]:
            assert word in joined, word
        assert not fig.axes[0].axison
    finally:
        plt.close(fig)


@pytest.mark.parametrize("steps", [2, 4, 8])
def test_unrolled_rnn_valid_steps(steps):
    fig = draw_unrolled_rnn(steps=steps)
    try:
        assert isinstance(fig, Figure)
        assert len(fig.axes) == 1
        texts = _texts(fig)
        assert f"$x_{steps}$" in texts and f"$y_{steps}$" in texts
        assert f"$x_{steps + 1}$" not in texts
    finally:
        plt.close(fig)


@pytest.mark.parametrize("steps", [1, 9, 0, -3, 2.5, 4.0, True, "4", None])
def test_unrolled_rnn_invalid_steps(steps):
    before = len(plt.get_fignums())
    with pytest.raises(ValueError, match="steps must be"):
        draw_unrolled_rnn(steps=steps)
    assert len(plt.get_fignums()) == before  # rejected before a figure is opened


def test_task_shapes():
    fig = draw_task_shapes()
    try:
        assert isinstance(fig, Figure)
        assert len(fig.axes) == 4
        titles = [ax.get_title() for ax in fig.axes]
        assert any("many-to-one" in t for t in titles)
        assert any("sequence-to-sequence" in t for t in titles)
    finally:
        plt.close(fig)


def test_figures_render():
    for draw in (draw_lstm_cell, draw_gru_cell):
        fig = draw()
        try:
            fig.canvas.draw()  # mathtext labels must parse
            width, height = fig.get_size_inches()
            assert 8 <= width <= 10 and 4 <= height <= 6
        finally:
            plt.close(fig)
