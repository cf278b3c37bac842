r"""Count-based language models: the reference a neural language model's perplexity needs.

A perplexity of 100 means little by itself. Two count-based models, fitted on exactly the
windows and vocabulary the LSTM language model trains on (:func:`rnn_tutorial.tasks.lm_pairs`),
say what it is worth:

- ``order=1``: a **unigram** model with add-one (Laplace) smoothing, which ignores the
  context entirely. Over ``N`` training target tokens and a vocabulary of ``V`` ids,

  .. math::

     P(w) = \frac{c(w) + 1}{N + V}.

- ``order=2``: an **interpolated Kneser-Ney bigram** (Kneser and Ney 1995; the
  interpolated form of Chen and Goodman 1998, section 3, with one discount ``D``), which
  sees one word of context: it predicts ``y[t]`` from ``x[t]`` alone, the LSTM's task
  restricted to the last word read (at ``t = 0`` the context is ``x[:, 0]``). With
  ``c(v, w)`` the count of the pair (context ``v``, target ``w``), ``c(v) = sum_w c(v, w)``,
  ``N1+(v .)`` the number of distinct words seen after ``v``, ``N1+(. w)`` the number of
  distinct contexts seen before ``w`` and ``N1+(. .)`` the number of distinct pairs,

  .. math::

     P_{KN}(w \mid v) = \frac{\max(c(v, w) - D, 0)}{c(v)}
                        + \frac{D \, N_{1+}(v\,\cdot)}{c(v)} \, P_{cont}(w),

  and, for a context never seen in training (``c(v) = 0``), ``P_KN(w | v) = P_cont(w)``.
  The lower order is the *continuation* probability: how many different contexts ``w``
  completes, not how often it occurs ("Francisco" is frequent but only after "San"). It
  is discounted in the same way and interpolated with the uniform distribution, so that
  a word never seen as a target still gets a probability above 0:

  .. math::

     P_{cont}(w) = \frac{\max(N_{1+}(\cdot\,w) - D, 0)}{N_{1+}(\cdot\,\cdot)}
                   + \frac{D \, |\{w' : N_{1+}(\cdot\,w') > 0\}|}{N_{1+}(\cdot\,\cdot)} \, \frac{1}{V}.

  Each line redistributes exactly the mass its discount removes, so every distribution
  sums to 1 over the ``V`` ids. ``D = 0.75`` is the usual choice; Ney, Essen and Kneser
  (1994) estimate it as ``n1 / (n1 + 2 n2)`` from the numbers of pairs seen once and twice,
  and Chen and Goodman's *modified* Kneser-Ney uses three discounts (for counts 1, 2, 3+).

Both models score every id of ``[0, V)``, padding and ``[UNK]`` included, like the LSTM's
softmax, and are measured the same way: the cross-entropy is the mean of ``-log P(y[t] |
x[t])`` in nats over all target tokens, the perplexity its exponential.

Counts are kept sparse (``np.unique`` on the pair codes ``v * V + w``), never as a dense
``V x V`` matrix; fitting and scoring millions of tokens takes about a second.

References:
    S. F. Chen and J. Goodman, "An empirical study of smoothing techniques for language
    modeling", Technical Report TR-10-98, Harvard University, 1998.
    R. Kneser and H. Ney, "Improved backing-off for M-gram language modeling", ICASSP 1995.

Example:
    >>> from rnn_tutorial.ngram import NgramLM, ngram_perplexity
    >>> kn = NgramLM(vocab_size=LM_VOCAB_SIZE).fit(lm_x, lm_y)
    >>> kn.perplexity(lm_vx, lm_vy)                  # the LSTM's validation windows
    >>> ngram_perplexity(lm_x, lm_y, lm_vx, lm_vy, LM_VOCAB_SIZE, order=1)
"""

from __future__ import annotations

import math
from numbers import Integral, Real

import numpy as np

ORDERS = (1, 2)
"""Supported model orders: 1 (add-one unigram) and 2 (interpolated Kneser-Ney bigram)."""
DISCOUNT = 0.75
"""Default absolute discount ``D`` of the Kneser-Ney bigram."""


def _check_int(name: str, value, accepted: str) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"{name} must be an integer ({accepted}), got {type(value).__name__}: {value!r:.60}")
    return int(value)


def _check_vocab_size(vocab_size) -> int:
    vocab_size = _check_int("vocab_size", vocab_size, ">= 2")
    if vocab_size < 2:
        raise ValueError(f"vocab_size must be an integer >= 2, got {vocab_size}")
    return vocab_size


def _check_order(order) -> int:
    order = _check_int("order", order, "1 or 2")
    if order not in ORDERS:
        raise ValueError(f"order must be 1 (add-one unigram) or 2 (Kneser-Ney bigram), got {order}")
    return order


def _check_discount(discount) -> float:
    if isinstance(discount, bool) or not isinstance(discount, Real):
        raise TypeError(f"discount must be a number in (0, 1), got {type(discount).__name__}: {discount!r:.60}")
    discount = float(discount)
    if not 0.0 < discount < 1.0:   # also refuses nan
        raise ValueError(f"discount must be a number in (0, 1) (exclusive), got {discount}")
    return discount


def _check_tokens(name: str, tokens, vocab_size: int) -> np.ndarray:
    """``tokens`` as a flat ``int64`` array of ids in ``[0, vocab_size)``, or raise naming ``name``."""
    if isinstance(tokens, (str, bytes)):
        raise TypeError(f"{name} must be an integer array of token ids, got {type(tokens).__name__}: {tokens!r:.60}")
    array = np.asarray(tokens)
    if array.dtype.kind not in "iu":
        raise TypeError(
            f"{name} must hold integer token ids, got dtype {array.dtype}; pass the int arrays lm_pairs returns"
        )
    if array.ndim not in (1, 2):
        raise ValueError(f"{name} must be 1-D (tokens,) or 2-D (windows, time), got shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} must hold at least one token id, got an empty array of shape {array.shape}")
    low, high = array.min(), array.max()
    if low < 0 or high >= vocab_size:
        bad = low if low < 0 else high
        raise ValueError(
            f"{name} holds token id {bad}, outside [0, vocab_size) = [0, {vocab_size}); map rarer words to OOV "
            "(lm_pairs with the same vocab_size does)"
        )
    return array.reshape(-1).astype(np.int64)


def _check_pairs(x_name: str, x, y_name: str, y, vocab_size: int) -> tuple[np.ndarray, np.ndarray]:
    context, target = _check_tokens(x_name, x, vocab_size), _check_tokens(y_name, y, vocab_size)
    x_shape, y_shape = np.shape(x), np.shape(y)
    if x_shape != y_shape:
        raise ValueError(f"{x_name} and {y_name} must have the same shape, got {x_shape} and {y_shape}")
    return context, target


class NgramLM:
    """An add-one unigram (``order=1``) or interpolated Kneser-Ney bigram (``order=2``) model.

    The formulas are in the module's docstring. Fit it on the language model's training
    windows, then score the validation windows.

    Args:
        vocab_size: the number of ids ``V``; every id of ``[0, V)`` gets a probability > 0.
        order: 1 (context ignored) or 2 (the previous token ``x[t]`` is the context).
        discount: the Kneser-Ney discount ``D`` in ``(0, 1)`` (unused by ``order=1``).

    Example:
        >>> model = NgramLM(vocab_size=10).fit([[2, 3, 2]], [[3, 2, 4]])
        >>> model.probabilities(2)          # P(. | 2), shape (10,), sums to 1
        >>> model.perplexity([[2, 3]], [[3, 2]])
    """

    def __init__(self, vocab_size: int, order: int = 2, discount: float = DISCOUNT):
        self.vocab_size = _check_vocab_size(vocab_size)
        self.order = _check_order(order)
        self.discount = _check_discount(discount)
        self.n_tokens = 0          # training target tokens N; 0 until fit

    def fit(self, x, y) -> "NgramLM":
        """Count the pairs ``(x[t], y[t])`` of the training windows; returns ``self``.

        Args:
            x: context ids, ``(n_windows, window)`` (or 1-D), ints in ``[0, vocab_size)``.
            y: target ids of the same shape: ``y[t]`` follows ``x[t]``.
        """
        V, D = self.vocab_size, self.discount
        context, target = _check_pairs("x", x, "y", y, V)
        self.n_tokens = len(target)
        if self.order == 1:
            self._unigram = (np.bincount(target, minlength=V) + 1.0) / (len(target) + V)
            return self
        # Sparse bigram counts: the sorted distinct pair codes v * V + w and their counts.
        self._pairs, self._pair_counts = np.unique(context * V + target, return_counts=True)
        self._context_counts = np.bincount(context, minlength=V)                  # c(v)
        self._followers = np.bincount(self._pairs // V, minlength=V)              # N1+(v .)
        predecessors = np.bincount(self._pairs % V, minlength=V)                  # N1+(. w)
        n_types = len(self._pairs)                                                # N1+(. .)
        seen = np.count_nonzero(predecessors)
        self._continuation = (np.maximum(predecessors - D, 0.0) + D * seen / V) / n_types   # P_cont(w)
        return self

    def _check_fitted(self) -> None:
        if not self.n_tokens:
            raise RuntimeError("this NgramLM is not fitted yet; call fit(x, y) on the training windows first")

    def probabilities(self, context: int) -> np.ndarray:
        """``P(w | context)`` for every id ``w``: a ``float64`` array ``(vocab_size,)`` summing to 1.

        The unigram model returns the same distribution for every context.
        """
        self._check_fitted()
        V, D = self.vocab_size, self.discount
        v = _check_int("context", context, f"a token id in [0, {V})")
        if not 0 <= v < V:
            raise ValueError(f"context must be a token id in [0, vocab_size) = [0, {V}), got {v}")
        if self.order == 1:
            return self._unigram.copy()
        c_v = self._context_counts[v]
        if c_v == 0:                     # context never seen: the lower order alone
            return self._continuation.copy()
        p = D * self._followers[v] / c_v * self._continuation
        lo, hi = np.searchsorted(self._pairs, [v * V, (v + 1) * V])
        p[self._pairs[lo:hi] - v * V] += (self._pair_counts[lo:hi] - D) / c_v   # c(v, w) >= 1 > D here
        return p

    def log_prob(self, x, y) -> np.ndarray:
        """``log P(y[t] | x[t])`` in nats for every position: ``float64``, the shape of ``y``."""
        self._check_fitted()
        V, D = self.vocab_size, self.discount
        context, target = _check_pairs("x", x, "y", y, V)
        if self.order == 1:
            return np.log(self._unigram[target]).reshape(np.shape(y))
        codes = context * V + target
        where = np.minimum(np.searchsorted(self._pairs, codes), len(self._pairs) - 1)
        c_vw = np.where(self._pairs[where] == codes, self._pair_counts[where], 0)   # c(v, w), 0 if unseen
        c_v = self._context_counts[context].astype(np.float64)
        seen = c_v > 0
        p_cont = self._continuation[target]
        safe = np.where(seen, c_v, 1.0)
        p = np.where(seen, (np.maximum(c_vw - D, 0.0) + D * self._followers[context] * p_cont) / safe, p_cont)
        return np.log(p).reshape(np.shape(y))

    def cross_entropy(self, x, y) -> float:
        """Mean ``-log P(y[t] | x[t])`` over all target tokens, in nats (the LSTM's loss)."""
        return float(-np.mean(self.log_prob(x, y)))

    def perplexity(self, x, y) -> float:
        """``exp(cross_entropy(x, y))``: the effective number of equally likely choices per token."""
        return math.exp(self.cross_entropy(x, y))

    def __repr__(self) -> str:
        name = "add-one unigram" if self.order == 1 else f"Kneser-Ney bigram, discount {self.discount}"
        fitted = f"fitted on {self.n_tokens:,} tokens" if self.n_tokens else "not fitted"
        return f"NgramLM({name}, vocab_size={self.vocab_size:,}, {fitted})"


def ngram_perplexity(train_x, train_y, val_x, val_y, vocab_size: int, order: int = 2,
                     discount: float = DISCOUNT) -> float:
    """Fit an :class:`NgramLM` on the training windows and return its perplexity on the validation ones.

    Args:
        train_x, train_y: the training windows, as :func:`rnn_tutorial.tasks.lm_pairs` returns them.
        val_x, val_y: the validation windows, same vocabulary.
        vocab_size: the number of ids (``LM_VOCAB_SIZE`` for the book's language model).
        order: 1 (add-one unigram) or 2 (interpolated Kneser-Ney bigram).
        discount: the Kneser-Ney discount in ``(0, 1)``.

    Example:
        >>> ngram_perplexity(lm_x, lm_y, lm_vx, lm_vy, LM_VOCAB_SIZE)    # compare with the LSTM's
    """
    model = NgramLM(vocab_size, order=order, discount=discount)
    train = _check_pairs("train_x", train_x, "train_y", train_y, model.vocab_size)   # errors name these arguments
    val = _check_pairs("val_x", val_x, "val_y", val_y, model.vocab_size)
    return model.fit(*train).perplexity(*val)
