"""Tests of rnn_tutorial.pipeline: length bucketing and the PyDataset."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rnn_tutorial.pipeline import (
    BucketedBatches,
    bucket_batches,
    pad_sequences,
    padded_steps,
)
from rnn_tutorial.tokens import PAD

LENGTHS = st.lists(st.integers(0, 50), min_size=1, max_size=300)


@settings(max_examples=60, deadline=None)
@given(LENGTHS, st.integers(1, 17), st.booleans(), st.integers(0, 10**6))
def test_bucket_batches_partition(lengths, batch_size, shuffle, seed):
    lengths = np.array(lengths)
    batches = bucket_batches(lengths, batch_size, shuffle, np.random.default_rng(seed), pool_batches=3)
    flat = np.concatenate(batches)
    assert sorted(flat.tolist()) == list(range(len(lengths)))  # every index exactly once
    assert len(batches) == -(-len(lengths) // batch_size)
    assert all(1 <= len(b) <= batch_size for b in batches)


@settings(max_examples=40, deadline=None)
@given(LENGTHS, st.integers(1, 17))
def test_bucketing_never_pads_more_than_random(lengths, batch_size):
    """With full batches, sorting by length minimizes the padded steps of any grouping."""
    lengths = np.array(lengths) + 1
    lengths = lengths[: len(lengths) - len(lengths) % batch_size]
    if len(lengths) == 0:
        return
    sorted_batches = bucket_batches(lengths, batch_size, shuffle=False, rng=None)
    natural = [np.arange(i, min(i + batch_size, len(lengths))) for i in range(0, len(lengths), batch_size)]
    assert padded_steps(lengths, sorted_batches) <= padded_steps(lengths, natural)


def make_data(n=500, seed=0):
    rng = np.random.default_rng(seed)
    lengths = rng.integers(1, 120, n)
    seqs = [rng.integers(1, 50, k).astype(np.int32) for k in lengths]
    labels = rng.integers(0, 2, n)
    return seqs, labels


@pytest.mark.parametrize("truncating", ["pre", "post"])
def test_dataset_batches_are_padded_to_their_longest(truncating):
    seqs, labels = make_data()
    ds = BucketedBatches(seqs, labels, batch_size=32, max_len=100, seed=5, truncating=truncating, pad_multiple=1)
    seen = []
    for i in range(len(ds)):
        x, y = ds[i]
        idx = ds._batches[i]
        assert x.dtype == np.int32 and x.shape == (len(idx), min(100, max(len(seqs[j]) for j in idx)))
        assert np.array_equal(y, labels[idx])
        for row, j in zip(x, idx):
            kept = seqs[j][:100] if truncating == "post" else seqs[j][-100:]
            assert np.array_equal(row[:len(kept)], kept) and not row[len(kept):].any()
        seen.extend(idx.tolist())
    assert sorted(seen) == list(range(len(seqs)))
    assert ds[0][0].shape[1] != ds[1][0].shape[1]  # Keras sees a variable time axis


def test_dataset_shuffle_is_reproducible_and_changes_by_epoch():
    seqs, labels = make_data()
    a = BucketedBatches(seqs, labels, batch_size=16, seed=3, pad_multiple=1)
    b = BucketedBatches(seqs, labels, batch_size=16, seed=3, pad_multiple=1)
    assert np.array_equal(a.order, b.order)
    first = a.order.copy()
    a.on_epoch_end()
    b.on_epoch_end()
    assert np.array_equal(a.order, b.order) and not np.array_equal(a.order, first)
    c = BucketedBatches(seqs, labels, batch_size=16, shuffle=False, pad_multiple=1)
    c.on_epoch_end()
    assert np.all(np.diff(c.lengths[c.order]) <= 0)


def test_dataset_saves_padding():
    seqs, labels = make_data(2000)
    ds = BucketedBatches(seqs, labels, batch_size=32, seed=1)
    full = len(seqs) * max(len(s) for s in seqs)
    assert ds.padded_steps() < 0.75 * full


def test_dataset_inputs_only_and_validation():
    seqs, _ = make_data(50)
    x = BucketedBatches(seqs, None, batch_size=8, shuffle=False)[0]
    assert isinstance(x, np.ndarray) and x.ndim == 2
    with pytest.raises(ValueError, match="labels must have one entry per sequence"):
        BucketedBatches(seqs, np.zeros(3), batch_size=8)
    with pytest.raises(ValueError, match="batch_size"):
        BucketedBatches(seqs, None, batch_size=0)
    with pytest.raises(ValueError, match="truncating"):
        BucketedBatches(seqs, None, truncating="middle")
    with pytest.raises(TypeError, match="sequences"):
        BucketedBatches("abc")


@pytest.mark.parametrize("kwargs, error, match", [
    ({"batch_size": 0}, ValueError, "batch_size must be a positive integer, got 0; use 1 or more"),
    ({"batch_size": 8.0}, TypeError, r"batch_size must be a positive integer, got float 8\.0; pass 8 \(an int\)"),
    ({"batch_size": True}, TypeError, "batch_size must be a positive integer, got bool True"),
    ({"batch_size": "8"}, TypeError, "batch_size .* got str '8'; convert the string with int"),
    ({"max_len": 0}, ValueError, "max_len must be a positive integer, got 0"),
    ({"max_len": 100.0}, TypeError, "max_len .* got float"),
    ({"pad_multiple": 0}, ValueError, "pad_multiple must be a positive integer, got 0"),
    ({"truncating": "middle"}, ValueError, "truncating must be one of 'pre', 'post', got 'middle'"),
    ({"truncating": None}, TypeError, "truncating must be one of 'pre', 'post', got NoneType"),
    ({"shuffle": "no"}, TypeError, "shuffle must be True or False, got str 'no'"),     # used to shuffle: "no" is truthy
    ({"seed": -1}, ValueError, "seed must be a non-negative integer, got -1"),
    ({"seed": 1.5}, TypeError, "seed must be a non-negative integer, got float 1.5"),
])
def test_dataset_settings_are_validated_with_type_and_value_errors(kwargs, error, match):
    seqs, labels = make_data(20)
    with pytest.raises(error, match=match):
        BucketedBatches(seqs, labels, **kwargs)


def test_dataset_accepts_numpy_integers():
    seqs, labels = make_data(20)
    ds = BucketedBatches(seqs, labels, batch_size=np.int64(8), max_len=np.int32(30), pad_multiple=np.int8(4),
                         seed=np.int64(2), shuffle=np.bool_(True))
    assert len(ds) == 3 and type(ds.batch_size) is int and type(ds.seed) is int
    ds.set_epoch(np.int64(1))
    with pytest.raises(TypeError, match="epoch must be a non-negative integer, got bool True"):
        ds.set_epoch(True)


def test_bucket_batches_validates_its_settings():
    lengths = np.array([3, 1, 2])
    with pytest.raises(TypeError, match="batch_size must be a positive integer, got float 2.0"):
        bucket_batches(lengths, 2.0, False, None)
    with pytest.raises(ValueError, match="pool_batches must be a positive integer, got 0"):
        bucket_batches(lengths, 2, False, None, pool_batches=0)
    with pytest.raises(TypeError, match="shuffle must be True or False"):
        bucket_batches(lengths, 2, "yes", np.random.default_rng(0))
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator, got int"):
        bucket_batches(lengths, 2, True, 0)


def test_dataset_trains_a_masked_lstm():
    import keras

    seqs, labels = make_data(256)
    labels = np.array([int(s.mean() > 25) for s in seqs])
    ds = BucketedBatches(seqs, labels, batch_size=32, max_len=60, seed=1)
    model = keras.Sequential([
        keras.Input((None,), dtype="int32"),
        keras.layers.Embedding(50, 8, mask_zero=True),
        keras.layers.LSTM(8),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile("adam", "binary_crossentropy")
    history = model.fit(ds, epochs=2, verbose=0)
    assert np.isfinite(history.history["loss"]).all()


def test_pad_multiple_bounds_the_shapes():
    seqs, labels = make_data(400)
    ds = BucketedBatches(seqs, labels, batch_size=16, max_len=100, pad_multiple=32, seed=4)
    widths = {ds[i][0].shape[1] for i in range(len(ds))}
    assert widths <= {32, 64, 96, 100}
    with pytest.raises(ValueError, match="pad_multiple"):
        BucketedBatches(seqs, labels, pad_multiple=0)


def test_set_epoch_reproduces_the_epoch_and_ignores_global_random_state():
    seqs, labels = make_data()
    a = BucketedBatches(seqs, labels, batch_size=16, seed=3)
    for _ in range(3):
        a.on_epoch_end()
    np.random.seed(0)
    import keras

    keras.utils.set_random_seed(99)          # the global seeds do not enter the order
    b = BucketedBatches(seqs, labels, batch_size=16, seed=3)
    b.set_epoch(3)
    assert np.array_equal(a.order, b.order)
    assert all(np.array_equal(a[i][0], b[i][0]) for i in range(len(a)))
    with pytest.raises(ValueError, match="epoch"):
        b.set_epoch(-1)


@pytest.mark.parametrize("seed", range(6))
def test_first_two_batches_differ_in_width_with_pad_multiple(seed):
    """Keras reads the time axis from the first two batches: their *padded* widths must differ."""
    seqs, labels = make_data(400, seed=seed)
    for epoch in range(3):
        ds = BucketedBatches(seqs, labels, batch_size=16, max_len=100, pad_multiple=32, seed=seed)
        ds.set_epoch(epoch)
        assert ds[0][0].shape[1] != ds[1][0].shape[1]


def test_pad_multiple_trains_on_the_default_backend():
    import keras

    seqs, labels = make_data(256, seed=2)
    ds = BucketedBatches(seqs, labels.astype("float32"), batch_size=32, max_len=100, pad_multiple=32, seed=1)
    model = keras.Sequential([keras.Input((None,), dtype="int32"), keras.layers.Embedding(50, 4, mask_zero=True),
                              keras.layers.LSTM(4), keras.layers.Dense(1, activation="sigmoid")])
    model.compile("adam", "binary_crossentropy")
    assert np.isfinite(model.fit(ds, epochs=2, verbose=0).history["loss"]).all()


def test_word_set_batches_spread_probability_over_the_words():
    from rnn_tutorial.pipeline import WordSetBatches

    seqs = [np.arange(1, n + 1) for n in (3, 5, 2, 4)]
    words = [np.array([2, 4]), np.array([], int), np.array([3]), np.array([0, 1, 2, 3])]
    batches = WordSetBatches(seqs, words, vocab_size=5, batch_size=2, shuffle=True, seed=3)
    seen = 0
    for b in range(len(batches)):
        x, y = batches[b]
        idx = batches._batches[b]
        assert y.shape == (len(idx), 5) and y.dtype == np.float32
        for row, i in enumerate(idx):
            expected = np.zeros(5, np.float32)
            if len(words[i]):
                expected[words[i]] = 1 / len(words[i])
            np.testing.assert_allclose(y[row], expected)
            assert np.array_equal(x[row, :len(seqs[i])], seqs[i])
            seen += 1
    assert seen == 4


def test_word_set_batches_reject_bad_input():
    from rnn_tutorial.pipeline import WordSetBatches

    with pytest.raises(ValueError, match="one entry per sequence"):
        WordSetBatches([np.arange(1, 4)], [], vocab_size=5)
    with pytest.raises(ValueError, match=r"word_sets\[0\] holds index 7, outside \[0, 5\)"):
        WordSetBatches([np.arange(1, 4)], [np.array([1, 7])], vocab_size=5)
    with pytest.raises(TypeError, match="word_sets, not labels"):
        WordSetBatches([np.arange(1, 4)], [np.array([1])], vocab_size=5, labels=np.zeros(1))


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
    with pytest.raises(ValueError, match="padding must be one of 'pre', 'post'"):
        pad_sequences([[1]], padding="middle")
    with pytest.raises(ValueError, match="max_len"):
        pad_sequences([[1]], max_len=0)
    with pytest.raises(TypeError, match="sequences"):
        pad_sequences("abc")
