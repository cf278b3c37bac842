"""Where the book's files are: the repository root and the folders under it.

The one place the package finds its repository (a leaf module: it imports nothing of the
package). The root is the first folder above this file holding both ``pyproject.toml``
and ``chapters/``; a package installed elsewhere falls back to the current directory.

Layout::

    <root>/chapters/            the notebooks
    <root>/data/aclImdb/        the vendored reviews (or $RNN_TUTORIAL_DATA)
    <root>/data/contrast/       the contrast pairs
    <root>/results/<profile>/   recorded metrics; results/bench/ the benchmarks
    <root>/build/cache/         vocabulary and encoding caches
    <root>/build/checkpoints/   model checkpoints, one folder per profile
"""

from __future__ import annotations

import os
from pathlib import Path


def repo_root() -> Path:
    """The repository root (the folder holding ``pyproject.toml`` and ``chapters/``), else the cwd."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "chapters").is_dir() and (parent / "pyproject.toml").exists():
            return parent
    return Path.cwd()


def _explicit(name: str, path) -> "Path | None":
    if path is None:
        return None
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"{name} must be a path (str or os.PathLike) or None, got {type(path).__name__} {path!r}")
    return Path(path)


def results_dir(root: "str | os.PathLike[str] | None" = None) -> Path:
    """``results/`` of the repository (or under ``root``)."""
    return (_explicit("root", root) or repo_root()) / "results"


def cache_dir(path: "str | os.PathLike[str] | None" = None) -> Path:
    """The cache folder: ``path``, else ``build/cache`` of the repository."""
    return _explicit("path", path) or repo_root() / "build" / "cache"


def build_dir() -> Path:
    """``build/`` of the repository: caches, checkpoints, executed notebooks."""
    return repo_root() / "build"


def data_folder(name: str) -> Path:
    """``data/<name>`` of the repository (``aclImdb``, ``contrast``)."""
    return repo_root() / "data" / name
