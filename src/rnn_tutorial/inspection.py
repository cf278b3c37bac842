"""Looking inside trained models and their mistakes.

- Probes of a model's internals: :func:`attention_weights` (what an attention-pooling
  model looks at), :func:`encoder_features` (frozen pooled states, for a linear probe),
  :func:`nearest_words` (neighbours in an embedding).
- Error analysis of predictions: :func:`confusion_matrix`, :func:`accuracy_by_length`,
  :func:`most_confident_mistakes`, :func:`disagreements` (where two models err apart).
"""

from __future__ import annotations

import math
from typing import Sequence

import keras
import numpy as np

from .environment import backend_name, quiet_retracing
from .layers import AttentionPooling, MaskedPooling
from .models import embedding_input_dim
from .pipeline import pad_sequences
from .validation import check_float, check_int, check_labels, check_probabilities, check_token_ids

def attention_weights(model: keras.Model, tokens) -> "np.ndarray":
    """The attention weights ``(batch, time)`` a model with ``pooling="attention"`` gives each token.

    Runs the model's layers up to its :class:`AttentionPooling` layer in inference mode
    (dropout off), passing the padding mask along, and returns the pooling weights.

    Args:
        model: a :func:`sentiment_model` built with ``pooling="attention"``.
        tokens: ``int`` array ``(batch, time)`` padded with 0, every index below the rows
            of the model's ``Embedding`` (its ``input_dim``).

    Returns:
        ``float`` array ``(batch, time)``; padding gets 0 and each row sums to 1.

    Raises:
        TypeError: tokens that are not integers (floats are refused, not truncated).
        ValueError: a model without attention pooling, tokens not 2-D, or an index that is
            negative or beyond the model's vocabulary.
    """
    import numpy as np

    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}")
    if not any(isinstance(layer, AttentionPooling) for layer in model.layers):
        raise ValueError(f"model {model.name!r} has no AttentionPooling layer; build it with sentiment_model(pooling=\"attention\")")
    tokens = check_token_ids("tokens", tokens, embedding_input_dim(model), ndim=2, shape_text="(batch, time)")
    x = keras.ops.convert_to_tensor(np.asarray(tokens, dtype="int32"))
    mask = None
    for layer in model.layers:
        if isinstance(layer, keras.layers.Embedding):
            mask = layer.compute_mask(x)
            x = layer(x)
        elif isinstance(layer, AttentionPooling):
            return np.asarray(layer(x, mask=mask, return_weights=True)[1])
        elif isinstance(layer, keras.layers.Dropout):
            continue
        else:
            x = layer(x, mask=mask, training=False)
    raise AssertionError("unreachable: the AttentionPooling layer was found above")


def encoder_features(model: keras.Model, sequences: Sequence, layers: "tuple[str, str]" = ("embedding", "bidirectional_gru"),
                     max_len: int = 400, batch_size: int = 250) -> "np.ndarray":
    """Frozen features of an encoder: the mean and max of its states over each review.

    Runs ``model``'s embedding and recurrent layer (no training, no dropout) over each
    review's last ``max_len`` tokens and pools the states with
    :class:`MaskedPooling` (``"mean_max"``), padding excluded. Works for a classifier
    (:func:`sentiment_model`) and for a language model (:func:`bidirectional_language_model`,
    whose two directions are concatenated), so the same probe can ask both what their
    states know. The layers run as one compiled reader (a functional model sharing
    ``model``'s weights) over batches of reviews of similar length, widths rounded up to
    a multiple of 32 so that few input shapes are compiled; the features come back in
    the order of ``sequences``. Under JAX, which compiles the reader once per input
    shape, every batch has the longest review's width instead.

    Args:
        model: a model with layers named ``layers[0]`` (an ``Embedding``) and
            ``layers[1]`` (a recurrent layer, possibly ``Bidirectional``).
        sequences: ``n`` 1-D integer arrays of token indices (any lengths, none empty).
        layers: the embedding's and the recurrent layer's names.
        max_len: the last ``max_len`` tokens of a review are read.
        batch_size: reviews per forward pass.

    Returns:
        ``float32`` array ``(n, 2 * state_size)``: the mean, then the max, of the states.
    """
    max_len, batch_size = check_int("max_len", max_len, min=1), check_int("batch_size", batch_size, min=1)
    if isinstance(sequences, np.ndarray) and sequences.ndim == 2:
        sequences = list(sequences)
    if not len(sequences) or any(len(s) == 0 for s in sequences):
        raise ValueError("sequences must be a non-empty list of non-empty token arrays")
    try:
        embedding, recurrent = model.get_layer(layers[0]), model.get_layer(layers[1])
    except ValueError as err:
        raise ValueError(f"model {model.name!r} needs layers named {layers}: {err}") from None
    reader = _pooled_reader(embedding, recurrent)
    clipped = [np.asarray(s)[-max_len:] for s in sequences]
    order = np.argsort([len(s) for s in clipped], kind="stable")
    # JAX compiles the reader once per input shape (seconds each on a CPU): one width there
    multiple = max(len(s) for s in clipped) if backend_name() == "jax" else _FEATURE_WIDTH_MULTIPLE
    out = np.empty((len(clipped), reader.output_shape[-1]), dtype=np.float32)
    for start in range(0, len(order), batch_size):
        rows = order[start:start + batch_size]
        width = multiple * math.ceil(max(len(clipped[i]) for i in rows) / multiple)
        tokens = pad_sequences([clipped[i] for i in rows], max_len=width, padding="post")
        with quiet_retracing():
            out[rows] = np.asarray(reader.predict_on_batch(tokens), dtype=np.float32)
    return out


_FEATURE_WIDTH_MULTIPLE = 32
"""Batch widths of :func:`encoder_features` are rounded up to this (padding is masked)."""


def _pooled_reader(embedding, recurrent) -> keras.Model:
    """A functional model ``(batch, time)`` tokens -> ``(batch, 2 * state)`` mean and max of
    the states, reusing (not copying) the two layers, so it reads the current weights."""
    tokens = keras.Input(shape=(None,), dtype="int32")
    mask = keras.ops.not_equal(tokens, 0)
    states = recurrent(embedding(tokens), mask=mask, training=False)
    if isinstance(states, (list, tuple)):
        states = keras.ops.concatenate(list(states), axis=-1)
    return keras.Model(tokens, MaskedPooling("mean_max")(states, mask=mask))


def nearest_words(embeddings, vocab: "list[str]", word: str, k: int = 5) -> "list[tuple[str, float]]":
    """The ``k`` words whose embedding rows have the highest cosine similarity to ``word``'s.

    Args:
        embeddings: float array ``(vocab_size, dim)``, e.g.
            ``model.get_layer("embedding").get_weights()[0]``.
        vocab: the words of the rows, ``vocab[i]`` for row ``i`` (padding and ``[UNK]``
            first, as :func:`rnn_tutorial.text.vocabulary` returns them; they are never
            listed as neighbours).
        word: a word of ``vocab``.
        k: how many neighbours, a positive integer.

    Returns:
        ``[(neighbour, cosine similarity), ...]``, most similar first, ``word`` excluded.
    """
    matrix = np.asarray(embeddings, dtype=np.float64)
    if matrix.ndim != 2 or matrix.shape[0] != len(vocab):
        raise ValueError(f"embeddings must be (len(vocab), dim) = ({len(vocab)}, dim), got {matrix.shape}")
    k = check_int("k", k, min=1)
    if not isinstance(word, str):
        raise TypeError(f"word must be a str of the vocabulary, got {type(word).__name__} {word!r}")
    if word not in vocab[2:]:
        from .text import standardize_text

        if word in vocab[:2]:
            fix = "it is the padding or OOV entry, which has no meaning of its own; pass a word"
        elif standardize_text(word) in vocab[2:]:
            fix = f"the vocabulary holds standardized words: pass {standardize_text(word)!r}"
        else:
            fix = "a review would encode it as [UNK]"
        raise ValueError(f"{word!r} is not a word of the vocabulary; {fix}")
    unit = matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)
    i = vocab.index(word)
    sims = unit @ unit[i]
    sims[[0, 1, i] if len(vocab) > 2 else [i]] = -np.inf      # padding, [UNK] and the word itself
    top = np.argsort(-sims, kind="stable")[:k]
    return [(vocab[j], float(sims[j])) for j in top if np.isfinite(sims[j])]


def confusion_matrix(labels: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    """2 x 2 counts: rows are the true class (0, 1), columns the predicted class (0, 1).

    Args:
        labels: the true classes, 0 or 1, shape ``(n,)``.
        predicted: the predicted classes, 0 or 1 (or ``probs >= 0.5``, a bool array),
            shape ``(n,)``. Probabilities are refused, not cast: threshold them first.

    Raises:
        ValueError: an entry other than 0 or 1 (a probability such as 0.7, a label 2 or
            -1), or arrays of different lengths.
    """
    labels = check_labels("labels", labels)
    predicted = check_labels("predicted", predicted)
    if labels.shape != predicted.shape:
        raise ValueError(f"labels and predicted must have the same shape, got {labels.shape} and {predicted.shape}")
    matrix = np.zeros((2, 2), dtype=np.int64)
    np.add.at(matrix, (labels, predicted), 1)
    return matrix


def accuracy_by_length(lengths: np.ndarray, labels: np.ndarray, probs: np.ndarray,
                       edges: Sequence[int] = (0, 100, 200, 400, 800, math.inf)) -> list[dict]:
    """Accuracy of thresholded ``probs`` in length bins ``[edges[i], edges[i + 1])``.

    Args:
        lengths: tokens per review, ``(n,)``, non-negative.
        labels: the true classes, 0 or 1, ``(n,)``.
        probs: predicted probabilities in ``[0, 1]``, ``(n,)``.
        edges: increasing bin edges (the last may be ``math.inf``).

    Returns:
        One dict per non-empty bin: ``{"low", "high", "reviews", "accuracy"}``.
    """
    lengths, labels, probs = np.asarray(lengths), np.asarray(labels), np.asarray(probs)
    if not len(lengths) == len(labels) == len(probs):
        raise ValueError(f"lengths, labels and probs must have equal lengths, got {len(lengths)}, {len(labels)}, {len(probs)}")
    labels = check_labels("labels", labels)
    probs = check_probabilities("probs", probs)
    if lengths.dtype.kind not in "iuf":
        raise TypeError(f"lengths must be a 1-D array of token counts, got dtype {lengths.dtype}; "
                        "pass len(sequence) for every review")
    if lengths.ndim != 1 or (len(lengths) and not lengths.min() >= 0):
        raise ValueError(f"lengths must be a 1-D array of non-negative token counts, got dtype {lengths.dtype}, "
                         f"shape {lengths.shape}; pass len(sequence) for every review")
    edges = list(edges)
    for i, e in enumerate(edges):         # checked, but kept as given: the rows report them
        if not (isinstance(e, float) and e == math.inf):
            check_float(f"edges[{i}]", e)
    if len(edges) < 2 or any(not a < b for a, b in zip(edges[:-1], edges[1:])):
        raise ValueError(f"edges must be at least two strictly increasing numbers, got {tuple(edges)}; "
                         "sort them and remove duplicates")
    correct = (probs >= 0.5).astype(int) == labels
    rows = []
    for low, high in zip(edges[:-1], edges[1:]):
        inside = (lengths >= low) & (lengths < high)
        if inside.any():
            rows.append({"low": low, "high": high, "reviews": int(inside.sum()), "accuracy": float(correct[inside].mean())})
    return rows


def most_confident_mistakes(labels: np.ndarray, probs: np.ndarray, k: int = 3) -> np.ndarray:
    """Indices of the ``k`` wrong predictions with the most confident probability.

    Args:
        labels: the true classes, 0 or 1, ``(n,)``.
        probs: predicted probabilities in ``[0, 1]``, ``(n,)``.
        k: how many mistakes at most, a positive integer.
    """
    labels = check_labels("labels", labels)
    probs = check_probabilities("probs", probs, n=len(labels))
    k = check_int("k", k, min=1)
    wrong = np.flatnonzero((probs >= 0.5).astype(int) != labels)
    confidence = np.abs(probs[wrong] - 0.5)
    return wrong[np.argsort(-confidence, kind="stable")[:k]]


def disagreements(labels, probs_a, probs_b, k: int = 1) -> dict:
    """How two models' mistakes overlap, and where they disagree most confidently.

    Args:
        labels: the true classes, 0 or 1, ``(n,)``.
        probs_a, probs_b: the two models' probabilities of class 1, ``(n,)`` each.
        k: how many reviews of each kind of disagreement to return, a positive integer.

    Returns:
        ``{"both_right", "only_a_right", "only_b_right", "both_wrong"}``: counts that sum
        to ``n``; ``"a_right_b_wrong"`` and ``"b_right_a_wrong"``: up to ``k`` indices
        each, the reviews where the wrong model was most confident first.
    """
    labels = check_labels("labels", labels)
    probs_a = check_probabilities("probs_a", probs_a, n=len(labels))
    probs_b = check_probabilities("probs_b", probs_b, n=len(labels))
    k = check_int("k", k, min=1)
    right_a = (probs_a >= 0.5).astype(int) == labels
    right_b = (probs_b >= 0.5).astype(int) == labels

    def most_confident(wrong_probs, where):
        index = np.flatnonzero(where)
        return index[np.argsort(-np.abs(wrong_probs[index] - 0.5), kind="stable")[:k]]

    return {"both_right": int(np.sum(right_a & right_b)), "only_a_right": int(np.sum(right_a & ~right_b)),
            "only_b_right": int(np.sum(~right_a & right_b)), "both_wrong": int(np.sum(~right_a & ~right_b)),
            "a_right_b_wrong": most_confident(probs_b, right_a & ~right_b),
            "b_right_a_wrong": most_confident(probs_a, ~right_a & right_b)}
