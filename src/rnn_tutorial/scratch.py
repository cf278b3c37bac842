"""A NumPy reference for recurrent layers: SimpleRNN, LSTM and GRU, with BPTT.

Everything here is float64 NumPy, written to be read next to chapters 2 and 3. The weights use
**Keras's layout**, so they can be copied in and out of Keras layers with
``layer.set_weights([kernel, recurrent_kernel, bias])`` and ``layer.get_weights()``:

============  ==========================  ==========================  =================
cell          ``kernel``                  ``recurrent_kernel``        ``bias``
============  ==========================  ==========================  =================
simple_rnn    ``(features, units)``       ``(units, units)``          ``(units,)``
lstm          ``(features, 4 * units)``   ``(units, 4 * units)``      ``(4 * units,)``
gru           ``(features, 3 * units)``   ``(units, 3 * units)``      ``(2, 3 * units)``
============  ==========================  ==========================  =================

The LSTM's gate blocks are ordered input, forget, candidate, output (``i, f, c, o``);
the GRU's are update, reset, candidate (``z, r, h``) and follow Keras's default
``reset_after=True``: row 0 of its bias is the input bias, row 1 the recurrent bias,
and the reset gate multiplies the *recurrent* projection of the candidate after the
matrix product. Activations are Keras's defaults: ``tanh``, and ``sigmoid`` for gates.

The book writes row vectors, as Keras computes (``book/notation.md``), so a step of the
simple RNN is::

    h_t = tanh(x_t @ kernel + h_{t-1} @ recurrent_kernel + bias)

which is the book's ``h_t = tanh(x_t W_x + h_{t-1} W_h + b)`` with ``kernel = W_x`` and
``recurrent_kernel = W_h``, no transposes.

Shapes follow one convention: inputs ``(batch, time, features)``, outputs
``(batch, time, units)``, states ``(batch, units)``. Inputs are validated: wrong types
raise :class:`TypeError`, wrong shapes and NaN or infinite values raise
:class:`ValueError`, and each message names the argument, what was received and what is
accepted. The package's other modules follow the same rule, with the shared checkers of
:mod:`rnn_tutorial.validation`.

Example::

    >>> import numpy as np
    >>> from rnn_tutorial import scratch
    >>> kernel, recurrent_kernel, bias = scratch.random_weights("simple_rnn", features=2, units=3)
    >>> x = np.ones((4, 5, 2))                       # (batch, time, features)
    >>> outputs, h_T = scratch.simple_rnn_forward(x, kernel, recurrent_kernel, bias)
    >>> outputs.shape, h_T.shape
    ((4, 5, 3), (4, 3))
"""

from __future__ import annotations

from typing import Callable, Optional

import numpy as np

from .validation import check_float, check_int

CELLS = ("simple_rnn", "lstm", "gru")
_GATES = {"simple_rnn": 1, "lstm": 4, "gru": 3}

__all__ = [
    "CELLS",
    "adding_problem",
    "backward_gradient_norms",
    "clip_by_norm",
    "gru_forward",
    "gru_step",
    "lstm_bptt",
    "lstm_forward",
    "lstm_state_jacobians",
    "lstm_step",
    "lstm_trace",
    "numerical_gradient",
    "random_weights",
    "relative_error",
    "sigmoid",
    "simple_rnn_bptt",
    "simple_rnn_forward",
    "simple_rnn_state_jacobians",
    "simple_rnn_step",
]


# ----------------------------------------------------------------------------------
# Validation
# ----------------------------------------------------------------------------------


def _as_array(name: str, value, ndim: Optional[int], layout: str) -> np.ndarray:
    """Return ``value`` as a finite float64 array with ``ndim`` dimensions (any if None).

    ``layout`` names the accepted shape for messages, e.g. ``"(batch, time, features)"``.
    """
    if value is None or isinstance(value, (str, bytes, dict, set)):
        raise TypeError(
            f"{name} must be an array of real numbers with shape {layout}, "
            f"got {type(value).__name__} {value!r}"
        )
    try:
        array = np.asarray(value)
    except Exception as err:  # ragged lists and the like
        raise TypeError(
            f"{name} must be an array of real numbers with shape {layout}, got {type(value).__name__} "
            f"that NumPy cannot convert ({err})"
        ) from err
    if array.dtype.kind not in "iuf":
        raise TypeError(
            f"{name} must hold real numbers (integer or float) with shape {layout}, "
            f"got an array of dtype {array.dtype}"
        )
    if ndim is not None and array.ndim != ndim:
        hint = ""
        if ndim == 3 and array.ndim == 2:
            hint = "; for a single sequence add a batch axis, e.g. x[None]"
        raise ValueError(f"{name} must have {ndim} dimensions {layout}, got shape {array.shape}{hint}")
    if 0 in array.shape:
        raise ValueError(f"{name} must not be empty; expected shape {layout} with every size >= 1, got {array.shape}")
    array = array.astype(np.float64, copy=False)
    if not np.all(np.isfinite(array)):
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(array))[0])
        raise ValueError(
            f"{name} must contain only finite numbers, got {array[bad]} at index {bad} "
            f"(shape {array.shape}); remove or replace NaN and inf first"
        )
    return array


def _check_shape(name: str, array: np.ndarray, expected: tuple, meaning: str) -> None:
    if array.shape != expected:
        raise ValueError(f"{name} must have shape {meaning} = {expected}, got {array.shape}")


def _weights(cell: str, kernel, recurrent_kernel, bias, features: Optional[int] = None):
    """Validate a cell's three weight arrays in Keras's layout; return them as float64."""
    gates = _GATES[cell]
    kernel = _as_array("kernel", kernel, 2, f"(features, {gates} * units)" if gates > 1 else "(features, units)")
    recurrent_kernel = _as_array(
        "recurrent_kernel", recurrent_kernel, 2, f"(units, {gates} * units)" if gates > 1 else "(units, units)"
    )
    units = recurrent_kernel.shape[0]
    width = gates * units
    block = f"{gates} * units" if gates > 1 else "units"
    _check_shape("recurrent_kernel", recurrent_kernel, (units, width), f"(units, {block})")
    if features is None:
        features = kernel.shape[0]
    _check_shape("kernel", kernel, (features, width), f"(features, {block}) with features={features}, units={units}")
    if cell == "gru":
        bias = _as_array("bias", bias, 2, "(2, 3 * units)")
        _check_shape("bias", bias, (2, width), f"(2, 3 * units) with units={units} (GRU with reset_after=True)")
    else:
        bias = _as_array("bias", bias, 1, f"({block},)")
        _check_shape("bias", bias, (width,), f"({block},) with units={units}")
    return kernel, recurrent_kernel, bias, units


def _state(name: str, value, batch: int, units: int) -> np.ndarray:
    if value is None:
        return np.zeros((batch, units))
    state = _as_array(name, value, 2, "(batch, units)")
    _check_shape(name, state, (batch, units), f"(batch, units) with batch={batch}, units={units}")
    return state


def _inputs(x) -> np.ndarray:
    return _as_array("x", x, 3, "(batch, time, features)")


def _cell_name(cell) -> str:
    if not isinstance(cell, str):
        raise TypeError(f"cell must be a string, one of {', '.join(CELLS)}; got {type(cell).__name__} {cell!r}")
    key = cell.strip().lower()
    if key not in CELLS:
        raise ValueError(f"unknown cell {cell!r}; accepted: {', '.join(CELLS)}")
    return key


# ----------------------------------------------------------------------------------
# Weights and activations
# ----------------------------------------------------------------------------------


def sigmoid(a):
    """The logistic function ``1 / (1 + exp(-a))``, computed without overflow."""
    a = np.asarray(a, dtype=np.float64)
    e = np.exp(-np.abs(a))  # never overflows
    return np.where(a >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def random_weights(cell: str, features: int, units: int, seed: int = 0, scale: float = 0.5) -> list[np.ndarray]:
    """Draw float64 weights ``[kernel, recurrent_kernel, bias]`` in Keras's layout.

    Every entry, biases included, is drawn independently from a normal distribution,
    so no block equals another and no matrix is symmetric: a swapped gate or a missing
    transpose changes the result.

    Args:
        cell: ``"simple_rnn"``, ``"lstm"`` or ``"gru"``.
        features: the number of input features, >= 1.
        units: the number of units, >= 1.
        seed: the seed of the NumPy generator (default 0).
        scale: the standard deviation of the entries (default 0.5).

    Returns:
        A list ready for ``layer.set_weights``; see the module docstring for shapes.
    """
    cell = _cell_name(cell)
    features = check_int("features", features, min=1)
    units = check_int("units", units, min=1)
    scale = check_float("scale", scale, min=0, include_min=False)
    seed = check_int("seed", seed, min=0)
    rng = np.random.default_rng(seed)
    width = _GATES[cell] * units
    bias_shape = (2, width) if cell == "gru" else (width,)
    return [
        rng.normal(0.0, scale, (features, width)),
        rng.normal(0.0, scale, (units, width)),
        rng.normal(0.0, scale, bias_shape),
    ]


# ----------------------------------------------------------------------------------
# Simple RNN
# ----------------------------------------------------------------------------------


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


# ----------------------------------------------------------------------------------
# LSTM
# ----------------------------------------------------------------------------------


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


# ----------------------------------------------------------------------------------
# GRU
# ----------------------------------------------------------------------------------


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


# ----------------------------------------------------------------------------------
# A synthetic task
# ----------------------------------------------------------------------------------


def adding_problem(n: int, time: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The adding problem (Hochreiter and Schmidhuber, 1997): sum the two marked numbers.

    Each sequence has two features per step: a number drawn uniformly from ``[0, 1)``
    and a marker that is 1 at exactly two steps, one in each half of the sequence, and
    0 elsewhere. The target is the sum of the two marked numbers. Predicting the mean,
    1.0, gives a mean squared error of about 1/6; doing better needs memory across up
    to ``time - 1`` steps.

    Args:
        n: the number of sequences, >= 1.
        time: the sequence length, >= 2.
        seed: the seed of the NumPy generator (default 0).

    Returns:
        ``(x, y)``: inputs ``(n, time, 2)`` and targets ``(n, 1)``, float64.
    """
    n = check_int("n", n, min=1)
    time = check_int("time", time, min=1)
    if time < 2:
        raise ValueError(f"time must be at least 2 (two marked steps), got {time}; use 2 or more")
    seed = check_int("seed", seed, min=0)
    rng = np.random.default_rng(seed)
    values = rng.uniform(0.0, 1.0, (n, time))
    half = time // 2
    first = rng.integers(0, half, n)
    second = rng.integers(half, time, n)
    markers = np.zeros((n, time))
    rows = np.arange(n)
    markers[rows, first] = 1.0
    markers[rows, second] = 1.0
    x = np.stack([values, markers], axis=-1)
    y = (values[rows, first] + values[rows, second])[:, None]
    return x, y


# ----------------------------------------------------------------------------------
# Gradient tools
# ----------------------------------------------------------------------------------


def numerical_gradient(f: Callable[[np.ndarray], float], value, eps: float = 1e-6) -> np.ndarray:
    """The gradient of a scalar function by central differences, ``(f(v + eps) - f(v - eps)) / (2 eps)``.

    Each entry of ``value`` is perturbed in turn (2 calls of ``f`` per entry), so keep
    the arrays small. The error is of order ``eps**2`` (truncation) plus
    ``1e-16 / eps`` (rounding); ``eps=1e-6`` suits float64 functions of size about one.

    Args:
        f: a function of one array shaped like ``value`` that returns a real number.
        value: the point, an array of any shape.
        eps: the step, a positive number (default ``1e-6``).

    Returns:
        A float64 array shaped like ``value``.
    """
    if not callable(f):
        raise TypeError(f"f must be a callable returning a real number, got {type(f).__name__} {f!r}")
    eps = check_float("eps", eps, min=0, include_min=False, hint="about 1e-6 suits float64")
    point = np.array(_as_array("value", value, None, "(any shape)"), order="C")  # flat views below need C order
    grad = np.zeros_like(point)
    flat, grad_flat = point.reshape(-1), grad.reshape(-1)
    for k in range(flat.size):
        original = flat[k]
        flat[k] = original + eps
        up = f(point)
        flat[k] = original - eps
        down = f(point)
        flat[k] = original
        for name, result in (("f(value + eps)", up), ("f(value - eps)", down)):
            as_array = np.asarray(result) if not isinstance(result, (bool, str, bytes)) else np.asarray(None)
            if as_array.ndim != 0 or as_array.dtype.kind not in "iuf":
                raise TypeError(f"f must return a real number, got {type(result).__name__} {result!r} from {name}")
            if not np.isfinite(float(result)):
                raise ValueError(f"f returned {float(result)} at {name} for entry {k}; it must stay finite near value")
        grad_flat[k] = (float(up) - float(down)) / (2.0 * eps)
    return grad


def relative_error(a, b) -> float:
    """``||a - b|| / max(||a||, ||b||)`` over all entries (0.0 when both are zero).

    ``a`` and ``b`` may be arrays of the same shape, or equal-length lists of arrays
    (for example the gradients of several weights), which are compared as one vector.
    """
    def flatten(name, value):
        if isinstance(value, (list, tuple)):
            parts = [_as_array(f"{name}[{k}]", v, None, "(any shape)") for k, v in enumerate(value)]
            if not parts:
                raise ValueError(f"{name} must not be an empty list")
            return parts
        return [_as_array(name, value, None, "(any shape)")]

    first, second = flatten("a", a), flatten("b", b)
    if len(first) != len(second) or any(p.shape != q.shape for p, q in zip(first, second)):
        raise ValueError(
            f"a and b must have the same shapes, got {[p.shape for p in first]} and {[q.shape for q in second]}"
        )
    u = np.concatenate([p.ravel() for p in first])
    v = np.concatenate([q.ravel() for q in second])
    scale = max(np.linalg.norm(u), np.linalg.norm(v))
    return 0.0 if scale == 0 else float(np.linalg.norm(u - v) / scale)


def clip_by_norm(gradient, clipnorm: float) -> np.ndarray:
    """Rescale ``gradient`` so its L2 norm is at most ``clipnorm`` (Keras's ``clipnorm``).

    A gradient whose norm is already below ``clipnorm`` comes back unchanged; the
    direction is always kept. Keras optimizers with ``clipnorm=`` do this to each
    variable's gradient separately (``global_clipnorm=`` treats them as one vector).
    """
    gradient = _as_array("gradient", gradient, None, "(any shape)")
    clipnorm = check_float("clipnorm", clipnorm, min=0, include_min=False)
    norm = np.linalg.norm(gradient)
    return gradient if norm <= clipnorm else gradient * (clipnorm / norm)


def backward_gradient_norms(jacobians, units: Optional[int] = None) -> np.ndarray:
    """Spectral norms of ``d h_T / d h_t`` for ``T - t = 0, 1, ..., time``.

    ``d h_T / d h_t`` is the product ``J_T J_{T-1} ... J_{t+1}`` of the step Jacobians;
    its norm bounds how much a gradient arriving at ``h_T`` can grow or shrink on its
    way back to ``h_t``.

    Args:
        jacobians: step Jacobians ``(batch, time, n, n)`` from
            :func:`simple_rnn_state_jacobians` or :func:`lstm_state_jacobians`.
        units: keep only the leading ``units`` rows and columns of each product (for the
            LSTM's ``[h, c]`` state, pass its units to get ``d h_T / d h_t`` with
            ``c_t`` held fixed); default: the whole state.

    Returns:
        Shape ``(batch, time + 1)``; column ``k`` is ``||d h_T / d h_{T-k}||_2`` (column 0
        is the identity, norm 1).
    """
    jacobians = _as_array("jacobians", jacobians, 4, "(batch, time, n, n)")
    batch, time, n, m = jacobians.shape
    if n != m:
        raise ValueError(f"jacobians must be square, shape (batch, time, n, n), got {jacobians.shape}")
    if units is None:
        units = n
    units = check_int("units", units, min=1)
    if units > n:
        raise ValueError(f"units must be at most the state size {n}, got {units}; pass {n} or less, or None for all")
    product = np.broadcast_to(np.eye(n), (batch, n, n)).copy()
    norms = np.empty((batch, time + 1))
    norms[:, 0] = np.linalg.norm(product[:, :units, :units], ord=2, axis=(1, 2))
    for k in range(1, time + 1):
        product = product @ jacobians[:, time - k]
        norms[:, k] = np.linalg.norm(product[:, :units, :units], ord=2, axis=(1, 2))
    return norms
