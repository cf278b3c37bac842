"""Run-time set-up shared by every chapter: quiet logs, seeds, determinism, hardware.

A chapter's first cells are::

    PROFILE = None                      # tagged `parameters`; papermill overrides it
    from rnn_tutorial import setup
    run = setup(PROFILE, chapter="01_concepts")

:func:`setup` resolves the profile, seeds Python, NumPy and the Keras backend, turns on
deterministic ops where the backend offers them, silences TensorFlow's start-up noise
and prints one line naming the profile, backend and device, so every stored output
records the hardware that produced it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import platform
import random
import sys
import warnings
from typing import Optional

from .profiles import Profile, resolve_profile
from .validation import check_int

DEFAULT_SEED = 1234
MAX_SEED = 2**32 - 1
"""The largest seed NumPy's legacy ``np.random.seed`` (and so :func:`seed_everything`) accepts."""
SEED_ENV_VAR = "RNN_TUTORIAL_SEED"
"""Environment variable that changes the seed of a run whose chapter passes none
(``rnn-tutorial run --seed N`` sets it; the reference bands are measured with it)."""
BACKENDS = ("tensorflow", "jax", "torch")


def quiet_logs() -> None:
    """Silence TensorFlow/XLA start-up messages and Python warnings noise.

    Must run before TensorFlow is imported to take full effect; the package calls it
    on import.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")  # identical numbers run to run
    os.environ.setdefault("GRPC_VERBOSITY", "ERROR")
    os.environ.setdefault("ABSL_MIN_LOG_LEVEL", "3")
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", message=".*np.find_common_type.*")


@contextlib.contextmanager
def quiet_retracing():
    """A context that silences TensorFlow's "retracing" notice (bucketed batches have many
    widths, each traced once); a no-op on other backends."""
    try:
        import tensorflow as tf
    except ImportError:
        yield
        return
    logger = tf.get_logger()
    level = logger.level
    logger.setLevel("ERROR")
    try:
        yield
    finally:
        logger.setLevel(level)


def backend_name() -> str:
    """Return the Keras backend in use (``tensorflow``, ``jax`` or ``torch``)."""
    import keras

    return keras.backend.backend()


def device_description() -> str:
    """Describe the accelerator the backend uses, or the CPU, in a few words."""
    backend = os.environ.get("KERAS_BACKEND", "tensorflow")
    try:
        if backend == "jax":
            import jax

            gpus = [d for d in jax.devices() if d.platform == "gpu"]
            if gpus:
                return f"GPU: {gpus[0].device_kind} x{len(gpus)}"
        elif backend == "torch":
            import torch

            if torch.cuda.is_available():
                return f"GPU: {torch.cuda.get_device_name(0)} x{torch.cuda.device_count()}"
        else:
            import tensorflow as tf

            gpus = tf.config.list_physical_devices("GPU")
            if gpus:
                details = tf.config.experimental.get_device_details(gpus[0])
                return f"GPU: {details.get('device_name', 'GPU')} x{len(gpus)}"
    except Exception:
        pass
    return f"CPU: {platform.machine()}, {os.cpu_count()} cores"


def versions() -> dict[str, str]:
    """Return the versions of Python and the libraries that shape the results."""
    found = {"python": platform.python_version()}
    for module in ("numpy", "keras", "tensorflow", "jax", "torch", "rnn_tutorial"):
        if module in sys.modules or module in ("numpy", "keras", "rnn_tutorial"):
            try:
                mod = __import__(module)
                found[module] = getattr(mod, "__version__", "unknown")
            except Exception:
                continue
    return found


def _check_seed(seed) -> int:
    """``seed`` as a Python ``int`` from 0 to :data:`MAX_SEED`, or a ``TypeError``/``ValueError``."""
    return check_int("seed", seed, min=0, max=MAX_SEED, hint="NumPy seeds its generator with 32 bits")


def seed_everything(seed: int = DEFAULT_SEED) -> None:
    """Seed Python, NumPy and the Keras backend, and enable deterministic ops.

    Args:
        seed: an integer from 0 to ``2**32 - 1`` (what NumPy's ``np.random.seed``
            accepts), a Python or NumPy integer; it is checked before anything is seeded.

    Raises:
        TypeError: ``seed`` is not an integer (a bool, a float, a string).
        ValueError: ``seed`` is negative or above ``2**32 - 1``.
    """
    seed = _check_seed(seed)
    os.environ["PYTHONHASHSEED"] = str(seed)
    random.seed(seed)
    import numpy as np
    import keras

    np.random.seed(seed)
    keras.utils.set_random_seed(seed)
    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        try:
            tf.config.experimental.enable_op_determinism()
        except Exception:
            pass
    elif keras.backend.backend() == "torch":
        import torch

        torch.use_deterministic_algorithms(True, warn_only=True)


@dataclasses.dataclass(frozen=True)
class Run:
    """What :func:`setup` resolved for a chapter run.

    Attributes:
        chapter: the chapter's identifier, for example ``"01_concepts"``.
        profile: the resolved :class:`~rnn_tutorial.profiles.Profile`.
        backend: the Keras backend.
        device: a few words describing the hardware.
        seed: the seed everything was seeded with.
    """

    chapter: str
    profile: Profile
    backend: str
    device: str
    seed: int

    def describe(self) -> str:
        """One line naming the chapter, profile, backend and device."""
        return f"chapter {self.chapter} | profile {self.profile.name} | backend {self.backend} | {self.device}"


def default_seed() -> int:
    """The seed a chapter uses when it passes none: ``RNN_TUTORIAL_SEED``, else 1234.

    Raises:
        ValueError: if the environment variable is set but is not a non-negative integer
            written in ASCII digits, or is above ``2**32 - 1``.
    """
    raw = os.environ.get(SEED_ENV_VAR, "").strip()
    if not raw:
        return DEFAULT_SEED
    if not (raw.isascii() and raw.isdigit()):   # "²" and "١٢" pass str.isdigit() alone
        raise ValueError(
            f"{SEED_ENV_VAR}={raw!r} is not a non-negative integer; set it to a seed such as 1234 "
            f"(ASCII digits only) or unset it to use the default {DEFAULT_SEED}"
        )
    seed = int(raw)
    if seed > MAX_SEED:
        raise ValueError(
            f"{SEED_ENV_VAR}={raw!r} is above {MAX_SEED}, the largest seed NumPy accepts; set it to a seed "
            f"from 0 to {MAX_SEED} or unset it to use the default {DEFAULT_SEED}"
        )
    return seed


def compilation_cache(folder: "str | os.PathLike[str] | None" = None) -> "Optional[str]":
    """Under JAX, keep compiled XLA programs on disk and reuse them across processes.

    JAX compiles every training, evaluation and prediction step it meets (on a CPU, about
    a third of a small ci fit's time: 12 of 36 s for one ``bigru_pooled``). Two models of
    the same architecture compile to the same program, so with this cache a chapter, or
    a later chapter in another process, loads it instead of compiling it again; the
    program run is the same, so are the numbers. The cache is keyed by the program's
    content, JAX's version and the device; entries live in ``folder`` (default
    ``build/cache/jax``). With the ``filelock`` package the cache is size-capped
    (2 GiB) and locked, so concurrent processes (``pytest -n 2``) share it safely.

    A no-op under other backends, and where ``JAX_COMPILATION_CACHE_DIR`` already names
    a folder (yours wins). Call it before JAX compiles anything: JAX decides at its
    first compilation whether a cache is in use (:func:`setup` calls it first thing).

    Args:
        folder: where to keep the programs; ``None``: ``build/cache/jax``.

    Returns:
        The cache folder in use, or ``None`` when no cache is set (not JAX, or a folder
        that cannot be created: a warning then says which and how to choose another).
    """
    from .paths import cache_dir

    if folder is not None and not isinstance(folder, (str, os.PathLike)):
        raise TypeError(f"folder must be a path (str or os.PathLike) or None, got {type(folder).__name__} {folder!r}")
    if backend_name() != "jax":
        return None
    import jax

    chosen = os.environ.get("JAX_COMPILATION_CACHE_DIR")
    if chosen:
        return chosen
    path = os.fspath(folder) if folder is not None else str(cache_dir() / "jax")
    try:
        os.makedirs(path, exist_ok=True)
    except OSError as error:  # a cache only saves time: run without one rather than fail
        warnings.warn(f"JAX's compiled programs are not cached: cannot create {path!r} ({error}); "
                      "set JAX_COMPILATION_CACHE_DIR to a writable folder to cache them", stacklevel=2)
        return None
    try:
        import filelock  # noqa: F401  (JAX locks a size-capped cache with it)

        jax.config.update("jax_compilation_cache_max_size", 2 * 1024 ** 3)
    except ImportError:
        pass
    jax.config.update("jax_compilation_cache_dir", path)
    return path


def setup(profile: "str | Profile | None" = None, chapter: str = "", seed: Optional[int] = None, show: bool = True) -> Run:
    """Prepare a chapter run: quiet logs, resolve the profile, seed, describe hardware.

    Args:
        profile: the notebook's ``PROFILE`` parameter (``None`` to resolve it from the
            environment; see :func:`rnn_tutorial.profiles.resolve_profile`).
        chapter: the chapter's identifier, recorded with its metrics.
        seed: the seed for Python, NumPy and the backend, an integer from 0 to
            ``2**32 - 1`` (``None``: :func:`default_seed`, 1234 unless ``RNN_TUTORIAL_SEED``
            says otherwise).
        show: print the one-line description.

    Returns:
        A :class:`Run`.
    """
    quiet_logs()
    if not isinstance(chapter, str):
        raise TypeError(f"chapter must be a string naming the chapter (e.g. '01_concepts'), got {type(chapter).__name__} {chapter!r}")
    if seed is not None:
        seed = _check_seed(seed)   # a Python int for the Run and its record, checked before any seeding
    resolved = resolve_profile(profile)
    import keras

    backend = keras.backend.backend()
    if backend not in BACKENDS:
        raise ValueError(f"unsupported Keras backend {backend!r}; set KERAS_BACKEND to one of {', '.join(BACKENDS)}")
    compilation_cache()  # before the seeding compiles anything
    seed = default_seed() if seed is None else seed
    seed_everything(seed)
    run = Run(chapter=chapter, profile=resolved, backend=backend, device=device_description(), seed=seed)
    from .results import register_run

    register_run(run, versions())
    if show:
        print(run.describe())
    return run
