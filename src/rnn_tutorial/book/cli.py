"""The ``rnn-tutorial`` command (also ``python -m rnn_tutorial``): run, compare, list."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Optional, Sequence

from ..environment import BACKENDS, DEFAULT_SEED
from ..errors import OutputLockedError, RunInterrupted
from ..profiles import PROFILES
from .outputs import compare_outputs
from .runner import list_chapters, run

def build_parser() -> argparse.ArgumentParser:
    """The command-line interface of the runner."""
    parser = argparse.ArgumentParser(prog="rnn-tutorial", description="Execute the book's chapters with papermill.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("run", help="execute chapters into build/executed/<profile>/")
    p.add_argument("--profile", default=None, help=f"one of {', '.join(PROFILES)} (default: resolved as in the book)")
    p.add_argument("--chapters", nargs="*", default=None, help="chapters to run, e.g. 01 02_time_steps (default: all)")
    p.add_argument("--backend", default=None, choices=BACKENDS, help="Keras backend for the kernels")
    p.add_argument("--output", type=Path, default=None,
                   help="folder for executed notebooks (default: build/executed/<profile>/; never chapters/)")
    p.add_argument("--promote", action="store_true", help="copy executed outputs back into chapters/")
    p.add_argument("--timeout", type=int, default=None, help="longest a single cell may run, in seconds")
    p.add_argument("--resume", action="store_true",
                   help="skip chapters already executed since their last change, with the same profile and backend")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--no-record", action="store_true", help="do not write results/<profile>/<chapter>.json")
    p.add_argument("--seed", type=int, default=None,
                   help=f"seed every chapter with this seed (default: {DEFAULT_SEED}; another seed needs --no-record)")
    c = sub.add_parser("compare", help="compare the outputs of two folders of executed chapters")
    c.add_argument("first", type=Path)
    c.add_argument("second", type=Path)
    sub.add_parser("list", help="list the chapters")
    return parser


def _one_line(err: BaseException) -> str:
    return " ".join(str(err).split()) or type(err).__name__


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Entry point of ``rnn-tutorial``; returns the exit code.

    0: every chapter ran (or the compared outputs are identical); 1: a chapter failed
    (or the outputs differ); 2: a refused argument, an output folder in use by another
    run, or an unreadable notebook, reported as one ``rnn-tutorial: error:`` line on
    stderr; 130: interrupted by Ctrl-C, with a one-line summary on stderr.
    """
    args = build_parser().parse_args(argv)
    try:
        if args.command == "list":
            print("\n".join(list_chapters()))
            return 0
        if args.command == "compare":
            differences = compare_outputs(args.first, args.second)
            print("\n".join(differences) if differences else "identical outputs (timings and addresses masked)")
            return 1 if differences else 0
        if args.chapters is not None and not args.chapters:
            raise ValueError("--chapters needs at least one chapter, e.g. --chapters 01 02 "
                             "(leave out --chapters to run the whole book)")
        from ..profiles import resolve_profile

        if args.backend:  # so that a GPU is looked for with the backend the chapters will use
            os.environ["KERAS_BACKEND"] = args.backend
        profile = resolve_profile(args.profile).name
        results = run(
            profile,
            chapters=args.chapters,
            backend=args.backend,
            output=args.output,
            promote_outputs=args.promote,
            timeout=args.timeout,
            resume=args.resume,
            progress=not args.no_progress,
            record=not args.no_record,
            seed=args.seed,
        )
    except (ValueError, TypeError, FileNotFoundError, OutputLockedError) as err:
        print(f"rnn-tutorial: error: {_one_line(err)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as err:
        summary = _one_line(err) if isinstance(err, RunInterrupted) else "interrupted (Ctrl-C)"
        print(f"rnn-tutorial: {summary}", file=sys.stderr)
        return 130
    return 1 if any(r.status == "failed" for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
