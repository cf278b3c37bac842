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

from rnn_tutorial import data, environment, gan, pipeline, plots, profiles, results, scratch
from rnn_tutorial.book import report, runner
from rnn_tutorial import splits, tasks, text

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
    ("setup seed", lambda: environment.setup("ci", seed=-5, show=False), ValueError, r"seed must be an integer from 0 to 4294967295, got -5; use 0 or more"),
    ("seed_everything type", lambda: environment.seed_everything("7"), TypeError, r"seed must be an integer from 0 to 4294967295, got str '7'; convert the string with int\(\) first"),
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
    ("fit_vectorizer empty", lambda: text.fit_vectorizer([]), TypeError, r"texts must be a non-empty list of review strings, got an empty list"),
    ("count_vocabulary str", lambda: text.count_vocabulary("one review"), TypeError, r"texts must be a list of review strings, got a single str"),
    ("fit_vectorizer no words", lambda: text.fit_vectorizer(["", "!!!", "<br /><br />"]), ValueError, r"texts hold no words once standardized \(all 3 are empty"),
    ("encode None element", lambda: text.encode(text.TextEncoder(["", "[UNK]", "a"]), ["a", None]), TypeError, r"texts\[1\] must be a str, got NoneType None"),
    ("encode bytes", lambda: text.encode(text.TextEncoder(["", "[UNK]", "a"]), b"a b"), TypeError, r"got a single bytes; decode it and wrap it in a list"),
    ("encode not iterable", lambda: text.encode(text.TextEncoder(["", "[UNK]", "a"]), None), TypeError, r"texts must be a list of review strings, got NoneType None"),
    ("TextEncoder call str", lambda: text.TextEncoder(["", "[UNK]", "good"])("good film"), TypeError, r"got a single str; wrap it in a list"),
    ("standardize None element", lambda: text.standardize(["a", None]), TypeError, r"texts\[1\] must be a str, got NoneType"),
    ("encode single str", lambda: text.encode(None, "a review"), TypeError, r"texts must be a list of review strings, got a single str; wrap it in a list"),
    ("TextEncoder vocabulary", lambda: text.TextEncoder(["film", "plot"]), ValueError, r"vocabulary must start with the padding '' and OOV '\[UNK\]' entries, got \['film', 'plot'\]"),
    ("TextEncoder encode str", lambda: text.TextEncoder(["", "[UNK]"]).encode("x"), TypeError, r"wrap it in a list"),
    # --- token ids: ranks, dtypes, ids outside the vocabulary's range
    ("pad_sequences negative id", lambda: pipeline.pad_sequences([[1, 2], [3, -4]]), ValueError, r"sequences\[1\]\[1\] is token index -4; token indices are >= 0"),
    ("pad_sequences float ids", lambda: pipeline.pad_sequences([[1.0, 2.5]]), TypeError, r"sequences\[0\] must hold integer token indices, got dtype float64"),
    ("pad_sequences rank", lambda: pipeline.pad_sequences([np.ones((2, 2), int)]), ValueError, r"sequences\[0\] must be a 1-D array \(time,\) of integer token indices, got shape \(2, 2\)"),
    ("pad_sequences text", lambda: pipeline.pad_sequences(["a review"]), TypeError, r"sequences\[0\] must be a 1-D sequence of integer token indices, got str"),
    ("pad_sequences max_len", lambda: pipeline.pad_sequences([[1]], max_len=0), ValueError, r"max_len must be a positive integer or None, got 0"),
    ("truncate max_len", lambda: pipeline.truncate(np.arange(3), -1), ValueError, r"max_len must be a positive integer or None, got -1"),
    ("truncate truncating", lambda: pipeline.truncate(np.arange(3), 2, "middle"), ValueError, r"truncating must be one of 'pre', 'post', got 'middle'"),
    ("lm_pairs negative id", lambda: tasks.lm_pairs([np.array([5, -1, 3])], 1), ValueError, r"sequences\[0\]\[1\] is token index -1"),
    ("lm_pairs too short", lambda: tasks.lm_pairs([[1, 2]], 5), ValueError, r"hold 2 tokens, fewer than one window of 6"),
    ("make_splits labels", lambda: splits.make_splits(np.array([1]), np.array([0, 1])), ValueError, r"train_labels must be a 1-D array of at least 2 labels, got 1"),
    # --- batches
    ("bucket_batches rank", lambda: pipeline.bucket_batches(np.ones((2, 2), int), 2, False, None), ValueError, r"lengths must be 1-D \(n,\), got shape \(2, 2\)"),
    ("bucket_batches negative", lambda: pipeline.bucket_batches(np.array([3, -1]), 2, False, None), ValueError, r"lengths must be non-negative integers .* minimum -1"),
    ("bucket_batches nan", lambda: pipeline.bucket_batches(np.array([3.0, np.nan]), 2, False, None), TypeError, r"lengths must be non-negative integers .* dtype float64"),
    ("bucket_batches rng", lambda: pipeline.bucket_batches(np.array([3, 1]), 2, True, None), ValueError, r"rng must be a numpy.random.Generator when shuffle=True, got None"),
    ("BucketedBatches empty", lambda: pipeline.BucketedBatches([]), ValueError, r"sequences must hold at least one sequence, got an empty list"),
    ("BucketedBatches batch_size", lambda: pipeline.BucketedBatches([[1]], batch_size=0), ValueError, r"batch_size must be a positive integer, got 0; use 1 or more"),
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
    ("record_metrics inf", lambda: results.record_metrics({"loss": float("inf")}), ValueError, r"metric 'loss' must be finite( and within a float's range)?, got inf"),
    ("record_metrics empty", lambda: results.record_metrics({}), TypeError, r"metrics must be a non-empty dict of name -> number, got \{\}"),
    ("render records type", lambda: report.render("results"), TypeError, r"records must be a list of result dicts .* got str"),
    ("render record keys", lambda: report.render([{"metrics": {}}]), ValueError, r"records\[0\] must be a dict with at least 'chapter' and 'profile', got \['metrics'\]"),
    ("render_status record", lambda: report.render_status([3]), ValueError, r"records\[0\] must be a dict .* got int"),
    ("draw_unrolled_rnn", lambda: plots.draw_unrolled_rnn(20), ValueError, r"steps must be an integer between 2 and 8, got 20"),
    ("plot_gradient_norms", lambda: plots.plot_gradient_norms([1.0, 2.0]), TypeError, r"curves must be a non-empty mapping label -> norms, got list"),
    ("plot_loss_curve empty", lambda: plots.plot_loss_curve([]), ValueError, r"train must be a non-empty 1-D sequence of numbers, got shape \(0,\)"),
    ("plot_loss_curve steps", lambda: plots.plot_loss_curve([1.0, 0.5], [0.7], [1, 2]), ValueError, r"validation_steps must give one step per validation loss: expected 1 steps, got 2"),
    ("plot_loss_curves", lambda: plots.plot_loss_curves({}), TypeError, r"curves must be a non-empty mapping label -> losses, got dict"),
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
        pipeline.pad_sequences([[3, -4]])
    for err, argument, received, accepted in (
        (unknown, "profile", "'fast'", "ci, laptop, full"),
        (shape, "x", "(4, 2)", "(batch, time, features)"),
        (token, "sequences[0]", "-4", ">= 0"),
    ):
        message = str(err.value)
        assert argument in message and received in message and accepted in message, message


# --------------------------------------------------------------------------- rnn_tutorial.validation, the shared checkers

from rnn_tutorial import baseline, distribution
from rnn_tutorial.book import benchmarks  # noqa: E402
from rnn_tutorial.validation import (  # noqa: E402
    check_choice,
    check_float,
    check_int,
    check_labels,
    check_path_component,
    check_probabilities,
)


@pytest.mark.parametrize("value", [3, np.int8(3), np.int16(3), np.int32(3), np.int64(3), np.uint8(3), np.uint64(3),
                                   np.array(3)])
def test_check_int_accepts_python_and_numpy_integers(value):
    result = check_int("n", value, min=1, max=3)
    assert result == 3 and type(result) is int


@pytest.mark.parametrize("value, match", [
    (True, r"n must be a positive integer, got bool True; pass a number such as 1, not True or False"),
    (False, r"got bool False"),
    (np.bool_(True), r"got bool True"),
    (2.0, r"n must be a positive integer, got float 2\.0; pass 2 \(an int\), not a float"),
    (np.float64(2.0), r"got float64 2\.0; pass 2 \(an int\)"),
    (2.5, r"got float 2\.5; pass a whole number as an int"),
    (float("nan"), r"got float nan"),
    ("3", r"got str '3'; convert the string with int\(\) first"),
    (None, r"got NoneType None; pass a Python int or a NumPy integer"),
    ([3], r"got list \[3\]"),
    (np.array([3]), r"got ndarray"),
])
def test_check_int_refuses_other_types_with_a_type_error(value, match):
    with pytest.raises(TypeError, match=match):
        check_int("n", value, min=1)


def test_check_int_bounds_and_wording():
    assert check_int("epoch", 0, min=0) == 0 and check_int("x", -5) == -5
    for kwargs, value, message in (
        ({"min": 1}, 0, "steps must be a positive integer, got 0; use 1 or more"),
        ({"min": 0}, -1, "steps must be a non-negative integer, got -1; use 0 or more"),
        ({"min": 2}, 1, "steps must be an integer >= 2, got 1; use 2 or more"),
        ({"max": 8}, 9, "steps must be an integer <= 8, got 9; use 8 or less"),
        ({"min": 2, "max": 8}, 9, "steps must be an integer from 2 to 8, got 9; use 8 or less"),
        ({"min": 1}, np.int64(-3), "steps must be a positive integer, got -3; use 1 or more"),   # no np.int64(...)
    ):
        with pytest.raises(ValueError) as err:
            check_int("steps", value, **kwargs)
        assert str(err.value) == message
    with pytest.raises(ValueError, match=r"got 0; use 1 or more \(how many epochs\)"):
        check_int("epochs", 0, min=1, hint="how many epochs")


@pytest.mark.parametrize("value", [0.5, 1, np.float32(0.5), np.float64(0.5), np.int64(1), np.array(0.5)])
def test_check_float_accepts_finite_reals(value):
    result = check_float("rate", value, min=0, max=1)
    assert result == float(value) and type(result) is float


@pytest.mark.parametrize("value, error, match", [
    (True, TypeError, r"rate must be a finite number, got bool True; pass a number, not True or False"),
    (np.bool_(False), TypeError, r"got bool False"),
    ("0.5", TypeError, r"got str '0\.5'; convert the string with float\(\) first"),
    (None, TypeError, r"got NoneType None; pass an int or a float"),
    (1j, TypeError, r"got complex 1j"),
    ([0.5], TypeError, r"got list"),
    (float("nan"), ValueError, r"rate must be a finite number, got nan; pass a finite number"),
    (float("inf"), ValueError, r"got inf; pass a finite number"),
    (-np.inf, ValueError, r"got -inf"),
    (np.float32("nan"), ValueError, r"got nan"),
])
def test_check_float_refuses_bools_strings_nan_and_inf(value, error, match):
    with pytest.raises(error, match=match):
        check_float("rate", value)


def test_check_float_bounds_open_and_closed():
    assert check_float("p", 0, min=0) == 0.0 and check_float("p", 1, max=1) == 1.0
    cases = (
        ({"min": 0, "include_min": False}, 0, "p must be a positive finite number, got 0; use a value > 0"),
        ({"min": 0}, -0.5, "p must be a finite number >= 0, got -0.5; use a value >= 0"),
        ({"min": 0, "max": 1, "include_max": False}, 1.0, "p must be a finite number in [0, 1), got 1.0; use a value < 1"),
        ({"min": 0, "max": 1, "include_min": False}, 0.0, "p must be a finite number in (0, 1], got 0.0; use a value > 0"),
        ({"max": 0.5, "include_max": False}, 0.5, "p must be a finite number < 0.5, got 0.5; use a value < 0.5"),
        ({"min": 1e-3}, 1e-4, "p must be a finite number >= 0.001, got 0.0001; use a value >= 0.001"),
        ({"min": 0}, np.float64(-2.0), "p must be a finite number >= 0, got -2.0; use a value >= 0"),
    )
    for kwargs, value, message in cases:
        with pytest.raises(ValueError) as err:
            check_float("p", value, **kwargs)
        assert str(err.value) == message


def test_check_choice():
    assert check_choice("cell", "gru", ("lstm", "gru")) == "gru"
    assert check_choice("verbose", np.int64(2), (0, 1, 2)) == 2
    assert check_choice("mode", None, (None, "fast")) is None
    with pytest.raises(ValueError, match=r"^cell must be one of 'lstm', 'gru', got 'LSTM'; did you mean 'lstm'\?$"):
        check_choice("cell", "LSTM", ("lstm", "gru"))
    with pytest.raises(ValueError, match=r"got 'transformer'; pick one of them$"):
        check_choice("cell", "transformer", ("lstm", "gru"))
    with pytest.raises(TypeError, match=r"cell must be one of 'lstm', 'gru', got int 1; pass one of these strings"):
        check_choice("cell", 1, ("lstm", "gru"))
    with pytest.raises(TypeError, match=r"verbose must be one of 0, 1, 2, got bool True"):   # True == 1, but is no choice
        check_choice("verbose", True, (0, 1, 2))
    with pytest.raises(ValueError, match=r"verbose must be one of 0, 1, 2, got 3"):
        check_choice("verbose", 3, (0, 1, 2))
    with pytest.raises(ValueError, match=r"got array\(\[0, 1\]\)"):                   # never an ambiguous truth value
        check_choice("verbose", np.array([0, 1]), (0, 1, 2))


def test_check_probabilities():
    out = check_probabilities("probs", [[0.0], [0.25], [1.0]], n=3)
    assert out.dtype == np.float64 and out.tolist() == [0.0, 0.25, 1.0]
    assert check_probabilities("probs", np.array([True, False])).tolist() == [1.0, 0.0]
    for array, error, match in (
        ([0.5, 1.2], ValueError, r"probs must hold probabilities in \[0, 1\], got 1\.2 at index 1; if these are logits, apply a sigmoid first"),
        ([-0.1], ValueError, r"got -0\.1 at index 0"),
        ([0.5, np.nan], ValueError, r"probs must hold finite probabilities in \[0, 1\], got nan at index 1"),
        ([0.5, np.inf], ValueError, r"got inf at index 1"),
        (np.zeros((2, 2)), ValueError, r"must be a 1-D array .* got shape \(2, 2\)"),
        ([0.5, 0.5], ValueError, r"probs must hold 3 values \(one per example\), got 2"),
        ("0.5", TypeError, r"probs must be a 1-D array of probabilities in \[0, 1\], got str"),
        (0.5, TypeError, r"got float 0\.5; pass an array or list of shape \(n,\)"),
        (["a", "b"], TypeError, r"got an array of dtype <U1"),
        (None, TypeError, r"got NoneType"),
    ):
        with pytest.raises(error, match=match):
            check_probabilities("probs", array, n=3 if match.startswith("probs must hold 3") else None)


def test_check_labels_accepts_only_0_and_1():
    assert check_labels("labels", [0, 1, 1]).tolist() == [0, 1, 1]
    assert check_labels("labels", np.array([0.0, 1.0], dtype=np.float32)).tolist() == [0, 1]     # labels stored as floats
    assert check_labels("labels", np.array([0.2, 0.8]) >= 0.5).tolist() == [0, 1]              # thresholded predictions
    assert check_labels("labels", np.array([[1], [0]], dtype=np.uint8)).dtype == np.int64
    for array, error, match in (
        ([0, 0.7], ValueError, r"labels must hold class labels 0 or 1, got 0\.7 at index 1; these look like probabilities: "
                               r"threshold them first, e\.g\. \(probs >= 0\.5\)\.astype\(int\)"),
        ([0, 2], ValueError, r"got 2 at index 1; map the classes to 0 \(negative\) and 1 \(positive\) first"),
        ([-1, 0], ValueError, r"got -1 at index 0"),
        ([1.5, 0], ValueError, r"got 1\.5 at index 0; map the classes"),
        ([0, np.nan], ValueError, r"got nan at index 1; remove or replace NaN"),
        (["pos", "neg"], TypeError, r"labels must be a 1-D array of class labels 0 or 1, got an array of dtype <U3"),
        (1, TypeError, r"got int 1"),
        ([0, 1, 1], ValueError, r"labels must hold 2 values"),
    ):
        with pytest.raises(error, match=match):
            check_labels("labels", array, n=2 if "hold 2" in match else None)


@pytest.mark.parametrize("name", ["sentiment", "sentiment_gru-2", "lstm.v2", "a b"])
def test_check_path_component_accepts_plain_names(name):
    assert check_path_component("name", name) == name


@pytest.mark.parametrize("value, match", [
    ("..", r"name must be a single folder or file name, got '\.\.'; a name starting with '\.'"),
    (".", r"got '\.'; a name starting"),
    (".hidden", r"got '\.hidden'; a name starting with '\.' \(hidden, or '\.\.' leaving the folder\) is refused"),
    ("", r"got ''; it must not be empty"),
    ("a/b", r"got 'a/b'; '/' and '\\' separate folders: pass one name such as 'a_b'"),
    ("a\\b", r"'/' and '\\' separate folders"),
    ("/etc", r"separate folders: pass one name such as 'etc'"),
    ("../up", r"pass one name such as 'up'"),
    ("nul\x00", r"control characters"),
    ("line\n", r"control characters"),
])
def test_check_path_component_refuses_paths_and_hidden_names(value, match):
    with pytest.raises(ValueError, match=match):
        check_path_component("name", value)


@pytest.mark.parametrize("value", [None, 3, b"name", ["a"]])
def test_check_path_component_refuses_non_strings(value):
    with pytest.raises(TypeError, match=r"name must be a str naming one folder or file, got"):
        check_path_component("name", value)


def test_validation_is_a_leaf_module():
    """It imports nothing from the package, so every module can use it without a cycle."""
    import ast
    from pathlib import Path

    import rnn_tutorial.validation as validation

    tree = ast.parse(Path(validation.__file__).read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module and node.level == 0}
    assert not any(isinstance(node, ast.ImportFrom) and node.level > 0 for node in ast.walk(tree))
    assert imported <= {"__future__", "difflib", "math", "numbers", "typing", "numpy"}, imported


# the modules whose own test files are not about validation: the new TypeErrors and the
# silent wrong results that are now refused
MORE_CASES = [
    ("sine_waves n float", lambda: gan.sine_waves(2.0, rng=0), TypeError, r"n must be a positive integer, got float 2\.0; pass 2"),
    ("sine_waves rng negative", lambda: gan.sine_waves(2, rng=-1), ValueError, r"rng must be a non-negative integer, got -1"),
    ("sine_waves frequency str", lambda: gan.sine_waves(2, rng=0, frequency_range=("0.05", "0.1")), TypeError, r"frequency_range\[0\] must be a finite number, got str"),
    ("sine_waves amplitude inf", lambda: gan.sine_waves(2, rng=0, amplitude=float("inf")), ValueError, r"amplitude must be a positive finite number, got inf"),
    ("sine_waves noise bool", lambda: gan.sine_waves(2, rng=0, noise=True), TypeError, r"noise must be a finite number >= 0, got bool True"),
    ("noise_sequences noise_dim", lambda: gan.noise_sequences(2, noise_dim=0, rng=0), ValueError, r"noise_dim must be a positive integer, got 0"),
    ("generator units float", lambda: gan.generator(units=8.0), TypeError, r"units must be a positive integer, got float 8\.0"),
    ("mmd bandwidth str", lambda: gan.mmd(np.zeros((2, 3, 1)), np.ones((2, 3, 1)), ["1.0"]), TypeError, r"bandwidths\[0\] must be a positive finite number, got str '1\.0'"),
    ("mmd bandwidth inf", lambda: gan.mmd(np.zeros((2, 3, 1)), np.ones((2, 3, 1)), [1.0, np.inf]), ValueError, r"bandwidths\[1\] must be a positive finite number, got inf"),
    ("plot_sequences count", lambda: gan.plot_sequences({"x": np.zeros((2, 3, 1))}, count=2.0), TypeError, r"count must be a positive integer, got float"),
    ("bigram_pipeline C str", lambda: baseline.bigram_pipeline(C="4"), TypeError, r"C must be a positive finite number, got str '4'"),
    ("bigram_pipeline C inf", lambda: baseline.bigram_pipeline(C=float("inf")), ValueError, r"C must be a positive finite number, got inf"),
    ("bigram_baseline labels", lambda: baseline.bigram_baseline(["a", "b"], [0, 2], ["c"], [1]), ValueError, r"train_labels must hold class labels 0 or 1, got 2"),
    ("bigram_baseline None text", lambda: baseline.bigram_baseline(["a", None], [0, 1], ["c"], [1]), TypeError, r"train_texts\[1\] must be a str, got NoneType"),
    ("bigram_baseline one class", lambda: baseline.bigram_baseline(["good", "fine"], [1, 1], ["ok"], [1]), ValueError, r"train_labels must hold both classes \(0 and 1\), got only \[1\]"),
    ("linear_probe one class", lambda: baseline.linear_probe(np.ones((3, 2)), [0, 0, 0], np.ones((1, 2)), [1]), ValueError, r"train_labels must hold both classes"),
    ("bigram_baseline C_grid", lambda: baseline.bigram_baseline(["a", "b"], [0, 1], ["c"], [1], C_grid=(4.0, -1.0)), ValueError, r"C_grid\[1\] must be a positive finite number, got -1\.0"),
    ("bigram_baseline C_grid number", lambda: baseline.bigram_baseline(["a", "b"], [0, 1], ["c"], [1], C_grid=4.0), TypeError, r"C_grid must be a sequence of positive numbers, got float 4\.0"),
    ("linear_probe probabilities", lambda: baseline.linear_probe(np.zeros((2, 1)), [0.2, 0.9], np.zeros((1, 1)), [1]), ValueError, r"train_labels must hold class labels 0 or 1, got 0\.2 .* threshold them"),
    ("linear_probe C_grid nan", lambda: baseline.linear_probe(np.zeros((2, 1)), [0, 1], np.zeros((1, 1)), [1], C_grid=(np.nan,)), ValueError, r"C_grid\[0\] must be a positive finite number, got nan"),
    ("BaselineResult.predict_proba str", lambda: baseline.BaselineResult(None, 1.0, {}, 0.0, 0).predict_proba("a review"), TypeError, r"texts must be a list of review strings, got a single str; wrap it in a list"),
    ("WordSetBatches float words", lambda: pipeline.WordSetBatches([[1, 2]], [np.array([1.7])], vocab_size=5), TypeError, r"word_sets\[0\] must hold integer word indices, got dtype float64"),
    ("bench_path newline", lambda: benchmarks.bench_path("training_throughput\n"), ValueError, r"name must be snake_case"),
    ("bench_path type", lambda: benchmarks.bench_path(3), TypeError, r"name must be a snake_case str, .* got int 3"),
    ("write_bench_record started", lambda: benchmarks.write_bench_record("x", "ci", "2024-01-01", {"a": 1.0}), TypeError, r"started must be a datetime"),
    ("data_parallel str", lambda: distribution.data_parallel("gpu:0"), TypeError, r"devices must be a list of device names or None, got the str 'gpu:0'; wrap it in a list"),
    ("data_parallel element", lambda: distribution.data_parallel([0]), TypeError, r"devices must be a non-empty list of device names \(str\), got an element int 0"),
    ("data_parallel empty", lambda: distribution.data_parallel([]), ValueError, r"devices must be a non-empty list of device names or None, got \[\]"),
]


@pytest.mark.parametrize("name, call, error, match", MORE_CASES, ids=[c[0] for c in MORE_CASES])
def test_more_bad_input_is_refused_with_a_helpful_message(name, call, error, match):
    with pytest.raises(error, match=match):
        call()


# --------------------------------------------------------------------------- check_token_ids


def test_check_token_ids_returns_integer_arrays_unchanged():
    from rnn_tutorial.validation import check_token_ids

    tokens = np.array([[2, 3, 0]], dtype=np.int64)
    assert check_token_ids("tokens", tokens, 7, ndim=2) is not None
    np.testing.assert_array_equal(check_token_ids("tokens", tokens, 7, ndim=2), tokens)
    assert check_token_ids("tokens", tokens, 7, ndim=2).dtype == np.int64
    assert check_token_ids("prompt", [6, 0], 7, ndim=1).tolist() == [6, 0]
    assert check_token_ids("tokens", np.array([[2**40]], np.uint64), None, ndim=2).tolist() == [[2**40]]   # no top given


@pytest.mark.parametrize("tokens, error, match", [
    ([[2.9, 3.7]], TypeError, r"tokens must hold integer token indices, got dtype float64 \(first value 2\.9\)"),
    ([[True, False]], TypeError, r"tokens must hold integer token indices, got dtype bool"),
    ([["a", "b"]], TypeError, r"tokens must hold integer token indices, got dtype <U1"),
    ("a review", TypeError, r"tokens must be a 2-D array \(batch, time\) of integer token indices, got str 'a review'"),
    (None, TypeError, r"tokens must be .* got NoneType None"),
    ([[1, 2], [3]], TypeError, r"tokens must be .* got list that NumPy cannot convert .* pad the sequences"),
    ([1, 2], ValueError, r"tokens must be a 2-D array .* got shape \(2,\); wrap a single sequence in a list"),
    ([[1, 2], [3, -4]], ValueError, r"tokens\[1, 1\] is token index -4; token indices are >= 0"),
    ([[1, 7], [9, 2]], ValueError, r"tokens\[0, 1\] is token index 7, outside the model's vocabulary: its Embedding "
                                   r"reads indices 0 to 6 \(input_dim=7\); encode with the vocabulary"),
])
def test_check_token_ids_refuses_what_an_embedding_cannot_read(tokens, error, match):
    from rnn_tutorial.validation import check_token_ids

    with pytest.raises(error, match=match):
        check_token_ids("tokens", tokens, 7, ndim=2, shape_text="(batch, time)")
