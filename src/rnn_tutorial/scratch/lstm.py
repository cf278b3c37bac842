"""The LSTM in NumPy: a step, the forward pass, a trace of every gate, BPTT and the state Jacobians."""

from __future__ import annotations

import numpy as np

from .common import _as_array, _check_shape, _inputs, _state, _weights, sigmoid


def _lstm_gates(x_t, h_prev, kernel, recurrent_kernel, bias, units):
    z = x_t @ kernel + h_prev @ recurrent_kernel + bias
    i = sigmoid(z[:, :units])
    f = sigmoid(z[:, units : 2 * units])
    g = np.tanh(z[:, 2 * units : 3 * units])
    o = sigmoid(z[:, 3 * units :])
    return i, f, g, o


def lstm_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias) -> tuple[np.ndarray, np.ndarray]:
    """One LSTM step in Keras's layout (gate blocks ``i, f, c, o``)::

        i, f, o = sigmoid(.), g = tanh(.)   of  x_t @ kernel + h_prev @ recurrent_kernel + bias
        c_t = f * c_prev + i * g
        h_t = o * tanh(c_t)

    Args:
        x_t: ``(batch, features)``; h_prev, c_prev: ``(batch, units)``.
        kernel: ``(features, 4 * units)``; recurrent_kernel: ``(units, 4 * units)``;
        bias: ``(4 * units,)``.

    Returns:
        ``(h_t, c_t)``, each ``(batch, units)``.
    """
    x_t = _as_array("x_t", x_t, 2, "(batch, features)")
    kernel, recurrent_kernel, bias, units = _weights("lstm", kernel, recurrent_kernel, bias, x_t.shape[1])
    h_prev = _state("h_prev", h_prev, x_t.shape[0], units)
    c_prev = _state("c_prev", c_prev, x_t.shape[0], units)
    i, f, g, o = _lstm_gates(x_t, h_prev, kernel, recurrent_kernel, bias, units)
    c = f * c_prev + i * g
    return o * np.tanh(c), c


def _lstm_run(x, kernel, recurrent_kernel, bias, h, c, units):
    batch, time, _ = x.shape
    cache = {name: np.empty((batch, time, units)) for name in ("i", "f", "g", "o", "c", "h")}
    for t in range(time):
        i, f, g, o = _lstm_gates(x[:, t], h, kernel, recurrent_kernel, bias, units)
        c = f * c + i * g
        h = o * np.tanh(c)
        for name, value in zip(("i", "f", "g", "o", "c", "h"), (i, f, g, o, c, h)):
            cache[name][:, t] = value
    return cache


def _lstm_inputs(x, kernel, recurrent_kernel, bias, initial_state):
    x = _inputs(x)
    kernel, recurrent_kernel, bias, units = _weights("lstm", kernel, recurrent_kernel, bias, x.shape[2])
    if initial_state is None:
        h0 = c0 = np.zeros((x.shape[0], units))
    else:
        if not isinstance(initial_state, (list, tuple)) or len(initial_state) != 2:
            raise TypeError(
                "initial_state of an LSTM must be a pair [h_0, c_0] of arrays shaped (batch, units), "
                f"got {type(initial_state).__name__} {initial_state!r}"
            )
        h0 = _state("initial_state[0] (h_0)", initial_state[0], x.shape[0], units)
        c0 = _state("initial_state[1] (c_0)", initial_state[1], x.shape[0], units)
    return x, kernel, recurrent_kernel, bias, units, h0, c0


def lstm_forward(x, kernel, recurrent_kernel, bias, initial_state=None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Run an LSTM over whole sequences, like ``keras.layers.LSTM``.

    Args:
        x: inputs, shape ``(batch, time, features)``.
        kernel: ``(features, 4 * units)``; recurrent_kernel: ``(units, 4 * units)``;
            bias: ``(4 * units,)``; gate blocks ``i, f, c, o``.
        initial_state: ``[h_0, c_0]``, each ``(batch, units)``; default zeros.

    Returns:
        ``(outputs, h_T, c_T)``: the hidden states ``(batch, time, units)`` and the final
        hidden and cell states ``(batch, units)``, as Keras's
        ``LSTM(return_sequences=True, return_state=True)`` returns them.
    """
    x, kernel, recurrent_kernel, bias, units, h0, c0 = _lstm_inputs(x, kernel, recurrent_kernel, bias, initial_state)
    cache = _lstm_run(x, kernel, recurrent_kernel, bias, h0, c0, units)
    return cache["h"], cache["h"][:, -1].copy(), cache["c"][:, -1].copy()


def lstm_trace(x, kernel, recurrent_kernel, bias, initial_state=None) -> dict[str, np.ndarray]:
    """Run an LSTM and keep every gate: what the cell computed at each step.

    Args:
        x, kernel, recurrent_kernel, bias, initial_state: as in :func:`lstm_forward`.

    Returns:
        A dict of arrays shaped ``(batch, time, units)``: ``"i"`` (input gate), ``"f"``
        (forget gate), ``"c_tilde"`` (candidate), ``"o"`` (output gate), ``"c"`` (cell
        state) and ``"h"`` (hidden state, equal to :func:`lstm_forward`'s outputs).
    """
    x, kernel, recurrent_kernel, bias, units, h0, c0 = _lstm_inputs(x, kernel, recurrent_kernel, bias, initial_state)
    cache = _lstm_run(x, kernel, recurrent_kernel, bias, h0, c0, units)
    return {"i": cache["i"], "f": cache["f"], "c_tilde": cache["g"], "o": cache["o"], "c": cache["c"], "h": cache["h"]}


def lstm_bptt(x, kernel, recurrent_kernel, bias, d_outputs, initial_state=None) -> dict[str, np.ndarray]:
    """Backpropagation through time for :func:`lstm_forward` (loss a function of the outputs).

    Two recurrences carry the gradient back: through ``h_{t-1}`` (via every gate's
    recurrent projection) and through the cell state, ``dc_{t-1} = dc_t * f_t``; the
    second is the LSTM's way around vanishing gradients.

    Args:
        x, kernel, recurrent_kernel, bias, initial_state: as in :func:`lstm_forward`.
        d_outputs: the gradient of the loss with respect to every output ``h_t``,
            shape ``(batch, time, units)``.

    Returns:
        A dict of gradients: ``kernel``, ``recurrent_kernel``, ``bias``, ``inputs``
        ``(batch, time, features)``, ``initial_h`` and ``initial_c`` ``(batch, units)``.
    """
    x, kernel, recurrent_kernel, bias, units, h0, c0 = _lstm_inputs(x, kernel, recurrent_kernel, bias, initial_state)
    batch, time, _ = x.shape
    d_outputs = _as_array("d_outputs", d_outputs, 3, "(batch, time, units)")
    _check_shape("d_outputs", d_outputs, (batch, time, units), "(batch, time, units)")
    cache = _lstm_run(x, kernel, recurrent_kernel, bias, h0, c0, units)
    h_prev_all = np.concatenate([h0[:, None], cache["h"][:, :-1]], axis=1)
    c_prev_all = np.concatenate([c0[:, None], cache["c"][:, :-1]], axis=1)
    grads = {
        "kernel": np.zeros_like(kernel),
        "recurrent_kernel": np.zeros_like(recurrent_kernel),
        "bias": np.zeros_like(bias),
        "inputs": np.zeros_like(x),
    }
    dh_next = np.zeros((batch, units))
    dc_next = np.zeros((batch, units))
    for t in reversed(range(time)):
        i, f, g, o, c = (cache[name][:, t] for name in ("i", "f", "g", "o", "c"))
        tanh_c = np.tanh(c)
        dh = d_outputs[:, t] + dh_next  # the recurrence through h_t's use at step t + 1
        dc = dc_next + dh * o * (1.0 - tanh_c**2)  # ... and through the cell state
        dz = np.concatenate(
            [
                dc * g * i * (1.0 - i),  # input gate
                dc * c_prev_all[:, t] * f * (1.0 - f),  # forget gate
                dc * i * (1.0 - g**2),  # candidate
                dh * tanh_c * o * (1.0 - o),  # output gate
            ],
            axis=1,
        )
        grads["kernel"] += x[:, t].T @ dz
        grads["recurrent_kernel"] += h_prev_all[:, t].T @ dz
        grads["bias"] += dz.sum(axis=0)
        grads["inputs"][:, t] = dz @ kernel.T
        dh_next = dz @ recurrent_kernel.T
        dc_next = dc * f
    grads["initial_h"] = dh_next
    grads["initial_c"] = dc_next
    return grads


def lstm_state_jacobians(x, kernel, recurrent_kernel, bias, initial_state=None) -> np.ndarray:
    """The Jacobians of the LSTM's full state ``s_t = [h_t, c_t]`` with respect to ``s_{t-1}``.

    Args:
        x, kernel, recurrent_kernel, bias, initial_state: as in :func:`lstm_forward`.

    Returns:
        Shape ``(batch, time, 2 * units, 2 * units)``; rows and columns list ``h`` first,
        then ``c``. The block ``[units:, units:]`` is ``diag(f_t)``, the cell-state path.
    """
    x, kernel, recurrent_kernel, bias, units, h0, c0 = _lstm_inputs(x, kernel, recurrent_kernel, bias, initial_state)
    cache = _lstm_run(x, kernel, recurrent_kernel, bias, h0, c0, units)
    c_prev_all = np.concatenate([c0[:, None], cache["c"][:, :-1]], axis=1)
    r_i, r_f, r_g, r_o = (recurrent_kernel[:, k * units : (k + 1) * units].T for k in range(4))  # (out, in)
    batch, time, _ = x.shape
    jac = np.zeros((batch, time, 2 * units, 2 * units))
    for t in range(time):
        i, f, g, o, c = (cache[name][:, t] for name in ("i", "f", "g", "o", "c"))
        tanh_c = np.tanh(c)
        # dc_t/dh_{t-1}: through the forget gate, the input gate and the candidate.
        dc_dh = (
            (c_prev_all[:, t] * f * (1 - f))[..., None] * r_f
            + (g * i * (1 - i))[..., None] * r_i
            + (i * (1 - g**2))[..., None] * r_g
        )
        dh_dh = (tanh_c * o * (1 - o))[..., None] * r_o + (o * (1 - tanh_c**2))[..., None] * dc_dh
        jac[:, t, :units, :units] = dh_dh
        jac[:, t, :units, units:] = np.eye(units) * (o * (1 - tanh_c**2) * f)[..., None]
        jac[:, t, units:, :units] = dc_dh
        jac[:, t, units:, units:] = np.eye(units) * f[..., None]
    return jac
