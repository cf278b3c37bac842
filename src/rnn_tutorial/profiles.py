"""Execution profiles: how much data, how long sequences and how many epochs a run uses.

A profile never changes a model's architecture or the vocabulary (the vocabulary is
always fitted on the full training split), so model summaries stay comparable across
profiles. Three profiles exist:

``ci``
    small: a few thousand reviews and one or two epochs, so ``pytest --nbval`` runs
    every chapter in minutes on two CPU cores.
``laptop``
    the full 25,000 / 25,000 IMDB split on a CPU: the improvements and pretraining
    chapters take about 36 and 27 minutes on two cores, the others far less.
``full``
    the best settings, meant for a GPU.

The active profile is resolved by :func:`resolve_profile`: the explicit argument (a
notebook's ``PROFILE`` parameter) if given, else the ``RNN_TUTORIAL_PROFILE``
environment variable, else ``full`` when a GPU is visible and ``laptop`` otherwise.
"""

from __future__ import annotations

import dataclasses
import os
from typing import Optional

from .validation import check_count, check_float, check_int, check_path_component

ENV_VAR = "RNN_TUTORIAL_PROFILE"


@dataclasses.dataclass(frozen=True)
class Profile:
    """Settings of one execution profile.

    Attributes:
        name: the profile's name (``"ci"``, ``"laptop"`` or ``"full"``).
        train_size: labeled training reviews used (training plus validation), at most
            25,000; ``None`` means all of them.
        test_size: test reviews evaluated, at most 25,000; ``None`` means all.
        val_fraction: the stratified share of the training reviews held out for
            validation.
        max_len: the cap on tokens per review (longer reviews are truncated).
        epochs: the maximum number of training epochs for sentiment models.
        batch_size: the mini-batch size.
        lm_max_len: the window length for language-model examples.
        lm_epochs: the maximum number of epochs for language models.
        lm_train_windows: language-model training windows used; ``None`` means all.
        description: one line for tables and the book.
        scratch_epochs: epochs of the small Keras models trained on synthetic data in the
            time-steps chapter (the adding problem).
        gan_steps: training steps of the sequence GAN.
        gan_eval_every: the GAN's steps between two evaluations of its score.
        variant_epochs: the maximum epochs of each model the improvements and pretraining
            chapters compare (fewer than ``epochs``: they train many models).
        pretraining_passes: passes over the pretraining text, for each of the
            pretraining chapter's two tasks (one on a CPU budget).
        pretraining_windows: the pretraining language model's training windows;
            ``None`` means all of them.
        jax_pad_multiple: under JAX, the chapters' review batches are padded to a
            multiple of this many tokens (JAX compiles one program per batch width; see
            :func:`rnn_tutorial.pipeline.default_pad_multiple`). 32 bounds the
            compilations of long runs; ``ci`` pads to its ``max_len``, one width, because
            compiling would dominate its short runs. Other backends ignore it.
    """

    name: str
    train_size: Optional[int]
    test_size: Optional[int]
    val_fraction: float
    max_len: int
    epochs: int
    batch_size: int
    lm_max_len: int
    lm_epochs: int
    lm_train_windows: Optional[int]
    description: str
    scratch_epochs: int = 60
    gan_steps: int = 1500
    gan_eval_every: int = 100
    variant_epochs: int = 3
    pretraining_passes: int = 1
    pretraining_windows: Optional[int] = None
    jax_pad_multiple: int = 32

    def __post_init__(self) -> None:
        """Refuse a name that is not one safe folder name and settings out of range.

        The name becomes a folder (``build/checkpoints/<name>``, ``results/<name>``), so
        ``"../../x"`` would write outside it; counts must be positive integers (``None``
        where the attribute allows "all"), ``val_fraction`` a number in ``(0, 1)``. The
        values are kept as given (a NumPy integer stays one).

        Raises:
            TypeError: a field of the wrong type (a float count, a non-string name...).
            ValueError: a field out of range (0 epochs, a negative size, ``".."``...).
        """
        check_path_component("name", self.name)
        for field in ("train_size", "test_size", "lm_train_windows", "pretraining_windows"):
            check_count(field, getattr(self, field), 1, "a positive integer or None", none=True)
        for field in ("max_len", "epochs", "batch_size", "lm_max_len", "lm_epochs", "scratch_epochs", "gan_steps",
                      "gan_eval_every", "variant_epochs", "pretraining_passes", "jax_pad_multiple"):
            check_int(field, getattr(self, field), min=1)
        check_float("val_fraction", self.val_fraction, min=0, max=1, include_min=False, include_max=False,
                    hint="the share of the training reviews held out for validation, e.g. 0.2")
        if not isinstance(self.description, str):
            raise TypeError(f"description must be a str, got {type(self.description).__name__} "
                            f"{self.description!r:.60}; pass one line for tables and the book")


PROFILES: dict[str, Profile] = {
    "ci": Profile(
        name="ci",
        train_size=3000,
        test_size=2000,
        val_fraction=0.2,
        max_len=200,
        epochs=2,
        batch_size=64,
        lm_max_len=40,
        lm_epochs=1,
        lm_train_windows=2000,
        description="small data, 1-2 epochs: every chapter in minutes on 2 CPU cores",
        scratch_epochs=6,
        gan_steps=300,
        gan_eval_every=50,
        variant_epochs=2,
        pretraining_windows=4000,
        jax_pad_multiple=200,  # = max_len: one batch width, one compilation per model
    ),
    "laptop": Profile(
        name="laptop",
        train_size=None,
        test_size=None,
        val_fraction=0.2,
        max_len=400,
        epochs=6,
        batch_size=64,
        lm_max_len=60,
        lm_epochs=2,
        lm_train_windows=60000,
        description="the full IMDB split on a CPU: about 25 minutes a chapter on 2 cores, 36 for the improvements chapter",
        pretraining_windows=30000,
    ),
    "full": Profile(
        name="full",
        train_size=None,
        test_size=None,
        val_fraction=0.2,
        max_len=800,
        epochs=12,
        batch_size=128,
        lm_max_len=80,
        lm_epochs=6,
        lm_train_windows=None,
        description="best settings, for a GPU",
        pretraining_passes=6,
    ),
}


def gpu_visible() -> bool:
    """Return True when the active Keras backend can see at least one GPU.

    Only backends that are already importable are asked; nothing is installed or
    initialized beyond what the backend does on import.
    """
    backend = os.environ.get("KERAS_BACKEND", "tensorflow")
    try:
        if backend == "jax":
            import jax

            return any(d.platform == "gpu" for d in jax.devices())
        if backend == "torch":
            import torch

            return bool(torch.cuda.is_available())
        import tensorflow as tf

        return bool(tf.config.list_physical_devices("GPU"))
    except Exception:  # a missing or broken backend means no usable GPU
        return False


def get_profile(name: str) -> Profile:
    """Return the profile called ``name``.

    Raises:
        TypeError: if ``name`` is not a string.
        ValueError: if no profile has that name; the message lists the valid ones.
    """
    if not isinstance(name, str):
        raise TypeError(
            f"profile must be a string naming a profile, got {type(name).__name__} {name!r}; "
            f"valid profiles: {', '.join(PROFILES)}"
        )
    key = name.strip().lower()
    if key not in PROFILES:
        raise ValueError(
            f"unknown profile {name!r}; valid profiles: {', '.join(PROFILES)} "
            f"(set it with the notebook parameter PROFILE, the {ENV_VAR} environment "
            "variable or `rnn-tutorial run --profile NAME`)"
        )
    return PROFILES[key]


def resolve_profile(profile: "str | Profile | None" = None) -> Profile:
    """Resolve the profile a run uses.

    Args:
        profile: a profile name, a :class:`Profile`, or ``None``.

    Returns:
        ``profile`` itself if it is a :class:`Profile`; the profile it names if it is a
        string; otherwise the one named by ``RNN_TUTORIAL_PROFILE``; otherwise
        ``full`` when a GPU is visible and ``laptop`` when not.
    """
    if isinstance(profile, Profile):
        return profile
    if profile is not None:
        return get_profile(profile)
    from_env = os.environ.get(ENV_VAR, "").strip()
    if from_env:
        return get_profile(from_env)
    return PROFILES["full"] if gpu_visible() else PROFILES["laptop"]
