"""The book's Keras models: the LSTM sentiment classifier, the LSTM language model, and
the end-to-end model that reads raw strings.

The architectures never depend on the execution profile: only the data and the number
of epochs do, so ``model.summary()`` is identical under every profile.

Example:
    >>> model = sentiment_model()                 # (batch, time) int -> (batch, 1)
    >>> lm = language_model()                     # (batch, time) int -> (batch, time, vocab)
    >>> reader = end_to_end_model(vectorizer, model)
    >>> reader.predict(keras.ops.convert_to_tensor([["A wonderful film"]]))
"""

from __future__ import annotations

import keras

from .text import LM_VOCAB_SIZE, VOCAB_SIZE, make_vectorizer, vocabulary

EMBEDDING_DIM = 128
"""Width of the sentiment model's word embeddings."""
UNITS = 64
"""Hidden units of the sentiment model's LSTM."""
EMBEDDING_DROPOUT = 0.5
"""Dropout rate on the embedded tokens of the sentiment model (training only)."""
DROPOUT = 0.5
"""Dropout rate on the sentiment LSTM's final hidden state (training only)."""
LM_EMBEDDING_DIM = 64
"""Width of the language model's word embeddings."""
LM_UNITS = 64
"""Hidden units of the language model's LSTM."""


def _positive_int(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return value


def lstm_param_count(input_dim: int, units: int) -> int:
    """Parameters of a Keras ``LSTM(units)`` reading ``input_dim`` features per step.

    Four gates (input, forget, cell candidate, output), each with a kernel
    ``(input_dim, units)``, a recurrent kernel ``(units, units)`` and a bias ``(units,)``:
    ``4 * units * (units + input_dim + 1)``.
    """
    _positive_int("input_dim", input_dim)
    _positive_int("units", units)
    return 4 * units * (units + input_dim + 1)


def sentiment_param_count(vocab_size: int = VOCAB_SIZE, embedding_dim: int = EMBEDDING_DIM, units: int = UNITS) -> int:
    """Parameters of :func:`sentiment_model`: embedding + LSTM + the ``Dense(1)`` head."""
    return vocab_size * embedding_dim + lstm_param_count(embedding_dim, units) + units + 1


def sentiment_model(vocab_size: int = VOCAB_SIZE, embedding_dim: int = EMBEDDING_DIM, units: int = UNITS,
                    embedding_dropout: float = EMBEDDING_DROPOUT, dropout: float = DROPOUT,
                    name: str = "sentiment_lstm") -> keras.Sequential:
    """Embedding -> LSTM -> Dense(1, sigmoid): the probability that a review is positive.

    Two ``Dropout`` layers (no parameters, active only during training) regularize it:
    one on the embedded tokens, one on the LSTM's final state.

    Args:
        vocab_size: the vocabulary size (rows of the embedding), default ``VOCAB_SIZE``.
        embedding_dim: the embedding width, default ``EMBEDDING_DIM``.
        units: the LSTM's hidden units, default ``UNITS``.
        embedding_dropout: dropout rate on the embedding's output, default
            ``EMBEDDING_DROPOUT`` (0 removes the layer).
        dropout: dropout rate on the LSTM's final hidden state, default ``DROPOUT``
            (0 removes the layer).
        name: the model's name.

    Call arguments:
        inputs: ``int32`` token indices ``(batch, time)``, padded with 0; the embedding
            masks the padding (``mask_zero=True``) so the LSTM skips it.

    Returns:
        A ``keras.Sequential`` mapping ``(batch, time)`` to probabilities ``(batch, 1)``.
    """
    for arg, value in (("vocab_size", vocab_size), ("embedding_dim", embedding_dim), ("units", units)):
        _positive_int(arg, value)
    for arg, rate in (("embedding_dropout", embedding_dropout), ("dropout", dropout)):
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0.0 <= rate < 1.0:
            raise ValueError(f"{arg} must be a number in [0, 1), got {rate!r}")
    layers = [
        keras.Input(shape=(None,), dtype="int32", name="tokens"),
        keras.layers.Embedding(vocab_size, embedding_dim, mask_zero=True, name="embedding"),
    ]
    if embedding_dropout:
        layers.append(keras.layers.Dropout(embedding_dropout, name="embedding_dropout"))
    layers.append(keras.layers.LSTM(units, name="lstm"))
    if dropout:
        layers.append(keras.layers.Dropout(dropout, name="dropout"))
    layers.append(keras.layers.Dense(1, activation="sigmoid", name="positive"))
    return keras.Sequential(layers, name=name)


def language_model(vocab_size: int = LM_VOCAB_SIZE, embedding_dim: int = LM_EMBEDDING_DIM, units: int = LM_UNITS,
                   name: str = "lstm_language_model") -> keras.Sequential:
    """Embedding -> LSTM(return_sequences=True) -> Dense(vocab): next-token logits at every step.

    Train it with ``keras.losses.SparseCategoricalCrossentropy(from_logits=True)`` on
    integer targets ``(batch, time)`` (see :func:`rnn_tutorial.text.lm_pairs`); no
    one-hot targets are needed.

    Returns:
        A ``keras.Sequential`` mapping ``(batch, time)`` indices to logits
        ``(batch, time, vocab_size)``.
    """
    for arg, value in (("vocab_size", vocab_size), ("embedding_dim", embedding_dim), ("units", units)):
        _positive_int(arg, value)
    return keras.Sequential([
        keras.Input(shape=(None,), dtype="int32", name="tokens"),
        keras.layers.Embedding(vocab_size, embedding_dim, mask_zero=True, name="embedding"),
        keras.layers.LSTM(units, return_sequences=True, name="lstm"),
        keras.layers.Dense(vocab_size, name="next_token_logits"),
    ], name=name)


def end_to_end_model(vectorizer, model: keras.Model, name: str = "review_reader") -> keras.Model:
    """Wrap a trained sentiment model so it reads raw review strings.

    A fresh ``TextVectorization`` with the same vocabulary and standardization as
    ``vectorizer`` is placed in front of ``model`` (the trained layers are shared, not
    copied), so the saved ``.keras`` file holds the vocabulary too.

    Args:
        vectorizer: the fitted ``TextVectorization`` the model was trained with.
        model: a trained model mapping ``(batch, time)`` indices to ``(batch, 1)``.

    Returns:
        A ``keras.Model`` mapping strings of shape ``(batch, 1)`` to ``(batch, 1)``
        probabilities.
    """
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}")
    words = vocabulary(vectorizer)
    if words[:2] != ["", "[UNK]"]:
        raise ValueError("vectorizer must be fitted (its vocabulary starts with '' and '[UNK]'); call adapt or training_vectorizer() first")
    reader = make_vectorizer(words[2:], max_tokens=len(words))
    inputs = keras.Input(shape=(1,), dtype="string", name="review")
    outputs = model(reader(inputs))
    return keras.Model(inputs, outputs, name=name)
