"""Checking and shaping gradients: central differences, relative error, clipping, norms back in time."""

from __future__ import annotations

from typing import Callable, Optional

import numpy as np

from ..validation import check_float, check_int
from .common import _as_array


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
