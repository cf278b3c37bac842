"""Evaluating and sampling a language model: perplexity and text generation."""

from __future__ import annotations

import math
from typing import Sequence

import keras
import numpy as np

from .models import embedding_input_dim
from .pipeline import default_pad_multiple
from .tokens import OOV, PAD
from .validation import check_float, check_int, check_token_ids

def perplexity(mean_cross_entropy: float) -> float:
    """``exp`` of a mean per-token cross-entropy in nats: the effective number of choices.

    A loss above about 709.78 nats (a diverged model) has a perplexity beyond the largest
    float: ``math.inf`` is returned, as NumPy's ``exp`` would, rather than an ``OverflowError``.
    """
    value = check_float("mean_cross_entropy", mean_cross_entropy, min=0,
                        hint="a mean per-token cross-entropy in nats, e.g. a language model's validation loss")
    try:
        return math.exp(value)
    except OverflowError:
        return math.inf


def _padded_prompt(tokens: list, multiple: int) -> np.ndarray:
    """``(1, width)`` int32: ``tokens`` padded after with zeros to a multiple of ``multiple``.

    The language model is causal (its output at step t reads steps 0..t only), so the
    padding after the last token leaves the logits at position ``len(tokens) - 1`` unchanged.
    """
    width = -(-len(tokens) // multiple) * multiple
    return np.array([list(tokens) + [PAD] * (width - len(tokens))], dtype=np.int32)


def generate(lm: keras.Model, prompt: Sequence[int], n_tokens: int, temperature: float = 1.0, seed: int = 0,
             banned: Sequence[int] = (PAD, OOV)) -> list[int]:
    """Sample ``n_tokens`` continuation tokens from a language model.

    At each step the model reads the whole sequence so far, its last logits are divided
    by ``temperature`` (below 1: safer, more repetitive; above 1: more surprising), the
    ``banned`` indices (padding and ``[UNK]`` by default) get probability 0, and a token
    is drawn with a NumPy generator seeded by ``seed``.

    Args:
        lm: maps ``(batch, time)`` to logits ``(batch, time, vocab)``, causally (the
            logits at step t read steps 0..t only, as a next-word model does; under JAX
            the sequence is padded after its end to bound recompilation).
        prompt: token indices to start from (at least one), each below the rows of
            ``lm``'s ``Embedding`` (its ``input_dim``).
        n_tokens: how many tokens to sample, ``>= 0`` (0 returns ``[]``).
        temperature: a positive finite number.
        seed: a non-negative integer.
        banned: token indices never sampled.

    Returns:
        The sampled token indices (the prompt not included).
    """
    if isinstance(prompt, (str, bytes)) or not hasattr(prompt, "__len__"):
        raise TypeError(f"prompt must be a sequence of token indices, got {type(prompt).__name__}; encode the text first")
    if not len(prompt):
        raise ValueError("prompt must hold at least one token index, got an empty sequence")
    tokens = [check_int(f"prompt[{i}]", t, min=0) for i, t in enumerate(prompt)]
    check_token_ids("prompt", tokens, embedding_input_dim(lm), ndim=1)   # a raw TensorFlow error otherwise
    n_tokens = check_int("n_tokens", n_tokens, min=0)
    temperature = check_float("temperature", temperature, min=0, include_min=False,
                              hint="below 1 samples more safely, above 1 more surprisingly")
    seed = check_int("seed", seed, min=0)
    banned = [check_int(f"banned[{i}]", b, min=0) for i, b in enumerate(banned)]
    rng = np.random.default_rng(seed)
    multiple = default_pad_multiple()  # JAX compiles once per length: pad, read position len - 1
    out = []
    for _ in range(n_tokens):
        # predict_on_batch: one compiled forward pass (an eager call runs op by op; under
        # JAX it compiles the recurrence again on every call, 0.35 s a token on a CPU)
        logits = np.asarray(lm.predict_on_batch(_padded_prompt(tokens, multiple)), dtype=np.float64)[0, len(tokens) - 1]
        logits = logits / temperature
        if banned and max(banned) >= len(logits):
            raise ValueError(f"banned holds index {max(banned)}, outside the model's vocabulary [0, {len(logits)}); "
                             "ban only indices the model can produce")
        logits[banned] = -np.inf
        if not np.isfinite(logits).any():
            raise ValueError(f"every token of the model's {len(logits)} is banned (banned={banned}); ban fewer tokens")
        p = np.exp(logits - logits.max())
        p /= p.sum()
        token = int(rng.choice(len(p), p=p))
        tokens.append(token)
        out.append(token)
    return out
