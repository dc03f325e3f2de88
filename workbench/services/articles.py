"""Create an article: one rule for the web import, the API, the CLI and the import jobs."""

from __future__ import annotations

import sqlite_utils

from workbench.core.errors import UserError
from workbench.core.formats.articles import ArticleDoc
from workbench.core.formats.articles import segment_doc
from workbench.core.segment import Segmentation
from workbench.data import store, versions as stored_versions
from workbench.data.db import transaction
from workbench.core.langs import TARGET_LANGS, target_lang
from workbench.services import comments, machine_translation, story_versions, translations
from workbench.services.actor import Actor, require_capability
from workbench.services.article_text import NothingToTranslate, check_document, check_segments

__all__ = ["ExternalIdTaken", "NoSuchVersion", "NothingToTranslate", "create_article", "put_by_external_id"]


class ExternalIdTaken(UserError):
    status = 409


class NoSuchVersion(UserError):
    """A PUT by external id based on a version of an article that does not exist."""

    status = 409


def create_article(db: sqlite_utils.Database, actor, doc: ArticleDoc, *, external_id: str | None = None,
                   segmentation: Segmentation | None = None) -> dict:
    """Store a parsed document as a new article (version 1), created by the actor.

    The actor needs the "edit" right; an `external_id` another article holds is refused (409),
    whatever the concurrency: the check and the insert are one write transaction, and the unique
    index's refusal (another process's insert) is the same answer.
    The text, title, byline and external id pass article_text.check_document (hygiene, limits, some
    words to translate), for every door.
    Returns {"article", "version", "segments", "paragraphs"}."""
    require_capability(db, actor, "import")
    check_document(doc, external_id)
    segmentation = segmentation or segment_doc(doc)  # before the write lock: it is the slow part
    check_segments(doc, segmentation)
    try:
        with transaction(db):
            if external_id and stored_versions.find_by_external_id(db, external_id):
                raise store.ExternalIdExists(external_id)
            article_id = store.create_article(db, title=doc.title, byline=doc.byline, filename=doc.filename,
                                              fmt=doc.format, segmentation=segmentation, user=actor.name,
                                              external_id=external_id)
            if doc.original is not None:
                store.put_original(db, article_id, 1, doc.format, doc.filename, doc.original)
    except store.ExternalIdExists:
        raise ExternalIdTaken(f"an article with external_id {external_id!r} exists; "
                              f"PUT /api/v1/articles/by-external-id/{external_id} to store a new version") from None
    imported = _file_targets(db, actor, article_id, doc)
    # A story the CMS sends is drafted by machine at once (a person importing one starts MT when
    # they choose: the dashboard's button, `workbench translate`).
    job = machine_translation.draft_automatically(db, article_id, actor) if actor.kind == "token" else None
    return {"article": article_id, "version": 1, "segments": len(segmentation.segments),
            "paragraphs": len(segmentation.paragraphs), "job": job["id"] if job else None, "targets": imported}


def put_by_external_id(db: sqlite_utils.Database, actor, external_id: str, doc: ArticleDoc, *,
                       base_version: int | None = None) -> dict:
    """The CMS's idempotent save: create the article with this external_id, or store the document as
    its next version (story_versions.store_version: the same text again stores nothing).

    Concurrent identical calls make one article and one version: a create that loses the race to
    another finds the article the winner made and stores its document as a version of it (nothing,
    when it is the same). Returns store_version's answer, or create_article's with kept=segments,
    changed/added/removed 0; "created" says which."""
    check_document(doc, external_id)
    segmentation = segment_doc(doc)  # once, before any write lock
    article = stored_versions.find_by_external_id(db, external_id)
    if article is None:
        if base_version not in (None, 0):
            raise NoSuchVersion(f"no article has external_id {external_id!r}, so it has no version "
                                f"{base_version}; send no base_version to create it")
        try:
            created = create_article(db, actor, doc, external_id=external_id, segmentation=segmentation)
        except ExternalIdTaken:  # created meanwhile by a concurrent call: this one is an update of it
            article = stored_versions.find_by_external_id(db, external_id)
            if article is None:  # and deleted again since: no article to update
                raise
        else:
            return {**created, "kept": created["segments"], "changed": 0, "added": 0, "removed": 0,
                    "unchanged": False, "created": True}
    result = story_versions.store_version(db, actor, article["id"], doc, base_version=base_version,
                                          segmentation=segmentation)
    return {**result, "created": False}


# XLIFF states (1.2 and 2.0, and what the readers make of vendor states) as ours: (status, note).
# new / needs-translation are not translations; the needs-review states are the "needs review" status.
XLIFF_STATES = {
    "new": None, "needs-translation": None,
    "needs-review-translation": ("needs_review", None), "needs-review-adaptation": ("needs_review", None),
    "needs-review-l10n": ("needs_review", None), "needs-adaptation": ("needs_review", None),
    "needs-l10n": ("needs_review", None), "initial": ("needs_review", None),
    "translated": ("edited", None), "reviewed": ("edited", None),
    "final": ("approved", None), "signed-off": ("approved", None),
}


def _file_targets(db: sqlite_utils.Database, actor, article_id: int, doc: ArticleDoc) -> dict:
    """The translations a file brought (an XLIFF from another tool), stored as an import of the file:
    {"stored": n, "skipped": n, "needs_review": n}. A final/signed-off target is approved when the
    actor may approve, else stored as "needs review" with a note saying why; notes become comments."""
    counts = {"stored": 0, "skipped": 0, "needs_review": 0}
    if not doc.blocks or not any(b.attrs.get("target") or b.attrs.get("notes") for b in doc.blocks):
        return counts
    importer = Actor.importer(doc.filename or "the file", actor)
    segments_by_paragraph = {}
    for segment in store.segments(db, article_id):
        segments_by_paragraph.setdefault(segment["paragraph_idx"], []).append(segment)
    for index, block in enumerate(doc.blocks):
        found = segments_by_paragraph.get(index) or []
        if not found:
            continue
        segment = found[0]  # a paragraph's notes (Word comments) go on its first segment
        target = block.attrs.get("target")
        lang = target_lang(target.get("lang") or "") if target else None
        for note in block.attrs.get("notes") or []:
            for each in ([lang] if lang else TARGET_LANGS):
                comments.add(db, importer, segment["id"], each, note[:2000])
        if not target or not lang or len(found) != 1:
            continue
        mapped = XLIFF_STATES.get((target.get("state") or "translated").lower(), ("edited", None))
        if mapped is None:
            counts["skipped"] += 1
            continue
        status, note = mapped
        if status == "approved" and not importer.may("approve"):
            status, note = "needs_review", "final in the file; only reviewers approve"
        try:
            translations.save(db, importer, segment["id"], lang, target["text"], base_version=None,
                              approve=status == "approved", reason="final in the imported file" if status == "approved" else None,
                              note=note, follow=False, status="needs_review" if status == "needs_review" else None)
        except UserError:
            counts["skipped"] += 1
            continue
        counts["stored"] += 1
        counts["needs_review"] += status == "needs_review"
    return counts
