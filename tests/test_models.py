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


@pytest.mark.parametrize("kwargs, error, match", [
    ({"units": 0}, ValueError, "units must be a positive integer, got 0"),
    ({"embedding_dim": 2.5}, TypeError, "embedding_dim must be a positive integer, got float 2.5"),
    ({"vocab_size": 100.0}, TypeError, r"vocab_size .* got float 100\.0; pass 100 \(an int\)"),
    ({"units": True}, TypeError, "units .* got bool True"),
    ({"dropout": 1.0}, ValueError, r"dropout must be a finite number in \[0, 1\), got 1\.0"),
    ({"dropout": float("nan")}, ValueError, "dropout .* got nan"),
    ({"dropout": "0.5"}, TypeError, "dropout .* got str"),
    ({"l2": float("inf")}, ValueError, "l2 must be a finite number >= 0, got inf"),
])
def test_sentiment_model_validates(kwargs, error, match):
    with pytest.raises(error, match=match):
        sentiment_model(**kwargs)


def test_sentiment_model_accepts_numpy_integers():
    model = sentiment_model(vocab_size=np.int64(30), embedding_dim=np.int32(4), units=np.int16(3), layers=np.int8(1))
    assert model.count_params() == sentiment_param_count(np.int64(30), np.int32(4), np.int16(3))


# every invalid architecture option, alone: sentiment_param_count used to count parameters
# for layers=0, -1 or 1.5 (and unknown options' types) that sentiment_model refuses
INVALID_ARCHITECTURES = [
    {"layers": 0}, {"layers": -1}, {"layers": 1.5}, {"layers": 2.0}, {"layers": True}, {"layers": "2"},
    {"units": 0}, {"units": -4}, {"units": 3.0}, {"embedding_dim": 0}, {"embedding_dim": 2.5},
    {"vocab_size": 0}, {"vocab_size": None}, {"attention_units": 0}, {"attention_units": 1.5},
    {"cell": "rnn"}, {"cell": 3}, {"pooling": "sum"}, {"pooling": None},
    {"bidirectional": "yes"}, {"bidirectional": 1},
    {"layers": 0, "units": 2.5},   # two bad options: both report the same one first
]


@pytest.mark.parametrize("options", INVALID_ARCHITECTURES, ids=[repr(o) for o in INVALID_ARCHITECTURES])
def test_sentiment_param_count_refuses_what_sentiment_model_refuses(options):
    """One shared check: the count never answers for a model that cannot be built."""
    with pytest.raises((TypeError, ValueError)) as by_model:
        sentiment_model(**options)
    with pytest.raises((TypeError, ValueError)) as by_count:
        sentiment_param_count(**options)
    assert type(by_count.value) is type(by_model.value)
    assert str(by_count.value) == str(by_model.value)


def test_param_counts_validate_their_sizes():
    from rnn_tutorial.models import gru_param_count

    for count in (lstm_param_count, gru_param_count):
        with pytest.raises(ValueError, match="units must be a positive integer, got 0"):
            count(4, 0)
        with pytest.raises(TypeError, match="input_dim .* got float 4.0"):
            count(4.0, 3)
        assert count(np.int64(4), np.int64(3)) == count(4, 3)


def test_other_builders_validate_sizes_and_names():
    from rnn_tutorial.inspection import encoder_features, nearest_words
    from rnn_tutorial.models import (
        AttentionPooling,
        MaskedPooling,
        bidirectional_language_model,
        copy_pretrained,
        rest_of_review_model,
    )

    with pytest.raises(TypeError, match="units .* got float"):
        AttentionPooling(units=2.0)
    with pytest.raises(TypeError, match="mode must be one of 'max', 'mean_max', got int 1"):
        MaskedPooling(1)
    with pytest.raises(ValueError, match="did you mean 'mean_max'"):
        MaskedPooling("mean_maxx")
    with pytest.raises(TypeError, match="input_vocab_size .* got float"):
        language_model(input_vocab_size=100.0)
    with pytest.raises(TypeError, match="cell must be one of 'lstm', 'gru', got NoneType"):
        bidirectional_language_model(cell=None)
    with pytest.raises(ValueError, match="target_vocab must be a positive integer, got -1"):
        rest_of_review_model(target_vocab=-1)
    emb, vocab = np.eye(4), ["", "[UNK]", "good", "bad"]
    with pytest.raises(ValueError, match="k must be a positive integer, got 0"):
        nearest_words(emb, vocab, "good", k=0)
    with pytest.raises(TypeError, match="k .* got float"):
        nearest_words(emb, vocab, "good", k=2.0)
    with pytest.raises(TypeError, match="word must be a str"):
        nearest_words(emb, vocab, 2)
    clf = sentiment_model(vocab_size=20, embedding_dim=4, units=3)
    with pytest.raises(ValueError, match="batch_size must be a positive integer, got 0"):
        encoder_features(clf, [np.array([3, 4])], layers=("embedding", "lstm"), batch_size=0)
    with pytest.raises(TypeError, match="max_len .* got float"):
        encoder_features(clf, [np.array([3, 4])], layers=("embedding", "lstm"), max_len=4.0)
    with pytest.raises(TypeError, match=r"names must be a tuple .* wrap it: \('lstm',\)"):
        copy_pretrained(clf, clf, "lstm")


def test_end_to_end_model_saves_and_reloads_safely(tmp_path):
    vectorizer = fit_vectorizer(["a good film", "a bad film", "good good"], max_tokens=20)
    model = sentiment_model(vocab_size=20, embedding_dim=4, units=3)
    reader = end_to_end_model(vectorizer, model)
    from rnn_tutorial.training import predict_reviews

    # predict_reviews feeds strings to the model on TensorFlow and tokenizes in Python on
    # JAX or torch (a Keras model cannot take string tensors there)
    reviews = ["A GOOD film!", "bad, bad <br />film", "unseen words only"]
    before = predict_reviews(reader, reviews)
    path = tmp_path / "reader.keras"
    reader.save(path)
    reloaded = keras.saving.load_model(path, safe_mode=True)
    np.testing.assert_allclose(predict_reviews(reloaded, reviews), before, rtol=1e-6)
    with pytest.raises(TypeError, match="model"):
        end_to_end_model(vectorizer, "not a model")


def test_a_review_with_no_words_gets_the_no_evidence_answer_on_every_path():
    """Empty, markup-only, punctuation-only, emoji-only and NUL-led reviews: alone in a
    batch, TensorFlow used to hand the LSTM a (batch, 0) batch and fail inside it."""
    from rnn_tutorial.training import predict_reviews

    vectorizer = fit_vectorizer(["a good film", "a bad film", "good good"], max_tokens=20)
    model = sentiment_model(vocab_size=20, embedding_dim=4, units=3)
    reader = end_to_end_model(vectorizer, model)
    wordless = ["", "   ", "<br /><br />", "!!!???", "\U0001F600\U0001F44D", "\x00"]
    alone = predict_reviews(reader, wordless)
    no_evidence = model.predict(np.zeros((1, 1), "int32"), verbose=0).item()   # one padding step, masked
    assert alone.shape == (len(wordless),) and alone.dtype == np.float32
    np.testing.assert_allclose(alone, no_evidence, atol=1e-6)
    mixed = predict_reviews(reader, wordless + ["a good film"])
    np.testing.assert_allclose(mixed[:-1], alone, atol=1e-6)
    assert predict_reviews(reader, "\x00a good film") == pytest.approx(mixed[-1], abs=1e-6)  # NUL separates
    assert predict_reviews(reader, []).shape == (0,)
    np.testing.assert_allclose(predict_reviews(reader, (t for t in ["a good film"])), mixed[-1:], atol=1e-6)
    for bad, match in [(None, "texts must be a list of review strings, got NoneType"),
                       (["good", None], r"texts\[1\] must be a str, got NoneType"),
                       ([b"good"], r"texts\[0\] must be a str, got bytes .*decode bytes first")]:
        with pytest.raises(TypeError, match=match):
            predict_reviews(reader, bad)


# --------------------------------------------------------------------------- training helpers


# --------------------------------------------------------------------------- variants of the improvements chapter

VARIANTS = [{}, {"cell": "gru"}, {"layers": 2}, {"bidirectional": True}, {"pooling": "attention"},
            {"pooling": "max"}, {"bidirectional": True, "pooling": "mean_max"},
            {"cell": "gru", "layers": 2, "bidirectional": True, "pooling": "attention"}]


@pytest.mark.parametrize("options", VARIANTS)
def test_sentiment_variants_shapes_counts_and_masking(options):
    model = sentiment_model(vocab_size=60, embedding_dim=6, units=4, **options)
    short = np.array([[5, 6, 7]], dtype="int32")
    padded = np.array([[5, 6, 7, 0, 0, 0]], dtype="int32")
    out = np.asarray(model(padded))
    assert out.shape == (1, 1) and 0 < out[0, 0] < 1
    assert model.count_params() == sentiment_param_count(60, 6, 4, **options)
    # padding after the tokens changes nothing, for every variant (backward layers included)
    np.testing.assert_allclose(np.asarray(model(short)), out, rtol=1e-5, atol=1e-6)


def test_default_variant_is_the_training_chapters_model():
    model = sentiment_model()
    assert [layer.name for layer in model.layers] == ["embedding", "embedding_dropout", "lstm", "dropout", "positive"]
    assert model.count_params() == sentiment_param_count() == 20000 * 128 + 4 * 64 * (64 + 128 + 1) + 65


def test_gru_param_count_matches_keras():
    from rnn_tutorial.models import gru_param_count

    model = sentiment_model(vocab_size=30, embedding_dim=7, units=5, cell="gru")
    assert model.get_layer("gru").count_params() == gru_param_count(7, 5) == 3 * 5 * (5 + 7 + 2)


def test_recurrent_dropout_and_l2_options():
    model = sentiment_model(vocab_size=30, embedding_dim=4, units=3, recurrent_dropout=0.25, l2=1e-3)
    assert model.get_layer("lstm").recurrent_dropout == 0.25
    model(np.array([[3, 4]], dtype="int32"))
    assert len(model.losses) == 3          # kernel, recurrent kernel, dense kernel
    assert all(float(loss) > 0 for loss in model.losses)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"cell": "rnn"}, ValueError, "cell"), ({"layers": 0}, ValueError, "layers"),
    ({"bidirectional": "yes"}, TypeError, "bidirectional"), ({"recurrent_dropout": 1.5}, ValueError, "recurrent_dropout"),
    ({"l2": -1.0}, ValueError, "l2"), ({"pooling": "sum"}, ValueError, "pooling"),
    ({"attention": True}, TypeError, "attention")])
def test_sentiment_variant_options_are_validated(kwargs, error, match):
    with pytest.raises(error, match=match):
        sentiment_model(**kwargs)


def test_bidirectional_language_model_never_sees_the_token_it_predicts():
    from rnn_tutorial.models import bidirectional_language_model

    lm = bidirectional_language_model(vocab_size=9, input_vocab_size=20, embedding_dim=5, units=4)
    x = np.random.default_rng(2).integers(2, 20, size=(1, 7)).astype("int32")
    out = {k: np.asarray(v) for k, v in lm(x).items()}
    assert out["next"].shape == out["previous"].shape == (1, 7, 9)
    t = 3
    changed = x.copy()
    changed[0, t] = 2 if x[0, t] != 2 else 3
    after = {k: np.asarray(v) for k, v in lm(changed).items()}
    # the forward reader at t - 1 predicts x[t] and has read only x[:t]
    np.testing.assert_allclose(after["next"][0, :t], out["next"][0, :t], rtol=1e-6)
    assert not np.allclose(after["next"][0, t], out["next"][0, t])
    # the backward reader at t + 1 predicts x[t] and has read only x[t + 1:]
    np.testing.assert_allclose(after["previous"][0, t + 1:], out["previous"][0, t + 1:], rtol=1e-6)
    assert not np.allclose(after["previous"][0, t], out["previous"][0, t])


def test_bidirectional_language_model_fits_the_bidirectional_classifier():
    from rnn_tutorial.models import bidirectional_language_model, copy_pretrained

    lm = bidirectional_language_model(vocab_size=9, input_vocab_size=20, embedding_dim=5, units=4, cell="gru")
    clf = sentiment_model(vocab_size=20, embedding_dim=5, units=4, cell="gru", bidirectional=True, pooling="max")
    assert copy_pretrained(lm, clf, ("embedding", "bidirectional_gru")) == ["embedding", "bidirectional_gru"]
    for a, b in zip(lm.get_layer("bidirectional_gru").get_weights(), clf.get_layer("bidirectional_gru").get_weights()):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="cell"):
        bidirectional_language_model(cell="rnn")


def test_copy_pretrained_moves_embedding_and_lstm_weights():
    from rnn_tutorial.models import copy_pretrained

    lm = language_model(vocab_size=12, embedding_dim=4, units=3, input_vocab_size=30)
    assert lm(np.ones((1, 5), dtype="int32")).shape == (1, 5, 12)
    clf = sentiment_model(vocab_size=30, embedding_dim=4, units=3, pooling="attention")
    assert copy_pretrained(lm, clf) == ["embedding", "lstm"]
    for name in ("embedding", "lstm"):
        for a, b in zip(lm.get_layer(name).get_weights(), clf.get_layer(name).get_weights()):
            np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="do not match"):
        copy_pretrained(lm, sentiment_model(vocab_size=31, embedding_dim=4, units=3))


def test_rest_of_review_model_shares_the_classifier_encoder():
    from rnn_tutorial.models import copy_pretrained, rest_of_review_model

    options = dict(vocab_size=20, embedding_dim=5, units=4, cell="gru", bidirectional=True, pooling="mean_max")
    rest = rest_of_review_model(target_vocab=7, **options)
    logits = rest(np.array([[3, 4, 5, 0], [6, 0, 0, 0]], dtype="int32"))
    assert tuple(logits.shape) == (2, 7)
    assert not any(isinstance(layer, keras.layers.Dropout) for layer in rest.layers)
    clf = sentiment_model(**options)
    assert copy_pretrained(rest, clf, ("embedding", "bidirectional_gru")) == ["embedding", "bidirectional_gru"]
    with pytest.raises(TypeError, match="dropout"):
        rest_of_review_model(dropout=0.5)


def test_rest_of_review_pretraining_learns_what_the_other_half_is_about():
    """Reviews about one of two topics: after pretraining, a half predicts its own topic's words."""
    from rnn_tutorial.models import rest_of_review_model
    from rnn_tutorial.pipeline import WordSetBatches
    from rnn_tutorial.tasks import rest_of_review_pairs

    rng = np.random.default_rng(0)
    topics = [np.arange(2, 10), np.arange(10, 18)]
    reviews = [rng.choice(topics[i % 2], size=30) for i in range(200)]
    x, words = rest_of_review_pairs(reviews, vocab_size=18, min_len=10)
    keras.utils.set_random_seed(0)
    model = rest_of_review_model(target_vocab=18, vocab_size=18, embedding_dim=8, units=8, cell="gru",
                                 bidirectional=True, pooling="mean_max")
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss=keras.losses.CategoricalCrossentropy(from_logits=True))
    model.fit(WordSetBatches(x, words, 18, batch_size=32, seed=0), epochs=15, verbose=0)
    probs = keras.ops.convert_to_numpy(keras.ops.softmax(model(np.stack([topics[0][:6], topics[1][:6]]))))
    assert probs[0, 2:10].sum() > 0.9 and probs[1, 10:18].sum() > 0.9, probs.round(3)


def test_end_to_end_model_refuses_a_vocabulary_larger_than_the_models_embedding():
    from rnn_tutorial.models import embedding_input_dim
    from rnn_tutorial.text import make_vectorizer

    vectorizer = make_vectorizer(["good", "bad", "film", "great", "awful"], max_tokens=7)    # 7 entries
    # a model reading 3 indices used to be wrapped, and to fail later inside TensorFlow
    with pytest.raises(ValueError, match=r"vectorizer's vocabulary has 7 entries .* model's Embedding reads "
                                         r"only 3 \(input_dim=3\)"):
        end_to_end_model(vectorizer, sentiment_model(vocab_size=3, embedding_dim=4, units=3))
    assert embedding_input_dim(sentiment_model(vocab_size=7, embedding_dim=4, units=3)) == 7
    assert embedding_input_dim(keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])) is None
    end_to_end_model(vectorizer, sentiment_model(vocab_size=7, embedding_dim=4, units=3))
    end_to_end_model(vectorizer, sentiment_model(vocab_size=20, embedding_dim=4, units=3))  # more rows: fine
