"""The IMDB data an IMDB chapter works on, in one call (in the spirit of d2l's ``load_data_imdb``).

Example:
    >>> data = load_run_data(run)
    >>> len(data.splits.train), data.train.sequences[0][:5], data.vocab[:3]
"""

from __future__ import annotations

import dataclasses

import numpy as np

from .splits import Splits, profile_splits
from .text import EncodedSplit, encoded_imdb, training_vectorizer, vocabulary


@dataclasses.dataclass(frozen=True)
class RunData:
    """What the IMDB chapters share.

    Attributes:
        vectorizer: the vocabulary fitted on the 25,000 training reviews.
        vocab: its words, ``vocab[i]`` for index ``i`` (padding and ``[UNK]`` first).
        train, test: the two splits, encoded once and cached (every review, untruncated).
        splits: the profile's training, validation and test indices (seeded by the run).
        test_labels: ``test.labels[splits.test]``, shape ``(n_test,)``.
    """

    vectorizer: object
    vocab: list
    train: EncodedSplit
    test: EncodedSplit
    splits: Splits
    test_labels: np.ndarray


def load_run_data(run) -> RunData:
    """The vectorizer, the encoded splits and the profile's indices for ``run``.

    Args:
        run: the :class:`~rnn_tutorial.environment.Run` from ``setup`` (its profile and
            seed choose the indices).

    Raises:
        TypeError: if ``run`` has no ``profile`` and ``seed`` (pass what ``setup`` returned).
    """
    if not hasattr(run, "profile") or not hasattr(run, "seed"):
        raise TypeError(f"run must be what setup() returns (with .profile and .seed), got {type(run).__name__}")
    vectorizer = training_vectorizer()
    train, test = encoded_imdb("train", vectorizer), encoded_imdb("test", vectorizer)
    splits = profile_splits(run.profile, train.labels, test.labels, seed=run.seed)
    return RunData(vectorizer, vocabulary(vectorizer), train, test, splits, test.labels[splits.test])
