"""Gradients with the active Keras backend's own automatic differentiation.

Keras 3 has no backend-independent ``gradient`` function; this module is the one place a
chapter's gradient check names a backend, so the chapters run unchanged on TensorFlow,
JAX and PyTorch.
"""

from __future__ import annotations

from typing import Callable

import keras
import numpy as np


def gradient(fn: Callable, x) -> np.ndarray:
    """The gradient of a scalar function at ``x``, by the backend's autodiff.

    Args:
        fn: maps a float32 tensor shaped like ``x`` to a scalar tensor, written with
            ``keras.ops`` (or Keras losses and layers), so every backend can trace it.
        x: the point, any float array shape ``s``.

    Returns:
        ``float32`` NumPy array of shape ``s``: d fn / d x at ``x``.

    Raises:
        TypeError: if ``fn`` is not callable.
        ValueError: if ``fn`` does not return a scalar, or ``x`` is not finite.

    Example:
        >>> gradient(lambda z: keras.ops.sum(z ** 2), np.array([1.0, -2.0]))
        array([ 2., -4.], dtype=float32)
    """
    if not callable(fn):
        raise TypeError(f"fn must be a function of one tensor, got {type(fn).__name__}")
    x = np.asarray(x, dtype="float32")
    if not np.all(np.isfinite(x)):
        raise ValueError("x must be finite (no NaN or infinity)")

    def scalar(value):
        out = fn(value)
        if tuple(keras.ops.shape(out)) not in ((), (1,)):
            raise ValueError(f"fn must return a scalar, got shape {tuple(keras.ops.shape(out))}")
        return keras.ops.reshape(out, ())

    backend = keras.backend.backend()
    if backend == "jax":
        import jax

        return np.asarray(jax.grad(scalar)(jax.numpy.asarray(x)), dtype="float32")
    if backend == "torch":
        import torch

        value = torch.tensor(x, requires_grad=True)
        scalar(value).backward()
        return value.grad.detach().cpu().numpy().astype("float32")
    import tensorflow as tf

    value = tf.Variable(x)
    with tf.GradientTape() as tape:
        out = scalar(value)
    return np.asarray(tape.gradient(out, value), dtype="float32")
