"""Tiny chapter notebooks for the runner's and the kernels' tests (not a test module)."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook


def write_chapter(path: Path, *bodies: str) -> None:
    """Write a chapter: the tagged parameters cell (``PROFILE = None``), then a code cell
    per body, with stable cell ids ``cell0``, ``cell1``, ..."""
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    params = new_code_cell("PROFILE = None")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, *(new_code_cell(body) for body in bodies)]
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell{i}"
    nbformat.write(nb, path)
