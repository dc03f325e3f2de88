"""Article versions in the browser: upload a new version, the version banner, the version history."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for

from workbench.services import story_versions as article_versions, imports
from workbench.services.actor import Actor
from workbench.data import store
from workbench.core.errors import UserError
from workbench.core.formats.articles import ArticleReadError, parse_article
from workbench.web.common import required_upload
from workbench.services.imports import reading
from workbench.core.formats.articles import UPLOAD_HINT, UPLOAD_TYPES
from workbench.web.auth import require


bp = Blueprint("versions", __name__, url_prefix="/articles/<int:article_id>/versions")


@bp.app_context_processor
def version_helpers():
    def version_banner(article_id: int) -> str | None:
        """"version 3: 2 changed, 1 added, 1 removed since version 2", or None for a first version."""
        change = article_versions.latest_change(g.db, article_id)
        return article_versions.banner_text(change) if change else None

    return {"version_banner": version_banner}


@bp.get("/")
def history(article_id: int):
    """Every version of the article with its source diff, and the segments versions removed."""
    article = store.get_article(g.db, article_id)
    return render_template("articles/versions.html", article=article,
                           versions=article_versions.article_versions(g.db, article_id),
                           removed=article_versions.removed_segments(g.db, article_id))


@bp.post("/")
@require("edit")
def upload(article_id: int):
    """Store an uploaded file as the article's next version; unchanged sentences keep their work.

    The same rules as a new article's import (services/imports.py): the instance's [import] limits, and a
    big upload is read and stored by a job whose page follows it."""
    article = store.get_article(g.db, article_id)
    # Required, like every write based on something read: without it a second upload made from
    # an old page would replace someone else's new version unseen. (The API's PUT by external id
    # is the CMS's idempotent save and carries no version: its contract stays as it is.)
    seen = request.form.get("base_version", "")
    if not seen.isascii() or not seen.isdigit() or len(seen) > 18:
        raise UserError("the upload did not say which version of the article it replaces (base_version); "
                        "reload the article's page and upload the file again from there")
    seen = int(seen)
    if seen != article["version"]:  # refused before the upload is read (the service checks again)
        raise article_versions.StaleVersion(
            f"the article is at version {article['version']} now, not {seen}: someone uploaded a version "
            "meanwhile; look at the version history, then upload again")
    upload_file = required_upload("the new version of the article (.txt, .md, .html or .docx)")
    name = upload_file.filename
    if not name.lower().endswith(UPLOAD_TYPES):
        raise ArticleReadError(f"{name}: not an article file; upload {UPLOAD_HINT}")
    instance = current_app.config["INSTANCE"]
    settings = imports.instance_settings(instance)
    data, doc = upload_file.read(), None
    whole_page = request.form.get("whole_page") == "1"
    if not imports.too_big_to_read_here(data, name, settings):
        with reading(name, "an article"):
            doc = parse_article(data, name, limits=settings.docx, whole_page=whole_page)
    if doc is None or doc.text.count("\n") > settings.background_paragraphs:
        job_id = imports.queue_import(instance, g.db, data, name, None, None, g.user["name"],
                                      update={"article": article_id, "base_version": seen},
                                      whole_page=whole_page)
        return redirect(url_for("articles.import_status", job_id=job_id))
    result = article_versions.store_version(g.db, Actor.person(g.user), article_id, doc, base_version=seen)
    flash(imports.version_summary(name, result))
    return redirect(url_for("versions.history", article_id=article_id))
