"""The rows term candidates are computed from (services/candidates.py, candidate_cache.py)."""

from __future__ import annotations

import sqlite_utils

from workbench.data.db import rows, rows_for_ids


def source_texts(db: sqlite_utils.Database) -> list[str]:
    return [row[0] for row in db.execute("SELECT text FROM segments")]


def segments(db: sqlite_utils.Database, article_id: int | None = None) -> list[dict]:
    """id and text of every segment (or of one article's)."""
    if article_id is None:
        return rows(db, "SELECT id, text FROM segments")
    return rows(db, "SELECT id, text FROM segments WHERE article_id = ?", [article_id])


def approved_translations(db: sqlite_utils.Database, segment_ids: list[int]) -> list[dict]:
    return rows_for_ids(db, "SELECT id, segment_id, lang, text FROM translations WHERE status = 'approved' "
                        "AND text != '' AND segment_id IN ({})", segment_ids)


_SIGNATURE = """
SELECT (SELECT COUNT(*) FROM segments), (SELECT MAX(id) FROM segments),
       (SELECT TOTAL(version) FROM articles),
       (SELECT COUNT(*) FROM translations WHERE status = 'approved'),
       (SELECT TOTAL(version) FROM translations WHERE status = 'approved'),
       (SELECT MAX(updated_at) FROM translations WHERE status = 'approved'),
       (SELECT value FROM meta WHERE key = 'termbase_revision')
"""


def signature(db: sqlite_utils.Database) -> tuple:
    """What the candidates depend on; it changes whenever their result may."""
    return tuple(db.execute(_SIGNATURE).fetchone())
