"""Jupyter kernels that talk over Unix sockets in a folder of their own, never TCP ports.

Why: a TCP kernel's five ports are picked by binding port 0 and closing the socket again;
the kernel binds them a moment later. In between, any process on the machine may take one
of them: another kernel starting in the other pytest worker, or the local end of any
outgoing TCP connection, which comes from the same ephemeral range. The kernel then fails
to bind, exits at once, and nbval reports "Kernel died before replying to kernel_info" for
every cell of the chapter (CI lost a whole ``make test`` to it: chapter 08 in the JAX
pass). An ipc kernel's sockets are files named after a folder made for that kernel alone,
so there is nothing to race for.

The runner passes :class:`AsyncIpcKernelManager` to papermill, and ``conftest.py`` hands
:class:`IpcKernelManager` to nbval, so every kernel the book starts (``pytest --nbval``,
``make test-jax``, ``rnn-tutorial run``, ``make references``) uses one of them.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from typing import Any

from jupyter_client.manager import AsyncKernelManager, KernelManager

DEFAULT_TRANSPORT = "ipc" if os.name == "posix" else "tcp"
"""Unix sockets where the operating system has them (Linux, macOS); TCP elsewhere."""

MAX_SOCKET_PATH = 100
"""Longest socket path used; Linux allows 107 bytes (108 with the terminating NUL)."""


def socket_folder_parent() -> str:
    """A folder for the kernels' socket folders: the temporary folder, or ``/tmp`` if its
    path is too long for a Unix socket path (``$TMPDIR`` deep in a build tree)."""
    parent = tempfile.gettempdir()
    return parent if len(parent) <= MAX_SOCKET_PATH - 30 else "/tmp"


class _UnixSockets:
    """Makes a kernel manager's kernel listen on Unix sockets ``<folder>/k-1`` ...
    ``<folder>/k-5`` in a new private folder (mode 0700).

    On Windows the kernel stays on TCP (:data:`DEFAULT_TRANSPORT`). Pass
    ``transport="tcp"`` for a TCP kernel, or ``ip`` for sockets of your own. The folder
    is removed when the kernel shuts down (not on a restart, which reuses it).
    """

    def __init__(self, **kwargs: Any) -> None:
        transport = kwargs.setdefault("transport", DEFAULT_TRANSPORT)
        self._socket_folder = None
        if transport == "ipc" and "ip" not in kwargs:
            self._socket_folder = tempfile.mkdtemp(prefix="rnn-kernel-", dir=socket_folder_parent())
            kwargs["ip"] = os.path.join(self._socket_folder, "k")
        super().__init__(**kwargs)

    def cleanup_connection_file(self) -> None:
        """Remove the connection file, and the socket folder with the sockets in it.

        jupyter_client calls this when the kernel shuts down (not on a restart, which
        reuses the sockets) and when the manager is garbage collected.
        """
        super().cleanup_connection_file()
        folder, self._socket_folder = getattr(self, "_socket_folder", None), None
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


class IpcKernelManager(_UnixSockets, KernelManager):
    """A blocking :class:`jupyter_client.manager.KernelManager` on Unix sockets (nbval's)."""


class AsyncIpcKernelManager(_UnixSockets, AsyncKernelManager):
    """An :class:`jupyter_client.manager.AsyncKernelManager` on Unix sockets (nbclient's,
    so papermill's: its time-outs need the asynchronous client)."""
