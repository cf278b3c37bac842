"""The simple RNN in NumPy: a step, the forward pass, BPTT and the state Jacobians."""

from __future__ import annotations

from typing import Optional

import numpy as np

from ..validation import check_int
from .common import _as_array, _check_shape, _inputs, _state, _weights


def simple_rnn_step(x_t, h_prev, kernel, recurrent_kernel, bias) -> np.ndarray:
    """One step of a simple (Elman) RNN: ``tanh(x_t @ kernel + h_prev @ recurrent_kernel + bias)``.

    Args:
        x_t: the inputs at one time step, shape ``(batch, features)``.
        h_prev: the previous hidden state, shape ``(batch, units)``.
        kernel: ``(features, units)``; recurrent_kernel: ``(units, units)``; bias: ``(units,)``.

    Returns:
        The new hidden state, shape ``(batch, units)``.
    """
    x_t = _as_array("x_t", x_t, 2, "(batch, features)")
    kernel, recurrent_kernel, bias, units = _weights("simple_rnn", kernel, recurrent_kernel, bias, x_t.shape[1])
    h_prev = _state("h_prev", h_prev, x_t.shape[0], units)
    return np.tanh(x_t @ kernel + h_prev @ recurrent_kernel + bias)


def simple_rnn_forward(x, kernel, recurrent_kernel, bias, initial_state=None) -> tuple[np.ndarray, np.ndarray]:
    """Run a simple RNN over whole sequences, like ``keras.layers.SimpleRNN``.

    Args:
        x: inputs, shape ``(batch, time, features)``.
        kernel: ``(features, units)``; recurrent_kernel: ``(units, units)``; bias: ``(units,)``.
        initial_state: ``h_0``, shape ``(batch, units)``; default zeros.

    Returns:
        ``(outputs, final_state)``: every hidden state, ``(batch, time, units)`` (what
        Keras returns with ``return_sequences=True``), and the last one, ``(batch, units)``.
    """
    x = _inputs(x)
    kernel, recurrent_kernel, bias, units = _weights("simple_rnn", kernel, recurrent_kernel, bias, x.shape[2])
    h = _state("initial_state", initial_state, x.shape[0], units)
    outputs = np.empty((x.shape[0], x.shape[1], units))
    for t in range(x.shape[1]):
        h = np.tanh(x[:, t] @ kernel + h @ recurrent_kernel + bias)
        outputs[:, t] = h
    return outputs, h


def simple_rnn_bptt(
    x, kernel, recurrent_kernel, bias, d_outputs, initial_state=None, truncate: Optional[int] = None
) -> dict[str, np.ndarray]:
    """Backpropagation through time for :func:`simple_rnn_forward`.

    With ``a_t = x_t @ kernel + h_{t-1} @ recurrent_kernel + bias`` and ``h_t = tanh(a_t)``,
    the gradient reaching ``h_t`` has two terms: the loss's own ``d_outputs[:, t]`` and
    the one coming back from step ``t + 1`` through ``h_t``'s use in ``a_{t+1}``::

        dh_t = d_outputs[:, t] + da_{t+1} @ recurrent_kernel.T      # the recurrence term
        da_t = dh_t * (1 - h_t**2)

    Args:
        x: inputs, shape ``(batch, time, features)``.
        kernel, recurrent_kernel, bias: the weights, as in :func:`simple_rnn_forward`.
        d_outputs: the gradient of the loss with respect to every output ``h_t``,
            shape ``(batch, time, units)``; zeros except the last step for a
            many-to-one model.
        initial_state: ``h_0``, shape ``(batch, units)``; default zeros.
        truncate: ``None`` (default) for exact BPTT. A positive integer ``k`` lets the
            gradient of each output flow back through at most ``k`` steps (truncated
            BPTT); ``truncate=1`` drops the recurrence term altogether, the mistake
            chapter 2 warns about, and is only exact for ``time == 1``.

    Returns:
        A dict of gradients: ``kernel``, ``recurrent_kernel``, ``bias`` (shaped like
        the weights), ``inputs`` ``(batch, time, features)`` and ``initial_state``
        ``(batch, units)``.
    """
    x = _inputs(x)
    kernel, recurrent_kernel, bias, units = _weights("simple_rnn", kernel, recurrent_kernel, bias, x.shape[2])
    batch, time, _ = x.shape
    h0 = _state("initial_state", initial_state, batch, units)
    d_outputs = _as_array("d_outputs", d_outputs, 3, "(batch, time, units)")
    _check_shape("d_outputs", d_outputs, (batch, time, units), "(batch, time, units)")
    if truncate is not None:
        truncate = check_int("truncate", truncate, min=1, hint="None for exact BPTT")

    outputs, _ = simple_rnn_forward(x, kernel, recurrent_kernel, bias, h0)
    previous = np.concatenate([h0[:, None], outputs[:, :-1]], axis=1)  # h_{t-1} for every t
    grads = {
        "kernel": np.zeros_like(kernel),
        "recurrent_kernel": np.zeros_like(recurrent_kernel),
        "bias": np.zeros_like(bias),
        "inputs": np.zeros_like(x),
        "initial_state": np.zeros_like(h0),
    }

    def backward_step(t: int, dh: np.ndarray) -> np.ndarray:
        """Accumulate step t's contributions; return the gradient sent to h_{t-1}."""
        da = dh * (1.0 - outputs[:, t] ** 2)  # tanh'(a_t) = 1 - h_t^2
        grads["kernel"] += x[:, t].T @ da
        grads["recurrent_kernel"] += previous[:, t].T @ da
        grads["bias"] += da.sum(axis=0)
        grads["inputs"][:, t] += da @ kernel.T
        dh_prev = da @ recurrent_kernel.T
        if t == 0:
            grads["initial_state"] += dh_prev
        return dh_prev

    if truncate is None:
        dh_next = np.zeros((batch, units))  # gradient arriving at h_t from step t + 1
        for t in reversed(range(time)):
            dh_next = backward_step(t, d_outputs[:, t] + dh_next)
    else:
        for s in range(time):  # each output's gradient travels back at most `truncate` steps
            dh = d_outputs[:, s]
            for t in range(s, max(s - truncate, -1), -1):
                dh = backward_step(t, dh)
    return grads


def simple_rnn_state_jacobians(x, kernel, recurrent_kernel, bias, initial_state=None) -> np.ndarray:
    """The Jacobians ``dh_t / dh_{t-1} = diag(1 - h_t**2) @ recurrent_kernel.T`` of every step.

    In textbook notation this is ``diag(tanh'(a_t)) W_h``; BPTT multiplies gradients by
    its transpose, ``W_h.T diag(tanh'(a_t))``, once per step.

    Args:
        x, kernel, recurrent_kernel, bias, initial_state: as in :func:`simple_rnn_forward`.

    Returns:
        Shape ``(batch, time, units, units)``; entry ``[b, t, i, j]`` is
        ``d h_t[i] / d h_{t-1}[j]`` for sequence ``b`` (``t`` counted from 0).
    """
    outputs, _ = simple_rnn_forward(x, kernel, recurrent_kernel, bias, initial_state)
    recurrent_kernel = np.asarray(recurrent_kernel, dtype=np.float64)
    return (1.0 - outputs**2)[..., :, None] * recurrent_kernel.T[None, None]
