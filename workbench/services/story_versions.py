"""Story updates: store version N+1 of an article, keeping the work done on what did not change.

The new segments are aligned with the old ones (versions.align). Kept segments keep their ids,
so translations, statuses, findings and history carry over untouched; changed segments keep
their id too, and each translation becomes "source_changed" with the old text as the draft
(findings recomputed against the new source); added segments start untranslated; removed
segments move to `removed_segments` with their translations and history, and their translations
are offered as memory matches (orphans) if they were approved, never as exact drafts.
"""

from __future__ import annotations

import json

import sqlite_utils

from workbench.services import events
from workbench.data import store, tm
from workbench.core import alignment as versions
from workbench.data.db import transaction
from workbench.core.segment import Segmentation


def update_article(db: sqlite_utils.Database, article_id: int, *, title: str | None, byline: str | None,
                   filename: str | None, fmt: str, segmentation: Segmentation,
                   user: str | None = None) -> dict:
    """Store the new version; returns {"article", "version", "kept", "changed", "added", "removed"}."""
    with transaction(db):
        article = store.get_article(db, article_id)
        old = store.segments(db, article_id)
        new = segmentation.segments
        ops = versions.align([s["text"] for s in old], [s.text for s in new])
        version = article["version"] + 1
        stamp = store.now()
        # Free every index first: kept segments move, and (article_id, idx) is unique.
        db.execute("UPDATE segments SET idx = -1 - idx WHERE article_id = ?", [article_id])
        changes = []
        for op in ops:
            if op.kind == "removed":
                _archive(db, article_id, old[op.old], version)
                changes.append({"kind": "removed", "old": old[op.old]["idx"] + 1, "old_text": old[op.old]["text"]})
                continue
            seg = new[op.new]
            placement = {"idx": seg.index, "paragraph_idx": seg.paragraph, "start": seg.start,
                         "end": seg.end, **store.segment_text_columns(seg.text)}
            if op.kind == "kept":
                db["segments"].update(old[op.old]["id"], placement)
            elif op.kind == "changed":
                segment_id = old[op.old]["id"]
                db["segments"].update(segment_id, {**placement, "changed_in": version,
                                                   "previous_text": old[op.old]["text"]})
                _mark_source_changed(db, segment_id, version, user)
                changes.append({"kind": "changed", "old": old[op.old]["idx"] + 1, "new": seg.index + 1,
                                "old_text": old[op.old]["text"], "new_text": seg.text,
                                "similarity": op.similarity})
            else:
                db["segments"].insert({"article_id": article_id, **placement, "changed_in": version})
                changes.append({"kind": "added", "new": seg.index + 1, "new_text": seg.text})
        db.execute("DELETE FROM paragraphs WHERE article_id = ?", [article_id])
        db["paragraphs"].insert_all(
            {"article_id": article_id, "idx": p.index, "start": p.start, "end": p.end, "kind": p.kind}
            for p in segmentation.paragraphs)
        counts = versions.summary(ops)
        title = title or article["title"]
        db["articles"].update(article_id, {"title": title, "byline": byline, "filename": filename,
                                           "format": fmt, "source_text": segmentation.source,
                                           "version": version})
        db["article_versions"].insert({"article_id": article_id, "version": version, "title": title,
                                       "source_text": segmentation.source, **counts,
                                       "changes": json.dumps(changes, ensure_ascii=False),
                                       "created_at": stamp, "created_by": user})
        events.record(db, "article.updated", {"article": article_id, "external_id": article.get("external_id"),
                                              "version": version, **counts})
    return {"article": article_id, "version": version, **counts}


def _mark_source_changed(db, segment_id: int, version: int, user: str | None) -> None:
    for lang in [row[0] for row in db.execute(
            "SELECT lang FROM translations WHERE segment_id = ? AND status != 'untranslated' "
            "AND text != ''", [segment_id])]:
        current = store.get_translation(db, segment_id, lang)
        # _put bumps the version (an open editor gets a conflict), records the history and
        # recomputes term and QA findings against the new source.
        store._put(db, segment_id, lang, current, text=current["text"], status="source_changed",
                   origin=current["origin"], user=user,
                   note=f"source changed in version {version}; the old translation is kept as the draft")


def _archive(db, article_id: int, segment: dict, version: int) -> None:
    """Move a removed segment, its translations and their history, to removed_segments."""
    translations = {}
    for row in db.query("SELECT * FROM translations WHERE segment_id = ?", [segment["id"]]):
        translations[row["lang"]] = {
            "text": row["text"], "status": row["status"], "version": row["version"],
            "updated_by": row["updated_by"], "updated_at": row["updated_at"],
            "history": list(db.query("SELECT version, before_text, after_text, before_status, after_status, "
                                     "origin, changed_by, changed_at, note FROM history "
                                     "WHERE translation_id = ? ORDER BY version", [row["id"]]))}
        # only approved work enters the memory, orphans included (tm.add_orphan checks the status)
        tm.add_orphan(db, segment["text"], row["text"], row["lang"], status=row["status"],
                      article_id=article_id, user=row["updated_by"])
    db["removed_segments"].insert({"article_id": article_id, "removed_in": version, "idx": segment["idx"],
                                   "text": segment["text"],
                                   "translations": json.dumps(translations, ensure_ascii=False)})
    db.execute("DELETE FROM segments WHERE id = ?", [segment["id"]])


def find_by_external_id(db: sqlite_utils.Database, external_id: str) -> dict | None:
    rows = list(db.query("SELECT * FROM articles WHERE external_id = ?", [external_id]))
    return rows[0] if rows else None


def article_versions(db: sqlite_utils.Database, article_id: int) -> list[dict]:
    """Every version of the article, newest first, with its changes decoded."""
    rows = list(db.query("SELECT * FROM article_versions WHERE article_id = ? ORDER BY version DESC",
                         [article_id]))
    for row in rows:
        row["changes"] = json.loads(row["changes"] or "[]")
        for change in row["changes"]:
            if change["kind"] == "changed":
                change["diff"] = versions.word_diff_ops(change["old_text"], change["new_text"])
    return rows


def latest_change(db: sqlite_utils.Database, article_id: int) -> dict | None:
    """The newest version when it is an update (version 2 or later), for the article's banner."""
    rows = list(db.query("SELECT version, kept, changed, added, removed FROM article_versions "
                         "WHERE article_id = ? AND version > 1 ORDER BY version DESC LIMIT 1", [article_id]))
    return rows[0] if rows else None


def banner_text(change: dict) -> str:
    """"version 3: 2 changed, 1 added, 1 removed since version 2"."""
    parts = [f"{change[kind]} {kind}" for kind in ("changed", "added", "removed") if change[kind]]
    return (f"version {change['version']}: {', '.join(parts) or 'no sentence changed'} "
            f"since version {change['version'] - 1}")


def removed_segments(db: sqlite_utils.Database, article_id: int) -> list[dict]:
    rows = list(db.query("SELECT * FROM removed_segments WHERE article_id = ? ORDER BY removed_in DESC, idx",
                         [article_id]))
    for row in rows:
        row["translations"] = json.loads(row["translations"])
    return rows
