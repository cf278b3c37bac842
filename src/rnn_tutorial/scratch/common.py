"""Shared pieces of the NumPy cells: argument checks, the sigmoid, random weights in Keras's layout."""

from __future__ import annotations

from typing import Optional

import numpy as np

from ..validation import check_float, check_int

CELLS = ("simple_rnn", "lstm", "gru")
_GATES = {"simple_rnn": 1, "lstm": 4, "gru": 3}


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
