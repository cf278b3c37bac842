"""Generated book pages: the results page and the glossary's back-links.

``python -m rnn_tutorial.book.report`` writes ``book/results.md``, generated from the records
under ``results/`` (:func:`rnn_tutorial.results.read_results`), never typed by hand:

1. a summary, one row per chapter: its headline metric and the anchor it is compared
   with (:data:`HEADLINES`, keyed by the chapter's slug, so renumbering chapters changes
   nothing), from the laptop profile's record, else full's, else ci's (:data:`PREFERENCE`);
2. a figure per profile: every model's test accuracy (``<variant>_test_accuracy``)
   against its training time (``<variant>_seconds`` or ``<variant>_train_seconds``, as
   :func:`~rnn_tutorial.leaderboard.variants_from_metrics` pairs them), the bigram
   baseline as a horizontal line; saved to ``book/generated/`` (made here; git-ignored);
3. every recorded metric per profile, with the hardware and versions that produced it;
4. the benchmarks (``results/bench/``) in their own section: never counted as chapters,
   nor in any profile's total of chapter run times.

It also writes ``book/status.md`` (when and how long each chapter ran).

Trust: files under ``results/`` that cannot be trusted (a stray name such as
``05_training copy.json``, a nested folder, a ``profile`` or ``chapter`` field that
disagrees with the folder or file name, a metric that is not a finite number: a string,
NaN, infinity, ``null``, a bool, a list, a dict) are **left out whole, with a warning
naming the file** (and the metric), on stderr and in a warning box at the top of the page;
the page is still built. :mod:`rnn_tutorial.results` documents the policy. Called directly
with records, :func:`render` and :func:`render_status` raise ``ValueError`` on such a
record instead (there is no file to name, so nothing to leave out quietly). Every name put
in a table is escaped, so a ``|`` or a line break in it cannot break the Markdown table.
``make book`` and ``make test`` run this module before building.
"""

from __future__ import annotations

import dataclasses
import json
import math
import numbers
import re
import sys
from pathlib import Path
from typing import Iterable, Optional

from ..files import atomic_write, write_text_atomic
from ..paths import repo_root
from ..leaderboard import variants_from_records
from ..profiles import PROFILES
from ..results import Note, chapter_slug, read_results, warn_skipped


@dataclasses.dataclass(frozen=True)
class Headline:
    """What the summary shows for a chapter: one metric and the anchor it is compared with.

    Attributes:
        metric: the metric's name, or ``None`` when the chapter records none worth a headline.
        anchor: the metric it is compared with, or ``None``. Looked up in the chapter's
            own record first, then in the other records of the same profile (the bigram
            baseline is recorded by the improvements chapter).
    """

    metric: Optional[str]
    anchor: Optional[str] = None


HEADLINES: dict[str, Headline] = {
    "concepts": Headline("gru_shut_gate_max_change", "gru_open_gate_max_change"),
    "time_steps": Headline("bptt_grad_rel_error"),
    "gated_cells": Headline("lstm_total_grad_norm", "lstm_cell_path_grad_norm"),
    "data_preparation": Headline(None),
    "lstm_models": Headline(None),
    "training": Headline("lstm_test_accuracy", "bigram_baseline_test_accuracy"),
    "improvements": Headline("best_supervised_test_accuracy", "bigram_baseline_test_accuracy"),
    "pretraining": Headline("pretrained_test_accuracy", "bigram_baseline_test_accuracy"),
    "sequence_gan": Headline("gan_score"),
}
"""Each chapter's headline metric and anchor, keyed by the slug (the chapter's name after
its number). A chapter missing here, or a metric missing from its record, shows ``-``."""

PREFERENCE: tuple[str, ...] = ("laptop", "full", "ci")
"""The profile whose record the summary shows, first found first."""

BASELINE = "bigram_baseline"
"""The variant drawn as a horizontal line in the accuracy-against-time figure."""
GENERATED = "generated"
"""``book/generated/``: files made at build time (git-ignored)."""


def _fmt(value: float) -> str:
    if value == int(value) and abs(value) < 1e12:
        return f"{int(value):,}"
    if abs(value) >= 1e-3:
        return f"{value:.4f}"
    return f"{value:.2e}"


def _duration(seconds: float) -> str:
    return f"{seconds:.1f} s" if seconds < 120 else f"{seconds / 60:.1f} min"


_SPECIAL = re.compile(r"([\\`*<>\[\]|$])")


def _cell(text) -> str:
    """``text`` made safe in a Markdown table cell or a list item: one line, ``|`` and markup escaped."""
    text = " ".join(str(text).splitlines()) if text is not None else ""
    return _SPECIAL.sub(r"\\\1", text)


def _code(text) -> str:
    """``text`` as inline code, safe in a table cell (``|`` escaped, one line)."""
    text = " ".join(str(text).splitlines())
    if "`" in text or text.strip() != text or not text:
        return _cell(text)
    return "`" + text.replace("|", "\\|") + "`"


def _bad_metric(value) -> bool:
    return isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(float(value))


def _check_records(records) -> None:
    """Refuse anything but a list of result records (dicts with ``chapter`` and ``profile``, numeric metrics)."""
    if isinstance(records, (str, bytes, dict)) or not isinstance(records, (list, tuple)):
        raise TypeError(f"records must be a list of result dicts (see rnn_tutorial.results.load_results), got {type(records).__name__}")
    for i, record in enumerate(records):
        if not isinstance(record, dict) or not {"chapter", "profile"} <= set(record):
            shown = sorted(record) if isinstance(record, dict) else type(record).__name__
            raise ValueError(f"records[{i}] must be a dict with at least 'chapter' and 'profile', got {shown}; "
                             "rerun that chapter with `rnn-tutorial run` to rewrite its record")
        if not isinstance(record.get("metrics", {}), dict):
            raise ValueError(f"records[{i}]['metrics'] must be a dict of name -> number, got {record['metrics']!r}")
        for name, value in record.get("metrics", {}).items():
            if _bad_metric(value):
                raise ValueError(f"records[{i}] ({record['profile']}/{record['chapter']}): metric {name!r} must be a "
                                 f"finite number, got {type(value).__name__} {value!r}")
        duration = record.get("duration_s", 0)
        if _bad_metric(duration):
            raise ValueError(f"records[{i}] ({record['profile']}/{record['chapter']}): duration_s must be a finite "
                             f"number, got {duration!r}")


def _by_profile(records: list[dict]) -> list[tuple[str, list[dict]]]:
    _check_records(records)
    order = {name: i for i, name in enumerate(PROFILES)}
    groups: dict[str, list[dict]] = {}
    for record in records:
        groups.setdefault(str(record.get("profile", "?")), []).append(record)
    return [(p, sorted(groups[p], key=lambda r: str(r["chapter"]))) for p in sorted(groups, key=lambda p: (order.get(p, 99), p))]


def summary_rows(records: list[dict]) -> list[dict]:
    """One row per chapter (by slug): the preferred profile's record, its headline and anchor.

    Returns:
        Rows ``{"chapter", "profile", "metric", "value", "anchor", "anchor_value",
        "anchor_source", "duration_s"}``; a value is ``None`` when not recorded, and
        ``anchor_source`` names the chapter the anchor came from when not the row's own.
    """
    groups = dict(_by_profile(records))
    rank = {p: i for i, p in enumerate(PREFERENCE)}
    chosen: dict[str, dict] = {}
    for profile in sorted(groups, key=lambda p: (rank.get(p, len(rank)), p)):
        for record in groups[profile]:
            chosen.setdefault(chapter_slug(record["chapter"]), record)
    rows = []
    for slug, record in sorted(chosen.items(), key=lambda kv: str(kv[1]["chapter"])):
        headline = HEADLINES.get(slug, Headline(None))
        metrics = record.get("metrics", {})
        anchor_value, anchor_source = None, ""
        if headline.anchor:
            if headline.anchor in metrics:
                anchor_value = metrics[headline.anchor]
            else:
                for other in groups[record["profile"]]:
                    if headline.anchor in other.get("metrics", {}):
                        anchor_value, anchor_source = other["metrics"][headline.anchor], chapter_slug(other["chapter"])
        rows.append({"chapter": record["chapter"], "profile": record["profile"], "metric": headline.metric,
                     "value": metrics.get(headline.metric) if headline.metric else None,
                     "anchor": headline.anchor, "anchor_value": anchor_value, "anchor_source": anchor_source,
                     "duration_s": float(record.get("duration_s", 0.0))})
    return rows


def accuracy_points(records: list[dict], profile: str) -> tuple[dict, Optional[dict], dict]:
    """The models of ``profile`` to plot: ``(timed, baseline, untimed)``.

    ``timed`` and ``untimed`` map a variant to ``{"accuracy", "seconds", "source", ...}``
    (:func:`~rnn_tutorial.leaderboard.variants_from_records`): with a training time > 0,
    and without one. ``baseline`` is the bigram baseline's entry, or ``None``.
    """
    variants = variants_from_records([r for r in records if r.get("profile") == profile], profile)
    baseline = variants.pop(BASELINE, None)
    timed = {k: v for k, v in variants.items() if math.isfinite(v["seconds"]) and v["seconds"] > 0}
    untimed = {k: v for k, v in variants.items() if k not in timed}
    return timed, baseline, untimed


def figure_file(profile: str) -> str:
    """The accuracy-against-time figure's file name for ``profile`` (in ``book/generated/``)."""
    return f"accuracy_vs_seconds_{profile}.png"


_OFFSETS = ((6, 5, "left", "bottom"), (6, -5, "left", "top"), (-6, 5, "right", "bottom"),
            (-6, -5, "right", "top"), (0, 9, "center", "bottom"), (0, -9, "center", "top"))


def _label_points(ax, points: list[tuple[str, float, float]]) -> None:
    """Label each point, choosing for each the offset whose text overlaps least (greedy)."""
    from matplotlib.transforms import Bbox

    renderer = ax.figure.canvas.get_renderer()
    inside = ax.get_window_extent(renderer)
    centres = [ax.transData.transform((x, y)) for _, x, y in points]
    taken = [Bbox.from_extents(px - 5, py - 5, px + 5, py + 5) for px, py in centres]   # the markers

    def overlap(box, other) -> float:
        w = min(box.x1, other.x1) - max(box.x0, other.x0)
        h = min(box.y1, other.y1) - max(box.y0, other.y0)
        return w * h if w > 0 and h > 0 else 0.0

    for name, x, y in points:
        best = None
        for dx, dy, ha, va in _OFFSETS:
            text = ax.annotate(name, (x, y), xytext=(dx, dy), textcoords="offset points", ha=ha, va=va, fontsize=8)
            box = text.get_window_extent(renderer)
            cost = sum(overlap(box, other) for other in taken)
            cost += box.width * box.height - overlap(box, inside)        # outside the axes
            text.remove()
            if best is None or cost < best[0]:
                best = (cost, dx, dy, ha, va, box)
            if cost == 0:
                break
        _, dx, dy, ha, va, box = best
        ax.annotate(name, (x, y), xytext=(dx, dy), textcoords="offset points", ha=ha, va=va, fontsize=8)
        taken.append(box)


def plot_accuracy_vs_seconds(timed: dict, baseline: Optional[dict], profile: str):
    """Test accuracy against training seconds (log x), labelled points, the baseline a dashed line.

    Returns:
        A :class:`matplotlib.figure.Figure` (made without pyplot, so no global state).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    if not timed and baseline is None:
        raise ValueError(f"nothing to plot for profile {profile!r}: no model recorded an accuracy with a training time")
    fig = Figure(figsize=(8, 5.5))
    FigureCanvasAgg(fig)
    fig.subplots_adjust(left=0.1, right=0.97, bottom=0.1, top=0.93)
    ax = fig.add_subplot()
    points = [(k, timed[k]["seconds"], timed[k]["accuracy"]) for k in sorted(timed, key=lambda k: timed[k]["seconds"])]
    if points:
        ax.scatter([x for _, x, _ in points], [y for _, _, y in points], color="tab:blue", zorder=3,
                   label="model (test accuracy, training time)")
    if baseline is not None:
        acc = baseline["accuracy"]
        ax.axhline(acc, color="tab:orange", linestyle="--", zorder=2, label=f"bigram baseline: {acc:.4f}")
        if math.isfinite(baseline["seconds"]) and baseline["seconds"] > 0:
            ax.scatter([baseline["seconds"]], [acc], marker="*", s=140, color="tab:orange", zorder=4)
            points.append((BASELINE, baseline["seconds"], acc))
    ax.set_xscale("log")
    ax.margins(x=0.12, y=0.08)
    ax.autoscale_view()
    ax.set_xlim(ax.get_xlim())
    ax.set_ylim(ax.get_ylim())
    ax.set_xlabel("training time (seconds, log scale)")
    ax.set_ylabel("test accuracy")
    ax.set_title(f"Test accuracy against training time ({profile} profile)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(loc="best", fontsize=8)
    _label_points(ax, points)
    return fig


def write_figures(records: list[dict], out_dir: Path) -> list[Path]:
    """Write the accuracy-against-time figure of every profile that has something to plot."""
    written = []
    for profile, _ in _by_profile(records):
        timed, baseline, _ = accuracy_points(records, profile)
        if not timed and baseline is None:
            continue
        fig = plot_accuracy_vs_seconds(timed, baseline, profile)
        path = Path(out_dir) / figure_file(profile)
        with atomic_write(path, "wb") as handle:
            fig.savefig(handle, format="png", dpi=120, metadata={"Software": None})
        written.append(path)
    return written


def _notes_section(notes: Iterable[Note]) -> list[str]:
    notes = list(notes)
    lines = []
    for kept, kind, title in ((False, "warning", "Files under `results/` left out of this page"),
                              (True, "note", "Records kept with a caveat")):
        chosen = [n for n in notes if n.kept == kept]
        if chosen:
            lines += [f":::{{admonition}} {title}", f":class: {kind}", ""]
            lines += [f"- {_code(n.path)}: {_cell(n.reason)}" for n in chosen]
            lines += [":::", ""]
    return lines


def _summary_section(records: list[dict]) -> list[str]:
    lines = ["## Summary", "",
             "Each chapter's headline number and the number it is compared with, from the chapter's record in the "
             f"{', then '.join(f'`{p}`' for p in PREFERENCE)} profile (the first recorded). `-`: not recorded.", "",
             "| chapter | profile | headline metric | value | compared with | value | run time |",
             "| --- | --- | --- | ---: | --- | ---: | ---: |"]
    for row in summary_rows(records):
        anchor_value = "-" if row["anchor_value"] is None else _fmt(row["anchor_value"])
        if row["anchor_value"] is not None and row["anchor_source"]:
            anchor_value += f" ({_cell(row['anchor_source'])})"
        lines.append(
            f"| {_cell(row['chapter'])} | {_cell(row['profile'])} | {_code(row['metric']) if row['metric'] else '-'} "
            f"| {'-' if row['value'] is None else _fmt(row['value'])} "
            f"| {_code(row['anchor']) if row['anchor'] else '-'} | {anchor_value} | {_duration(row['duration_s'])} |")
    return lines + [""]


def _figure_section(records: list[dict]) -> list[str]:
    lines = ["## Accuracy against training time", ""]
    drawn = False
    for profile, _ in _by_profile(records):
        timed, baseline, untimed = accuracy_points(records, profile)
        if not timed and baseline is None:
            continue
        drawn = True
        name = f"fig-accuracy-vs-seconds-{re.sub(r'[^a-z0-9]+', '-', profile.lower())}"
        missing = ""
        if untimed:
            missing = (" Not plotted, no training time recorded: "
                       + ", ".join(f"{_code(k)} ({_cell(chapter_slug(v['source']))}, {v['accuracy']:.4f})"
                                   for k, v in sorted(untimed.items())) + ".")
        baseline_text = "" if baseline is None else (
            f" The dashed line is the bigram baseline's accuracy ({baseline['accuracy']:.4f}).")
        lines += [f"{{numref}}`{name}` places every model trained under the `{_cell(profile)}` profile by its test "
                  "accuracy and its training time.", "",
                  f"```{{figure}} {GENERATED}/{figure_file(profile)}",
                  f":name: {name}",
                  f":alt: Test accuracy against training time in seconds, log scale, {_cell(profile)} profile",
                  ":width: 100%", "",
                  f"Test accuracy against training time (seconds, log scale), `{_cell(profile)}` profile: each "
                  "point a model whose record holds `<model>_test_accuracy` and `<model>_seconds`."
                  f"{baseline_text}{missing}",
                  "```", ""]
    if not drawn:
        lines += ["No model has recorded both a test accuracy and a training time yet.", ""]
    return lines


def _metrics_section(records: list[dict]) -> list[str]:
    lines = ["## All recorded metrics", ""]
    for profile, group in _by_profile(records):
        description = PROFILES[profile].description if profile in PROFILES else ""
        devices = sorted({f"{_cell(r.get('device'))} ({_cell(r.get('backend'))})" for r in group})
        lines += [f"### Profile {_code(profile)}", "", f"{_cell(description)}. Hardware: {'; '.join(devices)}.", ""]
        lines += ["| chapter | metric | value |", "| --- | --- | ---: |"]
        for r in group:
            for name, value in sorted(r.get("metrics", {}).items()):
                lines.append(f"| {_cell(r['chapter'])} | {_code(name)} | {_fmt(value)} |")
        versions: dict[str, str] = {}
        for r in group:
            versions.update(r.get("versions", {}))
        if versions:
            lines += ["", "Library versions: " + ", ".join(f"{_cell(k)} {_cell(v)}" for k, v in sorted(versions.items())) + "."]
        lines.append("")
    return lines


def _bench_section(benchmarks: list[dict]) -> list[str]:
    lines = ["## Benchmarks", "",
             "Written by the scripts in `benchmarks/` (`make bench`) into `results/bench/`; they are not chapters "
             "and are not counted in any profile's chapter run times.", ""]
    if not benchmarks:
        return lines + ["No benchmark has been recorded yet.", ""]
    _check_records([{"profile": b.get("profile", "bench"), **b} for b in benchmarks])
    for b in benchmarks:
        name = b.get("name") or str(b["chapter"]).removeprefix("bench_")
        settings = f" with the {_code(b['profile'])} profile's settings" if b.get("profile") in PROFILES else ""
        lines += [f"### {_code(name)}", "",
                  f"Run{settings} on {_cell(b.get('device'))} "
                  f"({_cell(b.get('backend'))}), started {_cell(b.get('started', '?'))}, took "
                  f"{_duration(float(b.get('duration_s', 0.0)))}.", "",
                  "| metric | value |", "| --- | ---: |"]
        lines += [f"| {_code(k)} | {_fmt(v)} |" for k, v in sorted(b.get("metrics", {}).items())]
        lines.append("")
    return lines


def render(records: list[dict], benchmarks: Iterable[dict] = (), notes: Iterable[Note] = ()) -> str:
    """Render the results page (MyST markdown).

    Args:
        records: chapter records (:func:`~rnn_tutorial.results.load_results`).
        benchmarks: benchmark records (:func:`~rnn_tutorial.results.load_benchmarks`).
        notes: the files left out or kept with a caveat (:func:`~rnn_tutorial.results.read_results`).

    Returns:
        The page: notes, summary, figure (written by :func:`write_figures`), every metric, benchmarks.
    """
    _check_records(records)
    lines = [
        "# Results",
        "",
        "Every number below was written by the runner (`rnn-tutorial run`) into",
        "`results/<profile>/<chapter>.json` while it executed the chapter; this page is",
        "generated from those files by `python -m rnn_tutorial.book.report` at build time.",
        "",
    ]
    lines += _notes_section(notes)
    if not records:
        lines += ["No chapter has been recorded yet: run `make run PROFILE=laptop`.", ""]
    else:
        lines += _summary_section(records) + _figure_section(records) + _metrics_section(records)
    lines += _bench_section(list(benchmarks))
    return "\n".join(lines)


def render_status(records: list[dict], benchmarks: Iterable[dict] = ()) -> str:
    """Render the execution status page: when and how long each chapter ran, and where.

    Benchmarks get their own table; the per-profile totals count chapters only.
    """
    lines = [
        "# Execution status",
        "",
        "When each chapter was last executed by the runner, under which profile, on which",
        "hardware, and how long it took. Generated from `results/<profile>/<chapter>.json`.",
        "",
    ]
    benchmarks = list(benchmarks)
    if not records:
        lines += ["No chapter has been recorded yet.", ""]
    else:
        lines += ["| profile | chapter | started (UTC) | duration | backend | device |", "| --- | --- | --- | ---: | --- | --- |"]
        for profile, group in _by_profile(records):
            for r in group:
                lines.append(
                    f"| {_cell(profile)} | {_cell(r['chapter'])} | {_cell(r.get('started', ''))} | {float(r.get('duration_s', 0)):.1f} s "
                    f"| {_cell(r.get('backend', ''))} | {_cell(r.get('device', ''))} |"
                )
            total = sum(float(r.get("duration_s", 0)) for r in group)
            lines.append(f"| {_cell(profile)} | **all recorded chapters** | | **{total:.1f} s** | | |")
        lines.append("")
    if benchmarks:
        lines += ["Benchmarks (`results/bench/`, not chapters, not in the totals above):", "",
                  "| benchmark | started (UTC) | duration | backend | device |", "| --- | --- | ---: | --- | --- |"]
        for b in benchmarks:
            lines.append(f"| {_cell(b.get('name') or b.get('chapter'))} | {_cell(b.get('started', ''))} "
                         f"| {float(b.get('duration_s', 0)):.1f} s | {_cell(b.get('backend', ''))} | {_cell(b.get('device', ''))} |")
        lines.append("")
    return "\n".join(lines)


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
    """Write ``book/results.md``, its figures (``book/generated/``) and ``book/status.md`` from ``results/``.

    Files under ``results/`` left out (see :mod:`rnn_tutorial.results`) are warned about
    (a :class:`~rnn_tutorial.results.ResultsWarning` each) and listed on the page.
    """

    root = Path(root) if root else repo_root()
    records, benchmarks, notes = read_results(root)
    warn_skipped(notes)
    shown = [Note(_relative(n.path, root), n.reason, n.kept) for n in notes]
    from .benchmarks import write_bench_tables

    generated = root / "book" / GENERATED
    generated.mkdir(parents=True, exist_ok=True)
    write_bench_tables(root)
    write_figures(records, generated)
    write_text_atomic(root / "book" / "status.md", render_status(records, benchmarks))
    return write_text_atomic(root / "book" / "results.md", render(records, benchmarks, shown))


def _relative(path: Path, root: Path) -> Path:
    try:
        return Path(path).resolve().relative_to(Path(root).resolve())
    except ValueError:
        return Path(path)


if __name__ == "__main__":
    write_results_page()
    link_glossary()
    print("wrote book/results.md, book/status.md and the glossary's back-links", file=sys.stderr)
