"""Training tasks made from unlabeled token streams: language-model windows and rest-of-review pairs.

- :func:`lm_pairs` cuts token streams into ``(input, target)`` windows shifted by one
  token, for a next-word language model; :func:`bidirectional_lm_pairs` adds the
  previous token as a second target.
- :func:`rest_of_review_pairs` pairs one half of a review with the set of words of the
  other half, the rest-of-review pretraining task.
"""

from __future__ import annotations

from typing import Optional, Sequence

import numpy as np

from .pipeline import truncate
from .tokens import LM_VOCAB_SIZE, OOV, REST_VOCAB_SIZE
from .validation import check_count, check_int, check_tokens


def _check_seed(seed) -> int:
    """The window-choosing seed as a Python ``int >= 0``; ``None`` is refused (the windows would differ every call)."""
    if seed is None:
        raise TypeError("seed must be a non-negative integer, got None; pass an int such as 1234 (None would "
                        "choose other windows on every call)")
    return check_int("seed", seed, min=0, hint="the seed that chooses the windows kept by max_windows")


def _lm_chunks(sequences: Sequence, length: int, max_windows: Optional[int], seed: int) -> np.ndarray:
    """Concatenate ``sequences`` and cut the stream into ``(n, length)`` consecutive chunks."""
    max_windows = check_count("max_windows", max_windows, 1, "a positive integer or None", none=True)
    seed = _check_seed(seed)
    stream = np.concatenate([check_tokens("sequences", i, s) for i, s in enumerate(sequences)]) if len(sequences) else np.zeros(0, np.int32)
    n = len(stream) // length
    if n == 0:
        raise ValueError(f"the sequences hold {len(stream)} tokens, fewer than one window of {length}")
    chunks = stream[: n * length].reshape(n, length).astype(np.int32)
    if max_windows is not None and max_windows < n:
        keep = np.sort(np.random.default_rng(seed).choice(n, size=max_windows, replace=False))
        chunks = chunks[keep]
    return chunks


def _check_lm_vocab(window, vocab_size, input_vocab_size) -> tuple[int, int, int]:
    """``(window, vocab_size, input_vocab_size)`` as Python ints, checked."""
    window = check_count("window", window, 1, "a positive integer")
    vocab_size = check_count("vocab_size", vocab_size, 3, "an integer >= 3")
    if input_vocab_size is None:
        return window, vocab_size, vocab_size
    input_vocab_size = check_count("input_vocab_size", input_vocab_size, vocab_size,
                                  f"an integer >= vocab_size ({vocab_size}) or None")
    return window, vocab_size, input_vocab_size


def _clip_vocab(tokens: np.ndarray, size: int) -> np.ndarray:
    return np.where(tokens >= size, OOV, tokens).astype(np.int32)


def lm_pairs(sequences: Sequence, window: int, vocab_size: int = LM_VOCAB_SIZE,
             max_windows: Optional[int] = None, seed: int = 1234,
             input_vocab_size: Optional[int] = None) -> tuple[np.ndarray, np.ndarray]:
    """Cut token sequences into next-token prediction pairs.

    The sequences are concatenated into one stream and cut into consecutive chunks of
    ``window + 1`` tokens; each chunk gives ``input = chunk[:-1]`` and
    ``target = chunk[1:]``: the target at step ``t`` is the input at step ``t + 1``.
    Target indices ``>= vocab_size`` become :data:`OOV`, so the model's softmax has
    ``vocab_size`` classes.

    Args:
        sequences: 1-D integer arrays (encoded reviews, training split only).
        window: time steps per example.
        vocab_size: the language model's output vocabulary size.
        max_windows: keep this many windows, chosen at random with ``seed``
            (``None`` keeps all).
        seed: a non-negative integer (Python or NumPy), checked even when every window
            is kept; ``None`` is refused, the choice must be reproducible.
        input_vocab_size: input indices ``>= input_vocab_size`` become :data:`OOV`;
            default ``vocab_size``. Give the full vocabulary (``VOCAB_SIZE``) when the
            model's embedding will be reused by a classifier: every row it will read must
            be trained, while the softmax can stay small.

    Returns:
        ``(inputs, targets)``, both ``int32`` of shape ``(n_windows, window)``.
    """
    window, vocab_size, input_vocab_size = _check_lm_vocab(window, vocab_size, input_vocab_size)
    chunks = _lm_chunks(sequences, window + 1, max_windows, seed)
    return _clip_vocab(chunks[:, :-1], input_vocab_size), _clip_vocab(chunks[:, 1:], vocab_size)


def bidirectional_lm_pairs(sequences: Sequence, window: int, vocab_size: int = LM_VOCAB_SIZE,
                           max_windows: Optional[int] = None, seed: int = 1234,
                           input_vocab_size: Optional[int] = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Windows for a language model that reads both ways: next and previous token.

    Chunks of ``window + 2`` consecutive tokens give ``input = chunk[1:-1]``,
    ``next = chunk[2:]`` (the target of the forward reader at step ``t`` is the input at
    ``t + 1``) and ``previous = chunk[:-2]`` (the backward reader, having read the
    window from its end down to step ``t``, predicts the input at ``t - 1``). Targets
    are mapped to ``vocab_size`` classes and inputs to ``input_vocab_size`` as in
    :func:`lm_pairs`.

    Returns:
        ``(inputs, next_targets, previous_targets)``, each ``int32`` ``(n_windows, window)``.
    """
    window, vocab_size, input_vocab_size = _check_lm_vocab(window, vocab_size, input_vocab_size)
    chunks = _lm_chunks(sequences, window + 2, max_windows, seed)
    return (_clip_vocab(chunks[:, 1:-1], input_vocab_size), _clip_vocab(chunks[:, 2:], vocab_size),
            _clip_vocab(chunks[:, :-2], vocab_size))


# --------------------------------------------------------------------------- rest-of-review pretraining

def rest_of_review_pairs(sequences: Sequence, vocab_size: int = REST_VOCAB_SIZE, max_len: Optional[int] = None,
                         min_len: int = 20) -> tuple[list, list]:
    """Cut each review in half: each half is an input, the other half's words its target.

    A review of ``n >= min_len`` tokens gives two examples: its first ``n // 2`` tokens
    with the set of words of the rest as target, and the rest with the set of words of
    the first half. Predicting which words the *other* half of a review uses (not their
    order) rewards an encoder for what a review is about and how it judges, the
    region-embedding objective of Johnson and Zhang (2016) applied to half reviews.

    Args:
        sequences: 1-D integer arrays (encoded reviews; no validation or test review).
        vocab_size: target words are the indices ``2 .. vocab_size - 1`` (padding and OOV
            are never targets); rarer words are left out of the targets.
        max_len: keep the last ``max_len`` tokens of a long input half (``None``: all).
        min_len: shorter reviews give no example.

    Returns:
        ``(inputs, targets)``: two lists of ``2 * n_kept`` 1-D ``int32`` arrays, the input
        halves and the sorted distinct target word indices of the other halves (possibly
        empty). Feed them to :class:`~rnn_tutorial.pipeline.WordSetBatches`.
    """
    vocab_size = check_count("vocab_size", vocab_size, 3, "an integer >= 3")
    min_len = check_count("min_len", min_len, 2, "an integer >= 2")
    truncate(np.zeros(0, np.int32), max_len)            # checks max_len before any work
    inputs, targets = [], []
    for i, sequence in enumerate(sequences):
        tokens = check_tokens("sequences", i, sequence).astype(np.int32)
        if len(tokens) < min_len:
            continue
        half = len(tokens) // 2
        for given, rest in ((tokens[:half], tokens[half:]), (tokens[half:], tokens[:half])):
            inputs.append(truncate(given, max_len, truncating="pre"))
            words = np.unique(rest)
            targets.append(words[(words > OOV) & (words < vocab_size)].astype(np.int32))
    if not inputs:
        raise ValueError(f"no review has at least min_len={min_len} tokens: nothing to pretrain on")
    return inputs, targets
