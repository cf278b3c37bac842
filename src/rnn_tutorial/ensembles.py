"""Stacked ensembles: weights for several models' predictions, learned on validation data.

Averaging probabilities gives every member the same say; a weak member then pulls a strong
one down. A *stacked* ensemble (Wolpert 1992) learns how much to trust each member: a
logistic regression whose inputs are the members' log-odds ``log(p / (1 - p))`` on the
**validation** reviews and whose target is the validation label. Test reviews are never
seen while fitting, so the test accuracy is scored once, at the end.

Fitting on the validation reviews and scoring on them would flatter the stack, so its
validation accuracy is *cross-fitted*: each of ``folds`` parts of the validation reviews
is predicted by a stack fitted on the other parts. If that honest estimate does not beat
the best single member's validation accuracy, the ensemble falls back to that member, so
the result never loses to its best member on validation.

Example:
    >>> from rnn_tutorial.ensembles import stacked_ensemble
    >>> result = stacked_ensemble({"rnn": rnn_val, "bigram": bigram_val}, val_labels,
    ...                           {"rnn": rnn_test, "bigram": bigram_test})
    >>> result.chosen, result.val_accuracy, result.weights
"""

from __future__ import annotations

import dataclasses
import numbers
from typing import Mapping

import numpy as np

__all__ = ["StackedEnsemble", "log_odds", "stacked_ensemble"]

_EPS = 1e-6


@dataclasses.dataclass(frozen=True)
class StackedEnsemble:
    """The result of :func:`stacked_ensemble`.

    Attributes:
        members: the members' names, in the order of ``weights``.
        weights: ``{member: weight}`` on each member's log-odds (the stack fitted on all
            validation reviews).
        intercept: the stack's bias.
        chosen: ``"stack"``, or the name of the single member that the validation
            reviews preferred.
        val_accuracy: the cross-fitted validation accuracy of the stack, or the chosen
            member's validation accuracy when it was chosen instead.
        stack_val_accuracy: the stack's cross-fitted validation accuracy (always given).
        member_val_accuracy: ``{member: validation accuracy}``.
        test_probs: the chosen model's probabilities on the test reviews, shape ``(n_test,)``.
    """

    members: tuple
    weights: dict
    intercept: float
    chosen: str
    val_accuracy: float
    stack_val_accuracy: float
    member_val_accuracy: dict
    test_probs: np.ndarray


def log_odds(probs) -> np.ndarray:
    """``log(p / (1 - p))``, with ``p`` clipped to ``[1e-6, 1 - 1e-6]`` so it stays finite."""
    p = np.clip(np.asarray(probs, dtype=np.float64), _EPS, 1.0 - _EPS)
    return np.log(p) - np.log1p(-p)


def _probs(name: str, value, n: "int | None") -> np.ndarray:
    array = np.asarray(value, dtype=np.float64)
    if array.ndim == 2 and array.shape[1] == 1:
        array = array[:, 0]
    if array.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array of probabilities, got shape {array.shape}")
    if n is not None and array.shape[0] != n:
        raise ValueError(f"{name} must hold {n} probabilities (one per review), got {array.shape[0]}")
    if not np.all(np.isfinite(array)) or array.min() < 0.0 or array.max() > 1.0:
        raise ValueError(f"{name} must hold finite probabilities in [0, 1]")
    return array


def _labels(value) -> np.ndarray:
    labels = np.asarray(value)
    if labels.ndim != 1 or labels.size == 0:
        raise ValueError(f"val_labels must be a non-empty 1-D array of 0/1 labels, got shape {labels.shape}")
    if not np.all(np.isin(labels, (0, 1))):
        raise ValueError(f"val_labels must hold only 0 and 1, got the values {sorted(set(labels.tolist()))[:5]}")
    if labels.min() == labels.max():
        raise ValueError("val_labels must contain both classes to fit a stack")
    return labels.astype(np.int64)


def _fit(features: np.ndarray, labels: np.ndarray, C: float):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, max_iter=1000).fit(features, labels)


def stacked_ensemble(val_probs: Mapping, val_labels, test_probs: Mapping, folds: int = 5, seed: int = 0,
                     C: float = 1.0) -> StackedEnsemble:
    """Learn each member's weight on the validation reviews; fall back to the best member.

    Args:
        val_probs: ``{member: p(positive) on the validation reviews}``, each ``(n_val,)``;
            at least two members.
        val_labels: the validation labels, ``(n_val,)`` of 0 and 1.
        test_probs: ``{member: p(positive) on the test reviews}``, the same members, each
            ``(n_test,)``.
        folds: the number of parts for the cross-fitted validation accuracy (2 or more).
        seed: the seed of the fold assignment.
        C: the inverse L2 strength of the logistic regression (default 1.0).

    Returns:
        A :class:`StackedEnsemble`.

    Raises:
        TypeError: if the probabilities are not mappings or ``folds``/``seed``/``C`` have
            the wrong type.
        ValueError: if members differ between the two mappings, an array has the wrong
            length or holds values outside ``[0, 1]``, labels are not 0/1, or ``folds``
            exceeds the number of validation reviews.
    """
    if not isinstance(val_probs, Mapping) or not isinstance(test_probs, Mapping):
        raise TypeError("val_probs and test_probs must be mappings {member name: probabilities}")
    if len(val_probs) < 2:
        raise ValueError(f"a stack needs at least two members, got {len(val_probs)}")
    if set(val_probs) != set(test_probs):
        raise ValueError(f"val_probs and test_probs must name the same members, got {sorted(val_probs)} "
                         f"and {sorted(test_probs)}")
    for name, value, low in (("folds", folds, 2), ("seed", seed, 0)):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise TypeError(f"{name} must be an integer, got {type(value).__name__} {value!r}")
        if value < low:
            raise ValueError(f"{name} must be at least {low}, got {value}")
    if isinstance(C, bool) or not isinstance(C, numbers.Real) or not np.isfinite(C) or C <= 0:
        raise ValueError(f"C must be a positive finite number, got {C!r}")
    labels = _labels(val_labels)
    if folds > labels.size:
        raise ValueError(f"folds ({folds}) cannot exceed the number of validation reviews ({labels.size})")
    members = tuple(val_probs)
    val = {m: _probs(f"val_probs[{m!r}]", val_probs[m], labels.size) for m in members}
    n_test = len(np.asarray(test_probs[members[0]]).reshape(-1))
    test = {m: _probs(f"test_probs[{m!r}]", test_probs[m], n_test) for m in members}
    x_val = np.stack([log_odds(val[m]) for m in members], axis=1)
    x_test = np.stack([log_odds(test[m]) for m in members], axis=1)

    assignment = np.random.default_rng(int(seed)).permutation(labels.size) % int(folds)
    cross = np.empty(labels.size)
    for k in range(int(folds)):
        held = assignment == k
        if np.unique(labels[~held]).size < 2:
            raise ValueError("a fold left only one class to fit on; use fewer folds or more validation reviews")
        cross[held] = _fit(x_val[~held], labels[~held], C).predict_proba(x_val[held])[:, 1]
    stack_val_accuracy = float(np.mean((cross >= 0.5) == labels))
    member_val_accuracy = {m: float(np.mean((val[m] >= 0.5) == labels)) for m in members}
    stack = _fit(x_val, labels, C)
    best_member = max(members, key=lambda m: member_val_accuracy[m])
    if stack_val_accuracy > member_val_accuracy[best_member]:
        chosen, val_accuracy, chosen_test = "stack", stack_val_accuracy, stack.predict_proba(x_test)[:, 1]
    else:
        chosen, val_accuracy, chosen_test = best_member, member_val_accuracy[best_member], test[best_member]
    return StackedEnsemble(
        members=members,
        weights={m: float(w) for m, w in zip(members, stack.coef_[0])},
        intercept=float(stack.intercept_[0]),
        chosen=chosen,
        val_accuracy=val_accuracy,
        stack_val_accuracy=stack_val_accuracy,
        member_val_accuracy=member_val_accuracy,
        test_probs=np.asarray(chosen_test, dtype=np.float64),
    )
