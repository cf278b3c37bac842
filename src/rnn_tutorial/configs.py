"""The sentiment model's configuration as data, and the table of named variants.

In the spirit of nanoGPT's ``GPTConfig``: one frozen dataclass holds every choice that
shapes a sentiment model, :data:`VARIANTS` names the ones the book compares, and the
builder and the parameter count both take it (``tests/test_configs.py`` checks that they
agree for every variant):

Example:
    >>> from rnn_tutorial.models import sentiment_model, sentiment_param_count
    >>> config = VARIANTS["bigru_pooled"]
    >>> model = sentiment_model(name="bigru_pooled", **config.options())
    >>> sentiment_param_count(**config.size_options()) == model.count_params()
    True
    >>> config.replace(units=32).units
    32
"""

from __future__ import annotations

import dataclasses

from .layers import ATTENTION_UNITS
from .tokens import VOCAB_SIZE
from .validation import check_choice

EMBEDDING_DIM = 128
"""Width of the word vectors of the sentiment model."""
UNITS = 64
"""Width of each recurrent layer's state (each direction's, when bidirectional)."""
EMBEDDING_DROPOUT = 0.5
"""Dropout on the embedding's output, as regularization of the 2.56 M embedding weights."""
DROPOUT = 0.5
"""Dropout between the recurrent layer and the classifier."""


@dataclasses.dataclass(frozen=True)
class SentimentConfig:
    """Every choice that shapes a sentiment model (its defaults: the training chapter's LSTM).

    Attributes:
        vocab_size, embedding_dim, units: the sizes (``(batch, time)`` indices below
            ``vocab_size`` -> vectors of ``embedding_dim`` -> states of ``units``).
        embedding_dropout, dropout, recurrent_dropout: dropout rates in ``[0, 1)``.
        cell: ``"lstm"`` or ``"gru"``.
        layers: stacked recurrent layers.
        bidirectional: read each review both ways (states of ``2 * units``).
        pooling: ``"last"`` state, ``"attention"``, ``"max"`` or ``"mean_max"`` over time.
        attention_units: width of the attention scorer.
        l2: L2 penalty on the recurrent and output kernels.
    """

    vocab_size: int = VOCAB_SIZE
    embedding_dim: int = EMBEDDING_DIM
    units: int = UNITS
    embedding_dropout: float = EMBEDDING_DROPOUT
    dropout: float = DROPOUT
    cell: str = "lstm"
    layers: int = 1
    bidirectional: bool = False
    pooling: str = "last"
    attention_units: int = ATTENTION_UNITS
    recurrent_dropout: float = 0.0
    l2: float = 0.0

    def options(self) -> dict:
        """The keyword arguments of :func:`~rnn_tutorial.models.sentiment_model`."""
        return dataclasses.asdict(self)

    def replace(self, **changes) -> "SentimentConfig":
        """A copy with some fields changed (unknown field names are a ``TypeError``)."""
        return dataclasses.replace(self, **changes)

    def size_options(self) -> dict:
        """The keyword arguments of :func:`~rnn_tutorial.models.sentiment_param_count`."""
        return {k: getattr(self, k) for k in _SIZE_FIELDS}


_SIZE_FIELDS = ("vocab_size", "embedding_dim", "units", "cell", "layers", "bidirectional", "pooling", "attention_units")


VARIANTS: dict = {
    "lstm": SentimentConfig(),
    "stacked_lstm": SentimentConfig(layers=2),
    "gru": SentimentConfig(cell="gru"),
    "bilstm": SentimentConfig(bidirectional=True),
    "attention_lstm": SentimentConfig(pooling="attention"),
    "bigru_pooled": SentimentConfig(cell="gru", bidirectional=True, pooling="mean_max"),
}
"""The variants the improvements chapter compares, by name (the training chapter's model is ``"lstm"``)."""


def variant(name: str) -> SentimentConfig:
    """The configuration of the variant called ``name`` (one of :data:`VARIANTS`)."""
    return VARIANTS[check_choice("variant", name, tuple(VARIANTS))]
