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


import keras
import numpy as np

from .configs import DROPOUT, EMBEDDING_DIM, EMBEDDING_DROPOUT, UNITS
from .layers import ATTENTION_UNITS, AtLeastOneStep, AttentionPooling, MaskedPooling, Vocabulary  # noqa: F401 (registers them for loading)
from .text import make_vectorizer, tensorflow_available, vocabulary
from .tokens import LM_VOCAB_SIZE, REST_VOCAB_SIZE, VOCAB_SIZE
from .validation import check_choice, check_float, check_int

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
    integer targets ``(batch, time)`` (see :func:`rnn_tutorial.tasks.lm_pairs`); no
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
    :func:`rnn_tutorial.tasks.bidirectional_lm_pairs` with two
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
    :func:`rnn_tutorial.tasks.rest_of_review_pairs` batched by
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


def embedding_input_dim(model) -> "int | None":
    """Rows of ``model``'s first ``Embedding`` layer (nested models searched too), or ``None`` without one.

    Token indices the model reads must be below it: TensorFlow fails on a larger one with
    a raw ``InvalidArgumentError`` (and other backends may read another row silently).
    """
    for layer in getattr(model, "layers", ()):
        if isinstance(layer, keras.layers.Embedding):
            return int(layer.input_dim)
        if isinstance(layer, keras.Model):
            found = embedding_input_dim(layer)
            if found is not None:
                return found
    return None


def end_to_end_model(vectorizer, model: keras.Model, name: str = "review_reader") -> keras.Model:
    """Wrap a trained sentiment model so it reads raw review strings.

    With TensorFlow, a fresh ``TextVectorization`` with the same vocabulary and
    standardization as ``vectorizer`` is placed in front of ``model`` (the trained layers
    are shared, not copied), so the saved ``.keras`` file holds the vocabulary too.
    Without TensorFlow (a JAX-only machine), where Keras has no string tensors, the front
    is a :class:`~rnn_tutorial.layers.Vocabulary` layer that holds the same words and
    passes token indices through; :func:`rnn_tutorial.training.predict_reviews` reads
    strings with either.

    Args:
        vectorizer: the fitted ``TextVectorization`` (or ``TextEncoder``) the model was
            trained with.
        model: a trained model mapping ``(batch, time)`` indices to ``(batch, 1)``; its
            embedding must have a row for every entry of the vectorizer's vocabulary.

    Returns:
        A ``keras.Model`` mapping strings of shape ``(batch, 1)`` (with TensorFlow), or
        token indices ``(batch, time)`` (without), to ``(batch, 1)`` probabilities. Call
        it through :func:`rnn_tutorial.training.predict_reviews` (or on a string tensor,
        ``tf.constant([[text], ...])``): Keras' ``predict`` takes no NumPy string arrays.

    Raises:
        TypeError: ``model`` is not a Keras model.
        ValueError: an unfitted vectorizer, or a vocabulary larger than the model's
            embedding (``input_dim``).
    """
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}")
    words = vocabulary(vectorizer)
    if words[:2] != ["", "[UNK]"]:
        raise ValueError("vectorizer must be fitted (its vocabulary starts with '' and '[UNK]'); call adapt or training_vectorizer() first")
    rows = embedding_input_dim(model)
    if rows is not None and len(words) > rows:
        raise ValueError(f"the vectorizer's vocabulary has {len(words)} entries (indices 0 to {len(words) - 1}), but "
                         f"the model's Embedding reads only {rows} (input_dim={rows}): pass the vectorizer the model "
                         f"was trained with, or build the model with vocab_size={len(words)}")
    if not tensorflow_available():
        tokens = keras.Input(shape=(None,), dtype="int32", name="review_tokens")
        return keras.Model(tokens, model(Vocabulary(words, name="vocabulary")(tokens)), name=name)
    reader = make_vectorizer(words[2:], max_tokens=len(words))
    inputs = keras.Input(shape=(1,), dtype="string", name="review")
    outputs = model(AtLeastOneStep(name="at_least_one_step")(reader(inputs)))  # a review with no words
    return keras.Model(inputs, outputs, name=name)
