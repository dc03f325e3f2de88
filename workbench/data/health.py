"""What the health checks ask the database: can it take a write, and how many jobs wait or run."""

from __future__ import annotations

import sqlite_utils

from workbench.data.jobs import ACTIVE


def probe_write(db: sqlite_utils.Database) -> None:
    """Take the write lock and write the header (user_version, unchanged), then roll back.

    Raises sqlite3.Error when the database cannot be written (read-only file or folder, locked
    for longer than the busy timeout, damaged). Nothing is changed either way."""
    conn = db.conn
    if conn.in_transaction:  # never inside someone else's transaction
        raise RuntimeError("a transaction is open on this connection")
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.execute(f"PRAGMA user_version = {int(version)}")
    finally:
        conn.execute("ROLLBACK")


def job_counts(db: sqlite_utils.Database) -> dict[str, int]:
    """{"queued": n, "running": n} from the jobs table."""
    counts = dict.fromkeys(ACTIVE, 0)
    for status, count in db.execute("SELECT status, COUNT(*) FROM jobs WHERE status IN (?, ?) GROUP BY status",
                                    list(ACTIVE)).fetchall():
        counts[status] = count
    return counts


def hygiene_repairs(db: sqlite_utils.Database) -> dict[str, int]:
    """{table: rows} the text-hygiene migration repaired (schema.m034_text_hygiene); {} when none."""
    if "hygiene_repairs" not in db.table_names():
        return {}
    return dict(db.execute("SELECT table_name, rows_fixed FROM hygiene_repairs ORDER BY table_name").fetchall())
