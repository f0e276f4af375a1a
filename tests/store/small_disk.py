"""A disk of a few megabytes without root: a tmpfs in a private mount namespace.

``unshare --user --map-root-user --mount`` gives an unprivileged user a namespace in which
they may mount a tmpfs; a sleeping process holds it. Commands join it with ``nsenter``, and
the test reads its files through ``/proc/<holder>/root``. When the kernel forbids user
namespaces the test fails and says so, rather than skipping silently.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

_HOLD = 'mount -t tmpfs -o size="$2" tmpfs "$1" && echo ready && exec sleep 3600'


class SmallDisk:
    """A ``size`` tmpfs mounted at ``mount`` for the commands this object runs."""

    def __init__(self, mount: Path, size: str = "2m"):
        mount.mkdir(parents=True, exist_ok=True)
        self.mount = mount
        command = ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", _HOLD, "sh"]
        self._holder = subprocess.Popen(
            [*command, str(mount), size],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        if self._holder.stdout.readline().strip() != "ready":
            self._holder.wait(timeout=30)
            pytest.fail(
                "cannot mount a small tmpfs in a user namespace (`unshare --user "
                "--map-root-user --mount`): "
                f"{self._holder.stderr.read().strip() or 'no reason given'}. The full-disk test "
                "needs unprivileged user namespaces (e.g. sysctl "
                "kernel.unprivileged_userns_clone=1 or user.max_user_namespaces > 0) or root."
            )

    def command(self, argv: list[str]) -> list[str]:
        """``argv`` run inside the namespace, where the small disk is mounted."""
        pid = str(self._holder.pid)
        return ["nsenter", "--preserve-credentials", f"--target={pid}", "--user", "--mount", *argv]

    def outside(self, path: Path) -> Path:
        """``path`` on the small disk, as this (outside) process reaches it."""
        return Path(f"/proc/{self._holder.pid}/root") / path.relative_to("/")

    def close(self) -> None:
        """Stop the holder: the namespace and its tmpfs go with it."""
        self._holder.kill()
        self._holder.wait(timeout=30)
        self._holder.stdout.close()
        self._holder.stderr.close()


__all__ = ["SmallDisk"]
