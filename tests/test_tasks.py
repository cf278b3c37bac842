"""rnn_tutorial.tasks: language-model windows and rest-of-review pairs."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rnn_tutorial.tasks import lm_pairs
from rnn_tutorial.tokens import OOV


@settings(max_examples=50, deadline=None)
@given(st.lists(st.lists(st.integers(1, 30), max_size=20), min_size=1, max_size=6), st.integers(1, 6))
def test_lm_pairs_shift_by_one(seqs, window):
    total = sum(len(s) for s in seqs)
    if total < window + 1:
        with pytest.raises(ValueError, match="fewer than one window"):
            lm_pairs(seqs, window, vocab_size=20)
        return
    x, y = lm_pairs(seqs, window, vocab_size=20)
    assert x.shape == y.shape == (total // (window + 1), window)
    assert np.array_equal(x[:, 1:], y[:, :-1])
    assert x.max() < 20 and y.max() < 20
    stream = np.concatenate([np.asarray(s) for s in seqs])
    stream = np.where(stream >= 20, OOV, stream)
    assert np.array_equal(x[0], stream[:window]) and np.array_equal(y[0], stream[1:window + 1])


def test_lm_pairs_max_windows_and_validation():
    x, y = lm_pairs([np.arange(1, 101)], 9, vocab_size=200, max_windows=4, seed=3)
    assert x.shape == (4, 9)
    x2, _ = lm_pairs([np.arange(1, 101)], 9, vocab_size=200, max_windows=4, seed=3)
    assert np.array_equal(x, x2)
    with pytest.raises(ValueError, match="window"):
        lm_pairs([np.arange(5)], 0)
    with pytest.raises(ValueError, match="input_vocab_size"):
        lm_pairs([np.arange(1, 50)], 4, vocab_size=20, input_vocab_size=10)


def test_lm_pairs_keep_rare_input_words_for_a_reused_embedding():
    # the softmax stays small, but every embedding row a classifier reads gets trained
    x, y = lm_pairs([np.arange(1, 101)], 9, vocab_size=20, input_vocab_size=200)
    assert x.max() == 99 and y.max() < 20
    assert np.array_equal(np.where(x[:, 1:] >= 20, OOV, x[:, 1:]), y[:, :-1])


@settings(max_examples=50, deadline=None)
@given(st.lists(st.lists(st.integers(1, 40), max_size=20), min_size=1, max_size=6), st.integers(1, 6))
def test_bidirectional_lm_pairs_next_and_previous(seqs, window):
    from rnn_tutorial.tasks import bidirectional_lm_pairs

    total = sum(len(s) for s in seqs)
    if total < window + 2:
        with pytest.raises(ValueError, match="fewer than one window"):
            bidirectional_lm_pairs(seqs, window, vocab_size=20, input_vocab_size=40)
        return
    x, nxt, prev = bidirectional_lm_pairs(seqs, window, vocab_size=20, input_vocab_size=40)
    assert x.shape == nxt.shape == prev.shape == (total // (window + 2), window)
    small = np.where(x >= 20, OOV, x)
    assert np.array_equal(small[:, 1:], nxt[:, :-1])      # the next target at t is the input at t + 1
    assert np.array_equal(small[:, :-1], prev[:, 1:])     # the previous target at t is the input at t - 1
    stream = np.concatenate([np.asarray(s) for s in seqs])
    assert np.array_equal(x[0], np.where(stream >= 40, OOV, stream)[1:window + 1])
    assert prev[0, 0] == (stream[0] if stream[0] < 20 else OOV)


def test_rest_of_review_pairs_each_half_predicts_the_other():
    from rnn_tutorial.tasks import rest_of_review_pairs

    review = np.array([5, 1, 7, 7, 2, 9, 30, 8, 3, 1], np.int32)         # 1 is OOV, 30 is beyond vocab_size
    inputs, targets = rest_of_review_pairs([review, np.array([4, 5])], vocab_size=10, min_len=4)
    assert len(inputs) == len(targets) == 2                                 # the 2-token review is too short
    np.testing.assert_array_equal(inputs[0], review[:5])
    np.testing.assert_array_equal(targets[0], [3, 8, 9])                   # distinct, sorted, no OOV, < vocab_size
    np.testing.assert_array_equal(inputs[1], review[5:])
    np.testing.assert_array_equal(targets[1], [2, 5, 7])
    short, _ = rest_of_review_pairs([review], vocab_size=10, min_len=4, max_len=3)
    np.testing.assert_array_equal(short[0], review[2:5])                    # the last max_len tokens of a half


def test_rest_of_review_pairs_reject_bad_input():
    from rnn_tutorial.tasks import rest_of_review_pairs

    with pytest.raises(ValueError, match="min_len=20"):
        rest_of_review_pairs([np.arange(2, 10)])
    with pytest.raises(ValueError, match="vocab_size"):
        rest_of_review_pairs([np.arange(2, 40)], vocab_size=2)
    with pytest.raises(ValueError, match="max_len"):
        rest_of_review_pairs([np.arange(2, 40)], max_len=0)


@pytest.mark.parametrize("pairs", ["lm_pairs", "bidirectional_lm_pairs"])
def test_lm_pairs_check_the_seed_that_chooses_the_windows(pairs):
    from rnn_tutorial import tasks

    make = getattr(tasks, pairs)
    seqs = [np.arange(2, 40)]
    first = make(seqs, 3, vocab_size=50, max_windows=2, seed=np.int64(5))[0]
    assert np.array_equal(first, make(seqs, 3, vocab_size=50, max_windows=2, seed=5)[0])
    # seed=None used to give other windows on every call; -1, 1.5 and "a" NumPy errors not naming seed
    with pytest.raises(TypeError, match=r"seed must be a non-negative integer, got None; pass an int such as 1234"):
        make(seqs, 3, vocab_size=50, max_windows=2, seed=None)
    with pytest.raises(ValueError, match=r"seed must be a non-negative integer, got -1; use 0 or more"):
        make(seqs, 3, vocab_size=50, max_windows=2, seed=-1)
    with pytest.raises(TypeError, match=r"seed must be a non-negative integer, got float 1\.5"):
        make(seqs, 3, vocab_size=50, max_windows=2, seed=1.5)
    with pytest.raises(TypeError, match=r"seed must be a non-negative integer, got str 'a'"):
        make(seqs, 3, vocab_size=50, seed="a")                 # refused even when every window is kept
    with pytest.raises(TypeError, match=r"seed must be a non-negative integer, got bool True"):
        make(seqs, 3, vocab_size=50, max_windows=2, seed=True)
