"""rnn_tutorial.moved: names that moved stay importable from their old module, lazily."""

import pytest

from rnn_tutorial.moved import moved_names


def test_old_imports_resolve_to_the_new_modules():
    from rnn_tutorial import inspection, language, pipeline, splits, tasks
    from rnn_tutorial.models import encoder_features
    from rnn_tutorial.text import lm_pairs, make_splits, pad_sequences
    from rnn_tutorial.training import generate

    assert make_splits is splits.make_splits and pad_sequences is pipeline.pad_sequences
    assert lm_pairs is tasks.lm_pairs and encoder_features is inspection.encoder_features
    assert generate is language.generate


def test_an_unknown_name_is_an_attribute_error():
    getattr_ = moved_names("rnn_tutorial.text", {"make_splits": "splits"})
    with pytest.raises(AttributeError, match="module 'rnn_tutorial.text' has no attribute 'nope'"):
        getattr_("nope")
