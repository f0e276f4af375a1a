"""Crash-safe file writes and hashing for models and data snapshots.

A file is written to a temp name in its final directory, flushed and fsynced,
then ``os.replace``d over the final name and the directory is fsynced: after a
crash the final name holds either nothing or the complete file, never a
partial one. Writing and publishing are separate steps so the store can
publish inside its database write transaction.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

# Temp files: ".<final name>.<pid>.<random hex>.tmp" in the final directory.
TEMP_GLOB = ".*.tmp"
_TEMP_RE = re.compile(r"\..+\.(?P<pid>[0-9]{1,10})\.[0-9a-f]{16}\.tmp")
_CHUNK = 1 << 20


def sha256_bytes(data: bytes | bytearray | memoryview) -> str:
    """Hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def fsync_dir(directory: Path) -> None:
    """Make a rename in ``directory`` durable (no-op where directories can't be opened)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # e.g. Windows
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def temp_path_for(final: Path) -> Path:
    """A unique temp name next to ``final`` that recovery can recognise and attribute."""
    return final.with_name(f".{final.name}.{os.getpid()}.{secrets.token_hex(8)}.tmp")


def write_temp(final: Path, writer: Callable[[BinaryIO], object]) -> Path:
    """Create a durable temp file next to ``final`` filled by ``writer``; return its path."""
    final.parent.mkdir(parents=True, exist_ok=True)
    temp = temp_path_for(final)
    try:
        with open(temp, "xb") as handle:
            writer(handle)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        discard(temp)
        raise
    return temp


def publish(temp: Path, final: Path) -> None:
    """Atomically move a temp file from :func:`write_temp` to its final name."""
    os.replace(temp, final)
    fsync_dir(final.parent)


def discard(temp: Path) -> None:
    """Remove a temp file, ignoring a file that is already gone."""
    try:
        temp.unlink()
    except FileNotFoundError:
        pass


def remove_stale_temps(
    directories: list[Path], pid_alive: Callable[[int], bool], max_age: float = 24 * 3600
) -> list[Path]:
    """Delete temp files left by writers that died (or older than ``max_age`` seconds).

    Temp files of a live process are kept: it may be about to publish them.
    """
    removed: list[Path] = []
    now = time.time()
    for directory in directories:
        for temp in directory.glob(TEMP_GLOB):
            match = _TEMP_RE.fullmatch(temp.name)
            if match is None or not temp.is_file():
                continue
            try:
                stale = now - temp.stat().st_mtime > max_age
            except FileNotFoundError:
                continue
            if stale or not pid_alive(int(match["pid"])):
                discard(temp)
                removed.append(temp)
    return removed


__all__ = [
    "TEMP_GLOB",
    "discard",
    "fsync_dir",
    "publish",
    "remove_stale_temps",
    "sha256_bytes",
    "sha256_file",
    "temp_path_for",
    "write_temp",
]
