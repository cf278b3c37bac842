"""The GRU in NumPy (Keras's ``reset_after=True`` form): a step and the forward pass."""

from __future__ import annotations

import numpy as np

from .common import _as_array, _inputs, _state, _weights, sigmoid


def _gru_update(x_t, h_prev, kernel, recurrent_kernel, bias, units):
    x_proj = x_t @ kernel + bias[0]
    h_proj = h_prev @ recurrent_kernel + bias[1]
    z = sigmoid(x_proj[:, :units] + h_proj[:, :units])
    r = sigmoid(x_proj[:, units : 2 * units] + h_proj[:, units : 2 * units])
    candidate = np.tanh(x_proj[:, 2 * units :] + r * h_proj[:, 2 * units :])  # reset after the product
    return z * h_prev + (1.0 - z) * candidate


def gru_step(x_t, h_prev, kernel, recurrent_kernel, bias) -> np.ndarray:
    """One GRU step in Keras's default layout (``reset_after=True``, gate blocks ``z, r, h``)::

        z = sigmoid(x_t @ K_z + b_z + h_prev @ R_z + b'_z)        # update gate
        r = sigmoid(x_t @ K_r + b_r + h_prev @ R_r + b'_r)        # reset gate
        n = tanh(x_t @ K_h + b_h + r * (h_prev @ R_h + b'_h))     # candidate
        h_t = z * h_prev + (1 - z) * n

    where ``b = bias[0]`` (input bias) and ``b' = bias[1]`` (recurrent bias).

    Args:
        x_t: ``(batch, features)``; h_prev: ``(batch, units)``.
        kernel: ``(features, 3 * units)``; recurrent_kernel: ``(units, 3 * units)``;
        bias: ``(2, 3 * units)``.

    Returns:
        The new hidden state, ``(batch, units)``.
    """
    x_t = _as_array("x_t", x_t, 2, "(batch, features)")
    kernel, recurrent_kernel, bias, units = _weights("gru", kernel, recurrent_kernel, bias, x_t.shape[1])
    h_prev = _state("h_prev", h_prev, x_t.shape[0], units)
    return _gru_update(x_t, h_prev, kernel, recurrent_kernel, bias, units)


def gru_forward(x, kernel, recurrent_kernel, bias, initial_state=None) -> tuple[np.ndarray, np.ndarray]:
    """Run a GRU over whole sequences, like ``keras.layers.GRU`` (``reset_after=True``).

    Args:
        x: inputs, shape ``(batch, time, features)``.
        kernel: ``(features, 3 * units)``; recurrent_kernel: ``(units, 3 * units)``;
            bias: ``(2, 3 * units)``.
        initial_state: ``h_0``, shape ``(batch, units)``; default zeros.

    Returns:
        ``(outputs, final_state)``: ``(batch, time, units)`` and ``(batch, units)``.
    """
    x = _inputs(x)
    kernel, recurrent_kernel, bias, units = _weights("gru", kernel, recurrent_kernel, bias, x.shape[2])
    h = _state("initial_state", initial_state, x.shape[0], units)
    outputs = np.empty((x.shape[0], x.shape[1], units))
    for t in range(x.shape[1]):
        h = _gru_update(x[:, t], h, kernel, recurrent_kernel, bias, units)
        outputs[:, t] = h
    return outputs, h
