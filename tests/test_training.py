"""Tests of rnn_tutorial.training's argument checks: no silent wrong result.

Each test here failed on the helpers before they used :mod:`rnn_tutorial.validation`:
probabilities cast to class 0, labels 2 and -1 counted (or indexed) as a class,
infinite learning rates and temperatures accepted, a negative number of tokens
answered with an empty list, ``..`` accepted as a checkpoint folder name, a batch size
of 0 replaced by the profile's. The behaviour on valid input is tested in
``test_models.py``.
"""

from types import SimpleNamespace

import keras
import numpy as np
import pytest

from rnn_tutorial import training
from rnn_tutorial.models import language_model, sentiment_model
from rnn_tutorial.pipeline import BucketedBatches
from rnn_tutorial.profiles import PROFILES
from rnn_tutorial.training import (
    FitReport,
    accuracy_by_length,
    average_reports,
    checkpoint_dir,
    compile_sentiment,
    confusion_matrix,
    fit_sentiment,
    generate,
    most_confident_mistakes,
    perplexity,
    review_batches,
    training_callbacks,
)

RUN = SimpleNamespace(profile=PROFILES["ci"])


# --------------------------------------------------------------------------- labels and predictions

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


def _report(name, probs):
    return FitReport(name=name, params=1, seconds=1.0, epochs=1, best_epoch=1, history={}, val_accuracy=0.0,
                     val_probs=np.asarray(probs, dtype=float), test_probs=np.asarray(probs, dtype=float))


def test_average_reports_refuses_labels_other_than_0_and_1():
    a, b = _report("a", [0.9, 0.2, 0.7]), _report("b", [0.8, 0.1, 0.6])
    assert average_reports([a, b], np.array([1, 0, 1])).val_accuracy == 1.0
    # the label 2 used to be silently counted as a mistake
    with pytest.raises(ValueError, match="val_labels must hold class labels 0 or 1, got 2 at index 2"):
        average_reports([a, b], np.array([1, 0, 2]))
    with pytest.raises(ValueError, match="test_labels must hold class labels 0 or 1, got -1"):
        average_reports([a, b], np.array([1, 0, 1]), np.array([1, -1, 1]))
    with pytest.raises(ValueError, match=r"val_probs of 'b' must hold probabilities in \[0, 1\], got 1\.6"):
        average_reports([a, _report("b", [0.8, 0.1, 1.6])], np.array([1, 0, 1]))
    with pytest.raises(TypeError, match=r"reports\[1\] must be a FitReport"):
        average_reports([a, {"val_probs": [0.1, 0.2, 0.3]}], np.array([1, 0, 1]))


def _batches(labels, seed=0):
    rng = np.random.default_rng(seed)
    seqs = [rng.integers(2, 20, 6).astype("int32") for _ in labels]
    return BucketedBatches(seqs, np.asarray(labels), batch_size=4, shuffle=False, seed=0)


def test_fit_sentiment_refuses_bad_labels_and_names_before_training(tmp_path, monkeypatch):
    monkeypatch.setattr(training, "cache_dir", lambda: tmp_path / "cache")   # nothing written outside tmp_path
    model = sentiment_model(vocab_size=20, embedding_dim=4, units=3)
    good, bad = _batches([0, 1, 0, 1]), _batches([0, 1, 2, 1])
    with pytest.raises(ValueError, match=r"train_batches\.labels must hold class labels 0 or 1, got 2 at index 2"):
        fit_sentiment(model, bad, good, RUN, "x", epochs=1, verbose=0)
    with pytest.raises(ValueError, match=r"val_batches\.labels must hold class labels 0 or 1, got 2"):
        fit_sentiment(model, good, bad, RUN, "x", epochs=1, verbose=0)
    with pytest.raises(ValueError, match=r"test_batches\.labels must hold class labels 0 or 1, got 2"):
        fit_sentiment(model, good, good, RUN, "x", epochs=1, test_batches=bad, verbose=0)
    with pytest.raises(ValueError, match=r"test_batches\.labels must hold class labels 0 or 1, got 0\.7.*threshold"):
        fit_sentiment(model, good, good, RUN, "x", epochs=1, test_batches=_batches([0.7, 1, 0, 1]), verbose=0)
    with pytest.raises(ValueError, match=r"name must be a single folder or file name, got '\.\.'"):
        fit_sentiment(model, good, good, RUN, "..", epochs=1, verbose=0)
    with pytest.raises(TypeError, match="epochs must be a positive integer, got float 2.0"):
        fit_sentiment(model, good, good, RUN, "x", epochs=2.0, verbose=0)
    with pytest.raises(ValueError, match="patience must be a non-negative integer, got -1"):
        fit_sentiment(model, good, good, RUN, "x", epochs=1, patience=-1, verbose=0)
    with pytest.raises(ValueError, match="learning_rate must be a positive finite number, got inf"):
        fit_sentiment(model, good, good, RUN, "x", epochs=1, learning_rate=float("inf"), verbose=0)
    with pytest.raises(TypeError, match="test_batches must be a BucketedBatches"):
        fit_sentiment(model, good, good, RUN, "x", epochs=1, test_batches=[1, 2], verbose=0)
    assert not (tmp_path / "checkpoints").exists()       # refused before any training or checkpoint


# --------------------------------------------------------------------------- rates, counts, names

@pytest.mark.parametrize("kwargs, error, match", [
    ({"learning_rate": float("inf")}, ValueError, "learning_rate must be a positive finite number, got inf"),
    ({"learning_rate": float("nan")}, ValueError, "learning_rate must be a positive finite number, got nan"),
    ({"learning_rate": 0.0}, ValueError, r"learning_rate must be a positive finite number, got 0\.0; use a value > 0"),
    ({"learning_rate": -1e-3}, ValueError, "learning_rate must be a positive finite number, got -0.001"),
    ({"learning_rate": "1e-3"}, TypeError, "learning_rate .* got str '1e-3'; convert the string with float"),
    ({"learning_rate": True}, TypeError, "learning_rate .* got bool True"),
    ({"decay_rate": 0.0}, ValueError, r"decay_rate must be a finite number in \(0, 1\], got 0\.0"),
    ({"decay_rate": 2.0}, ValueError, r"decay_rate must be a finite number in \(0, 1\], got 2\.0.*None keeps"),
    ({"decay_rate": float("inf")}, ValueError, "decay_rate .* got inf"),
    ({"clipnorm": 0}, ValueError, "clipnorm must be a positive finite number, got 0"),
    ({"clipnorm": float("inf")}, ValueError, "clipnorm must be a positive finite number, got inf"),
    ({"steps_per_epoch": 0}, ValueError, "steps_per_epoch must be a positive integer, got 0"),
    ({"steps_per_epoch": 10.0}, TypeError, "steps_per_epoch must be a positive integer, got float 10.0"),
])
def test_compile_sentiment_refuses_nonsensical_rates(kwargs, error, match):
    model = sentiment_model(vocab_size=20, embedding_dim=4, units=3)
    args = {"steps_per_epoch": 10, **kwargs}
    with pytest.raises(error, match=match):
        compile_sentiment(model, **args)


def test_compile_sentiment_accepts_numpy_numbers_and_none():
    model = sentiment_model(vocab_size=20, embedding_dim=4, units=3)
    compile_sentiment(model, np.int64(10), learning_rate=np.float32(1e-3), decay_rate=None, clipnorm=None)
    assert model.optimizer.clipnorm is None
    compile_sentiment(model, 10, learning_rate=1e-3, decay_rate=1, clipnorm=np.float64(2.0))
    assert model.optimizer.clipnorm == 2.0


@pytest.fixture(scope="module")
def lm():
    keras.utils.set_random_seed(0)
    return language_model(vocab_size=12, embedding_dim=4, units=5)


def test_generate_refuses_negative_counts_and_bad_temperatures(lm):
    assert generate(lm, [3, 4], n_tokens=0) == []                  # zero tokens: nothing to sample
    assert len(generate(lm, [3, 4], n_tokens=np.int64(3), temperature=np.float32(0.5), seed=np.int64(1))) == 3
    # n_tokens=-3 used to return [] as if three tokens had been asked for and none sampled
    with pytest.raises(ValueError, match="n_tokens must be a non-negative integer, got -3; use 0 or more"):
        generate(lm, [3], n_tokens=-3)
    with pytest.raises(TypeError, match="n_tokens must be a non-negative integer, got float 2.0"):
        generate(lm, [3], n_tokens=2.0)
    for bad in (0, -1.0, float("inf"), float("nan")):
        with pytest.raises(ValueError, match="temperature must be a positive finite number"):
            generate(lm, [3], n_tokens=1, temperature=bad)
    with pytest.raises(TypeError, match="temperature .* got str"):
        generate(lm, [3], n_tokens=1, temperature="1.0")
    with pytest.raises(ValueError, match="seed must be a non-negative integer, got -1"):
        generate(lm, [3], n_tokens=1, seed=-1)


def test_generate_refuses_bad_prompts_and_banned_tokens(lm):
    # a token 1.5 used to be truncated to 1 silently
    with pytest.raises(TypeError, match=r"prompt\[1\] must be a non-negative integer, got float 1\.5"):
        generate(lm, [3, 1.5], n_tokens=1)
    with pytest.raises(ValueError, match=r"prompt\[0\] must be a non-negative integer, got -2"):
        generate(lm, [-2], n_tokens=1)
    with pytest.raises(ValueError, match="prompt must hold at least one token index"):
        generate(lm, [], n_tokens=1)
    with pytest.raises(TypeError, match="prompt must be a sequence of token indices, got str"):
        generate(lm, "a film", n_tokens=1)
    with pytest.raises(ValueError, match=r"banned holds index 12, outside the model's vocabulary \[0, 12\)"):
        generate(lm, [3], n_tokens=1, banned=(0, 12))
    with pytest.raises(ValueError, match="every token of the model's 12 is banned"):
        generate(lm, [3], n_tokens=1, banned=range(12))


@pytest.mark.parametrize("name", ["..", ".", ".hidden", "", "a/b", "a\\b", "../escape", "/abs", "x\x00y"])
def test_checkpoint_dir_refuses_names_that_are_not_one_folder(name, tmp_path):
    # ".." and ".hidden" used to be accepted: build/checkpoints/ci/.. is build/checkpoints
    with pytest.raises(ValueError, match="name must be a single folder or file name"):
        checkpoint_dir(RUN, name, root=tmp_path)


def test_checkpoint_dir_accepts_plain_names_and_refuses_other_types(tmp_path):
    assert checkpoint_dir(RUN, "sentiment_gru-2", root=tmp_path) == tmp_path / "checkpoints" / "ci" / "sentiment_gru-2"
    with pytest.raises(TypeError, match="name must be a str naming one folder or file, got (PosixPath|WindowsPath)"):
        checkpoint_dir(RUN, tmp_path / "x", root=tmp_path)


def test_training_callbacks_patience_and_monitor(tmp_path):
    assert len(training_callbacks(tmp_path / "a", patience=np.int64(0))) == 3
    with pytest.raises(TypeError, match="patience must be a non-negative integer, got float 1.0"):
        training_callbacks(tmp_path / "b", patience=1.0)
    with pytest.raises(ValueError, match="patience must be a non-negative integer, got -1"):
        training_callbacks(tmp_path / "b", patience=-1)
    with pytest.raises(TypeError, match="monitor must be the name of a logged metric"):
        training_callbacks(tmp_path / "b", monitor=None)


def test_review_batches_refuses_zero_instead_of_using_the_profile():
    data = SimpleNamespace(sequences=[np.arange(2, 2 + k) for k in range(1, 9)], labels=np.array([0, 1] * 4))
    profile = SimpleNamespace(batch_size=4, max_len=5)
    batches = review_batches(data, np.arange(8), profile, shuffle=False, seed=0)
    assert batches.batch_size == 4 and batches.max_len == 5
    assert review_batches(data, np.arange(8), profile, False, 0, batch_size=2, max_len=3).batch_size == 2
    # batch_size=0 and max_len=0 used to fall back to the profile's values silently
    with pytest.raises(ValueError, match="batch_size must be a positive integer, got 0"):
        review_batches(data, np.arange(8), profile, shuffle=False, seed=0, batch_size=0)
    with pytest.raises(ValueError, match="max_len must be a positive integer, got 0"):
        review_batches(data, np.arange(8), profile, shuffle=False, seed=0, max_len=0)
    # a boolean mask used to be read as the indices 0 and 1
    with pytest.raises(TypeError, match="index must be an array of integer review indices, got dtype bool"):
        review_batches(data, np.arange(8) < 4, profile, shuffle=False, seed=0)


def test_perplexity_refuses_strings_bools_and_negative_losses():
    assert perplexity(np.float32(0.0)) == 1.0
    assert perplexity(np.array(0.0)) == 1.0                 # a 0-d array, as some backends return a loss
    with pytest.raises(TypeError, match="mean_cross_entropy .* got str '2.0'"):
        perplexity("2.0")
    with pytest.raises(TypeError, match="mean_cross_entropy .* got bool"):
        perplexity(True)
    with pytest.raises(ValueError, match="mean_cross_entropy must be a finite number >= 0, got -0.5"):
        perplexity(-0.5)


def test_padding_after_the_prompt_leaves_a_causal_models_last_logits_unchanged():
    import keras
    import numpy as np

    from rnn_tutorial.training import _padded_prompt

    keras.utils.set_random_seed(0)
    lm = keras.Sequential([keras.Input((None,), dtype="int32"), keras.layers.Embedding(50, 8, mask_zero=True),
                           keras.layers.LSTM(6, return_sequences=True), keras.layers.Dense(50)])
    tokens = [3, 17, 9, 4, 22]
    padded = _padded_prompt(tokens, 16)
    assert padded.shape == (1, 16) and padded[0, :5].tolist() == tokens and not padded[0, 5:].any()
    exact = np.asarray(lm(np.array([tokens], dtype=np.int32)))[0, -1]
    np.testing.assert_allclose(np.asarray(lm(padded))[0, len(tokens) - 1], exact, atol=1e-6)
    assert _padded_prompt(tokens, 1).shape == (1, 5)


def test_bucketed_batches_round_widths_under_jax_only():
    import keras

    from rnn_tutorial.pipeline import JAX_PAD_MULTIPLE, default_pad_multiple

    expected = JAX_PAD_MULTIPLE if keras.backend.backend() == "jax" else 1
    assert default_pad_multiple() == expected
