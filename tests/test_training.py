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
from rnn_tutorial.models import (
    sentiment_model,
)
from rnn_tutorial.pipeline import BucketedBatches
from rnn_tutorial.profiles import PROFILES
from rnn_tutorial.training import (
    FitReport,
    average_reports,
    checkpoint_dir,
    compile_sentiment,
    fit_sentiment,
    review_batches,
    training_callbacks,
)

RUN = SimpleNamespace(profile=PROFILES["ci"])


# --------------------------------------------------------------------------- labels and predictions


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
    monkeypatch.setattr(training, "build_dir", lambda: tmp_path)   # nothing written outside tmp_path
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


def test_bucketed_batches_round_widths_under_jax_only():
    import keras
    from rnn_tutorial.pipeline import JAX_PAD_MULTIPLE, default_pad_multiple

    expected = JAX_PAD_MULTIPLE if keras.backend.backend() == "jax" else 1
    assert default_pad_multiple() == expected
    assert default_pad_multiple(200) == (200 if keras.backend.backend() == "jax" else 1)
    with pytest.raises(ValueError, match="jax_multiple must be a positive integer, got 0"):
        default_pad_multiple(0)


def test_review_batches_take_the_profiles_jax_width():
    """Under JAX the ci profile pads every batch to max_len (one compilation per model)."""
    import keras
    from rnn_tutorial.profiles import get_profile
    from rnn_tutorial.training import review_batches

    rng = np.random.default_rng(0)
    data = SimpleNamespace(sequences=[rng.integers(2, 50, n) for n in rng.integers(5, 300, 200)],
                                 labels=rng.integers(0, 2, 200))
    for name in ("ci", "laptop"):
        profile = get_profile(name)
        batches = review_batches(data, np.arange(200), profile, shuffle=True, seed=1)
        widths = {batches[i][0].shape[1] for i in range(len(batches))}
        if keras.backend.backend() == "jax":
            assert batches.pad_multiple == profile.jax_pad_multiple
            assert all(w % profile.jax_pad_multiple == 0 or w == profile.max_len for w in widths)
            assert name != "ci" or widths == {profile.max_len}
        else:
            assert batches.pad_multiple == 1 and len(widths) > 1


def test_predict_proba_returns_examples_in_their_order():
    from rnn_tutorial.pipeline import BucketedBatches
    from rnn_tutorial.training import predict_proba

    rng = np.random.default_rng(0)
    seqs = [rng.integers(1, 20, k).astype("int32") for k in rng.integers(1, 30, 70)]
    model = sentiment_model(vocab_size=20, embedding_dim=4, units=3)
    probs = predict_proba(model, BucketedBatches(seqs, np.zeros(70), batch_size=16, shuffle=True, seed=2))
    one_by_one = [float(model(s[None, :])[0, 0]) for s in seqs]
    np.testing.assert_allclose(probs, one_by_one, rtol=1e-4, atol=1e-5)


def test_fit_sentiment_reports_accuracy_params_and_time(tmp_path):
    from types import SimpleNamespace

    from rnn_tutorial.pipeline import BucketedBatches
    from rnn_tutorial.profiles import PROFILES
    from rnn_tutorial.training import fit_sentiment

    rng = np.random.default_rng(1)
    labels = rng.integers(0, 2, 120)
    seqs = [np.where(rng.random(8) < 0.5, 2 + lab, rng.integers(4, 20, 8)).astype("int32") for lab in labels]
    batches = lambda idx, shuffle: BucketedBatches([seqs[i] for i in idx], labels[idx], batch_size=16,  # noqa: E731
                                                   shuffle=shuffle, seed=0)
    run = SimpleNamespace(profile=PROFILES["ci"])
    keras.utils.set_random_seed(0)
    model = sentiment_model(vocab_size=20, embedding_dim=4, units=3, embedding_dropout=0.0, dropout=0.0)
    import rnn_tutorial.training as training
    original = training.build_dir
    training.build_dir = lambda: tmp_path
    try:
        report = fit_sentiment(model, batches(range(80), True), batches(range(80, 100), False), run, "unit_test",
                               epochs=2, test_batches=batches(range(100, 120), False), learning_rate=1e-2, verbose=0)
    finally:
        training.build_dir = original
    assert report.params == model.count_params() and report.epochs == 2 and 1 <= report.best_epoch <= 2
    assert report.seconds > 0 and 0 <= report.test_accuracy <= 1 and report.test_probs.shape == (20,)
    assert report.row()["variant"] == "unit_test"
    assert report.val_probs.shape == (20,)
    val_acc = np.mean((report.val_probs >= 0.5) == labels[80:100])
    assert abs(val_acc - report.val_accuracy) < 1e-6          # the restored epoch's predictions, in review order
    with pytest.raises(ValueError, match="epochs"):
        fit_sentiment(model, batches(range(10), True), batches(range(10), False), run, "x", epochs=0)
    unlabeled = BucketedBatches([seqs[i] for i in range(100, 120)], None, batch_size=16, shuffle=False, seed=0)
    with pytest.raises(ValueError, match="carries labels"):
        fit_sentiment(model, batches(range(10), True), batches(range(10), False), run, "x", epochs=1,
                      test_batches=unlabeled)


def test_fit_sentiment_learns_soft_targets_and_still_scores_hard_labels(tmp_path, monkeypatch):
    """Distillation: a teacher's probabilities as training targets; validation stays 0/1."""
    monkeypatch.setattr(training, "build_dir", lambda: tmp_path)
    rng = np.random.default_rng(2)
    labels = rng.integers(0, 2, 120)
    seqs = [np.where(rng.random(8) < 0.5, 2 + lab, rng.integers(4, 20, 8)).astype("int32") for lab in labels]
    teacher = np.clip(labels + rng.normal(0, 0.2, 120) * (1 - 2 * labels), 0.02, 0.98)  # confident, right side
    soft = BucketedBatches(seqs[:80], teacher[:80], batch_size=16, seed=0)
    hard = BucketedBatches(seqs[80:], labels[80:], batch_size=16, shuffle=False, seed=0)
    keras.utils.set_random_seed(0)
    model = sentiment_model(vocab_size=20, embedding_dim=4, units=3, embedding_dropout=0.0, dropout=0.0)
    with pytest.raises(ValueError, match=r"train_batches\.labels must hold class labels 0 or 1.*soft_targets=True"):
        fit_sentiment(model, soft, hard, RUN, "x", epochs=1, verbose=0)      # soft targets must be asked for
    over = BucketedBatches(seqs[:80], teacher[:80] + 0.5, batch_size=16, seed=0)
    with pytest.raises(ValueError, match=r"train_batches\.labels \(soft targets\).*\[0, 1\]"):
        fit_sentiment(model, over, hard, RUN, "x", epochs=1, verbose=0, soft_targets=True)
    soft_val = BucketedBatches(seqs[80:], teacher[80:], batch_size=16, shuffle=False, seed=0)
    with pytest.raises(ValueError, match=r"val_batches\.labels must hold class labels 0 or 1"):
        fit_sentiment(model, soft, soft_val, RUN, "x", epochs=1, verbose=0, soft_targets=True)
    with pytest.raises(TypeError, match="soft_targets must be True or False"):
        fit_sentiment(model, soft, hard, RUN, "x", epochs=1, verbose=0, soft_targets="yes")
    report = fit_sentiment(model, soft, hard, RUN, "soft", epochs=3, learning_rate=2e-2, verbose=0,
                           soft_targets=True)
    assert report.val_accuracy == pytest.approx(np.mean((report.val_probs >= 0.5) == labels[80:]))
    assert report.val_accuracy > 0.8          # the teacher's side of 0.5 is the label's here
    assert 0.8 < report.history["accuracy"][-1] <= 1.0  # agreement with the teacher, not 0


def test_teacher_batches_carry_the_teachers_probabilities():
    from rnn_tutorial.training import teacher_batches

    rng = np.random.default_rng(3)
    seqs = [rng.integers(2, 20, n).astype("int32") for n in rng.integers(3, 500, 100)]
    probs = rng.random(100)
    batches = teacher_batches(seqs, probs, PROFILES["ci"], seed=4)
    assert batches.shuffle and batches.batch_size == PROFILES["ci"].batch_size
    seen = np.concatenate([batches[i][1] for i in range(len(batches))])
    assert seen.dtype == np.float32 and np.allclose(np.sort(seen), np.sort(probs.astype("float32")))
    assert max(batches[i][0].shape[1] for i in range(len(batches))) <= PROFILES["ci"].max_len
    with pytest.raises(ValueError, match="teacher_probs"):
        teacher_batches(seqs, probs[:99], PROFILES["ci"], seed=4)
    with pytest.raises(ValueError, match="teacher_probs"):
        teacher_batches(seqs, probs * 2, PROFILES["ci"], seed=4)
    with pytest.raises(TypeError, match="sequences must be a list of encoded reviews"):
        teacher_batches("review", probs, PROFILES["ci"], seed=4)


def test_side_agreement_is_accuracy_for_hard_labels():
    y_true = np.array([0, 1, 1, 0, 0.7, 0.2], "float32")
    y_pred = np.array([0.1, 0.9, 0.4, 0.6, 0.8, 0.3], "float32")
    got = keras.ops.convert_to_numpy(training._side_agreement(y_true, y_pred))
    assert got.tolist() == [1, 1, 0, 0, 1, 1]


def test_average_reports_averages_probabilities_and_can_beat_every_member():
    from rnn_tutorial.training import average_reports

    labels = np.array([1, 1, 0, 0])
    # each member is wrong on a different review; the mean is right on all four
    a = _fit_report("a", [0.9, 0.4, 0.2, 0.1], [0.9, 0.4, 0.2, 0.1], params=10, seconds=1.0)
    b = _fit_report("b", [0.45, 0.9, 0.1, 0.2], [0.45, 0.9, 0.1, 0.2], params=20, seconds=2.5)
    c = _fit_report("c", [0.8, 0.8, 0.6, 0.2], [0.8, 0.8, 0.6, 0.2], params=5, seconds=0.5)
    ens = average_reports([a, b, c], labels, labels, name="ens")
    assert ens.name == "ens" and ens.params == 35 and ens.seconds == 4.0 and ens.epochs == 0
    assert np.allclose(ens.val_probs, [0.7166666, 0.7, 0.3, 0.1666666])
    assert ens.val_accuracy == 1.0 and ens.test_accuracy == 1.0
    for member in (a, b, c):
        assert np.mean((member.val_probs >= 0.5) == labels) == 0.75
    assert average_reports([a, b], labels).test_accuracy is None


def test_average_reports_rejects_bad_members():
    from rnn_tutorial.training import average_reports

    labels = np.array([1, 0])
    a, b = _fit_report("a", [0.9, 0.1], [0.9, 0.1]), _fit_report("b", [0.8, 0.3])
    with pytest.raises(ValueError, match="at least two"):
        average_reports([a], labels)
    with pytest.raises(ValueError, match=r"test_probs of \['b'\]"):
        average_reports([a, b], labels, labels)
    with pytest.raises(ValueError, match=r"val_probs of \['a', 'b'\]"):
        average_reports([a, b], np.array([1, 0, 1]))


def _fit_report(name, val_probs, test_probs=None, params=10, seconds=1.0):
    return FitReport(name=name, params=params, seconds=seconds, epochs=1, best_epoch=1, history={}, val_accuracy=0.0,
                     val_probs=None if val_probs is None else np.asarray(val_probs, dtype=float),
                     test_probs=None if test_probs is None else np.asarray(test_probs, dtype=float))


def test_rescore_predicts_other_batches_of_the_same_reviews_and_keeps_the_training_figures():
    from rnn_tutorial.pipeline import BucketedBatches
    from rnn_tutorial.training import FitReport, predict_proba, rescore

    rng = np.random.default_rng(3)
    seqs = [rng.integers(2, 20, k).astype("int32") for k in rng.integers(5, 40, 30)]
    labels = rng.integers(0, 2, 30)
    keras.utils.set_random_seed(0)
    model = sentiment_model(vocab_size=20, embedding_dim=4, units=3)
    short = BucketedBatches(seqs, labels, batch_size=8, max_len=10, shuffle=False, seed=0)
    whole = BucketedBatches(seqs, labels, batch_size=8, max_len=64, shuffle=False, seed=0)
    probs = predict_proba(model, short)
    report = FitReport("m", 7, 12.5, 2, 1, {"loss": [1.0]}, float(np.mean((probs >= 0.5) == labels)), val_probs=probs)
    again = rescore(model, report, whole, whole, name="m_whole")
    assert again.name == "m_whole" and (again.params, again.seconds, again.history) == (7, 12.5, {"loss": [1.0]})
    np.testing.assert_allclose(again.val_probs, predict_proba(model, whole))
    assert again.val_accuracy == np.mean((again.val_probs >= 0.5) == labels) == again.test_accuracy
    assert report.name == "m" and report.test_probs is None            # the original is unchanged
    with pytest.raises(ValueError, match="same reviews"):
        rescore(model, report, BucketedBatches(seqs[:5], labels[:5], batch_size=8, shuffle=False, seed=0))
    with pytest.raises(TypeError, match="carries labels"):
        rescore(model, report, BucketedBatches(seqs, None, batch_size=8, shuffle=False, seed=0))


def test_fit_sentiment_builds_the_optimizer_and_still_asks_for_a_compilation(tmp_path, monkeypatch):
    monkeypatch.setattr(training, "build_dir", lambda: tmp_path)   # nothing written outside tmp_path
    good = _batches([0, 1, 0, 1])
    # compile=False on a model never compiled: Keras's own request, not an AttributeError
    with pytest.raises((RuntimeError, ValueError), match="compile"):
        fit_sentiment(sentiment_model(vocab_size=20, embedding_dim=4, units=3), good, good, RUN, "x",
                      epochs=1, verbose=0, compile=False)
    model = sentiment_model(vocab_size=20, embedding_dim=4, units=3)
    fit_sentiment(model, good, good, RUN, "x", epochs=1, verbose=0)
    assert model.optimizer.built and int(model.optimizer.iterations.numpy()) == len(good)


# --------------------------------------------------------------------------- predict_proba and review_batches refuse what they cannot read


def _tiny(head, vocab=10):
    return keras.Sequential([keras.Input((None,), dtype="int32"), keras.layers.Embedding(vocab, 4),
                             keras.layers.GlobalAveragePooling1D(), *head])


def test_predict_proba_refuses_a_model_that_is_not_one_probability_per_review():
    from rnn_tutorial.training import predict_proba

    batches = BucketedBatches([np.array([1, 2]), np.array([3])], None, batch_size=2, shuffle=False)
    # a 2-class softmax used to give P(class 0); a language model's logits came back as probabilities
    softmax = _tiny([keras.layers.Dense(2, activation="softmax")])
    with pytest.raises(ValueError, match=r"model's output must be \(batch, 1\).*got shape \(None, 2\).*Dense\(1, sigmoid\)"):
        predict_proba(softmax, batches)
    lm = keras.Sequential([keras.Input((None,), dtype="int32"), keras.layers.Embedding(10, 4), keras.layers.Dense(7)])
    with pytest.raises(ValueError, match=r"got shape \(None, None, 7\).*Dense\(1, sigmoid\)"):
        predict_proba(lm, batches)
    # one output, but logits: the values are checked after predicting
    logits = _tiny([keras.layers.Dense(1, kernel_initializer="zeros", bias_initializer=keras.initializers.Constant(3.0))])
    with pytest.raises(ValueError, match=r"output must be probabilities in \[0, 1\], got 3 .*Dense\(1, sigmoid\)"):
        predict_proba(logits, batches)
    # what the model says is still returned, in the reviews' order
    sigmoid = _tiny([keras.layers.Dense(1, activation="sigmoid")])
    probs = predict_proba(sigmoid, batches)
    np.testing.assert_allclose(probs, np.asarray(sigmoid.predict(batches, verbose=0)).reshape(-1), rtol=1e-6)


def test_review_batches_refuse_negative_and_out_of_range_indices():
    data = SimpleNamespace(sequences=[np.arange(2, 2 + k) for k in range(1, 9)], labels=np.array([0, 1] * 4))
    profile = SimpleNamespace(batch_size=4, max_len=5)
    # -1 used to take the last review silently
    with pytest.raises(ValueError, match=r"index holds -1 at position 1.* 0 to 7"):
        review_batches(data, np.array([0, -1]), profile, shuffle=False, seed=0)
    with pytest.raises(ValueError, match=r"index holds 8 at position 0.* 0 to 7"):
        review_batches(data, np.array([8]), profile, shuffle=False, seed=0)
    assert len(review_batches(data, np.array([7, 0, 7]), profile, shuffle=False, seed=0).sequences) == 3
