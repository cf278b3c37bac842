"""rnn_tutorial.inspection: probes of trained models and error analysis."""


import keras
import numpy as np
import pytest
from rnn_tutorial.inspection import (
    accuracy_by_length,
    confusion_matrix,
    most_confident_mistakes,
)
from rnn_tutorial.language import perplexity
from rnn_tutorial.models import (
    sentiment_model,
)


def test_error_analysis_helpers():
    from rnn_tutorial.inspection import (
        accuracy_by_length,
        confusion_matrix,
        most_confident_mistakes,
    )

    labels = np.array([0, 0, 1, 1, 1])
    probs = np.array([0.1, 0.9, 0.8, 0.45, 0.99])
    assert confusion_matrix(labels, probs >= 0.5).tolist() == [[1, 1], [1, 2]]
    rows = accuracy_by_length(np.array([10, 20, 150, 150, 900]), labels, probs, edges=(0, 100, 200, np.inf))
    assert [(r["reviews"], r["accuracy"]) for r in rows] == [(2, 0.5), (2, 0.5), (1, 1.0)]
    assert most_confident_mistakes(labels, probs, k=2).tolist() == [1, 3]
    assert perplexity(0.0) == 1.0 and abs(perplexity(np.log(50)) - 50) < 1e-9
    with pytest.raises(ValueError, match="mean_cross_entropy"):
        perplexity(float("nan"))


def test_attention_weights_are_a_masked_distribution():
    from rnn_tutorial.inspection import attention_weights

    model = sentiment_model(vocab_size=40, embedding_dim=4, units=3, pooling="attention")
    tokens = np.array([[3, 4, 5, 0, 0], [6, 0, 0, 0, 0], [7, 8, 9, 10, 11]], dtype="int32")
    weights = attention_weights(model, tokens)
    assert weights.shape == (3, 5)
    np.testing.assert_allclose(weights.sum(axis=1), 1.0, rtol=1e-5)
    assert np.all(weights[tokens == 0] == 0) and np.all(weights[tokens != 0] > 0)
    assert weights[1, 0] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="AttentionPooling"):
        attention_weights(sentiment_model(vocab_size=40, embedding_dim=4, units=3), tokens)


def test_nearest_words_ranks_by_cosine_and_validates():
    from rnn_tutorial.inspection import nearest_words

    vocab = ["", "[UNK]", "good", "great", "bad", "plot"]
    emb = np.array([[9, 9], [9, 9.1], [1, 0.1], [2, 0.3], [-1, 0.2], [0, 1]], dtype=float)
    pairs = nearest_words(emb, vocab, "good", k=3)
    assert [w for w, _ in pairs] == ["great", "plot", "bad"]          # never "" or "[UNK]"
    assert pairs[0][1] == pytest.approx(np.dot([1, 0.1], [2, 0.3]) / np.linalg.norm([1, 0.1]) / np.linalg.norm([2, 0.3]))
    with pytest.raises(ValueError, match=r"'awful' is not a word of the vocabulary; a review would encode it as \[UNK\]"):
        nearest_words(emb, vocab, "awful")
    with pytest.raises(ValueError, match="the vocabulary holds standardized words: pass 'great'"):
        nearest_words(emb, vocab, "Great!")
    for entry in ("", "[UNK]"):
        with pytest.raises(ValueError, match="padding or OOV entry"):
            nearest_words(emb, vocab, entry)
    with pytest.raises(ValueError, match="len\\(vocab\\)"):
        nearest_words(emb[:3], vocab, "good")


def test_encoder_features_pool_real_steps_for_classifier_and_language_model():
    from rnn_tutorial.inspection import encoder_features
    from rnn_tutorial.models import bidirectional_language_model

    keras.utils.set_random_seed(0)
    clf = sentiment_model(vocab_size=30, embedding_dim=4, units=3, cell="gru", bidirectional=True, pooling="mean_max")
    lm = bidirectional_language_model(vocab_size=10, input_vocab_size=30, embedding_dim=4, units=3, cell="gru")
    seqs = [np.array([5, 6, 7]), np.array([8, 9, 10, 11, 12, 13]), np.array([4])]
    for model in (clf, lm):
        feats = encoder_features(model, seqs, batch_size=2)
        assert feats.shape == (3, 2 * 6) and feats.dtype == np.float32
        # padding never counts: a review alone gives the same features as in a padded batch
        alone = encoder_features(model, seqs[:1])
        assert np.allclose(alone[0], feats[0], atol=1e-5)
        assert np.all(feats[:, 6:] >= feats[:, :6] - 1e-6)     # the max is at least the mean, feature by feature
    # only the last max_len tokens are read
    assert np.allclose(encoder_features(clf, [seqs[1]], max_len=2), encoder_features(clf, [seqs[1][-2:]]), atol=1e-6)
    with pytest.raises(ValueError, match="non-empty"):
        encoder_features(clf, [np.array([], dtype=int)])
    with pytest.raises(ValueError, match="needs layers named"):
        encoder_features(clf, seqs, layers=("embedding", "lstm"))


def test_confusion_matrix_refuses_probabilities_instead_of_casting_them_to_zero():
    labels = np.array([0, 1, 1])
    with pytest.raises(ValueError, match=r"predicted must hold class labels 0 or 1, got 0\.7 at index 1; .*"
                                         r"threshold them first, e\.g\. \(probs >= 0\.5\)\.astype\(int\)"):
        confusion_matrix(labels, np.array([0.0, 0.7, 1.0]))
    with pytest.raises(ValueError, match="labels must hold class labels 0 or 1, got 0.5"):
        confusion_matrix(np.array([0.5, 1.0, 0.0]), labels)


@pytest.mark.parametrize("bad", [2, -1])
def test_confusion_matrix_refuses_labels_other_than_0_and_1(bad):
    # -1 used to be counted as class 1 (a negative index), 2 to raise a bare IndexError
    with pytest.raises(ValueError, match=rf"labels must hold class labels 0 or 1, got {bad} at index 2"):
        confusion_matrix(np.array([0, 1, bad]), np.array([0, 1, 1]))
    with pytest.raises(ValueError, match=rf"predicted must hold class labels 0 or 1, got {bad} at index 0"):
        confusion_matrix(np.array([0, 1, 1]), np.array([bad, 1, 1]))


def test_confusion_matrix_accepts_bools_floats_that_are_labels_and_column_vectors():
    labels = np.array([0, 0, 1, 1])
    probs = np.array([0.1, 0.9, 0.8, 0.4])
    expected = [[1, 1], [1, 1]]
    assert confusion_matrix(labels, probs >= 0.5).tolist() == expected
    assert confusion_matrix(labels.astype(np.float32), (probs >= 0.5).astype(int)[:, None]).tolist() == expected
    assert confusion_matrix(np.array([], dtype=int), np.array([], dtype=int)).tolist() == [[0, 0], [0, 0]]
    with pytest.raises(TypeError, match="labels must be a 1-D array of class labels 0 or 1, got an array of dtype <U3"):
        confusion_matrix(np.array(["pos", "neg"]), np.array([1, 0]))


@pytest.mark.parametrize("bad", [2, -1])
def test_accuracy_by_length_refuses_labels_other_than_0_and_1(bad):
    # a label 2 (or -1) used to count as a mistake for every prediction, silently
    with pytest.raises(ValueError, match=rf"labels must hold class labels 0 or 1, got {bad} at index 1"):
        accuracy_by_length(np.array([10, 20, 30]), np.array([1, bad, 0]), np.array([0.9, 0.8, 0.1]))


def test_accuracy_by_length_refuses_bad_probabilities_lengths_and_edges():
    lengths, labels = np.array([10, 20, 30]), np.array([1, 1, 0])
    rows = accuracy_by_length(lengths, labels, np.array([0.9, 0.2, 0.1]), edges=(0, 15, np.inf))
    assert [(r["low"], r["high"], r["reviews"], r["accuracy"]) for r in rows] == [(0, 15, 1, 1.0), (15, np.inf, 2, 0.5)]
    assert type(rows[0]["low"]) is int                      # the edges are reported as given
    with pytest.raises(ValueError, match=r"probs must hold probabilities in \[0, 1\], got 1\.5 at index 1; .*sigmoid"):
        accuracy_by_length(lengths, labels, np.array([0.9, 1.5, 0.1]))
    with pytest.raises(ValueError, match="probs must hold finite probabilities"):
        accuracy_by_length(lengths, labels, np.array([0.9, np.nan, 0.1]))
    with pytest.raises(ValueError, match="lengths must be a 1-D array of non-negative token counts"):
        accuracy_by_length(np.array([10, -20, 30]), labels, np.array([0.9, 0.8, 0.1]))
    with pytest.raises(ValueError, match="edges must be at least two strictly increasing numbers"):
        accuracy_by_length(lengths, labels, np.array([0.9, 0.8, 0.1]), edges=(0, 200, 100))
    with pytest.raises(TypeError, match="edges\\[1\\] must be a finite number, got str"):
        accuracy_by_length(lengths, labels, np.array([0.9, 0.8, 0.1]), edges=(0, "100"))


def test_most_confident_mistakes_refuses_bad_labels_and_k():
    labels, probs = np.array([0, 1, 1, 0]), np.array([0.9, 0.2, 0.6, 0.7])
    assert most_confident_mistakes(labels, probs, k=np.int64(2)).tolist() == [0, 1]
    with pytest.raises(ValueError, match="labels must hold class labels 0 or 1, got -1"):
        most_confident_mistakes(np.array([0, -1, 1, 0]), probs)
    # k=-1 used to return every mistake but the least confident one
    with pytest.raises(ValueError, match="k must be a positive integer, got -1; use 1 or more"):
        most_confident_mistakes(labels, probs, k=-1)
    with pytest.raises(TypeError, match="k must be a positive integer, got float 2.0; pass 2 \\(an int\\)"):
        most_confident_mistakes(labels, probs, k=2.0)
    with pytest.raises(ValueError, match="probs must hold 4 values"):
        most_confident_mistakes(labels, probs[:3])


def test_encoder_features_sorted_batches_match_each_review_read_alone_in_input_order():
    from rnn_tutorial.inspection import encoder_features
    from rnn_tutorial.layers import MaskedPooling

    keras.utils.set_random_seed(1)
    clf = sentiment_model(vocab_size=40, embedding_dim=4, units=3, cell="gru", bidirectional=True, pooling="mean_max")
    rng = np.random.default_rng(0)
    seqs = [rng.integers(2, 40, size=n) for n in (7, 2, 40, 1, 33, 5, 64, 3)]
    feats = encoder_features(clf, seqs, batch_size=3, max_len=50)
    embedding, recurrent = clf.get_layer("embedding"), clf.get_layer("bidirectional_gru")
    for i, s in enumerate(seqs):                        # eager, one unpadded review at a time
        tokens = np.asarray(s)[-50:][None, :]
        states = recurrent(embedding(tokens), training=False)
        expected = np.asarray(MaskedPooling("mean_max")(states, mask=np.ones_like(tokens, dtype=bool)))
        assert np.allclose(feats[i], expected[0], atol=1e-5), i


def test_disagreements_counts_sum_to_n_and_pick_the_most_confident_wrong_model():
    from rnn_tutorial.inspection import disagreements

    labels = np.array([1, 1, 0, 0, 1, 0])
    a = np.array([0.9, 0.8, 0.3, 0.6, 0.2, 0.1])      # right, right, right, wrong, wrong, right
    b = np.array([0.7, 0.1, 0.95, 0.4, 0.6, 0.45])    # right, wrong, wrong, right, right, right
    d = disagreements(labels, a, b, k=2)
    assert (d["both_right"], d["only_a_right"], d["only_b_right"], d["both_wrong"]) == (2, 2, 2, 0)
    assert d["a_right_b_wrong"].tolist() == [2, 1]     # b said 0.95 for a negative: its worst
    assert d["b_right_a_wrong"].tolist() == [4, 3]     # a said 0.2 for a positive (0.3 from 0.5)
    with pytest.raises(ValueError, match="probs_b"):
        disagreements(labels, a, b[:3])
    with pytest.raises(ValueError):
        disagreements(labels, a, b, k=0)


def test_attention_weights_refuse_tokens_that_are_no_indices_of_the_models_vocabulary():
    from rnn_tutorial.inspection import attention_weights

    model = sentiment_model(vocab_size=7, embedding_dim=4, units=3, pooling="attention")
    good = attention_weights(model, [[2, 3, 0]])
    assert good.shape == (1, 3)
    np.testing.assert_array_equal(attention_weights(model, np.array([[2, 3, 0]], dtype=np.int64)), good)
    # floats used to be truncated silently (2.9 -> 2), index 300 a raw TensorFlow error
    with pytest.raises(TypeError, match=r"tokens must hold integer token indices, got dtype float64 \(first value 2\.9\)"):
        attention_weights(model, [[2.9, 3.7, 0.2]])
    with pytest.raises(ValueError, match=r"tokens\[0, 1\] is token index 300, outside the model's vocabulary: its "
                                         r"Embedding reads indices 0 to 6 \(input_dim=7\)"):
        attention_weights(model, [[2, 300]])
    with pytest.raises(ValueError, match=r"tokens\[0, 1\] is token index -1; token indices are >= 0"):
        attention_weights(model, [[2, -1]])
    with pytest.raises(ValueError, match=r"tokens must be a 2-D array \(batch, time\).*got shape \(3,\)"):
        attention_weights(model, [2, 3, 0])
    with pytest.raises(TypeError, match=r"tokens must be .* got str"):
        attention_weights(model, "a review")
