"""Tests of rnn_tutorial.text: standardization, the vectorizer, splits, caching, padding, LM pairs."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rnn_tutorial import text
from rnn_tutorial.pipeline import pad_sequences
from rnn_tutorial.tasks import lm_pairs
from rnn_tutorial.text import (
    encode,
    encoded_imdb,
    fit_vectorizer,
    make_vectorizer,
    standardize,
)
from rnn_tutorial.tokens import OOV, PAD, VOCAB_SIZE

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
    with pytest.raises(TypeError, match=r"texts(\[1\])? must be"):
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


# --------------------------------------------------------------------------- splits grouped by movie




# --------------------------------------------------------------------------- vectorizers and caches that would spoil results


def test_encode_and_encoded_imdb_refuse_a_truncating_vectorizer(tmp_path, monkeypatch):
    """A vectorizer with output_sequence_length used to truncate silently, and its result was
    cached under the same key as the untruncated encoding."""
    words = ["good", "movie", "bad"]
    truncating = make_vectorizer(words, max_tokens=10, output_sequence_length=2)
    with pytest.raises(ValueError, match=r"output_sequence_length=2.*output_sequence_length=None"):
        encode(truncating, ["good movie bad"])
    fake = type("Split", (), {"texts": ["good movie bad", "bad"], "labels": np.array([1, 0], np.int8),
                              "ratings": np.array([9, 2], np.int8)})()
    monkeypatch.setattr("rnn_tutorial.data.load_imdb", lambda split: fake)
    with pytest.raises(ValueError, match=r"output_sequence_length=2"):
        encoded_imdb("train", truncating, cache=tmp_path)
    assert not list(tmp_path.iterdir())  # nothing cached
    full = encoded_imdb("train", make_vectorizer(words, max_tokens=10), cache=tmp_path)
    assert [s.tolist() for s in full.sequences] == [[2, 3, 4], [4]]
    with pytest.raises(ValueError, match=r"output_sequence_length=2"):  # refused even with a valid cache file
        encoded_imdb("train", truncating, cache=tmp_path)


@pytest.mark.parametrize("bad", [["good", "good"], [1, 2], ["", "good"], ["[UNK]", "good"], ["good movie"],
                                 [f"w{i}" for i in range(9)], "good"],
                         ids=["duplicate", "integers", "padding", "oov", "space", "too many", "not a list"])
@pytest.mark.parametrize("make", ["training_vectorizer", "training_encoder"])
def test_a_damaged_vocabulary_cache_is_rebuilt(tmp_path, monkeypatch, bad, make):
    """Valid JSON with bad words used to raise TensorFlow's errors or be used as it was."""
    import json

    fake = type("Split", (), {"texts": ["good movie", "bad movie", "good plot"]})()
    monkeypatch.setattr("rnn_tutorial.data.load_imdb", lambda split: fake)
    expected = ["", "[UNK]", "movie", "good", "plot", "bad"]
    assert text.vocabulary(getattr(text, make)(max_tokens=10, cache=tmp_path)) == expected
    path, settings, words = text._cached_vocabulary(10, tmp_path)
    assert words == expected[2:]
    path.write_text(json.dumps({"settings": settings, "vocabulary": bad}))
    assert text._cached_vocabulary(10, tmp_path)[2] is None
    assert text.vocabulary(getattr(text, make)(max_tokens=10, cache=tmp_path)) == expected
    assert json.loads(path.read_text())["vocabulary"] == expected[2:]  # rewritten
