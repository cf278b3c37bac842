"""Which reviews a run trains, validates and tests on.

:func:`make_splits` carves a stratified validation split from the training reviews (or,
with ``groups``, one whose movies no training review is about) and picks the test
reviews kept for the final evaluation; :func:`profile_splits` does it with a profile's
sizes. Indices refer to :func:`rnn_tutorial.data.load_imdb`'s order.
"""

from __future__ import annotations

import dataclasses
from typing import Optional

import numpy as np

from .validation import check_count, check_labels
@dataclasses.dataclass(frozen=True)
class Splits:
    """Indices of the reviews a run uses.

    Attributes:
        train: indices into the training split used for fitting, shape ``(n_train,)``.
        val: indices into the training split held out for validation, ``(n_val,)``.
        test: indices into the test split, for the final evaluation only, ``(n_test,)``.
    """

    train: np.ndarray
    val: np.ndarray
    test: np.ndarray


def _stratified_take(labels: np.ndarray, indices: np.ndarray, n: int, rng) -> tuple[np.ndarray, np.ndarray]:
    """Split ``indices`` into (taken, rest) with ``n`` taken, label shares preserved."""
    taken, rest = [], []
    classes = np.unique(labels[indices])
    remaining = n
    for i, c in enumerate(classes):
        members = indices[labels[indices] == c]
        members = members[rng.permutation(len(members))]
        k = remaining if i == len(classes) - 1 else int(round(n * len(members) / len(indices)))
        k = min(k, len(members))
        remaining -= k
        taken.append(members[:k])
        rest.append(members[k:])
    return np.sort(np.concatenate(taken)), np.sort(np.concatenate(rest))


def _check_labels(name: str, labels) -> np.ndarray:
    """``labels`` as a 1-D array of at least two 0/1 labels (see :func:`~rnn_tutorial.validation.check_labels`)."""
    labels = check_labels(name, labels)
    if len(labels) < 2:
        raise ValueError(f"{name} must be a 1-D array of at least 2 labels, got {len(labels)}")
    return labels


def _check_groups(groups, n: int) -> np.ndarray:
    """Integer codes ``(n,)`` for ``groups`` (one id per training review), or raise."""
    if isinstance(groups, (str, bytes)):
        raise TypeError(f"groups must be an array of group ids, one per training review, got a single {type(groups).__name__}")
    groups = np.asarray(groups)
    if groups.dtype.kind == "O" and groups.ndim == 1 and all(isinstance(g, str) for g in groups):
        groups = groups.astype(str)
    if groups.dtype.kind not in "iuUS":
        raise TypeError(
            f"groups must hold integer or string ids (e.g. the movie ids of load_movies('train')), got dtype {groups.dtype}"
        )
    if groups.ndim != 1 or len(groups) != n:
        raise ValueError(
            f"groups must give one group per training review, aligned with train_labels: expected shape ({n},), "
            f"got {groups.shape}; pass load_movies('train') for the labels of load_imdb('train')"
        )
    return np.unique(groups, return_inverse=True)[1].reshape(-1)


def _class_targets(labels: np.ndarray, indices: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The classes of ``labels[indices]`` and how many of each a stratified take of ``n`` gets."""
    classes, counts = np.unique(labels[indices], return_counts=True)
    targets, remaining = [], n
    for i, count in enumerate(counts):
        k = remaining if i == len(classes) - 1 else int(round(n * count / len(indices)))
        k = min(k, int(count))
        remaining -= k
        targets.append(k)
    return classes, np.asarray(targets, dtype=np.int64)


def _grouped_take(labels: np.ndarray, codes: np.ndarray, indices: np.ndarray, n: int,
                  rng) -> tuple[np.ndarray, np.ndarray]:
    """Split ``indices`` into (taken, rest) by whole groups, about ``n`` taken, label shares kept.

    The target is the count per label a stratified take of ``n`` would get. The groups
    are visited in a random order, and a group is taken when it brings the taken count
    per label closer to the target (L1 distance); then single groups are added or put
    back, best first, while that still brings it closer. No group is split, and the
    size and label shares end at or next to the target.
    """
    classes, targets = _class_targets(labels, indices, n)
    _, local = np.unique(codes[indices], return_inverse=True)
    local = local.reshape(-1)
    per_group = np.zeros((local.max() + 1, len(classes)), dtype=np.int64)
    np.add.at(per_group, (local, np.searchsorted(classes, labels[indices])), 1)
    taken = np.zeros(len(per_group), dtype=bool)
    have = np.zeros(len(classes), dtype=np.int64)
    gap = int(np.abs(targets - have).sum())
    order = rng.permutation(len(per_group))
    for g in order:
        if gap == 0:
            break
        new_gap = int(np.abs(targets - have - per_group[g]).sum())
        if new_gap < gap:
            taken[g], have, gap = True, have + per_group[g], new_gap
    while gap > 0:  # each step lowers the integer gap, so this ends
        sign = np.where(taken[order], -1, 1)[:, None]
        gaps = np.abs(targets - have - sign * per_group[order]).sum(axis=1)
        best = int(np.argmin(gaps))  # ties: the first in the random order
        if gaps[best] >= gap:
            break
        g = order[best]
        have = have - per_group[g] if taken[g] else have + per_group[g]
        taken[g], gap = not taken[g], int(gaps[best])
    mask = taken[local]
    return np.sort(indices[mask]), np.sort(indices[~mask])


def make_splits(train_labels: np.ndarray, test_labels: np.ndarray, train_size: Optional[int] = None,
                test_size: Optional[int] = None, val_fraction: float = 0.2, seed: int = 1234,
                groups: Optional[np.ndarray] = None) -> Splits:
    """Choose the training, validation and test reviews of a run, stratified by label.

    Args:
        train_labels: labels of the training split (0 or 1), shape ``(25000,)``.
        test_labels: labels of the test split (0 or 1), shape ``(25000,)``.
        train_size: training reviews used (fit + validation), an integer from 2 to
            ``len(train_labels)``; ``None`` for all.
        test_size: test reviews evaluated, from 2 to ``len(test_labels)``; ``None`` for all.
        val_fraction: share of the used training reviews held out for validation,
            a float strictly between 0 and 1; both parts must get at least one review.
        seed: a non-negative integer; the subsampling and the split are a function of
            the seed only.
        groups: ``None`` (a review-level split), or one group id per training review,
            aligned with ``train_labels`` (e.g. :func:`rnn_tutorial.data.load_movies`
            ``("train")``, the movie of each review). Then whole groups go to
            validation, so no group (movie) has reviews in both training and
            validation: the groups present among the used reviews are visited in a
            random order, and each one is taken for validation when it brings the
            validation count per label closer to the stratified target (then single
            groups are added or put back while that helps). The validation size and
            label shares are therefore at or near, not always exactly, those of
            ``groups=None``. The used reviews and the test reviews are those of
            ``groups=None`` with the same seed.

    Integer arguments accept NumPy integers (``np.int64(5)``), never bools.

    Returns:
        :class:`Splits` of sorted indices; ``train`` and ``val`` are disjoint.

    Raises:
        TypeError: for an argument of the wrong type (a float or bool size or seed, a
            non-float ``val_fraction``, labels or groups that are not numbers or ids).
        ValueError: for labels other than 0 and 1, a wrong shape, sizes out of range,
            a ``val_fraction`` that leaves the training or the validation part empty
            (the message says how many reviews each would get), or groups that cannot
            be split (a single group, or groups all larger than the validation part).
    """
    train_labels = _check_labels("train_labels", train_labels)
    test_labels = _check_labels("test_labels", test_labels)
    if isinstance(val_fraction, (bool, np.bool_)) or not isinstance(val_fraction, (float, np.floating)):
        raise TypeError(f"val_fraction must be a float strictly between 0 and 1, got {type(val_fraction).__name__} {val_fraction!r:.60}")
    if not 0.0 < val_fraction < 1.0:
        raise ValueError(f"val_fraction must be a float strictly between 0 and 1, got {val_fraction!r}")
    val_fraction = float(val_fraction)
    sizes = {}
    for name, size, total in (("train_size", train_size, len(train_labels)), ("test_size", test_size, len(test_labels))):
        what = f"None or an integer between 2 and {total}"
        size = check_count(name, size, 2, what, none=True)
        if size is not None and size > total:
            raise ValueError(f"{name} must be {what}, got {size!r}")
        sizes[name] = size
    train_size, test_size = sizes["train_size"], sizes["test_size"]
    seed = check_count("seed", seed, 0, "a non-negative integer")
    codes = None if groups is None else _check_groups(groups, len(train_labels))
    n_used = len(train_labels) if train_size is None else train_size
    n_val = max(1, int(round(val_fraction * n_used)))
    if n_val >= n_used:
        raise ValueError(
            f"val_fraction={val_fraction} of {n_used} training reviews (train_size={train_size}) gives "
            f"{n_used - n_val} reviews to training and {n_val} to validation; both need at least one: "
            "lower val_fraction or use more training reviews"
        )
    rng = np.random.default_rng(seed)
    used = np.arange(len(train_labels))
    if train_size is not None and train_size < len(train_labels):
        used, _ = _stratified_take(train_labels, used, train_size, rng)
    val, train = _stratified_take(train_labels, used, n_val, rng)
    test = np.arange(len(test_labels))
    if test_size is not None and test_size < len(test_labels):
        test, _ = _stratified_take(test_labels, test, test_size, rng)
    if codes is not None:  # drawn after the rest, so used and test stay those of groups=None
        val, train = _grouped_take(train_labels, codes, used, n_val, rng)
        if len(val) == 0 or len(train) == 0:
            n_groups = len(np.unique(codes[used]))
            raise ValueError(
                f"cannot split {len(used)} training reviews in {n_groups} group{'s' * (n_groups != 1)} by group for "
                f"val_fraction={val_fraction}: whole groups give {len(train)} reviews to training and {len(val)} "
                f"to validation (target {n_val}); use more training reviews, more groups, or groups=None"
            )
    return Splits(train=train, val=val, test=test)


def profile_splits(profile, train_labels: np.ndarray, test_labels: np.ndarray, seed: int = 1234,
                   groups: Optional[np.ndarray] = None) -> Splits:
    """:func:`make_splits` with a :class:`~rnn_tutorial.profiles.Profile`'s sizes.

    ``groups`` (e.g. ``load_movies("train")``) is passed on: with it, no group has reviews
    in both training and validation.
    """
    return make_splits(train_labels, test_labels, train_size=profile.train_size, test_size=profile.test_size,
                       val_fraction=profile.val_fraction, seed=seed, groups=groups)