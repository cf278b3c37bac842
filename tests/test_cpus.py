"""CPU shares for processes that run side by side (rnn_tutorial.book.cpus)."""

import os
import subprocess
import sys

import pytest

from rnn_tutorial.book import cpus
from rnn_tutorial.book.bands import main as bands_main

PINNABLE = hasattr(os, "sched_setaffinity")


@pytest.mark.parametrize("text, expected", [("0/2", (0, 2)), ("1/2", (1, 2)), (" 3 / 4 ", (3, 4))])
def test_parse_share_reads_k_of_n(text, expected):
    assert cpus.parse_share(text) == expected


@pytest.mark.parametrize("text", ["2/2", "1", "a/b", "-1/2", "1/0", "", "0/2/3"])
def test_parse_share_rejects_anything_else_with_an_example(text):
    with pytest.raises(ValueError, match="K/N with 0 <= K < N, for example 0/2"):
        cpus.parse_share(text)


@pytest.mark.parametrize("index, count", [(2, 2), (-1, 2), (0, 0), (True, 2)])
def test_use_cpu_share_rejects_a_share_outside_the_count(index, count):
    with pytest.raises(ValueError, match="0 <= index < count"):
        cpus.use_cpu_share(index, count)


def _in_child(code: str) -> str:
    # the pinning changes the calling process, so it is tried in a child
    env = {k: v for k, v in os.environ.items() if k not in cpus.THREAD_VARIABLES}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env=env).stdout.strip()


@pytest.mark.skipif(not PINNABLE or (os.cpu_count() or 1) < 2, reason="needs 2 CPUs and sched_setaffinity")
def test_each_share_gets_its_own_cpus_and_that_many_threads():
    # the child first takes every CPU back: under make test this runs in a pinned worker
    code = (
        "import os; from rnn_tutorial.book.cpus import use_cpu_share as u; "
        "os.sched_setaffinity(0, range(os.cpu_count())); "
        "every = sorted(os.sched_getaffinity(0)); mine = u({k}, 2); "
        "print(mine == sorted(os.sched_getaffinity(0)) == every[{k}::2], "
        "os.environ['TF_NUM_INTRAOP_THREADS'] == str(len(mine)))"
    )
    assert _in_child(code.format(k=0)) == "True True"
    assert _in_child(code.format(k=1)) == "True True"


def test_one_share_or_too_few_cpus_changes_nothing():
    code = (
        "import os; from rnn_tutorial.book.cpus import use_cpu_share as u; before = os.sched_getaffinity(0); "
        "print(u(0, 1), u(0, len(before) + 1), os.sched_getaffinity(0) == before, "
        "'TF_NUM_INTRAOP_THREADS' in os.environ)"
    )
    if not PINNABLE:
        pytest.skip("no sched_setaffinity here")
    assert _in_child(code) == "None None True False"


def test_bands_measure_rejects_a_bad_cpu_share_before_running_anything(capsys):
    assert bands_main(["measure", "--backend", "tensorflow", "--cpu-share", "2/2"]) == 2
    assert "for example 0/2" in capsys.readouterr().err
