"""Tests of rnn_tutorial.ensembles: a stack learned on validation, never worse than its best member."""

import numpy as np
import pytest

from rnn_tutorial.ensembles import log_odds, stacked_ensemble


def _members(n, seed=0):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, n)
    signal = np.where(labels == 1, 1.0, -1.0)
    # two members that see independent noisy views of the label: together they are better
    a = 1 / (1 + np.exp(-(signal + rng.normal(0, 1.5, n))))
    b = 1 / (1 + np.exp(-(signal + rng.normal(0, 1.5, n))))
    noise = rng.uniform(0, 1, n)   # a useless member
    return labels, {"a": a, "b": b, "noise": noise}


def test_stack_beats_each_member_and_weights_ignore_noise():
    labels, probs = _members(4000)
    test_labels, test_probs = _members(4000, seed=1)
    result = stacked_ensemble(probs, labels, test_probs)
    assert result.chosen == "stack"
    assert result.stack_val_accuracy > max(result.member_val_accuracy.values())
    assert abs(result.weights["noise"]) < 0.2 < min(result.weights["a"], result.weights["b"])
    test_accuracy = np.mean((result.test_probs >= 0.5) == test_labels)
    assert test_accuracy > max(np.mean((p >= 0.5) == test_labels) for p in test_probs.values())


def test_falls_back_to_the_best_member_when_the_stack_does_not_help():
    rng = np.random.default_rng(3)
    labels = rng.integers(0, 2, 400)
    perfect = np.where(labels == 1, 0.9, 0.1)
    probs = {"perfect": perfect, "noise": rng.uniform(0, 1, 400)}
    result = stacked_ensemble(probs, labels, {"perfect": perfect[:10], "noise": probs["noise"][:10]})
    assert result.val_accuracy >= result.member_val_accuracy["perfect"] == 1.0
    if result.chosen != "stack":
        assert result.chosen == "perfect" and np.array_equal(result.test_probs, perfect[:10])


def test_log_odds_is_finite_at_the_ends():
    values = log_odds([0.0, 0.5, 1.0])
    assert np.all(np.isfinite(values)) and values[1] == 0.0
    assert values[0] == pytest.approx(-values[2])


@pytest.mark.parametrize("call, error, match", [
    (lambda l, p: stacked_ensemble({"a": p["a"]}, l, {"a": p["a"]}), ValueError, "at least two members"),
    (lambda l, p: stacked_ensemble(p, l, {"a": p["a"], "b": p["b"]}), ValueError, "same members"),
    (lambda l, p: stacked_ensemble(p, l[:-1], p), ValueError, "must hold 100 probabilities|must hold 99"),
    (lambda l, p: stacked_ensemble({**p, "a": p["a"] * 2}, l, p), ValueError, r"in \[0, 1\]"),
    (lambda l, p: stacked_ensemble(p, l * 2, p), ValueError, "only 0 and 1"),
    (lambda l, p: stacked_ensemble(p, l, p, folds=1), ValueError, "folds must be at least 2"),
    (lambda l, p: stacked_ensemble(p, l, p, folds=2.0), TypeError, "folds must be an integer"),
    (lambda l, p: stacked_ensemble(p, l, p, C=0), ValueError, "C must be a positive"),
    (lambda l, p: stacked_ensemble([1, 2], l, p), TypeError, "mappings"),
])
def test_bad_input_is_refused(call, error, match):
    labels, probs = _members(100)
    with pytest.raises(error, match=match):
        call(labels, probs)
