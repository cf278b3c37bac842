"""Generated book pages: the results page and the glossary's back-links.

``python -m rnn_tutorial.report`` writes ``book/results.md``: every recorded metric per
profile with the hardware and versions that produced it, and a status table with each
chapter's execution time. ``make book`` and ``make test`` run it before building, so the
page is never typed by hand and cannot drift from the records.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Optional

from .files import write_text_atomic
from .profiles import PROFILES
from .results import load_results


def _fmt(value: float) -> str:
    if value == int(value) and abs(value) < 1e12:
        return f"{int(value):,}"
    if abs(value) >= 1e-3:
        return f"{value:.4f}"
    return f"{value:.2e}"


def _check_records(records) -> None:
    """Refuse anything but a list of result records (dicts with ``chapter`` and ``profile``)."""
    if isinstance(records, (str, bytes, dict)) or not isinstance(records, (list, tuple)):
        raise TypeError(f"records must be a list of result dicts (see rnn_tutorial.results.load_results), got {type(records).__name__}")
    for i, record in enumerate(records):
        if not isinstance(record, dict) or not {"chapter", "profile"} <= set(record):
            shown = sorted(record) if isinstance(record, dict) else type(record).__name__
            raise ValueError(f"records[{i}] must be a dict with at least 'chapter' and 'profile', got {shown}; "
                             "rerun that chapter with `rnn-tutorial run` to rewrite its record")
        if not isinstance(record.get("metrics", {}), dict):
            raise ValueError(f"records[{i}]['metrics'] must be a dict of name -> number, got {record['metrics']!r}")


def _by_profile(records: list[dict]) -> list[tuple[str, list[dict]]]:
    _check_records(records)
    order = {name: i for i, name in enumerate(PROFILES)}
    groups: dict[str, list[dict]] = {}
    for record in records:
        groups.setdefault(record.get("profile", "?"), []).append(record)
    return [(p, sorted(groups[p], key=lambda r: r["chapter"])) for p in sorted(groups, key=lambda p: order.get(p, 99))]


def render(records: list[dict]) -> str:
    """Render the results page (MyST markdown): every metric per profile, with hardware."""
    lines = [
        "# Results",
        "",
        "Every number below was written by the runner (`rnn-tutorial run`) into",
        "`results/<profile>/<chapter>.json` while it executed the chapter; this page is",
        "generated from those files by `python -m rnn_tutorial.report` at build time.",
        "",
    ]
    if not records:
        return "\n".join(lines + ["No chapter has been recorded yet: run `make run PROFILE=laptop`.", ""])
    for profile, group in _by_profile(records):
        description = PROFILES[profile].description if profile in PROFILES else ""
        devices = sorted({f"{r.get('device')} ({r.get('backend')})" for r in group})
        lines += [f"## Profile `{profile}`", "", f"{description}. Hardware: {'; '.join(devices)}.", ""]
        lines += ["| chapter | metric | value |", "| --- | --- | ---: |"]
        for r in group:
            for name, value in sorted(r.get("metrics", {}).items()):
                lines.append(f"| {r['chapter']} | `{name}` | {_fmt(value)} |")
        versions: dict[str, str] = {}
        for r in group:
            versions.update(r.get("versions", {}))
        if versions:
            lines += ["", "Library versions: " + ", ".join(f"{k} {v}" for k, v in sorted(versions.items())) + "."]
        lines.append("")
    return "\n".join(lines)


def render_status(records: list[dict]) -> str:
    """Render the execution status page: when and how long each chapter ran, and where."""
    lines = [
        "# Execution status",
        "",
        "When each chapter was last executed by the runner, under which profile, on which",
        "hardware, and how long it took. Generated from `results/<profile>/<chapter>.json`.",
        "",
    ]
    if not records:
        return "\n".join(lines + ["No chapter has been recorded yet.", ""])
    lines += ["| profile | chapter | started (UTC) | duration | backend | device |", "| --- | --- | --- | ---: | --- | --- |"]
    for profile, group in _by_profile(records):
        for r in group:
            lines.append(
                f"| {profile} | {r['chapter']} | {r.get('started', '')} | {r.get('duration_s', 0):.1f} s "
                f"| {r.get('backend', '')} | {r.get('device', '')} |"
            )
        total = sum(r.get("duration_s", 0) for r in group)
        lines.append(f"| {profile} | **all recorded chapters** | | **{total:.1f} s** | | |")
    return "\n".join(lines + [""])


_TERM = re.compile(r"\{term\}`([^`<]+?)(?:\s*<([^>]+)>)?`")


def glossary_uses(root: Path) -> dict[str, list[str]]:
    """Map each glossary term to the chapters (in the table of contents) that link it."""
    toc = (root / "_toc.yml").read_text(encoding="utf-8")
    uses: dict[str, set] = {}
    for path in sorted((root / "chapters").glob("[0-9][0-9]_*.ipynb")):
        if f"chapters/{path.stem}" not in toc:
            continue
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] != "markdown":
                continue
            for match in _TERM.finditer("".join(cell["source"])):
                uses.setdefault((match.group(2) or match.group(1)).strip(), set()).add(path.stem)
    return {term: sorted(chapters) for term, chapters in uses.items()}


def link_glossary(root: Optional[Path] = None) -> Path:
    """Rewrite the "Used in:" line of each entry of ``book/glossary.md``.

    Chapters link terms with ``{term}``; this gives every glossary entry links back to
    the chapters that use it, so the glossary and the chapters link both ways.
    """
    from .runner import repo_root

    root = Path(root) if root else repo_root()
    path = root / "book" / "glossary.md"
    uses = glossary_uses(root)
    out: list[str] = []
    term, inside = None, False

    def close_entry():
        if term and uses.get(term):
            while out and out[-1] == "":
                out.pop()
            out.append("")
            out.append("  Used in: " + ", ".join(f"{{doc}}`/chapters/{c}`" for c in uses[term]) + ".")
            out.append("")

    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.startswith("```{glossary}"):
            inside = True
        elif inside and line.startswith("```"):
            close_entry()
            inside, term = False, None
        elif inside and line.strip().startswith("Used in:"):
            continue
        elif inside and line and not line.startswith(" "):
            close_entry()
            term = line.strip()
        out.append(line)
    return write_text_atomic(path, "\n".join(out))


def write_results_page(root: Optional[Path] = None) -> Path:
    """Write ``book/results.md`` and ``book/status.md`` from the records under ``root``."""
    from .runner import repo_root

    root = Path(root) if root else repo_root()
    records = load_results(root)
    from .benchmarks import write_bench_tables

    write_bench_tables(root)
    write_text_atomic(root / "book" / "status.md", render_status(records))
    return write_text_atomic(root / "book" / "results.md", render(records))


if __name__ == "__main__":
    write_results_page()
    link_glossary()
    print("wrote book/results.md, book/status.md and the glossary's back-links", file=sys.stderr)
