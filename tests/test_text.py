"""Tests of rnn_tutorial.text: standardization, the vectorizer, splits, caching, padding, LM pairs."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from rnn_tutorial import text
from rnn_tutorial.text import (
    OOV,
    PAD,
    VOCAB_SIZE,
    encode,
    encoded_imdb,
    fit_vectorizer,
    lm_pairs,
    make_splits,
    make_vectorizer,
    pad_sequences,
    standardize,
)

TEXT = st.text(alphabet=st.sampled_from(list("abcXYZ éÉ019 .,!?'\"<>/-\t\n")), max_size=40)


def test_standardize_examples():
    assert standardize("A <br />GREAT film... isn't it?") == "a great film isn't it"
    assert standardize("Bad.<br /><br />'Really' bad!") == "bad really bad"
    assert standardize(["Été", ""]) == ["été", ""]


@settings(max_examples=60, deadline=None)
@given(TEXT)
def test_standardize_idempotent_and_clean(s):
    once = standardize(s)
    assert standardize(once) == once
    assert once == once.strip() and "  " not in once
    assert once == once.lower()
    assert "<br" not in once and not any(c in once for c in ".,!?\"<>/-\t\n")
    assert not once.startswith("'") and not once.endswith("'")


@pytest.mark.parametrize("bad", [3, b"bytes", ["ok", 5], None])
def test_standardize_rejects_non_strings(bad):
    with pytest.raises(TypeError, match="texts must be"):
        standardize(bad)


def test_vectorizer_is_fitted_on_training_texts_only():
    train = ["the movie was good", "the movie was bad", "good acting"]
    test = ["the zyzzyva was good"]  # "zyzzyva" appears only in the test texts
    vectorizer = fit_vectorizer(train, max_tokens=50)
    vocab = vectorizer.get_vocabulary()
    assert vocab[PAD] == "" and vocab[OOV] == "[UNK]"
    assert "zyzzyva" not in vocab
    ids = encode(vectorizer, test)[0]
    assert ids[1] == OOV and ids[0] == vocab.index("the")


def test_training_vectorizer_vocabulary_comes_from_train_split():
    """The book's vectorizer: every vocabulary word occurs in training reviews, and words
    that occur only in test reviews (frequent ones included) are out of vocabulary."""
    from collections import Counter

    from rnn_tutorial.data import load_imdb

    vectorizer = text.training_vectorizer()
    vocab = vectorizer.get_vocabulary()
    assert len(vocab) == VOCAB_SIZE and vocab[:2] == ["", "[UNK]"]
    train_words = set(" ".join(standardize(load_imdb("train").texts)).split())
    test_counts = Counter(" ".join(standardize(load_imdb("test").texts)).split())
    assert set(vocab[2:]) <= train_words
    test_only = [w for w, _ in test_counts.most_common() if w not in train_words][:20]
    assert len(test_only) == 20
    assert not set(test_only) & set(vocab)
    ids = encode(vectorizer, [" ".join(test_only)])[0]
    assert ids.tolist() == [OOV] * len(test_only)


def test_make_vectorizer_validates():
    with pytest.raises(ValueError, match="max_tokens"):
        make_vectorizer(max_tokens=2)
    with pytest.raises(ValueError, match="padding '' and OOV"):
        make_vectorizer(["", "[UNK]", "a"], max_tokens=10)
    with pytest.raises(ValueError, match="leaves room"):
        make_vectorizer(["a", "b", "c"], max_tokens=4)


def test_encoded_cache_roundtrip_and_rebuild(tmp_path, monkeypatch):
    vectorizer = fit_vectorizer(["good movie", "bad movie"], max_tokens=10)
    fake = type("Split", (), {})()
    fake.texts = ["good movie", "bad bad", ""]
    fake.labels = np.array([1, 0, 1], np.int8)
    fake.ratings = np.array([9, 2, 8], np.int8)
    calls = []

    def fake_load(split):
        calls.append(split)
        return fake

    monkeypatch.setattr("rnn_tutorial.data.load_imdb", fake_load)
    first = encoded_imdb("train", vectorizer, cache=tmp_path)
    second = encoded_imdb("train", vectorizer, cache=tmp_path)
    assert calls == ["train"]  # the second call read the cache
    assert [s.tolist() for s in first.sequences] == [s.tolist() for s in second.sequences]
    assert len(first.sequences[2]) == 0 and list(first.lengths) == [2, 2, 0]
    files = list(tmp_path.glob("imdb-train-*.npz"))
    assert len(files) == 1 and not list(tmp_path.glob(".*.tmp"))
    files[0].write_bytes(b"corrupt")
    third = encoded_imdb("train", vectorizer, cache=tmp_path)
    assert calls == ["train", "train"]  # rebuilt
    assert [s.tolist() for s in third.sequences] == [s.tolist() for s in first.sequences]
    other = fit_vectorizer(["another vocabulary entirely"], max_tokens=10)
    encoded_imdb("train", other, cache=tmp_path)
    assert len(list(tmp_path.glob("imdb-train-*.npz"))) == 2  # a new vocabulary, a new key


def test_splits_stratified_disjoint_deterministic():
    labels = np.array([1] * 600 + [0] * 400)
    test_labels = np.array([1, 0] * 300)
    s = make_splits(labels, test_labels, train_size=500, test_size=100, val_fraction=0.2, seed=7)
    assert len(s.train) + len(s.val) == 500 and len(s.val) == 100 and len(s.test) == 100
    assert not set(s.train) & set(s.val)
    assert labels[s.val].mean() == pytest.approx(0.6, abs=0.01)
    assert labels[s.train].mean() == pytest.approx(0.6, abs=0.01)
    assert test_labels[s.test].mean() == pytest.approx(0.5, abs=0.01)
    again = make_splits(labels, test_labels, train_size=500, test_size=100, val_fraction=0.2, seed=7)
    assert all(np.array_equal(a, b) for a, b in zip((s.train, s.val, s.test), (again.train, again.val, again.test)))
    full = make_splits(labels, test_labels)
    assert len(full.train) + len(full.val) == 1000 and len(full.test) == 600


@pytest.mark.parametrize("kwargs, match", [
    ({"val_fraction": 1.0}, "val_fraction"),
    ({"train_size": 1}, "train_size"),
    ({"test_size": 10**6}, "test_size"),
])
def test_splits_validate(kwargs, match):
    with pytest.raises(ValueError, match=match):
        make_splits(np.zeros(10), np.zeros(10), **kwargs)


SEQS = st.lists(st.lists(st.integers(1, 99), max_size=12), min_size=1, max_size=8)


@settings(max_examples=80, deadline=None)
@given(SEQS, st.one_of(st.none(), st.integers(1, 15)), st.sampled_from(["pre", "post"]), st.sampled_from(["pre", "post"]))
def test_pad_sequences_properties(seqs, max_len, padding, truncating):
    out = pad_sequences(seqs, max_len=max_len, padding=padding, truncating=truncating)
    width = max_len if max_len is not None else max(len(s) for s in seqs)
    assert out.shape == (len(seqs), width) and out.dtype == np.int32
    for row, seq in zip(out, seqs):
        kept = seq if len(seq) <= width else (seq[:width] if truncating == "post" else seq[len(seq) - width:])
        tokens = row[row != PAD].tolist()
        assert tokens == kept  # tokens are >= 1, so the non-padding entries are the kept tokens
        if kept:
            assert (row[:len(kept)].tolist() == kept) if padding == "post" else (row[width - len(kept):].tolist() == kept)


def test_pad_sequences_validates():
    with pytest.raises(ValueError, match="padding must be 'pre' or 'post'"):
        pad_sequences([[1]], padding="middle")
    with pytest.raises(ValueError, match="max_len"):
        pad_sequences([[1]], max_len=0)
    with pytest.raises(TypeError, match="sequences"):
        pad_sequences("abc")


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
    from rnn_tutorial.text import bidirectional_lm_pairs

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
    from rnn_tutorial.text import rest_of_review_pairs

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
    from rnn_tutorial.text import rest_of_review_pairs

    with pytest.raises(ValueError, match="min_len=20"):
        rest_of_review_pairs([np.arange(2, 10)])
    with pytest.raises(ValueError, match="vocab_size"):
        rest_of_review_pairs([np.arange(2, 40)], vocab_size=2)
    with pytest.raises(ValueError, match="max_len"):
        rest_of_review_pairs([np.arange(2, 40)], max_len=0)
