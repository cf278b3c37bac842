"""Tests of the NumPy reference RNN, LSTM and GRU (`rnn_tutorial.scratch`).

The Keras comparisons use asymmetric random weights (every entry drawn independently),
so a swapped gate block, a missing transpose or a dropped recurrence term makes them
fail; the "mutation" tests check that they would.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rnn_tutorial import scratch

keras = pytest.importorskip("keras")

FORWARD = {"simple_rnn": scratch.simple_rnn_forward, "lstm": scratch.lstm_forward, "gru": scratch.gru_forward}
LAYER = {"simple_rnn": "SimpleRNN", "lstm": "LSTM", "gru": "GRU"}
KERAS_TOL = 2e-5  # float32 Keras against float64 NumPy, outputs of size about one

sizes = st.fixed_dictionaries(
    {
        "batch": st.integers(1, 3),
        "time": st.integers(1, 5),
        "features": st.integers(1, 4),
        "units": st.integers(1, 4),
        "seed": st.integers(0, 10_000),
    }
)
hypothesis_settings = settings(max_examples=25, deadline=None, derandomize=True,
                               suppress_health_check=[HealthCheck.too_slow])


def _agree(analytic, numeric, rtol=1e-7, atol=1e-9):
    """Relative error below ``rtol``, or an absolute one below ``atol``: central differences
    carry a round-off of about 1e-16 * |loss| / eps (~1e-10 here) whatever the gradient's
    size, so a tiny gradient (1e-5) is compared absolutely."""
    flat = lambda v: np.concatenate([np.ravel(p) for p in (v if isinstance(v, (list, tuple)) else [v])])
    return scratch.relative_error(analytic, numeric) < rtol or np.linalg.norm(flat(analytic) - flat(numeric)) < atol


def inputs(batch, time, features, seed=0):
    return np.random.default_rng(seed + 100).normal(size=(batch, time, features))


def keras_run(cell, weights, x, initial_state=None):
    """Outputs and final states of the Keras layer holding ``weights``, as float64 NumPy."""
    units = weights[1].shape[0]
    layer = getattr(keras.layers, LAYER[cell])(units, return_sequences=True, return_state=True)
    layer.build((None,) + x.shape[1:])
    layer.set_weights(weights)
    kwargs = {}
    if initial_state is not None:
        states = initial_state if isinstance(initial_state, (list, tuple)) else [initial_state]
        kwargs["initial_state"] = [keras.ops.convert_to_tensor(s.astype("float32")) for s in states]
    result = layer(x.astype("float32"), **kwargs)
    return [np.asarray(keras.ops.convert_to_numpy(r), dtype=np.float64) for r in result]


def max_diff(ours, theirs):
    return max(float(np.max(np.abs(a - b))) for a, b in zip(ours, theirs))


def numerical_weight_gradients(forward, x, weights, d_outputs, initial_state=None):
    """Central-difference gradients of ``sum(outputs * d_outputs)`` for each weight array."""

    def loss_with(index):
        def loss(value):
            trial = list(weights)
            trial[index] = value
            return float(np.sum(forward(x, *trial, initial_state=initial_state)[0] * d_outputs))

        return loss

    return [scratch.numerical_gradient(loss_with(k), w) for k, w in enumerate(weights)]


# ---------------------------------------------------------------------------------
# Agreement with Keras
# ---------------------------------------------------------------------------------


@pytest.mark.parametrize("cell", scratch.CELLS)
@pytest.mark.parametrize("batch,time,features,units", [(2, 4, 3, 5), (1, 1, 1, 1), (3, 7, 2, 3)])
def test_forward_matches_keras(cell, batch, time, features, units):
    weights = scratch.random_weights(cell, features, units, seed=batch + time)
    x = inputs(batch, time, features)
    ours = FORWARD[cell](x, *weights)
    theirs = keras_run(cell, weights, x)
    assert [a.shape for a in ours] == [b.shape for b in theirs]
    assert max_diff(ours, theirs) < KERAS_TOL


@pytest.mark.parametrize("cell", scratch.CELLS)
def test_forward_matches_keras_with_initial_state(cell):
    weights = scratch.random_weights(cell, 3, 4, seed=5)
    x = inputs(2, 5, 3)
    rng = np.random.default_rng(9)
    if cell == "lstm":
        state = [rng.normal(size=(2, 4)), rng.normal(size=(2, 4))]
    else:
        state = rng.normal(size=(2, 4))
    assert max_diff(FORWARD[cell](x, *weights, initial_state=state), keras_run(cell, weights, x, state)) < KERAS_TOL


@settings(max_examples=8, deadline=None)
@given(sizes, st.sampled_from(scratch.CELLS))
def test_forward_matches_keras_random_sizes(size, cell):
    weights = scratch.random_weights(cell, size["features"], size["units"], seed=size["seed"])
    x = inputs(size["batch"], size["time"], size["features"], size["seed"])
    assert max_diff(FORWARD[cell](x, *weights), keras_run(cell, weights, x)) < KERAS_TOL


def permute_blocks(weights, units, order):
    """Reorder the gate blocks (the last axis, in blocks of ``units``) of every weight."""
    return [np.concatenate([w[..., k * units : (k + 1) * units] for k in order], axis=-1) for w in weights]


@pytest.mark.parametrize(
    "cell,order",
    [("lstm", [1, 0, 2, 3]), ("lstm", [0, 1, 3, 2]), ("lstm", [0, 2, 1, 3]), ("gru", [1, 0, 2]), ("gru", [0, 2, 1])],
)
def test_wrong_gate_order_is_detected(cell, order):
    """The Keras comparison is sensitive to the gate order: a swapped pair fails it."""
    units = 4
    weights = scratch.random_weights(cell, 3, units, seed=3)
    x = inputs(2, 5, 3)
    swapped = permute_blocks(weights, units, order)
    assert max_diff(FORWARD[cell](x, *swapped), keras_run(cell, weights, x)) > 1e-2


@pytest.mark.parametrize("cell", scratch.CELLS)
def test_transposed_recurrent_kernel_is_detected(cell):
    """A recurrent kernel used the other way round (W_h instead of W_h.T) fails the comparison."""
    units = 4
    kernel, recurrent_kernel, bias = scratch.random_weights(cell, 3, units, seed=4)
    gates = recurrent_kernel.shape[1] // units
    transposed = np.concatenate(
        [recurrent_kernel[:, k * units : (k + 1) * units].T for k in range(gates)], axis=1
    )
    x = inputs(2, 5, 3)
    wrong = FORWARD[cell](x, kernel, transposed, bias)
    assert max_diff(wrong, keras_run(cell, [kernel, recurrent_kernel, bias], x)) > 1e-2


def test_gru_bias_rows_are_input_then_recurrent():
    """Swapping the GRU's input and recurrent bias rows changes the result (reset_after=True)."""
    kernel, recurrent_kernel, bias = scratch.random_weights("gru", 3, 4, seed=6)
    x = inputs(2, 5, 3)
    theirs = keras_run("gru", [kernel, recurrent_kernel, bias], x)
    assert max_diff(scratch.gru_forward(x, kernel, recurrent_kernel, bias), theirs) < KERAS_TOL
    assert max_diff(scratch.gru_forward(x, kernel, recurrent_kernel, bias[::-1]), theirs) > 1e-3


# ---------------------------------------------------------------------------------
# Steps, shapes and the sequence functions
# ---------------------------------------------------------------------------------


@hypothesis_settings
@given(sizes)
def test_forward_is_the_step_repeated(size):
    b, t, f, u, seed = (size[k] for k in ("batch", "time", "features", "units", "seed"))
    x = inputs(b, t, f, seed)
    for cell in scratch.CELLS:
        weights = scratch.random_weights(cell, f, u, seed=seed)
        result = FORWARD[cell](x, *weights)
        h = np.zeros((b, u))
        c = np.zeros((b, u))
        for step in range(t):
            if cell == "simple_rnn":
                h = scratch.simple_rnn_step(x[:, step], h, *weights)
            elif cell == "gru":
                h = scratch.gru_step(x[:, step], h, *weights)
            else:
                h, c = scratch.lstm_step(x[:, step], h, c, *weights)
            np.testing.assert_allclose(result[0][:, step], h, rtol=0, atol=1e-14)
        assert result[0].shape == (b, t, u)
        np.testing.assert_array_equal(result[1], result[0][:, -1])
        if cell == "lstm":
            np.testing.assert_allclose(result[2], c, rtol=0, atol=1e-14)
        assert np.all(np.abs(result[0]) < 1.0)  # tanh and o * tanh(c) stay inside (-1, 1)


def test_simple_rnn_step_is_the_textbook_update():
    """h_t = tanh(W_x x_t + W_h h_{t-1} + b) with kernel = W_x.T, recurrent_kernel = W_h.T."""
    rng = np.random.default_rng(0)
    w_x, w_h, b = rng.normal(size=(3, 2)), rng.normal(size=(3, 3)), rng.normal(size=3)
    x_t, h_prev = rng.normal(size=2), rng.normal(size=3)
    expected = np.tanh(w_x @ x_t + w_h @ h_prev + b)
    got = scratch.simple_rnn_step(x_t[None], h_prev[None], w_x.T, w_h.T, b)[0]
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-15)


def test_sigmoid_is_stable_and_exact():
    a = np.array([-800.0, -5.0, 0.0, 5.0, 800.0])
    s = scratch.sigmoid(a)
    assert np.all(np.isfinite(s))
    np.testing.assert_allclose(s[1:4], 1 / (1 + np.exp(-a[1:4])), rtol=1e-15)
    assert s[0] == 0.0 and s[-1] == 1.0


@pytest.mark.parametrize("cell,shapes", [
    ("simple_rnn", [(3, 5), (5, 5), (5,)]),
    ("lstm", [(3, 20), (5, 20), (20,)]),
    ("gru", [(3, 15), (5, 15), (2, 15)]),
])
def test_random_weights_have_keras_shapes(cell, shapes):
    weights = scratch.random_weights(cell, features=3, units=5)
    assert [w.shape for w in weights] == shapes
    assert all(w.dtype == np.float64 for w in weights)
    layer = getattr(keras.layers, LAYER[cell])(5)
    layer.build((None, 4, 3))
    assert [tuple(w.shape) for w in layer.get_weights()] == shapes


# ---------------------------------------------------------------------------------
# Backpropagation through time
# ---------------------------------------------------------------------------------


@hypothesis_settings
@given(sizes)
def test_simple_rnn_bptt_matches_central_differences(size):
    b, t, f, u, seed = (size[k] for k in ("batch", "time", "features", "units", "seed"))
    weights = scratch.random_weights("simple_rnn", f, u, seed=seed)
    x = inputs(b, t, f, seed)
    rng = np.random.default_rng(seed)
    h0 = rng.normal(size=(b, u))
    d_outputs = rng.normal(size=(b, t, u))
    grads = scratch.simple_rnn_bptt(x, *weights, d_outputs, initial_state=h0)
    numeric = numerical_weight_gradients(scratch.simple_rnn_forward, x, weights, d_outputs, h0)
    analytic = [grads["kernel"], grads["recurrent_kernel"], grads["bias"]]
    assert _agree(analytic, numeric)

    def loss_of_inputs(value):
        return float(np.sum(scratch.simple_rnn_forward(value, *weights, initial_state=h0)[0] * d_outputs))

    def loss_of_state(value):
        return float(np.sum(scratch.simple_rnn_forward(x, *weights, initial_state=value)[0] * d_outputs))

    assert _agree(grads["inputs"], scratch.numerical_gradient(loss_of_inputs, x))
    assert _agree(grads["initial_state"], scratch.numerical_gradient(loss_of_state, h0))


@hypothesis_settings
@given(sizes)
def test_lstm_bptt_matches_central_differences(size):
    b, t, f, u, seed = (size[k] for k in ("batch", "time", "features", "units", "seed"))
    weights = scratch.random_weights("lstm", f, u, seed=seed)
    x = inputs(b, t, f, seed)
    rng = np.random.default_rng(seed)
    state = [rng.normal(size=(b, u)), rng.normal(size=(b, u))]
    d_outputs = rng.normal(size=(b, t, u))
    grads = scratch.lstm_bptt(x, *weights, d_outputs, initial_state=state)
    numeric = numerical_weight_gradients(scratch.lstm_forward, x, weights, d_outputs, state)
    analytic = [grads["kernel"], grads["recurrent_kernel"], grads["bias"]]
    assert _agree(analytic, numeric)

    def loss(x_value, h_value, c_value):
        return float(np.sum(scratch.lstm_forward(x_value, *weights, initial_state=[h_value, c_value])[0] * d_outputs))

    assert _agree(grads["inputs"], scratch.numerical_gradient(lambda v: loss(v, *state), x))
    assert _agree(
        grads["initial_h"], scratch.numerical_gradient(lambda v: loss(x, v, state[1]), state[0])
    )
    assert _agree(
        grads["initial_c"], scratch.numerical_gradient(lambda v: loss(x, state[0], v), state[1])
    )


def test_dropping_the_recurrence_term_fails_the_gradient_check():
    """BPTT without the term through h_{t-1} (truncate=1) is wrong whenever time >= 2."""
    weights = scratch.random_weights("simple_rnn", 2, 3, seed=1)
    x = inputs(4, 5, 2)
    d_outputs = np.zeros((4, 5, 3))
    d_outputs[:, -1] = np.random.default_rng(2).normal(size=(4, 3))  # many-to-one
    numeric = numerical_weight_gradients(scratch.simple_rnn_forward, x, weights, d_outputs)
    full = scratch.simple_rnn_bptt(x, *weights, d_outputs)
    dropped = scratch.simple_rnn_bptt(x, *weights, d_outputs, truncate=1)
    names = ("kernel", "recurrent_kernel", "bias")
    assert _agree([full[k] for k in names], numeric)
    assert scratch.relative_error([dropped[k] for k in names], numeric) > 1e-2


@hypothesis_settings
@given(sizes, st.integers(1, 6))
def test_truncated_bptt(size, k):
    """truncate >= time is exact BPTT; truncate=1 is exact only for a single step."""
    b, t, f, u, seed = (size[key] for key in ("batch", "time", "features", "units", "seed"))
    weights = scratch.random_weights("simple_rnn", f, u, seed=seed)
    x = inputs(b, t, f, seed)
    d_outputs = np.random.default_rng(seed).normal(size=(b, t, u))
    full = scratch.simple_rnn_bptt(x, *weights, d_outputs)
    truncated = scratch.simple_rnn_bptt(x, *weights, d_outputs, truncate=k)
    if k >= t:
        for name in full:
            np.testing.assert_allclose(truncated[name], full[name], rtol=1e-10, atol=1e-12)
    elif k == 1:
        # Only the direct term: step t's parameters see d_outputs[:, t] and nothing later.
        outputs, _ = scratch.simple_rnn_forward(x, *weights)
        da = d_outputs * (1 - outputs**2)
        np.testing.assert_allclose(truncated["bias"], da.sum(axis=(0, 1)), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("cell", ["simple_rnn", "lstm"])
def test_bptt_matches_keras_gradients(cell):
    """Our gradients equal the backend's automatic differentiation of the Keras layer."""
    if keras.backend.backend() != "tensorflow":
        pytest.skip("uses tf.GradientTape")
    import tensorflow as tf

    weights = scratch.random_weights(cell, 3, 4, seed=8)
    x = inputs(2, 6, 3)
    d_outputs = np.random.default_rng(3).normal(size=(2, 6, 4))
    layer = getattr(keras.layers, LAYER[cell])(4, return_sequences=True)
    layer.build((None, 6, 3))
    layer.set_weights(weights)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(layer(x.astype("float32")) * d_outputs.astype("float32"))
    theirs = [g.numpy().astype(np.float64) for g in tape.gradient(loss, layer.trainable_weights)]
    bptt = scratch.simple_rnn_bptt if cell == "simple_rnn" else scratch.lstm_bptt
    grads = bptt(x, *weights, d_outputs)
    assert scratch.relative_error([grads["kernel"], grads["recurrent_kernel"], grads["bias"]], theirs) < 1e-5


# ---------------------------------------------------------------------------------
# Jacobians and gradient norms
# ---------------------------------------------------------------------------------


@hypothesis_settings
@given(sizes)
def test_state_jacobians_match_central_differences(size):
    b, f, u, seed = (size[k] for k in ("batch", "features", "units", "seed"))
    rng = np.random.default_rng(seed)
    x = inputs(b, 1, f, seed)
    h0, c0 = rng.normal(size=(b, u)), rng.normal(size=(b, u))

    rnn = scratch.random_weights("simple_rnn", f, u, seed=seed)
    jac = scratch.simple_rnn_state_jacobians(x, *rnn, initial_state=h0)[:, 0]
    for i in range(u):  # row i of dh_1/dh_0 is the gradient of h_1[:, i] w.r.t. h_0
        numeric = scratch.numerical_gradient(lambda v, i=i: float(scratch.simple_rnn_step(x[:, 0], v, *rnn)[:, i].sum()), h0)
        np.testing.assert_allclose(jac[:, i, :], numeric, atol=1e-8)

    lstm = scratch.random_weights("lstm", f, u, seed=seed)
    jac = scratch.lstm_state_jacobians(x, *lstm, initial_state=[h0, c0])[:, 0]
    state = np.concatenate([h0, c0], axis=1)
    for i in range(2 * u):

        def component(v, i=i):
            h, c = scratch.lstm_step(x[:, 0], v[:, :u], v[:, u:], *lstm)
            return float(np.concatenate([h, c], axis=1)[:, i].sum())

        numeric = scratch.numerical_gradient(component, state)
        np.testing.assert_allclose(jac[:, i, :], numeric, atol=1e-8)


def test_backward_gradient_norms():
    """The products of the step Jacobians: a scaled orthogonal matrix gives rho**k exactly."""
    q = np.linalg.qr(np.random.default_rng(0).normal(size=(4, 4)))[0]
    jac = np.broadcast_to(0.5 * q, (2, 6, 4, 4))
    norms = scratch.backward_gradient_norms(jac)
    np.testing.assert_allclose(norms, np.broadcast_to(0.5 ** np.arange(7), (2, 7)), rtol=1e-12)
    assert scratch.backward_gradient_norms(jac, units=2).shape == (2, 7)
    with pytest.raises(ValueError, match="units must be at most"):
        scratch.backward_gradient_norms(jac, units=5)


def test_simple_rnn_jacobian_norms_follow_bptt():
    """||dh_T/dh_t|| from the Jacobians equals the BPTT gradient for a one-hot loss."""
    weights = scratch.random_weights("simple_rnn", 2, 3, seed=2)
    x = inputs(1, 4, 2)
    jac = scratch.simple_rnn_state_jacobians(x, *weights)
    product = jac[0, 3] @ jac[0, 2] @ jac[0, 1]  # dh_3 / dh_0 (0-based steps)
    d_outputs = np.zeros((1, 4, 3))
    d_outputs[0, 3, 1] = 1.0
    # The gradient of h_3[1] w.r.t. h_0 is row 1 of the product; BPTT sends it back
    # through step 0 to the initial state: row 1 of product @ jac[0, 0].
    grads = scratch.simple_rnn_bptt(x, *weights, d_outputs)
    np.testing.assert_allclose(grads["initial_state"][0], (product @ jac[0, 0])[1], atol=1e-14)


# ---------------------------------------------------------------------------------
# Gradient tools and the adding problem
# ---------------------------------------------------------------------------------


def test_numerical_gradient_of_a_known_function():
    value = np.array([[1.0, -2.0], [0.5, 3.0]])
    grad = scratch.numerical_gradient(lambda v: float(np.sum(v**3)), value)
    np.testing.assert_allclose(grad, 3 * value**2, rtol=1e-9)
    assert np.array_equal(value, [[1.0, -2.0], [0.5, 3.0]])  # the point is not modified


def test_numerical_gradient_of_non_contiguous_arrays():
    """A transposed view (kernel = W_x.T) must be perturbed entry by entry like any array."""
    w_x = np.arange(6.0).reshape(3, 2)
    value = w_x.T  # Fortran-ordered view
    grad = scratch.numerical_gradient(lambda v: float(np.sum(v**2 * np.arange(1, 7).reshape(2, 3))), value)
    np.testing.assert_allclose(grad, 2 * value * np.arange(1, 7).reshape(2, 3), rtol=1e-9, atol=1e-9)


def test_numerical_gradient_rejects_bad_arguments():
    with pytest.raises(TypeError, match="f must be a callable"):
        scratch.numerical_gradient(3.0, np.ones(2))
    with pytest.raises(ValueError, match="eps must be a positive"):
        scratch.numerical_gradient(np.sum, np.ones(2), eps=0.0)
    with pytest.raises(TypeError, match="f must return a real number"):
        scratch.numerical_gradient(lambda v: v, np.ones(2))
    with pytest.raises(ValueError, match="value must contain only finite"):
        scratch.numerical_gradient(np.sum, np.array([1.0, np.nan]))


def test_relative_error():
    assert scratch.relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert scratch.relative_error(np.array([1.0, 0.0]), np.array([0.0, 1.0])) == pytest.approx(np.sqrt(2))
    assert scratch.relative_error([np.ones(2), np.ones((2, 2))], [np.ones(2), np.ones((2, 2))]) == 0.0
    with pytest.raises(ValueError, match="same shapes"):
        scratch.relative_error(np.ones(2), np.ones(3))


def test_clip_by_norm():
    g = np.array([3.0, 4.0])
    np.testing.assert_allclose(scratch.clip_by_norm(g, 1.0), [0.6, 0.8])
    np.testing.assert_array_equal(scratch.clip_by_norm(g * 1e-6, 1.0), g * 1e-6)  # small ones untouched
    with pytest.raises(ValueError, match="clipnorm must be a positive"):
        scratch.clip_by_norm(g, -1.0)


def test_clip_by_norm_matches_keras_clipnorm():
    g = np.array([[3.0, -4.0], [12.0, 0.5]])
    optimizer = keras.optimizers.SGD(learning_rate=1.0, clipnorm=2.0)
    variable = keras.Variable(np.zeros((2, 2), dtype="float32"))
    optimizer.apply_gradients([(keras.ops.convert_to_tensor(g.astype("float32")), variable)])
    np.testing.assert_allclose(-keras.ops.convert_to_numpy(variable), scratch.clip_by_norm(g, 2.0), rtol=1e-6)


@settings(max_examples=20, deadline=None)
@given(st.integers(1, 50), st.integers(2, 30), st.integers(0, 1000))
def test_adding_problem(n, time, seed):
    x, y = scratch.adding_problem(n, time, seed)
    assert x.shape == (n, time, 2) and y.shape == (n, 1)
    markers = x[..., 1]
    assert np.all(markers.sum(axis=1) == 2)
    assert np.all(markers[:, : time // 2].sum(axis=1) == 1)
    np.testing.assert_allclose(y[:, 0], (x[..., 0] * markers).sum(axis=1))
    x2, y2 = scratch.adding_problem(n, time, seed)
    assert np.array_equal(x, x2) and np.array_equal(y, y2)


# ---------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------


@pytest.fixture
def rnn():
    return scratch.random_weights("simple_rnn", 2, 3)


def test_rejects_wrong_types(rnn):
    with pytest.raises(TypeError, match=r"x must be an array .* \(batch, time, features\), got str"):
        scratch.simple_rnn_forward("abc", *rnn)
    with pytest.raises(TypeError, match="x must be an array .* got NoneType"):
        scratch.simple_rnn_forward(None, *rnn)
    with pytest.raises(TypeError, match="kernel must hold real numbers .* dtype complex"):
        scratch.simple_rnn_forward(np.ones((1, 2, 2)), rnn[0] * 1j, rnn[1], rnn[2])
    with pytest.raises(TypeError, match="cell must be a string"):
        scratch.random_weights(3, 2, 2)
    with pytest.raises(TypeError, match="initial_state of an LSTM must be a pair"):
        lstm = scratch.random_weights("lstm", 2, 3)
        scratch.lstm_forward(np.ones((1, 2, 2)), *lstm, initial_state=np.zeros((1, 3)))


def test_rejects_wrong_shapes(rnn):
    with pytest.raises(ValueError, match=r"x must have 3 dimensions \(batch, time, features\), got shape \(4, 2\).*x\[None\]"):
        scratch.simple_rnn_forward(np.ones((4, 2)), *rnn)
    with pytest.raises(ValueError, match=r"kernel must have shape .* = \(5, 3\), got \(2, 3\)"):
        scratch.simple_rnn_forward(np.ones((1, 4, 5)), *rnn)
    with pytest.raises(ValueError, match=r"bias must have shape .* = \(3,\), got \(4,\)"):
        scratch.simple_rnn_forward(np.ones((1, 4, 2)), rnn[0], rnn[1], np.zeros(4))
    with pytest.raises(ValueError, match=r"initial_state must have shape .* = \(1, 3\), got \(2, 3\)"):
        scratch.simple_rnn_forward(np.ones((1, 4, 2)), *rnn, initial_state=np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"d_outputs must have shape .* = \(1, 4, 3\), got \(1, 3, 3\)"):
        scratch.simple_rnn_bptt(np.ones((1, 4, 2)), *rnn, np.zeros((1, 3, 3)))
    with pytest.raises(ValueError, match="x must not be empty"):
        scratch.simple_rnn_forward(np.ones((1, 0, 2)), *rnn)
    gru = scratch.random_weights("gru", 2, 3)
    with pytest.raises(ValueError, match=r"bias must have 2 dimensions \(2, 3 \* units\), got shape \(9,\)"):
        scratch.gru_forward(np.ones((1, 4, 2)), gru[0], gru[1], gru[2][0])
    lstm = scratch.random_weights("lstm", 2, 3)
    with pytest.raises(ValueError, match=r"recurrent_kernel must have shape \(units, 4 \* units\)"):
        scratch.lstm_forward(np.ones((1, 4, 2)), lstm[0], lstm[1][:, :9], lstm[2])


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_rejects_non_finite_values(rnn, bad):
    x = np.ones((2, 3, 2))
    x[1, 2, 0] = bad
    with pytest.raises(ValueError, match=r"x must contain only finite numbers, got .* at index \(1, 2, 0\)"):
        scratch.simple_rnn_forward(x, *rnn)
    kernel = rnn[0].copy()
    kernel[0, 0] = bad
    with pytest.raises(ValueError, match="kernel must contain only finite numbers"):
        scratch.simple_rnn_forward(np.ones((1, 3, 2)), kernel, rnn[1], rnn[2])


def test_rejects_bad_settings(rnn):
    with pytest.raises(ValueError, match="unknown cell 'rnn'; accepted: simple_rnn, lstm, gru"):
        scratch.random_weights("rnn", 2, 3)
    with pytest.raises(ValueError, match="units must be a positive integer, got 0"):
        scratch.random_weights("lstm", 2, 0)
    with pytest.raises(TypeError, match="truncate must be a positive integer, got float"):
        scratch.simple_rnn_bptt(np.ones((1, 2, 2)), *rnn, np.zeros((1, 2, 3)), truncate=1.5)
    with pytest.raises(ValueError, match="time must be at least 2"):
        scratch.adding_problem(3, 1)


@pytest.mark.parametrize("call, error, match", [
    # seeds of the wrong type used to raise ValueError; a wrong type is a TypeError
    (lambda: scratch.random_weights("lstm", 2, 3, seed=1.5), TypeError, "seed must be a non-negative integer, got float 1.5"),
    (lambda: scratch.random_weights("lstm", 2, 3, seed="1"), TypeError, "seed .* got str '1'"),
    (lambda: scratch.random_weights("lstm", 2, 3, seed=True), TypeError, "seed .* got bool True"),
    (lambda: scratch.random_weights("lstm", 2, 3, seed=-1), ValueError, "seed must be a non-negative integer, got -1"),
    (lambda: scratch.adding_problem(3, 5, seed=2.0), TypeError, r"seed .* got float 2\.0; pass 2 \(an int\)"),
    (lambda: scratch.adding_problem(3, 5, seed=-4), ValueError, "seed must be a non-negative integer, got -4"),
    (lambda: scratch.adding_problem(3.0, 5), TypeError, "n must be a positive integer, got float 3.0"),
    (lambda: scratch.random_weights("gru", 2, True), TypeError, "units must be a positive integer, got bool True"),
    (lambda: scratch.random_weights("gru", 2, 3, scale="0.5"), TypeError, "scale must be a positive finite number, got str"),
    (lambda: scratch.random_weights("gru", 2, 3, scale=float("nan")), ValueError, "scale must be a positive finite number, got nan"),
    (lambda: scratch.numerical_gradient(np.sum, np.ones(2), eps=float("inf")), ValueError, "eps must be a positive finite number, got inf"),
    (lambda: scratch.clip_by_norm(np.ones(2), True), TypeError, "clipnorm .* got bool True"),
    (lambda: scratch.backward_gradient_norms(np.ones((1, 2, 3, 3)), units=4), ValueError, "units must be at most the state size 3, got 4"),
    (lambda: scratch.backward_gradient_norms(np.ones((1, 2, 3, 3)), units=2.0), TypeError, "units .* got float"),
])
def test_rejects_bad_scalars_with_type_and_value_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_accepts_numpy_integer_and_float_settings():
    a = scratch.random_weights("lstm", np.int64(2), np.int32(3), seed=np.int64(5), scale=np.float32(0.5))
    b = scratch.random_weights("lstm", 2, 3, seed=5, scale=0.5)
    assert all(np.array_equal(p, q) for p, q in zip(a, b))
    x, y = scratch.adding_problem(np.int64(4), np.int16(6), seed=np.uint8(3))
    assert x.shape == (4, 6, 2) and y.shape == (4, 1)


def test_accepts_lists_and_integer_arrays(rnn):
    x = [[[1, 0], [0, 1]]]
    outputs, _ = scratch.simple_rnn_forward(x, *[w.tolist() for w in rnn])
    np.testing.assert_array_equal(outputs, scratch.simple_rnn_forward(np.array(x, dtype=float), *rnn)[0])
