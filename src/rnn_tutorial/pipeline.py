"""Padding, truncation and length-bucketed mini-batches: reviews of similar length share a batch.

:func:`pad_sequences` pads or truncates token sequences to a rectangle ``(batch, time)``
(:func:`truncate` keeps the first or the last ``max_len`` tokens).


Padding every review to ``max_len`` makes a recurrent layer run hundreds of useless
time steps on short reviews. :class:`BucketedBatches` instead groups reviews of similar
length and pads each batch only to *its* longest review, which cuts the padded steps
(and the training time) several-fold; with ``mask_zero=True`` in the embedding the
remaining padding is ignored by the LSTM.

Example:
    >>> batches = BucketedBatches(sequences, labels, batch_size=64, max_len=400, seed=1)
    >>> x, y = batches[0]          # x: (64, time) int32, time <= 400; y: (64,)
    >>> model.fit(batches, validation_data=val_batches, epochs=3)
"""

from __future__ import annotations

from typing import Optional, Sequence

import keras
import numpy as np

from .tokens import PAD
from .validation import check_choice, check_count, check_int, check_tokens

_PADDINGS = ("pre", "post")


def _check_padding(name: str, value: str) -> None:
    check_choice(name, value, _PADDINGS)


def truncate(sequence: np.ndarray, max_len: Optional[int], truncating: str = "post") -> np.ndarray:
    """Keep at most ``max_len`` tokens: the first ones (``"post"``) or the last (``"pre"``)."""
    _check_padding("truncating", truncating)
    max_len = check_count("max_len", max_len, 1, "a positive integer or None", none=True)
    if max_len is None or len(sequence) <= max_len:
        return sequence
    return sequence[:max_len] if truncating == "post" else sequence[len(sequence) - max_len:]


def pad_sequences(sequences: Sequence, max_len: Optional[int] = None, padding: str = "post",
                  truncating: str = "post", value: int = PAD) -> np.ndarray:
    """Pad and truncate integer sequences into one array.

    Args:
        sequences: a list of 1-D integer arrays or lists.
        max_len: the output length; ``None`` uses the longest sequence. Longer
            sequences are truncated.
        padding: ``"post"`` adds ``value`` after the tokens, ``"pre"`` before.
        truncating: ``"post"`` drops tokens at the end, ``"pre"`` at the start.
        value: the padding index.

    Integer arguments accept NumPy integers (``np.int64(5)``) as well as Python ints,
    never bools.

    Returns:
        ``int32`` array of shape ``(batch, time)``.
    """
    _check_padding("padding", padding)
    if isinstance(sequences, (str, bytes)) or not hasattr(sequences, "__len__"):
        raise TypeError(f"sequences must be a list of integer sequences, got {type(sequences).__name__}")
    max_len = check_count("max_len", max_len, 1, "a positive integer or None", none=True)
    int32 = np.iinfo(np.int32)
    value = check_count("value", value, int32.min, f"an integer token index (the padding, default {PAD})")
    if value > int32.max:
        raise ValueError(f"value must be an integer token index that fits int32 (<= {int32.max}), got {value}")
    rows = [truncate(check_tokens("sequences", i, s), max_len, truncating) for i, s in enumerate(sequences)]
    width = max_len if max_len is not None else max((len(r) for r in rows), default=0)
    out = np.full((len(rows), width), value, dtype=np.int32)
    for i, row in enumerate(rows):
        if len(row):
            if padding == "post":
                out[i, :len(row)] = row
            else:
                out[i, width - len(row):] = row
    return out


POOL_BATCHES = 50
"""Batches per pool: reviews are sorted by length within pools of this many batches."""
JAX_PAD_MULTIPLE = 32
"""Batch widths are rounded up to a multiple of this under JAX (see :func:`default_pad_multiple`)."""


def default_pad_multiple(jax_multiple: int = JAX_PAD_MULTIPLE) -> int:
    """The batch-width rounding for the active backend: ``jax_multiple`` under JAX, else 1.

    JAX compiles a training step once per distinct input shape, so bucketed batches of
    every width from 1 to ``max_len`` would compile hundreds of programs; rounding to a
    multiple of 32 (the default) bounds them to ``max_len / 32``, and a multiple equal to
    ``max_len`` to one (what a profile's ``jax_pad_multiple`` chooses). TensorFlow and
    PyTorch run variable widths without recompiling, and keep the exact per-batch widths.
    The extra padding is masked, so it changes no result beyond float rounding.

    Raises:
        ValueError: ``jax_multiple`` is not a positive integer.
    """
    jax_multiple = check_int("jax_multiple", jax_multiple, min=1)
    return int(jax_multiple) if keras.backend.backend() == "jax" else 1


def _check_bool(name: str, value) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {type(value).__name__} {value!r}; pass a bool, "
                        "e.g. shuffle=False for evaluation batches")
    return bool(value)


def bucket_batches(lengths: np.ndarray, batch_size: int, shuffle: bool, rng: Optional[np.random.Generator],
                   pool_batches: int = POOL_BATCHES) -> list[np.ndarray]:
    """Group indices ``0..n-1`` into batches of similar ``lengths``.

    Without shuffling, all indices are sorted by length (longest first, stably) and cut
    into batches, so only the shortest examples share the smaller last batch. With shuffling, indices are permuted, cut into pools of
    ``pool_batches * batch_size``, sorted by length within each pool, cut into
    batches, and the batch order is permuted: randomness between epochs, similar
    lengths within a batch. Either way there are ``ceil(n / batch_size)`` batches and
    every index appears exactly once.

    Args:
        lengths: tokens per example, shape ``(n,)``.
        batch_size: examples per batch (the last batch of a pool may be smaller).
        shuffle: randomize as described; needs ``rng``.
        rng: a ``numpy.random.Generator``.
        pool_batches: batches per pool.

    Returns:
        A list of index arrays.
    """
    lengths = np.asarray(lengths)
    if lengths.ndim != 1:
        raise ValueError(f"lengths must be 1-D (n,), got shape {lengths.shape}")
    if len(lengths) and lengths.dtype.kind not in "iu":
        raise TypeError(f"lengths must be non-negative integers (tokens per example), got dtype {lengths.dtype}; "
                        "pass np.array([len(s) for s in sequences])")
    if len(lengths) and lengths.min() < 0:
        raise ValueError(f"lengths must be non-negative integers (tokens per example), got dtype {lengths.dtype} "
                         f"with minimum {lengths.min()}")
    batch_size = check_int("batch_size", batch_size, min=1)
    pool_batches = check_int("pool_batches", pool_batches, min=1)
    shuffle = _check_bool("shuffle", shuffle)
    n = len(lengths)
    if not shuffle:
        order = np.argsort(-lengths, kind="stable")
        return [order[i:i + batch_size] for i in range(0, n, batch_size)]
    if rng is None:
        raise ValueError("rng must be a numpy.random.Generator when shuffle=True, got None")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}; "
                        "pass np.random.default_rng(seed)")
    perm = rng.permutation(n)
    pool = pool_batches * batch_size
    batches = []
    for start in range(0, n, pool):
        members = perm[start:start + pool]
        members = members[np.argsort(lengths[members], kind="stable")]
        batches.extend(members[i:i + batch_size] for i in range(0, len(members), batch_size))
    return [batches[i] for i in rng.permutation(len(batches))]


def padded_steps(lengths: np.ndarray, batches: Sequence[np.ndarray]) -> int:
    """Total time steps the batches occupy once each is padded to its longest example."""
    lengths = np.asarray(lengths)
    return int(sum(len(b) * lengths[b].max() for b in batches if len(b)))


class BucketedBatches(keras.utils.PyDataset):
    """A ``keras.utils.PyDataset`` of length-bucketed, per-batch padded sequences.

    Args:
        sequences: list of 1-D ``int`` arrays (encoded reviews), one per example.
        labels: array of shape ``(n,)`` or ``(n, ...)``, or ``None`` for inputs only
            (prediction).
        batch_size: examples per batch, default 64.
        max_len: truncate longer sequences to this many tokens (``None``: no cap).
        truncating: ``"pre"`` (default) keeps the last ``max_len`` tokens (a review's
            verdict tends to come at its end), ``"post"`` the first.
        shuffle: reshuffle the batches every epoch (default ``True``); ``False`` sorts
            by length once, for evaluation, with :attr:`order` mapping back.
        seed: the shuffling of epoch ``e`` depends on ``(seed, e)`` only (its own
            ``numpy.random.Generator``: no global random state, no backend), so every
            backend sees the same batches; :meth:`set_epoch` jumps to an epoch.
        pad_multiple: round each batch's width up to a multiple of this (never beyond
            ``max_len``); ``None`` (default): :func:`default_pad_multiple`, 32 under JAX
            and 1 (no rounding) otherwise. JAX compiles once per distinct shape, so
            rounding bounds the compilations.
        **kwargs: passed to ``PyDataset`` (``workers``, ``use_multiprocessing``, ...).

    Each item is ``(x, y)`` (or ``x``), ``x`` of shape ``(batch, time)`` padded with
    ``0`` after the tokens, ``time`` being the batch's longest (truncated) sequence.
    """

    def __init__(self, sequences: Sequence, labels: Optional[np.ndarray] = None, batch_size: int = 64,
                 max_len: Optional[int] = None, truncating: str = "pre", shuffle: bool = True,
                 seed: int = 1234, pad_multiple: Optional[int] = None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(sequences, (str, bytes)) or not hasattr(sequences, "__len__"):
            raise TypeError(f"sequences must be a list of 1-D integer arrays, got {type(sequences).__name__}")
        if len(sequences) == 0:
            raise ValueError("sequences must hold at least one sequence, got an empty list")
        batch_size = check_int("batch_size", batch_size, min=1)
        pad_multiple = default_pad_multiple() if pad_multiple is None else check_int("pad_multiple", pad_multiple, min=1)
        if max_len is not None:
            max_len = check_int("max_len", max_len, min=1)
        truncating = check_choice("truncating", truncating, ("pre", "post"))
        shuffle = _check_bool("shuffle", shuffle)
        seed = check_int("seed", seed, min=0)
        if labels is not None:
            labels = np.asarray(labels)
            if len(labels) != len(sequences):
                raise ValueError(f"labels must have one entry per sequence: got {len(labels)} labels for {len(sequences)} sequences")
        self.sequences = list(sequences)
        self.labels = labels
        self.batch_size = int(batch_size)
        self.max_len = max_len
        self.truncating = truncating
        self.shuffle = shuffle
        self.seed = seed
        self.pad_multiple = int(pad_multiple)
        raw = np.fromiter((len(s) for s in self.sequences), dtype=np.int64, count=len(self.sequences))
        self.lengths = np.maximum(np.minimum(raw, max_len) if max_len else raw, 1)
        self.epoch = 0
        self._batches = self._make_batches()

    def _make_batches(self) -> list[np.ndarray]:
        rng = np.random.default_rng([self.seed, self.epoch]) if self.shuffle else None
        batches = bucket_batches(self.lengths, self.batch_size, self.shuffle, rng)
        # Keras infers the input signature from the first two batches: make their
        # padded widths differ so the time axis is seen as variable (TensorFlow's
        # tf.data signature; the widths, not the raw lengths, once pad_multiple rounds).
        if len(batches) > 2 and self._width(batches[0]) == self._width(batches[1]):
            first = self._width(batches[0])
            for j in range(2, len(batches)):
                if self._width(batches[j]) != first:
                    batches[1], batches[j] = batches[j], batches[1]
                    break
        return batches

    def _width(self, idx: np.ndarray) -> int:
        """The time axis of the batch ``idx``: its longest sequence, rounded up to ``pad_multiple``."""
        longest = int(self.lengths[idx].max())
        width = -(-longest // self.pad_multiple) * self.pad_multiple
        if self.max_len is not None:
            width = min(width, max(self.max_len, longest))
        return width

    @property
    def order(self) -> np.ndarray:
        """Example indices in the order the batches yield them, shape ``(n,)``."""
        return np.concatenate(self._batches)

    def __len__(self) -> int:
        return len(self._batches)

    def __getitem__(self, index: int):
        if not 0 <= index < len(self._batches):
            raise IndexError(f"batch index {index} out of range for {len(self._batches)} batches")
        idx = self._batches[index]
        width = self._width(idx)
        x = pad_sequences([self.sequences[i] for i in idx], max_len=width, padding="post",
                          truncating=self.truncating, value=PAD)
        if self.labels is None:
            return x
        return x, self.labels[idx]

    def set_epoch(self, epoch: int) -> None:
        """Yield the batches of epoch ``epoch`` (0-based) next, e.g. when training resumes.

        The order depends on ``(seed, epoch)`` only: a fresh dataset set to epoch 3
        yields exactly the batches a dataset that trained three epochs yields next.
        """
        epoch = check_int("epoch", epoch, min=0)
        self.epoch = int(epoch)
        self._batches = self._make_batches()

    def on_epoch_end(self) -> None:
        """Reshuffle for the next epoch (no-op without shuffling)."""
        if self.shuffle:
            self.epoch += 1
            self._batches = self._make_batches()

    def padded_steps(self) -> int:
        """Time steps of all batches of the current epoch, padding included."""
        return padded_steps(self.lengths, self._batches)


class WordSetBatches(BucketedBatches):
    """:class:`BucketedBatches` whose targets are sets of words, given as word-frequency rows.

    Args:
        sequences: 1-D ``int`` arrays, the inputs (e.g. the halves of
            :func:`~rnn_tutorial.tasks.rest_of_review_pairs`).
        word_sets: one 1-D ``int`` array of word indices per input, each in
            ``[0, vocab_size)``; an empty array is allowed (its row is all zeros).
        vocab_size: width of the target rows.
        **kwargs: passed to :class:`BucketedBatches` (``batch_size``, ``max_len``,
            ``shuffle``, ``seed``, ...).

    Each item is ``(x, y)``: ``x`` as in :class:`BucketedBatches`, ``y`` ``float32`` of
    shape ``(batch, vocab_size)``, row ``i`` spreading probability ``1 / k`` over the
    ``k`` distinct words of ``word_sets[i]``: the target distribution of a softmax
    trained with categorical cross-entropy. The dense rows are built per batch, so the
    whole target matrix (hundreds of thousands x thousands) is never in memory.
    """

    def __init__(self, sequences: Sequence, word_sets: Sequence, vocab_size: int, **kwargs):
        if "labels" in kwargs:
            raise TypeError("WordSetBatches takes word_sets, not labels")
        super().__init__(sequences, None, **kwargs)
        vocab_size = check_int("vocab_size", vocab_size, min=1)
        if len(word_sets) != len(self.sequences):
            raise ValueError(f"word_sets must have one entry per sequence: got {len(word_sets)} word sets for "
                             f"{len(self.sequences)} sequences")
        self.word_sets = []
        for i, w in enumerate(word_sets):
            words = np.asarray(w)
            if words.size and words.dtype.kind not in "iu":       # 1.7 must not become word 1
                raise TypeError(f"word_sets[{i}] must hold integer word indices, got dtype {words.dtype}; "
                                "build the pairs with rest_of_review_pairs")
            self.word_sets.append(np.unique(words.astype(np.int64).ravel()))
        for i, words in enumerate(self.word_sets):
            if words.size and (words[0] < 0 or words[-1] >= vocab_size):
                raise ValueError(f"word_sets[{i}] holds index {int(words[0] if words[0] < 0 else words[-1])}, "
                                 f"outside [0, {vocab_size}): build the pairs with the same vocab_size")
        self.vocab_size = int(vocab_size)

    def __getitem__(self, index: int):
        x = super().__getitem__(index)
        idx = self._batches[index]
        y = np.zeros((len(idx), self.vocab_size), np.float32)
        for row, i in enumerate(idx):
            words = self.word_sets[i]
            if words.size:
                y[row, words] = 1.0 / words.size
        return x, y
