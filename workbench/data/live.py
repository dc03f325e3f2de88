"""What an open editor polls for (web/live.py): the article's change counter, the changes since a
counter, and who else has the same article and language open (presence).

The counter is the newest id of `live_changes`, a log the database's triggers fill on every write to
translations, comments, assignments and the article's version (schema m053), whoever wrote it.
Presence rows are heartbeats: each poll refreshes its row, and a row older than PRESENCE_SECONDS
counts as gone (the editor was closed or the laptop slept).
"""

from __future__ import annotations

import time

import sqlite_utils

from workbench.data.db import transaction

PRESENCE_SECONDS = 15.0  # a heartbeat comes every 3 s; three missed ones and the person is gone
HEARTBEAT_SECONDS = 5.0  # an unchanged row is written again only this often (fewer writes)
KEEP_CHANGES_SECONDS = 3600.0  # an editor further behind than this reloads the page instead


def counter(db: sqlite_utils.Database, article_id: int) -> int:
    """The article's change counter: grows with every change an open editor shows."""
    row = db.conn.execute("SELECT MAX(id) FROM live_changes WHERE article_id = ?", [article_id]).fetchone()
    return row[0] or 0


def changes_since(db: sqlite_utils.Database, article_id: int, since: int) -> list[dict]:
    """[{"id", "lang", "kind", "segment_id"}] after counter `since`, oldest first; kind is segment,
    comment, assignment or story."""
    return [{"id": r[0], "lang": r[1], "kind": r[2], "segment_id": r[3]} for r in db.conn.execute(
        "SELECT id, lang, kind, segment_id FROM live_changes WHERE article_id = ? AND id > ? ORDER BY id",
        [article_id, since])]


def oldest_kept(db: sqlite_utils.Database, article_id: int) -> int:
    row = db.conn.execute("SELECT MIN(id) FROM live_changes WHERE article_id = ?", [article_id]).fetchone()
    return row[0] or 0


def prune(db: sqlite_utils.Database, now: float | None = None) -> None:
    """Forget changes older than KEEP_CHANGES_SECONDS and presence long gone (cheap; run now and then)."""
    now = time.time() if now is None else now
    with transaction(db):
        db.conn.execute("DELETE FROM live_changes WHERE at < ?", [now - KEEP_CHANGES_SECONDS])
        db.conn.execute("DELETE FROM presence WHERE seen_at < ?", [now - 10 * PRESENCE_SECONDS])


def heartbeat(db: sqlite_utils.Database, article_id: int, lang: str, user: str, segment_id: int | None,
              typing: bool, now: float | None = None) -> dict | None:
    """Record that `user` has the editor open (on `segment_id`, typing or not). Writes only when
    something changed or the row is getting old. Returns the takeover waiting for this person
    ({"by", "segment_id"}) once, then clears it."""
    now = time.time() if now is None else now
    row = db.conn.execute("SELECT segment_id, typing, taken_by, taken_segment, seen_at FROM presence "
                          "WHERE article_id = ? AND lang = ? AND user = ?", [article_id, lang, user]).fetchone()
    taken = {"by": row[2], "segment_id": row[3]} if row and row[2] else None
    if taken and taken["segment_id"] == segment_id:
        typing = False  # a colleague has this segment now
    fresh = row and row[0] == segment_id and bool(row[1]) == typing and not taken \
        and now - row[4] < HEARTBEAT_SECONDS
    if not fresh:
        with transaction(db):
            db.conn.execute(
                "INSERT INTO presence (article_id, lang, user, segment_id, typing, seen_at) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (article_id, lang, user) DO UPDATE SET segment_id = excluded.segment_id, "
                "typing = excluded.typing, seen_at = excluded.seen_at, taken_by = NULL, taken_segment = NULL",
                [article_id, lang, user, segment_id, int(typing), now])
    return taken


def present(db: sqlite_utils.Database, article_id: int, lang: str, now: float | None = None) -> list[dict]:
    """[{"user", "segment_id", "typing"}] of everyone with a fresh heartbeat, by name."""
    now = time.time() if now is None else now
    return [{"user": r[0], "segment_id": r[1], "typing": bool(r[2])} for r in db.conn.execute(
        "SELECT user, segment_id, typing FROM presence WHERE article_id = ? AND lang = ? AND seen_at >= ? "
        "ORDER BY user", [article_id, lang, now - PRESENCE_SECONDS])]


def take_over(db: sqlite_utils.Database, article_id: int, lang: str, user: str, segment_id: int,
              now: float | None = None) -> list[str]:
    """`user` takes segment `segment_id` from whoever is typing in it: they become its typist, the
    others are told on their next poll. Returns the names taken from."""
    now = time.time() if now is None else now
    with transaction(db):
        others = [r[0] for r in db.conn.execute(
            "SELECT user FROM presence WHERE article_id = ? AND lang = ? AND segment_id = ? AND typing = 1 "
            "AND user != ? AND seen_at >= ?", [article_id, lang, segment_id, user, now - PRESENCE_SECONDS])]
        db.conn.execute("UPDATE presence SET typing = 0, taken_by = ?, taken_segment = ? WHERE article_id = ? "
                        "AND lang = ? AND segment_id = ? AND user != ?", [user, segment_id, article_id, lang,
                                                                           segment_id, user])
        db.conn.execute(
            "INSERT INTO presence (article_id, lang, user, segment_id, typing, seen_at) VALUES (?, ?, ?, ?, 1, ?) "
            "ON CONFLICT (article_id, lang, user) DO UPDATE SET segment_id = excluded.segment_id, typing = 1, "
            "seen_at = excluded.seen_at", [article_id, lang, user, segment_id, now])
    return others
