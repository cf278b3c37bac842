"""A NumPy reference for recurrent layers: SimpleRNN, LSTM and GRU, with BPTT.

Modules: :mod:`.common` (checks, ``sigmoid``, ``random_weights``), :mod:`.rnn`,
:mod:`.lstm`, :mod:`.gru`, :mod:`.gradients` (central differences, clipping, norms
back in time) and :mod:`.adding` (the adding problem); every public name is here too.

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

from .adding import adding_problem
from .common import CELLS, random_weights, sigmoid
from .gradients import backward_gradient_norms, clip_by_norm, numerical_gradient, relative_error
from .gru import gru_forward, gru_step
from .lstm import lstm_bptt, lstm_forward, lstm_state_jacobians, lstm_step, lstm_trace
from .rnn import simple_rnn_bptt, simple_rnn_forward, simple_rnn_state_jacobians, simple_rnn_step

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
