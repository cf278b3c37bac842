"""From review strings to integer sequences: standardization, vocabulary, splits, caching.

The book's text pipeline, used by every chapter from the data preparation chapter on:

1. :func:`standardize` lowercases, replaces the ``<br />`` tags and punctuation by spaces.
2. :func:`training_vectorizer` returns a ``keras.layers.TextVectorization`` whose
   vocabulary (``VOCAB_SIZE`` entries, index 0 for padding and 1 for out-of-vocabulary
   words) is fitted on the 25,000 *training* reviews only, in every profile, so the
   validation and test reviews are encoded with the training vocabulary.
3. :func:`make_splits` picks the profile's reviews: a stratified validation split carved
   from the training reviews, and the test reviews kept for the final evaluation. With
   ``groups=load_movies("train")`` the validation reviews are of movies no training
   review is about.
4. :func:`encoded_imdb` encodes a whole split once and caches the ragged result under
   ``build/cache/`` (atomically, keyed by the vocabulary, the settings and the data
   checksums), so later chapters do not tokenize again.
5. Without TensorFlow (a JAX-only machine), :func:`standardize_text`,
   :class:`TextEncoder`, :func:`training_encoder` and :func:`encode_texts` do the same in
   pure Python, with identical token ids; :func:`training_vectorizer`,
   :func:`fit_vectorizer` and :func:`encoded_imdb` switch to them by themselves.
6. :func:`pad_sequences` pads or truncates to a rectangle ``(batch, time)``, and
   :func:`lm_pairs` cuts token streams into ``(input, target)`` windows shifted by one
   token for language modeling (:func:`bidirectional_lm_pairs` adds the previous token
   as a second target).

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
import re
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

from .files import atomic_write, write_json_atomic

VOCAB_SIZE = 20_000
"""Entries of the sentiment vocabulary, padding and OOV included (see the data-preparation chapter)."""
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
            (``TextVectorization`` passes a ``(batch,)`` or ``(batch, 1)`` tensor; on
            the JAX and torch backends a NumPy array of ``str``, answered with a string
            tensor of the same shape).

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
    if not tensorflow_available():  # the pure-Python twin, identical output (tests/test_backends.py)
        if isinstance(texts, str):
            return standardize_text(texts)
        if isinstance(texts, (list, tuple)) and all(isinstance(t, str) for t in texts):
            return [standardize_text(t) for t in texts]
        if isinstance(texts, np.ndarray) and texts.dtype.kind == "U":
            return np.vectorize(standardize_text, otypes=[str])(texts) if texts.size else texts
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
    if isinstance(texts, np.ndarray) and texts.dtype.kind in "US":
        # TextVectorization on the JAX and torch backends hands its standardize callable
        # a NumPy array of str; return the string tensor of the same shape it accepts.
        return _standardize_tf(tf.constant(texts))
    raise TypeError(
        f"texts must be a str, a list of str or a string tensor, got {type(texts).__name__}: {texts!r:.80}"
    )


# --------------------------------------------------------------------------- without TensorFlow

class _KeepWordCharacters(dict):
    """``str.translate`` table: letters, marks, digits and ``'`` stay, the rest becomes a space.

    Filled lazily (``__missing__``) from :func:`unicodedata.category`, the pure-Python
    counterpart of the ``[^\\p{L}\\p{M}\\p{N}']`` class of :func:`standardize`.
    """

    def __missing__(self, code: int) -> str:
        import unicodedata

        char = chr(code)
        self[code] = char if char == "'" or unicodedata.category(char)[0] in "LMN" else " "
        return self[code]


_KEEP = _KeepWordCharacters()
_BR = re.compile(r"<[ \t\n\f\r]*br[ \t\n\f\r]*/?[ \t\n\f\r]*>")  # RE2's \s is [\t\n\f\r ]
_APOSTROPHES = re.compile(r" '+|'+ ")


def standardize_text(text: str) -> str:
    """:func:`standardize` for one string in pure Python (no TensorFlow), with identical output.

    Lowercase (Unicode, as ``tf.strings.lower``), ``<br />`` tags and every character
    that is not a letter, a combining mark, a digit or an apostrophe become spaces, an
    apostrophe survives only inside a word, whitespace collapses to single spaces.
    ``tests/test_backends.py`` checks it against the TensorFlow path on real reviews.
    (One difference, absent from IMDB: the TensorFlow path ends a string at a NUL
    character ``"\\x00"``; here it separates words like any control character.)

    Example:
        >>> standardize_text("A <br />GREAT film... isn't it?")
        "a great film isn't it"
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}: {text!r:.80}")
    text = _BR.sub(" ", text.lower()).translate(_KEEP)
    text = _APOSTROPHES.sub(" ", f" {text} ")
    text = _APOSTROPHES.sub(" ", text)
    return " ".join(w for w in text.split(" ") if w)


def encode_texts(vocabulary: Sequence[str], texts: Sequence[str]) -> list:
    """Encode strings with a vocabulary in pure Python: the same ids as the vectorizer.

    Args:
        vocabulary: the full vocabulary, ``["", "[UNK]", "the", ...]`` as
            :func:`vocabulary` returns it (index = token id).
        texts: strings.

    Returns:
        ``[int32 array of shape (time_i,)]``, one per text; words outside the vocabulary
        become :data:`OOV`. Equal to ``encode(make_vectorizer(vocabulary[2:]), texts)``.

    Example:
        >>> encode_texts(vocabulary(training_vectorizer()), ["A great film!"])
    """
    return TextEncoder(vocabulary).encode(texts)


class TextEncoder:
    """The vectorizer without TensorFlow: :func:`standardize_text`, whitespace split, lookup.

    It answers the parts of the ``TextVectorization`` interface the package uses
    (``get_vocabulary()`` and calling it on a list of strings), so :func:`encode`,
    :func:`encoded_imdb`, :func:`vocabulary` and :func:`vocabulary_hash` accept it, on
    every Keras backend.

    Args:
        vocabulary: the full vocabulary, starting with ``""`` (padding) and ``"[UNK]"``.

    Call arguments:
        texts: a list of strings.

    Returns (call):
        ``int32`` array ``(batch, time)``, padded with 0 after the tokens to the longest.

    Example:
        >>> encoder = TextEncoder(["", "[UNK]", "the", "film"])
        >>> encoder(["The film", "a film"])
        array([[2, 3], [1, 3]], dtype=int32)
    """

    def __init__(self, vocabulary: Sequence[str]):
        if isinstance(vocabulary, str) or not isinstance(vocabulary, Sequence):
            raise TypeError(f"vocabulary must be a list of strings, got {type(vocabulary).__name__}")
        words = [str(w) for w in vocabulary]
        if words[:2] != ["", "[UNK]"]:
            raise ValueError(
                f"vocabulary must start with the padding '' and OOV '[UNK]' entries, got {words[:2]!r}; "
                "pass vocabulary(vectorizer), not get_vocabulary()[2:]"
            )
        self.words = words
        self.index = {w: i for i, w in enumerate(words) if i >= 2}

    def get_vocabulary(self) -> list[str]:
        """The vocabulary, as ``TextVectorization.get_vocabulary()`` returns it."""
        return list(self.words)

    def encode(self, texts: Sequence[str]) -> list:
        """``[int32 array (time_i,)]`` for ``texts``, without padding."""
        if isinstance(texts, str):
            raise TypeError("texts must be a list of strings, got a single str; wrap it in a list")
        index, out = self.index, []
        for text in texts:
            out.append(np.fromiter((index.get(w, OOV) for w in standardize_text(text).split(" ") if w),
                                   dtype=np.int32))
        return out

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        return pad_sequences(self.encode(list(texts)), padding="post") if len(texts) else np.zeros((0, 0), np.int32)


def _check_int(name: str, value, low: int, what: str, none: bool = False) -> Optional[int]:
    """Return ``value`` as a Python ``int`` if it is an integer ``>= low``, else raise.

    NumPy integers (``np.int64(5)``) are accepted like Python ints; bools, floats and
    strings are not (``TypeError``), nor are integers below ``low`` (``ValueError``).
    ``what`` completes the message: ``"{name} must be {what}, got ..."``.
    """
    if value is None and none:
        return None
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be {what}, got {type(value).__name__} {value!r:.60}")
    if value < low:
        raise ValueError(f"{name} must be {what}, got {value!r}")
    return int(value)


def count_vocabulary(texts: Sequence[str], max_tokens: int = VOCAB_SIZE) -> list[str]:
    """The ``max_tokens - 2`` commonest words of ``texts`` in pure Python, as ``adapt`` finds them.

    Words are sorted by count, ties broken by the words' UTF-8 bytes (both descending),
    exactly as ``TextVectorization.adapt`` does, so the result equals
    ``fit_vectorizer(texts, max_tokens).get_vocabulary()[2:]``.

    Raises:
        TypeError: if ``texts`` is not a non-empty list of strings, or ``max_tokens`` is
            not an integer (NumPy integers are accepted, bools are not).
        ValueError: if ``max_tokens < 3`` (index 0 is padding, 1 is OOV, so fewer
            leaves no room for a word).
    """
    from collections import Counter

    if isinstance(texts, str) or not isinstance(texts, Sequence) or not texts:
        raise TypeError(f"texts must be a non-empty list of review strings, got {type(texts).__name__}")
    max_tokens = _check_int("max_tokens", max_tokens, 3, "an integer >= 3 (padding, OOV and at least one word)")
    counts = Counter()
    for text in texts:
        counts.update(w for w in standardize_text(text).split(" ") if w)
    counts.pop("[UNK]", None)
    ranked = sorted(counts.items(), key=lambda item: (item[1], item[0].encode("utf-8")), reverse=True)
    return [word for word, _ in ranked[: max_tokens - 2]]


def tensorflow_available() -> bool:
    """Whether TensorFlow can be imported (``TextVectorization`` needs it on every backend)."""
    import importlib.util
    import sys

    if "tensorflow" in sys.modules:
        return sys.modules["tensorflow"] is not None
    return importlib.util.find_spec("tensorflow") is not None


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

    max_tokens = _check_int("max_tokens", max_tokens, 3, "an integer >= 3 (padding, OOV and a word)")
    output_sequence_length = _check_int("output_sequence_length", output_sequence_length, 1,
                                        "a positive integer or None", none=True)
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

    Without TensorFlow it returns a :class:`TextEncoder` with the same vocabulary.
    """
    if isinstance(texts, str) or not isinstance(texts, Sequence) or not texts:
        raise TypeError(f"texts must be a non-empty list of review strings, got {type(texts).__name__}")
    if not tensorflow_available():
        return TextEncoder(["", "[UNK]"] + count_vocabulary(texts, max_tokens=max_tokens))
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
    rebuilt by fitting again. Without TensorFlow (``TextVectorization`` needs it on
    every backend) it returns :func:`training_encoder`: same vocabulary, same ids.
    """
    from .data import load_imdb

    if not tensorflow_available():
        return training_encoder(max_tokens, cache)
    path, settings, stored = _cached_vocabulary(max_tokens, cache)
    if stored is not None:
        return make_vectorizer(stored, max_tokens=max_tokens)
    vectorizer = fit_vectorizer(load_imdb("train").texts, max_tokens=max_tokens)
    write_json_atomic(path, {"settings": settings, "vocabulary": vocabulary(vectorizer)[2:]})
    return vectorizer


def _cached_vocabulary(max_tokens: int, cache) -> tuple:
    """The vocabulary cache shared by both tokenizer paths.

    Returns ``(path, settings, words)``: the cache file keyed by the settings and the
    training data's checksum, and the stored words (without padding and OOV), or
    ``None`` when the file is missing, corrupt or stale (the caller refits and writes it).
    """
    settings = {"version": CACHE_VERSION, "max_tokens": max_tokens, "train": _data_checksum("train"),
                "standardize": _STANDARDIZE_ID}
    key = hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:16]
    path = cache_dir(cache) / f"vocabulary-{key}.json"
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        if stored["settings"] == settings and isinstance(stored["vocabulary"], list):
            return path, settings, stored["vocabulary"]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return path, settings, None


def training_encoder(max_tokens: int = VOCAB_SIZE, cache: "str | os.PathLike[str] | None" = None) -> "TextEncoder":
    """:func:`training_vectorizer` without TensorFlow: a :class:`TextEncoder`, same vocabulary, same ids.

    Reads the same cache file; when it is missing or stale, the vocabulary is counted in
    pure Python (:func:`count_vocabulary`, identical to ``adapt``) and cached. Works on
    every backend, with or without TensorFlow installed.
    """
    from .data import load_imdb

    path, settings, stored = _cached_vocabulary(max_tokens, cache)
    if stored is not None:
        return TextEncoder(["", "[UNK]"] + [str(w) for w in stored])
    words = count_vocabulary(load_imdb("train").texts, max_tokens=max_tokens)
    write_json_atomic(path, {"settings": settings, "vocabulary": words})
    return TextEncoder(["", "[UNK]"] + words)


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
        batch_size: texts vectorized at once, a positive integer (NumPy integers
            accepted).

    Returns:
        ``[array of shape (time_i,)]``; an empty text gives an empty array.

    Raises:
        TypeError: if ``texts`` is a single string, or ``batch_size`` is not an integer
            (a float or a bool).
        ValueError: if ``batch_size < 1``.
    """
    if isinstance(texts, str):
        raise TypeError("texts must be a list of strings, got a single str; wrap it in a list")
    batch_size = _check_int("batch_size", batch_size, 1, "a positive integer (texts vectorized at once)")
    if isinstance(vectorizer, TextEncoder):
        return vectorizer.encode(texts)
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
                and all(isinstance(a, np.ndarray) and a.ndim == 1 and a.dtype.kind in "iu"
                        for a in (flat, offsets, labels, ratings))
                and len(offsets) >= 1 and offsets[0] == 0 and offsets[-1] == len(flat)
                and np.all(np.diff(offsets) >= 0)
                and len(labels) == len(ratings) == len(offsets) - 1
            )
        if ok:
            return EncodedSplit(split, _split_flat(flat, offsets), labels, ratings)
    except Exception:  # noqa: BLE001 - an unreadable cache is stale, whatever NumPy raised
        # (a truncated zip, a garbled .npy header: tokenize.TokenError, SyntaxError, ...):
        # rebuild it below; a pickle is never loaded (allow_pickle=False).
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


def _check_labels(name: str, labels) -> np.ndarray:
    """``labels`` as a 1-D array of 0 and 1 (any integer or float dtype), or raise."""
    labels = np.asarray(labels)
    if labels.ndim != 1 or len(labels) < 2:
        raise ValueError(f"{name} must be a 1-D array of at least 2 labels, got shape {labels.shape}")
    if labels.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold the labels 0 and 1 as numbers, got dtype {labels.dtype}")
    bad = ~np.isin(labels, (0, 1))
    if bad.any():
        where = np.flatnonzero(bad)
        raise ValueError(
            f"{name} must hold only the labels 0 (negative) and 1 (positive), got {labels[where[0]].item()!r} at index "
            f"{where[0]} ({len(where)} of {len(labels)} labels are neither 0 nor 1); pass the .labels of load_imdb('train') or load_imdb('test')"
        )
    return labels


def _check_groups(groups, n: int) -> np.ndarray:
    """Integer codes ``(n,)`` for ``groups`` (one id per training review), or raise."""
    if isinstance(groups, (str, bytes)):
        raise TypeError(f"groups must be an array of group ids, one per training review, got a single {type(groups).__name__}")
    groups = np.asarray(groups)
    if groups.dtype.kind == "O" and groups.ndim == 1 and all(isinstance(g, str) for g in groups):
        groups = groups.astype(str)
    if groups.dtype.kind not in "iuUS":
        raise TypeError(
            f"groups must hold integer or string ids (e.g. the movie ids of load_movies('train')), got dtype {groups.dtype}"
        )
    if groups.ndim != 1 or len(groups) != n:
        raise ValueError(
            f"groups must give one group per training review, aligned with train_labels: expected shape ({n},), "
            f"got {groups.shape}; pass load_movies('train') for the labels of load_imdb('train')"
        )
    return np.unique(groups, return_inverse=True)[1].reshape(-1)


def _class_targets(labels: np.ndarray, indices: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The classes of ``labels[indices]`` and how many of each a stratified take of ``n`` gets."""
    classes, counts = np.unique(labels[indices], return_counts=True)
    targets, remaining = [], n
    for i, count in enumerate(counts):
        k = remaining if i == len(classes) - 1 else int(round(n * count / len(indices)))
        k = min(k, int(count))
        remaining -= k
        targets.append(k)
    return classes, np.asarray(targets, dtype=np.int64)


def _grouped_take(labels: np.ndarray, codes: np.ndarray, indices: np.ndarray, n: int,
                  rng) -> tuple[np.ndarray, np.ndarray]:
    """Split ``indices`` into (taken, rest) by whole groups, about ``n`` taken, label shares kept.

    The target is the count per label a stratified take of ``n`` would get. The groups
    are visited in a random order, and a group is taken when it brings the taken count
    per label closer to the target (L1 distance); then single groups are added or put
    back, best first, while that still brings it closer. No group is split, and the
    size and label shares end at or next to the target.
    """
    classes, targets = _class_targets(labels, indices, n)
    _, local = np.unique(codes[indices], return_inverse=True)
    local = local.reshape(-1)
    per_group = np.zeros((local.max() + 1, len(classes)), dtype=np.int64)
    np.add.at(per_group, (local, np.searchsorted(classes, labels[indices])), 1)
    taken = np.zeros(len(per_group), dtype=bool)
    have = np.zeros(len(classes), dtype=np.int64)
    gap = int(np.abs(targets - have).sum())
    order = rng.permutation(len(per_group))
    for g in order:
        if gap == 0:
            break
        new_gap = int(np.abs(targets - have - per_group[g]).sum())
        if new_gap < gap:
            taken[g], have, gap = True, have + per_group[g], new_gap
    while gap > 0:  # each step lowers the integer gap, so this ends
        sign = np.where(taken[order], -1, 1)[:, None]
        gaps = np.abs(targets - have - sign * per_group[order]).sum(axis=1)
        best = int(np.argmin(gaps))  # ties: the first in the random order
        if gaps[best] >= gap:
            break
        g = order[best]
        have = have - per_group[g] if taken[g] else have + per_group[g]
        taken[g], gap = not taken[g], int(gaps[best])
    mask = taken[local]
    return np.sort(indices[mask]), np.sort(indices[~mask])


def make_splits(train_labels: np.ndarray, test_labels: np.ndarray, train_size: Optional[int] = None,
                test_size: Optional[int] = None, val_fraction: float = 0.2, seed: int = 1234,
                groups: Optional[np.ndarray] = None) -> Splits:
    """Choose the training, validation and test reviews of a run, stratified by label.

    Args:
        train_labels: labels of the training split (0 or 1), shape ``(25000,)``.
        test_labels: labels of the test split (0 or 1), shape ``(25000,)``.
        train_size: training reviews used (fit + validation), an integer from 2 to
            ``len(train_labels)``; ``None`` for all.
        test_size: test reviews evaluated, from 2 to ``len(test_labels)``; ``None`` for all.
        val_fraction: share of the used training reviews held out for validation,
            a float strictly between 0 and 1; both parts must get at least one review.
        seed: a non-negative integer; the subsampling and the split are a function of
            the seed only.
        groups: ``None`` (a review-level split), or one group id per training review,
            aligned with ``train_labels`` (e.g. :func:`rnn_tutorial.data.load_movies`
            ``("train")``, the movie of each review). Then whole groups go to
            validation, so no group (movie) has reviews in both training and
            validation: the groups present among the used reviews are visited in a
            random order, and each one is taken for validation when it brings the
            validation count per label closer to the stratified target (then single
            groups are added or put back while that helps). The validation size and
            label shares are therefore at or near, not always exactly, those of
            ``groups=None``. The used reviews and the test reviews are those of
            ``groups=None`` with the same seed.

    Integer arguments accept NumPy integers (``np.int64(5)``), never bools.

    Returns:
        :class:`Splits` of sorted indices; ``train`` and ``val`` are disjoint.

    Raises:
        TypeError: for an argument of the wrong type (a float or bool size or seed, a
            non-float ``val_fraction``, labels or groups that are not numbers or ids).
        ValueError: for labels other than 0 and 1, a wrong shape, sizes out of range,
            a ``val_fraction`` that leaves the training or the validation part empty
            (the message says how many reviews each would get), or groups that cannot
            be split (a single group, or groups all larger than the validation part).
    """
    train_labels = _check_labels("train_labels", train_labels)
    test_labels = _check_labels("test_labels", test_labels)
    if isinstance(val_fraction, (bool, np.bool_)) or not isinstance(val_fraction, (float, np.floating)):
        raise TypeError(f"val_fraction must be a float strictly between 0 and 1, got {type(val_fraction).__name__} {val_fraction!r:.60}")
    if not 0.0 < val_fraction < 1.0:
        raise ValueError(f"val_fraction must be a float strictly between 0 and 1, got {val_fraction!r}")
    val_fraction = float(val_fraction)
    sizes = {}
    for name, size, total in (("train_size", train_size, len(train_labels)), ("test_size", test_size, len(test_labels))):
        what = f"None or an integer between 2 and {total}"
        size = _check_int(name, size, 2, what, none=True)
        if size is not None and size > total:
            raise ValueError(f"{name} must be {what}, got {size!r}")
        sizes[name] = size
    train_size, test_size = sizes["train_size"], sizes["test_size"]
    seed = _check_int("seed", seed, 0, "a non-negative integer")
    codes = None if groups is None else _check_groups(groups, len(train_labels))
    n_used = len(train_labels) if train_size is None else train_size
    n_val = max(1, int(round(val_fraction * n_used)))
    if n_val >= n_used:
        raise ValueError(
            f"val_fraction={val_fraction} of {n_used} training reviews (train_size={train_size}) gives "
            f"{n_used - n_val} reviews to training and {n_val} to validation; both need at least one: "
            "lower val_fraction or use more training reviews"
        )
    rng = np.random.default_rng(seed)
    used = np.arange(len(train_labels))
    if train_size is not None and train_size < len(train_labels):
        used, _ = _stratified_take(train_labels, used, train_size, rng)
    val, train = _stratified_take(train_labels, used, n_val, rng)
    test = np.arange(len(test_labels))
    if test_size is not None and test_size < len(test_labels):
        test, _ = _stratified_take(test_labels, test, test_size, rng)
    if codes is not None:  # drawn after the rest, so used and test stay those of groups=None
        val, train = _grouped_take(train_labels, codes, used, n_val, rng)
        if len(val) == 0 or len(train) == 0:
            n_groups = len(np.unique(codes[used]))
            raise ValueError(
                f"cannot split {len(used)} training reviews in {n_groups} group{'s' * (n_groups != 1)} by group for "
                f"val_fraction={val_fraction}: whole groups give {len(train)} reviews to training and {len(val)} "
                f"to validation (target {n_val}); use more training reviews, more groups, or groups=None"
            )
    return Splits(train=train, val=val, test=test)


def profile_splits(profile, train_labels: np.ndarray, test_labels: np.ndarray, seed: int = 1234,
                   groups: Optional[np.ndarray] = None) -> Splits:
    """:func:`make_splits` with a :class:`~rnn_tutorial.profiles.Profile`'s sizes.

    ``groups`` (e.g. ``load_movies("train")``) is passed on: with it, no group has reviews
    in both training and validation.
    """
    return make_splits(train_labels, test_labels, train_size=profile.train_size, test_size=profile.test_size,
                       val_fraction=profile.val_fraction, seed=seed, groups=groups)


# --------------------------------------------------------------------------- padding

def _tokens(name: str, index: int, sequence) -> np.ndarray:
    """Return one sequence of token indices as a 1-D ``int32`` array, or raise.

    Token indices are non-negative integers: floats (``1.5`` would be cut to ``1``),
    negative values, strings and nested sequences are refused, naming the sequence.
    """
    if isinstance(sequence, (str, bytes)):
        raise TypeError(f"{name}[{index}] must be a 1-D sequence of integer token indices, got {type(sequence).__name__} {sequence!r:.60}")
    array = np.asarray(sequence)
    if array.size == 0:
        return np.zeros(0, np.int32)
    if array.ndim != 1:
        raise ValueError(f"{name}[{index}] must be 1-D (time,), got shape {array.shape}")
    if array.dtype.kind not in "iu":
        raise TypeError(
            f"{name}[{index}] must hold integer token indices, got dtype {array.dtype} "
            f"(first value {array[0]!r}); encode texts with encode() first"
        )
    if array.min() < 0 or array.max() > np.iinfo(np.int32).max:
        bad = array[(array < 0) | (array > np.iinfo(np.int32).max)][0]
        raise ValueError(f"{name}[{index}] holds token index {bad}, outside the vocabulary's range [0, 2**31); token indices are >= 0")
    return array.astype(np.int32, copy=False)


def _check_padding(name: str, value: str) -> None:
    if value not in _PADDINGS:
        raise ValueError(f"{name} must be 'pre' or 'post', got {value!r}")


def truncate(sequence: np.ndarray, max_len: Optional[int], truncating: str = "post") -> np.ndarray:
    """Keep at most ``max_len`` tokens: the first ones (``"post"``) or the last (``"pre"``)."""
    _check_padding("truncating", truncating)
    max_len = _check_int("max_len", max_len, 1, "a positive integer or None", none=True)
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
    max_len = _check_int("max_len", max_len, 1, "a positive integer or None", none=True)
    int32 = np.iinfo(np.int32)
    value = _check_int("value", value, int32.min, f"an integer token index (the padding, default {PAD})")
    if value > int32.max:
        raise ValueError(f"value must be an integer token index that fits int32 (<= {int32.max}), got {value}")
    rows = [truncate(_tokens("sequences", i, s), max_len, truncating) for i, s in enumerate(sequences)]
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

def _lm_chunks(sequences: Sequence, length: int, max_windows: Optional[int], seed: int) -> np.ndarray:
    """Concatenate ``sequences`` and cut the stream into ``(n, length)`` consecutive chunks."""
    max_windows = _check_int("max_windows", max_windows, 1, "a positive integer or None", none=True)
    stream = np.concatenate([_tokens("sequences", i, s) for i, s in enumerate(sequences)]) if len(sequences) else np.zeros(0, np.int32)
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
    window = _check_int("window", window, 1, "a positive integer")
    vocab_size = _check_int("vocab_size", vocab_size, 3, "an integer >= 3")
    if input_vocab_size is None:
        return window, vocab_size, vocab_size
    input_vocab_size = _check_int("input_vocab_size", input_vocab_size, vocab_size,
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

REST_VOCAB_SIZE = 5_000
"""Words a rest-of-review model predicts: the most frequent ``REST_VOCAB_SIZE`` entries of
the sentiment vocabulary (padding and OOV included, never predicted)."""


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
    vocab_size = _check_int("vocab_size", vocab_size, 3, "an integer >= 3")
    min_len = _check_int("min_len", min_len, 2, "an integer >= 2")
    truncate(np.zeros(0, np.int32), max_len)            # checks max_len before any work
    inputs, targets = [], []
    for i, sequence in enumerate(sequences):
        tokens = _tokens("sequences", i, sequence).astype(np.int32)
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
