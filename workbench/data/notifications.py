"""Notifications, their e-mail outbox and each person's settings: the rows
(services/notifications.py holds the rules)."""

from __future__ import annotations

import json

import sqlite_utils

from workbench.data.db import rows, transaction


def add(db: sqlite_utils.Database, values: dict, *, mail: bool) -> int | None:
    """One notification (`values`: person, kind, article_id, lang, title, body, by, key, created_at);
    one with a `key` already stored is not added again (None)."""
    cursor = db.conn.execute(
        "INSERT OR IGNORE INTO notifications (person, kind, article_id, lang, title, body, by, key, created_at, mail) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [values["person"], values["kind"], values.get("article_id"), values.get("lang"), values["title"],
         values.get("body") or "", values.get("by"), values.get("key"), values["created_at"],
         "pending" if mail else None])
    return cursor.lastrowid if cursor.rowcount else None


def get(db: sqlite_utils.Database, notification_id: int) -> dict | None:
    found = rows(db, "SELECT * FROM notifications WHERE id = ?", [notification_id])
    return found[0] if found else None


def for_person(db: sqlite_utils.Database, person: str, *, unread_only: bool = False, limit: int = 200) -> list[dict]:
    return rows(db, "SELECT * FROM notifications WHERE person = ?"
                    + (" AND read_at IS NULL" if unread_only else "") + " ORDER BY id DESC LIMIT ?", [person, limit])


def unread(db: sqlite_utils.Database, person: str) -> int:
    return db.conn.execute("SELECT COUNT(*) FROM notifications WHERE person = ? AND read_at IS NULL",
                           [person]).fetchone()[0]


def mark_read(db: sqlite_utils.Database, person: str, at: str, notification_id: int | None = None) -> int:
    """Mark one of the person's notifications read (or all of them); how many changed."""
    sql = "UPDATE notifications SET read_at = ? WHERE person = ? AND read_at IS NULL"
    params: list = [at, person]
    if notification_id is not None:
        sql += " AND id = ?"
        params.append(notification_id)
    return db.conn.execute(sql, params).rowcount


def claim_unmailed(db: sqlite_utils.Database) -> list[int]:
    """The notifications whose e-mail waits to be handed to the queue, now marked queued."""
    claimed = []
    for (notification_id,) in db.execute("SELECT id FROM notifications WHERE mail = 'pending' ORDER BY id").fetchall():
        with transaction(db):
            if db.execute("UPDATE notifications SET mail = 'queued' WHERE id = ? AND mail = 'pending'",
                          [notification_id]).rowcount:
                claimed.append(notification_id)
    return claimed


def mailed(db: sqlite_utils.Database, notification_id: int, error: str | None = None) -> None:
    with transaction(db):
        db.execute("UPDATE notifications SET mail = ?, mail_error = ? WHERE id = ?",
                   ["failed" if error else "sent", error, notification_id])


def settings(db: sqlite_utils.Database, person: str) -> dict | None:
    found = rows(db, "SELECT * FROM notification_settings WHERE person = ?", [person])
    if not found:
        return None
    return {"person": person, "email": found[0]["email"], "kinds": json.loads(found[0]["kinds"])}


def put_settings(db: sqlite_utils.Database, person: str, email: str | None, kinds: list[str]) -> None:
    db["notification_settings"].insert({"person": person, "email": email, "kinds": json.dumps(kinds)},
                                       pk="person", replace=True)


def segment_place(db: sqlite_utils.Database, segment_id: int) -> dict:
    """{"article_id", "idx"} of a segment."""
    return rows(db, "SELECT article_id, idx FROM segments WHERE id = ?", [segment_id])[0]
