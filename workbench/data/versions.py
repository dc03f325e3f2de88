"""Article versions: the rows a new version rewrites, the version history, removed segments.

The decisions (alignment, what counts as unchanged, who may store a version) are in
services/story_versions.py; this module holds its SQL.
"""

from __future__ import annotations

import json

import sqlite_utils

from workbench.data.db import rows
from workbench.data.store import paragraph_row


def find_by_external_id(db: sqlite_utils.Database, external_id: str) -> dict | None:
    found = rows(db, "SELECT * FROM articles WHERE external_id = ?", [external_id])
    return found[0] if found else None


def free_segment_indexes(db: sqlite_utils.Database, article_id: int) -> None:
    """Move every segment of the article to a negative index: (article_id, idx) is unique and
    kept segments change places."""
    db.execute("UPDATE segments SET idx = -1 - idx WHERE article_id = ?", [article_id])


def place_segment(db: sqlite_utils.Database, segment_id: int, values: dict) -> None:
    db["segments"].update(segment_id, values)


def add_segment(db: sqlite_utils.Database, article_id: int, values: dict) -> int:
    return db["segments"].insert({"article_id": article_id, **values}).last_pk


def replace_paragraphs(db: sqlite_utils.Database, article_id: int, paragraphs) -> None:
    db.execute("DELETE FROM paragraphs WHERE article_id = ?", [article_id])
    db["paragraphs"].insert_all(paragraph_row(article_id, p) for p in paragraphs)


def set_article(db: sqlite_utils.Database, article_id: int, values: dict) -> None:
    db["articles"].update(article_id, values)


def add_version(db: sqlite_utils.Database, values: dict) -> None:
    db["article_versions"].insert(values)


def translated_langs(db: sqlite_utils.Database, segment_id: int) -> list[str]:
    """The languages in which the segment has a translation with text."""
    return [row[0] for row in db.execute(
        "SELECT lang FROM translations WHERE segment_id = ? AND status != 'untranslated' AND text != ''",
        [segment_id])]


def translations_with_history(db: sqlite_utils.Database, segment_id: int) -> list[dict]:
    """The segment's translation rows, each with its history (oldest first) under "history"."""
    found = rows(db, "SELECT * FROM translations WHERE segment_id = ?", [segment_id])
    for row in found:
        row["history"] = rows(db, "SELECT version, before_text, after_text, before_status, after_status, "
                                  "origin, changed_by, changed_at, note FROM history "
                                  "WHERE translation_id = ? ORDER BY version", [row["id"]])
    return found


def archive_segment(db: sqlite_utils.Database, article_id: int, segment: dict, version: int,
                    translations: dict) -> None:
    """Store a removed segment with its translations in removed_segments, and delete it."""
    db["removed_segments"].insert({"article_id": article_id, "removed_in": version, "idx": segment["idx"],
                                   "text": segment["text"], "segment_id": segment["id"],
                                   "translations": json.dumps(translations, ensure_ascii=False)})
    db.execute("DELETE FROM segments WHERE id = ?", [segment["id"]])


def versions(db: sqlite_utils.Database, article_id: int) -> list[dict]:
    """Every version row of the article, newest first, its changes decoded."""
    found = rows(db, "SELECT * FROM article_versions WHERE article_id = ? ORDER BY version DESC", [article_id])
    for row in found:
        row["changes"] = json.loads(row["changes"] or "[]")
    return found


def latest_update(db: sqlite_utils.Database, article_id: int) -> dict | None:
    found = rows(db, "SELECT version, kept, changed, added, removed FROM article_versions "
                     "WHERE article_id = ? AND version > 1 ORDER BY version DESC LIMIT 1", [article_id])
    return found[0] if found else None


def removed_segments(db: sqlite_utils.Database, article_id: int) -> list[dict]:
    found = rows(db, "SELECT * FROM removed_segments WHERE article_id = ? ORDER BY removed_in DESC, idx",
                 [article_id])
    for row in found:
        row["translations"] = json.loads(row["translations"])
        row["kept_saves"] = json.loads(row.get("kept_saves") or "[]")
    return found


def removed_segment(db: sqlite_utils.Database, segment_id: int) -> dict | None:
    """The removed segment that had this id, decoded, or None."""
    found = rows(db, "SELECT * FROM removed_segments WHERE segment_id = ? ORDER BY removed_in DESC LIMIT 1",
                 [segment_id])
    if not found:
        return None
    row = found[0]
    row["translations"] = json.loads(row["translations"])
    row["kept_saves"] = json.loads(row.get("kept_saves") or "[]")
    return row


def keep_save(db: sqlite_utils.Database, removed_id: int, entry: dict) -> None:
    """Add a text saved after its segment was removed to the removed segment's kept saves."""
    row = db.execute("SELECT kept_saves FROM removed_segments WHERE id = ?", [removed_id]).fetchone()
    kept = json.loads(row[0] or "[]") + [entry]
    db.execute("UPDATE removed_segments SET kept_saves = ? WHERE id = ?", [json.dumps(kept, ensure_ascii=False),
                                                                          removed_id])


def changed_since(db: sqlite_utils.Database, article_id: int, version: int) -> dict:
    """Segment ids a version after `version` changed, added and removed: {"changed", "added", "removed"}."""
    found = rows(db, "SELECT id, previous_text FROM segments WHERE article_id = ? AND changed_in > ?",
                 [article_id, version])
    removed = [row[0] for row in db.execute(
        "SELECT segment_id FROM removed_segments WHERE article_id = ? AND removed_in > ? AND segment_id IS NOT NULL",
        [article_id, version])]
    return {"changed": [r["id"] for r in found if r["previous_text"] is not None],
            "added": [r["id"] for r in found if r["previous_text"] is None], "removed": removed}
