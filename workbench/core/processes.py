"""Who runs a piece of work ("host:pid"), and whether that process is gone: how a server or worker
that starts after a crash tells work held by a dead process from work another live one holds."""

from __future__ import annotations

import os
import socket


def this_worker() -> str:
    """This process as "host:pid", as job rows and webhook delivery leases record it."""
    return f"{socket.gethostname()}:{os.getpid()}"


def is_gone(worker: str | None) -> bool:
    """True when `worker` ("host:pid") names a process on this host that no longer runs. A process
    on another host is never taken for gone here: its lease has to run out."""
    host, _, pid = ((worker or "").split() or [""])[-1].rpartition(":")  # "coordinator host:pid" too
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, another user's
        return False
    return _is_zombie(int(pid))


def _is_zombie(pid: int) -> bool:
    """A killed child not yet reaped by its parent still answers kill(pid, 0)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rpartition(")")[2].split()[0] == "Z"
    except (OSError, IndexError):
        return False
