"""Give a process its own share of the CPUs, for test and measurement runs side by side.

The book's small recurrent models use little more than one core each, and two processes
on the same cores slow each other down. ``make test`` runs pytest in two workers and
``make references`` measures the two backends at once; each process calls
:func:`use_cpu_share` so that it (and every kernel or subprocess it starts afterwards,
which inherit the affinity and the environment) runs on its own CPUs with as many
threads as it has CPUs.

Measured on the 2-core machine (one ci fit of ``bigru_pooled``, two epochs): TensorFlow
44 s with two threads, 48 s with one, 48-49 s each for two one-thread fits side by side;
JAX 36 s alone, 45-51 s each for two fits pinned to a core each. TensorFlow's results do
not depend on the thread count except in the last digits of a few reductions; JAX's can
move by a review or two in the ci accuracies, which is why the reference bands are
measured the way the tests run (``python -m rnn_tutorial.book.bands measure
--cpu-share K/N``).
"""

from __future__ import annotations

import os
import re
from typing import Optional

THREAD_VARIABLES = ("TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS", "OMP_NUM_THREADS")
"""Environment variables that cap TensorFlow's and OpenMP's thread pools."""


def parse_share(text: str) -> tuple[int, int]:
    """``"K/N"`` -> ``(K, N)``: share ``K`` (0-based) of ``N``.

    Raises:
        ValueError: unless ``text`` is two integers ``K/N`` with ``0 <= K < N``.
    """
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", str(text))
    if not match or int(match.group(1)) >= int(match.group(2)):
        raise ValueError(f"a CPU share is K/N with 0 <= K < N, for example 0/2 or 1/2; got {text!r}")
    return int(match.group(1)), int(match.group(2))


def use_cpu_share(index: int, count: int) -> Optional[list[int]]:
    """Pin this process to share ``index`` of ``count`` of its CPUs and cap its threads.

    Share ``k`` is every ``count``-th CPU starting at the ``k``-th (so 0/2 and 1/2 on two
    cores are one core each). The thread variables (:data:`THREAD_VARIABLES`) are set to
    the share's size; they take effect in libraries imported afterwards and in child
    processes.

    Returns:
        The CPUs of the share, or ``None`` (nothing changed) when ``count`` is 1, when
        there are fewer CPUs than shares, or where the system cannot pin a process.

    Raises:
        ValueError: unless ``0 <= index < count``.
    """
    if isinstance(index, bool) or isinstance(count, bool) or not (0 <= int(index) < int(count)):
        raise ValueError(f"index must satisfy 0 <= index < count, got index={index!r}, count={count!r}")
    if not hasattr(os, "sched_setaffinity") or count < 2:
        return None
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < count:
        return None
    mine = cpus[index::count]
    os.sched_setaffinity(0, mine)
    for name in THREAD_VARIABLES:
        os.environ[name] = str(len(mine))
    return mine
