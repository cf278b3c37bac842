"""Break a copy of the package on purpose and check that `make test`'s checks catch it.

    make breakage                       # every breakage (about 15 minutes on 2 cores)
    .venv/bin/python tools/breakage.py --only labels

For each breakage: copy the repository's tracked files (and the vendored data) to a
temporary folder, change one line of the package there, run the chapters that teach what
the line does with `pytest --nbval` (as `make test` does, ci profile, fresh caches), then
check their metrics against the reference bands (`python -m rnn_tutorial.book.bands
check`). A breakage is caught when either check fails. The script exits 1 if any
breakage went uncaught, or if a breakage no longer applies (the line it changes is gone),
so a refactor cannot silently turn the check into a no-op.

Breakages (the issue that asked for them: #16):

- ``padding``: the sentiment model's embedding stops masking padding (``mask_zero=False``).
- ``leak``: the validation reviews are added to the training split.
- ``labels``: the training labels are shuffled against their reviews.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Breakage:
    name: str
    what: str
    file: str
    old: str
    new: str
    chapters: tuple


BREAKAGES = (
    Breakage(
        "padding", "padding not masked (sentiment model's embedding without mask_zero)",
        "src/rnn_tutorial/models.py",
        'keras.layers.Embedding(vocab_size, embedding_dim, mask_zero=True, name="embedding")',
        'keras.layers.Embedding(vocab_size, embedding_dim, mask_zero=False, name="embedding")',
        ("05_lstm_models", "06_training"),
    ),
    Breakage(
        "leak", "validation reviews leak into training (train = train + val)",
        "src/rnn_tutorial/splits.py",
        "    return Splits(train=train, val=val, test=test)",
        "    return Splits(train=np.sort(np.concatenate([train, val])), val=val, test=test)",
        ("04_data_preparation", "06_training"),
    ),
    Breakage(
        "labels", "labels shuffled against their reviews (training split)",
        "src/rnn_tutorial/data.py",
        "        labels=np.asarray(labels, dtype=np.int8) if labeled else None,",
        "        labels=(np.random.default_rng(0).permutation(np.asarray(labels, dtype=np.int8))\n"
        "                if split == 'train' else np.asarray(labels, dtype=np.int8)) if labeled else None,",
        ("04_data_preparation", "06_training"),
    ),
)


def copy_repository(target: Path) -> None:
    """Copy the tracked files (as in a fresh clone) and the vendored data to ``target``."""
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True).stdout
    for name in filter(None, files.decode().split("\0")):
        source = ROOT / name
        if not source.is_file():
            continue
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, destination)


def apply(breakage: Breakage, copy: Path) -> None:
    path = copy / breakage.file
    text = path.read_text(encoding="utf-8")
    if text.count(breakage.old) != 1:
        raise SystemExit(
            f"breakage {breakage.name!r} no longer applies: {breakage.file} has {text.count(breakage.old)} "
            f"copies of the line it changes (needs exactly one): {breakage.old!r}; update tools/breakage.py"
        )
    path.write_text(text.replace(breakage.old, breakage.new), encoding="utf-8")


def run_checks(breakage: Breakage, copy: Path, log) -> tuple[int, int, list]:
    """Run pytest --nbval on the breakage's chapters (all of them, not stopping at the first
    failure, so each records its metrics), then the bands check on what they recorded.

    Returns:
        ``(nbval exit code, number of failed nbval items, band violations)``: the bands
        check's lines for metrics outside their band (a chapter that failed before it
        recorded is not counted as a band violation).
    """
    env = dict(os.environ, PYTHONPATH=str(copy / "src"), KERAS_BACKEND="tensorflow")
    env.pop("RNN_TUTORIAL_DATA", None)
    python = sys.executable
    notebooks = [f"chapters/{c}.ipynb" for c in breakage.chapters]
    nbval = subprocess.run([python, "-m", "pytest", "--nbval", "-q", "-p", "no:randomly", *notebooks],
                           cwd=copy, env=env, capture_output=True, text=True)
    log.write(nbval.stdout + nbval.stderr)
    failed = sum(1 for line in nbval.stdout.splitlines() if line.startswith("FAILED"))
    bands = subprocess.run([python, "-m", "rnn_tutorial.book.bands", "check", "build/metrics/nbval-tensorflow",
                            "--backend", "tensorflow", "--chapters", *breakage.chapters],
                           cwd=copy, env=env, capture_output=True, text=True)
    log.write(bands.stdout + bands.stderr)
    violations = [line.strip() for line in bands.stderr.splitlines() if "outside its band" in line]
    return nbval.returncode, failed, violations


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="+", choices=[b.name for b in BREAKAGES], default=None)
    parser.add_argument("--keep", action="store_true", help="keep the broken copies (their paths are printed)")
    args = parser.parse_args(argv)
    chosen = [b for b in BREAKAGES if args.only is None or b.name in args.only]
    logs = ROOT / "build" / "breakage"
    logs.mkdir(parents=True, exist_ok=True)
    rows, uncaught = [], []
    for breakage in chosen:
        copy = Path(tempfile.mkdtemp(prefix=f"rnn-breakage-{breakage.name}-"))
        start = time.monotonic()
        try:
            copy_repository(copy)
            apply(breakage, copy)
            with open(logs / f"{breakage.name}.log", "w", encoding="utf-8") as log:
                nbval, failed, violations = run_checks(breakage, copy, log)
        finally:
            if not args.keep:
                shutil.rmtree(copy, ignore_errors=True)
            else:
                print(f"kept {copy}")
        caught = nbval != 0 or bool(violations)
        if not caught:
            uncaught.append(breakage.name)
        nbval_text = f"{failed} items fail" if nbval else "passes"
        bands_text = f"{len(violations)} outside" if violations else "none outside"
        rows.append((breakage.what, nbval_text, bands_text, "caught" if caught else "NOT CAUGHT", time.monotonic() - start))
        print(f"[{breakage.name}] pytest --nbval: {nbval_text}; bands: {bands_text}: {'caught' if caught else 'NOT CAUGHT'} "
              f"(log: {logs / (breakage.name + '.log')})", flush=True)
        for line in violations:
            print(f"    {line}", flush=True)
    width = max(len(r[0]) for r in rows)
    lines = [f"{'breakage':<{width}}  {'pytest --nbval':>14}  {'band check':>12}  {'verdict':>10}  seconds"]
    lines += [f"{w:<{width}}  {n:>14}  {b:>12}  {v:>10}  {s:7.0f}" for w, n, b, v, s in rows]
    summary = "\n".join(lines)
    (logs / "summary.txt").write_text(summary + "\n", encoding="utf-8")
    print(summary)
    if uncaught:
        print(f"breakages not caught: {', '.join(uncaught)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
