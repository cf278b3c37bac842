"""The package's own Keras layers: attention and masked pooling over time, and a vocabulary holder.

Both are registered as serializable (package ``rnn_tutorial``), so a saved ``.keras``
model that uses them loads again once this module is imported (``rnn_tutorial.models``
imports it).
"""

from __future__ import annotations

import keras

from .validation import check_choice, check_int

ATTENTION_UNITS = 64
"""Width of the scoring layer of :class:`AttentionPooling` in :func:`sentiment_model`."""


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


@keras.saving.register_keras_serializable(package="rnn_tutorial", name="Vocabulary")
class Vocabulary(keras.layers.Layer):
    """Passes token indices through unchanged and keeps, in its config, the words they index.

    The TensorFlow-free front of a model that "reads reviews"
    (:func:`rnn_tutorial.models.end_to_end_model` without TensorFlow): Keras strings need
    TensorFlow on every backend, so such a model takes token indices ``(batch, time)``, and
    :func:`rnn_tutorial.training.predict_reviews` tokenizes the strings in Python with
    :attr:`words` (:func:`rnn_tutorial.text.encode_texts`, equal to ``TextVectorization``).
    Saved in the ``.keras`` file with the model, so a reloaded reader keeps its vocabulary.

    Args:
        words: the whole vocabulary, ``words[0] == ""`` (padding), ``words[1] == "[UNK]"``.
    """

    def __init__(self, words, **kwargs):
        super().__init__(**kwargs)
        words = [str(w) for w in words]
        if words[:2] != ["", "[UNK]"] or len(words) < 3:
            raise ValueError("words must be a fitted vocabulary: '' (padding), '[UNK]', then at least one word")
        self.words = words
        self.supports_masking = True

    def call(self, tokens):
        return tokens

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_vocabulary(self) -> list:
        """The words, as ``TextVectorization.get_vocabulary()`` returns them."""
        return list(self.words)

    def get_config(self) -> dict:
        return {**super().get_config(), "words": list(self.words)}


@keras.saving.register_keras_serializable(package="rnn_tutorial", name="AtLeastOneStep")
class AtLeastOneStep(keras.layers.Layer):
    """Token indices ``(batch, time)`` -> the same, a batch with no time step given one.

    ``TextVectorization`` pads a batch to its longest review, so a batch of reviews with no
    words left once standardized (empty, markup, punctuation or emoji only) comes out as
    ``(batch, 0)``, which a recurrent layer cannot read (TensorFlow fails inside the LSTM).
    With one padding step (index 0, masked by the embedding) such a review gets the
    model's no-evidence answer, the one it gets within a batch of longer reviews.
    Batches with at least one step pass unchanged.
    """

    def call(self, tokens):
        batch, width = keras.ops.shape(tokens)
        pad = keras.ops.zeros((batch, 1), dtype=tokens.dtype)
        return keras.ops.concatenate([tokens, pad], axis=1)[:, : keras.ops.maximum(width, 1)]

    def compute_output_shape(self, input_shape):
        return input_shape
