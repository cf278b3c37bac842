"""rnn_tutorial.language: perplexity and sampling."""


import keras
import numpy as np
import pytest
from rnn_tutorial.language import generate, perplexity
from rnn_tutorial.models import (
    language_model,
)


def test_generate_is_seeded_and_never_samples_banned_tokens():
    from rnn_tutorial.language import generate

    lm = language_model(vocab_size=12, embedding_dim=4, units=5)
    a = generate(lm, [3, 4], n_tokens=15, temperature=1.5, seed=7)
    assert a == generate(lm, [3, 4], n_tokens=15, temperature=1.5, seed=7)
    assert len(a) == 15 and not {0, 1} & set(a) and max(a) < 12
    with pytest.raises(ValueError, match="temperature"):
        generate(lm, [3], n_tokens=1, temperature=0)


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
    from rnn_tutorial.language import _padded_prompt

    keras.utils.set_random_seed(0)
    lm = keras.Sequential([keras.Input((None,), dtype="int32"), keras.layers.Embedding(50, 8, mask_zero=True),
                           keras.layers.LSTM(6, return_sequences=True), keras.layers.Dense(50)])
    tokens = [3, 17, 9, 4, 22]
    padded = _padded_prompt(tokens, 16)
    assert padded.shape == (1, 16) and padded[0, :5].tolist() == tokens and not padded[0, 5:].any()
    exact = np.asarray(lm(np.array([tokens], dtype=np.int32)))[0, -1]
    np.testing.assert_allclose(np.asarray(lm(padded))[0, len(tokens) - 1], exact, atol=1e-6)
    assert _padded_prompt(tokens, 1).shape == (1, 5)


def test_generate_refuses_prompt_tokens_beyond_the_models_embedding(lm):
    # index 12 used to fail inside TensorFlow with a raw InvalidArgumentError
    with pytest.raises(ValueError, match=r"prompt\[1\] is token index 12, outside the model's vocabulary: its "
                                         r"Embedding reads indices 0 to 11 \(input_dim=12\)"):
        generate(lm, [2, 12], n_tokens=1)
    with pytest.raises(ValueError, match=r"prompt\[0\] is token index 99"):
        generate(lm, np.array([99, 3]), n_tokens=0)           # refused before anything is sampled
    assert len(generate(lm, [11, 2], n_tokens=2, seed=3)) == 2


def test_perplexity_of_a_huge_loss_is_infinite_not_an_overflow_error():
    import math

    # perplexity(1e6) used to raise a raw OverflowError from math.exp
    assert perplexity(1e6) == math.inf and perplexity(710.0) == math.inf
    assert perplexity(709.0) == math.exp(709.0)
    assert perplexity(np.float32(2.0)) == math.exp(2.0)
