"""Input validation across the package: one bad call per public function.

Every error must be a ``TypeError`` (wrong kind of object) or ``ValueError`` (right kind,
wrong value: rank, shape, emptiness, NaN or inf, out-of-range token id, unknown name),
and its message must name the argument and the value received, and say what is
accepted. Cases already checked elsewhere (``test_scratch.py``, ``test_gan.py``,
``test_text.py``, ``test_profiles.py``, ``test_results.py``) are not repeated here.
"""

from __future__ import annotations

import numpy as np
import pytest

from rnn_tutorial import data, environment, gan, pipeline, plots, profiles, report, results, runner, scratch
from rnn_tutorial import scratch_plots, text

RNN = scratch.random_weights("simple_rnn", 2, 3)
LSTM = scratch.random_weights("lstm", 2, 3)
GRU = scratch.random_weights("gru", 2, 3)
X = np.ones((1, 4, 2))

CASES = [
    # --- profiles, backends, chapters: unknown names list the valid ones
    ("get_profile unknown", lambda: profiles.get_profile("fast"), ValueError, r"unknown profile 'fast'; valid profiles: ci, laptop, full"),
    ("resolve_profile type", lambda: profiles.resolve_profile(3.5), TypeError, r"profile must be a string .* got float 3\.5; valid profiles"),
    ("setup unknown profile", lambda: environment.setup("gpu", show=False), ValueError, r"unknown profile 'gpu'"),
    ("setup chapter type", lambda: environment.setup("ci", chapter=1, show=False), TypeError, r"chapter must be a string .* got int 1"),
    ("setup seed", lambda: environment.setup("ci", seed=-5, show=False), ValueError, r"seed must be a non-negative integer, got -5"),
    ("seed_everything type", lambda: environment.seed_everything("7"), ValueError, r"seed must be a non-negative integer, got '7'"),
    ("run unknown backend", lambda: runner.run("ci", backend="mxnet"), ValueError, r"unknown backend 'mxnet'; valid backends: tensorflow, jax, torch"),
    ("run unknown profile", lambda: runner.run("tiny"), ValueError, r"unknown profile 'tiny'; valid profiles"),
    ("select_chapters unknown", lambda: runner.select_chapters(["99_nothing"]), ValueError, r"unknown chapter '99_nothing'; valid chapters: 01_"),
    ("select_chapters type", lambda: runner.select_chapters([7]), ValueError, r"chapter selector must be a non-empty string, got 7"),
    ("notebook_parameters", lambda: runner.notebook_parameters("ci", SEED=1), ValueError, r"unknown notebook parameter 'SEED'; accepted: PROFILE"),
    ("random_weights cell", lambda: scratch.random_weights("transformer", 2, 2), ValueError, r"unknown cell 'transformer'; accepted: simple_rnn, lstm, gru"),
    # --- data
    ("load_imdb split", lambda: data.load_imdb("validation"), ValueError, r"split must be one of train, test, unsup, got 'validation'"),
    ("load_imdb type", lambda: data.load_imdb(0), TypeError, r"split must be a string, one of train, test, unsup; got int 0"),
    ("data_dir type", lambda: data.data_dir(3), TypeError, r"folder must be a path .* got int 3"),
    ("encoded_imdb split", lambda: text.encoded_imdb("unsup", None), ValueError, r"split must be 'train' or 'test', got 'unsup'"),
    # --- texts: empty, wrong types
    ("standardize type", lambda: text.standardize(42), TypeError, r"texts must be a str, a list of str or a string tensor, got int"),
    ("standardize_text type", lambda: text.standardize_text(b"bytes"), TypeError, r"text must be a str, got bytes"),
    ("fit_vectorizer empty", lambda: text.fit_vectorizer([]), TypeError, r"texts must be a non-empty list of review strings, got list"),
    ("count_vocabulary str", lambda: text.count_vocabulary("one review"), TypeError, r"texts must be a non-empty list .* got str"),
    ("encode single str", lambda: text.encode(None, "a review"), TypeError, r"texts must be a list of strings, got a single str"),
    ("TextEncoder vocabulary", lambda: text.TextEncoder(["film", "plot"]), ValueError, r"vocabulary must start with the padding '' and OOV '\[UNK\]' entries, got \['film', 'plot'\]"),
    ("TextEncoder encode str", lambda: text.TextEncoder(["", "[UNK]"]).encode("x"), TypeError, r"wrap it in a list"),
    # --- token ids: ranks, dtypes, ids outside the vocabulary's range
    ("pad_sequences negative id", lambda: text.pad_sequences([[1, 2], [3, -4]]), ValueError, r"sequences\[1\] holds token index -4, outside"),
    ("pad_sequences float ids", lambda: text.pad_sequences([[1.0, 2.5]]), TypeError, r"sequences\[0\] must hold integer token indices, got dtype float64"),
    ("pad_sequences rank", lambda: text.pad_sequences([np.ones((2, 2), int)]), ValueError, r"sequences\[0\] must be 1-D \(time,\), got shape \(2, 2\)"),
    ("pad_sequences text", lambda: text.pad_sequences(["a review"]), TypeError, r"sequences\[0\] must be a 1-D sequence of integer token indices, got str"),
    ("pad_sequences max_len", lambda: text.pad_sequences([[1]], max_len=0), ValueError, r"max_len must be a positive integer or None, got 0"),
    ("truncate max_len", lambda: text.truncate(np.arange(3), -1), ValueError, r"max_len must be a positive integer or None, got -1"),
    ("truncate truncating", lambda: text.truncate(np.arange(3), 2, "middle"), ValueError, r"truncating must be 'pre' or 'post', got 'middle'"),
    ("lm_pairs negative id", lambda: text.lm_pairs([np.array([5, -1, 3])], 1), ValueError, r"sequences\[0\] holds token index -1"),
    ("lm_pairs too short", lambda: text.lm_pairs([[1, 2]], 5), ValueError, r"hold 2 tokens, fewer than one window of 6"),
    ("make_splits labels", lambda: text.make_splits(np.array([1]), np.array([0, 1])), ValueError, r"train_labels must be a 1-D array of at least 2 labels, got shape \(1,\)"),
    # --- batches
    ("bucket_batches rank", lambda: pipeline.bucket_batches(np.ones((2, 2), int), 2, False, None), ValueError, r"lengths must be 1-D \(n,\), got shape \(2, 2\)"),
    ("bucket_batches negative", lambda: pipeline.bucket_batches(np.array([3, -1]), 2, False, None), ValueError, r"lengths must be non-negative integers .* minimum -1"),
    ("bucket_batches nan", lambda: pipeline.bucket_batches(np.array([3.0, np.nan]), 2, False, None), ValueError, r"lengths must be non-negative integers .* dtype float64"),
    ("bucket_batches rng", lambda: pipeline.bucket_batches(np.array([3, 1]), 2, True, None), ValueError, r"rng must be a numpy.random.Generator when shuffle=True, got None"),
    ("BucketedBatches empty", lambda: pipeline.BucketedBatches([]), ValueError, r"sequences must hold at least one sequence, got an empty list"),
    ("BucketedBatches batch_size", lambda: pipeline.BucketedBatches([[1]], batch_size=0), ValueError, r"batch_size must be an integer >= 1, got 0"),
    ("BucketedBatches labels", lambda: pipeline.BucketedBatches([[1], [2]], labels=[1]), ValueError, r"got 1 labels for 2 sequences"),
    ("BucketedBatches text", lambda: pipeline.BucketedBatches("review"), TypeError, r"sequences must be a list of 1-D integer arrays, got str"),
    # --- scratch: the functions not covered by test_scratch.py
    ("simple_rnn_step rank", lambda: scratch.simple_rnn_step(np.ones(2), np.zeros((1, 3)), *RNN), ValueError, r"x_t must have 2 dimensions \(batch, features\), got shape \(2,\)"),
    ("lstm_step nan", lambda: scratch.lstm_step(np.array([[np.nan, 0]]), np.zeros((1, 3)), np.zeros((1, 3)), *LSTM), ValueError, r"x_t must contain only finite numbers, got nan at index \(0, 0\)"),
    ("gru_step type", lambda: scratch.gru_step("x", np.zeros((1, 3)), *GRU), TypeError, r"x_t must be an array of real numbers .* got str"),
    ("gru_forward inf", lambda: scratch.gru_forward(np.full((1, 2, 2), np.inf), *GRU), ValueError, r"x must contain only finite numbers, got inf at index \(0, 0, 0\)"),
    ("lstm_bptt shape", lambda: scratch.lstm_bptt(X, *LSTM, np.zeros((1, 4, 4))), ValueError, r"d_outputs must have shape .* = \(1, 4, 3\), got \(1, 4, 4\)"),
    ("state_jacobians empty", lambda: scratch.simple_rnn_state_jacobians(np.ones((1, 0, 2)), *RNN), ValueError, r"x must not be empty; .* got \(1, 0, 2\)"),
    ("lstm_state_jacobians rank", lambda: scratch.lstm_state_jacobians(np.ones((4, 2)), *LSTM), ValueError, r"x must have 3 dimensions .* got shape \(4, 2\).*x\[None\]"),
    ("clip_by_norm", lambda: scratch.clip_by_norm(np.ones(3), 0.0), ValueError, r"clipnorm must be a positive finite number, got 0\.0"),
    ("clip_by_norm nan", lambda: scratch.clip_by_norm(np.array([1.0, np.nan]), 1.0), ValueError, r"gradient must contain only finite numbers, got nan at index \(1,\)"),
    ("relative_error nan", lambda: scratch.relative_error(np.array([np.inf]), np.ones(1)), ValueError, r"a must contain only finite numbers, got inf"),
    ("backward_gradient_norms", lambda: scratch.backward_gradient_norms(np.ones((1, 2, 3, 2))), ValueError, r"jacobians must be square, shape \(batch, time, n, n\), got \(1, 2, 3, 2\)"),
    ("adding_problem n", lambda: scratch.adding_problem(0, 5), ValueError, r"n must be a positive integer, got 0"),
    ("random_weights scale", lambda: scratch.random_weights("gru", 2, 2, scale=float("inf")), ValueError, r"scale must be a positive finite number, got inf"),
    # --- results, report, plots
    ("record_metrics inf", lambda: results.record_metrics({"loss": float("inf")}), ValueError, r"metric 'loss' must be finite, got inf"),
    ("record_metrics empty", lambda: results.record_metrics({}), TypeError, r"metrics must be a non-empty dict of name -> number, got \{\}"),
    ("render records type", lambda: report.render("results"), TypeError, r"records must be a list of result dicts .* got str"),
    ("render record keys", lambda: report.render([{"metrics": {}}]), ValueError, r"records\[0\] must be a dict with at least 'chapter' and 'profile', got \['metrics'\]"),
    ("render_status record", lambda: report.render_status([3]), ValueError, r"records\[0\] must be a dict .* got int"),
    ("draw_unrolled_rnn", lambda: plots.draw_unrolled_rnn(20), ValueError, r"steps must be an integer between 2 and 8, got 20"),
    ("plot_gradient_norms", lambda: scratch_plots.plot_gradient_norms([1.0, 2.0]), TypeError, r"curves must be a non-empty mapping label -> norms, got list"),
    ("plot_loss_curve empty", lambda: scratch_plots.plot_loss_curve([]), ValueError, r"train must be a non-empty 1-D sequence of numbers, got shape \(0,\)"),
    ("plot_loss_curve steps", lambda: scratch_plots.plot_loss_curve([1.0, 0.5], [0.7], [1, 2]), ValueError, r"validation_steps must give one step per validation loss: expected 1 steps, got 2"),
    ("plot_loss_curves", lambda: scratch_plots.plot_loss_curves({}), TypeError, r"curves must be a non-empty mapping label -> losses, got dict"),
    # --- gan
    ("sine_waves n", lambda: gan.sine_waves(-2, rng=0), ValueError, r"n must be a positive integer, got -2"),
    ("noise_sequences rng", lambda: gan.noise_sequences(2, rng="seed"), TypeError, r"rng must be a numpy Generator or a non-negative integer seed, got str 'seed'"),
    ("median_distance nan", lambda: gan.median_distance(np.full((3, 4, 1), np.nan)), ValueError, r"x contains NaN or infinite values"),
    ("median_distance rank", lambda: gan.median_distance(np.ones((3, 4))), ValueError, r"x must be 3-D, \(batch, time, features\), got shape \(3, 4\)"),
    ("plot_sequences", lambda: gan.plot_sequences([]), TypeError, r"samples must be a non-empty mapping label -> sequences, got list"),
    ("plot_gan_losses keys", lambda: gan.plot_gan_losses({"loss": [1.0]}), ValueError, r"history must be a mapping with 'd_loss' and 'g_loss' .* got \['loss'\]"),
    ("plot_gan_losses smooth", lambda: gan.plot_gan_losses({"d_loss": [1.0], "g_loss": [1.0]}, smooth=0), ValueError, r"smooth must be a positive integer, got 0"),
]


@pytest.mark.parametrize("name, call, error, match", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_refused_with_a_helpful_message(name, call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_every_error_class_is_a_value_or_type_error():
    """Users can catch the package's refusals with the two standard families."""
    from rnn_tutorial.data import DataIntegrityError
    from rnn_tutorial.safety import UnsafeFileError

    assert issubclass(UnsafeFileError, ValueError)
    assert issubclass(DataIntegrityError, RuntimeError)  # not bad input: a damaged file on disk


def test_messages_name_argument_value_and_what_is_accepted():
    """Spot-check the three parts of a message on a representative refusal of each kind."""
    with pytest.raises(ValueError) as unknown:
        profiles.get_profile("fast")
    with pytest.raises(ValueError) as shape:
        scratch.simple_rnn_forward(np.ones((4, 2)), *RNN)
    with pytest.raises(ValueError) as token:
        text.pad_sequences([[3, -4]])
    for err, argument, received, accepted in (
        (unknown, "profile", "'fast'", "ci, laptop, full"),
        (shape, "x", "(4, 2)", "(batch, time, features)"),
        (token, "sequences[0]", "-4", ">= 0"),
    ):
        message = str(err.value)
        assert argument in message and received in message and accepted in message, message
