"""The book's Keras models: the LSTM sentiment classifier, the LSTM language model, and
the end-to-end model that reads raw strings.

The architectures never depend on the execution profile: only the data and the number
of epochs do, so ``model.summary()`` is identical under every profile.

Example:
    >>> model = sentiment_model()                 # (batch, time) int -> (batch, 1)
    >>> lm = language_model()                     # (batch, time) int -> (batch, time, vocab)
    >>> bilm = bidirectional_language_model()     # -> {"next": ..., "previous": ...} logits
    >>> rest = rest_of_review_model(cell="gru", bidirectional=True, pooling="mean_max")   # -> (batch, 5000)
    >>> reader = end_to_end_model(vectorizer, model)
    >>> reader.predict(keras.ops.convert_to_tensor([["A wonderful film"]]))
"""

from __future__ import annotations

from typing import Sequence

import keras
import numpy as np

from .text import LM_VOCAB_SIZE, REST_VOCAB_SIZE, VOCAB_SIZE, make_vectorizer, pad_sequences, vocabulary
from .validation import check_choice, check_float, check_int

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


CELLS = ("lstm", "gru")
"""Recurrent cells :func:`sentiment_model` can use."""
POOLINGS = ("last", "attention", "max", "mean_max")
"""How :func:`sentiment_model` summarizes the last recurrent layer's states: ``"last"``
keeps the final state; ``"attention"`` is :class:`AttentionPooling`; ``"max"`` and
``"mean_max"`` are :class:`MaskedPooling`."""
ATTENTION_UNITS = 64
"""Width of the scoring layer of :class:`AttentionPooling` in :func:`sentiment_model`."""


def _rate(name: str, value) -> float:
    return check_float(name, value, min=0, max=1, include_max=False, hint="0 disables the dropout")


def _check_architecture(vocab_size, embedding_dim, units, cell, layers, bidirectional, pooling,
                        attention_units) -> tuple:
    """Validate the options :func:`sentiment_model` and :func:`sentiment_param_count` share.

    One function for both, in one order, so the count and the model can never disagree
    on what is valid: every combination one refuses, the other refuses with the same error.
    """
    vocab_size, embedding_dim, units, layers, attention_units = (
        check_int(arg, value, min=1) for arg, value in (
            ("vocab_size", vocab_size), ("embedding_dim", embedding_dim), ("units", units),
            ("layers", layers), ("attention_units", attention_units)))
    cell = check_choice("cell", cell, CELLS)
    if not isinstance(bidirectional, (bool, np.bool_)):
        raise TypeError(f"bidirectional must be True or False, got {type(bidirectional).__name__} {bidirectional!r}; "
                        "pass a bool")
    pooling = check_choice("pooling", pooling, POOLINGS)
    return vocab_size, embedding_dim, units, cell, layers, bool(bidirectional), pooling, attention_units


def lstm_param_count(input_dim: int, units: int) -> int:
    """Parameters of a Keras ``LSTM(units)`` reading ``input_dim`` features per step.

    Four gates (input, forget, cell candidate, output), each with a kernel
    ``(input_dim, units)``, a recurrent kernel ``(units, units)`` and a bias ``(units,)``:
    ``4 * units * (units + input_dim + 1)``.
    """
    input_dim, units = check_int("input_dim", input_dim, min=1), check_int("units", units, min=1)
    return 4 * units * (units + input_dim + 1)


def gru_param_count(input_dim: int, units: int) -> int:
    """Parameters of a Keras ``GRU(units)`` (``reset_after=True``, the default).

    Three blocks (update gate, reset gate, candidate), each with a kernel
    ``(input_dim, units)``, a recurrent kernel ``(units, units)`` and two biases (one for
    the input, one for the recurrent product): ``3 * units * (units + input_dim + 2)``.
    """
    input_dim, units = check_int("input_dim", input_dim, min=1), check_int("units", units, min=1)
    return 3 * units * (units + input_dim + 2)


def sentiment_param_count(vocab_size: int = VOCAB_SIZE, embedding_dim: int = EMBEDDING_DIM, units: int = UNITS,
                          cell: str = "lstm", layers: int = 1, bidirectional: bool = False,
                          pooling: str = "last", attention_units: int = ATTENTION_UNITS) -> int:
    """Parameters of :func:`sentiment_model` with the same options.

    Embedding ``vocab_size * embedding_dim``; each recurrent layer reads the previous
    layer's width (``2 * units`` after a bidirectional layer, whose two directions have
    separate weights); attention pooling adds ``d * a + 2 * a`` (``W``, its bias and
    ``v``); max and mean pooling add none, but ``"mean_max"`` doubles the width ``d``
    the head sees; the head ``Dense(1)`` adds ``d + 1``, ``d`` being that width.

    Raises:
        TypeError, ValueError: exactly as :func:`sentiment_model` for the same options
            (one shared check), so a count is never given for a model that cannot be built.
    """
    vocab_size, embedding_dim, units, cell, layers, bidirectional, pooling, attention_units = _check_architecture(
        vocab_size, embedding_dim, units, cell, layers, bidirectional, pooling, attention_units)
    count_cell = lstm_param_count if cell == "lstm" else gru_param_count
    directions = 2 if bidirectional else 1
    total = vocab_size * embedding_dim
    width = embedding_dim
    for _ in range(layers):
        total += directions * count_cell(width, units)
        width = directions * units
    if pooling == "attention":
        total += width * attention_units + 2 * attention_units
    if pooling == "mean_max":
        width *= 2
    return total + width + 1


@keras.saving.register_keras_serializable(package="rnn_tutorial", name="AttentionPooling")
class AttentionPooling(keras.layers.Layer):
    """Additive (Bahdanau-style) attention pooling over the time steps of a sequence.

    Each step's state ``h_t`` gets a score ``e_t = v^T tanh(W h_t + b)``; a softmax over
    the *unmasked* steps turns the scores into weights ``a_t`` (padding gets weight 0,
    the weights of a sequence sum to 1), and the output is the weighted average
    ``sum_t a_t h_t``. The weights say which words the classifier's summary is built
    from; they can be drawn over the words of a review.

    Args:
        units: width of the scoring layer ``W``, a positive integer (default 64).

    Call arguments:
        inputs: float tensor ``(batch, time, features)``, the states of a recurrent
            layer with ``return_sequences=True``.
        mask: optional boolean ``(batch, time)``, ``True`` for real tokens (passed on
            automatically from an ``Embedding(mask_zero=True)``).
        return_weights: if ``True``, return ``(pooled, weights)``.

    Returns:
        ``(batch, features)``; with ``return_weights=True`` also the weights
        ``(batch, time)``.

    Example:
        >>> pool = AttentionPooling(16)
        >>> pooled, weights = pool(states, mask=mask, return_weights=True)
    """

    def __init__(self, units: int = ATTENTION_UNITS, **kwargs):
        super().__init__(**kwargs)
        self.units = check_int("units", units, min=1)
        self.supports_masking = True

    def build(self, input_shape):
        if len(input_shape) != 3:
            raise ValueError(f"AttentionPooling expects inputs of shape (batch, time, features), got {input_shape}")
        features = input_shape[-1]
        self.w = self.add_weight(name="w", shape=(features, self.units), initializer="glorot_uniform")
        self.b = self.add_weight(name="b", shape=(self.units,), initializer="zeros")
        self.v = self.add_weight(name="v", shape=(self.units,), initializer="glorot_uniform")

    def attention_weights(self, inputs, mask=None):
        """The weights ``(batch, time)``: a masked softmax of the scores over time."""
        ops = keras.ops
        scores = ops.tensordot(ops.tanh(ops.tensordot(inputs, self.w, axes=1) + self.b), self.v, axes=1)
        if mask is not None:
            mask = ops.cast(mask, scores.dtype)
            scores = scores + (1.0 - mask) * -1e9
        weights = ops.softmax(scores, axis=-1)
        if mask is not None:  # an all-padding row gets zeros, not a uniform average of padding
            weights = weights * mask
            weights = weights / ops.maximum(ops.sum(weights, axis=-1, keepdims=True), 1e-9)
        return weights

    def call(self, inputs, mask=None, return_weights=False):
        weights = self.attention_weights(inputs, mask)
        pooled = keras.ops.sum(inputs * keras.ops.expand_dims(weights, -1), axis=1)
        return (pooled, weights) if return_weights else pooled

    def compute_mask(self, inputs, mask=None):
        return None

    def compute_output_shape(self, input_shape):
        return (input_shape[0], input_shape[-1])

    def get_config(self):
        return {**super().get_config(), "units": self.units}


@keras.saving.register_keras_serializable(package="rnn_tutorial", name="MaskedPooling")
class MaskedPooling(keras.layers.Layer):
    """Max (or mean and max) of a sequence's states over its real time steps.

    Keeping only the final state asks one vector, written at the last word, to carry
    everything; pooling over time lets every step contribute: ``max`` keeps, feature
    by feature, the strongest evidence anywhere in the review, ``mean`` the average.
    Padding never counts: masked steps are excluded from both.

    Args:
        mode: ``"max"`` or ``"mean_max"`` (the mean and the max, concatenated).

    Call arguments:
        inputs: float tensor ``(batch, time, features)``.
        mask: optional boolean ``(batch, time)``, ``True`` for real tokens.

    Returns:
        ``(batch, features)`` for ``"max"``, ``(batch, 2 * features)`` for
        ``"mean_max"``; an all-padding row gives zeros.
    """

    MODES = ("max", "mean_max")

    def __init__(self, mode: str = "max", **kwargs):
        super().__init__(**kwargs)
        self.mode = check_choice("mode", mode, self.MODES)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        ops = keras.ops
        if mask is None:
            mask = ops.ones(ops.shape(inputs)[:2], dtype="bool")
        m = ops.expand_dims(ops.cast(mask, inputs.dtype), -1)                     # (batch, time, 1)
        largest = ops.max(ops.where(m > 0, inputs, ops.full_like(inputs, -1e9)), axis=1)
        any_real = ops.max(m, axis=1) > 0                                        # (batch, 1)
        largest = ops.where(any_real, largest, ops.zeros_like(largest))
        if self.mode == "max":
            return largest
        mean = ops.sum(inputs * m, axis=1) / ops.maximum(ops.sum(m, axis=1), 1.0)
        return ops.concatenate([mean, largest], axis=-1)

    def compute_mask(self, inputs, mask=None):
        return None

    def compute_output_shape(self, input_shape):
        width = input_shape[-1] * (2 if self.mode == "mean_max" else 1)
        return (input_shape[0], width)

    def get_config(self):
        return {**super().get_config(), "mode": self.mode}


def sentiment_model(vocab_size: int = VOCAB_SIZE, embedding_dim: int = EMBEDDING_DIM, units: int = UNITS,
                    embedding_dropout: float = EMBEDDING_DROPOUT, dropout: float = DROPOUT,
                    name: str = "sentiment_lstm", *, cell: str = "lstm", layers: int = 1,
                    bidirectional: bool = False, pooling: str = "last",
                    attention_units: int = ATTENTION_UNITS, recurrent_dropout: float = 0.0,
                    l2: float = 0.0) -> keras.Sequential:
    """Embedding -> recurrent layer(s) -> Dense(1, sigmoid): the probability that a review is positive.

    With the defaults this is the book's LSTM classifier (Embedding 128 -> Dropout 0.5 ->
    LSTM 64 -> Dropout 0.5 -> Dense 1). The keyword options build the variants of the
    improvements chapter from the same code.

    Args:
        vocab_size: the vocabulary size (rows of the embedding), default ``VOCAB_SIZE``.
        embedding_dim: the embedding width, default ``EMBEDDING_DIM``.
        units: hidden units of each recurrent layer (per direction), default ``UNITS``.
        embedding_dropout: dropout rate on the embedding's output, default
            ``EMBEDDING_DROPOUT`` (0 removes the layer).
        dropout: dropout rate on the recurrent part's output (the final state or the
            pooled summary), default ``DROPOUT`` (0 removes the layer).
        name: the model's name.
        cell: ``"lstm"`` (default) or ``"gru"``.
        layers: recurrent layers stacked, default 1; every layer but the last returns its
            whole sequence of states to the next.
        bidirectional: wrap each recurrent layer in ``Bidirectional`` (default ``False``):
            one copy reads the review forwards, another backwards, each over the whole
            sequence, and their states are concatenated (``2 * units`` features).
        pooling: how the last recurrent layer's states become one vector: ``"last"``
            (default) keeps its final state; ``"attention"`` pools all states with
            :class:`AttentionPooling`; ``"max"`` and ``"mean_max"`` with
            :class:`MaskedPooling`.
        attention_units: width of the attention scoring layer, default ``ATTENTION_UNITS``.
        recurrent_dropout: dropout on the recurrent state inside the cell, default 0.
            Any value above 0 rules out the fused cuDNN kernel on a GPU.
        l2: L2 penalty ``l2 * sum(w ** 2)`` added to the loss for every recurrent and
            dense kernel (not the embedding), default 0.

    Call arguments:
        inputs: ``int32`` token indices ``(batch, time)``, padded with 0; the embedding
            masks the padding (``mask_zero=True``) so the recurrent layers and the
            attention skip it.

    Returns:
        A ``keras.Sequential`` mapping ``(batch, time)`` to probabilities ``(batch, 1)``.
        Layer names: ``embedding``, ``lstm`` (or ``gru``, ``bidirectional_lstm``, ...;
        further layers get ``_2``), ``attention`` or ``pooling``, ``positive``.

    Example:
        >>> sentiment_model(cell="gru", bidirectional=True, pooling="mean_max").count_params()
    """
    vocab_size, embedding_dim, units, cell, layers, bidirectional, pooling, attention_units = _check_architecture(
        vocab_size, embedding_dim, units, cell, layers, bidirectional, pooling, attention_units)
    embedding_dropout, dropout, recurrent_dropout = (
        _rate(arg, rate) for arg, rate in (("embedding_dropout", embedding_dropout), ("dropout", dropout),
                                           ("recurrent_dropout", recurrent_dropout)))
    l2 = check_float("l2", l2, min=0, hint="0 disables the penalty")
    regularizer = (lambda: keras.regularizers.L2(l2)) if l2 else (lambda: None)
    stack = [
        keras.Input(shape=(None,), dtype="int32", name="tokens"),
        keras.layers.Embedding(vocab_size, embedding_dim, mask_zero=True, name="embedding"),
    ]
    if embedding_dropout:
        stack.append(keras.layers.Dropout(embedding_dropout, name="embedding_dropout"))
    recurrent = keras.layers.LSTM if cell == "lstm" else keras.layers.GRU
    for i in range(layers):
        sequences = pooling != "last" or i < layers - 1
        suffix = "" if i == 0 else f"_{i + 1}"
        layer = recurrent(units, return_sequences=sequences, recurrent_dropout=recurrent_dropout,
                          kernel_regularizer=regularizer(), recurrent_regularizer=regularizer(),
                          name=f"{cell}{suffix}")
        if bidirectional:
            layer = keras.layers.Bidirectional(layer, name=f"bidirectional_{cell}{suffix}")
        stack.append(layer)
    if pooling == "attention":
        stack.append(AttentionPooling(attention_units, name="attention"))
    elif pooling != "last":
        stack.append(MaskedPooling(pooling, name="pooling"))
    if dropout:
        stack.append(keras.layers.Dropout(dropout, name="dropout"))
    stack.append(keras.layers.Dense(1, activation="sigmoid", kernel_regularizer=regularizer(), name="positive"))
    return keras.Sequential(stack, name=name)


def attention_weights(model: keras.Model, tokens) -> "np.ndarray":
    """The attention weights ``(batch, time)`` a model with ``pooling="attention"`` gives each token.

    Runs the model's layers up to its :class:`AttentionPooling` layer in inference mode
    (dropout off), passing the padding mask along, and returns the pooling weights.

    Args:
        model: a :func:`sentiment_model` built with ``pooling="attention"``.
        tokens: ``int`` array ``(batch, time)`` padded with 0.

    Returns:
        ``float`` array ``(batch, time)``; padding gets 0 and each row sums to 1.
    """
    import numpy as np

    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}")
    if not any(isinstance(layer, AttentionPooling) for layer in model.layers):
        raise ValueError(f"model {model.name!r} has no AttentionPooling layer; build it with sentiment_model(pooling=\"attention\")")
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


def copy_pretrained(source: keras.Model, target: keras.Model, names: "tuple[str, ...]" = ("embedding", "lstm")) -> list[str]:
    """Copy the weights of the layers called ``names`` from ``source`` into ``target``.

    Used to start a classifier from a pretrained language model: both must have layers
    of those names with identically shaped weights (for example ``Embedding(20000, 128)``
    and ``LSTM(64)``).

    Returns:
        The names of the layers copied.

    Raises:
        ValueError: if a layer is missing in either model or its weight shapes differ.
    """
    if isinstance(names, str):
        raise TypeError(f"names must be a tuple of layer names, got the str {names!r}; wrap it: ({names!r},)")
    copied = []
    for layer_name in names:
        try:
            src, dst = source.get_layer(layer_name), target.get_layer(layer_name)
        except ValueError as err:
            raise ValueError(f"both models need a layer named {layer_name!r}: {err}") from None
        src_w, dst_w = src.get_weights(), dst.get_weights()
        shapes = [w.shape for w in src_w], [w.shape for w in dst_w]
        if shapes[0] != shapes[1]:
            raise ValueError(f"layer {layer_name!r}: source weights {shapes[0]} do not match target weights {shapes[1]}")
        dst.set_weights(src_w)
        copied.append(layer_name)
    return copied


def language_model(vocab_size: int = LM_VOCAB_SIZE, embedding_dim: int = LM_EMBEDDING_DIM, units: int = LM_UNITS,
                   name: str = "lstm_language_model", *, input_vocab_size: "int | None" = None) -> keras.Sequential:
    """Embedding -> LSTM(return_sequences=True) -> Dense(vocab): next-token logits at every step.

    Train it with ``keras.losses.SparseCategoricalCrossentropy(from_logits=True)`` on
    integer targets ``(batch, time)`` (see :func:`rnn_tutorial.text.lm_pairs`); no
    one-hot targets are needed.

    Args:
        vocab_size: classes of the output softmax (targets ``>= vocab_size`` must be
            mapped to OOV, as ``lm_pairs`` does), default ``LM_VOCAB_SIZE``.
        embedding_dim, units: the embedding width and the LSTM's hidden units.
        input_vocab_size: rows of the input embedding; default ``vocab_size``. Give
            ``VOCAB_SIZE`` (with ``embedding_dim=128``, ``units=64``) for a language model
            whose ``embedding`` and ``lstm`` layers fit :func:`sentiment_model` (see
            :func:`copy_pretrained`), while the softmax stays small.

    Returns:
        A ``keras.Sequential`` mapping ``(batch, time)`` indices to logits
        ``(batch, time, vocab_size)``.
    """
    input_vocab_size = vocab_size if input_vocab_size is None else input_vocab_size
    vocab_size, embedding_dim, units, input_vocab_size = (
        check_int(arg, value, min=1) for arg, value in (("vocab_size", vocab_size), ("embedding_dim", embedding_dim),
                                                        ("units", units), ("input_vocab_size", input_vocab_size)))
    return keras.Sequential([
        keras.Input(shape=(None,), dtype="int32", name="tokens"),
        keras.layers.Embedding(input_vocab_size, embedding_dim, mask_zero=True, name="embedding"),
        keras.layers.LSTM(units, return_sequences=True, name="lstm"),
        keras.layers.Dense(vocab_size, name="next_token_logits"),
    ], name=name)


def bidirectional_language_model(vocab_size: int = LM_VOCAB_SIZE, input_vocab_size: int = VOCAB_SIZE,
                                 embedding_dim: int = EMBEDDING_DIM, units: int = UNITS, cell: str = "lstm",
                                 name: str = "bidirectional_language_model") -> keras.Model:
    """A language model that reads both ways: the encoder of a bidirectional classifier, pretrained.

    ``Embedding -> Bidirectional(cell, return_sequences=True)``; one shared
    ``Dense(vocab_size)`` turns the forward reader's state at step ``t`` (it has read
    the window up to ``t``) into logits for the next token, and the backward reader's
    state at ``t`` (it has read the window from its end down to ``t``) into logits for
    the previous token. Neither direction ever sees the token it predicts. Train it on
    :func:`rnn_tutorial.text.bidirectional_lm_pairs` with two
    ``SparseCategoricalCrossentropy(from_logits=True)`` losses.

    The ``embedding`` and ``bidirectional_<cell>`` layers have exactly the shapes of
    ``sentiment_model(bidirectional=True, cell=cell)`` with the same sizes, so
    :func:`copy_pretrained` can start that classifier from them.

    Args:
        vocab_size: classes of the shared softmax, default ``LM_VOCAB_SIZE``.
        input_vocab_size: rows of the embedding, default ``VOCAB_SIZE`` (the classifier's).
        embedding_dim, units: as in :func:`sentiment_model`.
        cell: ``"lstm"`` (default) or ``"gru"``.

    Returns:
        A ``keras.Model`` mapping ``(batch, time)`` indices to
        ``{"next": (batch, time, vocab_size), "previous": (batch, time, vocab_size)}`` logits.
    """
    vocab_size, input_vocab_size, embedding_dim, units = (
        check_int(arg, value, min=1) for arg, value in (("vocab_size", vocab_size), ("input_vocab_size", input_vocab_size),
                                                        ("embedding_dim", embedding_dim), ("units", units)))
    cell = check_choice("cell", cell, CELLS)
    recurrent = keras.layers.LSTM if cell == "lstm" else keras.layers.GRU
    tokens = keras.Input(shape=(None,), dtype="int32", name="tokens")
    embedded = keras.layers.Embedding(input_vocab_size, embedding_dim, mask_zero=True, name="embedding")(tokens)
    forward, backward = keras.layers.Bidirectional(recurrent(units, return_sequences=True, name=cell),
                                                   merge_mode=None, name=f"bidirectional_{cell}")(embedded)
    logits = keras.layers.Dense(vocab_size, name="token_logits")
    return keras.Model(tokens, {"next": logits(forward), "previous": logits(backward)}, name=name)


def rest_of_review_model(target_vocab: int = REST_VOCAB_SIZE, name: str = "rest_of_review", **encoder) -> keras.Sequential:
    """A classifier's encoder that predicts which words the rest of a review uses.

    The layers of ``sentiment_model(**encoder)`` up to the pooled summary (same names,
    same shapes, no dropout), then ``Dense(target_vocab)`` logits over the words
    (layer ``word_logits``). Train it on the pairs of
    :func:`rnn_tutorial.text.rest_of_review_pairs` batched by
    :class:`rnn_tutorial.pipeline.WordSetBatches` with
    ``CategoricalCrossentropy(from_logits=True)``; then :func:`copy_pretrained` starts
    ``sentiment_model(**encoder)`` from its ``embedding`` and recurrent layers.

    Args:
        target_vocab: words predicted, default ``REST_VOCAB_SIZE``.
        name: the model's name.
        **encoder: the encoder options of :func:`sentiment_model` (``cell``,
            ``bidirectional``, ``pooling``, ``units``, ...); its dropout options are
            not accepted (pretraining here uses none).

    Returns:
        A ``keras.Sequential`` mapping ``(batch, time)`` indices to ``(batch, target_vocab)`` logits.
    """
    target_vocab = check_int("target_vocab", target_vocab, min=1)
    for arg in ("embedding_dropout", "dropout", "name"):
        if arg in encoder:
            raise TypeError(f"rest_of_review_model does not take {arg!r}: the encoder is pretrained without dropout")
    base = sentiment_model(embedding_dropout=0.0, dropout=0.0, **encoder)
    return keras.Sequential([keras.Input(shape=(None,), dtype="int32", name="tokens"), *base.layers[:-1],
                             keras.layers.Dense(target_vocab, name="word_logits")], name=name)


def encoder_features(model: keras.Model, sequences: Sequence, layers: "tuple[str, str]" = ("embedding", "bidirectional_gru"),
                     max_len: int = 400, batch_size: int = 250) -> "np.ndarray":
    """Frozen features of an encoder: the mean and max of its states over each review.

    Runs ``model``'s embedding and recurrent layer (no training, no dropout) over each
    review's last ``max_len`` tokens and pools the states with
    :class:`MaskedPooling` (``"mean_max"``), padding excluded. Works for a classifier
    (:func:`sentiment_model`) and for a language model (:func:`bidirectional_language_model`,
    whose two directions are concatenated), so the same probe can ask both what their
    states know.

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
    pool = MaskedPooling("mean_max")
    out = []
    for start in range(0, len(sequences), batch_size):
        tokens = pad_sequences([np.asarray(s)[-max_len:] for s in sequences[start:start + batch_size]], padding="post")
        x, mask = embedding(tokens), embedding.compute_mask(tokens)
        states = recurrent(x, mask=mask, training=False)
        if isinstance(states, (list, tuple)):
            states = keras.ops.concatenate(list(states), axis=-1)
        out.append(np.asarray(pool(states, mask=mask), dtype=np.float32))
    return np.concatenate(out)


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
    if word not in vocab:
        raise ValueError(f"{word!r} is not in the vocabulary; it would be encoded as [UNK]")
    unit = matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)
    i = vocab.index(word)
    sims = unit @ unit[i]
    sims[[0, 1, i] if len(vocab) > 2 else [i]] = -np.inf      # padding, [UNK] and the word itself
    top = np.argsort(-sims, kind="stable")[:k]
    return [(vocab[j], float(sims[j])) for j in top if np.isfinite(sims[j])]


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
