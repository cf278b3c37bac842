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


# --------------------------------------------------------------------------- arguments that make no sense


def _encoders():
    from rnn_tutorial.text import TextEncoder

    return [TextEncoder(["", "[UNK]", "good", "movie"]), fit_vectorizer(["good movie", "bad movie"], max_tokens=10)]


@pytest.mark.parametrize("which", [0, 1], ids=["TextEncoder", "TextVectorization"])
@pytest.mark.parametrize("batch_size, error", [(-1, ValueError), (0, ValueError), (2.5, TypeError),
                                               (True, TypeError), ("8", TypeError), (None, TypeError)])
def test_encode_refuses_a_bad_batch_size(which, batch_size, error):
    """``batch_size=-1`` used to return an empty list without a word (range(0, n, -1))."""
    with pytest.raises(error, match=r"batch_size must be a positive integer"):
        encode(_encoders()[which], ["good movie", "bad"], batch_size=batch_size)


def test_encode_accepts_numpy_integer_batch_sizes():
    for encoder in _encoders():
        expected = [s.tolist() for s in encode(encoder, ["good movie", "bad", "movie"], batch_size=2)]
        assert [s.tolist() for s in encode(encoder, ["good movie", "bad", "movie"], batch_size=np.int64(2))] == expected


@pytest.mark.parametrize("max_tokens, error", [(0, ValueError), (-5, ValueError), (2, ValueError),
                                               (10.0, TypeError), (True, TypeError), ("10", TypeError)])
def test_count_vocabulary_refuses_a_bad_max_tokens(max_tokens, error):
    with pytest.raises(error, match=r"max_tokens must be an integer >= 3"):
        text.count_vocabulary(["good movie", "bad movie"], max_tokens=max_tokens)


def test_count_vocabulary_accepts_numpy_integers():
    texts = ["good movie", "bad movie", "good plot"]
    assert text.count_vocabulary(texts, max_tokens=np.int64(4)) == text.count_vocabulary(texts, max_tokens=4) == ["movie", "good"]


LABELS = np.array([1] * 600 + [0] * 400)
TEST_LABELS = np.array([1, 0] * 300)


@pytest.mark.parametrize("kwargs, message", [
    ({"train_size": 2, "val_fraction": 0.9}, r"gives 0 reviews to training and 2 to validation"),
    ({"train_size": 2, "val_fraction": 0.75}, r"gives 0 reviews to training and 2 to validation"),
    ({"train_size": 10, "val_fraction": 0.99}, r"val_fraction=0.99 of 10 training reviews .* gives 0 reviews to training and 10"),
])
def test_splits_refuse_an_empty_training_part(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_splits(LABELS, TEST_LABELS, **kwargs)
    small = make_splits(LABELS, TEST_LABELS, train_size=2, val_fraction=0.5)  # the smallest that works
    assert len(small.train) == len(small.val) == 1


@pytest.mark.parametrize("bad", [-1, 2])
@pytest.mark.parametrize("which", ["train_labels", "test_labels"])
def test_splits_refuse_labels_other_than_0_and_1(which, bad):
    labels = {"train_labels": LABELS.copy(), "test_labels": TEST_LABELS.copy()}
    labels[which][5] = bad
    with pytest.raises(ValueError, match=rf"{which} must hold only the labels 0 \(negative\) and 1 \(positive\), got {bad} at index 5"):
        make_splits(labels["train_labels"], labels["test_labels"])


def test_splits_refuse_labels_that_are_not_numbers():
    with pytest.raises(TypeError, match=r"train_labels must hold the labels 0 and 1 as numbers, got dtype <U3"):
        make_splits(np.array(["pos", "neg"] * 5), TEST_LABELS)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"train_size": True}, TypeError, r"train_size must be None or an integer between 2 and 1000, got bool True"),
    ({"train_size": 500.0}, TypeError, r"train_size must be None or an integer between 2 and 1000, got float"),
    ({"test_size": np.int64(10**6)}, ValueError, r"test_size must be None or an integer between 2 and 600"),
    ({"seed": True}, TypeError, r"seed must be a non-negative integer, got bool"),
    ({"seed": -1}, ValueError, r"seed must be a non-negative integer, got -1"),
    ({"seed": 1.5}, TypeError, r"seed must be a non-negative integer"),
    ({"val_fraction": 1}, TypeError, r"val_fraction must be a float strictly between 0 and 1, got int 1"),
    ({"val_fraction": float("nan")}, ValueError, r"val_fraction must be a float strictly between 0 and 1, got nan"),
])
def test_splits_validate_types_and_values(kwargs, error, match):
    with pytest.raises(error, match=match):
        make_splits(LABELS, TEST_LABELS, **kwargs)


def test_numpy_integers_are_accepted_like_python_ints():
    from rnn_tutorial.text import bidirectional_lm_pairs, rest_of_review_pairs, truncate

    as_int = make_splits(LABELS, TEST_LABELS, train_size=500, test_size=100, seed=7)
    as_np = make_splits(LABELS, TEST_LABELS, train_size=np.int64(500), test_size=np.int32(100), seed=np.int64(7))
    assert all(np.array_equal(a, b) for a, b in zip((as_int.train, as_int.val, as_int.test), (as_np.train, as_np.val, as_np.test)))
    assert np.array_equal(pad_sequences([[1, 2, 3, 4]], max_len=np.int64(3), value=np.int64(0)), [[1, 2, 3]])
    assert truncate(np.arange(5), np.int64(2)).tolist() == [0, 1]
    x, y = lm_pairs([np.arange(1, 30)], np.int64(4), vocab_size=np.int64(20), max_windows=np.int64(2))
    assert x.shape == (2, 4)
    assert bidirectional_lm_pairs([np.arange(1, 30)], np.int64(3), vocab_size=np.int64(20))[0].shape[1] == 3
    assert len(rest_of_review_pairs([np.arange(2, 40)], vocab_size=np.int64(30), min_len=np.int64(4))[0]) == 2
    assert make_vectorizer(max_tokens=np.int64(10), output_sequence_length=np.int64(4)) is not None


@pytest.mark.parametrize("call", [
    lambda: pad_sequences([[1, 2]], max_len=True),
    lambda: pad_sequences([[1, 2]], max_len=2.0),
    lambda: pad_sequences([[1, 2]], value=1.5),
    lambda: pad_sequences([[1, 2]], value=False),
    lambda: lm_pairs([np.arange(1, 30)], True),
    lambda: lm_pairs([np.arange(1, 30)], 4, max_windows=2.0),
    lambda: make_vectorizer(max_tokens=True),
], ids=["max_len bool", "max_len float", "value float", "value bool", "window bool", "max_windows float", "max_tokens bool"])
def test_bools_and_floats_are_refused_where_integers_are_expected(call):
    with pytest.raises(TypeError, match=r"must be .*, got (bool|float)"):
        call()


# --------------------------------------------------------------------------- default splits are unchanged


def _reference_stratified_take(labels, indices, n, rng):
    """The implementation of ``_stratified_take`` before ``groups`` existed, verbatim."""
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


def _reference_make_splits(train_labels, test_labels, train_size=None, test_size=None, val_fraction=0.2, seed=1234):
    """The body of ``make_splits`` before ``groups`` existed (validation left out), verbatim."""
    rng = np.random.default_rng(seed)
    used = np.arange(len(train_labels))
    if train_size is not None and train_size < len(train_labels):
        used, _ = _reference_stratified_take(train_labels, used, train_size, rng)
    n_val = max(1, int(round(val_fraction * len(used))))
    val, train = _reference_stratified_take(train_labels, used, n_val, rng)
    test = np.arange(len(test_labels))
    if test_size is not None and test_size < len(test_labels):
        test, _ = _reference_stratified_take(test_labels, test, test_size, rng)
    return train, val, test


IMDB_LABELS = np.repeat(np.array([1, 0], np.int8), 12500)  # load_imdb("train").labels and "test": positives first


@pytest.mark.parametrize("labels, test_labels, kwargs", [
    (IMDB_LABELS, IMDB_LABELS, {"train_size": 3000, "test_size": 2000, "seed": 1234}),
    (IMDB_LABELS, IMDB_LABELS, {"seed": 1234}),
    (IMDB_LABELS, IMDB_LABELS, {"train_size": 777, "test_size": 31, "val_fraction": 0.3, "seed": 0}),
    (LABELS, TEST_LABELS, {"train_size": 500, "test_size": 100, "seed": 7}),
    (LABELS, TEST_LABELS, {"train_size": 3, "val_fraction": 0.25, "seed": 2}),
    (np.array([1, 0, 0, 0, 0, 1, 0, 0, 0, 0]), np.array([0, 1]), {"val_fraction": 0.5, "seed": 11}),
])
def test_splits_without_groups_are_exactly_those_of_before(labels, test_labels, kwargs):
    new = make_splits(labels, test_labels, **kwargs)
    train, val, test = _reference_make_splits(labels, test_labels, **kwargs)
    assert np.array_equal(new.train, train) and np.array_equal(new.val, val) and np.array_equal(new.test, test)


@pytest.mark.parametrize("kwargs, digest", [
    ({"train_size": 3000, "test_size": 2000, "seed": 1234}, "5724f616afb9292e"),  # the ci profile
    ({"seed": 1234}, "0f2e96f86b114835"),                                          # laptop and full
    ({"seed": 0}, "9c85fada72dc2c72"),
    ({"train_size": 3000, "test_size": 2000, "seed": 7}, "4e54df188e0f14a9"),
])
def test_book_splits_keep_their_recorded_indices(kwargs, digest):
    """Digests of the indices the book's runs used before ``groups`` was added."""
    import hashlib

    s = make_splits(IMDB_LABELS, IMDB_LABELS, val_fraction=0.2, **kwargs)
    blob = b"".join(np.asarray(a, np.int64).tobytes() for a in (s.train, s.val, s.test))
    assert hashlib.sha256(blob).hexdigest()[:16] == digest


# --------------------------------------------------------------------------- splits grouped by movie


def _grouped_data(n=2000, seed=0):
    """Reviews of movies holding 1-30 reviews each, most of a movie's reviews sharing one label."""
    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 31, size=n)
    groups = np.repeat(np.arange(len(sizes)), sizes)[:n]
    lean = rng.random(len(sizes))[groups]
    labels = (rng.random(n) < np.where(lean < 0.5, 0.2, 0.8)).astype(np.int8)
    return labels, np.array([f"tt{g:07d}" for g in groups])


@pytest.mark.parametrize("train_size", [None, 800])
@pytest.mark.parametrize("seed", [0, 1, 1234])
def test_grouped_split_keeps_every_movie_on_one_side(train_size, seed):
    labels, movies = _grouped_data()
    test_labels = np.array([1, 0] * 100)
    grouped = make_splits(labels, test_labels, train_size=train_size, test_size=50, seed=seed, groups=movies)
    plain = make_splits(labels, test_labels, train_size=train_size, test_size=50, seed=seed)
    assert not set(movies[grouped.train]) & set(movies[grouped.val])
    assert set(movies[plain.train]) & set(movies[plain.val])  # what grouping is for
    # the same reviews are used and tested; only their division differs
    assert np.array_equal(np.union1d(grouped.train, grouped.val), np.union1d(plain.train, plain.val))
    assert not set(grouped.train) & set(grouped.val)
    assert np.array_equal(grouped.test, plain.test)
    target = len(plain.val)
    assert abs(len(grouped.val) - target) <= max(2, 0.01 * target)
    assert abs(labels[grouped.val].mean() - labels[plain.val].mean()) < 0.01


def test_grouped_split_is_a_function_of_the_seed():
    labels, movies = _grouped_data()
    a = make_splits(labels, np.array([0, 1]), seed=5, groups=movies)
    b = make_splits(labels, np.array([0, 1]), seed=5, groups=list(movies))  # a list works too
    c = make_splits(labels, np.array([0, 1]), seed=6, groups=movies)
    assert np.array_equal(a.train, b.train) and np.array_equal(a.val, b.val)
    assert not np.array_equal(a.val, c.val)
    ints = make_splits(labels, np.array([0, 1]), seed=5, groups=np.unique(movies, return_inverse=True)[1])
    assert np.array_equal(ints.val, a.val)  # integer ids in the same order group the same way


def test_profile_splits_pass_the_groups_on():
    from types import SimpleNamespace

    from rnn_tutorial.text import profile_splits

    labels, movies = _grouped_data()
    profile = SimpleNamespace(train_size=1000, test_size=None, val_fraction=0.2)
    via_profile = profile_splits(profile, labels, np.array([0, 1]), seed=3, groups=movies)
    direct = make_splits(labels, np.array([0, 1]), train_size=1000, val_fraction=0.2, seed=3, groups=movies)
    assert np.array_equal(via_profile.val, direct.val) and np.array_equal(via_profile.train, direct.train)
    plain = profile_splits(profile, labels, np.array([0, 1]), seed=3)
    assert np.array_equal(plain.val, make_splits(labels, np.array([0, 1]), train_size=1000, seed=3).val)


@pytest.mark.parametrize("groups, error, match", [
    (lambda m: m[:-1], ValueError, r"groups must give one group per training review, aligned with train_labels: expected shape \(2000,\), got \(1999,\)"),
    (lambda m: np.stack([m, m]), ValueError, r"expected shape \(2000,\), got \(2, 2000\)"),
    (lambda m: np.linspace(0, 1, len(m)), TypeError, r"groups must hold integer or string ids .* got dtype float64"),
    (lambda m: [None] * len(m), TypeError, r"groups must hold integer or string ids .* got dtype object"),
    (lambda m: "tt0000001", TypeError, r"groups must be an array of group ids, one per training review, got a single str"),
])
def test_grouped_split_refuses_misaligned_or_odd_groups(groups, error, match):
    labels, movies = _grouped_data()
    with pytest.raises(error, match=match):
        make_splits(labels, np.array([0, 1]), groups=groups(movies))


def test_grouped_split_says_when_whole_groups_cannot_be_split():
    labels = np.array([1, 0] * 20)
    with pytest.raises(ValueError, match=r"cannot split 40 training reviews in 1 group by group .* 40 reviews to training and 0 to validation"):
        make_splits(labels, np.array([0, 1]), groups=np.zeros(40, int))
    with pytest.raises(ValueError, match=r"cannot split 40 training reviews in 2 groups by group"):
        make_splits(labels, np.array([0, 1]), groups=np.repeat([0, 1], 20))
