"""Tests of rnn_tutorial.models: shapes, parameter counts, masking, saving with the vectorizer."""

import keras
import numpy as np
import pytest

from rnn_tutorial.models import (
    end_to_end_model,
    language_model,
    lstm_param_count,
    sentiment_model,
    sentiment_param_count,
)
from rnn_tutorial.text import fit_vectorizer


def test_sentiment_model_shapes_and_parameter_count():
    model = sentiment_model(vocab_size=100, embedding_dim=8, units=5)
    out = model(np.array([[3, 4, 5, 0], [6, 0, 0, 0]], dtype="int32"))
    assert tuple(out.shape) == (2, 1)
    assert np.all((np.asarray(out) > 0) & (np.asarray(out) < 1))
    assert model.count_params() == sentiment_param_count(100, 8, 5) == 100 * 8 + 4 * 5 * (5 + 8 + 1) + 5 + 1
    assert lstm_param_count(8, 5) == model.get_layer("lstm").count_params()


def test_sentiment_model_ignores_trailing_padding():
    model = sentiment_model(vocab_size=50, embedding_dim=4, units=3)
    short = np.array([[5, 6, 7]], dtype="int32")
    padded = np.array([[5, 6, 7, 0, 0, 0, 0]], dtype="int32")
    np.testing.assert_allclose(np.asarray(model(short)), np.asarray(model(padded)), rtol=1e-5, atol=1e-6)


def test_language_model_shapes():
    lm = language_model(vocab_size=30, embedding_dim=4, units=6)
    out = lm(np.ones((2, 7), dtype="int32"))
    assert tuple(out.shape) == (2, 7, 30)
    assert lm.count_params() == 30 * 4 + lstm_param_count(4, 6) + 6 * 30 + 30


@pytest.mark.parametrize("kwargs, match", [({"units": 0}, "units"), ({"embedding_dim": 2.5}, "embedding_dim"),
                                           ({"dropout": 1.0}, "dropout")])
def test_sentiment_model_validates(kwargs, match):
    with pytest.raises(ValueError, match=match):
        sentiment_model(**kwargs)


def test_end_to_end_model_saves_and_reloads_safely(tmp_path):
    vectorizer = fit_vectorizer(["a good film", "a bad film", "good good"], max_tokens=20)
    model = sentiment_model(vocab_size=20, embedding_dim=4, units=3)
    reader = end_to_end_model(vectorizer, model)
    import tensorflow as tf

    reviews = tf.constant([["A GOOD film!"], ["bad, bad <br />film"], ["unseen words only"]])
    before = np.asarray(reader.predict(reviews, verbose=0))
    path = tmp_path / "reader.keras"
    reader.save(path)
    reloaded = keras.saving.load_model(path, safe_mode=True)
    np.testing.assert_allclose(np.asarray(reloaded.predict(reviews, verbose=0)), before, rtol=1e-6)
    with pytest.raises(TypeError, match="model"):
        end_to_end_model(vectorizer, "not a model")
