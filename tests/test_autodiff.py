"""rnn_tutorial.autodiff: the backend's gradient equals the analytic one."""

import keras
import numpy as np
import pytest

from rnn_tutorial.autodiff import gradient


def test_gradient_of_a_quadratic():
    x = np.array([[1.0, -2.0], [0.5, 3.0]], dtype="float32")
    np.testing.assert_allclose(gradient(lambda z: keras.ops.sum(z ** 2), x), 2 * x, rtol=1e-6)


def test_softmax_cross_entropy_gradient_is_softmax_minus_one_hot():
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(1, 7)).astype("float32")
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    grad = gradient(lambda z: loss(np.array([3]), z), logits)
    expected = np.exp(logits) / np.exp(logits).sum() - np.eye(7)[3]
    np.testing.assert_allclose(grad, expected, atol=1e-6)
    assert grad.shape == logits.shape and grad.dtype == np.float32


def test_refuses_bad_input():
    with pytest.raises(TypeError, match="fn must be a function"):
        gradient(3, np.zeros(2))
    with pytest.raises(ValueError, match="finite"):
        gradient(lambda z: keras.ops.sum(z), np.array([np.nan]))
    with pytest.raises(ValueError, match="scalar"):
        gradient(lambda z: z * 2, np.zeros(3))
