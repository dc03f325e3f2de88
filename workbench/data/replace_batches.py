"""Find-and-replace runs (services/find_replace.py): what each changed, so it can be undone at once."""

from __future__ import annotations

import json

import sqlite_utils

from workbench.data.db import insert, rows, transaction
from workbench.data.store import NotFound, now


def create(db: sqlite_utils.Database, article_id: int, lang: str, find: str, replace: str,
           user: str | None) -> int:
    with transaction(db):
        return insert(db, "replace_batches", {"article_id": article_id, "lang": lang, "find": find,
                                              "replace": replace, "changes": "[]", "created_by": user,
                                              "created_at": now()})


def set_changes(db: sqlite_utils.Database, batch_id: int, changes: list[dict]) -> None:
    with transaction(db):
        db.conn.execute("UPDATE replace_batches SET changes = ? WHERE id = ?",
                        [json.dumps(changes, ensure_ascii=False), batch_id])


def mark_undone(db: sqlite_utils.Database, batch_id: int) -> None:
    with transaction(db):
        db.conn.execute("UPDATE replace_batches SET undone_at = ? WHERE id = ?", [now(), batch_id])


def get(db: sqlite_utils.Database, batch_id: int) -> dict:
    found = rows(db, "SELECT * FROM replace_batches WHERE id = ?", [batch_id])
    if not found:
        raise NotFound(f"find-and-replace run {batch_id} does not exist")
    row = dict(found[0])
    row["changes"] = json.loads(row["changes"])
    return row


def last(db: sqlite_utils.Database, article_id: int, lang: str, user: str) -> dict | None:
    """This user's latest run on this article and language that has not been undone."""
    found = rows(db, "SELECT id FROM replace_batches WHERE article_id = ? AND lang = ? AND created_by = ? "
                 "AND undone_at IS NULL ORDER BY id DESC LIMIT 1", [article_id, lang, user])
    return get(db, found[0]["id"]) if found else None
