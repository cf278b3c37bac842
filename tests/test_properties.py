"""Property-based tests: the tokenizer, padding, bucketing and the scratch cells under
random sizes and contents, including empty strings, non-ASCII text, HTML and very long
reviews, and the validation that answers bad contents (NaN, inf, bad token ids).
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from rnn_tutorial import scratch
from rnn_tutorial.pipeline import BucketedBatches, pad_sequences
from rnn_tutorial.tasks import lm_pairs
from rnn_tutorial.text import TextEncoder, standardize_text
from rnn_tutorial.tokens import OOV, PAD

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

WORDS = ["film", "great", "awful", "don't", "café", "naïve", "фильм", "映画", "plot", "2010"]
VOCAB = ["", "[UNK]", *WORDS]

_html = st.sampled_from(["<br />", "<br/>", "<BR>", "< br / >", "<i>", "</i>", "&amp;", "<a href='x'>", "<p>"])
_pieces = st.one_of(st.sampled_from(WORDS + ["FILM", "Great!", "'quoted'", "it's", "...", "  ", "\n", "\t", "😀", "ß"]),
                    _html, st.text(max_size=12))
reviews = st.one_of(
    st.just(""),
    st.text(max_size=80),  # any Unicode, control characters included
    st.lists(_pieces, max_size=30).map(" ".join),
    st.lists(_pieces, max_size=30).map("".join),
)
# very long reviews (thousands of words): a random passage repeated hundreds of times
long_reviews = st.tuples(st.lists(st.sampled_from(WORDS + ["<br /><br />", "unknown", "Great!"]), min_size=1, max_size=20),
                         st.integers(200, 600)).map(lambda t: " ".join(t[0] * t[1]))


# --------------------------------------------------------------------------- tokenizer


@FAST
@given(st.lists(st.one_of(reviews, long_reviews), max_size=6))
def test_encoder_ids_stay_in_the_vocabulary(texts):
    encoder = TextEncoder(VOCAB)
    encoded = encoder.encode(texts)
    assert len(encoded) == len(texts)
    for text, ids in zip(texts, encoded):
        words = [w for w in standardize_text(text).split(" ") if w]
        assert ids.dtype == np.int32 and ids.ndim == 1 and len(ids) == len(words)
        assert np.all((ids >= OOV) & (ids < len(VOCAB)))  # never padding, never outside the vocabulary
        assert ids.tolist() == [VOCAB.index(w) if w in WORDS else OOV for w in words]


@FAST
@given(reviews)
def test_standardize_text_is_idempotent_and_drops_markup(text):
    clean = standardize_text(text)
    assert standardize_text(clean) == clean
    assert clean == clean.strip() and "  " not in clean
    assert not re.search(r"[<>/&!?.,;:\"]", clean)
    for word in clean.split(" "):
        assert not word.startswith("'") and not word.endswith("'")


@FAST
@given(st.sampled_from(["", " ", "\n\t", "<br />", "<br /><br />", "...!?", "'''", "<br/> - <br />"]))
def test_empty_or_markup_only_reviews_encode_to_nothing(text):
    (ids,) = TextEncoder(VOCAB).encode([text])
    assert ids.shape == (0,)


@FAST
@given(long_reviews)
def test_very_long_reviews_keep_every_word(text):
    (ids,) = TextEncoder(VOCAB).encode([text])
    assert len(ids) == len([w for w in standardize_text(text).split(" ") if w])
    assert "br" not in standardize_text(text).split(" ")


# --------------------------------------------------------------------------- padding

token_lists = st.lists(st.lists(st.integers(0, 50), max_size=40), max_size=12)


@FAST
@given(token_lists, st.one_of(st.none(), st.integers(1, 30)), st.sampled_from(["pre", "post"]),
       st.sampled_from(["pre", "post"]))
def test_padding_keeps_tokens_and_order(seqs, max_len, padding, truncating):
    out = pad_sequences([np.asarray(s, dtype=np.int64) for s in seqs], max_len=max_len, padding=padding, truncating=truncating)
    width = max_len if max_len is not None else max((len(s) for s in seqs), default=0)
    assert out.shape == (len(seqs), width) and out.dtype == np.int32
    for row, s in zip(out, seqs):
        kept = s[:width] if truncating == "post" else s[max(0, len(s) - width):]
        body = row[: len(kept)] if padding == "post" else row[width - len(kept):]
        rest = row[len(kept):] if padding == "post" else row[: width - len(kept)]
        assert body.tolist() == kept and np.all(rest == PAD)


@FAST
@given(token_lists.filter(lambda s: len(s) > 0), st.data(),
       st.sampled_from([-1, -(2**40), 2**40, 1.5, float("nan"), float("inf")]))
def test_bad_token_ids_are_refused_and_named(seqs, data, bad):
    i = data.draw(st.integers(0, len(seqs) - 1), label="sequence")
    seqs = [list(s) for s in seqs]
    seqs[i] = seqs[i] + [bad]
    error = TypeError if isinstance(bad, float) else ValueError
    with pytest.raises(error, match=rf"sequences\[{i}\]"):
        pad_sequences(seqs)
    with pytest.raises(error, match=rf"sequences\[{i}\]"):
        lm_pairs(seqs, window=1)


# --------------------------------------------------------------------------- bucketing


@FAST
@given(st.lists(st.integers(0, 60), min_size=1, max_size=80), st.integers(1, 16), st.one_of(st.none(), st.integers(1, 40)),
       st.booleans(), st.integers(0, 2**16), st.sampled_from(["pre", "post"]))
def test_bucketed_batches_hold_every_example_once_padded_to_their_longest(lengths, batch_size, max_len, shuffle,
                                                                          seed, truncating):
    rng = np.random.default_rng(seed)
    seqs = [rng.integers(1, 100, size=n).astype(np.int32) for n in lengths]
    labels = np.arange(len(seqs))  # label = the example's index, to check alignment
    batches = BucketedBatches(seqs, labels, batch_size=batch_size, max_len=max_len, shuffle=shuffle, seed=seed,
                              truncating=truncating)
    for _epoch in range(2):
        seen = []
        for b in range(len(batches)):
            x, y = batches[b]
            assert x.dtype == np.int32 and x.shape[0] == len(y) <= batch_size
            kept = [seqs[i][:max_len] if truncating == "post" else seqs[i][max(0, len(seqs[i]) - (max_len or 0)):]
                    if max_len else seqs[i] for i in y]
            assert x.shape[1] == max(1, max(len(k) for k in kept))  # padded only to the batch's longest
            for row, k in zip(x, kept):
                assert row[: len(k)].tolist() == k.tolist() and np.all(row[len(k):] == PAD)
            seen.extend(y.tolist())
        assert sorted(seen) == list(range(len(seqs)))
        batches.on_epoch_end()


# --------------------------------------------------------------------------- scratch cells

sizes = st.tuples(st.integers(1, 4), st.integers(1, 12), st.integers(1, 5), st.integers(1, 6))
contents = st.sampled_from(["normal", "huge", "tiny", "zeros", "integers"])


def _inputs(kind, shape, rng):
    return {"normal": rng.normal(size=shape), "huge": rng.normal(size=shape) * 1e6, "tiny": rng.normal(size=shape) * 1e-300,
            "zeros": np.zeros(shape), "integers": rng.integers(-3, 4, size=shape)}[kind]


@FAST
@given(st.sampled_from(scratch.CELLS), sizes, contents, st.integers(0, 2**16))
def test_scratch_cells_stay_finite_and_bounded(cell, size, kind, seed):
    batch, time, features, units = size
    rng = np.random.default_rng(seed)
    weights = scratch.random_weights(cell, features, units, seed=seed)
    x = _inputs(kind, (batch, time, features), rng)
    forward = {"simple_rnn": scratch.simple_rnn_forward, "lstm": scratch.lstm_forward, "gru": scratch.gru_forward}[cell]
    outputs, *states = forward(x, *weights)
    assert outputs.shape == (batch, time, units)
    assert np.all(np.isfinite(outputs)) and np.all(np.abs(outputs) <= 1.0)
    np.testing.assert_array_equal(outputs[:, -1], states[0])


@FAST
@given(st.sampled_from(scratch.CELLS), sizes, st.sampled_from([np.nan, np.inf, -np.inf]), st.data())
def test_scratch_cells_name_the_first_non_finite_entry(cell, size, bad, data):
    batch, time, features, units = size
    weights = scratch.random_weights(cell, features, units)
    x = np.ones((batch, time, features))
    index = tuple(data.draw(st.integers(0, n - 1)) for n in x.shape)
    x[index] = bad
    forward = {"simple_rnn": scratch.simple_rnn_forward, "lstm": scratch.lstm_forward, "gru": scratch.gru_forward}[cell]
    with pytest.raises(ValueError, match=re.escape(f"x must contain only finite numbers, got {bad} at index {index}")):
        forward(x, *weights)


@FAST
@given(st.sampled_from(scratch.CELLS), st.integers(0, 4), st.integers(1, 3))
def test_scratch_cells_refuse_wrong_ranks(cell, ndim, units):
    assume(ndim != 3)
    weights = scratch.random_weights(cell, 2, units)
    forward = {"simple_rnn": scratch.simple_rnn_forward, "lstm": scratch.lstm_forward, "gru": scratch.gru_forward}[cell]
    with pytest.raises(ValueError, match=rf"x must have 3 dimensions \(batch, time, features\), got shape"):
        forward(np.ones((2,) * ndim), *weights)
