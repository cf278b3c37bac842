"""From review strings to integer sequences: standardization, vocabulary, splits, caching.

The book's text pipeline, used by every chapter from the data preparation chapter on:

1. :func:`standardize` lowercases, replaces the ``<br />`` tags and punctuation by spaces.
2. :func:`training_vectorizer` returns a ``keras.layers.TextVectorization`` whose
   vocabulary (``VOCAB_SIZE`` entries, index 0 for padding and 1 for out-of-vocabulary
   words) is fitted on the 25,000 *training* reviews only, in every profile, so the
   validation and test reviews are encoded with the training vocabulary.
3. :func:`make_splits` picks the profile's reviews: a stratified validation split carved
   from the training reviews, and the test reviews kept for the final evaluation.
4. :func:`encoded_imdb` encodes a whole split once and caches the ragged result under
   ``build/cache/`` (atomically, keyed by the vocabulary, the settings and the data
   checksums), so later chapters do not tokenize again.
5. :func:`pad_sequences` pads or truncates to a rectangle ``(batch, time)``, and
   :func:`lm_pairs` cuts token streams into ``(input, target)`` windows shifted by one
   token for language modeling.

Example:
    >>> from rnn_tutorial.text import training_vectorizer, encoded_imdb
    >>> vectorizer = training_vectorizer()
    >>> train = encoded_imdb("train", vectorizer)
    >>> len(train.sequences), train.sequences[0][:5]
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import zipfile
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

from .files import atomic_write, write_json_atomic

VOCAB_SIZE = 20_000
"""Entries of the sentiment vocabulary, padding and OOV included (see chapter 03)."""
LM_VOCAB_SIZE = 2_000
"""Entries of the language model's vocabulary: the most frequent ``LM_VOCAB_SIZE``
entries of the same vectorizer; rarer words become the OOV index."""
PAD = 0
"""Index of the padding token (``""`` in the vocabulary)."""
OOV = 1
"""Index of the out-of-vocabulary token (``"[UNK]"`` in the vocabulary)."""
CACHE_VERSION = 1
_PADDINGS = ("pre", "post")


# --------------------------------------------------------------------------- standardize

def _standardize_tf(texts):
    import tensorflow as tf

    texts = tf.strings.lower(texts, encoding="utf-8")
    texts = tf.strings.regex_replace(texts, r"<\s*br\s*/?\s*>", " ")
    # Keep letters, combining marks, digits and apostrophes; everything else separates.
    texts = tf.strings.regex_replace(texts, r"[^\p{L}\p{M}\p{N}']+", " ")
    # An apostrophe only survives inside a word ("don't"), not as a quotation mark.
    texts = tf.strings.regex_replace(tf.strings.join([" ", texts, " "]), r"\s'+|'+\s", " ")
    texts = tf.strings.regex_replace(texts, r"\s'+|'+\s", " ")
    texts = tf.strings.regex_replace(texts, r"\s+", " ")
    return tf.strings.strip(texts)


def _register(fn):
    import keras

    return keras.saving.register_keras_serializable(package="rnn_tutorial", name="standardize")(fn)


@_register
def standardize(texts):
    """Lowercase, drop ``<br />`` tags and punctuation, collapse whitespace.

    Args:
        texts: a Python string, a list of strings, or a string tensor of any shape
            (``TextVectorization`` passes a ``(batch,)`` or ``(batch, 1)`` tensor).

    Returns:
        The same kind of object: a string for a string, a list of strings for a list,
        a string tensor of the same shape for a tensor. Words are separated by single
        spaces; apostrophes survive only inside words (``"don't"``).

    Raises:
        TypeError: for anything else (numbers, bytes mixed with other types, ...).

    Example:
        >>> standardize("A <br />GREAT film... isn't it?")
        "a great film isn't it"
    """
    import tensorflow as tf

    if isinstance(texts, str):
        return _standardize_tf(tf.constant(texts)).numpy().decode("utf-8")
    if isinstance(texts, (list, tuple)):
        if not all(isinstance(t, str) for t in texts):
            bad = next(t for t in texts if not isinstance(t, str))
            raise TypeError(f"texts must be strings, got an element of type {type(bad).__name__}: {bad!r}")
        if not texts:
            return []
        return [t.decode("utf-8") for t in _standardize_tf(tf.constant(list(texts))).numpy().tolist()]
    if tf.is_tensor(texts) and texts.dtype == tf.string:
        return _standardize_tf(texts)
    raise TypeError(
        f"texts must be a str, a list of str or a string tensor, got {type(texts).__name__}: {texts!r:.80}"
    )


# --------------------------------------------------------------------------- vectorizer

def make_vectorizer(vocabulary: Optional[Sequence[str]] = None, max_tokens: int = VOCAB_SIZE,
                    output_sequence_length: Optional[int] = None):
    """Build the book's ``TextVectorization`` layer, fitted or not.

    Args:
        vocabulary: the vocabulary *without* the padding and OOV entries (as
            ``get_vocabulary()[2:]`` returns it), or ``None`` for an unfitted layer to
            ``adapt``.
        max_tokens: the vocabulary size including index 0 (padding) and 1 (OOV).
        output_sequence_length: pad or truncate (at the end) every output to this many
            tokens; ``None`` pads a batch to its longest review.

    Returns:
        A ``keras.layers.TextVectorization`` that maps strings ``(batch,)`` to integer
        indices ``(batch, time)``, with :func:`standardize` and whitespace splitting.
    """
    import keras

    if isinstance(max_tokens, bool) or not isinstance(max_tokens, int) or max_tokens < 3:
        raise ValueError(f"max_tokens must be an integer >= 3 (padding, OOV and a word), got {max_tokens!r}")
    if output_sequence_length is not None and (
        isinstance(output_sequence_length, bool) or not isinstance(output_sequence_length, int) or output_sequence_length < 1
    ):
        raise ValueError(f"output_sequence_length must be a positive integer or None, got {output_sequence_length!r}")
    if vocabulary is not None:
        vocabulary = list(vocabulary)
        if len(vocabulary) > max_tokens - 2:
            raise ValueError(
                f"vocabulary has {len(vocabulary)} words but max_tokens={max_tokens} leaves room for "
                f"{max_tokens - 2} (index 0 is padding, 1 is OOV); pass fewer words or a larger max_tokens"
            )
        if vocabulary[:2] == ["", "[UNK]"]:
            raise ValueError("vocabulary must not include the padding '' and OOV '[UNK]' entries; pass get_vocabulary()[2:]")
    return keras.layers.TextVectorization(
        max_tokens=max_tokens,
        standardize=standardize,
        split="whitespace",
        output_mode="int",
        output_sequence_length=output_sequence_length,
        vocabulary=vocabulary,
    )


def fit_vectorizer(texts: Sequence[str], max_tokens: int = VOCAB_SIZE):
    """Return a vectorizer whose vocabulary is the ``max_tokens - 2`` commonest words of ``texts``.

    Args:
        texts: the training reviews (never validation or test reviews).
        max_tokens: the vocabulary size, padding and OOV included.
    """
    if isinstance(texts, str) or not isinstance(texts, Sequence) or not texts:
        raise TypeError(f"texts must be a non-empty list of review strings, got {type(texts).__name__}")
    import tensorflow as tf

    vectorizer = make_vectorizer(max_tokens=max_tokens)
    vectorizer.adapt(tf.data.Dataset.from_tensor_slices(list(texts)).batch(512))
    return vectorizer


def cache_dir(path: "str | os.PathLike[str] | None" = None) -> Path:
    """Return the cache folder: ``path``, else ``build/cache`` of the repository."""
    if path is not None:
        return Path(path)
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").exists() and (parent / "chapters").exists():
            return parent / "build" / "cache"
    return Path.cwd() / "build" / "cache"


def _data_checksum(split: str) -> str:
    from .data import data_dir, read_checksums

    return read_checksums(data_dir())[f"{split}.jsonl.xz"]


def training_vectorizer(max_tokens: int = VOCAB_SIZE, cache: "str | os.PathLike[str] | None" = None):
    """Return the vectorizer fitted on all 25,000 training reviews, from the cache if valid.

    The vocabulary is written to ``build/cache/vocabulary-<key>.json`` with ``key`` a hash
    of the training data checksum and the settings; a missing or unreadable file is
    rebuilt by fitting again.
    """
    from .data import load_imdb

    settings = {"version": CACHE_VERSION, "max_tokens": max_tokens, "train": _data_checksum("train"),
                "standardize": _STANDARDIZE_ID}
    key = hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:16]
    path = cache_dir(cache) / f"vocabulary-{key}.json"
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        if stored["settings"] != settings or not isinstance(stored["vocabulary"], list):
            raise ValueError("stale vocabulary")
        return make_vectorizer(stored["vocabulary"], max_tokens=max_tokens)
    except (OSError, ValueError, KeyError, TypeError):
        pass
    vectorizer = fit_vectorizer(load_imdb("train").texts, max_tokens=max_tokens)
    write_json_atomic(path, {"settings": settings, "vocabulary": vocabulary(vectorizer)[2:]})
    return vectorizer


_STANDARDIZE_ID = "lower+br+punct+apostrophe-v1"


def vocabulary(vectorizer) -> list[str]:
    """Return the vectorizer's vocabulary as plain strings: ``["", "[UNK]", "the", ...]``."""
    return [str(word) for word in vectorizer.get_vocabulary()]


def vocabulary_hash(vectorizer) -> str:
    """Return a short SHA-256 of the vectorizer's vocabulary (its identity in cache keys)."""
    vocab = vocabulary(vectorizer)
    return hashlib.sha256("\n".join(vocab).encode("utf-8")).hexdigest()[:16]


# --------------------------------------------------------------------------- encoding

def encode(vectorizer, texts: Sequence[str], batch_size: int = 1024) -> list:
    """Encode ``texts`` into a list of ``int32`` arrays, one per text, of its own length.

    Args:
        vectorizer: a fitted ``TextVectorization`` with ``output_sequence_length=None``.
        texts: strings.
        batch_size: texts vectorized at once.

    Returns:
        ``[array of shape (time_i,)]``; an empty text gives an empty array.
    """
    if isinstance(texts, str):
        raise TypeError("texts must be a list of strings, got a single str; wrap it in a list")
    out = []
    texts = list(texts)
    for start in range(0, len(texts), batch_size):
        dense = np.asarray(vectorizer(texts[start:start + batch_size]), dtype=np.int32)
        lengths = (dense != PAD).sum(axis=1)
        out.extend(row[:n].copy() for row, n in zip(dense, lengths))
    return out


@dataclasses.dataclass(frozen=True)
class EncodedSplit:
    """One IMDB split encoded with the training vocabulary.

    Attributes:
        name: ``"train"`` or ``"test"``.
        sequences: list of ``int32`` arrays of shape ``(time_i,)``, one per review,
            untruncated, in the order of :func:`rnn_tutorial.data.load_imdb`.
        labels: ``int8`` array of shape ``(n,)``.
        ratings: ``int8`` array of shape ``(n,)``.
    """

    name: str
    sequences: list
    labels: np.ndarray
    ratings: np.ndarray

    def __len__(self) -> int:
        return len(self.sequences)

    @property
    def lengths(self) -> np.ndarray:
        """Tokens per review, shape ``(n,)``."""
        return np.fromiter((len(s) for s in self.sequences), dtype=np.int64, count=len(self.sequences))


def _split_flat(flat: np.ndarray, offsets: np.ndarray) -> list:
    return [flat[a:b] for a, b in zip(offsets[:-1], offsets[1:])]


def encoded_imdb(split: str, vectorizer, cache: "str | os.PathLike[str] | None" = None) -> EncodedSplit:
    """Return an IMDB split encoded with ``vectorizer``, from the cache when it is valid.

    The cache file ``build/cache/imdb-<split>-<key>.npz`` holds the tokens flattened with
    their offsets (no pickled objects); ``key`` hashes the vocabulary, the settings and
    the split's data checksum, so a new vocabulary or new data never reads a stale file.
    It is written to a temporary file and renamed, loaded with ``allow_pickle=False``,
    and rebuilt when unreadable or inconsistent.
    """
    from .data import load_imdb

    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test', got {split!r}")
    settings = {"version": CACHE_VERSION, "vocabulary": vocabulary_hash(vectorizer), "split": split,
                "data": _data_checksum(split), "standardize": _STANDARDIZE_ID}
    key = hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:16]
    path = cache_dir(cache) / f"imdb-{split}-{key}.npz"
    try:
        with np.load(path, allow_pickle=False) as stored:
            flat, offsets = stored["tokens"], stored["offsets"]
            labels, ratings = stored["labels"], stored["ratings"]
            ok = (
                str(stored["key"]) == key
                and offsets.ndim == 1 and offsets[0] == 0 and offsets[-1] == len(flat)
                and np.all(np.diff(offsets) >= 0)
                and len(labels) == len(ratings) == len(offsets) - 1
            )
        if ok:
            return EncodedSplit(split, _split_flat(flat, offsets), labels, ratings)
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        pass
    data = load_imdb(split)
    sequences = encode(vectorizer, data.texts)
    offsets = np.zeros(len(sequences) + 1, dtype=np.int64)
    np.cumsum([len(s) for s in sequences], out=offsets[1:])
    flat = np.concatenate(sequences).astype(np.int32) if sequences else np.zeros(0, np.int32)
    with atomic_write(path) as handle:
        np.savez(handle, tokens=flat, offsets=offsets, labels=data.labels, ratings=data.ratings, key=np.array(key))
    return EncodedSplit(split, _split_flat(flat, offsets), data.labels, data.ratings)


# --------------------------------------------------------------------------- splits

@dataclasses.dataclass(frozen=True)
class Splits:
    """Indices of the reviews a run uses.

    Attributes:
        train: indices into the training split used for fitting, shape ``(n_train,)``.
        val: indices into the training split held out for validation, ``(n_val,)``.
        test: indices into the test split, for the final evaluation only, ``(n_test,)``.
    """

    train: np.ndarray
    val: np.ndarray
    test: np.ndarray


def _stratified_take(labels: np.ndarray, indices: np.ndarray, n: int, rng) -> tuple[np.ndarray, np.ndarray]:
    """Split ``indices`` into (taken, rest) with ``n`` taken, label shares preserved."""
    taken, rest = [], []
    classes = np.unique(labels[indices])
    remaining = n
    for i, c in enumerate(classes):
        members = indices[labels[indices] == c]
        members = members[rng.permutation(len(members))]
        k = remaining if i == len(classes) - 1 else int(round(n * len(members) / len(indices)))
        k = min(k, len(members))
        remaining -= k
        taken.append(members[:k])
        rest.append(members[k:])
    return np.sort(np.concatenate(taken)), np.sort(np.concatenate(rest))


def make_splits(train_labels: np.ndarray, test_labels: np.ndarray, train_size: Optional[int] = None,
                test_size: Optional[int] = None, val_fraction: float = 0.2, seed: int = 1234) -> Splits:
    """Choose the training, validation and test reviews of a run, stratified by label.

    Args:
        train_labels: labels of the training split, shape ``(25000,)``.
        test_labels: labels of the test split, shape ``(25000,)``.
        train_size: training reviews used (fit + validation); ``None`` for all.
        test_size: test reviews evaluated; ``None`` for all.
        val_fraction: share of the used training reviews held out for validation,
            strictly between 0 and 1.
        seed: the subsampling and the split are a function of the seed only.

    Returns:
        :class:`Splits` of sorted indices; ``train`` and ``val`` are disjoint.
    """
    train_labels = np.asarray(train_labels)
    test_labels = np.asarray(test_labels)
    for name, labels in (("train_labels", train_labels), ("test_labels", test_labels)):
        if labels.ndim != 1 or len(labels) < 2:
            raise ValueError(f"{name} must be a 1-D array of at least 2 labels, got shape {labels.shape}")
    if not isinstance(val_fraction, float) or not 0.0 < val_fraction < 1.0:
        raise ValueError(f"val_fraction must be a float strictly between 0 and 1, got {val_fraction!r}")
    for name, size, total in (("train_size", train_size, len(train_labels)), ("test_size", test_size, len(test_labels))):
        if size is not None and (isinstance(size, bool) or not isinstance(size, int) or not 2 <= size <= total):
            raise ValueError(f"{name} must be None or an integer between 2 and {total}, got {size!r}")
    rng = np.random.default_rng(seed)
    used = np.arange(len(train_labels))
    if train_size is not None and train_size < len(train_labels):
        used, _ = _stratified_take(train_labels, used, train_size, rng)
    n_val = max(1, int(round(val_fraction * len(used))))
    val, train = _stratified_take(train_labels, used, n_val, rng)
    test = np.arange(len(test_labels))
    if test_size is not None and test_size < len(test_labels):
        test, _ = _stratified_take(test_labels, test, test_size, rng)
    return Splits(train=train, val=val, test=test)


def profile_splits(profile, train_labels: np.ndarray, test_labels: np.ndarray, seed: int = 1234) -> Splits:
    """:func:`make_splits` with a :class:`~rnn_tutorial.profiles.Profile`'s sizes."""
    return make_splits(train_labels, test_labels, train_size=profile.train_size, test_size=profile.test_size,
                       val_fraction=profile.val_fraction, seed=seed)


# --------------------------------------------------------------------------- padding

def _check_padding(name: str, value: str) -> None:
    if value not in _PADDINGS:
        raise ValueError(f"{name} must be 'pre' or 'post', got {value!r}")


def truncate(sequence: np.ndarray, max_len: Optional[int], truncating: str = "post") -> np.ndarray:
    """Keep at most ``max_len`` tokens: the first ones (``"post"``) or the last (``"pre"``)."""
    _check_padding("truncating", truncating)
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

    Returns:
        ``int32`` array of shape ``(batch, time)``.
    """
    _check_padding("padding", padding)
    if isinstance(sequences, (str, bytes)) or not hasattr(sequences, "__len__"):
        raise TypeError(f"sequences must be a list of integer sequences, got {type(sequences).__name__}")
    if max_len is not None and (isinstance(max_len, bool) or not isinstance(max_len, int) or max_len < 1):
        raise ValueError(f"max_len must be a positive integer or None, got {max_len!r}")
    rows = [truncate(np.asarray(s, dtype=np.int32).reshape(-1), max_len, truncating) for s in sequences]
    width = max_len if max_len is not None else max((len(r) for r in rows), default=0)
    out = np.full((len(rows), width), value, dtype=np.int32)
    for i, row in enumerate(rows):
        if len(row):
            if padding == "post":
                out[i, :len(row)] = row
            else:
                out[i, width - len(row):] = row
    return out


# --------------------------------------------------------------------------- language modeling

def lm_pairs(sequences: Sequence, window: int, vocab_size: int = LM_VOCAB_SIZE,
             max_windows: Optional[int] = None, seed: int = 1234) -> tuple[np.ndarray, np.ndarray]:
    """Cut token sequences into next-token prediction pairs.

    The sequences are concatenated into one stream and cut into consecutive chunks of
    ``window + 1`` tokens; each chunk gives ``input = chunk[:-1]`` and
    ``target = chunk[1:]``: the target at step ``t`` is the input at step ``t + 1``.
    Indices ``>= vocab_size`` become :data:`OOV`, so the model's softmax has
    ``vocab_size`` classes.

    Args:
        sequences: 1-D integer arrays (encoded reviews, training split only).
        window: time steps per example.
        vocab_size: the language model's vocabulary size.
        max_windows: keep this many windows, chosen at random with ``seed``
            (``None`` keeps all).

    Returns:
        ``(inputs, targets)``, both ``int32`` of shape ``(n_windows, window)``.
    """
    if isinstance(window, bool) or not isinstance(window, int) or window < 1:
        raise ValueError(f"window must be a positive integer, got {window!r}")
    if isinstance(vocab_size, bool) or not isinstance(vocab_size, int) or vocab_size < 3:
        raise ValueError(f"vocab_size must be an integer >= 3, got {vocab_size!r}")
    if max_windows is not None and (isinstance(max_windows, bool) or not isinstance(max_windows, int) or max_windows < 1):
        raise ValueError(f"max_windows must be a positive integer or None, got {max_windows!r}")
    stream = np.concatenate([np.asarray(s, dtype=np.int32).reshape(-1) for s in sequences]) if len(sequences) else np.zeros(0, np.int32)
    stream = np.where(stream >= vocab_size, OOV, stream).astype(np.int32)
    n = len(stream) // (window + 1)
    if n == 0:
        raise ValueError(f"the sequences hold {len(stream)} tokens, fewer than one window of {window + 1}")
    chunks = stream[: n * (window + 1)].reshape(n, window + 1)
    if max_windows is not None and max_windows < n:
        keep = np.sort(np.random.default_rng(seed).choice(n, size=max_windows, replace=False))
        chunks = chunks[keep]
    return chunks[:, :-1].copy(), chunks[:, 1:].copy()
