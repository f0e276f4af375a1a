"""Identify the process that owns a run, and tell whether it is still alive.

A pid alone is not enough: after a crash the pid may be reused by an
unrelated process. Each owner is therefore recorded as (pid, start token,
hostname); the start token is the boot id plus the process start time from
``/proc/<pid>/stat`` on Linux, or ``ps -o lstart`` elsewhere on POSIX. When
liveness cannot be determined the answer is "unknown" and recovery leaves the
run alone: failing a live run is worse than leaving a dead one "running".
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

_PROC = Path("/proc")


@dataclass(frozen=True)
class ProcessIdentity:
    """Who owns a run: pid, start token (None if unknown) and hostname."""

    pid: int
    start: str | None
    host: str


def hostname() -> str:
    """This machine's hostname (owners on other hosts are never judged)."""
    return socket.gethostname()


def _boot_id() -> str:
    try:
        return (_PROC / "sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return "noboot"


def _proc_stat(pid: int) -> tuple[str, str] | None:
    """(state, starttime) from /proc/<pid>/stat, None if the process does not exist."""
    try:
        text = (_PROC / str(pid) / "stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    # comm (field 2) may contain spaces and parentheses: split after the last ')'.
    fields = text[text.rindex(")") + 2 :].split()
    return fields[0], fields[19]  # field 3 = state, field 22 = starttime


def _has_proc() -> bool:
    return sys.platform.startswith("linux") and (_PROC / "self" / "stat").exists()


def _ps_info(pid: int) -> tuple[str, str] | None:
    """(stat, lstart) from ps(1) for non-Linux POSIX; None if no such process."""
    try:
        out = subprocess.run(
            ["ps", "-o", "stat=", "-o", "lstart=", "-p", str(pid)],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        raise LookupError("ps unavailable") from None
    if not out:
        return None
    stat, _, start = out.partition(" ")
    return stat, start.strip()


def process_start_token(pid: int) -> str | None:
    """An opaque string that changes when ``pid`` is reused, or None if unknown."""
    if pid <= 0:
        return None
    if _has_proc():
        info = _proc_stat(pid)
        return None if info is None else f"{_boot_id()}:{info[1]}"
    if os.name == "posix":
        try:
            info = _ps_info(pid)
        except LookupError:
            return None
        return None if info is None else info[1]
    return None


def is_alive(pid: int, start: str | None = None) -> bool | None:
    """True if ``pid`` runs and (when known) has start token ``start``; None if unknown.

    Zombies count as dead: a killed process that its parent has not reaped yet
    will never finish its run.
    """
    if pid <= 0:
        return False
    if _has_proc():
        info = _proc_stat(pid)
        if info is None or info[0] in ("Z", "X", "x"):
            return False
        if start is not None and f"{_boot_id()}:{info[1]}" != start:
            return False
        return True
    if os.name != "posix":
        return None  # os.kill(pid, 0) would terminate the process on Windows.
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    except OSError:
        return None
    try:
        info = _ps_info(pid)
    except LookupError:
        return True
    if info is None or info[0].startswith("Z"):
        return False
    if start is not None and info[1] != start:
        return False
    return True


_current: ProcessIdentity | None = None


def current_process() -> ProcessIdentity:
    """Identity of the calling process (recomputed after fork)."""
    global _current
    pid = os.getpid()
    if _current is None or _current.pid != pid:
        _current = ProcessIdentity(pid=pid, start=process_start_token(pid), host=hostname())
    return _current


__all__ = ["ProcessIdentity", "current_process", "hostname", "is_alive", "process_start_token"]
