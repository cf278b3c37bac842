"""Training and evaluation helpers: callbacks, ordered predictions, error analysis, sampling.

Example:
    >>> callbacks = training_callbacks(checkpoint_dir(run, "sentiment"))
    >>> history = model.fit(train_batches, validation_data=val_batches, epochs=6,
    ...                     callbacks=callbacks, verbose=2)
    >>> probs = predict_proba(model, test_batches)      # (n,), in the reviews' order
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Optional, Sequence

import keras
import numpy as np

from .pipeline import BucketedBatches
from .text import OOV, PAD, cache_dir


def checkpoint_dir(run, name: str, root: "str | os.PathLike[str] | None" = None) -> Path:
    """Return ``build/checkpoints/<profile>/<name>``, separate for every profile.

    Args:
        run: the :class:`~rnn_tutorial.environment.Run` from ``setup`` (its profile name is used).
        name: a short name for the model, e.g. ``"sentiment"``.
        root: the ``build`` folder; default: the one beside ``build/cache``.
    """
    if not isinstance(name, str) or not name or "/" in name or "\\" in name:
        raise ValueError(f"name must be a non-empty file name without slashes, got {name!r}")
    build = Path(root) if root is not None else cache_dir().parent
    return build / "checkpoints" / run.profile.name / name


def training_callbacks(directory: "str | os.PathLike[str]", patience: int = 2, monitor: str = "val_loss") -> list:
    """EarlyStopping, ModelCheckpoint and BackupAndRestore, all writing under ``directory``.

    - ``EarlyStopping(monitor, patience, restore_best_weights=True)``: stop when the
      validation loss has not improved for ``patience`` epochs and go back to the best
      epoch's weights.
    - ``ModelCheckpoint(directory / "best.keras", save_best_only=True)``: the best
      model so far, on disk.
    - ``BackupAndRestore(directory / "backup")``: the state at the end of every epoch;
      a run that is interrupted resumes from the last finished epoch when started again
      (the backup is deleted when training completes).
    """
    if isinstance(patience, bool) or not isinstance(patience, int) or patience < 0:
        raise ValueError(f"patience must be a non-negative integer, got {patience!r}")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    return [
        keras.callbacks.EarlyStopping(monitor=monitor, patience=patience, restore_best_weights=True),
        keras.callbacks.ModelCheckpoint(str(directory / "best.keras"), monitor=monitor, save_best_only=True),
        keras.callbacks.BackupAndRestore(str(directory / "backup")),
    ]


def predict_proba(model: keras.Model, batches: BucketedBatches) -> np.ndarray:
    """Predict every example of ``batches`` and return the outputs in the examples' order.

    Args:
        model: maps ``(batch, time)`` to ``(batch, 1)`` probabilities.
        batches: a :class:`~rnn_tutorial.pipeline.BucketedBatches` (any shuffling).

    Returns:
        ``float`` array of shape ``(n,)``: entry ``i`` belongs to ``batches.sequences[i]``.
    """
    if not isinstance(batches, BucketedBatches):
        raise TypeError(f"batches must be a BucketedBatches, got {type(batches).__name__}")
    if batches.labels is not None:
        batches = BucketedBatches(batches.sequences, None, batch_size=batches.batch_size, max_len=batches.max_len,
                                  truncating=batches.truncating, shuffle=False, seed=batches.seed)
    order = batches.order.copy()
    probs = np.asarray(model.predict(batches, verbose=0), dtype=np.float64).reshape(len(order), -1)[:, 0]
    out = np.empty(len(order), dtype=np.float64)
    out[order] = probs
    return out


def predict_reviews(model: keras.Model, texts: Sequence[str]) -> np.ndarray:
    """Probabilities ``(n,)`` that each raw review string is positive, for a model that reads strings."""
    if isinstance(texts, str):
        texts = [texts]
    if not all(isinstance(t, str) for t in texts):
        raise TypeError("texts must be a string or a list of strings")
    import tensorflow as tf

    logger = tf.get_logger()  # quiet the "retracing" notice of models predicting strings
    level = logger.level
    logger.setLevel("ERROR")
    try:
        return np.asarray(model.predict(tf.constant([[t] for t in texts]), verbose=0)).reshape(-1)
    finally:
        logger.setLevel(level)


def confusion_matrix(labels: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    """2 x 2 counts: rows are the true class (0, 1), columns the predicted class (0, 1)."""
    labels, predicted = np.asarray(labels).astype(int), np.asarray(predicted).astype(int)
    if labels.shape != predicted.shape:
        raise ValueError(f"labels and predicted must have the same shape, got {labels.shape} and {predicted.shape}")
    matrix = np.zeros((2, 2), dtype=np.int64)
    np.add.at(matrix, (labels, predicted), 1)
    return matrix


def accuracy_by_length(lengths: np.ndarray, labels: np.ndarray, probs: np.ndarray,
                       edges: Sequence[int] = (0, 100, 200, 400, 800, math.inf)) -> list[dict]:
    """Accuracy of thresholded ``probs`` in length bins ``[edges[i], edges[i + 1])``.

    Returns:
        One dict per non-empty bin: ``{"low", "high", "reviews", "accuracy"}``.
    """
    lengths, labels, probs = np.asarray(lengths), np.asarray(labels), np.asarray(probs)
    if not len(lengths) == len(labels) == len(probs):
        raise ValueError(f"lengths, labels and probs must have equal lengths, got {len(lengths)}, {len(labels)}, {len(probs)}")
    correct = (probs >= 0.5).astype(int) == labels
    rows = []
    for low, high in zip(edges[:-1], edges[1:]):
        inside = (lengths >= low) & (lengths < high)
        if inside.any():
            rows.append({"low": low, "high": high, "reviews": int(inside.sum()), "accuracy": float(correct[inside].mean())})
    return rows


def most_confident_mistakes(labels: np.ndarray, probs: np.ndarray, k: int = 3) -> np.ndarray:
    """Indices of the ``k`` wrong predictions with the most confident probability."""
    labels, probs = np.asarray(labels), np.asarray(probs)
    wrong = np.flatnonzero((probs >= 0.5).astype(int) != labels)
    confidence = np.abs(probs[wrong] - 0.5)
    return wrong[np.argsort(-confidence, kind="stable")[:k]]


def perplexity(mean_cross_entropy: float) -> float:
    """``exp`` of a mean per-token cross-entropy in nats: the effective number of choices."""
    value = float(mean_cross_entropy)
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"mean_cross_entropy must be a finite non-negative number, got {mean_cross_entropy!r}")
    return math.exp(value)


def generate(lm: keras.Model, prompt: Sequence[int], n_tokens: int, temperature: float = 1.0, seed: int = 0,
             banned: Sequence[int] = (PAD, OOV)) -> list[int]:
    """Sample ``n_tokens`` continuation tokens from a language model.

    At each step the model reads the whole sequence so far, its last logits are divided
    by ``temperature`` (below 1: safer, more repetitive; above 1: more surprising), the
    ``banned`` indices (padding and ``[UNK]`` by default) get probability 0, and a token
    is drawn with a NumPy generator seeded by ``seed``.

    Args:
        lm: maps ``(batch, time)`` to logits ``(batch, time, vocab)``.
        prompt: token indices to start from (at least one).

    Returns:
        The sampled token indices (the prompt not included).
    """
    if not len(prompt):
        raise ValueError("prompt must hold at least one token index")
    if not temperature > 0:
        raise ValueError(f"temperature must be positive, got {temperature!r}")
    rng = np.random.default_rng(seed)
    tokens = [int(t) for t in prompt]
    out = []
    for _ in range(n_tokens):
        logits = np.asarray(lm(np.array([tokens], dtype=np.int32), training=False), dtype=np.float64)[0, -1]
        logits = logits / temperature
        logits[list(banned)] = -np.inf
        p = np.exp(logits - logits.max())
        p /= p.sum()
        token = int(rng.choice(len(p), p=p))
        tokens.append(token)
        out.append(token)
    return out
