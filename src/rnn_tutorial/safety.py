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

import json
import os
import tokenize
import zipfile
import zlib
from pathlib import Path

import numpy as np

from .errors import DataIntegrityError, UnsafeFileError


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


_KERAS_WEIGHTS = ("model.weights.h5", "model.weights.npz")
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError)


def _check_keras_archive(path: Path) -> None:
    """Raise :class:`DataIntegrityError` unless ``path`` is a whole, well-formed ``.keras`` archive.

    Checks what Keras would otherwise report with a bare ``BadZipFile``,
    ``JSONDecodeError`` or ``KeyError``: the zip directory, every member's CRC, the
    presence of ``config.json`` and of the weights file, and that ``config.json`` is a
    JSON object describing a model.
    """

    again = "save the model again (or restore the file from a backup)"
    if not zipfile.is_zipfile(path):
        raise DataIntegrityError(f"model file {path} is not a valid .keras archive (truncated or corrupted); {again}")
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            damaged = archive.testzip()  # reads every member and checks its CRC-32
            raw = archive.read("config.json") if damaged is None and "config.json" in names else None
    except _ZIP_ERRORS as err:
        raise DataIntegrityError(f"model file {path} is not a readable .keras archive ({type(err).__name__}: {err}); {again}") from err
    if damaged is not None:
        raise DataIntegrityError(f"model file {path} is corrupted: archive member {damaged!r} fails its CRC-32 check; {again}")
    if raw is None:
        raise DataIntegrityError(f"model file {path} has no config.json (members: {sorted(names)}), so it is not a "
                                 f".keras model; {again}")
    if not any(name in names for name in _KERAS_WEIGHTS):
        raise DataIntegrityError(f"model file {path} has no weights file ({' or '.join(_KERAS_WEIGHTS)}; "
                                 f"members: {sorted(names)}); {again}")
    try:
        config = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as err:
        raise DataIntegrityError(f"model file {path} has a config.json that is not valid JSON ({err}); {again}") from err
    if not isinstance(config, dict) or not isinstance(config.get("class_name"), str) or not isinstance(config.get("config"), dict):
        got = f"keys {sorted(config)}" if isinstance(config, dict) else type(config).__name__
        raise DataIntegrityError(f"model file {path} has a config.json that does not describe a model "
                                 f"(expected an object with 'class_name' and 'config', got {got}); {again}")


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
        DataIntegrityError: if the file is not a readable ``.keras`` archive: truncated,
            a member failing its CRC check, no ``config.json`` or weights file, or a
            ``config.json`` that is not a JSON object describing a model. The message
            names the file and what is wrong.
    """
    import keras


    path = _existing_file("path", path, (".keras",))
    _check_keras_archive(path)
    try:
        return keras.saving.load_model(path, custom_objects=custom_objects, compile=compile, safe_mode=True)
    except ValueError as err:
        if "safe_mode" in str(err) or "unsafe" in str(err).lower() or "lambda" in str(err).lower():
            raise UnsafeFileError(
                f"refusing to load {path}: it contains executable code (e.g. a Lambda layer) that Keras's "
                f"safe mode does not run; rebuild the model from registered layers. Keras said: {err}"
            ) from err
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, KeyError) as err:
        raise DataIntegrityError(
            f"model file {path} is damaged: Keras could not read it ({type(err).__name__}: {err}); "
            "save the model again (or restore the file from a backup)"
        ) from err


_NPY_MAGIC = b"\x93NUMPY"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")  # a zip with members, an empty zip


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
        DataIntegrityError: naming the file, if it is not a NumPy ``.npy``/``.npz``
            file at all (its first bytes are neither NumPy's nor a zip archive's), or if
            it is truncated or damaged (a bad zip member, an unreadable array header).
    """

    path = _existing_file("path", path, (".npz", ".npy"))
    rebuild = "delete it and rebuild it"
    try:
        with open(path, "rb") as handle:
            head = handle.read(len(_NPY_MAGIC))
    except OSError as err:
        raise DataIntegrityError(f"array file {path} cannot be read ({err})") from err
    npy = path.suffix.lower() == ".npy"
    if not (head.startswith(_NPY_MAGIC) if npy else head.startswith(_ZIP_MAGICS)):
        kind = "an .npy file starts with b'\\x93NUMPY'" if npy else "an .npz file is a zip archive, starting with b'PK'"
        raise DataIntegrityError(
            f"array file {path} is not a NumPy .npy/.npz file: {kind}, this one starts with {head!r}; {rebuild}"
        )
    try:
        if npy:
            return {"arr_0": np.load(path, allow_pickle=False)}
        with np.load(path, allow_pickle=False) as stored:
            arrays = {name: stored[name] for name in stored.files}
    except ValueError as err:
        if "allow_pickle" in str(err) or "pickle" in str(err).lower():
            raise UnsafeFileError(
                f"refusing to load {path}: it holds an object array, stored as a pickle that could run code; "
                "store plain numeric or string arrays instead"
            ) from err
        raise DataIntegrityError(f"array file {path} is unreadable ({err}); {rebuild}") from err
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error, KeyError, SyntaxError, tokenize.TokenError,
            TypeError, MemoryError, OverflowError, RecursionError) as err:
        raise DataIntegrityError(
            f"array file {path} is truncated or corrupted ({type(err).__name__}: {err}); {rebuild}"
        ) from err
    # NumPy hands back the raw bytes of an archive member that is not an .npy file
    strays = [name for name, value in arrays.items() if not isinstance(value, np.ndarray)]
    if strays:
        raise DataIntegrityError(
            f"array file {path} holds member(s) {', '.join(map(repr, strays))} that are not NumPy arrays "
            f"(no .npy header); {rebuild}"
        )
    return arrays
