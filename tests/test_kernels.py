"""Kernels on Unix sockets (rnn_tutorial.book.kernels): why, and that every kernel uses them."""

from __future__ import annotations

import socket
import stat
import subprocess
from pathlib import Path

import nbformat
import pytest
from chapter_notebooks import write_chapter
from jupyter_client.manager import KernelManager

from rnn_tutorial.book import runner
from rnn_tutorial.book.kernels import (
    MAX_SOCKET_PATH,
    AsyncIpcKernelManager,
    IpcKernelManager,
)

TRANSPORT = "from ipykernel.kernelapp import IPKernelApp\nprint(IPKernelApp.instance().transport)"


def _start(km):
    km.start_kernel(stderr=subprocess.DEVNULL)
    kc = km.client()
    kc.start_channels()
    return kc


def _stop(km, kc):
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def _run(kc, code: str) -> str:
    out = []
    kc.execute_interactive(code, timeout=60, output_hook=lambda msg: out.append(msg["content"].get("text", "")))
    return "".join(out)


def test_a_tcp_kernel_whose_port_another_process_took_dies_at_start():
    """The failure this module removes: CI's "Kernel died before replying to kernel_info"."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        km = KernelManager(kernel_name="python3", transport="tcp", cache_ports=False, shell_port=taken.getsockname()[1])
        kc = _start(km)
        try:
            with pytest.raises(RuntimeError, match="Kernel died before replying to kernel_info"):
                kc.wait_for_ready(timeout=60)
        finally:
            _stop(km, kc)


def test_an_ipc_kernel_runs_code_on_sockets_in_a_private_folder_removed_at_shutdown():
    km = IpcKernelManager(kernel_name="python3")
    folder = Path(km.ip).parent
    assert km.transport == "ipc" and len(km.ip) + 2 <= MAX_SOCKET_PATH
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    kc = _start(km)
    try:
        kc.wait_for_ready(timeout=60)
        assert _run(kc, TRANSPORT).strip() == "ipc"
        assert sorted(p.name for p in folder.iterdir()) == [f"k-{n}" for n in range(1, 6)]
        km.restart_kernel(now=True)  # a restart keeps the folder and the sockets
        kc.wait_for_ready(timeout=60)
        assert _run(kc, "print(6 * 7)").strip() == "42"
    finally:
        _stop(km, kc)
    assert not folder.exists()


def test_each_manager_gets_its_own_folder_and_tcp_or_an_ip_of_your_own_is_kept(tmp_path):
    first, second = IpcKernelManager(), AsyncIpcKernelManager()
    assert second.transport == "ipc" and second.client_class.endswith("AsyncKernelClient")
    assert Path(first.ip).parent != Path(second.ip).parent
    for km in (first, second):
        km.cleanup_connection_file()
        assert not Path(km.ip).parent.exists()
    assert IpcKernelManager(transport="tcp").transport == "tcp"
    assert IpcKernelManager(ip=str(tmp_path / "mine")).ip == str(tmp_path / "mine")


def test_nbval_starts_ipc_kernels():
    import nbval.kernel

    assert nbval.kernel.KernelManager is IpcKernelManager, "conftest.py must hand nbval IpcKernelManager"


def test_the_runner_starts_ipc_kernels(tmp_path):
    (tmp_path / "chapters").mkdir()
    (tmp_path / "pyproject.toml").write_text("")
    write_chapter(tmp_path / "chapters" / "01_transport.ipynb", TRANSPORT)
    [result] = runner.run("ci", root=tmp_path, progress=False, record=False)
    assert result.status == "ok", result.message
    executed = nbformat.read(tmp_path / "build" / "executed" / "ci" / "01_transport.ipynb", as_version=4)
    assert executed.cells[-1].outputs[0]["text"].strip() == "ipc"


def test_without_unix_sockets_the_kernel_stays_on_tcp(monkeypatch):
    from rnn_tutorial.book import kernels

    monkeypatch.setattr(kernels, "DEFAULT_TRANSPORT", "tcp")
    km = IpcKernelManager()
    assert km.transport == "tcp" and km._socket_folder is None
