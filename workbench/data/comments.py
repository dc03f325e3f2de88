"""Comments on a segment's translation (reviewer <-> translator), open until resolved.

Who may do what is services/comments.py's rule.
"""

from __future__ import annotations

import sqlite_utils

from workbench.core.hygiene import LIMITS
from workbench.data.db import transaction
from workbench.core.errors import UserError
from workbench.data.store import NotFound, now

MAX_LENGTH = LIMITS["comment"]  # one number for every door (core/hygiene.py)


def add(db: sqlite_utils.Database, segment_id: int, lang: str, *, author: str, body: str) -> dict:
    body = body.strip()
    if not body:
        raise UserError("write the comment first (it was empty)")
    if len(body) > MAX_LENGTH:
        raise UserError(f"a comment holds at most {MAX_LENGTH} characters; this one has {len(body)}")
    with transaction(db):
        if not list(db.query("SELECT id FROM segments WHERE id = ?", [segment_id])):
            raise NotFound(f"segment {segment_id} does not exist")
        comment_id = db["segment_comments"].insert({
            "segment_id": segment_id, "lang": lang, "author": author, "body": body,
            "created_at": now()}).last_pk
    return get(db, comment_id)


def get(db: sqlite_utils.Database, comment_id: int) -> dict:
    rows = list(db.query("SELECT * FROM segment_comments WHERE id = ?", [comment_id]))
    if not rows:
        raise NotFound(f"comment {comment_id} does not exist")
    return rows[0]


def for_segment(db: sqlite_utils.Database, segment_id: int, lang: str) -> list[dict]:
    return list(db.query("SELECT * FROM segment_comments WHERE segment_id = ? AND lang = ? ORDER BY id",
                         [segment_id, lang]))


def counts(db: sqlite_utils.Database, article_id: int, lang: str) -> dict[int, dict[str, int]]:
    """{segment id: {"total", "open"}} for the segments of an article that have comments."""
    return {row["segment_id"]: {"total": row["total"], "open": row["open"]} for row in db.query(
        "SELECT c.segment_id, COUNT(*) AS total, SUM(c.resolved_at IS NULL) AS open "
        "FROM segment_comments c JOIN segments s ON s.id = c.segment_id "
        "WHERE s.article_id = ? AND c.lang = ? GROUP BY c.segment_id", [article_id, lang])}


def segment_counts(db: sqlite_utils.Database, segment_id: int, lang: str) -> dict[str, int]:
    row = db.execute("SELECT COUNT(*), COALESCE(SUM(resolved_at IS NULL), 0) FROM segment_comments "
                     "WHERE segment_id = ? AND lang = ?", [segment_id, lang]).fetchone()
    return {"total": row[0], "open": row[1]}


def set_resolved(db: sqlite_utils.Database, comment_id: int, *, resolved: bool, user: str) -> dict:
    """Resolve (or reopen) a comment."""
    with transaction(db):
        get(db, comment_id)
        db["segment_comments"].update(comment_id, {"resolved_at": now() if resolved else None,
                                                   "resolved_by": user if resolved else None})
    return get(db, comment_id)


def segment_in_article(db: sqlite_utils.Database, article_id: int, segment_id: int) -> dict | None:
    """{"id", "number"} of the segment when it is in the article, else None."""
    row = db.execute("SELECT id, idx FROM segments WHERE id = ? AND article_id = ?",
                     [segment_id, article_id]).fetchone()
    return {"id": row[0], "number": row[1] + 1} if row else None
