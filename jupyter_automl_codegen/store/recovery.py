"""Recovery: runs whose owning process died are failed, leftover temporary files removed."""

from __future__ import annotations

from . import files
from .process import hostname, is_alive
from .records import utc_now


def interrupted_message(pid: int) -> str:
    """Error recorded on runs whose owning process died."""
    return f"interrupted: the training process (pid {pid}) ended before this run finished"


class RecoveryMixin:
    """What :class:`RunStore` does on open (and on request) after a crash."""

    def recover(self) -> list[str]:
        """Fail active runs whose owning process died; remove leftover temp files.

        Only owners on this host are judged, and only when they are known to be
        dead (pid gone, zombie, or reused by a process with another start time).
        A parent failed here takes its queued/running children with it.

        Returns
        -------
        list of str
            The ids of the runs marked failed.
        """
        host = hostname()
        with self._read() as conn:
            rows = conn.execute(
                "SELECT id, kind, owner_pid, owner_start, owner_host FROM runs"
                " WHERE status IN ('queued', 'running') AND owner_host = ?"
                " AND owner_pid IS NOT NULL",
                (host,),
            ).fetchall()
        verdicts: dict[tuple[int, str | None], bool | None] = {}
        dead = []
        for row in rows:
            key = (int(row["owner_pid"]), row["owner_start"])
            if key not in verdicts:
                verdicts[key] = is_alive(*key)
            if verdicts[key] is False:
                dead.append(row)
        failed: list[str] = []
        if dead:
            now = utc_now()
            with self._write() as conn:
                # Parents first, so their children get the parent's message.
                for row in sorted(dead, key=lambda r: r["kind"] != "parent"):
                    message = interrupted_message(row["owner_pid"])
                    cur = conn.execute(
                        "UPDATE runs SET status = 'failed', error = ?, ended_at = ?"
                        " WHERE id = ? AND status IN ('queued', 'running') AND owner_pid = ?"
                        " AND owner_start IS ? AND owner_host = ?",
                        (message, now, row["id"], row["owner_pid"], row["owner_start"], host),
                    )
                    if cur.rowcount:
                        failed.append(row["id"])
                    if cur.rowcount and row["kind"] == "parent":
                        children = conn.execute(
                            "SELECT id FROM runs WHERE parent_id = ?"
                            " AND status IN ('queued', 'running')",
                            (row["id"],),
                        ).fetchall()
                        conn.execute(
                            "UPDATE runs SET status = 'failed', error = ?, ended_at = ?"
                            " WHERE parent_id = ? AND status IN ('queued', 'running')",
                            (message, now, row["id"]),
                        )
                        failed.extend(child["id"] for child in children)
        self._remove_stale_temps()
        return failed

    def _remove_stale_temps(self) -> None:
        directories = [
            d for parent in (self.runs_dir, self.experiments_dir) for d in parent.iterdir()
        ]
        files.remove_stale_temps(
            [d for d in directories if d.is_dir()],
            lambda pid: is_alive(pid) is not False,
        )


__all__ = ["RecoveryMixin", "interrupted_message"]
