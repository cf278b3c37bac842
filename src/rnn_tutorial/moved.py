"""Names that moved to another module, still importable from the old one (a leaf module).

A module that gave names away defines ``MOVED = {name: new_module}`` and
``__getattr__ = moved_names(__name__, MOVED)``: ``from rnn_tutorial.text import make_splits``
then resolves lazily to ``rnn_tutorial.splits.make_splits``, so the new module never has
to import the old one back. Kept until every chapter imports the names from their new home.
"""

from __future__ import annotations

import importlib
from typing import Callable, Mapping


def moved_names(module: str, moved: Mapping[str, str]) -> Callable:
    """A module-level ``__getattr__`` resolving ``moved`` names in the package's new modules."""
    package = module.rsplit(".", 1)[0]

    def __getattr__(name: str):
        if name in moved:
            return getattr(importlib.import_module(f".{moved[name]}", package), name)
        raise AttributeError(f"module {module!r} has no attribute {name!r}")

    return __getattr__
