"""rnn_tutorial.layers: attention pooling and masked pooling."""

import keras
import numpy as np
import pytest
from rnn_tutorial.models import (
    sentiment_model,
)


def test_attention_pooling_is_a_weighted_average_and_serializes(tmp_path):
    from rnn_tutorial.models import AttentionPooling

    pool = AttentionPooling(units=3)
    states = np.random.default_rng(0).normal(size=(2, 4, 5)).astype("float32")
    mask = np.array([[1, 1, 1, 0], [1, 1, 1, 1]], dtype=bool)
    pooled, weights = pool(states, mask=mask, return_weights=True)
    expected = np.einsum("bt,btf->bf", np.asarray(weights), states)
    np.testing.assert_allclose(np.asarray(pooled), expected, rtol=1e-5, atol=1e-6)
    model = sentiment_model(vocab_size=30, embedding_dim=4, units=3, pooling="attention")
    x = np.array([[3, 4, 5, 0]], dtype="int32")
    before = np.asarray(model(x))
    model.save(tmp_path / "attention.keras")
    reloaded = keras.saving.load_model(tmp_path / "attention.keras", safe_mode=True)
    np.testing.assert_allclose(np.asarray(reloaded(x)), before, rtol=1e-6)
    with pytest.raises(ValueError, match="units"):
        AttentionPooling(units=0)


def test_masked_pooling_ignores_padding_and_serializes(tmp_path):
    from rnn_tutorial.models import MaskedPooling

    states = np.random.default_rng(1).normal(size=(3, 4, 2)).astype("float32")
    states[0, 2:] = 50.0                                   # padding larger than every real state
    mask = np.array([[1, 1, 0, 0], [1, 1, 1, 1], [0, 0, 0, 0]], dtype=bool)
    out = np.asarray(MaskedPooling("mean_max")(states, mask=mask))
    assert out.shape == (3, 4)
    np.testing.assert_allclose(out[0], np.r_[states[0, :2].mean(0), states[0, :2].max(0)], rtol=1e-6)
    np.testing.assert_allclose(out[1], np.r_[states[1].mean(0), states[1].max(0)], rtol=1e-6)
    np.testing.assert_array_equal(out[2], 0.0)              # nothing real: zeros, not -1e9
    np.testing.assert_allclose(np.asarray(MaskedPooling("max")(states, mask=mask)), out[:, 2:], rtol=1e-6)
    np.testing.assert_allclose(np.asarray(MaskedPooling("max")(states[1:2])), states[1:2].max(1), rtol=1e-6)
    model = sentiment_model(vocab_size=30, embedding_dim=4, units=3, bidirectional=True, pooling="mean_max")
    assert model.get_layer("positive").get_weights()[0].shape == (4 * 3, 1)
    x = np.array([[3, 4, 5, 0]], dtype="int32")
    model.save(tmp_path / "pooled.keras")
    reloaded = keras.saving.load_model(tmp_path / "pooled.keras", safe_mode=True)
    np.testing.assert_allclose(np.asarray(reloaded(x)), np.asarray(model(x)), rtol=1e-6)
    with pytest.raises(ValueError, match="mode"):
        MaskedPooling("sum")


def test_vocabulary_layer_passes_tokens_and_survives_saving(tmp_path):
    import keras
    import numpy as np
    import pytest

    from rnn_tutorial.layers import Vocabulary

    words = ["", "[UNK]", "good", "bad"]
    layer = Vocabulary(words)
    tokens = np.array([[2, 3, 0]], dtype="int32")
    assert np.array_equal(np.asarray(layer(tokens)), tokens) and layer.get_vocabulary() == words
    inputs = keras.Input((None,), dtype="int32")
    model = keras.Model(inputs, keras.layers.Embedding(4, 2, mask_zero=True)(Vocabulary(words)(inputs)))
    model.save(tmp_path / "m.keras")
    again = keras.saving.load_model(tmp_path / "m.keras", safe_mode=True)
    assert next(l for l in again.layers if isinstance(l, Vocabulary)).get_vocabulary() == words
    with pytest.raises(ValueError, match="fitted vocabulary"):
        Vocabulary(["good", "bad"])


def test_a_reader_without_tensorflow_predicts_like_the_classifier(monkeypatch):
    import keras
    import numpy as np

    import rnn_tutorial.models as models
    from rnn_tutorial.layers import Vocabulary
    from rnn_tutorial.text import TextEncoder, encode_texts
    from rnn_tutorial.training import predict_reviews

    monkeypatch.setattr(models, "tensorflow_available", lambda: False)
    words = ["", "[UNK]", "good", "bad", "film"]
    keras.utils.set_random_seed(0)
    classifier = models.sentiment_model(vocab_size=5, embedding_dim=3, units=2)
    reader = models.end_to_end_model(TextEncoder(words), classifier)
    assert any(isinstance(l, Vocabulary) for l in reader.layers)
    texts = ["A good film!", "bad, bad film"]
    expected = [float(np.asarray(classifier(np.array([ids])))[0, 0]) for ids in encode_texts(words, texts)]
    np.testing.assert_allclose(predict_reviews(reader, texts), expected, atol=1e-6)
