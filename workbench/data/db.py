"""Open the instance's SQLite database and keep its schema current through migrations."""

from __future__ import annotations

import contextlib
import functools
import zlib
from pathlib import Path

import sqlite_utils

from workbench.data.schema import migrations

DB_NAME = "workbench.db"
# WAL with synchronous=FULL: a commit returns once the WAL is fsynced, so a save that got its 2xx
# survives a power cut. FULL is SQLite's default in WAL mode too; it is set here so that nobody
# lowers it: NORMAL skips that fsync and may lose the last transactions on power loss.
# bench/durability.py measures the cost (docs/operations.md, "Durability").
SYNCHRONOUS = "FULL"


def open_db(instance: Path, *, migrate: bool = True) -> sqlite_utils.Database:
    """A connection to `instance/workbench.db` in WAL mode with synchronous=FULL (durable commits),
    migrated to the newest schema."""
    instance = Path(instance)
    instance.mkdir(parents=True, exist_ok=True)
    db = sqlite_utils.Database(instance / DB_NAME)
    db.conn.execute("PRAGMA journal_mode=WAL")
    db.conn.execute(f"PRAGMA synchronous={SYNCHRONOUS}")
    db.conn.execute("PRAGMA foreign_keys=ON")
    db.conn.execute("PRAGMA busy_timeout=10000")
    if migrate and db.conn.execute("PRAGMA user_version").fetchone()[0] != _schema_fingerprint():
        migrations.apply(db)
        db.conn.execute(f"PRAGMA user_version = {_schema_fingerprint()}")
    return db


@functools.cache
def _schema_fingerprint() -> int:
    """A number naming the set of migrations this code has, stored in the database once applied.

    Checking the migrations table costs several queries (about a millisecond) and every web
    request opens the database; reading the stored number is one pragma. A database migrated by
    code with other migrations has another number, and is migrated as before.
    """
    names = ",".join(sorted(m.name for m in migrations._migrations))  # registered by schema.py
    return zlib.crc32(names.encode()) & 0x7FFFFFFF


@contextlib.contextmanager
def transaction(db: sqlite_utils.Database):
    """One write transaction (a savepoint when nested), taking the write lock at the start.

    BEGIN IMMEDIATE, not sqlite-utils' deferred BEGIN: in WAL mode a deferred transaction that
    read first fails at once with "database is locked" when another process wrote meanwhile,
    instead of waiting its turn; workers and web threads write concurrently.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.rollback()
        raise
    else:
        db.conn.execute("COMMIT")


def in_transaction(db: sqlite_utils.Database) -> bool:
    return db.conn.in_transaction


def rollback_open(db: sqlite_utils.Database) -> None:
    """Roll back a transaction left open (by a request or a command that failed half-way)."""
    if db.conn.in_transaction:
        db.conn.rollback()


def rows(db: sqlite_utils.Database, sql: str, params=()) -> list[dict]:
    """The rows of one SELECT as dicts, straight from the connection.

    sqlite-utils' `query` wraps every SELECT in a savepoint (to refuse statements that return no
    rows); on the editor's hot paths that doubled the statements of a save.
    """
    cursor = db.conn.execute(sql, params)
    keys = [d[0] for d in cursor.description]
    return [dict(zip(keys, row)) for row in cursor]


def rows_for_ids(db: sqlite_utils.Database, sql: str, ids: list[int], params=()) -> list[dict]:
    """rows() of `sql` whose "{}" is filled with a placeholder per id, in chunks of 500 (SQLite's
    bound-variable limit); `params` come before the ids."""
    found: list[dict] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        found += rows(db, sql.format(",".join("?" * len(chunk))), [*params, *chunk])
    return found


def db_key(db: sqlite_utils.Database) -> str:
    """Which database this connection is on: the key of caches kept per database in a process."""
    return db.conn.execute("PRAGMA database_list").fetchone()[2] or f"memory:{id(db)}"


def insert(db: sqlite_utils.Database, table: str, values: dict) -> int:
    """Insert one row (the table and column names are the code's own, never input); its rowid."""
    columns = ", ".join(f'"{name}"' for name in values)
    return db.conn.execute(f'INSERT INTO "{table}" ({columns}) VALUES ({", ".join("?" * len(values))})',
                           list(values.values())).lastrowid


def update(db: sqlite_utils.Database, table: str, row_id: int, values: dict) -> None:
    """Set columns of one row by id (names are the code's own, never input)."""
    assignments = ", ".join(f'"{name}" = ?' for name in values)
    db.conn.execute(f'UPDATE "{table}" SET {assignments} WHERE id = ?', [*values.values(), row_id])

