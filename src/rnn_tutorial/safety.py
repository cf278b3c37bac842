"""Safe loading: models in Keras's safe mode, arrays without pickles.

A saved file can carry code: a ``.keras`` model with a ``Lambda`` layer stores the
lambda's Python bytecode, and an ``.npy``/``.npz`` file with an object array stores a
pickle that runs arbitrary code when it is loaded. The loaders here never execute such
code: they refuse the file with an error that says why and what to do instead.

Example:
    >>> from rnn_tutorial.safety import load_model, load_arrays
    >>> model = load_model("build/checkpoints/ci/sentiment/best.keras")
    >>> arrays = load_arrays("build/cache/some.npz")      # {name: np.ndarray}
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import numpy as np


class UnsafeFileError(ValueError):
    """A file would need to execute code (a pickle, a lambda) to be loaded."""


def _existing_file(name: str, path, suffixes: tuple[str, ...]) -> Path:
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"{name} must be a path (str or os.PathLike), got {type(path).__name__} {path!r}")
    path = Path(path)
    if path.suffix.lower() not in suffixes:
        raise ValueError(
            f"{name} must name a {' or '.join(suffixes)} file, got {str(path)!r}; "
            "other formats (legacy .h5, SavedModel folders, pickles) are not loaded by the package"
        )
    if not path.is_file():
        raise FileNotFoundError(f"{name} {str(path)!r} does not exist or is not a file")
    return path


def load_model(path: "str | os.PathLike[str]", custom_objects: "dict | None" = None, compile: bool = True):
    """Load a ``.keras`` model with Keras's safe mode always on.

    Args:
        path: a ``.keras`` file written by ``model.save``.
        custom_objects: extra registered classes or functions the model needs.
        compile: restore the optimizer and loss as saved (default ``True``).

    Returns:
        The ``keras.Model``.

    Raises:
        TypeError: if ``path`` is not a path.
        ValueError: if ``path`` is not a ``.keras`` file.
        FileNotFoundError: if it does not exist.
        UnsafeFileError: if the model holds code that only an unsafe load would run
            (a ``Lambda`` layer's bytecode); rebuild the model without it, or with a
            registered layer class (``keras.saving.register_keras_serializable``).
        DataIntegrityError: if the file is not a readable ``.keras`` archive
            (truncated or corrupted).
    """
    import keras

    from .data import DataIntegrityError

    path = _existing_file("path", path, (".keras",))
    if not zipfile.is_zipfile(path):
        raise DataIntegrityError(f"model file {path} is not a valid .keras archive (truncated or corrupted); save the model again")
    try:
        return keras.saving.load_model(path, custom_objects=custom_objects, compile=compile, safe_mode=True)
    except ValueError as err:
        if "safe_mode" in str(err) or "unsafe" in str(err).lower() or "lambda" in str(err).lower():
            raise UnsafeFileError(
                f"refusing to load {path}: it contains executable code (e.g. a Lambda layer) that Keras's "
                f"safe mode does not run; rebuild the model from registered layers. Keras said: {err}"
            ) from err
        raise


def load_arrays(path: "str | os.PathLike[str]") -> dict[str, np.ndarray]:
    """Read every array of an ``.npz`` (or the array of an ``.npy``) without pickles.

    Args:
        path: an ``.npz`` or ``.npy`` file.

    Returns:
        ``{name: array}`` (an ``.npy`` file gives ``{"arr_0": array}``), fully read into
        memory, so the file is closed on return.

    Raises:
        UnsafeFileError: if an array is an object array (a pickle); such files are
            never loaded, because unpickling can run arbitrary code.
        DataIntegrityError: if the file is truncated or is not a NumPy file.
    """
    from .data import DataIntegrityError

    path = _existing_file("path", path, (".npz", ".npy"))
    try:
        if path.suffix.lower() == ".npy":
            return {"arr_0": np.load(path, allow_pickle=False)}
        with np.load(path, allow_pickle=False) as stored:
            return {name: stored[name] for name in stored.files}
    except ValueError as err:
        if "allow_pickle" in str(err) or "pickle" in str(err).lower():
            raise UnsafeFileError(
                f"refusing to load {path}: it holds an object array, stored as a pickle that could run code; "
                "store plain numeric or string arrays instead"
            ) from err
        raise DataIntegrityError(f"array file {path} is unreadable ({err}); delete it and rebuild it") from err
    except (OSError, EOFError, zipfile.BadZipFile, KeyError) as err:
        raise DataIntegrityError(f"array file {path} is truncated or corrupted ({err}); delete it and rebuild it") from err
