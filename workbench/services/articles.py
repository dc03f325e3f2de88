"""Create an article: one rule for the web import, the API, the CLI and the import jobs."""

from __future__ import annotations

import sqlite_utils

from workbench.core.errors import Forbidden, UserError
from workbench.core.formats.articles import ArticleDoc
from workbench.core.segment import Segmentation, segment_text
from workbench.data import store, versions as stored_versions


class ExternalIdTaken(UserError):
    status = 409


def create_article(db: sqlite_utils.Database, actor, doc: ArticleDoc, *, external_id: str | None = None,
                   segmentation: Segmentation | None = None) -> dict:
    """Store a parsed document as a new article (version 1), created by the actor.

    The actor needs the "edit" right; an `external_id` another article holds is refused (409).
    Returns {"article", "version", "segments", "paragraphs"}."""
    if not actor.may("edit"):
        raise Forbidden(f"{actor.name} may not create articles (translators, reviewers and admins may)")
    segmentation = segmentation or segment_text(doc.text)
    if external_id and stored_versions.find_by_external_id(db, external_id):
        raise ExternalIdTaken(f"an article with external_id {external_id!r} exists; "
                              f"PUT /api/v1/articles/by-external-id/{external_id} to store a new version")
    article_id = store.create_article(db, title=doc.title, byline=doc.byline, filename=doc.filename,
                                      fmt=doc.format, segmentation=segmentation, user=actor.name,
                                      external_id=external_id)
    return {"article": article_id, "version": 1, "segments": len(segmentation.segments),
            "paragraphs": len(segmentation.paragraphs)}
