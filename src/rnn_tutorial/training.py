"""Training and evaluation helpers: callbacks, ordered predictions, error analysis, sampling.

Example:
    >>> callbacks = training_callbacks(checkpoint_dir(run, "sentiment"))
    >>> history = model.fit(train_batches, validation_data=val_batches, epochs=6,
    ...                     callbacks=callbacks, verbose=2)
    >>> probs = predict_proba(model, test_batches)      # (n,), in the reviews' order
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Optional, Sequence

import keras
import numpy as np

from .pipeline import JAX_PAD_MULTIPLE, BucketedBatches, default_pad_multiple
from .environment import quiet_retracing
from .paths import build_dir
from .validation import check_float, check_int, check_labels, check_path_component, check_probabilities, check_texts


def checkpoint_dir(run, name: str, root: "str | os.PathLike[str] | None" = None) -> Path:
    """Return ``build/checkpoints/<profile>/<name>``, separate for every profile.

    Args:
        run: the :class:`~rnn_tutorial.environment.Run` from ``setup`` (its profile name is used).
        name: a short name for the model, e.g. ``"sentiment"``: one folder name (no
            ``/`` or ``\\``, not empty, not starting with ``.``, so never ``..``).

    Raises:
        TypeError: ``name`` is not a string.
        ValueError: ``name`` is not a single safe folder name.
    """
    check_path_component("name", name)
    build = Path(root) if root is not None else build_dir()
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
    patience = check_int("patience", patience, min=0)
    if not isinstance(monitor, str) or not monitor:
        raise TypeError(f"monitor must be the name of a logged metric such as 'val_loss', got "
                        f"{type(monitor).__name__} {monitor!r}")
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

    Raises:
        TypeError: ``batches`` is not a ``BucketedBatches``.
        ValueError: the model's output is not one probability per review: another shape
            than ``(batch, 1)`` (a softmax over classes, a language model's logits), or
            values outside ``[0, 1]`` (logits of a ``Dense(1)`` without sigmoid). NaN, the
            output of a diverged model, is passed through.
    """
    if not isinstance(batches, BucketedBatches):
        raise TypeError(f"batches must be a BucketedBatches, got {type(batches).__name__}")
    _check_probability_output(model, _static_output_shape(model))    # before predicting anything
    if batches.labels is not None:
        batches = BucketedBatches(batches.sequences, None, batch_size=batches.batch_size, max_len=batches.max_len,
                                  truncating=batches.truncating, shuffle=False, seed=batches.seed)
    order = batches.order.copy()
    predicted = model.predict(batches, verbose=0)
    if isinstance(predicted, (list, tuple)) and len(predicted) == 1:      # a functional model with outputs=[x]
        predicted = predicted[0]
    if isinstance(predicted, (list, tuple, dict)):
        _check_probability_output(model, f"{len(predicted)} outputs")
    predicted = np.asarray(predicted, dtype=np.float64)
    _check_probability_output(model, (None,) + predicted.shape[1:], predicted)
    probs = predicted.reshape(len(order), -1)[:, 0]
    out = np.empty(len(order), dtype=np.float64)
    out[order] = probs
    return out


_SENTIMENT_OUTPUT = "a sentiment model ending in Dense(1, sigmoid) is expected"


def _static_output_shape(model):
    """The model's declared output shape, or ``None`` where Keras does not know it yet (an unbuilt model)."""
    try:
        shape = model.output_shape
    except (AttributeError, ValueError, RuntimeError):
        return None
    if isinstance(shape, list) and len(shape) == 1:
        shape = shape[0]
    if isinstance(shape, (list, dict)):
        return f"{len(shape)} outputs"
    return shape


def _check_probability_output(model, shape, values: "np.ndarray | None" = None) -> None:
    """Refuse a model whose output is not ``(batch, 1)`` (or ``(batch,)``) probabilities in ``[0, 1]``.

    ``shape`` is the output shape (``None`` when unknown, a string for several outputs);
    ``values``, when given, the predictions (NaN passes: a diverged model's output).
    """
    if shape is None:
        return
    name = getattr(model, "name", type(model).__name__)
    if isinstance(shape, str):
        raise ValueError(f"the model's output must be (batch, 1), one probability per review, got {shape} "
                         f"(model {name!r}); {_SENTIMENT_OUTPUT}")
    shape = tuple(shape)
    if not (len(shape) == 1 or (len(shape) == 2 and shape[1] in (1, None))):
        raise ValueError(f"the model's output must be (batch, 1), one probability per review, got shape {shape} "
                         f"(model {name!r}); {_SENTIMENT_OUTPUT}; for a softmax over classes, take the positive "
                         "class's column of model.predict instead")
    if values is not None and values.size:
        outside = (values < 0) | (values > 1)          # False for NaN
        if outside.any():
            i = int(np.flatnonzero(outside.reshape(-1))[0])
            raise ValueError(f"the model's output must be probabilities in [0, 1], got {values.reshape(-1)[i]:g} "
                             f"(model {name!r}, review {i} in the batches' order); these look like logits: "
                             f"{_SENTIMENT_OUTPUT}, or apply a sigmoid to the output")


def predict_reviews(model: keras.Model, texts: Sequence[str]) -> np.ndarray:
    """Probabilities ``(n,)`` (``float32``) that each raw review string is positive, for a
    model that reads strings (:func:`rnn_tutorial.models.end_to_end_model`).

    ``texts`` is one string or a list (or any iterable) of strings; no texts give an empty
    array. A review with no words (empty, punctuation only) gets the model's no-evidence
    answer.
    """
    texts = check_texts("texts", [texts] if isinstance(texts, str) else texts)
    from .layers import Vocabulary

    front = next((layer for layer in model.layers if isinstance(layer, (keras.layers.TextVectorization, Vocabulary))),
                 None)
    if front is None:
        raise TypeError(f"model {model.name!r} does not read reviews: build it with end_to_end_model(vectorizer, model)")
    if not texts:
        return np.zeros(0, np.float32)
    if keras.backend.backend() != "tensorflow" or isinstance(front, Vocabulary):
        # JAX, torch or no TensorFlow: tokenize in Python with the model's own vocabulary
        # (proven equal to TextVectorization in tests/test_text.py), then run the classifier
        from .text import encode_texts

        ids = encode_texts([str(w) for w in front.get_vocabulary()], texts)
        batches = BucketedBatches(ids, None, batch_size=256, shuffle=False)
        return np.asarray(predict_proba(model.layers[-1], batches), dtype=np.float32)
    import tensorflow as tf

    logger = tf.get_logger()  # quiet the "retracing" notice of models predicting strings
    level = logger.level
    logger.setLevel("ERROR")
    try:
        return np.asarray(model.predict(tf.constant([[t] for t in texts]), verbose=0), dtype=np.float32).reshape(-1)
    finally:
        logger.setLevel(level)


# --------------------------------------------------------------------------- the training protocol

def _pad_multiple(profile) -> int:
    """The batch-width rounding for ``profile`` on the active backend (profile-like objects
    without ``jax_pad_multiple`` get the default, 32 under JAX)."""
    return default_pad_multiple(getattr(profile, "jax_pad_multiple", JAX_PAD_MULTIPLE))


def review_batches(data, index, profile, shuffle: bool, seed: int, batch_size: "int | None" = None,
                   truncating: str = "pre", max_len: "int | None" = None) -> BucketedBatches:
    """The training chapter's batches of ``data.sequences[index]``, labels included.

    Args:
        data: an :class:`~rnn_tutorial.text.EncodedSplit` (sequences and labels).
        index: the reviews to use, e.g. ``splits.train``: integers from 0 to
            ``len(data.sequences) - 1`` (repeats allowed, negative indices refused).
        profile: the run's profile; its ``batch_size`` and ``max_len`` are the defaults.
        shuffle: ``True`` for training batches, ``False`` for evaluation.
        seed: the shuffling seed.
        batch_size, max_len: override the profile's values (``None``: the profile's).
        truncating: ``"pre"`` keeps the last ``max_len`` tokens of a long review.
    """
    index = np.asarray(index)
    if index.size and index.dtype.kind not in "iu":
        raise TypeError(f"index must be an array of integer review indices, got dtype {index.dtype}; "
                        "pass e.g. splits.train")
    if index.size:
        n = len(data.sequences)
        bad = (index < 0) | (index >= n)
        if bad.any():   # a negative index used to take a review from the end silently
            i = int(np.flatnonzero(bad.reshape(-1))[0])
            raise ValueError(f"index holds {index.reshape(-1)[i]} at position {i}, not a review of data: indices "
                             f"run from 0 to {n - 1} (negative ones are refused, not counted from the end); "
                             "pass e.g. splits.train")
    # None (not any false value: 0 is refused by BucketedBatches) means "the profile's"
    return BucketedBatches([data.sequences[i] for i in index], data.labels[index],
                           batch_size=profile.batch_size if batch_size is None else batch_size,
                           max_len=profile.max_len if max_len is None else max_len,
                           truncating=truncating, shuffle=shuffle, seed=seed,
                           pad_multiple=_pad_multiple(profile))


def teacher_batches(sequences: Sequence, teacher_probs, profile, seed: int) -> BucketedBatches:
    """Shuffled training batches of unlabeled reviews with a teacher's probabilities as targets.

    For distillation: ``fit_sentiment(student, teacher_batches(...), val_batches, ...,
    soft_targets=True)`` trains a student to reproduce the teacher's ``P(positive)`` on
    reviews nobody labeled.

    Args:
        sequences: encoded reviews, one 1-D ``int`` array each (e.g. the unlabeled split).
        teacher_probs: the teacher's probabilities, shape ``(n,)``, one per sequence,
            each in ``[0, 1]``.
        profile: the run's profile: its ``batch_size``, ``max_len`` (the last ``max_len``
            tokens are kept) and batch-width rounding, as in :func:`review_batches`.
        seed: the shuffling seed.

    Raises:
        TypeError: sequences that are not a list of arrays.
        ValueError: probabilities outside ``[0, 1]``, NaN, or not one per sequence.
    """
    if isinstance(sequences, (str, bytes)) or not hasattr(sequences, "__len__"):
        raise TypeError(f"sequences must be a list of encoded reviews, got {type(sequences).__name__}")
    probs = check_probabilities("teacher_probs", teacher_probs, n=len(sequences)).astype("float32")
    return BucketedBatches(list(sequences), probs, batch_size=profile.batch_size, max_len=profile.max_len,
                           truncating="pre", shuffle=True, seed=seed,
                           pad_multiple=_pad_multiple(profile))


def compile_sentiment(model: keras.Model, steps_per_epoch: int, learning_rate: float = 1e-3,
                      decay_rate: "float | None" = 0.5, clipnorm: "float | None" = 1.0,
                      soft_targets: bool = False) -> keras.Model:
    """Compile ``model`` as the training chapter does: Adam, binary cross-entropy, accuracy.

    Args:
        steps_per_epoch: batches per epoch (the schedule's time unit), a positive integer.
        learning_rate: the initial learning rate, a positive finite number, default ``1e-3``.
        decay_rate: the learning rate is multiplied by this every epoch, smoothly
            (``ExponentialDecay``), a number in ``(0, 1]``; default 0.5 (halving);
            ``None`` keeps it constant.
        clipnorm: rescale each gradient whose norm exceeds this, a positive finite number;
            ``None`` disables clipping.
        soft_targets: the targets may be probabilities (a teacher's), not only 0 and 1;
            "accuracy" is then the share of examples on the target's side of 0.5 (for
            0/1 labels, the usual accuracy).

    Raises:
        TypeError: an argument of the wrong type.
        ValueError: a value out of range (0, negative, NaN or infinite rates).
    """
    steps_per_epoch, learning_rate, decay_rate, clipnorm = _check_protocol(steps_per_epoch, learning_rate,
                                                                           decay_rate, clipnorm)
    if not isinstance(soft_targets, (bool, np.bool_)):
        raise TypeError(f"soft_targets must be True or False, got {type(soft_targets).__name__}")
    lr = learning_rate if decay_rate is None else keras.optimizers.schedules.ExponentialDecay(
        learning_rate, decay_steps=steps_per_epoch, decay_rate=decay_rate)
    metric = keras.metrics.MeanMetricWrapper(_side_agreement, name="accuracy") if soft_targets else "accuracy"
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=lr, clipnorm=clipnorm),
                  loss="binary_crossentropy", metrics=[metric])
    return model


def _side_agreement(y_true, y_pred):
    """Per example: 1 where ``y_pred`` is on the same side of 0.5 as the (soft) target ``y_true``."""
    y_true = keras.ops.reshape(keras.ops.cast(y_true, "float32"), (-1,))
    y_pred = keras.ops.reshape(keras.ops.cast(y_pred, "float32"), (-1,))
    return keras.ops.cast(keras.ops.equal(y_true >= 0.5, y_pred >= 0.5), "float32")


def _check_protocol(steps_per_epoch, learning_rate, decay_rate, clipnorm) -> tuple:
    """Validate the optimizer settings of :func:`compile_sentiment`; return them as ``int`` and ``float``."""
    steps_per_epoch = check_int("steps_per_epoch", steps_per_epoch, min=1)
    learning_rate = check_float("learning_rate", learning_rate, min=0, include_min=False, hint="e.g. 1e-3")
    if decay_rate is not None:
        decay_rate = check_float("decay_rate", decay_rate, min=0, max=1, include_min=False,
                                 hint="the factor per epoch; None keeps the learning rate constant")
    if clipnorm is not None:
        clipnorm = check_float("clipnorm", clipnorm, min=0, include_min=False, hint="None disables clipping")
    return steps_per_epoch, learning_rate, decay_rate, clipnorm


@dataclasses.dataclass
class FitReport:
    """What :func:`fit_sentiment` measured.

    Attributes:
        name: the variant's name.
        params: trainable and non-trainable parameters of the model.
        seconds: wall-clock seconds of ``fit`` (validation included, test excluded).
        epochs: epochs run; ``best_epoch``: the epoch whose weights were restored.
        history: Keras' ``history.history`` (per-epoch losses and accuracies).
        val_accuracy: validation accuracy of the restored epoch.
        test_accuracy: accuracy on the test batches (``None`` when none were given).
        test_probs: the test probabilities ``(n,)`` in the test reviews' order, or ``None``.
        val_probs: the validation probabilities ``(n_val,)`` of the restored weights in the
            validation reviews' order, or ``None``.
    """

    name: str
    params: int
    seconds: float
    epochs: int
    best_epoch: int
    history: dict
    val_accuracy: float
    test_accuracy: Optional[float] = None
    test_probs: Optional[np.ndarray] = None
    val_probs: Optional[np.ndarray] = None

    def row(self) -> dict:
        """A flat dict for tables: name, params, seconds, epochs, best epoch, accuracies."""
        return {"variant": self.name, "params": self.params, "seconds": round(self.seconds, 1),
                "epochs": self.epochs, "best_epoch": self.best_epoch, "val_accuracy": self.val_accuracy,
                "test_accuracy": self.test_accuracy}


def _accuracy(probs: np.ndarray, labels) -> float:
    """Accuracy of thresholded ``probs``; ``labels`` must already be checked 0/1 labels."""
    return float(np.mean((np.asarray(probs) >= 0.5).astype(int) == np.asarray(labels).reshape(-1)))


def average_reports(reports: Sequence[FitReport], val_labels, test_labels=None, name: str = "rnn_ensemble") -> FitReport:
    """An ensemble of trained variants: the mean of their predicted probabilities.

    Every member must come from :func:`fit_sentiment` on the same validation (and test)
    reviews, so its ``val_probs`` (and ``test_probs``) line up. The ensemble is judged like
    a single variant: its validation accuracy can choose it, its test accuracy is reported.

    Args:
        reports: two or more :class:`FitReport` with ``val_probs`` (and ``test_probs``
            when ``test_labels`` is given).
        val_labels: ``(n_val,)`` labels of the validation reviews, 0 or 1.
        test_labels: ``(n_test,)`` labels of the test reviews, or ``None``.
        name: the ensemble's name.

    Returns:
        A :class:`FitReport` whose ``params`` and ``seconds`` are the members' sums and whose
        ``epochs`` and ``best_epoch`` are 0 (it is not trained itself).

    Raises:
        TypeError: a member that is not a :class:`FitReport`.
        ValueError: fewer than two members, probabilities missing or of the wrong length,
            or labels other than 0 and 1.
    """
    reports = list(reports)
    if len(reports) < 2:
        raise ValueError(f"an ensemble needs at least two reports, got {len(reports)}")
    for i, r in enumerate(reports):
        if not isinstance(r, FitReport):
            raise TypeError(f"reports[{i}] must be a FitReport from fit_sentiment, got {type(r).__name__}")
    labels = {"val_probs": check_labels("val_labels", val_labels)}
    if test_labels is not None:
        labels["test_probs"] = check_labels("test_labels", test_labels)
    means = {}
    for attr, expected in labels.items():
        probs = [getattr(r, attr) for r in reports]
        bad = [r.name for r, p in zip(reports, probs) if p is None or np.shape(p) != expected.shape]
        if bad:
            hint = " and pass test_batches" if attr == "test_probs" else ""
            raise ValueError(f"{attr} of {bad} missing or not of shape {expected.shape}: train every member with "
                             f"fit_sentiment on the same reviews{hint}")
        for r, p in zip(reports, probs):
            check_probabilities(f"{attr} of {r.name!r}", p)
        means[attr] = np.mean(probs, axis=0)
    report = FitReport(name=name, params=sum(r.params for r in reports), seconds=sum(r.seconds for r in reports),
                       epochs=0, best_epoch=0, history={},
                       val_accuracy=_accuracy(means["val_probs"], labels["val_probs"]), val_probs=means["val_probs"])
    if test_labels is not None:
        report.test_probs = means["test_probs"]
        report.test_accuracy = _accuracy(report.test_probs, labels["test_probs"])
    return report


def rescore(model: keras.Model, report: FitReport, val_batches: BucketedBatches,
            test_batches: Optional[BucketedBatches] = None, name: "str | None" = None) -> FitReport:
    """The same trained model judged on other batches of the same reviews.

    For a change that costs no training, such as reading whole reviews at prediction
    time instead of their last ``max_len`` tokens: ``model`` (with the weights ``report``
    describes) predicts ``val_batches`` (and ``test_batches``), and a copy of ``report``
    carries the new probabilities and accuracies; its parameters, seconds and history
    are the training's.

    Args:
        model: the model :func:`fit_sentiment` trained.
        report: its :class:`FitReport`.
        val_batches, test_batches: the same validation (and test) reviews as in training,
            batched another way, with labels.
        name: the new report's name (default: the report's).

    Raises:
        TypeError: batches that are not a ``BucketedBatches``, or a report that is not a
            ``FitReport``.
        ValueError: batches without labels, or of another size than the report's.
    """
    if not isinstance(report, FitReport):
        raise TypeError(f"report must be the FitReport of fit_sentiment, got {type(report).__name__}")
    new = dataclasses.replace(report, name=report.name if name is None else name)
    for attr, batches, old in (("val", val_batches, report.val_probs), ("test", test_batches, report.test_probs)):
        if batches is None:
            if attr == "val":
                raise TypeError("val_batches must be a BucketedBatches of the validation reviews, got None")
            new.test_probs = new.test_accuracy = None
            continue
        if not isinstance(batches, BucketedBatches) or batches.labels is None:
            raise TypeError(f"{attr}_batches must be a BucketedBatches that carries labels, got {type(batches).__name__}")
        if old is not None and len(batches.sequences) != len(old):
            raise ValueError(f"{attr}_batches hold {len(batches.sequences)} reviews, the report's {attr} predictions "
                             f"{len(old)}: batch the same reviews")
        labels = check_labels(f"{attr}_batches.labels", batches.labels)
        with quiet_retracing():
            probs = predict_proba(model, batches)
        setattr(new, f"{attr}_probs", probs)
        setattr(new, f"{attr}_accuracy", _accuracy(probs, labels))
    return new


def fit_sentiment(model: keras.Model, train_batches: BucketedBatches, val_batches: BucketedBatches, run,
                  name: str, epochs: int, test_batches: Optional[BucketedBatches] = None, patience: int = 1,
                  learning_rate: float = 1e-3, decay_rate: "float | None" = 0.5, clipnorm: "float | None" = 1.0,
                  compile: bool = True, verbose: int = 2, soft_targets: bool = False) -> FitReport:
    """Train one sentiment variant with the training chapter's protocol and measure it.

    The protocol: Adam from ``learning_rate``, halved every epoch (``decay_rate``),
    gradients clipped to norm ``clipnorm``, binary cross-entropy, at most ``epochs``
    epochs with :func:`training_callbacks` (early stopping on the validation loss with
    ``patience``, best weights restored, checkpoints under
    ``build/checkpoints/<profile>/<name>``). The test batches, if given, are predicted
    once, after training.

    Args:
        model: maps ``(batch, time)`` token indices to ``(batch, 1)`` probabilities.
        train_batches, val_batches: from :func:`review_batches` on the training and
            validation indices.
        run: the chapter's :class:`~rnn_tutorial.environment.Run`.
        name: the variant's name (a file name: no slashes).
        epochs: the maximum number of epochs.
        test_batches: the test reviews, unshuffled, or ``None``.
        compile: ``False`` keeps a compilation you made yourself.
        soft_targets: the training batches' labels may be probabilities in ``[0, 1]``
            (a teacher's predictions on unlabeled reviews, for distillation); the
            validation and test labels must still be 0 or 1. Logged training "accuracy"
            is then agreement with the teacher's side of 0.5.

    Returns:
        A :class:`FitReport`.

    Raises:
        TypeError: an argument of the wrong type.
        ValueError: a bad value (``epochs`` below 1, a ``name`` that is not one folder
            name, labels other than 0 and 1, test batches without labels...), before
            any training starts.
    """
    import time

    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}")
    for arg, batches in (("train_batches", train_batches), ("val_batches", val_batches)):
        if not isinstance(batches, BucketedBatches):
            raise TypeError(f"{arg} must be a BucketedBatches, got {type(batches).__name__}")
    epochs = check_int("epochs", epochs, min=1)
    patience = check_int("patience", patience, min=0)
    check_path_component("name", name)
    if not isinstance(soft_targets, (bool, np.bool_)):
        raise TypeError(f"soft_targets must be True or False, got {type(soft_targets).__name__}")
    if test_batches is not None and not isinstance(test_batches, BucketedBatches):
        raise TypeError(f"test_batches must be a BucketedBatches that carries labels, or None, got "
                        f"{type(test_batches).__name__}")
    if test_batches is not None and test_batches.labels is None:
        raise ValueError("test_batches must be a BucketedBatches that carries labels, to measure the test accuracy")
    for arg, batches in (("train_batches", train_batches), ("val_batches", val_batches), ("test_batches", test_batches)):
        if batches is None:
            continue
        if batches.labels is None:
            raise ValueError(f"{arg} must carry labels (BucketedBatches(sequences, labels, ...)), got batches without")
        if soft_targets and arg == "train_batches":
            check_probabilities(f"{arg}.labels (soft targets)", batches.labels)
            continue
        try:
            check_labels(f"{arg}.labels", batches.labels)
        except ValueError as error:
            values = np.asarray(batches.labels)
            if (arg == "train_batches" and values.dtype.kind in "fiu"
                    and np.all((values >= 0) & (values <= 1))):
                raise ValueError(f"{error}; or, to learn a teacher's probabilities (distillation), pass "
                                 "soft_targets=True") from None
            raise
    if compile:
        compile_sentiment(model, len(train_batches), learning_rate, decay_rate, clipnorm, soft_targets)
    optimizer = getattr(model, "optimizer", None)  # absent until the model is compiled
    if model.built and optimizer is not None and not optimizer.built:
        # What fit would do in its first step, done before it: TensorFlow otherwise traces
        # the training step twice (its first trace creates the optimizer's variables),
        # about 1.5 s a model on a CPU. The same variables, the same numbers.
        optimizer.build(model.trainable_variables)
    start = time.perf_counter()
    history = model.fit(train_batches, validation_data=val_batches, epochs=epochs, verbose=verbose,
                        callbacks=training_callbacks(checkpoint_dir(run, name), patience=patience))
    seconds = time.perf_counter() - start
    h = history.history
    best = int(np.argmin(h["val_loss"])) if h.get("val_loss") else len(h["loss"]) - 1
    report = FitReport(name=name, params=int(model.count_params()), seconds=seconds, epochs=len(h["loss"]),
                       best_epoch=best + 1, history=h, val_accuracy=float(h["val_accuracy"][best]))
    with quiet_retracing():
        report.val_probs = predict_proba(model, val_batches)
        if test_batches is not None:
            report.test_probs = predict_proba(model, test_batches)
    if report.test_probs is not None:
        report.test_accuracy = _accuracy(report.test_probs, test_batches.labels)
    return report
