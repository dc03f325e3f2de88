"""Assignments of an article's languages: the rows (services/assignments.py holds the rules)."""

from __future__ import annotations

import sqlite_utils

from workbench.data.db import rows

FIELDS = ("translator", "reviewer", "due", "state", "reason")


def get(db: sqlite_utils.Database, article_id: int, lang: str) -> dict | None:
    found = rows(db, "SELECT * FROM assignments WHERE article_id = ? AND lang = ?", [article_id, lang])
    return found[0] if found else None


def put(db: sqlite_utils.Database, article_id: int, lang: str, values: dict, *, at: str, by: str | None) -> dict:
    current = get(db, article_id, lang) or {"translator": None, "reviewer": None, "due": None,
                                            "state": "translating", "reason": None}
    row = {**{k: current.get(k) for k in FIELDS}, **values, "article_id": article_id, "lang": lang,
           "updated_at": at, "updated_by": by}
    db["assignments"].insert(row, pk=("article_id", "lang"), replace=True)
    return get(db, article_id, lang)


def for_article(db: sqlite_utils.Database, article_id: int) -> dict[str, dict]:
    return {row["lang"]: row for row in rows(db, "SELECT * FROM assignments WHERE article_id = ?", [article_id])}


def for_person(db: sqlite_utils.Database, name: str) -> list[dict]:
    """The person's assignments (as translator or reviewer) on articles not archived, due first."""
    return rows(db, "SELECT s.*, a.title FROM assignments s JOIN articles a ON a.id = s.article_id "
                    "WHERE (s.translator = ? OR s.reviewer = ?) AND a.archived_at IS NULL "
                    "ORDER BY s.due IS NULL, s.due, s.article_id, s.lang", [name, name])


def set_archived(db: sqlite_utils.Database, article_id: int, at: str | None, by: str | None) -> None:
    db.execute("UPDATE articles SET archived_at = ?, archived_by = ? WHERE id = ?", [at, by, article_id])


def delete_article(db: sqlite_utils.Database, article_id: int) -> None:
    db.execute("DELETE FROM articles WHERE id = ?", [article_id])


def every(db: sqlite_utils.Database) -> list[dict]:
    """Every assignment with someone on it, on articles not archived, due first."""
    return rows(db, "SELECT s.*, a.title FROM assignments s JOIN articles a ON a.id = s.article_id "
                    "WHERE (s.translator IS NOT NULL OR s.reviewer IS NOT NULL) AND a.archived_at IS NULL "
                    "ORDER BY s.due IS NULL, s.due, s.article_id, s.lang")


def open_comments(db: sqlite_utils.Database, article_id: int, lang: str) -> int:
    """Unresolved comments on the article's segments in the language."""
    return db.conn.execute("SELECT COUNT(*) FROM segment_comments c JOIN segments s ON s.id = c.segment_id "
                           "WHERE s.article_id = ? AND c.lang = ? AND c.resolved_at IS NULL",
                           [article_id, lang]).fetchone()[0]
