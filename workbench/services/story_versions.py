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

from workbench.services import events, notifications
from workbench.services.actor import require_capability
from workbench.data import store, tm, versions as stored_versions
from workbench.services import machine_translation, translations
from workbench.services.article_text import check_document, check_segments
from workbench.core import alignment as versions
from workbench.data.db import transaction
from workbench.core.errors import UserError
from workbench.core.formats.articles import ArticleDoc, segment_doc
from workbench.core.segment import Segmentation


class StaleVersion(UserError):
    """The caller based the upload on a version that is no longer the article's newest."""

    status = 409


def store_version(db: sqlite_utils.Database, actor, article_id: int, doc: ArticleDoc, *,
                  base_version: int | None = None, segmentation: Segmentation | None = None) -> dict:
    """Store a parsed document as the article's next version, for every door (web, API, CLI, jobs).

    * the actor needs the upload_versions capability ([permissions]; Forbidden otherwise);
    * the text, title and byline pass article_text.check_document (hygiene, limits, some words);
    * with `base_version`, only if the article is still at that version (StaleVersion, 409);
    * the same text (normalised) and title as the current version store nothing and send no event:
      the answer then has "unchanged": True and the current version;
    * else version N+1, credited to the actor, and one `article.updated` event, sent after the commit.

    Returns {"article", "version", "kept", "changed", "added", "removed", "segments", "unchanged"}."""
    require_capability(db, actor, "upload_versions")
    check_document(doc)
    segmentation = segmentation or segment_doc(doc)  # before the write lock: it is the slow part
    check_segments(doc, segmentation)
    count = len(segmentation.segments)
    with transaction(db):
        article = store.get_article(db, article_id)
        if base_version is not None and article["version"] != base_version:
            raise StaleVersion(f"{doc.filename or 'the upload'}: the article is at version {article['version']} "
                               f"now, not {base_version}: someone uploaded a version meanwhile; look at the "
                               "version history, then upload again")
        if is_unchanged(article, doc, segmentation):
            return {"article": article_id, "version": article["version"], "segments": count,
                    "kept": count, "changed": 0, "added": 0, "removed": 0, "unchanged": True}
        result = update_article(db, article_id, title=doc.title, byline=doc.byline, filename=doc.filename,
                                fmt=doc.format, segmentation=segmentation, user=actor.name,
                                original=doc.original)
        notifications.story_updated(db, actor, article_id, result["version"])
    _send_events(db)
    job = (machine_translation.draft_automatically(db, article_id, actor)
           if result["added"] or result["changed"] else None)
    return {**result, "segments": count, "unchanged": False, "job": job["id"] if job else None}


def is_unchanged(article: dict, doc: ArticleDoc, segmentation: Segmentation) -> bool:
    """The same text (as the aligner compares it) and the same title: no new version."""
    return (versions.normalise(article["source_text"]) == versions.normalise(segmentation.source)
            and (doc.title or article["title"]) == article["title"])


def _send_events(db) -> None:
    events.send_pending(db)  # nothing inside a caller's transaction: it sends after its own commit


def update_article(db: sqlite_utils.Database, article_id: int, *, title: str | None, byline: str | None,
                   filename: str | None, fmt: str, segmentation: Segmentation,
                   user: str | None = None, original: bytes | None = None) -> dict:
    """Store the new version, whatever it holds (store_version() decides whether it is one);
    returns {"article", "version", "kept", "changed", "added", "removed"}. The `article.updated`
    event is recorded in the same transaction."""
    with transaction(db):
        article = store.get_article(db, article_id)
        old = store.segments(db, article_id)
        new = segmentation.segments
        ops = versions.align([s["text"] for s in old], [s.text for s in new])
        version = article["version"] + 1
        stamp = store.now()
        stored_versions.free_segment_indexes(db, article_id)
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
                stored_versions.place_segment(db, old[op.old]["id"], placement)
            elif op.kind == "changed":
                segment_id = old[op.old]["id"]
                stored_versions.place_segment(db, segment_id, {**placement, "changed_in": version,
                                                               "previous_text": old[op.old]["text"]})
                _mark_source_changed(db, segment_id, version, user)
                changes.append({"kind": "changed", "old": old[op.old]["idx"] + 1, "new": seg.index + 1,
                                "old_text": old[op.old]["text"], "new_text": seg.text,
                                "similarity": op.similarity})
            else:
                stored_versions.add_segment(db, article_id, {**placement, "changed_in": version})
                changes.append({"kind": "added", "new": seg.index + 1, "new_text": seg.text})
        stored_versions.replace_paragraphs(db, article_id, segmentation.paragraphs)
        counts = versions.summary(ops)
        title = title or article["title"]
        stored_versions.set_article(db, article_id, {"title": title, "byline": byline, "filename": filename,
                                                     "format": fmt, "source_text": segmentation.source,
                                                     "version": version})
        stored_versions.add_version(db, {"article_id": article_id, "version": version, "title": title,
                                         "source_text": segmentation.source, **counts,
                                         "changes": json.dumps(changes, ensure_ascii=False),
                                         "created_at": stamp, "created_by": user})
        if original is not None:
            store.put_original(db, article_id, version, fmt, filename, original)
        events.record(db, "article.updated", {"article": article_id, "external_id": article.get("external_id"),
                                              "version": version, **counts})
    return {"article": article_id, "version": version, **counts}


def story_credit(version: int, user: str | None) -> str:
    """What a story update's change is credited to: the version, and who stored it."""
    return f"story version {version}" + (f", uploaded by {user}" if user else "")


def _mark_source_changed(db, segment_id: int, version: int, user: str | None) -> None:
    for lang in stored_versions.translated_langs(db, segment_id):
        current = store.get_translation(db, segment_id, lang)
        # translations.put bumps the version (an open editor gets a conflict), records the history and
        # recomputes term and QA findings against the new source.
        translations.put(db, store.segment_row(db, segment_id), lang, current, text=current["text"],
                         status="source_changed", origin=current["origin"], by=story_credit(version, user),
                         note=f"source changed in version {version}; the old translation is kept as the draft")


def _archive(db, article_id: int, segment: dict, version: int) -> None:
    """Move a removed segment, its translations and their history, to removed_segments."""
    translations = {}
    for row in stored_versions.translations_with_history(db, segment["id"]):
        translations[row["lang"]] = {
            "text": row["text"], "status": row["status"], "version": row["version"],
            "updated_by": row["updated_by"], "updated_at": row["updated_at"], "history": row["history"]}
        # only approved work enters the memory, orphans included (tm.add_orphan checks the status)
        tm.add_orphan(db, segment["text"], row["text"], row["lang"], status=row["status"],
                      article_id=article_id, user=row["updated_by"])
    stored_versions.archive_segment(db, article_id, segment, version, translations)


def find_by_external_id(db: sqlite_utils.Database, external_id: str) -> dict | None:
    return stored_versions.find_by_external_id(db, external_id)


def article_versions(db: sqlite_utils.Database, article_id: int) -> list[dict]:
    """Every version of the article, newest first, with its changes decoded."""
    found = stored_versions.versions(db, article_id)
    for row in found:
        for change in row["changes"]:
            if change["kind"] == "changed":
                change["diff"] = versions.word_diff_ops(change["old_text"], change["new_text"])
    return found


def latest_change(db: sqlite_utils.Database, article_id: int) -> dict | None:
    """The newest version when it is an update (version 2 or later), for the article's banner."""
    return stored_versions.latest_update(db, article_id)


def banner_text(change: dict) -> str:
    """"version 3: 2 changed, 1 added, 1 removed since version 2"."""
    parts = [f"{change[kind]} {kind}" for kind in ("changed", "added", "removed") if change[kind]]
    return (f"version {change['version']}: {', '.join(parts) or 'no sentence changed'} "
            f"since version {change['version'] - 1}")


def removed_segments(db: sqlite_utils.Database, article_id: int) -> list[dict]:
    return stored_versions.removed_segments(db, article_id)


def news_since(db: sqlite_utils.Database, article_id: int, version: int) -> dict | None:
    """What an editor open on `version` has not seen: None when the article is still at it, else
    {"version", "banner", "changed", "added", "removed"} (segment ids) for a live banner."""
    article = store.get_article(db, article_id)
    if article["version"] <= version:
        return None
    news = stored_versions.changed_since(db, article_id, version)
    counts = {kind: len(news[kind]) for kind in ("changed", "added", "removed")}
    parts = [f"{counts[kind]} {kind}" for kind in ("changed", "added", "removed") if counts[kind]]
    return {"version": article["version"], **news,
            "banner": f"The story was updated to version {article['version']} while you worked: "
                      f"{', '.join(parts) or 'no sentence changed'} since version {version}."}
