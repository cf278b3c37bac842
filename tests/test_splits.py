"""rnn_tutorial.splits: stratified and movie-grouped splits, deterministic, validated."""

import numpy as np
import pytest
from rnn_tutorial.pipeline import pad_sequences
from rnn_tutorial.splits import make_splits
from rnn_tutorial.tasks import lm_pairs
from rnn_tutorial.text import (
    make_vectorizer,
)


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
    with pytest.raises(ValueError, match=rf"{which} must hold class labels 0 or 1, got {bad} at index 5"):
        make_splits(labels["train_labels"], labels["test_labels"])


def test_splits_refuse_labels_that_are_not_numbers():
    with pytest.raises(TypeError, match=r"train_labels must be a 1-D array of class labels 0 or 1, got an array of dtype <U3"):
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

    from rnn_tutorial.splits import profile_splits

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


def test_numpy_integers_are_accepted_like_python_ints():
    from rnn_tutorial.pipeline import truncate
    from rnn_tutorial.tasks import bidirectional_lm_pairs, rest_of_review_pairs

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
