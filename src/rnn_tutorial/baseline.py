"""The baseline an RNN has to beat: TF-IDF unigrams and bigrams with logistic regression.

A bag of n-grams ignores word order beyond pairs of neighbours, yet on IMDB it is a
strong classifier (Wang and Manning 2012 report 91.2% with NB-SVM on bigrams). The
regularization strength ``C`` is chosen on the validation reviews; the test reviews are
only scored.

Example:
    >>> result = bigram_baseline(train_texts, train_labels, val_texts, val_labels)
    >>> result.score(test_texts, test_labels)          # accuracy on the test reviews
"""

from __future__ import annotations

import dataclasses
import re
import time
from typing import Sequence

import numpy as np

from .validation import check_float, check_labels, check_texts

C_GRID = (4.0, 16.0, 64.0)
"""Inverse regularization strengths tried for the logistic regression."""

_BREAK = re.compile(r"<\s*br\s*/?\s*>", re.IGNORECASE)


def _strip_breaks(text: str) -> str:
    return _BREAK.sub(" ", text).lower()


def bigram_pipeline(C: float = 4.0):
    """``TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)`` + ``LogisticRegression(C)``.

    The vectorizer lowercases, removes ``<br />`` tags and keeps words of two or more
    letters or digits (scikit-learn's default token pattern); ``sublinear_tf`` uses
    ``1 + log(tf)`` so a word repeated ten times does not count ten times.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    C = check_float("C", C, min=0, include_min=False, hint="the inverse regularization strength, e.g. 4.0")
    return make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, preprocessor=_strip_breaks),
        LogisticRegression(C=float(C), max_iter=1000, solver="liblinear"),
    )


@dataclasses.dataclass
class BaselineResult:
    """A fitted baseline and how it was chosen.

    Attributes:
        pipeline: the fitted scikit-learn pipeline (vectorizer + classifier).
        C: the chosen inverse regularization strength.
        val_accuracy: ``{C: validation accuracy}`` for every ``C`` tried.
        seconds: wall-clock seconds of the whole search and the fits.
        features: the vectorizer's vocabulary size (unigrams + bigrams).
    """

    pipeline: object
    C: float
    val_accuracy: dict
    seconds: float
    features: int

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Probabilities ``(n,)`` that each text is positive."""
        texts = check_texts("texts", texts, non_empty=True)
        return self.pipeline.predict_proba(texts)[:, 1]

    def score(self, texts: Sequence[str], labels) -> float:
        """Accuracy on ``texts`` with the 0.5 threshold."""
        texts = check_texts("texts", texts, non_empty=True)
        labels = np.asarray(labels).reshape(-1)
        if len(labels) != len(texts):
            raise ValueError(f"texts and labels must have equal lengths, got {len(texts)} and {len(labels)}")
        labels = check_labels("labels", labels)
        return float(np.mean((self.predict_proba(texts) >= 0.5).astype(int) == labels))


def _check_both_classes(name: str, labels: np.ndarray) -> None:
    """A classifier learns nothing from one class (scikit-learn's own error talks of multiclass)."""
    classes = np.unique(labels)
    if len(classes) < 2:
        raise ValueError(f"{name} must hold both classes (0 and 1), got only {classes.tolist()}; fit on reviews of "
                         "both kinds, e.g. a stratified sample")


def _check_grid(name: str, grid) -> list[float]:
    """A non-empty sequence of positive finite numbers, as floats."""
    if isinstance(grid, (str, bytes)) or not hasattr(grid, "__len__"):
        raise TypeError(f"{name} must be a sequence of positive numbers, got {type(grid).__name__} {grid!r}; "
                        "wrap a single value in a tuple, e.g. (1.0,)")
    if not len(grid):
        raise ValueError(f"{name} must hold at least one value, got an empty {type(grid).__name__}")
    return [check_float(f"{name}[{i}]", c, min=0, include_min=False) for i, c in enumerate(grid)]


def bigram_baseline(train_texts: Sequence[str], train_labels, val_texts: Sequence[str], val_labels,
                    C_grid: Sequence[float] = C_GRID) -> BaselineResult:
    """Fit the bigram baseline on the training reviews, choosing ``C`` on the validation reviews.

    The vectorizer is fitted once on ``train_texts`` (its vocabulary and document
    frequencies come from the training reviews only); one logistic regression per ``C``
    is fitted on the training reviews and scored on ``val_texts``, and the best is kept.
    No test review is seen.

    Returns:
        A :class:`BaselineResult`; ``seconds`` covers all the fits.
    """
    train_texts = check_texts("train_texts", train_texts, non_empty=True)
    val_texts = check_texts("val_texts", val_texts, non_empty=True)
    train_labels, val_labels = np.asarray(train_labels).reshape(-1), np.asarray(val_labels).reshape(-1)
    if len(train_labels) != len(train_texts) or len(val_labels) != len(val_texts):
        raise ValueError(f"labels must match texts: got {len(train_texts)} training texts and {len(train_labels)} "
                         f"labels, {len(val_texts)} validation texts and {len(val_labels)} labels")
    train_labels, val_labels = check_labels("train_labels", train_labels), check_labels("val_labels", val_labels)
    _check_both_classes("train_labels", train_labels)
    C_grid = _check_grid("C_grid", C_grid)
    from sklearn.base import clone

    start = time.perf_counter()
    template = bigram_pipeline(C_grid[0])
    vectorizer = template.named_steps["tfidfvectorizer"].fit(train_texts)   # training reviews only
    x_train, x_val = vectorizer.transform(train_texts), vectorizer.transform(val_texts)
    best, scores = None, {}
    for C in C_grid:
        classifier = clone(template.named_steps["logisticregression"]).set_params(C=float(C)).fit(x_train, train_labels)
        scores[float(C)] = float(np.mean(classifier.predict(x_val) == val_labels))
        if best is None or scores[float(C)] > scores[best[0]]:
            best = (float(C), classifier)
    from sklearn.pipeline import make_pipeline

    pipeline = make_pipeline(vectorizer, best[1])
    seconds = time.perf_counter() - start
    return BaselineResult(pipeline=pipeline, C=best[0], val_accuracy=scores, seconds=seconds,
                          features=len(vectorizer.vocabulary_))


def linear_probe(train_features, train_labels, val_features, val_labels,
                 C_grid: Sequence[float] = (0.01, 0.1, 1.0)) -> tuple[float, float]:
    """How much of the labels a frozen representation gives a linear classifier.

    Standardizes the features (scaled on the training rows only, so features of any
    magnitude compete on equal terms), fits a logistic regression per ``C`` on the
    training rows and scores it on the validation rows. A representation that knows
    nothing about the labels scores about the share of the larger class.

    Args:
        train_features, val_features: float arrays ``(n_train, d)`` and ``(n_val, d)``.
        train_labels, val_labels: 0/1 arrays ``(n_train,)`` and ``(n_val,)``.
        C_grid: inverse regularization strengths tried.

    Returns:
        ``(best validation accuracy, its C)``.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    x_train, x_val = np.asarray(train_features, dtype=np.float64), np.asarray(val_features, dtype=np.float64)
    y_train, y_val = np.asarray(train_labels).reshape(-1), np.asarray(val_labels).reshape(-1)
    if x_train.ndim != 2 or x_val.ndim != 2 or x_train.shape[1] != x_val.shape[1]:
        raise ValueError(f"features must be 2-D with equal widths, got {x_train.shape} and {x_val.shape}")
    if len(y_train) != len(x_train) or len(y_val) != len(x_val):
        raise ValueError(f"labels must match features: {len(x_train)} training rows and {len(y_train)} labels, "
                         f"{len(x_val)} validation rows and {len(y_val)} labels")
    if not np.all(np.isfinite(x_train)) or not np.all(np.isfinite(x_val)):
        raise ValueError("features must be finite")
    y_train, y_val = check_labels("train_labels", y_train), check_labels("val_labels", y_val)
    _check_both_classes("train_labels", y_train)
    C_grid = _check_grid("C_grid", C_grid)
    scaler = StandardScaler().fit(x_train)
    x_train, x_val = scaler.transform(x_train), scaler.transform(x_val)
    scores = {float(c): float(LogisticRegression(C=float(c), max_iter=2000).fit(x_train, y_train).score(x_val, y_val))
              for c in C_grid}
    best = max(scores, key=scores.get)
    return scores[best], best
