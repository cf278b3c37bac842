"""The adding problem (Hochreiter and Schmidhuber, 1997): a long-range synthetic task."""

from __future__ import annotations

import numpy as np

from ..validation import check_int


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
