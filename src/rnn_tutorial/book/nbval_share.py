"""How many of a chapter's stored outputs ``pytest --nbval`` compares.

nbval re-executes a chapter under the ci profile and compares each code cell's outputs
with the stored (laptop-profile) ones, except in cells tagged ``nbval-ignore-output``
(or ``nbval-skip``). The unit counted is a code cell with outputs (printed text, a
displayed value, a figure, glued values): nbval compares or ignores a cell's outputs
together. Images are compared by nbval through their text form only; their pixels never
are.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, NamedTuple, Optional

IGNORING_TAGS = ("nbval-ignore-output", "nbval-skip")


class Share(NamedTuple):
    """The code cells with outputs of one chapter: how many nbval compares, out of how many."""

    chapter: str
    compared: int
    total: int

    @property
    def fraction(self) -> float:
        return self.compared / self.total if self.total else 1.0


def chapter_share(path: "str | Path") -> Share:
    """Count the code cells with outputs of the notebook at ``path`` that nbval compares.

    Raises:
        ValueError: if the file is not a notebook (naming it).
    """
    path = Path(path)
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        cells = notebook["cells"]
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise ValueError(f"{path} is not a readable notebook ({type(err).__name__}: {err})") from None
    compared = total = 0
    for cell in cells:
        if cell.get("cell_type") != "code":
            continue
        outputs = 1 if cell.get("outputs") else 0
        tags = cell.get("metadata", {}).get("tags", [])
        total += outputs
        if not any(tag in tags for tag in IGNORING_TAGS):
            compared += outputs
    return Share(path.stem, compared, total)


def shares(folder: "str | Path", only: Optional[Iterable[str]] = None) -> list[Share]:
    """:func:`chapter_share` of every ``NN_*.ipynb`` in ``folder`` (or those named in ``only``)."""
    wanted = set(only) if only is not None else None
    return [chapter_share(p) for p in sorted(Path(folder).glob("[0-9][0-9]_*.ipynb"))
            if wanted is None or p.stem in wanted]


def share_table(folder: "str | Path", only: Optional[Iterable[str]] = None) -> str:
    """A small text table: chapter, cells with outputs compared, such cells in all, share."""
    rows = shares(folder, only)
    if not rows:
        return "no chapters"
    width = max(len(r.chapter) for r in rows)
    lines = [f"{'chapter':<{width}}  compared  of  share"]
    for r in rows:
        lines.append(f"{r.chapter:<{width}}  {r.compared:>8}  {r.total:>3}  {r.fraction:>5.0%}")
    compared, total = sum(r.compared for r in rows), sum(r.total for r in rows)
    lines.append(f"{'all':<{width}}  {compared:>8}  {total:>3}  {compared / max(total, 1):>5.0%}")
    return "\n".join(lines)


if __name__ == "__main__":
    print(share_table(Path(__file__).resolve().parents[3] / "chapters"))
