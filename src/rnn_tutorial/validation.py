"""Argument checks shared by the package: one wording for every refusal.

The package's error rule (see :mod:`rnn_tutorial.scratch`): a :class:`TypeError` for an
argument of the wrong kind, a :class:`ValueError` for the right kind with a wrong value,
and every message names the argument, what was received, what is accepted and what to
do, in the spirit of scikit-learn's ``check_scalar``.

Each checker returns the value in a canonical form (a Python ``int``, a Python
``float``, a 1-D NumPy array...), so a caller writes ``units = check_int("units", units,
min=1)`` and goes on with a clean value.

This module is a leaf: it imports only the standard library and NumPy, never another
module of the package, so every module can use it.

Example:
    >>> check_int("units", 64, min=1)
    64
    >>> check_int("units", 0, min=1)
    Traceback (most recent call last):
    ...
    ValueError: units must be a positive integer, got 0; use 1 or more
    >>> check_float("learning_rate", 1e-3, min=0, include_min=False)
    0.001
    >>> check_labels("labels", [0, 1, 1]).tolist()
    [0, 1, 1]
"""

from __future__ import annotations

import difflib
import math
import numbers
from typing import Any, Iterable, Optional

import numpy as np

__all__ = [
    "check_choice",
    "check_float",
    "check_int",
    "check_labels",
    "check_path_component",
    "check_probabilities",
    "check_token_ids",
]


# --------------------------------------------------------------------------- helpers

def _show(value: Any) -> str:
    """``repr`` of a value, NumPy scalars shown as plain Python numbers (``2``, not ``np.int64(2)``)."""
    if isinstance(value, np.generic):
        value = value.item()
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _kind(value: Any) -> str:
    """``"<type> <value>"`` for messages about a wrong type, e.g. ``"float 2.5"``."""
    return f"{type(value).__name__} {_show(value)}"


def _scalar(value: Any) -> Any:
    """A 0-d array (NumPy, or a tensor with ``__array__``) as its Python scalar; anything else unchanged."""
    if isinstance(value, (bool, str, bytes)) or isinstance(value, numbers.Number):
        return value
    if isinstance(value, np.ndarray) or hasattr(value, "__array__"):
        try:
            array = np.asarray(value)
        except Exception:  # noqa: BLE001 - an object NumPy cannot read stays as it is
            return value
        if array.shape == () and array.dtype.kind in "iuf":
            return array.item()
    return value


def _number_text(x: float) -> str:
    return str(int(x)) if float(x).is_integer() and abs(x) < 1e15 else repr(float(x))


def _int_range(low: Optional[int], high: Optional[int]) -> str:
    if low is None and high is None:
        return "an integer"
    if high is None:
        return {1: "a positive integer", 0: "a non-negative integer"}.get(low, f"an integer >= {low}")
    if low is None:
        return f"an integer <= {high}"
    return f"an integer from {low} to {high}"


def _float_range(low: Optional[float], high: Optional[float], include_low: bool, include_high: bool) -> str:
    if low is None and high is None:
        return "a finite number"
    if high is None:
        if low == 0 and not include_low:
            return "a positive finite number"
        return f"a finite number {'>=' if include_low else '>'} {_number_text(low)}"
    if low is None:
        return f"a finite number {'<=' if include_high else '<'} {_number_text(high)}"
    return (f"a finite number in {'[' if include_low else '('}{_number_text(low)}, "
            f"{_number_text(high)}{']' if include_high else ')'}")


def _with_hint(message: str, hint: Optional[str]) -> str:
    return f"{message} ({hint})" if hint else message


# --------------------------------------------------------------------------- scalars

def check_int(name: str, value: Any, *, min: Optional[int] = None, max: Optional[int] = None,
              hint: Optional[str] = None) -> int:
    """Check that ``value`` is an integer in ``[min, max]`` and return it as a Python ``int``.

    Python and NumPy integers (and 0-d integer arrays) are accepted; ``bool`` (an ``int``
    subclass), floats, even whole ones such as ``2.0``, and strings are refused.

    Args:
        name: the argument's name, for the message.
        value: the value received.
        min, max: inclusive bounds; ``None`` for none.
        hint: optional words appended to a ``ValueError``, e.g. what the number means.

    Raises:
        TypeError: ``value`` is not an integer.
        ValueError: ``value`` is outside ``[min, max]``.

    Example:
        >>> check_int("batch_size", np.int64(32), min=1)
        32
        >>> check_int("batch_size", 32.0, min=1)
        Traceback (most recent call last):
        ...
        TypeError: batch_size must be a positive integer, got float 32.0; pass 32 (an int), not a float
        >>> check_int("steps", True, min=1)
        Traceback (most recent call last):
        ...
        TypeError: steps must be a positive integer, got bool True; pass a number such as 1, not True or False
        >>> check_int("epoch", -1, min=0)
        Traceback (most recent call last):
        ...
        ValueError: epoch must be a non-negative integer, got -1; use 0 or more
    """
    accepted = _int_range(min, max)
    value = _scalar(value)
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be {accepted}, got {_kind(value)}; pass a number such as "
                        f"{1 if min is None or min <= 1 else min}, not True or False")
    if not isinstance(value, numbers.Integral):
        if isinstance(value, numbers.Real) and math.isfinite(value) and float(value).is_integer():
            fix = f"pass {int(value)} (an int), not a float"
        elif isinstance(value, numbers.Real):
            fix = "pass a whole number as an int"
        elif isinstance(value, str):
            fix = "convert the string with int() first"
        else:
            fix = "pass a Python int or a NumPy integer"
        raise TypeError(f"{name} must be {accepted}, got {_kind(value)}; {fix}")
    number = int(value)
    if min is not None and number < min:
        raise ValueError(_with_hint(f"{name} must be {accepted}, got {number}; use {min} or more", hint))
    if max is not None and number > max:
        raise ValueError(_with_hint(f"{name} must be {accepted}, got {number}; use {max} or less", hint))
    return number


def check_float(name: str, value: Any, *, min: Optional[float] = None, max: Optional[float] = None,
                include_min: bool = True, include_max: bool = True, hint: Optional[str] = None) -> float:
    """Check that ``value`` is a finite real number within the bounds and return it as a ``float``.

    Python and NumPy integers and floats (and 0-d arrays of them) are accepted; ``bool``,
    strings, NaN and infinities are refused.

    Args:
        name: the argument's name, for the message.
        value: the value received.
        min, max: the bounds; ``None`` for none.
        include_min, include_max: whether the bound itself is allowed (default ``True``);
            ``min=0, include_min=False`` means "positive".
        hint: optional words appended to a ``ValueError``.

    Raises:
        TypeError: ``value`` is not a real number.
        ValueError: ``value`` is NaN, infinite or outside the bounds.

    Example:
        >>> check_float("dropout", 0.5, min=0, max=1, include_max=False)
        0.5
        >>> check_float("temperature", 0, min=0, include_min=False)
        Traceback (most recent call last):
        ...
        ValueError: temperature must be a positive finite number, got 0; use a value > 0
        >>> check_float("learning_rate", float("nan"), min=0, include_min=False)
        Traceback (most recent call last):
        ...
        ValueError: learning_rate must be a positive finite number, got nan; pass a finite number
        >>> check_float("C", "1.0")
        Traceback (most recent call last):
        ...
        TypeError: C must be a finite number, got str '1.0'; convert the string with float() first
    """
    accepted = _float_range(min, max, include_min, include_max)
    value = _scalar(value)
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be {accepted}, got {_kind(value)}; pass a number, not True or False")
    if not isinstance(value, numbers.Real):
        fix = "convert the string with float() first" if isinstance(value, str) else "pass an int or a float"
        raise TypeError(f"{name} must be {accepted}, got {_kind(value)}; {fix}")
    number = float(value)
    shown = _show(value)
    if not math.isfinite(number):
        raise ValueError(_with_hint(f"{name} must be {accepted}, got {shown}; pass a finite number", hint))
    if min is not None and (number < min or (number == min and not include_min)):
        bound = f"{'>=' if include_min else '>'} {_number_text(min)}"
        raise ValueError(_with_hint(f"{name} must be {accepted}, got {shown}; use a value {bound}", hint))
    if max is not None and (number > max or (number == max and not include_max)):
        bound = f"{'<=' if include_max else '<'} {_number_text(max)}"
        raise ValueError(_with_hint(f"{name} must be {accepted}, got {shown}; use a value {bound}", hint))
    return number


def check_choice(name: str, value: Any, choices: Iterable[Any]) -> Any:
    """Check that ``value`` is one of ``choices`` and return it.

    A value of another type than every choice (a number where names are expected) is a
    :class:`TypeError`; an unknown value of the right type a :class:`ValueError`, with
    the closest choice suggested for a misspelled name.

    Example:
        >>> check_choice("cell", "gru", ("lstm", "gru"))
        'gru'
        >>> check_choice("cell", "grus", ("lstm", "gru"))
        Traceback (most recent call last):
        ...
        ValueError: cell must be one of 'lstm', 'gru', got 'grus'; did you mean 'gru'?
        >>> check_choice("cell", 2, ("lstm", "gru"))
        Traceback (most recent call last):
        ...
        TypeError: cell must be one of 'lstm', 'gru', got int 2; pass one of these strings
    """
    options = tuple(choices)
    if not options:
        raise ValueError(f"choices for {name} must not be empty")
    listing = ", ".join(_show(c) for c in options)
    def kind(x):
        return bool if isinstance(x, (bool, np.bool_)) else str if isinstance(x, str) else object

    for option in options:
        if kind(value) is not kind(option):      # True is not 1, and "1" is not 1
            continue
        try:
            equal = value == option
        except Exception:  # noqa: BLE001 - values that cannot be compared are "not this choice"
            continue
        if isinstance(equal, (bool, np.bool_)) and equal:
            return option
    if kind(value) not in {kind(c) for c in options}:
        what = {str: "these strings", bool: "True or False"}.get(kind(options[0]), "these values")
        raise TypeError(f"{name} must be one of {listing}, got {_kind(value)}; pass one of {what}")
    close = []
    if isinstance(value, str):
        names = [c for c in options if isinstance(c, str)]
        close = [c for c in names if c.lower() == value.strip().lower()] or difflib.get_close_matches(value, names, n=1)
    fix = f"did you mean {close[0]!r}?" if close else "pick one of them"
    raise ValueError(f"{name} must be one of {listing}, got {_show(value)}; {fix}")


# --------------------------------------------------------------------------- arrays of labels and probabilities

def _vector(name: str, array: Any, n: Optional[int], what: str) -> np.ndarray:
    """``array`` as a 1-D numeric NumPy array of ``n`` entries (``(n, 1)`` is flattened)."""
    if array is None or isinstance(array, (str, bytes, dict, set)) or isinstance(array, (numbers.Number, np.generic)):
        raise TypeError(f"{name} must be a 1-D array of {what}, got {_kind(array)}; pass an array or list of shape (n,)")
    try:
        values = np.asarray(array)
    except Exception as err:  # noqa: BLE001 - ragged lists and the like
        raise TypeError(f"{name} must be a 1-D array of {what}, got {type(array).__name__} that NumPy cannot "
                        f"convert ({err})") from err
    if values.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be a 1-D array of {what}, got an array of dtype {values.dtype}; "
                        "convert it to numbers first")
    if values.ndim == 2 and values.shape[1] == 1:      # a model's (n, 1) output
        values = values[:, 0]
    if values.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array of {what}, shape (n,) or (n, 1), got shape {values.shape}; "
                         "flatten it with .reshape(-1) if that is what you mean")
    if n is not None and len(values) != n:
        raise ValueError(f"{name} must hold {n} values (one per example), got {len(values)}; "
                         "pass the array that belongs to the same examples")
    return values


def check_probabilities(name: str, array: Any, n: Optional[int] = None) -> np.ndarray:
    """Check that ``array`` holds finite probabilities in ``[0, 1]``; return them as 1-D ``float64``.

    Args:
        name: the argument's name, for the message.
        array: shape ``(n,)`` or ``(n, 1)`` (a model's output); a bool array is 0/1.
        n: the number of entries required, or ``None`` for any.

    Raises:
        TypeError: not an array of numbers.
        ValueError: a wrong shape or length, NaN or infinite entries, entries outside ``[0, 1]``.

    Example:
        >>> check_probabilities("probs", [[0.2], [0.9]]).tolist()
        [0.2, 0.9]
        >>> check_probabilities("probs", [0.2, 1.7])
        Traceback (most recent call last):
        ...
        ValueError: probs must hold probabilities in [0, 1], got 1.7 at index 1; if these are logits, apply a sigmoid first
    """
    values = _vector(name, array, n, "probabilities in [0, 1]").astype(np.float64)
    finite = np.isfinite(values)
    if not finite.all():
        i = int(np.flatnonzero(~finite)[0])
        raise ValueError(f"{name} must hold finite probabilities in [0, 1], got {values[i]} at index {i}; "
                         "remove or replace NaN and inf first")
    outside = (values < 0) | (values > 1)
    if outside.any():
        i = int(np.flatnonzero(outside)[0])
        raise ValueError(f"{name} must hold probabilities in [0, 1], got {_show(values[i])} at index {i}; "
                         "if these are logits, apply a sigmoid first")
    return values


def check_labels(name: str, array: Any, n: Optional[int] = None) -> np.ndarray:
    """Check that ``array`` holds binary labels, 0 or 1 only; return them as 1-D ``int64``.

    Integer and bool arrays are accepted, and float arrays whose entries are exactly
    0.0 or 1.0 (labels stored as floats). Anything else is refused rather than cast:
    ``astype(int)`` would silently turn a probability 0.7 into class 0, and a label 2 or
    -1 would be miscounted.

    Args:
        name: the argument's name, for the message.
        array: shape ``(n,)`` or ``(n, 1)``.
        n: the number of entries required, or ``None`` for any.

    Raises:
        TypeError: not an array of numbers.
        ValueError: a wrong shape or length, or an entry other than 0 and 1.

    Example:
        >>> check_labels("predicted", np.array([0.1, 0.8]) >= 0.5).tolist()
        [0, 1]
        >>> check_labels("predicted", [0.0, 0.7])
        Traceback (most recent call last):
        ...
        ValueError: predicted must hold class labels 0 or 1, got 0.7 at index 1; these look like probabilities: threshold them first, e.g. (probs >= 0.5).astype(int)
        >>> check_labels("labels", [0, 2])
        Traceback (most recent call last):
        ...
        ValueError: labels must hold class labels 0 or 1, got 2 at index 1; map the classes to 0 (negative) and 1 (positive) first
    """
    values = _vector(name, array, n, "class labels 0 or 1")
    if values.dtype.kind == "b":
        return values.astype(np.int64)
    bad = ~((values == 0) | (values == 1))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        x = values[i]
        if not np.isfinite(x):
            fix = "remove or replace NaN and inf first"
        elif values.dtype.kind == "f" and 0 < x < 1:
            fix = "these look like probabilities: threshold them first, e.g. (probs >= 0.5).astype(int)"
        else:
            fix = "map the classes to 0 (negative) and 1 (positive) first"
        raise ValueError(f"{name} must hold class labels 0 or 1, got {_show(x)} at index {i}; {fix}")
    return values.astype(np.int64)


# --------------------------------------------------------------------------- names on disk

def check_path_component(name: str, value: Any) -> str:
    """Check that ``value`` is one safe folder or file name and return it.

    Refused: anything but a ``str``; the empty string; a name with ``/`` or ``\\``
    (a path, not a name); ``.``, ``..`` and any name starting with ``.`` (hidden, or
    leaving the folder); control characters (NUL, newlines...).

    Example:
        >>> check_path_component("name", "sentiment_gru")
        'sentiment_gru'
        >>> check_path_component("name", "..")
        Traceback (most recent call last):
        ...
        ValueError: name must be a single folder or file name, got '..'; a name starting with '.' (hidden, or '..' leaving the folder) is refused: use letters, digits, '_' or '-', e.g. 'sentiment'
        >>> check_path_component("name", "a/b")
        Traceback (most recent call last):
        ...
        ValueError: name must be a single folder or file name, got 'a/b'; '/' and '\\' separate folders: pass one name such as 'a_b'
    """
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str naming one folder or file, got {_kind(value)}; pass a short name "
                        "such as 'sentiment'")
    start = f"{name} must be a single folder or file name, got {value!r}; "
    if not value:
        raise ValueError(start + "it must not be empty: pass a short name such as 'sentiment'")
    if "/" in value or "\\" in value:
        suggestion = "_".join(p for p in value.replace("\\", "/").split("/") if p.strip(".")) or "sentiment"
        raise ValueError(start + f"'/' and '\\' separate folders: pass one name such as {suggestion!r}")
    if value.startswith("."):
        raise ValueError(start + "a name starting with '.' (hidden, or '..' leaving the folder) is refused: "
                         "use letters, digits, '_' or '-', e.g. 'sentiment'")
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise ValueError(start + "control characters (NUL, newline, tab...) are refused: remove them")
    return value


def check_count(name: str, value, low: int, what: str, none: bool = False) -> Optional[int]:
    """Return ``value`` as a Python ``int`` if it is an integer ``>= low`` (or ``None`` if allowed), else raise.

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


def check_texts(name: str, texts: Any, *, non_empty: bool = False) -> list:
    """``texts`` as a list of ``str`` (a generator is read once, into the list), or raise.

    Refused, each with how to fix it: a single ``str`` or ``bytes`` (``list("a review")``
    would be one text per character), ``None`` and other non-iterables, an element that
    is not a ``str`` (named by its index; ``bytes`` are to be decoded first) and, with
    ``non_empty``, no texts at all. NumPy ``str_`` elements are ``str`` and pass.

    Example:
        >>> check_texts("texts", (t for t in ["good", "bad"]))
        ['good', 'bad']
        >>> check_texts("texts", ["good", None])
        Traceback (most recent call last):
        ...
        TypeError: texts[1] must be a str, got NoneType None
    """
    if isinstance(texts, (str, bytes)):
        fix = "wrap it in a list: [text]" if isinstance(texts, str) else "decode it and wrap it in a list: " \
            "[text.decode('utf-8')]"
        raise TypeError(f"{name} must be a list of review strings, got a single {type(texts).__name__}; {fix}")
    kind = type(texts).__name__
    try:
        texts = list(texts)
    except TypeError:
        raise TypeError(f"{name} must be a list of review strings, got {_kind(texts)}") from None
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            hint = "; decode bytes first: text.decode('utf-8')" if isinstance(text, bytes) else ""
            raise TypeError(f"{name}[{i}] must be a str, got {_kind(text)}{hint}")
    if non_empty and not texts:
        raise TypeError(f"{name} must be a non-empty list of review strings, got an empty {kind}")
    return texts


def check_tokens(name: str, index: int, sequence) -> np.ndarray:
    """Return one sequence of token indices as a 1-D ``int32`` array, or raise.

    :func:`check_token_ids` for element ``index`` of a list of sequences (named
    ``name[index]``), plus the top of ``int32``: floats (``1.5`` would be cut to ``1``),
    negative values, strings and nested sequences are refused, naming the sequence.
    """
    if isinstance(sequence, (str, bytes)):
        raise TypeError(f"{name}[{index}] must be a 1-D sequence of integer token indices, got {type(sequence).__name__} {sequence!r:.60}")
    array = check_token_ids(f"{name}[{index}]", sequence, ndim=1, shape_text="(time,)")
    if array.size == 0:
        return np.zeros(0, np.int32)
    top = np.iinfo(np.int32).max
    if array.max() > top:
        raise ValueError(f"{name}[{index}] holds token index {_show(array.max())}, outside the range of int32 token "
                         f"indices [0, 2**31); no vocabulary is that large")
    return array.astype(np.int32, copy=False)


def check_token_ids(name: str, tokens: Any, vocab_size: Optional[int] = None, *, ndim: Optional[int] = None,
                    shape_text: str = "") -> np.ndarray:
    """Check an array of token indices a model's ``Embedding`` will read; return it as a NumPy array.

    Refused: strings and other non-arrays, ragged lists, a rank other than ``ndim``,
    non-integer dtypes (a float ``2.9`` would be cut to ``2``, a bool read as 0 or 1),
    negative indices and, when ``vocab_size`` is given, indices ``>= vocab_size`` (the
    embedding's ``input_dim``: TensorFlow would fail with a raw ``InvalidArgumentError``).
    The array is returned unconverted (its integer dtype kept).

    Args:
        name: the argument's name, for the message.
        tokens: the indices.
        vocab_size: the embedding's ``input_dim``, or ``None`` not to check the top.
        ndim: the rank required, or ``None`` for any.
        shape_text: the expected shape in words for the rank message, e.g. ``"(batch, time)"``.

    Example:
        >>> check_token_ids("tokens", [[2, 3, 0]], 7, ndim=2).tolist()
        [[2, 3, 0]]
        >>> check_token_ids("tokens", [[2, 9]], 7)
        Traceback (most recent call last):
        ...
        ValueError: tokens[0, 1] is token index 9, outside the model's vocabulary: its Embedding reads indices 0 to 6 (input_dim=7); encode with the vocabulary the model was trained with, or map rarer words to the OOV index 1
    """
    what = f"a {ndim}-D array {shape_text + ' ' if shape_text else ''}of integer token indices" if ndim \
        else "an array of integer token indices"
    if tokens is None or isinstance(tokens, (str, bytes, dict, set)):
        raise TypeError(f"{name} must be {what}, got {_kind(tokens)}; encode the texts first (and pad them with "
                        "pad_sequences)")
    try:
        array = np.asarray(tokens)
    except (TypeError, ValueError) as err:  # ragged lists
        raise TypeError(f"{name} must be {what}, got {type(tokens).__name__} that NumPy cannot convert ({err}); "
                        "pad the sequences to one length first, e.g. with pad_sequences") from err
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{name} must be {what}, got shape {array.shape}"
                         + ("; wrap a single sequence in a list: [tokens]" if ndim == array.ndim + 1 else ""))
    if array.size == 0:
        return array
    if array.dtype.kind not in "iu":
        raise TypeError(f"{name} must hold integer token indices, got dtype {array.dtype} (first value "
                        f"{_show(array.flat[0])}); pass the indices encode() or pad_sequences() return, as ints "
                        "(a float would be cut to an int silently)")

    def where(flat_index: int) -> str:
        position = np.unravel_index(flat_index, array.shape)
        if not position:
            return name
        return f"{name}[{', '.join(str(int(i)) for i in position)}]"

    flat = array.reshape(-1)
    if array.dtype.kind == "i" and flat.min() < 0:
        low = int(np.flatnonzero(flat < 0)[0])
        raise ValueError(f"{where(low)} is token index {_show(flat[low])}; token indices are >= 0: "
                         "0 is the padding, 1 the OOV token")
    if vocab_size is not None and flat.max() >= vocab_size:
        high = int(np.flatnonzero(flat >= vocab_size)[0])
        raise ValueError(f"{where(high)} is token index {_show(flat[high])}, outside the model's vocabulary: "
                         f"its Embedding reads indices 0 to {vocab_size - 1} (input_dim={vocab_size}); encode with "
                         "the vocabulary the model was trained with, or map rarer words to the OOV index 1")
    return array
