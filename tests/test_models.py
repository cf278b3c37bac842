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


# --------------------------------------------------------------------------- training helpers

def test_predict_proba_returns_examples_in_their_order():
    from rnn_tutorial.pipeline import BucketedBatches
    from rnn_tutorial.training import predict_proba

    rng = np.random.default_rng(0)
    seqs = [rng.integers(1, 20, k).astype("int32") for k in rng.integers(1, 30, 70)]
    model = sentiment_model(vocab_size=20, embedding_dim=4, units=3)
    probs = predict_proba(model, BucketedBatches(seqs, np.zeros(70), batch_size=16, shuffle=True, seed=2))
    one_by_one = [float(model(s[None, :])[0, 0]) for s in seqs]
    np.testing.assert_allclose(probs, one_by_one, rtol=1e-4, atol=1e-5)


def test_error_analysis_helpers():
    from rnn_tutorial.training import accuracy_by_length, confusion_matrix, most_confident_mistakes, perplexity

    labels = np.array([0, 0, 1, 1, 1])
    probs = np.array([0.1, 0.9, 0.8, 0.45, 0.99])
    assert confusion_matrix(labels, probs >= 0.5).tolist() == [[1, 1], [1, 2]]
    rows = accuracy_by_length(np.array([10, 20, 150, 150, 900]), labels, probs, edges=(0, 100, 200, np.inf))
    assert [(r["reviews"], r["accuracy"]) for r in rows] == [(2, 0.5), (2, 0.5), (1, 1.0)]
    assert most_confident_mistakes(labels, probs, k=2).tolist() == [1, 3]
    assert perplexity(0.0) == 1.0 and abs(perplexity(np.log(50)) - 50) < 1e-9
    with pytest.raises(ValueError, match="mean_cross_entropy"):
        perplexity(float("nan"))


def test_generate_is_seeded_and_never_samples_banned_tokens():
    from rnn_tutorial.training import generate

    lm = language_model(vocab_size=12, embedding_dim=4, units=5)
    a = generate(lm, [3, 4], n_tokens=15, temperature=1.5, seed=7)
    assert a == generate(lm, [3, 4], n_tokens=15, temperature=1.5, seed=7)
    assert len(a) == 15 and not {0, 1} & set(a) and max(a) < 12
    with pytest.raises(ValueError, match="temperature"):
        generate(lm, [3], n_tokens=1, temperature=0)
