"""rnn_tutorial.imdb: one call gives a chapter its vectorizer, encoded splits and indices."""

from types import SimpleNamespace

import numpy as np
import pytest

from rnn_tutorial.imdb import load_run_data
from rnn_tutorial.profiles import PROFILES
from rnn_tutorial.splits import profile_splits


def test_load_run_data_matches_what_the_chapters_build_by_hand():
    run = SimpleNamespace(profile=PROFILES["ci"], seed=1234)
    data = load_run_data(run)
    expected = profile_splits(PROFILES["ci"], data.train.labels, data.test.labels, seed=1234)
    assert np.array_equal(data.splits.train, expected.train) and np.array_equal(data.splits.test, expected.test)
    assert data.vocab[:2] == ["", "[UNK]"] and len(data.train) == len(data.test) == 25_000
    assert np.array_equal(data.test_labels, data.test.labels[data.splits.test])


def test_load_run_data_refuses_something_that_is_not_a_run():
    with pytest.raises(TypeError, match="what setup\\(\\) returns"):
        load_run_data("ci")
