"""From review strings to integer sequences: standardization, vocabulary, encoding, caching.

The book's text pipeline, used by every chapter from the data preparation chapter on:

1. :func:`standardize` lowercases, replaces the ``<br />`` tags and punctuation by spaces.
2. :func:`training_vectorizer` returns a ``keras.layers.TextVectorization`` whose
   vocabulary (``VOCAB_SIZE`` entries, index 0 for padding and 1 for out-of-vocabulary
   words) is fitted on the 25,000 *training* reviews only, in every profile, so the
   validation and test reviews are encoded with the training vocabulary.
3. :func:`encoded_imdb` encodes a whole split once and caches the ragged result under
   ``build/cache/`` (atomically, keyed by the vocabulary, the settings and the data
   checksums), so later chapters do not tokenize again.
4. Without TensorFlow (a JAX-only machine), :func:`standardize_text`,
   :class:`TextEncoder`, :func:`training_encoder` and :func:`encode_texts` do the same in
   pure Python, with identical token ids; :func:`training_vectorizer`,
   :func:`fit_vectorizer` and :func:`encoded_imdb` switch to them by themselves.

Which reviews a run uses is :mod:`rnn_tutorial.splits`; padding and batching,
:mod:`rnn_tutorial.pipeline`; language-model windows and rest-of-review pairs,
:mod:`rnn_tutorial.tasks`.

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
from typing import Optional, Sequence

import numpy as np

from .files import atomic_write, write_json_atomic
from .paths import cache_dir

from .tokens import LM_VOCAB_SIZE, OOV, PAD, REST_VOCAB_SIZE, VOCAB_SIZE  # noqa: F401 (re-exported)
from .validation import check_count, check_texts

CACHE_VERSION = 1


# --------------------------------------------------------------------------- standardize

def _standardize_tf(texts):
    import tensorflow as tf

    # tf.strings.lower with an encoding ends a string at a NUL ("\x00bad" -> ""): make it a space first
    texts = tf.strings.lower(tf.strings.regex_replace(texts, r"\x00", " "), encoding="utf-8")
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
        texts = check_texts("texts", texts)
        if not texts:
            return []
        return [t.decode("utf-8") for t in _standardize_tf(tf.constant(texts)).numpy().tolist()]
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
    ``tests/test_backends.py`` checks it against TensorFlow on real reviews and odd text.
    Equal up to the Unicode tables: a code point Python's and TensorFlow's Unicode
    versions classify differently (a letter in one, unassigned in the other) differs.

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
        index, out = self.index, []
        for text in check_texts("texts", texts):
            out.append(np.fromiter((index.get(w, OOV) for w in standardize_text(text).split(" ") if w),
                                   dtype=np.int32))
        return out

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        from .pipeline import pad_sequences

        rows = self.encode(texts)
        return pad_sequences(rows, padding="post") if rows else np.zeros((0, 0), np.int32)




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

    texts = check_texts("texts", texts, non_empty=True)
    max_tokens = check_count("max_tokens", max_tokens, 3, "an integer >= 3 (padding, OOV and at least one word)")
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

    max_tokens = check_count("max_tokens", max_tokens, 3, "an integer >= 3 (padding, OOV and a word)")
    output_sequence_length = check_count("output_sequence_length", output_sequence_length, 1,
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

    Raises:
        TypeError: ``texts`` is not a non-empty list of strings.
        ValueError: no text holds a word once standardized.
    """
    texts = check_texts("texts", texts, non_empty=True)
    if not tensorflow_available():
        vectorizer = TextEncoder(["", "[UNK]"] + count_vocabulary(texts, max_tokens=max_tokens))
    else:
        import tensorflow as tf

        vectorizer = make_vectorizer(max_tokens=max_tokens)
        vectorizer.adapt(tf.data.Dataset.from_tensor_slices(texts).batch(512))
    if len(vectorizer.get_vocabulary()) <= 2:
        raise ValueError(f"texts hold no words once standardized (all {len(texts)} are empty, markup, punctuation or "
                         "symbols), so the vocabulary would be only padding and OOV; fit on real reviews")
    return vectorizer


def _data_checksum(split: str) -> str:
    from .data import data_dir, read_checksums

    return read_checksums(data_dir())[f"{split}.jsonl.xz"]


def training_vectorizer(max_tokens: int = VOCAB_SIZE, cache: "str | os.PathLike[str] | None" = None):
    """Return the vectorizer fitted on all 25,000 training reviews, from the cache if valid.

    The vocabulary is written to ``build/cache/vocabulary-<key>.json`` with ``key`` a hash
    of the training data checksum and the settings; a missing or unreadable file, or one
    whose words could not come from fitting (see :func:`_cached_vocabulary`), is rebuilt
    by fitting again. Without TensorFlow (``TextVectorization`` needs it on
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
    Corrupt includes valid JSON whose words fitting never gives (:func:`_valid_words`).
    """
    settings = {"version": CACHE_VERSION, "max_tokens": max_tokens, "train": _data_checksum("train"),
                "standardize": _STANDARDIZE_ID}
    key = hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:16]
    path = cache_dir(cache) / f"vocabulary-{key}.json"
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        if stored["settings"] == settings and _valid_words(stored["vocabulary"], max_tokens):
            return path, settings, stored["vocabulary"]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return path, settings, None


def _valid_words(words: object, max_tokens: int) -> bool:
    """Whether ``words`` could be a fitted vocabulary without its padding and OOV entries.

    Fitting (``adapt`` or :func:`count_vocabulary`) gives a list of at most
    ``max_tokens - 2`` distinct words of standardized text: non-empty strings without
    whitespace, never the reserved ``""`` (padding) or ``"[UNK]"`` (OOV).
    """
    if not isinstance(words, list) or len(words) > max_tokens - 2:
        return False
    if not all(type(w) is str and w != "[UNK]" and w.split() == [w] for w in words):
        return False
    return len(set(words)) == len(words)


def training_encoder(max_tokens: int = VOCAB_SIZE, cache: "str | os.PathLike[str] | None" = None) -> "TextEncoder":
    """:func:`training_vectorizer` without TensorFlow: a :class:`TextEncoder`, same vocabulary, same ids.

    Reads the same cache file; when it is missing, corrupt or stale, the vocabulary is counted in
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

def _check_untruncated(vectorizer) -> None:
    """Refuse a vectorizer that pads or truncates every output to a fixed length."""
    # get_config() reports the same value, but copies the whole vocabulary to do so.
    length = getattr(vectorizer, "_output_sequence_length", None)
    if length is not None:
        raise ValueError(
            f"vectorizer has output_sequence_length={length}: it cuts every review to {length} tokens, "
            "so the encoding would not be the review's own sequence; pass a vectorizer with "
            "output_sequence_length=None (training_vectorizer(), or make_vectorizer(vocabulary(vectorizer)[2:], "
            "max_tokens=...)) and cut or pad afterwards with rnn_tutorial.pipeline.pad_sequences(..., max_len=...)"
        )


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
        ValueError: if ``batch_size < 1``, or the vectorizer has an
            ``output_sequence_length`` (it would truncate the reviews).
    """
    texts = check_texts("texts", texts)
    batch_size = check_count("batch_size", batch_size, 1, "a positive integer (texts vectorized at once)")
    _check_untruncated(vectorizer)
    if isinstance(vectorizer, TextEncoder):
        return vectorizer.encode(texts)
    out = []
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

    Raises:
        ValueError: for a split other than ``"train"`` or ``"test"``, or a vectorizer
            with an ``output_sequence_length`` (refused before the cache is read, since
            the key does not record it; see :func:`encode`).
    """
    from .data import load_imdb

    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test', got {split!r}")
    _check_untruncated(vectorizer)
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
